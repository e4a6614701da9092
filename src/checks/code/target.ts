// What a code check judges in an answer: the functions under test and all they reach. A guard
// counts only where those functions can run it: a validator class the method never calls, an
// example `main`, or a helper nobody calls validates nothing.
//
// The functions under test are the ones the check's `function:` names, or else the ones whose
// names the case's prompt mentions; when the answer defines none of the prompt's, every function
// counts. From them the calls are followed through the answer, by name (`validator.check(…)`
// reaches every `check` the answer defines; naming a class reaches its constructors), and
// declarative validation runs where its framework runs it: a class's constraints when a reached
// function takes it as a parameter (with `@Valid` on the JVM), a pydantic model's validators
// also when a reached function builds it.
//
// The signature the suite gives (`function: updateUserStatus(userId, ActiveFlag,
// SystemDeleteFlag)`, or the prompt's `updateUserStatus(Long userId, …)`) lets renamed parameters
// match: by a loose name match (sysDelFlag ↔ SystemDeleteFlag, uid ↔ userId) and, when the
// answer's function takes as many parameters, by position.
import type { Node } from 'web-tree-sitter'
import type { CheckContext } from '../types.js'
import { looselyNamed, sameName, squash } from './names.js'
import { languageOf } from './parser.js'
import type { AnswerCode } from './read.js'
import {
  annotationName,
  annotationsOf,
  callTakingLambda,
  className,
  functionName,
  isClass,
  isDeclaredFunction,
  isFunction,
  isLambda,
  parameterNames,
  parameterTexts
} from './syntax.js'
import { isTestCode } from './tests.js'
import type { ParsedUnit } from './unit.js'

/** Where a guard lies that the functions under test never run. */
export interface Unreached {
  /** `in \`UserValidator.check\``, `by constraints on \`UpdateStatusRequest\``. */
  where: string
  /** What the functions under test never do with it: `calls`, `validates`, `runs`. */
  never: string
}

export interface Target {
  /** How messages name the functions under test (`updateUserStatus`); undefined when every function counts. */
  label?: string
  /** The suite's parameter names the answer renamed, with the name it gave each. */
  renamed: ReadonlyMap<string, string>
  /** Why a guard at `site` does not run when the functions under test do; undefined when it does. */
  unreached(site: Node): Unreached | undefined
  /** Whether a node is test code, which never counts (tests.ts). */
  isTest(node: Node): boolean
}

interface Declared {
  node: Node
  unit: ParsedUnit
  name: string
  /** `UserValidator.check`, or the name alone outside a class. */
  label: string
}

/** The function a check names: `updateUserStatus`, or with its parameters `updateUserStatus(userId, ActiveFlag)`. */
const FUNCTION_FIELD = /^\s*([A-Za-z_$][\w$]*)\s*(?:\(([^()]*)\))?\s*$/

// Words a prompt's signature writes for types, not names: `Long userId`, `user_id: int`, `userID int64`.
const TYPE_WORDS = /^(int|long|short|byte|float|double|bool|boolean|char|string|str|number|integer|bigint|decimal|object|any|void|int8|int16|int32|int64|uint|uint32|uint64|float32|float64|u?int\d*)$/i

// A name in a prompt, unless it is a member of something else (`Result.error`, `userMapper.update`).
const PROMPT_NAME = /(?<![\w$.])[A-Za-z_$][\w$]{2,}/g

/**
 * Whether a prompt writes a name as code rather than as a word: camelCase or snake_case, called,
 * or in backticks. "Validate the parameters" names no function `validate`.
 */
