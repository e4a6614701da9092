// One run, from suite file to results, shared by the action and the CLI: suite → server session
// → replay → checks → comparison with the baseline → gate. It never throws: a failure at any
// stage becomes an error in the results, and whatever was measured before it stays there.
import path from 'node:path'
import { findBaseline, saveBaseline, suiteKeyOf, type BaselineKeys, type FoundBaseline } from './baseline/index.js'
import { readBaselineFile } from './baseline/file.js'
import { judgeCase, type Assertion } from './checks/index.js'
import { compareCase, compareRuns, incomparability, withoutBaseline } from './compare/index.js'
import { needsMoreSamples } from './compare/speed.js'
import type { Comparison } from './compare/types.js'
import { fingerprintOf, type Fingerprint } from './environment/fingerprint.js'
import { readMachineFacts } from './environment/machine.js'
import { verdictOf } from './gate.js'
import { CancelledError } from './host/cancel.js'
import type { RunHost } from './host/types.js'
import { Input, State, type RunOptions } from './options.js'
import { replayCases, replayMore, serverSlots, type ReplayTarget } from './replay.js'
import type { CaseResult, FigureSource, ReplaySchedule, RunResults, SampleResult, ServerReport } from './results.js'
import { driverOf } from './server/registry.js'
import { ServerStartError, type ServerSession } from './server/types.js'
import { casesOfShard, shardName } from './shard/select.js'
import { formatFigure, median } from './stats.js'
import { displayPathOf, loadSuite, type Suite, type SuiteCase } from './suite/index.js'
import { MODELGATE_VERSION } from './version.js'

/** The line each measured sample gets in the log, in the action and the CLI alike. */
export function sampleProgressLine(suiteCase: SuiteCase, sample: SampleResult, total = suiteCase.repeat): string {
  return `${suiteCase.id} sample ${sample.index + 1}/${total}: ${formatFigure(sample.tokensPerSecond)} tokens/s${sample.error ? `, failed: ${sample.error}` : ''}`
}

/** A sample's line, in the case's group of the log where the host keeps one. */
function say(host: RunHost, suiteCase: SuiteCase, sample: SampleResult, total: number): void {
  const line = sampleProgressLine(suiteCase, sample, total)
  if (host.sampleLine) host.sampleLine(suiteCase.id, line, sample.index + 1 >= total)
  else host.info(line)
}

/** Samples a speed case takes when the suite does not say: as llama-bench does. */
export const SPEED_CASE_REPEAT = 5
// More samples for an inconclusive speed comparison come in steps of this many.
const MORE_SAMPLES_STEP = 5

/** A case whose figures are checked: it takes more samples, and each runs with nothing else in flight. */
const isSpeedCase = (assertions: readonly Assertion[]) => assertions.some((a) => a.type === 'tokens-per-second' || a.type === 'ttft')

/** The speed floor a case is held to: its own check, else the input's, else the suite's. */
export function assertionsWithFloor(suiteCase: SuiteCase, floor: number | undefined): Assertion[] {
  const hasOwn = suiteCase.assertions.some((a) => a.type === 'tokens-per-second')
  return hasOwn || floor === undefined ? suiteCase.assertions : [...suiteCase.assertions, { type: 'tokens-per-second', min: floor }]
}

/** Which source the figures of these samples came from, for `speedSource`. */
export function speedSourceOf(samples: SampleResult[]): RunResults['speedSource'] {
  const sources = new Set(samples.map((s) => s.tokensPerSecondSource).filter((s): s is FigureSource => s !== null))
  if (sources.size === 0) return null
  return sources.size === 1 ? [...sources][0]! : 'mixed'
}

/** Where this process runs, for `environment`: the run that wrote the results. */
export function environmentOf(): RunResults['environment'] {
  const env = process.env
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com'
  return {
    modelgateVersion: MODELGATE_VERSION,
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    ...(env.RUNNER_NAME ? { runner: env.RUNNER_NAME } : {}),
    ...(env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {}),
    ...(env.GITHUB_SHA ? { sha: env.GITHUB_SHA } : {}),
    ...(env.GITHUB_REF ? { ref: env.GITHUB_REF } : {}),
    ...(env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? { runUrl: `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` } : {})
  }
}

/**
 * The results of a run that never started because its options were wrong: the error, so the
 * results file exists in every outcome, as the README promises. A shard says which it was, so
 * the merge names it as failed rather than missing.
 */
export function resultsOfBadInput(suitePath: string, message: string, part: Pick<RunResults, 'label' | 'shard'> = {}): RunResults {
  const now = new Date().toISOString()
  return {
    schemaVersion: 1,
    passed: false,
    reason: `Stopped early: ${message}`,
    suite: { path: suitePath },
    startedAt: now,
    finishedAt: now,
    server: null,
    cases: [],
    tokensPerSecond: null,
    speedSource: null,
    errors: [message],
    failureKind: 'infrastructure',
    ...part,
    environment: environmentOf()
  }
}

