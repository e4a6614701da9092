// Decides, for one place an error code appears in parsed code, whether a validation guard raises
// it there, and if not, why not. trace.ts follows the code to each such place.
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
// - and it is not inside catch / except / finally / a Go defer / a promise `.catch` (except a
//   handler that catches only a lookup finding nothing, `except User.DoesNotExist` around
//   `User.objects.get(pk=user_id)`, which guards the lookup), nor in a
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
// What a guard tests is trace.ts's part (testedBy).
import type { Node } from 'web-tree-sitter'
import { isLookupCall, VALIDATOR } from './calls.js'
import type { HandlerKind } from './languages/spec.js'
import {
  argumentsNode,
  callArguments,
  calleeName,
  calleeText,
  callReceiver,
  callTakingLambda,
  conditionalRole,
  constrainedName,
  containsExit,
  encloses,
  firstSyntaxError,
  handlerKind,
  isCall,
  isExit,
  isExitValue,
  isFunction,
  isLambda,
  namedChildren,
  targetNames
} from './syntax.js'
import { lineOf, scopeOf, type ParsedUnit } from './unit.js'

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

export type Placement =
  | { kind: 'guard'; conditional: Node; conditions: Node[]; own: Node[] }
  | { kind: Exclude<SightingKind, 'declared' | 'comment' | 'message'>; line?: number }

// The conventions below are names and text, not node types: a Kotlin answer prints with
// System.out, a TypeScript one tests `err`, so they hold for every language alike.

const ERROR_VALUE = /error|exception|fail|invalid|reject|bad|abort|panic|raise|throw|deny|forbid|problem|unprocessable|conflict/i
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

// `err != nil`, `updateErr != nil`, `error !== null`, or a bare `err` / `error` as a callback tests it.
const ERROR_TEST = /^(?:(err|error|e|ex|\w+Err|\w+Error)\s*!==?\s*(?:nil|null|undefined)|(err|error))$/
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

// Exceptions that say a lookup found nothing: Django's DoesNotExist, JPA's EntityNotFoundException,
// Java's NoSuchElementException (Optional.get), SQLAlchemy's NoResultFound, Python's KeyError.
const NOT_FOUND = /DoesNotExist|NotFound|NoSuchElement|NoResult|EmptyResult|Missing|KeyError|LookupError/

/**
 * A catch or except that handles only a lookup finding nothing: the not-found branch of the
 * lookups its try runs, which are what it tests. A catch of anything broader is a catch.
 */
function notFoundHandler(handler: Node, unit: ParsedUnit): { caught: Node[]; lookups: Node[] } | undefined {
  const kind = handlerKind(handler)
  if (kind !== 'catch' && kind !== 'except') return undefined
  const caught = namedChildren(handler).slice(0, -1)
  if (!caught.some((part) => NOT_FOUND.test(part.text))) return undefined
  const attempt = handler.parent?.childForFieldName('body') ?? (handler.parent ? namedChildren(handler.parent)[0] : undefined)
  if (!attempt || encloses(attempt, handler)) return undefined
  const lookups = unit.calls.filter((call) => encloses(attempt, call) && isLookupCall(call))
  return lookups.length > 0 ? { caught, lookups } : undefined
}

/** The innermost node that decides whether the code runs: a conditional, an assertion call or a constraint annotation. */
interface GuardFacts {
  conditional: Node
  /** The part holding the code, which runs (or raises) when the guard says so. */
  branch: Node
  /** The guard's own deciding parts, which messages quote. */
  own: Node[]
  /** A conditional that handles an error a call returned (`if err != nil`). */
  handlesError: boolean
  /** The branch leaves: the code is raised there, the branch returns or throws, or the expression is what a return hands back. */
  leaves: boolean
}

/** What the path from a code up to its function says about it, gathered before anything is decided. */
interface SiteFacts {
  /** The innermost catch / except / finally / defer, or promise `.catch`, around the code. */
  handler?: HandlerKind
  /** The code is an argument of a log call. */
  inLog: boolean
  /** The code is in what the innermost conditional decides on, so it has no guard. */
  inCondition: boolean
  guard?: GuardFacts
  /** The deciding parts of the guard and of every conditional around it up to the function. */
  conditions: Node[]
  /** Thrown, returned or made an error value between the code and its guard, or by the guard itself (an assertion, a constraint). */
  raisedHere: boolean
  /** Line of a syntax error between the code and its guard (or anywhere above it, without one), or else within the guard. */
  syntaxErrorLine?: number
}

