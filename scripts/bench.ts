// `npm run bench`: what modelgate costs beside the model it measures, against a peer, written to
// BENCHMARKS.md. Every figure comes from the bundled action (dist/, as the runner starts it) or
// the bundled CLI against a real llama-server serving the generated models; each is the median of
// `--rounds` runs (3 unless told), and where two things are compared their runs alternate, so a
// neighbour's load falls on both alike. A run in which another process took more than 5% of the
// machine is marked busy. A measurement, not a test: it fails only when something breaks.
//
//   npm run bench                      # everything, BENCHMARKS.md rewritten
//   npm run bench -- --smoke           # tiny sizes, one round, no promptfoo: CI's check that it runs
//   npm run bench -- --rounds 5 --out /tmp/b.md
//   npm run bench -- --dist /tmp/old/dist --name "dist/ of abc1234" --json /tmp/before.json
//                                                      # another build, its figures saved as JSON
//   npm run bench -- --before /tmp/before.json                       # a "before" column from that run
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ROOT, runAction } from '../__tests__/support/runner.js'
import { createCliHost } from '../src/host/cli.js'
import { GITHUB_COMMENT_LIMIT, renderReport } from '../src/report.js'
import type { SampleResult } from '../src/results.js'
import type { ServerSession } from '../src/server/types.js'
import { median } from '../src/stats.js'
import { MODELGATE_VERSION } from '../src/version.js'
import { installPromptfoo, PROMPTFOO_VERSION, promptfooConfigDir, runFloor, runModelgate, runPromptfoo, type ClientRun, type ServerUnderTest } from './bench/clients.js'
import { startFirstRequestRelay } from './bench/first-request.js'
import { BUSY_SHARE, describeMachine, loadAverage } from './bench/machine.js'
import { suiteYaml, type BenchSuite } from './bench/suites.js'
import { exampleAnswer, startMeasuredServer, writeExampleModels } from './example-models.js'
import { writeScriptedModel } from './gguf-writer.js'
import { llamaServerBinary, node24Binary } from './real-parts.js'

const args = process.argv.slice(2)
const flag = (name: string) => args.includes(name)
const option = (name: string) => {
  const at = args.indexOf(name)
  return at >= 0 ? args[at + 1] : undefined
}
const smoke = flag('--smoke')
const rounds = Number(option('--rounds') ?? (smoke ? 1 : 3))
const out = option('--out') ?? (smoke ? path.join(os.tmpdir(), 'modelgate-bench-smoke.md') : path.join(ROOT, 'BENCHMARKS.md'))
const withPeer = !smoke || flag('--peer')
// Another build of the bundles to measure (e.g. an earlier commit's dist/, for before-and-after).
const dist = path.resolve(option('--dist') ?? path.join(ROOT, 'dist'))
const actionEntry = path.join(dist, 'index.js')
const cliEntry = path.join(dist, 'cli', 'index.js')
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a whole number of at least 1, not ${option('--rounds')}`)

const llamaServer = llamaServerBinary()
// The action runs under node24 on GitHub; the bench runs it so too (the runner reads it from here).
const node24 = (process.env.MODELGATE_NODE24 = node24Binary())
for (const bundle of [actionEntry, cliEntry]) statSync(bundle)

const log = (line: string) => process.stderr.write(`${line}\n`)
const startedAt = new Date()
const loadBefore = loadAverage()

// ---------------------------------------------------------------------------------------------
// The models and their servers.

const dir = await mkdtemp(path.join(os.tmpdir(), 'modelgate-bench-'))
const models = await writeExampleModels(dir)
/** About 4 KB of Java that keeps every validation: the memory figure's answer. */
async function longAnswer(): Promise<string> {
  const good = await exampleAnswer('good')
  const extra: string[] = []
  for (let i = 1; extra.join('').length < 3200; i++) {
    extra.push(`\n    private void auditStep${i}(User user) {\n        log.debug("audit step ${i} for user {} at stage s${i}", user.getId());\n    }\n`)
  }
  return good.replace(/\n}\n```/, `\n}\n${extra.join('')}\`\`\``)
}
const long = path.join(dir, 'long.gguf')
const longText = await longAnswer()
await writeScriptedModel(long, { script: longText, name: 'user-status long answer' })

