// The comparison stage: this run beside its baseline. Quality per check (newly failing, fixed,
// still failing), speed per case with the noise-aware verdict of speed.ts, and whether the
// answer drifted. Pure: the baseline is found by baseline/ and the verdict drawn by the gate.
import { createTwoFilesPatch } from 'diff'
import { machineDifferences, serverChanges, type Fingerprint } from '../environment/fingerprint.js'
import type { CaseResult, CheckResult, RunResults, SampleResult } from '../results.js'
import { median } from '../stats.js'
import { compareSamples } from './speed.js'
import type { BaselineInfo, CaseComparison, CheckDelta, Comparison, SpeedDelta } from './types.js'

export interface CompareOptions {
  /** A drop larger than this, in percent, that the statistics also confirm, is a regression. */
  maxSpeedRegressionPercent: number
}

/** `error-codes#0`, `regex#1`: a check of a case, matched by type and its place among checks of that type. */
function checkKeys(checks: readonly CheckResult[]): Map<string, CheckResult> {
  const keyed = new Map<string, CheckResult>()
  const seen = new Map<string, number>()
  for (const check of checks) {
    if (check.type === 'request') {
      // Failed requests are one check however many samples failed.
      if (!keyed.has('request')) keyed.set('request', check)
      continue
    }
    const n = seen.get(check.type) ?? 0
    seen.set(check.type, n + 1)
    keyed.set(`${check.type}#${n}`, check)
  }
  return keyed
}

function deltaOf(before: CheckResult | undefined, now: CheckResult): CheckDelta {
  if (now.passed) return before && !before.passed ? 'fixed' : 'passing'
  return before && !before.passed ? 'known-failure' : 'new-failure'
}

const measured = (samples: readonly SampleResult[]) => samples.filter((sample) => !sample.error)
const figures = (samples: readonly SampleResult[], pick: (sample: SampleResult) => number | null) =>
  measured(samples)
    .map(pick)
    .filter((value): value is number => value !== null && Number.isFinite(value))

function speedDelta(
  before: CaseResult,
  now: CaseResult,
  pick: (sample: SampleResult) => number | null,
  lowerIsBetter: boolean,
  options: CompareOptions
): (SpeedDelta & { baseline: number | null }) | undefined {
  const a = figures(before.samples, pick)
  const b = figures(now.samples, pick)
  if (a.length === 0 || b.length === 0) return undefined
  return { ...compareSamples(a, b, { maxRegressionPercent: options.maxSpeedRegressionPercent, lowerIsBetter }), baseline: median(a) }
}

/** Whether a case is held to a figure, so its speed is worth comparing: it has that check. */
const hasCheck = (result: CaseResult, type: string) => result.checks.some((check) => check.type === type)

function answerDrift(before: CaseResult, now: CaseResult): CaseComparison['answer'] {
  const a = before.samples[0]?.text
  const b = now.samples[0]?.text
  if (a === undefined || b === undefined) return undefined
  if (a === b) return { changed: false }
  return { changed: true, diff: createTwoFilesPatch('baseline', 'this run', a, b, undefined, undefined, { context: 3 }) }
}

export function compareCase(before: CaseResult | undefined, now: CaseResult, options: CompareOptions): CaseComparison {
  const previous = before ? checkKeys(before.checks) : new Map<string, CheckResult>()
  const checks = [...checkKeys(now.checks)].map(([key, check]) => ({ type: check.type, delta: deltaOf(previous.get(key), check), message: check.message }))
  if (!before) return { id: now.id, isNew: true, checks }
  const tokensPerSecond = hasCheck(now, 'tokens-per-second') ? speedDelta(before, now, (s) => s.tokensPerSecond, false, options) : undefined
  const ttft = hasCheck(now, 'ttft') ? speedDelta(before, now, (s) => s.ttftMs, true, options) : undefined
  const answer = answerDrift(before, now)
  return { id: now.id, isNew: false, checks, ...(tokensPerSecond ? { tokensPerSecond } : {}), ...(ttft ? { ttft } : {}), ...(answer ? { answer } : {}) }
}

export function countRegressions(cases: readonly CaseComparison[]): { regressions: number; inconclusive: number } {
  let regressions = 0
  let inconclusive = 0
  for (const c of cases) {
    regressions += c.checks.filter((check) => check.delta === 'new-failure').length
    for (const speed of [c.tokensPerSecond, c.ttft]) {
      if (speed?.verdict === 'slower') regressions++
      if (speed?.verdict === 'inconclusive') inconclusive++
    }
  }
  return { regressions, inconclusive }
}

/** No baseline to compare with: the absolute checks alone decide. */
export function withoutBaseline(baseline: 'missing' | 'not-comparable', note: string, info?: BaselineInfo): Comparison {
  return { baseline, note, ...(info ? { info } : {}), changes: [], cases: [], removedCases: [], regressions: 0, inconclusive: 0 }
}

/** Why a baseline's speed cannot be held against this machine's; empty when it can (or either is unknown). */
export function incomparability(baseline: RunResults, fingerprint: Fingerprint | undefined): string[] {
  const then = baseline.fingerprint?.machine
  return then && fingerprint ? machineDifferences(then, fingerprint.machine) : []
}

export function compareRuns(current: RunResults, baseline: RunResults, info: BaselineInfo, options: CompareOptions): Comparison {
  const differences = incomparability(baseline, current.fingerprint)
  if (differences.length > 0) return withoutBaseline('not-comparable', `not comparable: ${differences.join('; ')}`, info)
  const byId = new Map(baseline.cases.map((c) => [c.id, c]))
  const cases = current.cases.map((c) => compareCase(byId.get(c.id), c, options))
  const present = new Set(current.cases.map((c) => c.id))
  return {
    baseline: 'found',
    info,
    changes: serverChanges(baseline.server, current.server),
    cases,
    removedCases: baseline.cases.map((c) => c.id).filter((id) => !present.has(id)),
    ...countRegressions(cases)
  }
}
