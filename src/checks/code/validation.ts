// What the guard raising each code must test: one code's (`code` with `params` and/or `lookup`),
// or several codes' at once, each written the same way under `guards`:
//
//   guards:
//     - { code: 50001, params: [userId] }                      # userId itself
//     - { code: 50002, lookup: userId }                        # what looking the user up by userId returned
//     - { code: 50003, params: [ActiveFlag, SystemDeleteFlag] }  # both flags, by one guard or several
//
// A parameter is tested when a guard's condition reads it, not only what a lookup by it
// returned (trace.ts). Every guard raising the code must test one of what its condition names,
// and together they must test all of it: 50001 raised once for a bad userId and again for an
// unknown user is raised for the wrong reason.
import { quote } from '../text.js'
import type { Assertion } from '../types.js'
import { codeCheck, codeSchema, functionSchema, validateFunction } from './code-check.js'
import { guardsOf, lineList, type Failure } from './guards.js'
import { nameKeys } from './names.js'
import type { AnswerCode } from './read.js'
import { findTarget, type Target } from './target.js'
import type { Guard } from './trace.js'

const nameSchema = { type: 'string', minLength: 1 }
const paramsSchema = { type: 'array', minItems: 1, items: nameSchema }

/** One code and what its guard must test, as `guards:` lists them: the fields of the one-code form. */
const guardSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['code'],
  properties: { code: codeSchema, params: paramsSchema, lookup: nameSchema }
}

interface Written {
  code?: string | number
  params?: string[]
  lookup?: string
}

interface Condition {
  params: string[]
  lookup?: string
}

/** Each code and its condition, from either form. */
function conditionsOf(assertion: Assertion): { code: string; condition: Condition }[] {
  const written = (assertion.guards as Written[] | undefined) ?? [assertion as Written]
  return written.map(({ code, params, lookup }) => ({ code: String(code), condition: { params: params ?? [], ...(lookup !== undefined ? { lookup } : {}) } }))
}

/** What `guards` lacks that its schema cannot say: each code once, and something to test. */
function validateGuards(guards: Written[]): { field: string; message: string } | undefined {
  const seen = new Set<string>()
  for (const { code, params, lookup } of guards) {
    if (params === undefined && lookup === undefined) return { field: 'guards', message: `needs params or lookup for code ${code}` }
    if (seen.has(String(code))) return { field: 'guards', message: `lists code ${code} twice` }
    seen.add(String(code))
  }
  return undefined
}