export async function runPipeline(options: RunOptions, host: RunHost): Promise<RunResults> {
  const startedAt = new Date().toISOString()
  const workspace = host.workspace
  const absoluteSuite = path.resolve(workspace, options.suitePath)
  const errors: string[] = []
  let suite: Suite | undefined
  let session: ServerSession | undefined
  const cases: CaseResult[] = []
  let failedStart: ServerReport | undefined
  let baseline: FoundBaseline | undefined
  /** What a cancellation cut, once said: the sentence the verdict gives. */
  let cancelled: string | undefined
  let fingerprint: Fingerprint | undefined
  let keys: BaselineKeys | undefined
  let schedule: ReplaySchedule | undefined
  // The suite's cases this run replays: a shard's, else all of them.
  let planned: SuiteCase[] = []
  const machine = readMachineFacts().catch(() => undefined)

  try {
    suite = await loadSuite(absoluteSuite, displayPathOf(absoluteSuite, workspace), { optionLabel: host.optionLabel(Input.Suite) })
    planned = options.shard ? casesOfShard(suite.cases, options.shard) : suite.cases
    if (options.shard) host.info(`Shard ${shardName(options.shard)}: ${planned.length} of the suite's ${suite.cases.length} cases${planned.length ? ` (${planned.map((c) => c.id).join(', ')})` : ''}`)
    const facts = await machine
    fingerprint = facts ? fingerprintOf(facts) : undefined
    // Each shard keeps a baseline of its own cases: one whole-suite key would hold whichever shard saved last.
    const suiteKey = suiteKeyOf(options.shard ? `${suite.path} shard ${shardName(options.shard)}` : suite.path)
    keys = { suite: suiteKey, machine: fingerprint?.machineHash ?? 'unknown' }
    if (planned.length === 0) throw new NothingToRun()
    // Looked up while the server loads its model; a bad baseline file is said once the samples are in.
    const lookup = lookForBaseline(options, host, keys).then(
      (found) => ({ found, error: undefined }),
      (error: unknown) => ({ found: undefined, error: (error as Error).message })
    )
    const backend = options.backend ?? suite.server.backend ?? 'connect'
    host.info(`Starting ${backend} session`)
    host.saveState(State.Backend, backend)
    session = await driverOf(backend).start({
      host,
      options: options.backends[backend],
      server: suite.server,
      model: options.model ?? suite.server.model,
      apiKey: options.apiKey,
      readyTimeoutMs: options.serverTimeoutMs,
      modelBaseDir: options.model ? workspace : path.dirname(absoluteSuite),
      suitePath: suite.path
    })
    host.info(`Replaying ${planned.length} cases against ${session.model} at ${session.baseUrl}`)
    const target: ReplayTarget = {
      baseUrl: session.baseUrl,
      apiKey: session.apiKey,
      model: session.model,
      engine: session.engine,
      requestTimeoutMs: options.requestTimeoutMs,
      readyTimeoutMs: options.serverTimeoutMs
    }
    const floor = options.minTokensPerSecond ?? suite.minTokensPerSecond
    const assertionsOf = (suiteCase: SuiteCase) => assertionsWithFloor(suiteCase, floor)
    // A baseline is what every later run is held to: it takes max-repeat samples of a speed case,
    // so a comparison's interval is narrow on its side and a slowdown shows after a few samples.
    const speedRepeat = savesBaseline(options, host) ? options.maxRepeat : SPEED_CASE_REPEAT
    const repeatOf = (suiteCase: SuiteCase) => (!suiteCase.repeatGiven && isSpeedCase(assertionsOf(suiteCase)) ? speedRepeat : suiteCase.repeat)
    const runsAlone = (suiteCase: SuiteCase) => isSpeedCase(assertionsOf(suiteCase))
    schedule = await scheduleOf(options, target, planned, runsAlone)
    if (schedule.concurrency > 1 && schedule.sharedCases > 0) {
      const alone = schedule.aloneCases ? `; each sample of the ${schedule.aloneCases} speed ${schedule.aloneCases === 1 ? 'case' : 'cases'} alone` : ''
      host.info(`Up to ${schedule.concurrency} samples at a time for the ${schedule.sharedCases} cases without a speed check${alone}`)
    }
    const progress = { onWait: (message: string) => host.info(message), signal: host.cancelled }
    const onSample = (suiteCase: SuiteCase, sample: SampleResult) => say(host, suiteCase, sample, repeatOf(suiteCase))
    const replay = await replayCases(target, planned, { ...progress, onSample }, repeatOf, { concurrency: schedule.concurrency, runsAlone })
    if (replay.abortedBy) errors.push(replay.abortedBy)
    if (host.cancelled.aborted) errors.push((cancelled = cancelledMessage(host.cancelled, replay.samples, planned, repeatOf)))
    const judge = async (suiteCase: SuiteCase, samples: SampleResult[]): Promise<CaseResult> => {
      // The prompt tells the code checks which functions are under test when a check names none.
      const judged = await judgeCase(suiteCase.id, assertionsOf(suiteCase), samples, { messages: suiteCase.messages })
      const measured = samples.filter((s) => !s.error)
      return { ...judged, tokensPerSecond: median(measured.map((s) => s.tokensPerSecond)), ttftMs: median(measured.map((s) => s.ttftMs)) }
    }
    for (const suiteCase of planned) {
      // A sample cut off by cancellation measured nothing.
      const samples = (replay.samples.get(suiteCase.id) ?? []).filter((s) => s.errorKind !== 'cancelled')
      // A case the run never reached has nothing to judge: it is listed as not run, and the error says why.
      if (samples.length === 0 && (replay.abortedBy || host.cancelled.aborted)) continue
      cases.push(await judge(suiteCase, samples))
    }
    const looked = await lookup
    if (looked.error) errors.push(looked.error)
    baseline = looked.found
    if (baseline && incomparability(baseline.results, fingerprint).length === 0 && !replay.abortedBy && !host.cancelled.aborted) {
      const error = await sampleUntilDecided(suite, cases, baseline, options, host, target, judge)
      if (error) errors.push(error)
    }
  } catch (error) {
    if (!(error instanceof NothingToRun)) errors.push((error as Error).message)
    if (error instanceof CancelledError) cancelled = error.message
    if (error instanceof ServerStartError) failedStart = error.report
  } finally {
    if (session) await session.stop()
  }
  // Cancelled after the last sample (while judging or stopping): said once, like any other stop.
  if (host.cancelled.aborted && cancelled === undefined) errors.push((cancelled = `cancelled by ${String(host.cancelled.reason)}`))

  const samples = cases.flatMap((c) => c.samples.filter((s) => !s.error))
  const results: RunResults = {
    schemaVersion: 1,
    passed: false,
    reason: '',
    suite: { path: suite?.path ?? options.suitePath, ...(suite?.name ? { name: suite.name } : {}) },
    startedAt,
    finishedAt: new Date().toISOString(),
    server: session?.report() ?? failedStart ?? null,
    cases,
    tokensPerSecond: median(samples.map((s) => s.tokensPerSecond)),
    speedSource: speedSourceOf(samples),
    errors,
    ...(host.cancelled.aborted ? { cancelled: { signal: String(host.cancelled.reason), at: new Date().toISOString() } } : {}),
    ...(suite && cases.length < planned.length ? { notRun: planned.filter((c) => !cases.some((r) => r.id === c.id)).map((c) => c.id) } : {}),
    ...(fingerprint ? { fingerprint } : {}),
    ...(options.label ? { label: options.label } : {}),
    ...(options.shard ? { shard: options.shard } : {}),
    ...(schedule ? { schedule } : {}),
    environment: environmentOf()
  }
  const saving = shouldSave(options, host, errors)
  const comparison = saving ? undefined : compareWithBaseline(results, baseline, options, Boolean(host.baselines?.stores.length))
  if (comparison) results.comparison = comparison
  // A shard may hold none of a small suite's cases: it passes, having nothing to judge.
  const nothingToRun = suite && options.shard && planned.length === 0 ? `Shard ${shardName(options.shard)} holds none of the suite's ${suite.cases.length} cases; nothing to run.` : undefined
  const verdict = verdictOf(cases, errors, comparison, options, { ...(cancelled ? { cancelled } : {}), notRun: results.notRun?.length ?? 0, ...(nothingToRun ? { nothingToRun } : {}) })
  results.passed = verdict.passed
  results.reason = verdict.reason
  if (verdict.failureKind) results.failureKind = verdict.failureKind
  if (keys && saving && planned.length > 0) {
    const saved = await saveBaseline(host.baselines?.stores ?? [], results, keys, host)
    if (saved.length > 0) host.info(`Saved this run as the baseline (${saved.join(', ')})`)
    else if (!host.baselines?.stores.length) host.warn(`${host.optionLabel(Input.Baseline)} 'save': there is nowhere to keep a baseline here (no Actions cache, no runner)`)
  }
  return results
}

