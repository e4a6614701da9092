// Follows an error code through parsed code and decides, for each place it appears, whether a
// validation guard raises it there.
//
// What counts as a validation guard raising a code:
// - the code (a number, a string holding only the code, or a constant / enum constant / map
//   entry whose value is the code, followed to where it is used) sits in a branch of a
//   conditional: if / else if / elif, a ternary, a switch or match case or Kotlin `when` entry,
//   Kotlin's `?:` or C#'s `?? throw`, or is passed to an assertion helper
//   (`Assert.isTrue(cond, 50003)`, `checkArgument`, `require…`, `validate…`, `orElseThrow`), or
//   is the message of a constraint annotation on a parameter, field or property
//   (`@Range(min = 0, max = 1, message = "50003") Integer activeFlag`, C#'s `[Range(…)]`);
// - and that branch leaves or fails: the code is thrown, raised or returned, the branch returns,
//   throws, raises or panics, or the code goes into an error value (`Result.fail(…)`,
//   `new BizException(…)`, `errors.add(…)`: a callee whose name says error, exception, fail,
//   invalid, bad, reject…);
// - and it is not inside catch / except / finally / a Go defer / a promise `.catch`, nor in a
//   branch that handles an error a call returned (`if err != nil`, `if (err)`: the catch of Go
//   and callbacks, unless a validator returned the error), nor an argument of a log call, nor in
//   the condition that decides (`if (code == 50001)` compares, it does not raise).
// A code only in a comment or docstring, or inside a longer message string, is never raised.
//
// Syntax errors: tree-sitter recovers with ERROR nodes. An error between a code and its guard
// (inside the `if`, or around a code that has no guard) makes that code "in code that does not
// parse"; an error elsewhere, such as a function cut off by max-tokens, leaves intact guards
// counting. Blocks that are mostly errors are not analysed at all (see read.ts).
//
// What a guard tests: every name in its condition and in the conditions of the conditionals
// enclosing it up to the function, followed through local variables, for-each loops and lambdas
// over a collection (`for f in (active_flag, delete_flag)`), and into validator helpers (a guard
// testing a helper's parameter tests whatever each call passes there). Arguments of calls that
// write (`update…`, `save…`, `delete…`, `exec…`) are not tested: `if (!repo.update(activeFlag))`
// checks that a write worked, not that the input was valid.
import type { Node, Tree } from 'web-tree-sitter'
import type { CodeBlock } from './extract.js'
import { LANGUAGES, type LanguageId } from './languages.js'
import {
  argumentsNode,
  bindingParts,
  callArguments,
  calleeName,
  calleeText,
  callReceiver,
  callTakingLambda,
  conditionalRole,
  constrainedName,
  containsExit,
  describeCondition,
  encloses,
  firstSyntaxError,
  functionName,
  handlerKind,
  isCall,
  isComment,
  isDocString,
  isExit,
  isExitValue,
  isFunction,
  isIdentifier,
  isLambda,
  isStringLiteral,
  nameOf,
  namedChildren,
  parameterNames,
  stringContent,
  targetNames,
  type BindingParts,
  type HandlerKind
} from './syntax.js'

/** A parsed code block, with the nodes the analysis looks up again and again. */
export interface ParsedUnit {
  block: CodeBlock
  language: LanguageId
  tree: Tree
  comments: Node[]
  strings: Node[]
  /** Named leaves other than comments and strings: identifiers and literals. */
  leaves: Node[]
  calls: Node[]
  bindings: { node: Node; parts: BindingParts }[]
  /** Ids of the nodes that declare a name, which are not uses of it. */
  declaredIds: Set<number>
}