interface Server extends ServerUnderTest {
  session: ServerSession
}

async function startServer(model: string, threads: number, slots: number): Promise<Server> {
  let pid: number | undefined
  const host = { ...createCliHost(() => {}), saveState: (name: string, value: string) => (name === 'llama-server-pid' ? (pid = Number(value)) : undefined) }
  const session = await startMeasuredServer(model, llamaServer, host, threads, ['--metrics', '-np', String(slots)], 4096 * slots)
  return { session, baseUrl: session.baseUrl, model: session.model, pid }
}

async function withServer<T>(model: string, threads: number, slots: number, use: (server: Server) => Promise<T>): Promise<T> {
  const server = await startServer(model, threads, slots)
  try {
    return await use(server)
  } finally {
    await server.session.stop()
  }
}

// ---------------------------------------------------------------------------------------------
// Figures.

interface Row {
  item: string
  what: string
  value: string
  target: string
  met?: boolean
  runs?: ClientRun[]
}
const rows: Row[] = []
const notes: string[] = []

const fmt = (value: number | null | undefined, digits = 1) => (value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits))
const med = (values: number[]) => median(values) ?? NaN
/** Every sample of modelgate's runs, from their results files. */
const samplesOf = (runs: ClientRun[]): SampleResult[] => runs.flatMap((r) => r.results!.cases.flatMap((c) => c.samples))
/** The median of one of llama-server's own figures over those samples. */
const serverMedian = (runs: ClientRun[], figure: 'predictedTokens' | 'predictedMs' | 'tokensPerSecond') =>
  med(samplesOf(runs).map((s) => s.server?.[figure] ?? NaN).filter(Number.isFinite))
const perRequestMs = (run: ClientRun) => (run.wallMs - run.serverMs) / run.requests
const busyNote = (runs: ClientRun[]) => {
  const busy = runs.filter((r) => r.busy).length
  return busy ? ` (${busy} of ${runs.length} runs busy)` : ''
}

/** Runs `each` for every round, its clients in turn, so their runs alternate. */
async function alternate<K extends string>(labels: K[], each: (label: K, round: number) => Promise<ClientRun>): Promise<Record<K, ClientRun[]>> {
  const runs = Object.fromEntries(labels.map((l) => [l, [] as ClientRun[]])) as Record<K, ClientRun[]>
  for (let round = 0; round < rounds; round++) {
    for (const label of labels) {
      const run = await each(label, round)
      runs[label].push(run)
      log(`  round ${round + 1}/${rounds} ${label}: ${(run.wallMs / 1000).toFixed(2)} s, server ${(run.serverMs / 1000).toFixed(2)} s, ${fmt(run.maxRssMb, 0)} MB${run.busy ? ', busy' : ''}`)
    }
  }
  return runs
}

