// The noise-aware speed verdict of a run against its base branch's run: a rank test says whether
// the two batches of samples differ at all, a bootstrap interval of the ratio of medians says by
// how much, and only both together may call a change a regression. Pure: no I/O, no clock.
import { errorFunction, quantileSorted, wilcoxonRankSum } from 'simple-statistics'
import { median } from '../stats.js'

export type SpeedVerdict = 'slower' | 'faster' | 'same' | 'inconclusive'

export interface SpeedComparison {
  verdict: SpeedVerdict
  /** median(current) / median(baseline) of the figure compared. */
  ratio: number
  /** (ratio − 1) × 100, signed: for tokens/s a negative change is a slowdown, for TTFT a positive one. */
  changePercent: number
  /** Bootstrap confidence interval of `ratio`. */
  low: number
  high: number
  /** Two-sided Mann–Whitney U p-value. */
  p: number
  baselineSamples: number
  currentSamples: number
  /** One line for a log or a report, e.g. "−9.8% (95% CI −12.1% to −7.5%), p = 0.0020 over 5 baseline and 10 current samples: slower, …". */
  reason: string
}

export interface CompareOptions {
  /** The largest change in the bad direction that still passes, in percent (the default is 5). */
  maxRegressionPercent: number
  /** Significance level of the rank test. */
  alpha?: number
  /** For time to first token: a higher figure is the worse one. */
  lowerIsBetter?: boolean
  bootstrap?: BootstrapOptions
}

export interface BootstrapOptions {
  resamples?: number
  confidence?: number
  seed?: number
}

export const SPEED_DEFAULTS = { maxRegressionPercent: 5, alpha: 0.01, maxRepeat: 15, resamples: 2000, confidence: 0.95 } as const

/**
 * Below this many samples on a side a verdict is never given, whatever the p-value: with 2
 * samples one busy moment of the runner is half the evidence.
 */
export const MIN_SAMPLES_PER_SIDE = 3

/**
 * Up to this many samples on each side, and without ties, the U test uses its exact null
 * distribution; past it the normal approximation is already within a few percent of the exact
 * p-value at the levels that matter, and the exact counts would outgrow exact doubles (C(40, 20)
 * ≈ 1.4e11 is still far below 2^53).
 */
export const EXACT_LIMIT = 20

// Any fixed value does: it makes the interval a function of the samples alone.
const DEFAULT_SEED = 0x6d67_5eed

// ---------------------------------------------------------------------------------------------
// Mann–Whitney U

/**
 * Counts of U over all C(m+n, m) orderings of m values against n, for u = 0 … m·n.
 * The largest pooled value is either one of the m (it beats all n: u − n remains for the rest)
 * or one of the n (it beats none): f(m, n, u) = f(m − 1, n, u − n) + f(m, n − 1, u).
 */
const exactCounts = new Map<string, Float64Array>()
function uDistribution(m: number, n: number): Float64Array {
  const key = `${m},${n}`
  const cached = exactCounts.get(key)
  if (cached) return cached
  // rows[i][j] is the distribution for sizes (i, j); only the previous i is needed.
  let previous: Float64Array[] = Array.from({ length: n + 1 }, () => Float64Array.of(1))
  for (let i = 1; i <= m; i++) {
    const row: Float64Array[] = [Float64Array.of(1)]
    for (let j = 1; j <= n; j++) {
      const counts = new Float64Array(i * j + 1)
      const withoutLargestOfM = previous[j]!
      const withoutLargestOfN = row[j - 1]!
      for (let u = 0; u < counts.length; u++) {
        counts[u] = (u - j >= 0 && u - j < withoutLargestOfM.length ? withoutLargestOfM[u - j]! : 0) + (u < withoutLargestOfN.length ? withoutLargestOfN[u]! : 0)
      }
      row.push(counts)
    }
    previous = row
  }
  const result = previous[n]!
  exactCounts.set(key, result)
  return result
}