export function indexUnit(block: CodeBlock, language: LanguageId, tree: Tree): ParsedUnit {
  const unit: ParsedUnit = { block, language, tree, comments: [], strings: [], leaves: [], calls: [], bindings: [], declaredIds: new Set() }
  const visit = (node: Node): void => {
    if (isComment(node)) unit.comments.push(node)
    else if (isStringLiteral(node)) unit.strings.push(node)
    else if (node.childCount === 0 && node.isNamed) unit.leaves.push(node)
    if (isComment(node) || isStringLiteral(node) || node.childCount === 0) return
    if (isCall(node)) unit.calls.push(node)
    const parts = bindingParts(node)
    if (parts) {
      unit.bindings.push({ node, parts })
      for (const name of targetNames(parts.target)) unit.declaredIds.add(name.id)
    }
    for (const child of node.children) if (child) visit(child)
  }
  visit(tree.rootNode)
  return unit
}

function lineOf(unit: ParsedUnit, node: Node): number {
  return unit.block.startLine + node.startPosition.row
}

/** Where a code appears without being raised by a guard. */
export type SightingKind =
  | HandlerKind
  | 'error-check'
  | 'unparsed'
  | 'unconditional'
  | 'no-exit'
  | 'stray'
  | 'condition'
  | 'log'
  | 'message'
  | 'declared'
  | 'comment'

export interface Sighting {
  kind: SightingKind
  line: number
  /** The constant that carried the code there. */
  via?: string
  /** For 'unparsed': the language the code failed to parse as. */
  language?: string
}

export interface Guard {
  /** Line of the code (or its constant) in the guard. */
  line: number
  /** The deciding condition as written. */
  condition: string
  /** Normalised names the condition tests (see nameKeys). */
  tested: ReadonlySet<string>
}

export interface CodeTrace {
  guards: Guard[]
  sightings: Sighting[]
}

/** Lower case, letters and digits only, so ActiveFlag, activeFlag, active_flag and ACTIVE_FLAG meet. */
function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '')
}

/** The keys a name matches by: itself, and as an accessor (`getActiveFlag`, `isActiveFlag`, `get_active_flag`). */
export function nameKeys(name: string): string[] {
  return [squash(name), squash(name.replace(/^(get|is|has|Get|Is|Has)(?=[A-Z_])/, ''))]
}

// Field names that say "a code" rather than which one: `{ code: 50001 }` is an error value, not a
// constant named `code`.
const GENERIC_FIELDS = new Set(['code', 'errorcode', 'errcode', 'errno', 'status', 'statuscode', 'value', 'id', 'key', 'type', 'message', 'msg'])

const ERROR_VALUE = /error|exception|fail|invalid|reject|bad|abort|panic|raise|throw|deny|forbid|problem|unprocessable|conflict/i
const WRITE_CALL = /^(update|save|insert|delete|remove|exec|persist|send|write|modify|create|upsert|patch|commit|store|apply|change|mark|perform|process|handle|do(?=[A-Z_]))/i
const PROMISE_CATCH = /\.(catch|onFailure|exceptionally|onErrorResume|recover)$/

function isLogCall(callee: string): boolean {
  const segments = callee.split('.')
  const method = segments.pop() ?? ''
  const receiver = segments.join('.').replace(/^(this|self)\./, '')
  if (receiver === '') return /^(print|println|printf|puts)$/.test(method)
  if (/^(System\.(out|err)|Console|Debug|Trace)$/.test(receiver)) return true
  if (receiver === 'fmt') return /^F?Print/.test(method)
  return /(^|\.)_?(log|logger|logging|console|slog)$/i.test(receiver)
}

function isAssertion(call: Node): boolean {
  const name = calleeName(call)
  const receiver = calleeText(call).slice(0, -name.length)
  return /^(assert|check|require|ensure|verify|validate|precondition|orElseThrow)/i.test(name) || /(assert|precondition|guard|validat)/i.test(receiver)
}

function isIdentifierLike(text: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(text)
}

// `err != nil`, `updateErr != nil`, `error !== null`, or a bare `err` / `error` as a callback tests it.
const ERROR_TEST = /^(?:(err|error|e|ex|\w+Err|\w+Error)\s*!==?\s*(?:nil|null|undefined)|(err|error))$/
const VALIDATOR = /^(is|check|validat|verif|ensure|assert|require)|valid/i

function callsValidator(node: Node): boolean {
  if (isCall(node) && VALIDATOR.test(calleeName(node))) return true
  return namedChildren(node).some(callsValidator)
}

