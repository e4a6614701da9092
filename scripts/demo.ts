// `npm run demo`: the whole job on this machine, no GPU needed. It builds (or reuses) llama-server,
// writes the example's scripted models, and runs the example suite through the bundled CLI
// against the model that keeps the validations and the one that regressed like the hand run.
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { EXAMPLE_SUITE, writeExampleModels } from './example-models.js'
import { llamaServerBinary } from './real-parts.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const workDir = path.join(root, '.modelgate', 'demo')

function say(text: string): void {
  process.stderr.write(`\n\x1b[1m== ${text}\x1b[0m\n\n`)
}

say('llama-server: building from the llama.cpp source node-llama-cpp ships (once; about 7 minutes on 2 cores)')
const llamaServer = llamaServerBinary()

say(`Writing the example's scripted models to ${path.relative(root, workDir)}/`)
mkdirSync(workDir, { recursive: true })
const models = await writeExampleModels(workDir)

function gate(label: string, model: string): number {
  say(`${label}: modelgate --suite ${path.relative(root, EXAMPLE_SUITE)} --model ${path.relative(root, model)}`)
  const run = spawnSync(
    process.execPath,
    [path.join(root, 'dist/cli/index.js'), '--suite', EXAMPLE_SUITE, '--server', 'llama.cpp', '--model', model, '--llama-server-path', llamaServer, '--results-file', path.join(workDir, `${label}.json`)],
    { stdio: 'inherit', cwd: root }
  )
  process.stderr.write(`\ngate exit status: ${run.status}${run.status === 0 ? ' (the check passes)' : ' (the check fails: this is what blocks the merge)'}\n`)
  return run.status ?? 2
}

const good = gate('good', models.good)
const regressed = gate('regressed', models.regressed)

say('Summary')
process.stderr.write(`model that keeps the validations: ${good === 0 ? 'passed' : 'FAILED'}\n`)
process.stderr.write(`model that regressed like the hand run: ${regressed === 1 ? 'failed, as it should' : 'NOT failed'}\n`)
process.exitCode = good === 0 && regressed === 1 ? 0 : 1