// 1, 2 and 7: overhead, accuracy and the peer, on the slow model with one llama.cpp thread (a
// core left for the client, as a GPU leaves the CPU to it).
const overheadSuite: BenchSuite = smoke ? { cases: 2, repeat: 2, code: true } : { cases: 20, repeat: 3, code: true }
log(`1. overhead: ${overheadSuite.cases} cases × ${overheadSuite.repeat} on the slow model${withPeer ? `, against promptfoo ${PROMPTFOO_VERSION} and the Python loop` : ', against the Python loop'}`)
const promptfoo = withPeer ? { entry: installPromptfoo(node24), home: await promptfooConfigDir() } : undefined
const clients = ['modelgate', 'python loop', ...(promptfoo ? ['promptfoo'] : [])] as const
type Client = (typeof clients)[number]
const overhead = await withServer(models.slow, 1, 1, async (server) => {
  const run = (client: Client) =>
    client === 'modelgate'
      ? runModelgate(server, { suite: overheadSuite, entry: actionEntry })
      : client === 'python loop'
        ? runFloor(server, overheadSuite)
        : runPromptfoo(server, overheadSuite, node24, promptfoo!.entry, promptfoo!.home)
  // One unmeasured run of each first: the page cache holds their files, promptfoo has its database.
  for (const client of clients) await run(client)
  return alternate([...clients], run)
})
const mg = overhead.modelgate!
const floor = overhead['python loop']!
const mgPerRequest = med(mg.map(perRequestMs))
const floorPerRequest = med(floor.map(perRequestMs))
rows.push(
  {
    item: '1. Overhead',
    what: `modelgate: wall time ÷ server time, ${overheadSuite.cases}×${overheadSuite.repeat} suite, slow model`,
    value: fmt(med(mg.map((r) => r.wallMs / r.serverMs)), 3),
    target: 'reported',
    runs: mg
  },
  {
    item: '1. Overhead',
    what: 'modelgate: overhead per request (warm-up, start and checks included)',
    value: `${fmt(mgPerRequest, 2)} ms`,
    target: '≤ 5 ms',
    met: mgPerRequest <= 5,
    runs: mg
  },
  {
    item: '1. Overhead',
    what: 'the Python streaming loop (scripts/bench/floor.py): overhead per request',
    value: `${fmt(floorPerRequest, 2)} ms`,
    target: 'the floor',
    runs: floor
  },
  {
    item: '1. Overhead',
    what: "modelgate's own part: overhead per request beyond the floor",
    value: `${fmt(mgPerRequest - floorPerRequest, 2)} ms`,
    target: 'reported'
  },
  {
    item: '1. Overhead',
    what: 'the warm-up request (server time, from /metrics, counted as overhead above)',
    value: `${fmt(med(mg.map((r) => r.metricsMs - r.serverMs)), 0)} ms`,
    target: 'reported'
  }
)

