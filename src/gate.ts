// The gate: from what was measured and compared, whether the step passes, and one line saying why.
import type { Comparison, SpeedDelta } from './compare/types.js'
import type { FailOn } from './options.js'
import type { CaseResult, FailureKind } from './results.js'

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
  cancelled: boolean
  /** Cases of the suite the run never reached. */
  notRun: number
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
  end: RunEnd = { cancelled: false, notRun: 0 }
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
    const first = errors.find((e) => e.startsWith('cancelled')) ?? 'cancelled'
    return { passed: false, reason: `${first[0]!.toUpperCase()}${first.slice(1)}${notRun}${failedAlso}`, failureKind: 'cancelled' }
  }
  if (errors.length > 0) return { passed: false, reason: `Stopped early: ${errors[0]}${notRun}${failedAlso}`, failureKind: 'infrastructure' }
  if (failures.length > 0) {
    const failureKind: FailureKind = infrastructure ? 'infrastructure' : quality ? 'quality' : 'speed'
    return { passed: false, reason: `Failed: ${failures.join('; ')}${knownNote ? `.${knownNote}` : ''}`, failureKind }
  }
  if (cases.length === 0) return { passed: false, reason: 'No case was run.', failureKind: 'infrastructure' }
  const inconclusive = comparison?.inconclusive ? ` ${plural(comparison.inconclusive, 'speed comparison')} stayed inconclusive.` : ''
  const allPassed = cases.every((c) => c.passed)
  return { passed: true, reason: `${allPassed ? `All ${plural(cases.length, 'case')} passed.` : 'No new failures.'}${knownNote}${inconclusive}` }
}