/**
 * Whether a conditional handles an error some call returned (`if err != nil`, `if (err)`): Go's and
 * callbacks' catch. An error from a validator (`if err := validateFlags(…); err != nil`) is validation.
 */
function handlesError(conditional: Node, unit: ParsedUnit): boolean {
  const condition = conditional.childForFieldName('condition')?.text.replace(/\s+/g, ' ').replace(/^\((.*)\)$/, '$1').trim()
  const tested = condition ? ERROR_TEST.exec(condition) : null
  if (!tested) return false
  const name = tested[1] ?? tested[2]
  const scope = scopeOf(conditional, unit).node
  const sources = unit.bindings.filter(
    (binding) => encloses(scope, binding.node) && targetNames(binding.parts.target).some((target) => target.text === name)
  )
  return !sources.some((binding) => callsValidator(binding.parts.value))
}

type Placement =
  | { kind: 'guard'; conditional: Node; conditions: Node[]; own: Node[] }
  | { kind: Exclude<SightingKind, 'declared' | 'comment' | 'message'>; line?: number }

/** Decides what the code at `site` is: raised by a guard, or why not. */
function placeSite(site: Node, unit: ParsedUnit): Placement {
  let handler: HandlerKind | undefined
  let broken: Node | undefined
  let inLog = false
  let handlesFailure = false
  let inCondition = false
  let raisesHere = false
  let guard: { conditional: Node; branch: Node; expression: boolean; own: Node[] } | undefined
  const conditions: Node[] = []
  let child = site
  for (let node = site.parent; node; child = node, node = node.parent) {
    // Only a syntax error between the code and its guard makes the guard doubtful; one around
    // the guard (a function cut off by max-tokens) leaves it intact.
    if (node.isError && !guard) broken ??= node
    handler ??= handlerKind(node)
    const args = isCall(node) ? argumentsNode(node) : undefined
    if (args && encloses(args, site)) {
      const callee = calleeText(node)
      if (isLogCall(callee)) inLog = true
      else if (PROMISE_CATCH.test(callee)) handler ??= 'catch'
      else if (!guard && !inCondition && isAssertion(node)) {
        const passed = callArguments(node)
        const branch = passed.find((argument) => encloses(argument, site)) ?? args
        const own = [...passed, callReceiver(node)].filter((part): part is Node => part !== undefined && !encloses(part, site))
        guard = { conditional: node, branch, expression: false, own }
        conditions.push(...own)
        raisesHere = true
      }
      if (!guard && ERROR_VALUE.test(callee)) raisesHere = true
    }
    if (!guard && isExit(node)) raisesHere = true
    const constrained = guard || inCondition ? undefined : constrainedName(node)
    if (constrained) {
      guard = { conditional: node, branch: child, expression: false, own: [constrained] }
      conditions.push(constrained)
      raisesHere = true
    }
    const role = conditionalRole(node, child)
    if (role?.role === 'condition' && !guard) inCondition = true
    if (role?.role === 'branch' && !inCondition) {
      if (!guard && handlesError(node, unit)) handlesFailure = true
      guard ??= { conditional: node, branch: child, expression: role.expression, own: role.conditions }
      conditions.push(...role.conditions)
    }
    // A lambda passed to a call runs as part of the code around it; a declared function does not.
    if (isFunction(node) && !(isLambda(node) && callTakingLambda(node))) break
  }
  if (handler) return { kind: handler }
  if (handlesFailure) return { kind: 'error-check' }
  if (inLog) return { kind: 'log' }
  if (inCondition) return { kind: 'condition' }
  if (broken) return { kind: 'unparsed', line: lineOf(unit, firstSyntaxError(broken) ?? broken) }
  if (!guard) return { kind: raisesHere ? 'unconditional' : 'stray' }
  const error = firstSyntaxError(guard.conditional)
  if (error) return { kind: 'unparsed', line: lineOf(unit, error) }
  const raises = raisesHere || containsExit(guard.branch) || (guard.expression && isExitValue(guard.conditional))
  if (!raises) return { kind: 'no-exit' }
  return { kind: 'guard', conditional: guard.conditional, conditions, own: guard.own }
}

