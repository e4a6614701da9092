import type { FigureSource, SampleResult } from '../results.js'
import { formatFigure, median } from '../stats.js'
import type { CheckDefinition } from './types.js'

interface MedianBound {
  type: string
  summary: string
  /** `min` for a floor, `max` for a ceiling. */
  bound: 'min' | 'max'
  /** What is measured, as "no sample reported a …" names it. */
  figure: string
  /** How "median …" reads before the value: empty for a rate, whose unit says it all. */
  medianOf: string
  unit: string
  value(sample: SampleResult): number | null
  source(sample: SampleResult): FigureSource | null
}

/**
 * A bound on the median over the case's samples, so one sample slowed by a noisy neighbour on
 * the runner does not fail the gate on its own.
 */
function medianBoundCheck(spec: MedianBound): CheckDefinition {
  const floor = spec.bound === 'min'
  return {
    type: spec.type,
    summary: spec.summary,
    properties: { [spec.bound]: { type: 'number', exclusiveMinimum: 0 } },
    required: [spec.bound],
    evaluate: (assertion, samples) => {
      const limit = Number(assertion[spec.bound])
      const limitText = `${floor ? 'floor' : 'ceiling'} ${formatFigure(limit)} ${spec.unit}`
      const measured = samples.filter((s) => spec.value(s) !== null)
      const value = median(measured.map(spec.value))
      if (value === null) return { passed: false, message: `no sample reported a ${spec.figure} (${limitText})` }
      const sources = [...new Set(measured.map(spec.source).filter((s): s is FigureSource => s !== null))].sort()
      const count = `${measured.length} sample${measured.length === 1 ? '' : 's'}`
      const seen = `median ${spec.medianOf}${formatFigure(value)} ${spec.unit} (${sources.join('+') || 'none'}, ${count})`
      const passed = floor ? value >= limit : value <= limit
      if (passed) return { passed, message: `${seen} ${floor ? '≥' : '≤'} ${floor ? 'floor' : 'ceiling'} ${formatFigure(limit)}${floor ? '' : ` ${spec.unit}`}` }
      return { passed, message: `${seen} is ${floor ? 'below' : 'above'} the ${floor ? 'floor' : 'ceiling'} of ${formatFigure(limit)} ${spec.unit}` }
    }
  }
}

export const tokensPerSecond = medianBoundCheck({
  type: 'tokens-per-second',
  summary: 'median decode tokens/s over the samples is at least `min`',
  bound: 'min',
  figure: 'decode rate',
  medianOf: '',
  unit: 'tokens/s',
  value: (s) => s.tokensPerSecond,
  source: (s) => s.tokensPerSecondSource
})

export const ttft = medianBoundCheck({
  type: 'ttft',
  summary: 'median time to first token over the samples is at most `max` ms',
  bound: 'max',
  figure: 'time to first token',
  medianOf: 'time to first token ',
  unit: 'ms',
  value: (s) => s.ttftMs,
  source: (s) => s.ttftSource
})
