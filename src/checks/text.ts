import type { SampleResult } from '../results.js'
import type { Assertion, CheckDefinition, CheckOutcome } from './types.js'

/** 1-based line of a character offset in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

/** Shortens what a message quotes, so a long needle does not swamp the report. */
export function quote(value: string, max = 80): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value
  return JSON.stringify(cut)
}

/**
 * Decides a per-sample check over every sample of a case: it passes only when every sample
 * passes, and otherwise reports the first sample that failed.
 */
export function everySample(
  samples: readonly SampleResult[],
  decide: (sample: SampleResult) => CheckOutcome
): CheckOutcome {
  if (samples.length === 0) return { passed: false, message: 'no sample was measured' }
  const outcomes = samples.map((sample) => ({ sample, outcome: decide(sample) }))
  const failed = outcomes.filter((o) => !o.outcome.passed)
  if (failed.length === 0) {
    return { passed: true, message: outcomes[0]!.outcome.message }
  }
  const first = failed[0]!
  const prefix = samples.length > 1 ? `sample ${first.sample.index + 1} of ${samples.length}: ` : ''
  const others = failed.length > 1 ? ` (${failed.length} of ${samples.length} samples failed)` : ''
  return { ...first.outcome, sample: first.sample.index, message: `${prefix}${first.outcome.message}${others}` }
}

export function compilePattern(assertion: Assertion): RegExp {
  const flags = typeof assertion.flags === 'string' ? assertion.flags : ''
  return new RegExp(String(assertion.value), flags.includes('g') ? flags : `${flags}g`)
}

function validatePattern(assertion: Assertion): string | undefined {
  try {
    compilePattern(assertion)
    return undefined
  } catch (error) {
    return `value is not a valid regular expression: ${(error as Error).message}`
  }
}

const valueField = { value: { type: 'string', minLength: 1 } }
const patternFields = { ...valueField, flags: { type: 'string', pattern: '^[imsu]*$' } }

export const contains: CheckDefinition = {
  type: 'contains',
  summary: 'every sample contains `value`',
  properties: valueField,
  required: ['value'],
  evaluate: (assertion, samples) =>
    everySample(samples, ({ text }) => {
      const needle = String(assertion.value)
      const at = text.indexOf(needle)
      return at >= 0
        ? { passed: true, message: `contains ${quote(needle)} (line ${lineAt(text, at)})`, line: lineAt(text, at) }
        : { passed: false, message: `expected the output to contain ${quote(needle)}; it does not` }
    })
}

export const notContains: CheckDefinition = {
  type: 'not-contains',
  summary: 'no sample contains `value`',
  properties: valueField,
  required: ['value'],
  evaluate: (assertion, samples) =>
    everySample(samples, ({ text }) => {
      const needle = String(assertion.value)
      const at = text.indexOf(needle)
      return at < 0
        ? { passed: true, message: `does not contain ${quote(needle)}` }
        : {
            passed: false,
            message: `expected the output not to contain ${quote(needle)}; found at line ${lineAt(text, at)}`,
            line: lineAt(text, at)
          }
    })
}

export const regex: CheckDefinition = {
  type: 'regex',
  summary: 'every sample matches the regular expression `value` (optional `flags`)',
  properties: patternFields,
  required: ['value'],
  validate: validatePattern,
  evaluate: (assertion, samples) =>
    everySample(samples, ({ text }) => {
      const match = compilePattern(assertion).exec(text)
      return match
        ? { passed: true, message: `matches /${String(assertion.value)}/ at line ${lineAt(text, match.index)}`, line: lineAt(text, match.index) }
        : { passed: false, message: `expected the output to match /${String(assertion.value)}/; it does not` }
    })
}

export const notRegex: CheckDefinition = {
  type: 'not-regex',
  summary: 'no sample matches the regular expression `value` (optional `flags`)',
  properties: patternFields,
  required: ['value'],
  validate: validatePattern,
  evaluate: (assertion, samples) =>
    everySample(samples, ({ text }) => {
      const match = compilePattern(assertion).exec(text)
      return match
        ? {
            passed: false,
            message: `expected the output not to match /${String(assertion.value)}/; matched ${quote(match[0], 40)} at line ${lineAt(text, match.index)}`,
            line: lineAt(text, match.index)
          }
        : { passed: true, message: `does not match /${String(assertion.value)}/` }
    })
}