// 2. Accuracy: the client's decode rate against the server's, sample by sample.
function rateDifferences(runs: ClientRun[], minTokens: number): number[] {
  return samplesOf(runs)
    .filter((s) => !s.error && (s.server?.predictedTokens ?? 0) >= minTokens && s.client.tokensPerSecond && s.server?.tokensPerSecond)
    .map((s) => s.client.tokensPerSecond! / s.server!.tokensPerSecond! - 1)
}
const worst = (values: number[]) => values.reduce((w, v) => (Math.abs(v) > Math.abs(w) ? v : w), 0)
const pct = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(2)}%`
const accuracy = rateDifferences(mg, 50)
const tokens = serverMedian(mg, 'predictedTokens')
rows.push(
  {
    item: '2. Accuracy',
    what: `client ÷ server decode tokens/s − 1, median of ${accuracy.length} samples of ${fmt(tokens, 0)} tokens (slow model)`,
    value: pct(med(accuracy)),
    target: 'within ±0.5%',
    met: Math.abs(med(accuracy)) <= 0.005,
    runs: mg
  },
  {
    item: '2. Accuracy',
    what: 'the same, the worst sample',
    value: pct(worst(accuracy)),
    target: 'within ±5% (answers of ≥ 50 tokens)',
    met: accuracy.length > 0 && Math.abs(worst(accuracy)) <= 0.05,
    runs: mg
  }
)

// 3. Start-up: spawn to the first bytes of the first request at the server, through a relay.
log('3. start-up')
const startupSuite: BenchSuite = { cases: 1, repeat: 1, code: true }
const startup = await withServer(models.good, 1, 1, async (server) => {
  const relay = await startFirstRequestRelay(server.baseUrl)
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'modelgate-bench-startup-'))
  await writeFile(path.join(workspace, 'suite.yml'), suiteYaml(startupSuite))
  const warmCache = await mkdtemp(path.join(os.tmpdir(), 'modelgate-bench-compile-cache-'))
  const measure = async (entry: 'action' | 'cli', cache: 'cold' | 'warm'): Promise<number> => {
    relay.reset()
    // Node keeps compiled code in the temporary folder's node-compile-cache when modelgate turns
    // the cache on: a fresh runner has an empty one, a self-hosted runner the last run's.
    const tmp = cache === 'warm' ? warmCache : await mkdtemp(path.join(os.tmpdir(), 'modelgate-bench-compile-cache-'))
    let spawnedAt = 0
    const env = { TMPDIR: tmp }
    const baseUrl = `${relay.url}/v1`
    const run =
      entry === 'action'
        ? await runAction({ workspace, env, entry: actionEntry, onStart: () => (spawnedAt = performance.now()), inputs: { suite: 'suite.yml', 'base-url': baseUrl, 'github-token': '' } })
        : await runAction({
            workspace,
            env,
            entry: cliEntry,
            onStart: () => (spawnedAt = performance.now()),
            inputs: {},
            args: ['run', '--suite', 'suite.yml', '--base-url', baseUrl]
          })
    if (run.exitCode !== 0) throw new Error(`the ${entry} failed at start-up (exit ${run.exitCode}): ${(run.stdout + run.stderr).slice(-1500)}`)
    if (cache === 'cold') await rm(tmp, { recursive: true, force: true })
    return relay.firstAt()! - spawnedAt
  }
  await measure('action', 'warm')
  await measure('cli', 'warm')
  const times: Record<string, number[]> = { 'action cold': [], 'action warm': [], 'cli cold': [], 'cli warm': [] }
  for (let i = 0; i < Math.max(rounds, smoke ? 1 : 5); i++) {
    for (const entry of ['action', 'cli'] as const) for (const cache of ['cold', 'warm'] as const) times[`${entry} ${cache}`]!.push(await measure(entry, cache))
  }
  await relay.close()
  return times
})
const helpRun = (() => {
  const probeDir = mkdtempSync(path.join(os.tmpdir(), 'modelgate-bench-help-'))
  const times: number[] = []
  for (let i = 0; i < 5; i++) {
    const t = performance.now()
    const usage = execFileSync(node24, ['--import', path.join(ROOT, 'scripts/bench/peak-rss.mjs'), cliEntry, '--help'], {
      encoding: 'utf8',
      env: { ...process.env, MODELGATE_BENCH_RSS_DIR: probeDir }
    })
    times.push(performance.now() - t)
    if (!usage.includes('modelgate')) throw new Error('modelgate --help printed no usage')
  }
  const peaks = readdirSync(probeDir).map((f) => (JSON.parse(readFileSync(path.join(probeDir, f), 'utf8')) as { maxRssKb: number }).maxRssKb / 1024)
  return { ms: med(times), rss: med(peaks) }
})()
const bareNode = med(
  Array.from({ length: 5 }, () => {
    const t = performance.now()
    execFileSync(node24, ['-e', '0'])
    return performance.now() - t
  })
)
for (const [name, values] of Object.entries(startup)) {
  const [entry, cache] = name.split(' ')
  rows.push({
    item: '3. Start-up',
    what: `${entry === 'action' ? 'the action (dist/index.js)' : 'the CLI (modelgate run)'}: spawn → first request at the server, ${cache === 'cold' ? 'a fresh runner' : 'compiled code kept from an earlier run'}`,
    value: `${fmt(med(values), 0)} ms`,
    target: '≤ 120 ms',
    met: med(values) <= 120
  })
}
rows.push(
  { item: '3. Start-up', what: '`node -e 0` (Node 24 alone)', value: `${fmt(bareNode, 0)} ms`, target: 'reported' },
  { item: '3. Start-up', what: '`modelgate --help`: wall time, peak memory', value: `${fmt(helpRun.ms, 0)} ms, ${fmt(helpRun.rss, 0)} MB`, target: 'reported' }
)
function bundleSizes(): string {
  const parts: string[] = []
  for (const bundle of ['', 'cli', 'post']) {
    const files = readdirSync(path.join(dist, bundle)).filter((f) => f.endsWith('.js'))
    const sizes = files.map((f) => `${f} ${(statSync(path.join(dist, bundle, f)).size / 1024).toFixed(0)} KB`)
    parts.push(`\`${path.join('dist', bundle)}/\`: ${sizes.join(', ')}`)
  }
  const grammars = readdirSync(path.join(dist, 'grammars')).reduce((n, f) => n + statSync(path.join(dist, 'grammars', f)).size, 0)
  parts.push(`\`dist/grammars/\` (loaded only by code checks): ${(grammars / 2 ** 20).toFixed(1)} MB`)
  return parts.join('; ')
}
notes.push(`Bundles: ${bundleSizes()}.`)

