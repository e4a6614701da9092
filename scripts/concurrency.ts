// `npx tsx scripts/concurrency.ts [rounds]`: what concurrent replay buys. llama-server with four
// slots (`-np 4` in extra-args) on the example's scripted models, fast and slow, replays a
// 40-case suite without speed checks with concurrency 4 and with 1, alternated `rounds` times
// (default 3) so a neighbour's load on this shared machine falls on both alike. It prints the
// median wall time of each and their ratio. A measurement, not a test: nothing here fails.
import { execFileSync } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createCliHost } from '../src/host/cli.js'
import { parseRunOptions } from '../src/options.js'
import { runPipeline } from '../src/pipeline.js'
import { startLlamaServer } from '../src/server/llamacpp/driver.js'
import { median } from '../src/stats.js'
import { writeExampleModels } from './example-models.js'

const CASES = 40
const SLOTS = 4
const rounds = Number(process.argv[2] ?? 3)
const root = fileURLToPath(new URL('..', import.meta.url))
const llamaServer =
  process.env.LLAMA_SERVER ??
  execFileSync('bash', [path.join(root, 'scripts/build-llama-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop()!

const dir = await mkdtemp(path.join(os.tmpdir(), 'modelgate-concurrency-'))
const models = await writeExampleModels(dir)
// Quality checks only: every case may share the server.
const suite = `name: quality only
server:
  backend: connect
defaults:
  max-tokens: 512
cases:
${Array.from({ length: CASES }, (_, i) => `  - id: case-${i}\n    prompt: Write updateUserStatus, variant ${i}.\n    assert:\n      - type: contains\n        value: "50003"`).join('\n')}
`
await writeFile(path.join(dir, 'suite.yml'), suite)
const quiet = createCliHost(() => {}, { ...process.env, GITHUB_WORKSPACE: dir })

/**
 * One replay of the suite at `concurrency`, timed from the session's start to the verdict, and
 * the retries its samples needed (a request sent on a connection the server was closing).
 */
async function wallTime(baseUrl: string, concurrency: number): Promise<{ ms: number; retries: number }> {
  const values: Record<string, string> = { suite: 'suite.yml', 'base-url': baseUrl, concurrency: String(concurrency), baseline: 'off' }
  const startedAt = performance.now()
  const results = await runPipeline(parseRunOptions((name) => values[name] ?? '', (name) => `--${name}`), quiet)
  const elapsed = performance.now() - startedAt
  if (!results.passed) throw new Error(`the replay failed: ${results.reason}`)
  if (results.schedule?.concurrency !== concurrency) throw new Error(`asked for concurrency ${concurrency}, ran ${results.schedule?.concurrency}`)
  const retries = results.cases.flatMap((c) => c.samples).reduce((n, s) => n + (s.retries ?? 0), 0)
  process.stderr.write(`  concurrency ${concurrency}: ${(elapsed / 1000).toFixed(2)} s${retries ? `, ${retries} retried` : ''}\n`)
  return { ms: elapsed, retries }
}

const rows: string[] = []
process.stderr.write(`models written to ${dir}\n`)
for (const [label, model] of [['fast', models.good], ['slow', models.slow]] as const) {
  const session = await startLlamaServer({
    host: quiet,
    options: { llamaServerPath: llamaServer, extraArgs: ['-np', String(SLOTS)] },
    server: { settings: { 'context-length': 4096 * SLOTS, 'cpu-threads': 2 }, extraArgs: [] },
    model,
    readyTimeoutMs: 60_000,
    modelBaseDir: dir,
    suitePath: 'suite.yml'
  })
  try {
    const runs: Record<number, { ms: number; retries: number }[]> = { [SLOTS]: [], 1: [] }
    for (let round = 0; round < rounds; round++) {
      process.stderr.write(`${label} model, round ${round + 1} of ${rounds}\n`)
      for (const concurrency of [SLOTS, 1]) runs[concurrency]!.push(await wallTime(session.baseUrl, concurrency))
    }
    const together = median(runs[SLOTS]!.map((r) => r.ms))!
    const alone = median(runs[1]!.map((r) => r.ms))!
    const retried = (concurrency: number) => runs[concurrency]!.reduce((n, r) => n + r.retries, 0)
    rows.push(`| ${label} | ${(alone / 1000).toFixed(2)} s | ${(together / 1000).toFixed(2)} s | ${(alone / together).toFixed(2)}× | ${retried(1)} / ${retried(SLOTS)} |`)
  } finally {
    await session.stop()
  }
}
process.stdout.write(
  [
    `${CASES} cases without speed checks, llama-server -np ${SLOTS} -t 2, median of ${rounds} alternated rounds (${os.cpus().length} cores):`,
    '',
    `| model | concurrency 1 | concurrency ${SLOTS} | speed-up | samples retried (1 / ${SLOTS}) |`,
    '|---|---:|---:|---:|---:|',
    ...rows,
    ''
  ].join('\n')
)
