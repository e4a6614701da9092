// The local rerun: the bundled CLI runs the example suite against a real llama-server and prints
// the same report the PR comment carries, with the gate's verdict as its exit status; and its
// commands that need no model, `check` (on saved answers and on a run's results file) and
// `validate`, also from a copy of dist/ alone, as a clone without node_modules runs it.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { EXAMPLE_DIR, EXAMPLE_SUITE, writeExampleModels, type ExampleModels } from '../../scripts/example-models.js'
import type { RunResults } from '../../src/results.js'
import { node24, ROOT } from '../support/runner.js'

let dir: string
let models: ExampleModels

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'modelgate-cli-'))
  models = await writeExampleModels(dir)
}, 120_000)

function cliAt(bundle: string, ...args: string[]) {
  return spawnSync(node24(), [bundle, ...args], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeout: 120_000 })
}
const cli = (...args: string[]) => cliAt(path.join(ROOT, 'dist/cli/index.js'), ...args)

/** What the report's case table says of each case: id → "✅ pass" or "❌ fail". */
function verdictsIn(report: string): Record<string, string> {
  return Object.fromEntries([...report.matchAll(/^\| ([^|]+) \| (✅ pass|❌ fail) \|/gm)].map((m) => [m[1]!.replace(/\\/g, ''), m[2]!]))
}
const GOOD = path.join(EXAMPLE_DIR, 'answers', 'good.md')
const REGRESSED = path.join(EXAMPLE_DIR, 'answers', 'regressed.md')

const gate = (model: string, ...more: string[]) =>
  cli('--suite', EXAMPLE_SUITE, '--server', 'llama.cpp', '--model', model, '--llama-server-path', process.env.LLAMA_SERVER!, '--extra-args=-t 2', ...more)

describe('modelgate CLI', () => {
  it('prints the passing report and exits 0 for the good model', async () => {
    const run = gate(models.good)
    expect(run.status).toBe(0)
    expect(run.stdout.startsWith('### ✅ modelgate passed: updateUserStatus keeps its validations\n')).toBe(true)
    // Progress goes to stderr as plain lines, not workflow commands.
    expect(run.stderr).toMatch(/^update-user-status sample 3\/3: [\d.]+ tokens\/s$/m)
    expect(run.stderr + run.stdout).not.toContain('::')
    const results = JSON.parse(await readFile(path.join(dir, 'modelgate-results.json'), 'utf8')) as RunResults
    expect(results.passed).toBe(true)
  }, 120_000)

  it('exits 1 for the regressed model and says why', () => {
    const run = gate(models.regressed, '--results-file', 'regressed.json')
    expect(run.status).toBe(1)
    expect(run.stdout).toContain('**0 of 1 case passed.** Failed: update-user-status (error-codes, validation)')
  }, 120_000)

  it('prints the results JSON with --json', () => {
    const run = gate(models.good, '--json')
    expect((JSON.parse(run.stdout) as RunResults).cases[0]!.samples).toHaveLength(3)
  }, 120_000)

  it('exits 2 on a usage error, with the usage', () => {
    const run = cli('--suite', EXAMPLE_SUITE, '--server', 'ollama')
    expect(run.status).toBe(2)
    expect(run.stderr.startsWith("Invalid --server 'ollama': expected one of connect, llama.cpp, lmstudio.\n\nUsage: modelgate --suite FILE [options]")).toBe(true)
    expect(cli('--nope').status).toBe(2)
    expect(cli('run', '--help').stdout).toContain('Exit status: 0 when the gate passes, 1 when it fails, 2 on a usage or infrastructure error')
    const help = cli('--help')
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/^ {2}check {2,}run a case's checks on saved answers/m)
  })

  it('exits 2 when the server never comes up', () => {
    const run = cli('run', '--suite', EXAMPLE_SUITE, '--server', 'llama.cpp', '--model', 'no-such-model.gguf', '--llama-server-path', process.env.LLAMA_SERVER!, '--results-file', 'nomodel.json')
    expect(run.status).toBe(2)
    expect(run.stdout).toContain('Failure kind: `infrastructure`')
  }, 120_000)
})

describe('modelgate check and validate, bundled', () => {
  it("gives the gate's verdict again from a run's results file", () => {
    const run = gate(models.regressed, '--results-file', 'check-regressed.json')
    expect(run.status).toBe(1)
    const check = cli('check', '--suite', EXAMPLE_SUITE, 'check-regressed.json')
    expect(check.status).toBe(1)
    expect(verdictsIn(check.stdout)).toEqual({ 'update-user-status': '❌ fail' })
    expect(verdictsIn(check.stdout)).toEqual(verdictsIn(run.stdout))
    expect(check.stdout).toContain('**0 of 1 case passed.** Failed: update-user-status (error-codes, validation)')
  }, 120_000)

  it('checks saved answers without a model, from a copy of dist/ alone', async () => {
    // A clone runs dist/ with no node_modules: the code checks' grammars must come with it.
    const clone = await mkdtemp(path.join(os.tmpdir(), 'modelgate-clone-'))
    await cp(path.join(ROOT, 'dist'), path.join(clone, 'dist'), { recursive: true })
    const bundle = path.join(clone, 'dist/cli/index.js')
    const good = cliAt(bundle, 'check', '--suite', EXAMPLE_SUITE, '--case', 'update-user-status', GOOD)
    expect([good.status, good.stderr]).toEqual([0, `update-user-status sample 1: ${GOOD}\n`])
    expect(good.stdout.startsWith('### ✅ modelgate passed: updateUserStatus keeps its validations\n')).toBe(true)
    expect(good.stdout).toContain('Speed checks skipped, as an answer file holds no speed figures: update-user-status (tokens-per-second).')
    const regressed = cliAt(bundle, 'check', '--suite', EXAMPLE_SUITE, '--case', 'update-user-status', REGRESSED)
    expect(regressed.status).toBe(1)
    expect(regressed.stdout).toMatch(/^- ❌ `error-codes`: 50001 is never raised by a validation guard/m)
    const usage = cliAt(bundle, 'check', '--suite', EXAMPLE_SUITE, GOOD)
    expect([usage.status, usage.stderr.split('\n')[0]]).toEqual([2, '--case is required with answer files: name the case whose checks to run'])
  })

  it('validates suites: 0 when valid, 1 with every problem on stdout, 2 for a file that is not there', async () => {
    await writeFile(path.join(dir, 'broken.yml'), 'cases:\n  - id: a\n    promt: hi\n  - id: b\n    prompt: hi\n    repeat: many\n')
    const valid = cli('validate', EXAMPLE_SUITE)
    expect([valid.status, valid.stdout, valid.stderr]).toEqual([0, '', `${EXAMPLE_SUITE}: valid, 1 case\n`])
    const broken = cli('validate', EXAMPLE_SUITE, 'broken.yml')
    expect(broken.status).toBe(1)
    expect(broken.stdout).toBe(
      'broken.yml:3 case "a": promt is not a known key (known: id, system, prompt, messages, temperature, seed, max-tokens, top-p, repeat, assert)\n' +
        'broken.yml:6 case "b": repeat must be an integer\n'
    )
    const missing = cli('validate', 'nope.yml')
    expect([missing.status, missing.stderr]).toEqual([2, `suite file not found: nope.yml (a suite path is read relative to ${dir})\n`])
  })
})
