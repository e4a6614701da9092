import type { CaseResult, CheckResult, SampleResult } from '../results.js'
import { codeChecks } from './code/index.js'
import { tokensPerSecond, ttft } from './speed.js'
import { contains, notContains, notRegex, regex } from './text.js'
import type { Assertion, CheckContext, CheckDefinition } from './types.js'

export type { Assertion, CheckContext, CheckDefinition } from './types.js'

/** Every check a suite may name under `assert:`, by its `type`. */
export const checkRegistry: ReadonlyMap<string, CheckDefinition> = new Map(
  [contains, notContains, regex, notRegex, tokensPerSecond, ttft, ...codeChecks].map((d) => [d.type, d])
)

export async function runCheck(assertion: Assertion, samples: readonly SampleResult[], context?: CheckContext): Promise<CheckResult> {
  const definition = checkRegistry.get(assertion.type)
  if (!definition) return { type: assertion.type, passed: false, message: `unknown check type "${assertion.type}"` }
  try {
    return { type: assertion.type, ...(await definition.evaluate(assertion, samples, context)) }
  } catch (error) {
    // A check that throws on odd model output must fail that check, not the whole run.
    return { type: assertion.type, passed: false, message: `check failed to run: ${(error as Error).message}` }
  }
}

/**
 * Decides a case: every assertion over its samples, plus one failed check per sample that errored.
 * `context` carries what the checks may read of the case itself (its messages).
 */
export async function judgeCase(
  id: string,
  assertions: readonly Assertion[],
  samples: SampleResult[],
  context?: CheckContext
): Promise<Omit<CaseResult, 'tokensPerSecond' | 'ttftMs'>> {
  const checks: CheckResult[] = []
  for (const sample of samples) {
    if (sample.error) {
      checks.push({ type: 'request', passed: false, sample: sample.index, message: `sample ${sample.index + 1}: ${sample.error}` })
    }
  }
  for (const assertion of assertions) checks.push(await runCheck(assertion, samples, context))
  return { id, passed: checks.every((c) => c.passed), checks, samples }
}
