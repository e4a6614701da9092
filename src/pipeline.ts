// One run, from suite file to results, shared by the action and the CLI: suite → server session
// → replay → checks → results. It never throws: a failure at any stage becomes an error in the
// results, and whatever was measured before it stays there.
import path from 'node:path'
import { judgeCase, type Assertion } from './checks/index.js'
import type { RunHost } from './host/types.js'
import { Input, State, type RunOptions } from './options.js'
import { replayCases } from './replay.js'
import type { CaseResult, FigureSource, RunResults, SampleResult, ServerReport } from './results.js'
import { driverOf } from './server/registry.js'
import { ServerStartError, type ServerSession } from './server/types.js'
import { formatFigure, median } from './stats.js'
import { displayPathOf, loadSuite, type Suite, type SuiteCase } from './suite/index.js'
import { MODELGATE_VERSION } from './version.js'

/** The line each measured sample gets in the log, in the action and the CLI alike. */
export function sampleProgressLine(suiteCase: SuiteCase, sample: SampleResult): string {
  return `${suiteCase.id} sample ${sample.index + 1}/${suiteCase.repeat}: ${formatFigure(sample.tokensPerSecond)} tokens/s${sample.error ? `, failed: ${sample.error}` : ''}`
}

/** The speed floor a case is held to: its own check, else the input's, else the suite's. */
export function assertionsWithFloor(suiteCase: SuiteCase, floor: number | undefined): Assertion[] {
  const hasOwn = suiteCase.assertions.some((a) => a.type === 'tokens-per-second')
  return hasOwn || floor === undefined ? suiteCase.assertions : [...suiteCase.assertions, { type: 'tokens-per-second', min: floor }]
}

function speedSourceOf(samples: SampleResult[]): RunResults['speedSource'] {
  const sources = new Set(samples.map((s) => s.tokensPerSecondSource).filter((s): s is FigureSource => s !== null))
  if (sources.size === 0) return null
  return sources.size === 1 ? [...sources][0]! : 'mixed'
}

export function reasonOf(cases: CaseResult[], errors: string[]): string {
  const failed = cases.filter((c) => !c.passed)
  const failures = failed.map((c) => {
    const checks = [...new Set(c.checks.filter((k) => !k.passed).map((k) => k.type))]
    return `${c.id} (${checks.join(', ')})`
  })
  if (errors.length > 0) {
    return `Stopped early: ${errors[0]}${failures.length ? `. Failed: ${failures.join('; ')}` : ''}`
  }
  if (failed.length > 0) return `Failed: ${failures.join('; ')}`
  return `All ${cases.length} case${cases.length === 1 ? '' : 's'} passed.`
}

function environmentOf(): RunResults['environment'] {
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

export async function runPipeline(options: RunOptions, host: RunHost): Promise<RunResults> {
  const startedAt = new Date().toISOString()
  const workspace = host.workspace
  const absoluteSuite = path.resolve(workspace, options.suitePath)
  const errors: string[] = []
  let suite: Suite | undefined
  let session: ServerSession | undefined
  const cases: CaseResult[] = []
  let failedStart: ServerReport | undefined

  try {
    suite = await loadSuite(absoluteSuite, displayPathOf(absoluteSuite, workspace), { optionLabel: host.optionLabel(Input.Suite) })
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
    host.info(`Replaying ${suite.cases.length} cases against ${session.model} at ${session.baseUrl}`)
    const replay = await replayCases(
      { baseUrl: session.baseUrl, apiKey: session.apiKey, model: session.model, engine: session.engine, requestTimeoutMs: options.requestTimeoutMs },
      suite.cases,
      { onSample: (suiteCase, sample) => host.info(sampleProgressLine(suiteCase, sample)) }
    )
    if (replay.abortedBy) errors.push(replay.abortedBy)
    const floor = options.minTokensPerSecond ?? suite.minTokensPerSecond
    for (const suiteCase of suite.cases) {
      const samples = replay.samples.get(suiteCase.id) ?? []
      // A case the run never reached has nothing to judge; the error already says why.
      if (samples.length === 0 && replay.abortedBy) continue
      const judged = await judgeCase(suiteCase.id, assertionsWithFloor(suiteCase, floor), samples)
      const measured = samples.filter((s) => !s.error)
      cases.push({ ...judged, tokensPerSecond: median(measured.map((s) => s.tokensPerSecond)), ttftMs: median(measured.map((s) => s.ttftMs)) })
    }
  } catch (error) {
    errors.push((error as Error).message)
    if (error instanceof ServerStartError) failedStart = error.report
  } finally {
    if (session) await session.stop()
  }

  const samples = cases.flatMap((c) => c.samples.filter((s) => !s.error))
  return {
    schemaVersion: 1,
    passed: errors.length === 0 && cases.length > 0 && cases.every((c) => c.passed),
    reason: reasonOf(cases, errors),
    suite: { path: suite?.path ?? options.suitePath, ...(suite?.name ? { name: suite.name } : {}) },
    startedAt,
    finishedAt: new Date().toISOString(),
    server: session?.report() ?? failedStart ?? null,
    cases,
    tokensPerSecond: median(samples.map((s) => s.tokensPerSecond)),
    speedSource: speedSourceOf(samples),
    errors,
    environment: environmentOf()
  }
}