/** The name a code's value is declared under (`USER_ID_INVALID = 50001`, `INVALID_FLAG(50003, …)`), if any. */
function declaredName(site: Node): Node | undefined {
  for (let node = site.parent; node; node = node.parent) {
    const parts = bindingParts(node)
    if (parts && encloses(parts.value, site)) {
      const [name, ...more] = targetNames(parts.target)
      // A field of an error value (`{ code: 50001 }`, `resp.code = 50001`, C#'s `new E { Code = 50001 }`)
      // is not a constant; the value it belongs to may be.
      const inInitializer = node.parent?.type === 'initializer_expression'
      const genericField = (node.type === 'pair' || !isIdentifier(parts.target)) && GENERIC_FIELDS.has(squash(name ? nameOf(name) : ''))
      if (name && more.length === 0 && !inInitializer && !genericField) return name
    }
    if (isExit(node) || isFunction(node) || /(statement|block|body|statements)$/.test(node.type)) return undefined
  }
  return undefined
}

interface Scope {
  /** The function (or whole unit) whose local bindings feed a condition. */
  node: Node
  /** Lambda parameters bound to the collection the lambda iterates: `Stream.of(a, b).forEach(f -> …)`. */
  lambdaBindings: { names: string[]; value: Node }[]
}

function scopeOf(node: Node, unit: ParsedUnit): Scope {
  const lambdaBindings: Scope['lambdaBindings'] = []
  for (let at = node.parent; at; at = at.parent) {
    if (!isFunction(at)) continue
    const call = isLambda(at) ? callTakingLambda(at) : undefined
    if (!call) return { node: at, lambdaBindings }
    const receiver = callReceiver(call)
    const parameters = parameterNames(at)
    // Kotlin's implicit lambda parameter.
    if (receiver) lambdaBindings.push({ names: parameters.length > 0 ? parameters : ['it'], value: receiver })
  }
  return { node: unit.tree.rootNode, lambdaBindings }
}

/** The names a piece of code reads, leaving out what it passes to writes. */
function collectNames(node: Node, into: Set<string>): void {
  if (isComment(node)) return
  if (isIdentifier(node)) {
    into.add(node.text)
    return
  }
  if (isStringLiteral(node)) {
    // Keys: `req["active_flag"]`, `data.get("activeFlag")`.
    const content = stringContent(node)
    if (isIdentifierLike(content)) into.add(content)
    return
  }
  if (isCall(node) && WRITE_CALL.test(calleeName(node))) return
  for (const child of namedChildren(node)) collectNames(child, into)
}

/** Adds what the local variables among `names` were computed from, until nothing new appears. */
function followBindings(names: Set<string>, scope: Scope, unit: ParsedUnit): void {
  const bindings = [
    ...unit.bindings
      .filter((binding) => encloses(scope.node, binding.node))
      .map((binding) => ({ names: targetNames(binding.parts.target).map(nameOf), value: binding.parts.value })),
    ...scope.lambdaBindings
  ]
  const pending = [...names]
  const seen = new Set(names)
  while (pending.length > 0) {
    const name = pending.pop()!
    for (const binding of bindings) {
      if (!binding.names.includes(name)) continue
      const found = new Set<string>()
      collectNames(binding.value, found)
      for (const more of found) {
        if (seen.has(more)) continue
        seen.add(more)
        names.add(more)
        pending.push(more)
      }
    }
  }
}

