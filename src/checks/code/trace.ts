// Follows an error code through parsed code: to every place it appears, through the constants,
// enum constants and map entries that carry it, and asks placement.ts what each place is. A place
// in test code (tests.ts), or a guard the functions under test never run (target.ts), does not
// count.
//
// What a guard tests: every name in its condition and in the conditions of the conditionals
// enclosing it up to the function, followed through local variables, for-each loops and lambdas
// over a collection (`for f in (active_flag, delete_flag)`), and into validator helpers (a guard
// testing a helper's parameter tests whatever each call passes there), and for a pydantic
// validator the fields its decorator names. Arguments of calls that write (`update…`, `save…`,
// `delete…`, `exec…`) are not tested: `if (!repo.update(activeFlag))` checks that a write
// worked, not that the input was valid. Arguments of calls that look something up
// (`repo.findById(userId)`, calls.ts) are tested only through what the lookup returned: `user
// == null` tests the lookup by userId, not userId itself.
import type { Node } from 'web-tree-sitter'
import { isLookupCall, isWriteCall } from './calls.js'
import { LANGUAGES } from './languages/index.js'
import { nameKeys, squash } from './names.js'
import { languageOf } from './parser.js'
import { messagePlace, placeSite, type Placement, type SightingKind } from './placement.js'
import {
  annotationArguments,
  annotationName,
  annotationsOf,
  argumentsNode,
  bindingParts,
  callArguments,
  calleeName,
  describeCondition,
  encloses,
  functionName,
  isCall,
  isComment,
  isDocString,
  isExit,
  isFunction,
  isIdentifier,
  isImportPart,
  isObjectInitializer,
  isStringLiteral,
  nameOf,
  namedChildren,
  parameterNames,
  stringContent,
  targetNames
} from './syntax.js'
import type { Target, Unreached } from './target.js'
import { lineOf, scopeOf, type ParsedUnit, type Scope } from './unit.js'

/** Where a code appears without counting as raised: placement.ts's places, test code, and guards never run. */
export type TraceKind = SightingKind | 'test' | 'unreached'

export interface Sighting {
  kind: TraceKind
  line: number
  /** The constant that carried the code there. */
  via?: string
  /** For 'unparsed': the language the code failed to parse as. */
  language?: string
  /** For 'unreached': where the guard is, and what the functions under test never do with it. */
  unreached?: Unreached
}

/** Normalised names (see nameKeys) a guard tests: as themselves, and as what a lookup by them returned. */
export interface Tested {
  direct: ReadonlySet<string>
  lookup: ReadonlySet<string>
}

export interface Guard {
  /** Line of the code (or its constant) in the guard. */
  line: number
  /** The deciding condition as written. */
  condition: string
  tested: Tested
}

export interface CodeTrace {
  guards: Guard[]
  sightings: Sighting[]
}

// Field names that say "a code" rather than which one: `{ code: 50001 }` is an error value, not a
// constant named `code`.
const GENERIC_FIELDS = new Set(['code', 'errorcode', 'errcode', 'errno', 'status', 'statuscode', 'value', 'id', 'key', 'type', 'message', 'msg'])

function isIdentifierLike(text: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(text)
}

/** The name a code's value is declared under (`USER_ID_INVALID = 50001`, `INVALID_FLAG(50003, …)`), if any. */
function declaredName(site: Node): Node | undefined {
  for (let node = site.parent; node; node = node.parent) {
    const parts = bindingParts(node)
    if (parts && encloses(parts.value, site)) {
      const [name, ...more] = targetNames(parts.target)
      // A field of an error value (`{ code: 50001 }`, `resp.code = 50001`, C#'s `new E { Code = 50001 }`)
      // is not a constant; the value it belongs to may be.
      const inInitializer = node.parent ? isObjectInitializer(node.parent) : false
      const genericField = (parts.shape === 'key-value' || !isIdentifier(parts.target)) && GENERIC_FIELDS.has(squash(name ? nameOf(name) : ''))
      if (name && more.length === 0 && !inInitializer && !genericField) return name
    }
    if (isExit(node) || isFunction(node) || /(statement|block|body|statements)$/.test(node.type)) return undefined
  }
  return undefined
}

/** How a name is read: as itself, or through what a lookup by it returned. */
type Mode = keyof Tested

interface Names {
  direct: Set<string>
  lookup: Set<string>
}

const noNames = (): Names => ({ direct: new Set(), lookup: new Set() })

/**
 * The names a piece of code reads, leaving out what it passes to writes; what it passes to a
 * lookup is read through the lookup. A key (`req["active_flag"]`, `data.get("activeFlag")`) names
 * the field it reads, however it is read.
 */
function collectNames(node: Node, into: Names, mode: Mode): void {
  if (isComment(node)) return
  if (isIdentifier(node)) {
    into[mode].add(node.text)
    return
  }
  if (isStringLiteral(node)) {
    const content = stringContent(node)
    if (isIdentifierLike(content)) into.direct.add(content)
    return
  }
  if (isCall(node) && isWriteCall(node)) return
  const looksUp = mode === 'direct' && isCall(node) && isLookupCall(node)
  const list = looksUp ? argumentsNode(node) : undefined
  for (const child of namedChildren(node)) collectNames(child, into, list && child.equals(list) ? 'lookup' : mode)
}