function list(names: string[], conjunction: 'and' | 'or'): string {
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} ${conjunction} ${names[names.length - 1]}`
}

const lookupOf = (name: string): string => `what a lookup by ${name} returns`

/** Says what a condition asks for: `ActiveFlag and SystemDeleteFlag`, `what a lookup by userId returns`. */
function asked({ params, lookup }: Condition, conjunction: 'and' | 'or'): string {
  return list([...(params.length > 0 ? [list(params, conjunction)] : []), ...(lookup !== undefined ? [lookupOf(lookup)] : [])], conjunction)
}

interface Passed {
  passed: true
  /** What the guards test, as the message says it. */
  asked: string
  line: number
  where: string
}

type Judged = Passed | { passed: false; failure: Failure }

/** Judges one code's guards against its condition, reading renamed parameters as the suite's names. */
function judgeCode(code: string, condition: Condition, answer: AnswerCode, target: Target): Judged {
  const { guards, failure } = guardsOf(code, answer, target)
  if (failure) return { passed: false, failure }
  const keysOf = (name: string): string[] => [...nameKeys(name), ...(target.renamed.has(name) ? nameKeys(target.renamed.get(name)!) : [])]
  const reads = (guard: Guard, name: string, mode: 'direct' | 'lookup'): boolean => keysOf(name).some((key) => guard.tested[mode].has(key))
  const { params, lookup } = condition
  const meets = (guard: Guard): boolean =>
    params.some((param) => reads(guard, param, 'direct')) || (lookup !== undefined && reads(guard, lookup, 'lookup'))
  const missing: Condition = {
    params: params.filter((param) => !guards.some((guard) => reads(guard, param, 'direct'))),
    ...(lookup !== undefined && !guards.some((guard) => reads(guard, lookup, 'lookup')) ? { lookup } : {})
  }
  // What guards lack, said plainly; a parameter they read only through a lookup is said so.
  const lacking = (lacked: Condition, among: Guard[]): string =>
    lacked.lookup === undefined && lacked.params.every((param) => among.some((guard) => reads(guard, param, 'lookup')))
      ? `${list(lacked.params, 'or')} itself, only what a lookup by it returns`
      : asked(lacked, 'or')
  const line = guards[0]!.line
  const where = lineList(guards.map((guard) => guard.line))
  if (missing.params.length > 0 || missing.lookup !== undefined) {
    const message =
      guards.length === 1
        ? `the guard raising ${code} (${where}) does not test ${lacking(missing, guards)}; its condition is ${quote(guards[0]!.condition)}`
        : `the guards raising ${code} (${where}) do not test ${lacking(missing, guards)}`
    return { passed: false, failure: { message, line } }
  }
  const astray = guards.find((guard) => !meets(guard))
  if (astray) {
    const message = `${code} is also raised by a guard that does not test ${lacking(condition, [astray])} (line ${astray.line}); its condition is ${quote(astray.condition)}`
    return { passed: false, failure: { message, line: astray.line } }
  }
  return { passed: true, asked: asked(condition, 'and'), line, where }
}

/** `; sysDelFlag taken for SystemDeleteFlag`, for the names a message speaks of that the answer renamed. */
function renames(target: Target, names: string[]): string {
  const taken = [...new Set(names)].filter((name) => target.renamed.has(name)).map((name) => `${target.renamed.get(name)} taken for ${name}`)
  return taken.length > 0 ? `; ${taken.join(', ')}` : ''
}

export const validation = codeCheck({
  type: 'validation',
  summary:
    'the guards raising `code` test every parameter in `params` (or what a `lookup` by one returned); `guards` lists that for several codes',
  properties: {
    code: codeSchema,
    params: paramsSchema,
    lookup: nameSchema,
    guards: { type: 'array', minItems: 1, items: guardSchema },
    function: functionSchema
  },
  required: [],
  validate: (assertion) => {
    const single = assertion.code !== undefined || assertion.params !== undefined || assertion.lookup !== undefined
    if (assertion.guards !== undefined && single) {
      return { field: assertion.code !== undefined ? 'code' : assertion.params !== undefined ? 'params' : 'lookup', message: 'cannot be given with guards' }
    }
    if (assertion.guards === undefined && assertion.code === undefined) {
      return single ? { field: 'code', message: 'is required with params or lookup' } : { field: 'guards', message: 'is required (or code with params or lookup)' }
    }
    if (assertion.guards === undefined && assertion.params === undefined && assertion.lookup === undefined) {
      return { field: 'params', message: 'is required with code (or lookup)' }
    }
    return (assertion.guards ? validateGuards(assertion.guards as Written[]) : undefined) ?? validateFunction(assertion)
  },
  judge: (assertion, answer, context) => {
    const conditions = conditionsOf(assertion)
    const names = conditions.flatMap(({ condition }) => [...condition.params, ...(condition.lookup !== undefined ? [condition.lookup] : [])])
    const found = findTarget(answer, assertion.function as string | undefined, context, names)
    if ('failure' in found) return { passed: false, message: found.failure }
    const { target } = found
    const judged = conditions.map(({ code, condition }) => ({ code, condition, ...judgeCode(code, condition, answer, target) }))
    const failures = judged.flatMap((entry) => (entry.passed ? [] : [entry.failure]))
    if (failures.length > 0) {
      const line = failures.find((failure) => failure.line !== undefined)?.line
      const failed = judged.filter((entry) => !entry.passed).flatMap(({ condition }) => condition.params)
      return { passed: false, message: failures.map((failure) => failure.message).join('; ') + renames(target, failed), ...(line !== undefined ? { line } : {}) }
    }
    const passed = judged.filter((entry): entry is (typeof judged)[number] & Passed => entry.passed)
    const renamed = renames(target, names)
    if (!assertion.guards) {
      const only = passed[0]!
      return { passed: true, message: `${only.code} is raised by a guard that tests ${only.asked} (${only.where}${renamed})`, line: only.line }
    }
    const each = passed.map((entry) => `${entry.code} tests ${entry.asked} (${entry.where})`)
    return { passed: true, message: `each code is raised by a guard that tests what it should: ${each.join(', ')}${renamed}`, line: passed[0]!.line }
  }
})
