import type { CheckResult, SampleResult } from '../results.js'

/** One `assert:` entry of a case, as validated against its check's schema. */
export interface Assertion {
  type: string
  [field: string]: unknown
}

/**
 * What a check may know of its case besides the samples: the messages the model was sent, whose
 * prompt names the function the answer should define (code checks read it when a check names none).
 */
export interface CheckContext {
  messages?: readonly { role: string; content: string }[]
}

/** What a check reports; the registry adds the `type`. */
export type CheckOutcome = Omit<CheckResult, 'type'>

/**
 * A kind of check a suite may name under `assert:`. Each definition brings the JSON schema of its
 * own fields, so the suite validator knows every check without a list kept elsewhere.
 */
export interface CheckDefinition {
  type: string
  /** One line for the README and error messages. */
  summary: string
  /** JSON-schema `properties` of the fields besides `type`. */
  properties: Record<string, object>
  required: string[]
  /**
   * Checks what a schema cannot (a regular expression compiles, …). Returns the problem with the
   * field it concerns, so the suite loader can point at that field instead of guessing one.
   */
  validate?(assertion: Assertion): { field: string; message: string } | undefined
  /**
   * Loads what `validate` needs and cannot load synchronously, such as the grammar a tree-sitter
   * query is checked against. The suite loader awaits it for every assertion before validating;
   * without it, `validate` checks only what needs nothing loaded, and `evaluate` reports the rest.
   */
  prepare?(assertion: Assertion): Promise<void>
  /**
   * Decides the check over all measured samples of a case. Samples that failed to complete are
   * passed too; a check decides for itself whether their partial text counts.
   */
  evaluate(assertion: Assertion, samples: readonly SampleResult[], context?: CheckContext): CheckOutcome | Promise<CheckOutcome>
}
