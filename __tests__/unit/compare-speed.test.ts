import { describe, expect, it } from '@jest/globals'
import { bootstrapRatioOfMedians, compareSamples, mannWhitneyU, needsMoreSamples, smallestPossibleP, type SpeedComparison } from '../../src/compare/speed.js'

// Samples of a known distribution, the same on every run: a seeded generator and Box–Muller.
function generator(seed: number) {
  let state = seed >>> 0
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform())
  /** `count` rates around `center` with a relative spread `cv`, like tokens/s on a quiet runner. */
  const rates = (count: number, center: number, cv: number) => Array.from({ length: count }, () => center * Math.exp(cv * normal()))
  return { uniform, normal, rates }
}

const MINUS = '\u2212'

describe('mannWhitneyU', () => {
  it('gives the exact two-sided p of the textbook table for 5 against 5', () => {
    // Counts of U for m = n = 5 start 1, 1, 2, 3, 5 out of C(10, 5) = 252 orderings; the table's
    // two-sided critical values are U ≤ 2 at 0.05 and U = 0 at 0.01.
    expect(mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).toEqual({ u: 0, p: 2 / 252, method: 'exact' })
    const u2 = mannWhitneyU([1, 2, 3, 4, 7], [5, 6, 8, 9, 10])
    expect(u2.u).toBe(2)
    expect(u2.p).toBeCloseTo(8 / 252, 12)
    expect(u2.p).toBeLessThan(0.05)
    const u3 = mannWhitneyU([1, 2, 3, 4, 8], [5, 6, 7, 9, 10])
    expect(u3.u).toBe(3)
    expect(u3.p).toBeCloseTo(14 / 252, 12)
    expect(u3.p).toBeGreaterThan(0.05)
  })

  it('matches scipy.stats.mannwhitneyu (1.17) exactly and asymptotically', () => {
    // scipy: mannwhitneyu(x, y, method='exact') → U = 17, p = 0.1111111111111111
    expect(mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12])).toEqual({ u: 17, p: expect.closeTo(0.1111111111111111, 12), method: 'exact' })
    // Ties (2, 3, 4 repeat): method='asymptotic' with the tie correction → U = 8.5, p = 0.043051432728945134
    const tied = mannWhitneyU([1, 2, 2, 3, 3, 3, 4], [2, 3, 4, 4, 5, 5, 6])
    expect(tied.method).toBe('normal')
    expect(tied.u).toBe(8.5)
    expect(tied.p).toBeCloseTo(0.043051432728945134, 6)
    // 25 against 22 values, no ties: past the exact limit → U = 236, p = 0.41174723353696174
    const large = mannWhitneyU(
      Array.from({ length: 25 }, (_, i) => i * 1.1 + 0.3),
      Array.from({ length: 22 }, (_, i) => i * 1.3 + 2)
    )
    expect(large.method).toBe('normal')
    expect(large.u).toBe(236)
    expect(large.p).toBeCloseTo(0.41174723353696174, 6)
  })

  it('is symmetric in its samples and says nothing when all values are equal', () => {
    const { rates } = generator(7)
    const a = rates(12, 100, 0.05)
    const b = rates(9, 104, 0.05)
    const ab = mannWhitneyU(a, b)
    const ba = mannWhitneyU(b, a)
    expect(ba.u).toBe(a.length * b.length - ab.u)
    expect(ba.p).toBeCloseTo(ab.p, 12)
    expect(mannWhitneyU([5, 5, 5], [5, 5, 5, 5])).toEqual({ u: 6, p: 1, method: 'normal' })
  })

  it('is exact up to 20 a side and normal past it, as scipy gives them', () => {
    // scipy: a = 0…19, b = a + 3.25 → exact p = 0.0859140199856938 (asymptotic 0.0858548799504104);
    // with a = 0…20 → U = 153, asymptotic p = 0.14058002714895762 (exact 0.14183712460022768).
    const a = Array.from({ length: 20 }, (_, i) => i)
    const b = a.map((v) => v + 3.25)
    expect(mannWhitneyU(a, b)).toEqual({ u: 136, p: expect.closeTo(0.0859140199856938, 12), method: 'exact' })
    const past = mannWhitneyU([...a, 20], b)
    expect(past).toEqual({ u: 153, p: expect.closeTo(0.14058002714895762, 6), method: 'normal' })
  })

  it('knows the smallest p each size can give', () => {
    expect(smallestPossibleP(3, 3)).toBeCloseTo(0.1, 12)
    expect(smallestPossibleP(4, 4)).toBeCloseTo(2 / 70, 12)
    expect(smallestPossibleP(5, 5)).toBeCloseTo(2 / 252, 12)
    expect(smallestPossibleP(4, 5)).toBeGreaterThan(0.01)
    expect(smallestPossibleP(30, 30)).toBeLessThan(1e-9)
  })

  it('refuses an empty sample or a figure that is not finite', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(RangeError)
    expect(() => mannWhitneyU([1, NaN], [1])).toThrow(RangeError)
  })
})