function writtenAsCode(match: RegExpExecArray | RegExpMatchArray, prompt: string): boolean {
  const end = match.index! + match[0].length
  return /[a-z\d][A-Z]|_/.test(match[0]) || /^\s*\(/.test(prompt.slice(end)) || (prompt[match.index! - 1] === '`' && prompt[end] === '`')
}

/** Whether `function:` is well formed, for the suite loader. */
export function validFunctionField(value: string): boolean {
  return FUNCTION_FIELD.test(value)
}

/** The names in a written parameter list: `Long userId, Integer ActiveFlag` or `user_id: int` → userId…, user_id. */
function signatureNames(list: string): string[] {
  return list
    .split(',')
    .map((part) => {
      const words = (part.includes(':') ? part.split(':')[0]! : part).match(/[A-Za-z_$][\w$]*/g) ?? []
      const names = words.filter((word) => !TYPE_WORDS.test(word))
      return part.includes(':') ? (names[0] ?? '') : (names[names.length - 1] ?? '')
    })
    .filter((name) => name !== '')
}

function labelOf(node: Node, name: string): string {
  for (let at = node.parent; at; at = at.parent) {
    const owner = isClass(at) ? className(at) : undefined
    if (owner) return `${owner}.${name}`
  }
  return name
}

/** The function a node runs in: a declared one, or a lambda given a name; lambdas passed to calls run in theirs. */
function enclosingFunction(node: Node, byNode: ReadonlyMap<number, Declared>): Declared | undefined {
  for (let at = node.parent; at; at = at.parent) {
    const declared = isFunction(at) ? byNode.get(at.id) : undefined
    if (declared) return declared
  }
  return undefined
}

function enclosingClass(node: Node): Node | undefined {
  for (let at = node.parent; at; at = at.parent) if (isClass(at) && className(at)) return at
  return undefined
}

function declaredFunctions(answer: AnswerCode): Declared[] {
  const found: Declared[] = []
  for (const unit of answer.units) {
    const visit = (node: Node): void => {
      if (isFunction(node) && (isDeclaredFunction(node) || (isLambda(node) && !callTakingLambda(node)))) {
        const name = functionName(node)
        if (name) found.push({ node, unit, name, label: labelOf(node, name) })
      }
      for (const child of node.namedChildren) if (child) visit(child)
    }
    visit(unit.tree.rootNode)
  }
  return found
}

/** Maps the suite's names to the answer's parameters: the same name, a loose one, then by position. */
function renamedParameters(suiteNames: readonly string[], signature: readonly string[], parameters: readonly string[]): Map<string, string> {
  const matched = new Map<string, string>()
  const taken = new Set<string>()
  const take = (suite: string, answer: string): void => {
    matched.set(suite, answer)
    taken.add(answer)
  }
  for (const suite of suiteNames) {
    const same = parameters.find((parameter) => sameName(suite, parameter))
    if (same) take(suite, same)
  }
  const open = (): string[] => suiteNames.filter((suite) => !matched.has(suite))
  for (const suite of open()) {
    const loose = parameters.filter((parameter) => !taken.has(parameter) && looselyNamed(suite, parameter))
    const [only] = loose
    if (loose.length === 1 && only && !open().some((other) => other !== suite && looselyNamed(other, only))) take(suite, only)
  }
  if (signature.length === parameters.length) {
    signature.forEach((suite, index) => {
      const parameter = parameters[index]!
      if (!matched.has(suite) && !taken.has(parameter)) take(suite, parameter)
    })
  }
  return new Map([...matched].filter(([suite, answer]) => !sameName(suite, answer)))
}

/** What the functions under test are called, and the parameters the suite or prompt writes for them. */
function wanted(field: string | undefined, context: CheckContext | undefined, defined: readonly Declared[]): { names: string[]; signature: string[]; explicit: boolean } {
  if (field !== undefined) {
    const [, name = '', list] = FUNCTION_FIELD.exec(field) ?? []
    return { names: [name], signature: list === undefined ? [] : signatureNames(list), explicit: true }
  }
  const prompt = (context?.messages ?? []).filter((message) => message.role !== 'assistant').map((message) => message.content).join('\n')
  const mentioned = new Set([...prompt.matchAll(PROMPT_NAME)].filter((match) => writtenAsCode(match, prompt)).map((match) => squash(match[0])))
  const names = [...new Set(defined.map((fn) => fn.name).filter((name) => mentioned.has(squash(name))))]
  const call = [...prompt.matchAll(/([A-Za-z_$][\w$]*)\s*\(([^()]*)\)/g)].find((match) => names.some((name) => squash(name) === squash(match[1]!)))
  return { names, signature: call ? signatureNames(call[2]!) : [], explicit: false }
}

/**
 * Finds the functions under test and what they reach. `suiteNames` are the parameter names the
 * check speaks of, which renamed parameters are matched to. An answer that lacks the function a
 * check names has failed.
 */
export function findTarget(
  answer: AnswerCode,
  field: string | undefined,
  context: CheckContext | undefined,
  suiteNames: readonly string[] = []
): { target: Target } | { failure: string } {
  const defined = declaredFunctions(answer).filter((fn) => !isTestCode(fn.node))
  const { names, signature, explicit } = wanted(field, context, defined)
  const entries = defined.filter((fn) => names.some((name) => squash(name) === squash(fn.name)))
  if (entries.length === 0 && explicit) {
    const others = [...new Set(defined.map((fn) => fn.label))]
    const found = others.length > 0 ? ` (it defines ${others.slice(0, 3).map((label) => `\`${label}\``).join(', ')}${others.length > 3 ? ', …' : ''})` : ''
    return { failure: `the answer defines no function \`${names[0]}\`${found}` }
  }
  if (entries.length === 0) return { target: { renamed: new Map(), unreached: () => undefined, isTest: isTestCode } }

  const byNode = new Map(defined.map((fn) => [fn.node.id, fn]))
  const byName = new Map<string, Declared[]>()
  for (const fn of defined) {
    byName.set(fn.name, [...(byName.get(fn.name) ?? []), fn])
    // Naming a class reaches its constructors: `new UserValidator()`, `UserValidator(…)`, `__init__`.
    const owner = enclosingClass(fn.node)
    const ownerName = owner ? className(owner) : undefined
    if (ownerName && (fn.name === ownerName || /^(__init__|constructor|init)$/.test(fn.name))) byName.set(ownerName, [...(byName.get(ownerName) ?? []), fn])
  }
  const reached = new Set<Declared>()
  const pending = [...entries]
  while (pending.length > 0) {
    const fn = pending.pop()!
    if (reached.has(fn)) continue
    reached.add(fn)
    const { startIndex, endIndex } = fn.node
    for (const leaf of fn.unit.leaves) {
      if (leaf.startIndex < startIndex || leaf.endIndex > endIndex) continue
      for (const callee of byName.get(leaf.text) ?? []) if (!reached.has(callee)) pending.push(callee)
    }
  }

  const validated = (cls: Node): boolean => {
    const name = className(cls)!
    const { declarative } = languageOf(cls)
    const mentions = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`)
    return [...reached].some(
      (fn) =>
        parameterTexts(fn.node).some((text) => mentions.test(text) && (!declarative?.parameterMarker || declarative.parameterMarker.test(text))) ||
        (declarative?.validatesOnConstruction === true &&
          fn.unit.leaves.some((leaf) => leaf.text === name && leaf.startIndex >= fn.node.startIndex && leaf.endIndex <= fn.node.endIndex))
    )
  }
  const isValidatorOf = (fn: Declared): Node | undefined => {
    const decorators = languageOf(fn.node).declarative?.validatorDecorators
    const cls = enclosingClass(fn.node)
    return decorators && cls && annotationsOf(fn.node).some((annotation) => decorators.test(annotationName(annotation))) ? cls : undefined
  }

  const label = [...new Set(entries.map((fn) => `\`${fn.name}\``))].join(' or ')
  const parameters = [...new Set(entries.flatMap((fn) => parameterNames(fn.node)))]
  const suite = [...new Set([...signature, ...suiteNames])]
  return {
    target: {
      label,
      renamed: renamedParameters(suite, signature, parameters),
      isTest: isTestCode,
      unreached(site) {
        const fn = enclosingFunction(site, byNode)
        if (fn) {
          if (reached.has(fn)) return undefined
          const model = isValidatorOf(fn)
          if (model && validated(model)) return undefined
          return { where: `in \`${fn.label}\``, never: 'calls' }
        }
        const cls = enclosingClass(site)
        if (cls && validated(cls)) return undefined
        return cls ? { where: `by constraints on \`${className(cls)}\``, never: 'validates' } : { where: 'outside any function', never: 'runs' }
      }
    }
  }
}
