// The gate: from what was measured and compared, whether the step passes, and one line saying why.
import type { Comparison, SpeedDelta } from './compare/types.js'
import type { FailOn } from './options.js'
import type { CaseResult, FailureKind } from './results.js'
import { formatFigure } from './stats.js'

export interface GateOptions {
  failOn: FailOn
  failOnInconclusive: boolean
}

export interface Verdict {
  passed: boolean
  reason: string
  /** Set when the gate failed. */
  failureKind?: FailureKind
}

/** How the run ended, beside what it measured. */
export interface RunEnd {
  /** Set when the run was cancelled: what was cut, as the run says it ("cancelled by SIGINT after …"). */
  cancelled?: string
  /** Cases of the suite the run never reached. */
  notRun: number
  /** Set when the run had no case to replay, and why that is a pass (a shard of a small suite). */
  nothingToRun?: string
}

const SPEED_CHECKS = new Set(['tokens-per-second', 'ttft'])
// Failures of the server or the network, not of the model's answer.
const INFRASTRUCTURE_ERRORS = new Set(['timeout', 'connection', 'http', 'stream'])

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

// The reason of a slower verdict already ends in "slower, …"; an undecided one says why it is open.
function speedNote(what: string, delta: SpeedDelta): string {
  return delta.verdict === 'inconclusive' ? `${what} inconclusive, ${delta.reason}` : `${what} ${delta.reason}`
}

/**
 * Fails on a stopped run, on failing checks (with `new-failures`, only those the baseline passed,
 * when there is a comparable baseline), on a confirmed speed regression, and on an inconclusive
 * speed comparison only when asked to.
 */
export function verdictOf(
  cases: readonly CaseResult[],
  errors: readonly string[],
  comparison: Comparison | undefined,
  options: GateOptions,
  end: RunEnd = { notRun: 0 }
): Verdict {
  const compared = comparison?.baseline === 'found' ? new Map(comparison.cases.map((c) => [c.id, c])) : undefined
  const onlyNew = options.failOn === 'new-failures' && compared !== undefined
  const failures: string[] = []
  const known: string[] = []
  let quality = false
  let infrastructure = false
  for (const c of cases) {
    const failing = [...new Set(c.checks.filter((check) => !check.passed).map((check) => check.type))]
    const delta = compared?.get(c.id)
    const newlyFailing = delta ? [...new Set(delta.checks.filter((check) => check.delta === 'new-failure').map((check) => check.type))] : failing
    const counted = onlyNew ? newlyFailing : failing
    const figures: [string, SpeedDelta | undefined][] = [
      ['tokens/s', delta?.tokensPerSecond],
      ['time to first token', delta?.ttft]
    ]
    const speed = figures
      .filter(([, d]) => d && (d.verdict === 'slower' || (options.failOnInconclusive && d.verdict === 'inconclusive')))
      .map(([what, d]) => speedNote(what, d!))
    if (counted.length > 0 || speed.length > 0) {
      failures.push(`${c.id} (${[...counted, ...speed].join(', ')})`)
      // A check that failed because the server never answered says nothing about the model.
      if (c.samples.some((s) => s.errorKind && INFRASTRUCTURE_ERRORS.has(s.errorKind))) infrastructure = true
      // Otherwise only speed failed: the kind is speed unless another case says otherwise.
      else if (counted.some((type) => !SPEED_CHECKS.has(type))) quality = true
    }
    const excused = failing.filter((type) => !counted.includes(type))
    if (excused.length > 0) known.push(`${c.id} (${excused.join(', ')})`)
  }
  const knownNote = known.length ? ` Known failures, also failing in the baseline: ${known.join('; ')}.` : ''
  const failedAlso = failures.length ? `. Failed: ${failures.join('; ')}` : ''
  // Said only when some cases ran: when none did, the first error says why.
  const notRun = end.notRun && cases.length > 0 ? `; ${plural(end.notRun, 'case')} not run` : ''
  if (end.cancelled) {
    return { passed: false, reason: `${end.cancelled[0]!.toUpperCase()}${end.cancelled.slice(1)}${notRun}${failedAlso}`, failureKind: 'cancelled' }
  }
  if (errors.length > 0) return { passed: false, reason: `Stopped early: ${errors[0]}${notRun}${failedAlso}`, failureKind: 'infrastructure' }
  if (failures.length > 0) {
    const failureKind: FailureKind = infrastructure ? 'infrastructure' : quality ? 'quality' : 'speed'
    return { passed: false, reason: `Failed: ${failures.join('; ')}${knownNote ? `.${knownNote}` : ''}`, failureKind }
  }
  if (cases.length === 0 && end.nothingToRun) return { passed: true, reason: end.nothingToRun }
  if (cases.length === 0) return { passed: false, reason: 'No case was run.', failureKind: 'infrastructure' }
  const inconclusive = comparison?.inconclusive ? ` ${plural(comparison.inconclusive, 'speed comparison')} stayed inconclusive.` : ''
  const allPassed = cases.every((c) => c.passed)
  return { passed: true, reason: `${allPassed ? `All ${plural(cases.length, 'case')} passed.` : 'No new failures.'}${knownNote}${inconclusive}` }
}

/** One run of a comparison, merged: its name, its verdict and its median decode rate. */
export interface ComparedRun {
  label: string
  passed: boolean
  reason: string
  failureKind?: FailureKind
  tokensPerSecond: number | null
}

/**
 * The best of the compared runs: the fastest median decode rate among those that passed every
 * case. A passing run that measured no rate comes after every one that did.
 */
export function bestOf(runs: readonly ComparedRun[]): ComparedRun | undefined {
  const rate = (run: ComparedRun) => run.tokensPerSecond ?? -Infinity
  return runs.filter((run) => run.passed).reduce<ComparedRun | undefined>((best, run) => (best === undefined || rate(run) > rate(best) ? run : best), undefined)
}

/** Which failure says most about a comparison: one of the infrastructure first, as it leaves figures missing. */
const FAILURE_ORDER: FailureKind[] = ['infrastructure', 'cancelled', 'quality', 'speed']

/**
 * A comparison passes when every compared run passed its own gate, as each would alone; the
 * reason names each that failed, and the best run.
 */
export function comparisonVerdict(runs: readonly ComparedRun[]): Verdict {
  const failed = runs.filter((run) => !run.passed)
  const best = bestOf(runs)
  const rate = best?.tokensPerSecond ?? null
  const bestNote = best ? ` Best: ${best.label}${rate !== null ? `, ${formatFigure(rate)} tokens/s` : ''}.` : ' No model passed every case.'
  if (failed.length === 0) return { passed: true, reason: `All ${plural(runs.length, 'model')} passed every case.${bestNote}` }
  const kinds = new Set(failed.map((run) => run.failureKind))
  const failureKind = FAILURE_ORDER.find((kind) => kinds.has(kind)) ?? 'quality'
  const each = failed.map((run) => `${run.label}: ${run.reason.replace(/\.$/, '')}.`).join(' ')
  return { passed: false, reason: `${failed.length} of ${plural(runs.length, 'model')} failed. ${each}${bestNote}`, failureKind }
}