// 4. Concurrency: the same 40 quality-only cases with four slots, concurrency 4 against 1.
const concurrencySuite: BenchSuite = smoke ? { cases: 4, repeat: 1, code: false } : { cases: 40, repeat: 1, code: false }
for (const [label, model] of [['fast', models.good], ['slow', models.slow]] as const) {
  log(`4. concurrency, ${label} model: ${concurrencySuite.cases} cases, -np 4`)
  const runs = await withServer(model, 2, 4, (server) =>
    alternate(['4', '1'], (concurrency) => runModelgate(server, { suite: concurrencySuite, concurrency: Number(concurrency), entry: actionEntry }))
  )
  for (const [c, list] of Object.entries(runs)) {
    for (const run of list) if (run.results?.schedule?.concurrency !== Number(c)) throw new Error(`asked for concurrency ${c}, the run says ${run.results?.schedule?.concurrency}`)
  }
  const ratio = med(runs['4'].map((r) => r.wallMs)) / med(runs['1'].map((r) => r.wallMs))
  rows.push({
    item: '4. Concurrency',
    what: `${label} model: wall time at concurrency 4 ÷ at 1 (${fmt(med(runs['4'].map((r) => r.wallMs)) / 1000, 2)} s ÷ ${fmt(med(runs['1'].map((r) => r.wallMs)) / 1000, 2)} s)`,
    value: fmt(ratio, 2),
    target: label === 'fast' ? '≤ 0.6' : 'reported (compute-bound on 2 cores)',
    ...(label === 'fast' ? { met: ratio <= 0.6 } : {}),
    runs: [...runs['4'], ...runs['1']]
  })
  const serverPerRequest = (list: ClientRun[]) => med(list.map((r) => r.serverMs / r.requests))
  rows.push({
    item: '4. Concurrency',
    what: `${label} model: llama-server's own time per request at 4 slots ÷ at 1 (${fmt(serverPerRequest(runs['4']), 1)} ms ÷ ${fmt(serverPerRequest(runs['1']), 1)} ms): 4 ÷ this is the most four slots can give`,
    value: fmt(serverPerRequest(runs['4']) / serverPerRequest(runs['1']), 2),
    target: 'reported'
  })
  if (label === 'fast') {
    const fastAccuracy = rateDifferences(runs['1'], 2)
    notes.push(
      `Accuracy on the fast model (concurrency-1 runs, answers of ${fmt(serverMedian(runs['1'], 'predictedTokens'), 0)} tokens decoded in about ${fmt(serverMedian(runs['1'], 'predictedMs'), 0)} ms, where a millisecond of timer jitter is several percent): median ${pct(med(fastAccuracy))}, worst ${pct(worst(fastAccuracy))}. Not held to the target.`
    )
  }
}

// 5. Memory: 4 KB answers, at two sizes, for the peak and the growth per sample.
const memorySizes = smoke ? [2, 5] : [50, 200]
log(`5. memory: ${memorySizes.join(' and ')} cases of ${longText.length}-character answers`)
const memory = await withServer(long, 1, 1, (server) =>
  alternate(
    memorySizes.map(String),
    (cases) => runModelgate(server, { suite: { cases: Number(cases), repeat: 1, code: true, maxTokens: 2048 }, entry: actionEntry, liveHeap: true })
  )
)
const [small, large] = memorySizes as [number, number]
const peakLarge = med(memory[String(large)]!.map((r) => r.maxRssMb))
const peakSmall = med(memory[String(small)]!.map((r) => r.maxRssMb))
const growthKb = ((peakLarge - peakSmall) * 1024) / (large - small)
const liveOf = (cases: number) => med(memory[String(cases)]!.map((r) => r.liveHeapMb ?? NaN))
const keptKb = ((liveOf(large) - liveOf(small)) * 1024) / (large - small)
const textKb = longText.length / 1024
rows.push(
  {
    item: '5. Memory',
    what: `peak RSS of the action, ${large} cases × 1 sample of ${fmt(textKb, 1)} KB, code checks on`,
    value: `${fmt(peakLarge, 0)} MB`,
    target: '≤ 100 MB',
    met: peakLarge <= 100,
    runs: memory[String(large)]
  },
  {
    item: '5. Memory',
    what: `peak RSS growth per sample, ${small} → ${large} cases (${fmt(peakSmall, 0)} → ${fmt(peakLarge, 0)} MB): the heap V8 lets grow before it collects`,
    value: `${fmt(growthKb, 1)} KB (${fmt(growthKb / textKb, 1)}× its text)`,
    target: '≤ 4× its text',
    met: growthKb <= 4 * textKb,
    runs: [...memory[String(small)]!, ...memory[String(large)]!]
  },
  {
    item: '5. Memory',
    what: `what the run keeps per sample: the live heap after a full collection at exit, ${small} → ${large} cases (${fmt(liveOf(small), 1)} → ${fmt(liveOf(large), 1)} MB)`,
    value: `${fmt(keptKb, 1)} KB (${fmt(keptKb / textKb, 1)}× its text)`,
    target: '≤ 4× its text',
    met: keptKb <= 4 * textKb,
    runs: [...memory[String(small)]!, ...memory[String(large)]!]
  }
)

