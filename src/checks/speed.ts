import type { FigureSource, SampleResult } from '../results.js'
import { formatFigure, median } from '../stats.js'
import type { CheckDefinition } from './types.js'

function sourcesOf(samples: readonly SampleResult[], pick: (s: SampleResult) => FigureSource | null): string {
  const sources = new Set(samples.map(pick).filter((s): s is FigureSource => s !== null))
  return sources.size === 0 ? 'none' : [...sources].sort().join('+')
}

function measuredCount(n: number): string {
  return `${n} sample${n === 1 ? '' : 's'}`
}

/**
 * The decode-rate floor. It is decided on the median over the case's samples, so one sample
 * slowed by a noisy neighbour on the runner does not fail the gate on its own.
 */
export const tokensPerSecond: CheckDefinition = {
  type: 'tokens-per-second',
  summary: 'median decode tokens/s over the samples is at least `min`',
  properties: { min: { type: 'number', exclusiveMinimum: 0 } },
  required: ['min'],
  evaluate: (assertion, samples) => {
    const min = Number(assertion.min)
    const measured = samples.filter((s) => s.tokensPerSecond !== null)
    const rate = median(measured.map((s) => s.tokensPerSecond))
    if (rate === null) return { passed: false, message: `no sample reported a decode rate (floor ${formatFigure(min)} tokens/s)` }
    const source = sourcesOf(measured, (s) => s.tokensPerSecondSource)
    const seen = `median ${formatFigure(rate)} tokens/s (${source}, ${measuredCount(measured.length)})`
    return rate >= min
      ? { passed: true, message: `${seen} ≥ floor ${formatFigure(min)}` }
      : { passed: false, message: `${seen} is below the floor of ${formatFigure(min)} tokens/s` }
  }
}

export const ttft: CheckDefinition = {
  type: 'ttft',
  summary: 'median time to first token over the samples is at most `max` ms',
  properties: { max: { type: 'number', exclusiveMinimum: 0 } },
  required: ['max'],
  evaluate: (assertion, samples) => {
    const max = Number(assertion.max)
    const measured = samples.filter((s) => s.ttftMs !== null)
    const value = median(measured.map((s) => s.ttftMs))
    if (value === null) return { passed: false, message: `no sample reported a time to first token (ceiling ${formatFigure(max)} ms)` }
    const source = sourcesOf(measured, (s) => s.ttftSource)
    const seen = `median time to first token ${formatFigure(value)} ms (${source}, ${measuredCount(measured.length)})`
    return value <= max
      ? { passed: true, message: `${seen} ≤ ceiling ${formatFigure(max)} ms` }
      : { passed: false, message: `${seen} is above the ceiling of ${formatFigure(max)} ms` }
  }
}
