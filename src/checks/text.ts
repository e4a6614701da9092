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

function validatePattern(assertion: Assertion): { field: string; message: string } | undefined {
  try {
    compilePattern(assertion)
    return undefined
  } catch (error) {
    return { field: 'value', message: `is not a valid regular expression: ${(error as Error).message}` }
  }
}

const valueField = { value: { type: 'string', minLength: 1 } }
const patternFields = { ...valueField, flags: { type: 'string', pattern: '^[imsu]*$' } }

/** Where the text or pattern first occurs in a sample, with what matched. */
type Finder = (assertion: Assertion, text: string) => { index: number; matched: string } | null

const findText: Finder = (assertion, text) => {
  const index = text.indexOf(String(assertion.value))
  return index < 0 ? null : { index, matched: String(assertion.value) }
}

const findPattern: Finder = (assertion, text) => {
  const match = compilePattern(assertion).exec(text)
  return match ? { index: match.index, matched: match[0] } : null
}

/**
 * One check that wants its text or pattern present in every sample (`wanted`), or absent from
 * every sample; what it says names the needle as the user wrote it.
 */
function presenceCheck(type: string, summary: string, find: Finder, wanted: boolean): CheckDefinition {
  const isPattern = find === findPattern
  const needle = (a: Assertion) => (isPattern ? `/${String(a.value)}/` : quote(String(a.value)))
  return {
    type,
    summary,
    properties: isPattern ? patternFields : valueField,
    required: ['value'],
    ...(isPattern ? { validate: validatePattern } : {}),
    evaluate: (assertion, samples) =>
      everySample(samples, ({ text }) => {
        const found = find(assertion, text)
        const verb = isPattern ? 'match' : 'contain'
        if (found === null) {
          return wanted
            ? { passed: false, message: `expected the output to ${verb} ${needle(assertion)}; it does not` }
            : { passed: true, message: `does not ${verb} ${needle(assertion)}` }
        }
        const line = lineAt(text, found.index)
        if (wanted) return { passed: true, message: `${verb}${isPattern ? 'es' : 's'} ${needle(assertion)} (line ${line})`, line }
        const what = isPattern ? `matched ${quote(found.matched, 40)} at line ${line}` : `found at line ${line}`
        return { passed: false, message: `expected the output not to ${verb} ${needle(assertion)}; ${what}`, line }
      })
  }
}

export const contains = presenceCheck('contains', 'every sample contains `value`', findText, true)
export const notContains = presenceCheck('not-contains', 'no sample contains `value`', findText, false)
export const regex = presenceCheck('regex', 'every sample matches the regular expression `value` (optional `flags`)', findPattern, true)
export const notRegex = presenceCheck('not-regex', 'no sample matches the regular expression `value` (optional `flags`)', findPattern, false)
