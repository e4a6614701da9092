// `error-codes`: each listed code is raised by a validation guard that the function under test
// runs (target.ts), not in a catch, a comment, a log line or a test; why not, when it is not.
import { codeCheck, codeSchema, functionSchema, validateFunction } from './code-check.js'
import { guardsOf, lineList } from './guards.js'
import { findTarget } from './target.js'

export const errorCodes = codeCheck({
  type: 'error-codes',
  summary:
    'every code in `codes` is raised by a validation guard that the function under test (`function`, else the one the prompt names) runs, not in a catch, comment, log or test',
  properties: {
    codes: { type: 'array', minItems: 1, uniqueItems: true, items: codeSchema },
    function: functionSchema
  },
  required: ['codes'],
  validate: validateFunction,
  judge: (assertion, answer, context) => {
    const found = findTarget(answer, assertion.function as string | undefined, context)
    if ('failure' in found) return { passed: false, message: found.failure }
    const codes = (assertion.codes as (string | number)[]).map(String)
    const judged = codes.map((code) => ({ code, ...guardsOf(code, answer, found.target) }))
    const failures = judged.flatMap((entry) => (entry.failure ? [entry.failure] : []))
    if (failures.length > 0) {
      const line = failures.find((failure) => failure.line !== undefined)?.line
      return { passed: false, message: failures.map((failure) => failure.message).join('; '), ...(line !== undefined ? { line } : {}) }
    }
    const raised = judged.map((entry) => `${entry.code} (${lineList(entry.guards.map((guard) => guard.line))})`)
    const where = found.target.label ? ` that ${found.target.label} runs` : ''
    return { passed: true, message: `each code is raised by a validation guard${where}: ${raised.join(', ')}`, line: judged[0]!.guards[0]!.line }
  }
})
