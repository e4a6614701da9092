import type { SampleResult } from '../../results.js'
import { everySample } from '../text.js'
import type { Assertion, CheckDefinition, CheckOutcome } from '../types.js'
import { LANGUAGE_NAMES, languageNamed } from './languages/index.js'
import { withAnswerCode, type AnswerCode } from './read.js'

/** The schema of an error code as a suite writes it: 50001 or "E_FLAG". */
export const codeSchema = { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', minLength: 1, pattern: '^\\S+$' }] }

const languageSchema = { type: 'string', enum: LANGUAGE_NAMES }

/** A check that reads each sample's answer as code; every such check takes `language:`. */
export interface CodeCheck {
  type: string
  summary: string
  /** JSON-schema `properties` of the fields besides `type` and `language`. */
  properties: Record<string, object>
  required: string[]
  /** Decides one sample from its code; an answer with no code to check has failed already. */
  judge(assertion: Assertion, answer: AnswerCode): CheckOutcome
}

/**
 * Makes a check definition from a code check: it reads every sample's code (asynchronously:
 * grammars load on first use), then decides per sample.
 */
export function codeCheck({ type, summary, properties, required, judge }: CodeCheck): CheckDefinition {
  return {
    type,
    summary,
    properties: { ...properties, language: languageSchema },
    required,
    evaluate: async (assertion, samples) => {
      const forced = typeof assertion.language === 'string' ? languageNamed(assertion.language) : undefined
      const decide = (answer: AnswerCode): CheckOutcome => (answer.problem ? { passed: false, ...answer.problem } : judge(assertion, answer))
      const outcomes = new Map<SampleResult, CheckOutcome>()
      for (const sample of samples) outcomes.set(sample, await withAnswerCode(sample.text, forced, decide))
      return everySample(samples, (sample) => outcomes.get(sample)!)
    }
  }
}
