// `modelgate check`: a case's checks on answers saved in files, without a model. A suite author
// writes a check before the model gives an answer they like, and reruns a failed gate's verdict
// from its results file; the checks are judged as the pipeline judges them and the report is the
// one the action prints.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { readBaselineFile } from '../baseline/file.js'
import { judgeCase, type Assertion } from '../checks/index.js'
import { tokensPerSecond, ttft } from '../checks/speed.js'
import { verdictOf } from '../gate.js'
import { createCliHost } from '../host/cli.js'
import type { RunHost } from '../host/types.js'
import { Input, parsePositiveNumber } from '../options.js'
import { assertionsWithFloor } from '../pipeline.js'
import type { CaseResult, RunResults, SampleResult } from '../results.js'
import { median } from '../stats.js'
import { displayPathOf, loadSuite, SuiteError, type Suite, type SuiteCase } from '../suite/index.js'
import { MODELGATE_VERSION } from '../version.js'
import { asCommand, Exit, flag, InputError, parseCommandArgs, parsedFlag, printReport, UsageError } from './shared.js'

const CHECK_USAGE = `Usage: modelgate check --suite FILE [--case ID] ANSWER_FILE...

Runs the checks of a suite's case on saved answers, without a model, and prints the report the
action prints for that case (Markdown) to stdout.
Each ANSWER_FILE is one sample of the case: a Markdown answer (code in fences) or a plain code
file. A file ending in .json is read as a results file a run wrote instead: its samples are
judged again with the suite's checks as they are now, every case it holds that the suite has,
or only --case.
Speed checks (tokens-per-second, ttft) are skipped for answer files, which hold no speed
figures; on a results file they are judged on the figures the run measured.
Exit status: 0 when every case checked passes, 1 when one fails, 2 on a usage error or a file
that cannot be read.

Options:
  --suite FILE                   suite YAML (required)
  --case ID                      the case to check (required for answer files)
  --min-tokens-per-second N      overrides the suite's floor, as for run
  -h, --help

Examples:
  modelgate check --suite modelgate/suite.yml --case update-user-status answer.md
  modelgate check --suite modelgate/suite.yml modelgate-results.json`

/** The speed checks, which need figures only a run measures. */
const SPEED_CHECKS: ReadonlySet<string> = new Set([tokensPerSecond.type, ttft.type])

/** The samples to judge for one case of the suite. */
interface CaseToCheck {
  suiteCase: SuiteCase
  samples: SampleResult[]
  /** Whether the samples carry a run's speed figures; answer files do not. */
  measured: boolean
}

