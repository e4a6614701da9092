import { codeCheck, codeSchema } from './code-check.js'
import { guardsOf, lineList } from './guards.js'

export const errorCodes = codeCheck({
  type: 'error-codes',
  summary: 'every code in `codes` is raised by a validation guard in the generated code, not in a catch, comment or log',
  properties: {
    codes: { type: 'array', minItems: 1, uniqueItems: true, items: codeSchema }
  },
  required: ['codes'],
  judge: (assertion, answer) => {
    const codes = (assertion.codes as (string | number)[]).map(String)
    const judged = codes.map((code) => ({ code, ...guardsOf(code, answer) }))
    const failures = judged.flatMap((entry) => (entry.failure ? [entry.failure] : []))
    if (failures.length > 0) {
      const line = failures.find((failure) => failure.line !== undefined)?.line
      return { passed: false, message: failures.map((failure) => failure.message).join('; '), ...(line !== undefined ? { line } : {}) }
    }
    const raised = judged.map((entry) => `${entry.code} (${lineList(entry.guards.map((guard) => guard.line))})`)
    return { passed: true, message: `each code is raised by a validation guard: ${raised.join(', ')}`, line: judged[0]!.guards[0]!.line }
  }
})