function collectFacts(site: Node, unit: ParsedUnit): SiteFacts {
  let handler: HandlerKind | undefined
  let broken: Node | undefined
  let inLog = false
  let inCondition = false
  let raisedHere = false
  let guard: (Omit<GuardFacts, 'handlesError' | 'leaves'> & { expression: boolean; byConditional: boolean }) | undefined
  const conditions: Node[] = []
  // Walking up from the code, the first conditional, assertion or constraint annotation that
  // decides is its guard. What lies between the code and the guard says whether the code is
  // raised; what lies above adds only conditions.
  let child = site
  for (let node = site.parent; node; child = node, node = node.parent) {
    // Only a syntax error between the code and its guard makes the guard doubtful; one around
    // the guard (a function cut off by max-tokens) leaves it intact.
    if (node.isError && !guard) broken ??= node
    const notFound = guard || handler ? undefined : notFoundHandler(node, unit)
    if (notFound) {
      guard = { conditional: node, branch: child, own: notFound.caught, expression: false, byConditional: false }
      conditions.push(...notFound.lookups)
    } else handler ??= handlerKind(node)
    const args = isCall(node) ? argumentsNode(node) : undefined
    if (args && encloses(args, site)) {
      const callee = calleeText(node)
      if (isLogCall(callee)) inLog = true
      else if (PROMISE_CATCH.test(callee)) handler ??= 'catch'
      else if (!guard && !inCondition && isAssertion(node)) {
        const passed = callArguments(node)
        const branch = passed.find((argument) => encloses(argument, site)) ?? args
        const own = [...passed, callReceiver(node)].filter((part): part is Node => part !== undefined && !encloses(part, site))
        guard = { conditional: node, branch, own, expression: false, byConditional: false }
        conditions.push(...own)
        raisedHere = true
      }
      if (!guard && ERROR_VALUE.test(callee)) raisedHere = true
    }
    if (!guard && isExit(node)) raisedHere = true
    const constrained = guard || inCondition ? undefined : constrainedName(node)
    if (constrained) {
      guard = { conditional: node, branch: child, own: [constrained], expression: false, byConditional: false }
      conditions.push(constrained)
      raisedHere = true
    }
    const role = conditionalRole(node, child)
    if (role?.role === 'condition' && !guard) inCondition = true
    if (role?.role === 'branch' && !inCondition) {
      guard ??= { conditional: node, branch: child, own: role.conditions, expression: role.expression, byConditional: true }
      conditions.push(...role.conditions)
    }
    // A lambda passed to a call runs as part of the code around it; a declared function does not.
    if (isFunction(node) && !(isLambda(node) && callTakingLambda(node))) break
  }
  const syntaxError = broken ? (firstSyntaxError(broken) ?? broken) : guard && firstSyntaxError(guard.conditional)
  return {
    handler,
    inLog,
    inCondition,
    guard: guard && {
      conditional: guard.conditional,
      branch: guard.branch,
      own: guard.own,
      handlesError: guard.byConditional && handlesError(guard.conditional, unit),
      leaves: raisedHere || containsExit(guard.branch) || (guard.expression && isExitValue(guard.conditional))
    },
    conditions,
    raisedHere,
    syntaxErrorLine: syntaxError ? lineOf(unit, syntaxError) : undefined
  }
}

/**
 * What decides a code's place when several facts hold: the first rule that applies. Code in a
 * handler runs only after a failure, whatever encloses it; an error check is Go's and callbacks'
 * catch; a log call and a condition use the code rather than raise it. Then a syntax error makes
 * the rest doubtful. Only past these does the guard count: none at all, one whose branch goes on,
 * or one that raises.
 */
const PRECEDENCE: readonly { place: 'handler' | Placement['kind']; decide: (facts: SiteFacts) => Placement | undefined }[] = [
  { place: 'handler', decide: ({ handler }) => (handler ? { kind: handler } : undefined) },
  { place: 'error-check', decide: ({ guard }) => (guard?.handlesError ? { kind: 'error-check' } : undefined) },
  { place: 'log', decide: ({ inLog }) => (inLog ? { kind: 'log' } : undefined) },
  { place: 'condition', decide: ({ inCondition }) => (inCondition ? { kind: 'condition' } : undefined) },
  { place: 'unparsed', decide: ({ syntaxErrorLine: line }) => (line !== undefined ? { kind: 'unparsed', line } : undefined) },
  { place: 'unconditional', decide: ({ guard, raisedHere }) => (!guard && raisedHere ? { kind: 'unconditional' } : undefined) },
  { place: 'stray', decide: ({ guard, raisedHere }) => (!guard && !raisedHere ? { kind: 'stray' } : undefined) },
  { place: 'no-exit', decide: ({ guard }) => (guard && !guard.leaves ? { kind: 'no-exit' } : undefined) },
  {
    place: 'guard',
    decide: ({ guard, conditions }) => (guard?.leaves ? { kind: 'guard', conditional: guard.conditional, conditions, own: guard.own } : undefined)
  }
]

/** Decides what the code at `site` is: raised by a guard, or why not. */
export function placeSite(site: Node, unit: ParsedUnit): Placement {
  const facts = collectFacts(site, unit)
  for (const { decide } of PRECEDENCE) {
    const placement = decide(facts)
    if (placement) return placement
  }
  throw new Error('no placement rule applied')
}

// Places that say more about a message holding a code than that it is a message.
const MESSAGE_KEEPS: ReadonlySet<SightingKind> = new Set<SightingKind>(['catch', 'except', 'finally', 'defer', 'error-check', 'log'])

/** A code inside a message keeps where the message is when that says more: in a catch, a log, an error check. */
export function messagePlace(placement: Placement): SightingKind {
  return placement.kind !== 'guard' && MESSAGE_KEEPS.has(placement.kind) ? placement.kind : 'message'
}