export async function checkCommand(argv: string[]): Promise<number> {
  const host = createCliHost()
  return asCommand(CHECK_USAGE, host, async () => {
    const { values, positionals: files } = parseCommandArgs(
      argv,
      { suite: { type: 'string' }, case: { type: 'string' }, [Input.MinTokensPerSecond]: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      true
    )
    if (values.help) {
      process.stdout.write(`${CHECK_USAGE}\n`)
      return Exit.Pass
    }
    const suitePath = flag(values, 'suite')
    if (!suitePath) throw new UsageError('--suite is required')
    if (files.length === 0) throw new UsageError('name at least one answer file or results file')
    const floorOverride = parsedFlag(() => parsePositiveNumber(flag(values, Input.MinTokensPerSecond) ?? '', `--${Input.MinTokensPerSecond}`))
    const caseId = flag(values, 'case')
    const resultsFiles = files.filter((file) => file.toLowerCase().endsWith('.json'))
    if (resultsFiles.length > 0 && resultsFiles.length < files.length) throw new UsageError('name answer files or one results file (.json), not both')
    if (resultsFiles.length > 1) throw new UsageError('name one results file at a time')
    if (resultsFiles.length === 0 && !caseId) throw new UsageError('--case is required with answer files: name the case whose checks to run')
    const suite = await suiteAt(suitePath, host.workspace)
    const toCheck = resultsFiles[0] ? await fromResultsFile(resultsFiles[0], suite, caseId, host) : await fromAnswerFiles(files, suite, caseId!, host)

    const floor = floorOverride ?? suite.minTokensPerSecond
    const cases: CaseResult[] = []
    const skipped: string[] = []
    for (const { suiteCase, samples, measured } of toCheck) {
      const assertions = assertionsWithFloor(suiteCase, floor)
      const speed = measured ? [] : assertions.filter((a) => SPEED_CHECKS.has(a.type))
      if (speed.length) skipped.push(`${suiteCase.id} (${speed.map((a) => a.type).join(', ')})`)
      cases.push(await judged(suiteCase, measured ? assertions : assertions.filter((a) => !SPEED_CHECKS.has(a.type)), samples))
    }
    const results = resultsOf(suite, cases, skipped)
    printReport(results, host)
    return results.passed ? Exit.Pass : Exit.Fail
  })
}

/** The suite; its problems are an error of the input (exit 2), since nothing can be checked against a broken suite. */
async function suiteAt(suitePath: string, workspace: string): Promise<Suite> {
  const absolute = path.resolve(workspace, suitePath)
  try {
    return await loadSuite(absolute, displayPathOf(absolute, workspace), { optionLabel: '--suite' })
  } catch (error) {
    if (error instanceof SuiteError) throw new InputError(error.message)
    throw error
  }
}

function caseNamed(suite: Suite, id: string): SuiteCase {
  const found = suite.cases.find((c) => c.id === id)
  if (!found) throw new InputError(`${suite.path} has no case "${id}" (it has: ${suite.cases.map((c) => c.id).join(', ')})`)
  return found
}

/** An answer read from a file, as a sample that measured nothing. */
function answerSample(text: string, index: number): SampleResult {
  return {
    index,
    text,
    finishReason: null,
    usage: null,
    tokensPerSecond: null,
    tokensPerSecondSource: null,
    ttftMs: null,
    ttftSource: null,
    server: null,
    client: { ttftMs: null, tokensPerSecond: null, totalMs: 0, contentChunks: 0, unavailable: 'an answer read from a file' }
  }
}

async function fromAnswerFiles(files: string[], suite: Suite, caseId: string, host: RunHost): Promise<CaseToCheck[]> {
  const suiteCase = caseNamed(suite, caseId)
  const samples: SampleResult[] = []
  for (const [index, file] of files.entries()) {
    try {
      samples.push(answerSample(await readFile(path.resolve(host.workspace, file), 'utf8'), index))
    } catch (error) {
      throw new InputError(`answer file '${file}' cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
    }
    host.info(`${caseId} sample ${index + 1}: ${file}`)
  }
  return [{ suiteCase, samples, measured: false }]
}

async function fromResultsFile(file: string, suite: Suite, caseId: string | undefined, host: RunHost): Promise<CaseToCheck[]> {
  const { results } = await readBaselineFile(file, host.workspace, 'results file')
  const label = `results file '${file}'`
  if (caseId) {
    const suiteCase = caseNamed(suite, caseId)
    const run = results.cases.find((c) => c.id === caseId)
    if (!run) throw new InputError(`${label} has no case "${caseId}" (it has: ${results.cases.map((c) => c.id).join(', ') || 'none'})`)
    return [{ suiteCase, samples: run.samples, measured: true }]
  }
  const inSuite = results.cases.filter((c) => suite.cases.some((s) => s.id === c.id))
  for (const c of results.cases.filter((r) => !inSuite.includes(r))) host.warn(`case "${c.id}" of ${label} is not in ${suite.path}; not checked`)
  if (inSuite.length === 0) throw new InputError(`${label} holds none of the cases of ${suite.path}`)
  return inSuite.map((c) => ({ suiteCase: suite.cases.find((s) => s.id === c.id)!, samples: c.samples, measured: true }))
}

/** A case decided as the pipeline decides it: its checks over its samples, and the median figures. */
async function judged(suiteCase: SuiteCase, assertions: readonly Assertion[], samples: SampleResult[]): Promise<CaseResult> {
  // As the pipeline judges: the prompt names the functions under test when a check names none.
  const result = await judgeCase(suiteCase.id, assertions, samples, { messages: suiteCase.messages })
  const measured = samples.filter((s) => !s.error)
  return { ...result, tokensPerSecond: median(measured.map((s) => s.tokensPerSecond)), ttftMs: median(measured.map((s) => s.ttftMs)) }
}

/** The checked cases as a run's results, so the report renders them as it renders a run. */
function resultsOf(suite: Suite, cases: CaseResult[], skipped: string[]): RunResults {
  const verdict = verdictOf(cases, [], undefined, { failOn: 'any', failOnInconclusive: false })
  const note = skipped.length ? ` Speed checks skipped, as an answer file holds no speed figures: ${skipped.join('; ')}.` : ''
  const now = new Date().toISOString()
  return {
    schemaVersion: 1,
    passed: verdict.passed,
    reason: note && !verdict.reason.endsWith('.') ? `${verdict.reason}.${note}` : `${verdict.reason}${note}`,
    ...(verdict.failureKind ? { failureKind: verdict.failureKind } : {}),
    suite: { path: suite.path, ...(suite.name ? { name: suite.name } : {}) },
    startedAt: now,
    finishedAt: now,
    server: null,
    cases,
    tokensPerSecond: median(cases.flatMap((c) => c.samples.filter((s) => !s.error).map((s) => s.tokensPerSecond))),
    speedSource: null,
    errors: [],
    environment: { modelgateVersion: MODELGATE_VERSION, node: process.version, platform: process.platform, arch: process.arch }
  }
}