function exactTwoSidedP(u: number, m: number, n: number): number {
  const counts = uDistribution(m, n)
  // The null distribution is symmetric about m·n/2, so the two tails are the same size.
  const tail = Math.min(u, m * n - u)
  let inTail = 0
  let total = 0
  for (let k = 0; k < counts.length; k++) {
    total += counts[k]!
    if (k <= tail) inTail += counts[k]!
  }
  return Math.min(1, (2 * inTail) / total)
}

/** Standard normal upper tail, P(Z > z), from simple-statistics' erf (absolute error < 1.2e-7). */
function normalUpperTail(z: number): number {
  return 0.5 * (1 - errorFunction(z / Math.SQRT2))
}

/** Σ (t³ − t) over groups of equal values in the pooled samples: what ties take from U's variance. */
function tieTerm(pooled: readonly number[]): number {
  const sorted = [...pooled].sort((x, y) => x - y)
  let term = 0
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1
    while (j < sorted.length && sorted[j] === sorted[i]) j++
    const t = j - i
    term += t * t * t - t
    i = j
  }
  return term
}

function normalTwoSidedP(u: number, m: number, n: number, ties: number): number {
  const total = m + n
  const mean = (m * n) / 2
  const variance = ((m * n) / 12) * (total + 1 - ties / (total * (total - 1)))
  // Every value equal: nothing to tell the samples apart.
  if (!(variance > 0)) return 1
  // Continuity correction: U moves in steps of 1/2 at most, the normal curve does not.
  const z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance)
  return Math.min(1, 2 * normalUpperTail(z))
}

/**
 * Two-sided Mann–Whitney U test (Wilcoxon rank-sum). `u` is a's statistic: the number of pairs
 * in which a's value is the larger, ties counting one half. Exact when both samples have at most
 * EXACT_LIMIT values and no value repeats; otherwise the normal approximation with the tie
 * correction of the variance and a continuity correction (as scipy's `mannwhitneyu` does).
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): { u: number; p: number; method: 'exact' | 'normal' } {
  const m = a.length
  const n = b.length
  if (m === 0 || n === 0) throw new RangeError('mannWhitneyU needs at least one value in each sample')
  if (![...a, ...b].every(Number.isFinite)) throw new RangeError('mannWhitneyU takes finite numbers only')
  // simple-statistics ranks the pooled values with midranks for ties.
  const u = wilcoxonRankSum(a, b) - (m * (m + 1)) / 2
  const ties = tieTerm([...a, ...b])
  if (ties === 0 && m <= EXACT_LIMIT && n <= EXACT_LIMIT) return { u, p: exactTwoSidedP(u, m, n), method: 'exact' }
  return { u, p: normalTwoSidedP(u, m, n, ties), method: 'normal' }
}

/**
 * The smallest two-sided p the U test can give for these sizes: the samples entirely apart, no
 * ties. When it is above alpha no batch of that size can show a change, however large.
 */
export function smallestPossibleP(m: number, n: number): number {
  if (m === 0 || n === 0) return 1
  if (m <= EXACT_LIMIT && n <= EXACT_LIMIT) return exactTwoSidedP(0, m, n)
  return normalTwoSidedP(0, m, n, 0)
}

// ---------------------------------------------------------------------------------------------
// Bootstrap

// Looked up once: a global's lookup in the hot loop costs more than the arithmetic in some hosts
// (Jest's VM context, about ten times).
const { imul, floor } = Math

/** mulberry32: a small, fast 32-bit PRNG; plenty for resampling indices, and seedable. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = imul(t ^ (t >>> 15), t | 1)
    t ^= t + imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Median of a resample, sorting it in place; insertion sort, since resamples are small. */
