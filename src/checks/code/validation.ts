import { quote } from '../text.js'
import { codeCheck, codeSchema } from './code-check.js'
import { guardsOf, lineList } from './guards.js'
import { nameKeys } from './names.js'

function list(names: string[], conjunction: 'and' | 'or'): string {
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} ${conjunction} ${names[names.length - 1]}`
}

export const validation = codeCheck({
  type: 'validation',
  summary: 'the guard raising `code` tests every parameter in `params`',
  properties: {
    code: codeSchema,
    params: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } }
  },
  required: ['code', 'params'],
  judge: (assertion, answer) => {
    const code = String(assertion.code)
    const params = (assertion.params as string[]).map(String)
    const { guards, failure } = guardsOf(code, answer)
    if (failure) return { passed: false, ...failure }
    const tested = new Set(guards.flatMap((guard) => [...guard.tested]))
    const missing = params.filter((param) => !nameKeys(param).some((key) => tested.has(key)))
    const line = guards[0]!.line
    const where = lineList(guards.map((guard) => guard.line))
    if (missing.length === 0) {
      return { passed: true, message: `${code} is raised by a guard that tests ${list(params, 'and')} (${where})`, line }
    }
    const message =
      guards.length === 1
        ? `the guard raising ${code} (${where}) does not test ${list(missing, 'or')}; its condition is ${quote(guards[0]!.condition)}`
        : `the guards raising ${code} (${where}) do not test ${list(missing, 'or')}`
    return { passed: false, message, line }
  }
})