/** Ends a run before any server starts: the shard holds none of the suite's cases. */
class NothingToRun extends Error {}

/**
 * How many samples may be in flight: the option, else the server's slots, else 1. A case with a
 * speed check (a suite floor gives every case one) runs alone whatever the number.
 */
async function scheduleOf(options: RunOptions, target: ReplayTarget, planned: readonly SuiteCase[], runsAlone: (c: SuiteCase) => boolean): Promise<ReplaySchedule> {
  const slots = options.concurrency === undefined ? await serverSlots(target) : undefined
  const aloneCases = planned.filter(runsAlone).length
  return {
    concurrency: options.concurrency ?? slots ?? 1,
    concurrencySource: options.concurrency !== undefined ? 'option' : slots !== undefined ? 'server' : 'default',
    aloneCases,
    sharedCases: planned.length - aloneCases
  }
}

/** "cancelled by SIGINT after 13 of 15 samples; what was measured is kept" */
function cancelledMessage(signal: AbortSignal, samples: ReadonlyMap<string, SampleResult[]>, cases: readonly SuiteCase[], repeatOf: (c: SuiteCase) => number): string {
  const taken = [...samples.values()].flat().filter((s) => s.errorKind !== 'cancelled').length
  const planned = cases.reduce((n, c) => n + repeatOf(c), 0)
  return `cancelled by ${String(signal.reason)} after ${taken} of ${planned} samples; what was measured is kept`
}