function medianInPlace(values: Float64Array): number {
  if (values.length > 64) values.sort()
  else {
    for (let i = 1; i < values.length; i++) {
      const v = values[i]!
      let j = i - 1
      while (j >= 0 && values[j]! > v) {
        values[j + 1] = values[j]!
        j--
      }
      values[j + 1] = v
    }
  }
  const mid = values.length >> 1
  return values.length % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2
}

function resampleInto(target: Float64Array, source: readonly number[], random: () => number): void {
  for (let i = 0; i < target.length; i++) target[i] = source[floor(random() * source.length)]!
}

/**
 * Percentile bootstrap interval of median(current) / median(baseline): each side is resampled
 * with replacement on its own, as the two runs are independent. Seeded, so the same samples
 * always give the same interval (a verdict must not flip on a re-render). 2,000 resamples of
 * 15 + 15 values take one to two milliseconds.
 */
export function bootstrapRatioOfMedians(baseline: readonly number[], current: readonly number[], options: BootstrapOptions = {}): { ratio: number; low: number; high: number } {
  const resamples = options.resamples ?? SPEED_DEFAULTS.resamples
  const confidence = options.confidence ?? SPEED_DEFAULTS.confidence
  if (baseline.length === 0 || current.length === 0) throw new RangeError('bootstrapRatioOfMedians needs at least one value on each side')
  if (![...baseline, ...current].every((v) => Number.isFinite(v) && v > 0)) {
    throw new RangeError('bootstrapRatioOfMedians takes positive finite figures only (a rate or a duration)')
  }
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer, got ${resamples}`)
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1, got ${confidence}`)
  const random = mulberry32(options.seed ?? DEFAULT_SEED)
  const baseResample = new Float64Array(baseline.length)
  const currentResample = new Float64Array(current.length)
  const ratios = new Float64Array(resamples)
  for (let r = 0; r < resamples; r++) {
    resampleInto(baseResample, baseline, random)
    resampleInto(currentResample, current, random)
    ratios[r] = medianInPlace(currentResample) / medianInPlace(baseResample)
  }
  ratios.sort()
  const sorted = Array.from(ratios)
  return {
    ratio: median(current)! / median(baseline)!,
    low: quantileSorted(sorted, (1 - confidence) / 2),
    high: quantileSorted(sorted, (1 + confidence) / 2)
  }
}

// ---------------------------------------------------------------------------------------------
// Verdict

const MINUS = '\u2212'

function percent(value: number): string {
  const rounded = Math.round(value * 10) / 10
  return `${rounded < 0 ? MINUS : '+'}${Math.abs(rounded).toFixed(1)}%`
}

function formatP(p: number): string {
  if (!Number.isFinite(p)) return 'p = –'
  // Two significant digits, so 0.0095 and 0.011 stay apart around alpha = 0.01.
  return p < 0.0001 ? 'p < 0.0001' : `p = ${Number(p.toPrecision(2))}`
}

function positiveFinite(values: readonly number[]): number[] {
  return values.filter((v) => Number.isFinite(v) && v > 0)
}

/**
 * The verdict. `slower` needs both a change in the bad direction larger than
 * `maxRegressionPercent` — the whole bootstrap interval of the ratio of medians past it — and a
 * rank test that tells the batches apart at `alpha`; `faster` is the same in the good direction;
 * `same` needs the whole interval inside ± the threshold; anything else is `inconclusive`, and
 * the caller takes more samples.
 * Samples that are not positive finite figures are left out (a failed sample has none).
 */