/** Adds what the local variables among `names` were computed from, until nothing new appears. */
function followBindings(names: Names, scope: Scope, unit: ParsedUnit): void {
  const bindings = [
    ...unit.bindings
      .filter((binding) => encloses(scope.node, binding.node))
      .map((binding) => ({ names: targetNames(binding.parts.target).map(nameOf), value: binding.parts.value })),
    ...scope.lambdaBindings
  ]
  const modes: Mode[] = ['direct', 'lookup']
  const pending = modes.flatMap((mode) => [...names[mode]].map((name) => ({ name, mode })))
  while (pending.length > 0) {
    const { name, mode } = pending.pop()!
    for (const binding of bindings) {
      if (!binding.names.includes(name)) continue
      const found = noNames()
      collectNames(binding.value, found, mode)
      for (const next of modes) {
        for (const source of found[next]) {
          if (names[next].has(source)) continue
          names[next].add(source)
          pending.push({ name: source, mode: next })
        }
      }
    }
  }
}

/** The fields a pydantic validator checks: the names its decorator is given (`@field_validator("active_flag")`). */
function validatedFields(fn: Node): string[] {
  const decorators = languageOf(fn).declarative?.validatorDecorators
  if (!decorators) return []
  return annotationsOf(fn)
    .filter((annotation) => decorators.test(annotationName(annotation)))
    .flatMap(annotationArguments)
    .filter(isStringLiteral)
    .map(stringContent)
}

/** Traces one code through every parsed block of an answer, counting only what `target` runs. */
export function traceCode(code: string, units: readonly ParsedUnit[], target?: Target): CodeTrace {
  const trace: CodeTrace = { guards: [], sightings: [] }
  const pattern = codePattern(code)
  const followedNames = new Set<string>()

  const usesOf = (name: string): { node: Node; unit: ParsedUnit }[] =>
    units.flatMap((unit) =>
      [...unit.leaves.filter(isIdentifier), ...unit.strings]
        .filter((node) => nameOf(node) === name && !unit.declaredIds.has(node.id) && !isImport(node))
        .map((node) => ({ node, unit }))
    )

  const testedBy = (placement: Extract<Placement, { kind: 'guard' }>, unit: ParsedUnit): Tested => {
    const names = noNames()
    for (const condition of placement.conditions) collectNames(condition, names, 'direct')
    const scope = scopeOf(placement.conditional, unit)
    followBindings(names, scope, unit)
    // A guard inside a validator helper tests what its callers pass for the parameters it tests.
    const helper = isFunction(scope.node) ? functionName(scope.node) : undefined
    if (helper) {
      for (const field of validatedFields(scope.node)) names.direct.add(field)
      const parameters = parameterNames(scope.node)
      for (const caller of units) {
        for (const call of caller.calls) {
          if (calleeName(call) !== helper || encloses(scope.node, call)) continue
          const passed = noNames()
          callArguments(call).forEach((argument, index) => {
            for (const mode of ['direct', 'lookup'] as const) if (names[mode].has(parameters[index] ?? '')) collectNames(argument, passed, mode)
          })
          followBindings(passed, scopeOf(call, caller), caller)
          for (const mode of ['direct', 'lookup'] as const) for (const name of passed[mode]) names[mode].add(name)
        }
      }
    }
    return { direct: new Set([...names.direct].flatMap(nameKeys)), lookup: new Set([...names.lookup].flatMap(nameKeys)) }
  }

  const follow = (site: Node, unit: ParsedUnit, via: string | undefined, depth: number): void => {
    if (target?.isTest(site)) {
      trace.sightings.push({ kind: 'test', line: lineOf(unit, site), ...(via ? { via } : {}) })
      return
    }
    const placement = placeSite(site, unit)
    if (placement.kind === 'guard') {
      const unreached = target?.unreached(site)
      if (unreached) {
        trace.sightings.push({ kind: 'unreached', line: lineOf(unit, site), unreached, ...(via ? { via } : {}) })
        return
      }
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
        const kind = isDocString(string) ? 'comment' : target?.isTest(string) ? 'test' : messagePlace(placeSite(string, unit))
        trace.sightings.push({ kind, line: lineWithin(string, match.index) })
      }
    }
    for (const leaf of unit.leavesByText.get(code) ?? []) follow(leaf, unit, undefined, 0)
  }
  return trace
}

/** Finds a code as a whole word in text: 50001 but not 150001 or 50001.5. */
export function codePattern(code: string): RegExp {
  return new RegExp(`(?<![\\w$.])${code.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w$]|\\.\\d)`)
}

function isImport(node: Node): boolean {
  for (let at = node.parent; at; at = at.parent) if (isImportPart(at)) return true
  return false
}