// 6. Scaling: quality-only cases on the fast model, one slot. GitHub takes a job summary of up
// to 1 MiB per step.
const SUMMARY_LIMIT = 1024 * 1024
const scalingSizes = smoke ? [2, 5] : [10, 100, 1000]
log(`6. scaling: ${scalingSizes.join(', ')} cases`)
const scaling = await withServer(models.good, 1, 1, (server) =>
  alternate(scalingSizes.map(String), (cases) => runModelgate(server, { suite: { cases: Number(cases), repeat: 1, code: false }, entry: actionEntry }))
)
const scalingRows: { cases: number; wall: number; perCase: number; rss: number; resultsKb: number; report: number; summary: number }[] = []
for (const cases of scalingSizes) {
  const runs = scaling[String(cases)]!
  const last = runs[runs.length - 1]!
  const results = last.results!
  const resultsKb = Buffer.byteLength(JSON.stringify(results, null, 2)) / 1024
  const report = renderReport(results).length
  scalingRows.push({ cases, wall: med(runs.map((r) => r.wallMs)), perCase: med(runs.map(perRequestMs)), rss: med(runs.map((r) => r.maxRssMb)), resultsKb, report, summary: last.summaryChars ?? NaN })
}
const firstScale = scalingRows[0]!
const lastScale = scalingRows[scalingRows.length - 1]!
for (const s of scalingRows) {
  rows.push({
    item: '6. Scaling',
    what: `${s.cases} cases: wall ${fmt(s.wall / 1000, 2)} s; overhead per case, peak RSS, results file, comment, job summary`,
    value: `${fmt(s.perCase, 2)} ms, ${fmt(s.rss, 0)} MB, ${fmt(s.resultsKb, 0)} KB, ${s.report} chars, ${s.summary} chars`,
    target: `comment ≤ ${GITHUB_COMMENT_LIMIT} chars, summary ≤ ${SUMMARY_LIMIT} chars`,
    met: s.report <= GITHUB_COMMENT_LIMIT && s.summary <= SUMMARY_LIMIT,
    runs: scaling[String(s.cases)]
  })
}
rows.push({
  item: '6. Scaling',
  what: `overhead per case at ${lastScale.cases} ÷ at ${firstScale.cases} cases`,
  value: fmt(lastScale.perCase / firstScale.perCase, 2),
  target: '≤ 1 (linear or better)',
  met: lastScale.perCase <= firstScale.perCase
})