describe('bootstrapRatioOfMedians', () => {
  const { rates } = generator(3)
  const baseline = rates(15, 1000, 0.03)
  const current = rates(15, 900, 0.03)

  it('gives the same interval for the same samples, and another seed a slightly different one', () => {
    const first = bootstrapRatioOfMedians(baseline, current)
    expect(bootstrapRatioOfMedians([...baseline], [...current])).toEqual(first)
    const reseeded = bootstrapRatioOfMedians(baseline, current, { seed: 99 })
    expect(reseeded.ratio).toBe(first.ratio)
    expect(reseeded.low).not.toBe(first.low)
    expect(reseeded.low).toBeCloseTo(first.low, 1)
  })

  it('brackets the ratio of medians, and a higher confidence widens the interval', () => {
    const { ratio, low, high } = bootstrapRatioOfMedians(baseline, current)
    const med = (v: number[]) => [...v].sort((x, y) => x - y)[7]!
    expect(ratio).toBeCloseTo(med(current) / med(baseline), 12)
    expect(low).toBeLessThanOrEqual(ratio)
    expect(high).toBeGreaterThanOrEqual(ratio)
    expect(low).toBeGreaterThan(0.85)
    expect(high).toBeLessThan(0.95)
    const wide = bootstrapRatioOfMedians(baseline, current, { confidence: 0.99 })
    expect(wide.low).toBeLessThanOrEqual(low)
    expect(wide.high).toBeGreaterThanOrEqual(high)
  })

  it('takes a few milliseconds for 2,000 resamples of 15 + 15', () => {
    bootstrapRatioOfMedians(baseline, current)
    const runs = 20
    const start = performance.now()
    for (let i = 0; i < runs; i++) bootstrapRatioOfMedians(baseline, current, { seed: i })
    // About 1–2 ms here; the bound leaves room for a busy machine.
    expect((performance.now() - start) / runs).toBeLessThan(25)
  })

  it('refuses figures that have no ratio', () => {
    expect(() => bootstrapRatioOfMedians([1, 0, 2], [1, 2, 3])).toThrow(RangeError)
    expect(() => bootstrapRatioOfMedians([], [1])).toThrow(RangeError)
    expect(() => bootstrapRatioOfMedians([1], [1], { resamples: 0 })).toThrow(RangeError)
  })
})

