// What every check that reads code shares: each sample's answer parsed once (read.ts), the
// `language:` and `function:` fields, and a failure for an answer with no code to check.
import type { SampleResult } from '../../results.js'
import { everySample } from '../text.js'
import type { Assertion, CheckContext, CheckDefinition, CheckOutcome } from '../types.js'
import { LANGUAGE_NAMES, languageNamed } from './languages/index.js'
import { withAnswerCode, type AnswerCode } from './read.js'
import { validFunctionField } from './target.js'

/** The schema of an error code as a suite writes it: 50001 or "E_FLAG". */
export const codeSchema = { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', minLength: 1, pattern: '^\\S+$' }] }

/** The schema of `function:`, the function under test; validateFunction says what a bad one lacks. */
export const functionSchema = { type: 'string', minLength: 1 }

export const languageSchema = { type: 'string', enum: LANGUAGE_NAMES }

/** Checks `function:` as the schema cannot say it: a name, optionally with its parameters. */
export function validateFunction(assertion: Assertion): { field: string; message: string } | undefined {
  if (typeof assertion.function !== 'string' || validFunctionField(assertion.function)) return undefined
  return {
    field: 'function',
    message: 'must be a function name, optionally with its parameters: updateUserStatus or updateUserStatus(userId, ActiveFlag, SystemDeleteFlag)'
  }
}

/** A check that reads each sample's answer as code; every such check takes `language:`. */
export interface CodeCheck {
  type: string
  summary: string
  /** JSON-schema `properties` of the fields besides `type` and `language`. */
  properties: Record<string, object>
  required: string[]
  validate?: CheckDefinition['validate']
  prepare?: CheckDefinition['prepare']
  /** Decides one sample from its code; an answer with no code to check has failed already. */
  judge(assertion: Assertion, answer: AnswerCode, context: CheckContext | undefined): CheckOutcome
}

/**
 * Makes a check definition from a code check: it reads every sample's code (asynchronously:
 * grammars load on first use), then decides per sample; samples with the same text share one
 * reading and one verdict.
 */
export function codeCheck({ type, summary, properties, required, validate, prepare, judge }: CodeCheck): CheckDefinition {
  return {
    type,
    summary,
    properties: { ...properties, language: languageSchema },
    required,
    ...(validate ? { validate } : {}),
    ...(prepare ? { prepare } : {}),
    evaluate: async (assertion, samples, context) => {
      const forced = typeof assertion.language === 'string' ? languageNamed(assertion.language) : undefined
      const decide = (answer: AnswerCode): CheckOutcome => (answer.problem ? { passed: false, ...answer.problem } : judge(assertion, answer, context))
      // A case's samples often say the same (temperature 0): one answer is read and judged once.
      const byText = new Map<string, CheckOutcome>()
      const outcomes = new Map<SampleResult, CheckOutcome>()
      for (const sample of samples) {
        let outcome = byText.get(sample.text)
        if (!outcome) byText.set(sample.text, (outcome = await withAnswerCode(sample.text, forced, decide)))
        outcomes.set(sample, outcome)
      }
      return everySample(samples, (sample) => outcomes.get(sample)!)
    }
  }
}