// 7. The peer, from the runs of item 1.
if (promptfoo) {
  const pf = overhead.promptfoo!
  const pfPerRequest = med(pf.map(perRequestMs))
  const mgRss = med(mg.map((r) => r.maxRssMb))
  const pfRss = med(pf.map((r) => r.maxRssMb))
  rows.push(
    { item: '7. Peer', what: `promptfoo ${PROMPTFOO_VERSION}: wall time ÷ server time`, value: fmt(med(pf.map((r) => r.wallMs / r.serverMs)), 3), target: 'reported', runs: pf },
    { item: '7. Peer', what: `promptfoo ${PROMPTFOO_VERSION}: overhead per request`, value: `${fmt(pfPerRequest, 2)} ms`, target: 'reported', runs: pf },
    {
      item: '7. Peer',
      what: "modelgate's overhead per request ÷ promptfoo's",
      value: fmt(mgPerRequest / pfPerRequest, 2),
      target: '≤ 0.1',
      met: mgPerRequest / pfPerRequest <= 0.1
    },
    {
      item: '7. Peer',
      what: `peak RSS: modelgate ${fmt(mgRss, 0)} MB, promptfoo ${fmt(pfRss, 0)} MB, the Python loop ${fmt(med(floor.map((r) => r.maxRssMb)), 0)} MB`,
      value: fmt(mgRss / pfRss, 2),
      target: '≤ 0.5',
      met: mgRss / pfRss <= 0.5
    }
  )
} else notes.push('No peer in this run (`--smoke` leaves promptfoo out; `--peer` puts it back).')

// ---------------------------------------------------------------------------------------------
// The report.

const busyRuns = rows.flatMap((r) => r.runs ?? []).filter((r, i, all) => all.indexOf(r) === i)
const busyCount = busyRuns.filter((r) => r.busy).length
// llama-server prints its version on stderr.
const llamaVersion = (() => {
  const run = spawnSync(llamaServer, ['--version'], { encoding: 'utf8' })
  return `${run.stdout}${run.stderr}`.split('\n').filter((l) => /^version|^built/.test(l)).join('; ') || 'unknown'
})()
const versions = {
  modelgate: MODELGATE_VERSION,
  node: execFileSync(node24, ['--version'], { encoding: 'utf8' }).trim(),
  python: execFileSync('python3', ['--version'], { encoding: 'utf8' }).trim()
}