describe('compareSamples', () => {
  const options = { maxRegressionPercent: 5 }

  it('never calls samples of the same distribution slower', () => {
    const { rates } = generator(2024)
    const verdicts = { slower: 0, faster: 0, same: 0, inconclusive: 0 }
    for (let pair = 0; pair < 300; pair++) {
      const sizes = [5, 10, 15][pair % 3]!
      verdicts[compareSamples(rates(sizes, 1000, 0.03), rates(sizes, 1000, 0.03), options).verdict]++
    }
    expect(verdicts.slower).toBe(0)
    expect(verdicts.faster).toBe(0)
    // With 3% noise and a 5% threshold most pairs of 10 or 15 are decided as the same.
    expect(verdicts.same).toBeGreaterThan(100)
  })

  it('calls a 20% drop of tokens/s slower, and a 20% rise faster', () => {
    const { rates } = generator(5)
    for (let pair = 0; pair < 50; pair++) {
      const baseline = rates(5, 1000, 0.03)
      const current = rates(5, 800, 0.03)
      const drop = compareSamples(baseline, current, options)
      expect(drop.verdict).toBe('slower')
      expect(drop.changePercent).toBeLessThan(-10)
      expect(compareSamples(current, baseline, options).verdict).toBe('faster')
    }
  })

  it('flips with lowerIsBetter, for time to first token', () => {
    const { rates } = generator(6)
    const baseline = rates(10, 40, 0.04)
    const higher = rates(10, 48, 0.04)
    const ttft = compareSamples(baseline, higher, { ...options, lowerIsBetter: true })
    expect(ttft.verdict).toBe('slower')
    expect(ttft.changePercent).toBeGreaterThan(10)
    expect(ttft.reason).toMatch(/slower, a rise beyond the 5% allowed$/)
    expect(compareSamples(baseline, higher, options).verdict).toBe('faster')
    expect(compareSamples(higher, baseline, { ...options, lowerIsBetter: true }).verdict).toBe('faster')
  })

  it('is inconclusive, never same, with too few samples', () => {
    const tight = [100, 100.1, 99.9, 100.05]
    const two = compareSamples([100, 100.1], tight, options)
    expect(two.verdict).toBe('inconclusive')
    expect(two.reason).toMatch(/too few samples to decide, at least 3 on each side are needed$/)
    // The interval of these is well inside ±5%, but with 4 + 4 the U test can never reach 0.01.
    const four = compareSamples(tight, [100.02, 99.95, 100.08, 99.97], options)
    expect(four.high - four.low).toBeLessThan(0.01)
    expect(four.verdict).toBe('inconclusive')
    expect(four.reason).toMatch(/too few samples to decide: the smallest p these sizes can give is 0\.029, above 0\.01$/)
    // The same for a drop far beyond the threshold.
    expect(compareSamples(tight, tight.map((v) => v / 2), options).verdict).toBe('inconclusive')
    expect(compareSamples([], tight, options).reason).toBe('no comparison: 0 baseline and 4 current samples')
  })

  it('asks for more samples while a drop is not yet significant', () => {
    const { rates } = generator(8)
    // 8% slower with 6% noise: 5 + 5 cannot tell, more current samples do.
    const baseline = rates(5, 1000, 0.06)
    const few = compareSamples(baseline, rates(5, 920, 0.06), options)
    expect(few.verdict).toBe('inconclusive')
    expect(needsMoreSamples(few, 5, 15)).toBe(true)
    expect(needsMoreSamples(few, 15, 15)).toBe(false)
    const decided: SpeedComparison = { ...few, verdict: 'same' }
    expect(needsMoreSamples(decided, 5, 15)).toBe(false)
    // With 2 baseline samples no number of current ones can decide.
    const small = compareSamples(baseline.slice(0, 2), rates(5, 920, 0.06), options)
    expect(needsMoreSamples(small, 5, 15)).toBe(false)
  })

  it('leaves out samples without a figure', () => {
    const result = compareSamples([100, NaN, 101, 99, 0, 100.5, 99.5], [80, 81, 79, 80.5, 79.5, Infinity], options)
    expect(result.baselineSamples).toBe(5)
    expect(result.currentSamples).toBe(5)
    expect(result.verdict).toBe('slower')
  })

  it('says it in one line: change, interval, p, sample counts and why', () => {
    const result = compareSamples([100, 101, 99, 100.5, 99.5], [90, 91, 89, 90.5, 89.5], options)
    expect(result.verdict).toBe('slower')
    expect(result.reason).toBe(
      `${MINUS}10.0% (95% CI ${MINUS}11.4% to ${MINUS}8.6%), p = 0.0079 over 5 baseline and 5 current samples: slower, a drop beyond the 5% allowed`
    )
    expect(result.reason).not.toContain('\n')
    const same = compareSamples([100, 101, 99, 100.5, 99.5, 100.2], [100.1, 100.9, 99.2, 100.4, 99.6, 100.3], options)
    expect(same.verdict).toBe('same')
    expect(same.reason).toMatch(/^\+0\.\d% \(95% CI [−+]\d\.\d% to \+\d\.\d%\), p = 0\.\d+ over 6 baseline and 6 current samples: the same within ±5%$/)
  })

  it('checks its options', () => {
    expect(() => compareSamples([1], [1], { maxRegressionPercent: 0 })).toThrow(RangeError)
    expect(() => compareSamples([1], [1], { maxRegressionPercent: 5, alpha: 1 })).toThrow(RangeError)
  })
})