/** Traces one code through every parsed block of an answer. */
export function traceCode(code: string, units: readonly ParsedUnit[]): CodeTrace {
  const trace: CodeTrace = { guards: [], sightings: [] }
  const pattern = codePattern(code)
  const numeric = /^\d+$/.test(code)
  const followedNames = new Set<string>()

  const isCodeLiteral = (leaf: Node): boolean =>
    leaf.text === code || (numeric && leaf.text.replace(/_/g, '').replace(/[lLuU]+$/, '') === code)

  const usesOf = (name: string): { node: Node; unit: ParsedUnit }[] =>
    units.flatMap((unit) =>
      [...unit.leaves.filter(isIdentifier), ...unit.strings]
        .filter((node) => nameOf(node) === name && !unit.declaredIds.has(node.id) && !isImport(node))
        .map((node) => ({ node, unit }))
    )

  const testedBy = (placement: Extract<Placement, { kind: 'guard' }>, unit: ParsedUnit): Set<string> => {
    const names = new Set<string>()
    for (const condition of placement.conditions) collectNames(condition, names)
    const scope = scopeOf(placement.conditional, unit)
    followBindings(names, scope, unit)
    // A guard inside a validator helper tests what its callers pass for the parameters it tests.
    const helper = isFunction(scope.node) ? functionName(scope.node) : undefined
    if (helper) {
      const parameters = parameterNames(scope.node)
      for (const caller of units) {
        for (const call of caller.calls) {
          if (calleeName(call) !== helper || encloses(scope.node, call)) continue
          const passed = new Set<string>()
          callArguments(call).forEach((argument, index) => {
            if (names.has(parameters[index] ?? '')) collectNames(argument, passed)
          })
          followBindings(passed, scopeOf(call, caller), caller)
          for (const name of passed) names.add(name)
        }
      }
    }
    return new Set([...names].flatMap(nameKeys))
  }

  const follow = (site: Node, unit: ParsedUnit, via: string | undefined, depth: number): void => {
    const placement = placeSite(site, unit)
    if (placement.kind === 'guard') {
      const condition = describeCondition(placement.conditional, placement.own)
      trace.guards.push({ line: lineOf(unit, site), condition, tested: testedBy(placement, unit) })
      return
    }
    const declared = depth < 3 ? declaredName(site) : undefined
    if (declared) {
      const name = nameOf(declared)
      if (followedNames.has(name)) return
      followedNames.add(name)
      const uses = usesOf(name)
      if (uses.length === 0) trace.sightings.push({ kind: 'declared', line: lineOf(unit, site), via: name })
      for (const use of uses) follow(use.node, use.unit, name, depth + 1)
      return
    }
    trace.sightings.push({
      kind: placement.kind,
      line: placement.line ?? lineOf(unit, site),
      ...(via ? { via } : {}),
      ...(placement.kind === 'unparsed' ? { language: LANGUAGES[unit.language].label } : {})
    })
  }

  for (const unit of units) {
    // Javadoc and text blocks span lines: point at the line holding the code.
    const lineWithin = (node: Node, at: number): number => lineOf(unit, node) + node.text.slice(0, at).split('\n').length - 1
    for (const comment of unit.comments) {
      const match = pattern.exec(comment.text)
      if (match) trace.sightings.push({ kind: 'comment', line: lineWithin(comment, match.index) })
    }
    for (const string of unit.strings) {
      const match = pattern.exec(string.text)
      if (stringContent(string).trim() === code) follow(string, unit, undefined, 0)
      else if (match) {
        const kind = isDocString(string) ? 'comment' : messagePlace(placeSite(string, unit))
        trace.sightings.push({ kind, line: lineWithin(string, match.index) })
      }
    }
    for (const leaf of unit.leaves) if (isCodeLiteral(leaf)) follow(leaf, unit, undefined, 0)
  }
  return trace
}

/** Finds a code as a whole word in text: 50001 but not 150001 or 50001.5. */
export function codePattern(code: string): RegExp {
  return new RegExp(`(?<![\\w$.])${code.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w$]|\\.\\d)`)
}

/** A code inside a message keeps where the message is when that says more: in a catch, a log, an error check. */
function messagePlace(placement: Placement): SightingKind {
  switch (placement.kind) {
    case 'catch':
    case 'except':
    case 'finally':
    case 'defer':
    case 'error-check':
    case 'log':
      return placement.kind
    default:
      return 'message'
  }
}

function isImport(node: Node): boolean {
  for (let at = node.parent; at; at = at.parent) if (/import|using_directive/.test(at.type)) return true
  return false
}