// A row's id is its item and its place there: the same flags give the same rows.
const ids = rows.map((r, i) => `${r.item}#${rows.slice(0, i).filter((o) => o.item === r.item).length}`)
interface SavedRun {
  date: string
  /** What was measured: --name, else the bundles' folder. */
  dist: string
  rows: { id: string; what: string; value: string; met?: boolean }[]
}
const saved: SavedRun = { date: startedAt.toISOString(), dist: option('--name') ?? dist, rows: rows.map((r, i) => ({ id: ids[i]!, what: r.what, value: r.value, ...(r.met === undefined ? {} : { met: r.met }) })) }
const jsonOut = option('--json')
if (jsonOut) await writeFile(jsonOut, `${JSON.stringify(saved, null, 2)}\n`)
const beforePath = option('--before')
const before = beforePath ? (JSON.parse(readFileSync(beforePath, 'utf8')) as SavedRun) : undefined
const beforeOf = (i: number) => before?.rows.find((r) => r.id === ids[i])?.value ?? '–'
const table = [
  `| item | measure | ${before ? 'before | ' : ''}value | target | met |`,
  `|---|---|${before ? '---|' : ''}---|---|---|`,
  ...rows.map(
    (r, i) =>
      `| ${r.item} | ${r.what}${r.runs ? busyNote(r.runs) : ''} | ${before ? `${beforeOf(i)} | ` : ''}${r.value} | ${r.target} | ${r.met === undefined ? '' : r.met ? 'yes' : '**no**'} |`
  )
]
const markdown = `# Benchmarks

What modelgate costs beside the model it measures, against the smallest client that does the same
requests and against promptfoo. Written by \`npm run bench\` (\`scripts/bench.ts\`); every figure is
from the run below, the median of ${rounds} ${rounds === 1 ? 'run' : 'runs'}, alternated where two things are compared.
${smoke ? '\n**A smoke run: tiny sizes, one round. Its figures say only that the bench works.**\n' : ''}
${option('--dist') ? `- **Bundles measured:** ${dist}\n` : ''}${before ? `- **Before:** the same bench, run on ${before.dist} (${before.date.slice(0, 16).replace('T', ' ')} UTC, saved with \`--json\`)\n` : ''}- **Command:** \`npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}\`, ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${((Date.now() - startedAt.getTime()) / 60_000).toFixed(0)} min
- **Machine:** ${describeMachine()}; load average ${loadBefore} before, ${loadAverage()} after
- **Versions:** modelgate ${versions.modelgate}, Node ${versions.node} (the action's node24), llama-server ${llamaVersion}, ${versions.python}${promptfoo ? `, promptfoo ${PROMPTFOO_VERSION} (pinned with its lockfile, scripts/bench/promptfoo)` : ''}
- **Busy runs:** ${busyCount} of ${busyRuns.length} measured runs had another process take more than ${BUSY_SHARE * 100}% of the machine${busyCount ? ' (marked beside their figures)' : ''}

${table.join('\n')}

## How each figure is taken

- **The server and the models.** A real llama-server built from the llama.cpp that node-llama-cpp
  ships, serving the generated scripted models (\`scripts/gguf-writer.ts\`): the example's good
  answer (${fmt(tokens, 0)} tokens) from a "slow" model decoding at ${fmt(serverMedian(mg, 'tokensPerSecond'), 0)} tokens/s on one thread
  and a "fast" one at ${fmt(serverMedian(scaling[String(scalingSizes[0])]!, 'tokensPerSecond'), 0)} tokens/s, and a ${fmt(textKb, 1)} KB answer for the memory
  figure. Started with \`--metrics\`.
- **Overhead** (1): the whole process's wall time, from spawn to exit, of the bundled action in
  connect mode (as a workflow step runs it, under Node 24), less the server's own time for the
  measured requests (\`prompt_ms\` + \`predicted_ms\` from each sample's \`timings\`, which the
  results file keeps), over the number of requests. The warm-up request, start-up, the code
  checks and writing the report all count as overhead. The Python loop (\`scripts/bench/floor.py\`)
  sends the same request bodies one at a time and is timed the same way, its server time read
  from llama-server's \`/metrics\`: the floor any client pays here, most of it llama-server's own
  untimed work per request (HTTP, template, tokenising). promptfoo runs the same prompts, with
  \`contains\` for modelgate's checks, \`--no-cache -j 1 --repeat ${overheadSuite.repeat}\`, its OpenAI provider
  at the same server (not streamed; it does not ask for \`cache_prompt: false\`, so llama-server
  reuses its prompts), with telemetry and update checks off; its server time is from \`/metrics\` too.
- **Accuracy** (2): each sample's client-measured decode rate (tokens after the first over the
  time from the first to the last content chunk) against the server's \`predicted_per_second\`.
- **Start-up** (3): from spawning the process to the first bytes of its first request at the
  server, through a TCP relay; the suite has one case with code checks. "A fresh runner" gives
  each run an empty temporary folder, where Node keeps compiled code once modelgate turns its
  compile cache on; the warm figure keeps one across runs, as a self-hosted runner's does.
- **Concurrency** (4): llama-server with four slots (\`-np 4\`, two threads); whole-process wall
  time of ${concurrencySuite.cases} quality-only cases at \`concurrency: 4\` over the same at \`concurrency: 1\`.
- **Memory** (5): peak resident memory (\`VmHWM\`, written at exit by \`scripts/bench/peak-rss.mjs\`,
  preloaded with \`--import\`; not \`ru_maxrss\`, which Linux carries across exec from the spawning
  process) of the action's process, and, with \`--expose-gc\`, the heap that is still live after a
  full collection at exit: what the run really keeps, beside what V8 had not yet collected.
- **Scaling** (6): quality-only cases on the fast model, one slot; the results file's size as
  written, and the comment as \`renderReport\` makes it (cut to GitHub's limit when longer).
- **Busy:** \`/proc/stat\`'s busy time over a run, less the CPU time of the client, llama-server
  and the bench itself, over the machine's capacity (\`scripts/bench/machine.ts\`).

${notes.map((n) => `- ${n}`).join('\n')}
`
await writeFile(out, markdown)

const width = Math.max(...rows.map((r) => r.what.length))
for (const r of rows) process.stdout.write(`${r.met === undefined ? '    ' : r.met ? 'ok  ' : 'MISS'}  ${r.what.padEnd(width)}  ${r.value.padStart(24)}   ${r.target}\n`)
process.stdout.write(`\nwritten to ${out}${busyCount ? `; ${busyCount} of ${busyRuns.length} runs were busy` : ''}\n`)
await rm(dir, { recursive: true, force: true })