export function compareSamples(baselineSamples: readonly number[], currentSamples: readonly number[], options: CompareOptions): SpeedComparison {
  const threshold = options.maxRegressionPercent
  const alpha = options.alpha ?? SPEED_DEFAULTS.alpha
  const lowerIsBetter = options.lowerIsBetter ?? false
  if (!(threshold > 0 && threshold < 100)) throw new RangeError(`maxRegressionPercent must be between 0 and 100, got ${threshold}`)
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be between 0 and 1, got ${alpha}`)
  const baseline = positiveFinite(baselineSamples)
  const current = positiveFinite(currentSamples)
  const counts = `${baseline.length} baseline and ${current.length} current samples`
  const confidence = options.bootstrap?.confidence ?? SPEED_DEFAULTS.confidence

  if (baseline.length === 0 || current.length === 0) {
    return {
      verdict: 'inconclusive', ratio: NaN, changePercent: NaN, low: NaN, high: NaN, p: NaN,
      baselineSamples: baseline.length, currentSamples: current.length,
      reason: `no comparison: ${counts}`
    }
  }

  const { ratio, low, high } = bootstrapRatioOfMedians(baseline, current, options.bootstrap)
  const { p } = mannWhitneyU(baseline, current)
  const changePercent = (ratio - 1) * 100
  const core = `${percent(changePercent)} (${Math.round(confidence * 100)}% CI ${percent((low - 1) * 100)} to ${percent((high - 1) * 100)}), ${formatP(p)} over ${counts}`
  const result = (verdict: SpeedVerdict, why: string): SpeedComparison => ({
    verdict, ratio, changePercent, low, high, p, baselineSamples: baseline.length, currentSamples: current.length, reason: `${core}: ${why}`
  })

  // Checked before anything else, so a lucky narrow interval from a handful of samples is never `same`.
  if (baseline.length < MIN_SAMPLES_PER_SIDE || current.length < MIN_SAMPLES_PER_SIDE) {
    return result('inconclusive', `too few samples to decide, at least ${MIN_SAMPLES_PER_SIDE} on each side are needed`)
  }
  const reachable = smallestPossibleP(baseline.length, current.length)
  if (reachable > alpha) {
    return result('inconclusive', `too few samples to decide: the smallest p these sizes can give is ${Number(reachable.toPrecision(2))}, above ${alpha}`)
  }

  const limit = threshold / 100
  const significant = p <= alpha
  // A change counts only when the whole interval is past the threshold, as `same` needs the whole
  // interval inside it: a median a little past 5% from five samples is not yet a 5% drop. Measured
  // with scripts/speed-verdict-rates.ts, the median alone raised three to six times as many false
  // alarms on same-model pairs, for the same detection with a baseline of max-repeat samples.
  const worse = lowerIsBetter ? low > 1 + limit : high < 1 - limit
  const better = lowerIsBetter ? high < 1 - limit : low > 1 + limit
  const pastThreshold = lowerIsBetter ? ratio > 1 + limit || ratio < 1 - limit : ratio < 1 - limit || ratio > 1 + limit
  if (worse && significant) return result('slower', `slower, a ${lowerIsBetter ? 'rise' : 'drop'} beyond the ${threshold}% allowed`)
  if (better && significant) return result('faster', `faster by more than ${threshold}%`)
  if (low >= 1 - limit && high <= 1 + limit) return result('same', `the same within ±${threshold}%`)
  if ((worse || better) && !significant) return result('inconclusive', `a change beyond ${threshold}% but not significant at ${alpha}`)
  if (pastThreshold) return result('inconclusive', `the median is past ±${threshold}% but the interval reaches back inside it`)
  return result('inconclusive', `the interval reaches past ±${threshold}%`)
}

/**
 * Whether the caller's loop should take more current samples: only while the verdict is open, the
 * run has room left under `maxRepeat`, and more current samples could still decide it (with too
 * small a baseline no number of current samples reaches `alpha`).
 */
export function needsMoreSamples(comparison: SpeedComparison, taken: number, maxRepeat: number = SPEED_DEFAULTS.maxRepeat, alpha: number = SPEED_DEFAULTS.alpha): boolean {
  if (comparison.verdict !== 'inconclusive' || taken >= maxRepeat) return false
  if (comparison.baselineSamples < MIN_SAMPLES_PER_SIDE) return false
  return smallestPossibleP(comparison.baselineSamples, maxRepeat) <= alpha
}
