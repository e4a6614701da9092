// The gate: from what was measured and compared, whether the step passes, and one line saying why.
import type { Comparison, SpeedDelta } from './compare/types.js'
import type { FailOn } from './options.js'
import type { CaseResult } from './results.js'

export interface GateOptions {
  failOn: FailOn
  failOnInconclusive: boolean
}

export interface Verdict {
  passed: boolean
  reason: string
}

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
export function verdictOf(cases: readonly CaseResult[], errors: readonly string[], comparison: Comparison | undefined, options: GateOptions): Verdict {
  const compared = comparison?.baseline === 'found' ? new Map(comparison.cases.map((c) => [c.id, c])) : undefined
  const onlyNew = options.failOn === 'new-failures' && compared !== undefined
  const failures: string[] = []
  const known: string[] = []
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
    if (counted.length > 0 || speed.length > 0) failures.push(`${c.id} (${[...counted, ...speed].join(', ')})`)
    const excused = failing.filter((type) => !counted.includes(type))
    if (excused.length > 0) known.push(`${c.id} (${excused.join(', ')})`)
  }
  const knownNote = known.length ? ` Known failures, also failing in the baseline: ${known.join('; ')}.` : ''
  if (errors.length > 0) return { passed: false, reason: `Stopped early: ${errors[0]}${failures.length ? `. Failed: ${failures.join('; ')}` : ''}` }
  if (failures.length > 0) return { passed: false, reason: `Failed: ${failures.join('; ')}${knownNote ? `.${knownNote}` : ''}` }
  if (cases.length === 0) return { passed: false, reason: 'No case was run.' }
  const inconclusive = comparison?.inconclusive ? ` ${plural(comparison.inconclusive, 'speed comparison')} stayed inconclusive.` : ''
  const allPassed = cases.every((c) => c.passed)
  return { passed: true, reason: `${allPassed ? `All ${plural(cases.length, 'case')} passed.` : 'No new failures.'}${knownNote}${inconclusive}` }
}