/** Whether this run means to be the baseline (the default branch's, or `baseline: save`). */
function savesBaseline(options: RunOptions, host: RunHost): boolean {
  if (options.baselineFile) return false
  return options.baseline === 'save' || (options.baseline === 'auto' && host.baselines?.onDefaultBranch === true)
}

/** A run that saves the baseline is what others compare with, not compared itself. */
function shouldSave(options: RunOptions, host: RunHost, errors: readonly string[]): boolean {
  // A run that stopped early measured too little to be what later runs are held to.
  return errors.length === 0 && savesBaseline(options, host)
}

async function lookForBaseline(options: RunOptions, host: RunHost, keys: BaselineKeys): Promise<FoundBaseline | undefined> {
  if (options.baselineFile) return readBaselineFile(options.baselineFile, host.workspace, host.optionLabel(Input.BaselineFile))
  if (options.baseline !== 'auto' || host.baselines?.onDefaultBranch) return undefined
  return findBaseline(host.baselines?.stores ?? [], keys, host)
}

function compareWithBaseline(results: RunResults, baseline: FoundBaseline | undefined, options: RunOptions, hasStores: boolean): Comparison | undefined {
  if (options.baseline === 'off' && !options.baselineFile) return undefined
  if (!baseline) {
    // Where no baseline can be kept (a local run without --baseline-file) there is nothing to miss.
    if (results.errors.length > 0 || (!hasStores && !options.baselineFile)) return undefined
    return withoutBaseline('missing', 'no baseline for this suite and environment yet')
  }
  return compareRuns(results, baseline.results, baseline.info, { maxSpeedRegressionPercent: options.maxSpeedRegressionPercent })
}

/**
 * Takes more samples of the speed cases whose comparison with the baseline is still
 * inconclusive, up to `max-repeat`, and judges them again. Gives the error that stopped it, if any.
 */
async function sampleUntilDecided(
  suite: Suite,
  cases: CaseResult[],
  baseline: FoundBaseline,
  options: RunOptions,
  host: RunHost,
  target: ReplayTarget,
  judge: (suiteCase: SuiteCase, samples: SampleResult[]) => Promise<CaseResult>
): Promise<string | undefined> {
  const before = new Map(baseline.results.cases.map((c) => [c.id, c]))
  for (const [index, current] of cases.entries()) {
    const suiteCase = suite.cases.find((c) => c.id === current.id)
    const then = before.get(current.id)
    if (!suiteCase || !then) continue
    let result = current
    for (;;) {
      const compared = compareCase(then, result, { maxSpeedRegressionPercent: options.maxSpeedRegressionPercent })
      const undecided = [compared.tokensPerSecond, compared.ttft].some((delta) => delta && needsMoreSamples(delta, result.samples.length, options.maxRepeat))
      if (!undecided) break
      const count = Math.min(MORE_SAMPLES_STEP, options.maxRepeat - result.samples.length)
      const total = result.samples.length + count
      host.info(`${current.id}: speed against the baseline is not decided yet; taking ${count} more samples`)
      const more = await replayMore(target, suiteCase, result.samples.length, count, {
        signal: host.cancelled,
        onSample: (c, sample) => say(host, c, sample, total)
      })
      // A sample cut off by cancellation measured nothing; the pipeline says the run was cancelled.
      result = await judge(suiteCase, [...result.samples, ...more.samples.filter((s) => s.errorKind !== 'cancelled')])
      cases[index] = result
      if (more.abortedBy) return more.abortedBy
      if (more.cancelled) return undefined
    }
  }
  return undefined
}
