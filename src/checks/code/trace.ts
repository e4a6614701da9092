// Follows an error code through parsed code: to every place it appears, through the constants,
// enum constants and map entries that carry it, and asks placement.ts what each place is.
//
// What a guard tests: every name in its condition and in the conditions of the conditionals
// enclosing it up to the function, followed through local variables, for-each loops and lambdas
// over a collection (`for f in (active_flag, delete_flag)`), and into validator helpers (a guard
// testing a helper's parameter tests whatever each call passes there). Arguments of calls that
// write (`update…`, `save…`, `delete…`, `exec…`) are not tested: `if (!repo.update(activeFlag))`
// checks that a write worked, not that the input was valid.
import type { Node } from 'web-tree-sitter'
import { LANGUAGES } from './languages/index.js'
import { nameKeys, squash } from './names.js'
import { messagePlace, placeSite, type Placement, type SightingKind } from './placement.js'
import {
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
import { lineOf, scopeOf, type ParsedUnit, type Scope } from './unit.js'

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

// Field names that say "a code" rather than which one: `{ code: 50001 }` is an error value, not a
// constant named `code`.
const GENERIC_FIELDS = new Set(['code', 'errorcode', 'errcode', 'errno', 'status', 'statuscode', 'value', 'id', 'key', 'type', 'message', 'msg'])

const WRITE_CALL = /^(update|save|insert|delete|remove|exec|persist|send|write|modify|create|upsert|patch|commit|store|apply|change|mark|perform|process|handle|do(?=[A-Z_]))/i

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

function isImport(node: Node): boolean {
  for (let at = node.parent; at; at = at.parent) if (isImportPart(at)) return true
  return false
}
