// Turns YAML and schema errors into `file:line case "id": field message`, the way a user names
// things in the file, so each problem can be fixed without reading a JSON pointer.
import type { ErrorObject } from 'ajv'
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type YAMLError } from 'yaml'
import { checkRegistry } from '../checks/index.js'
import { BASE_URL_PATTERN, CASE_ID_PATTERN } from './schema.js'

export class SuiteError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[]
  ) {
    super(problems.length === 1 ? problems[0] : `${file}: ${problems.length} problems\n${problems.join('\n')}`)
    this.name = 'SuiteError'
  }
}

export type PathKey = string | number

function pointerToPath(pointer: string): PathKey[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p))
}

/**
 * A value the user wrote, for a message: quoted, on one line and short, so a key with a line
 * break or a pasted page of text cannot make a problem span lines or bury the rest.
 */
function quote(text: string): string {
  const chars = [...text]
  return chars.length > 60 ? `${JSON.stringify(chars.slice(0, 57).join('')).slice(0, -1)}…"` : JSON.stringify(text)
}

/** `assert[1].codes` — how a user names a field; a key no schema knows is quoted when it is not plain. */
function fieldName(keys: readonly PathKey[]): string {
  return keys
    .map((k, i) => {
      if (typeof k === 'number') return `[${k}]`
      const name = /^[A-Za-z0-9_.-]+$/.test(k) ? k : quote(k)
      return i === 0 ? name : `.${name}`
    })
    .join('')
}

interface SchemaShape {
  type?: string
  const?: unknown
  enum?: unknown[]
  anyOf?: SchemaShape[]
}

const TYPE_NAMES: Record<string, [string, string]> = {
  integer: ['an integer', 'integers'],
  number: ['a number', 'numbers'],
  string: ['a string', 'strings'],
  boolean: ['true or false', 'booleans'],
  array: ['a list', 'lists'],
  object: ['a mapping', 'mappings']
}

/** "an integer", "\"max\" or an integer"; plural: "integers or strings". */
export function describeType(schema: SchemaShape | undefined, plural = false): string {
  if (!schema) return 'valid'
  if (schema.const !== undefined) return JSON.stringify(schema.const)
  if (schema.enum) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`
  if (schema.anyOf) return schema.anyOf.map((s) => describeType(s, plural)).join(' or ')
  const names = schema.type ? TYPE_NAMES[schema.type] : undefined
  return names ? names[plural ? 1 : 0] : 'valid'
}

/** Lines of the parsed document, for paths into the value it produced. */
export class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter
  ) {}

  lineOf(node: Node | null | undefined): number | undefined {
    const offset = node?.range?.[0]
    return offset === undefined ? undefined : this.lines.linePos(offset).line
  }

  /** The node at a path; a path through an alias ends at the alias, where the user wrote it. */
  node(keys: readonly PathKey[]): Node | undefined {
    if (keys.length === 0) return this.doc.contents ?? undefined
    const node = this.doc.getIn(keys, true)
    return isScalar(node) || isMap(node) || isSeq(node) || isAlias(node) ? node : undefined
  }

  /** The nearest line for a path: the node itself, else its closest existing parent. */
  line(keys: readonly PathKey[]): number {
    for (let n = keys.length; n >= 0; n--) {
      const line = this.lineOf(this.node(keys.slice(0, n)))
      if (line !== undefined) return line
    }
    return 1
  }

  keyLine(keys: readonly PathKey[], key: string): number {
    const parent = this.node(keys)
    if (isMap(parent)) {
      // YAML keys may be numbers or booleans; the parsed value names them as strings.
      const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === key)
      const line = this.lineOf(pair?.key as Node | undefined)
      if (line !== undefined) return line
    }
    return this.line(keys)
  }

  /** The value at a path as the file spells it (`.inf`, `1e400`), for a number the parse changed. */
  source(keys: readonly PathKey[], value: unknown): string {
    const node = this.node(keys)
    return isScalar(node) && typeof node.source === 'string' ? node.source : String(value)
  }
}

function subjectOf(keys: readonly PathKey[], raw: unknown): { label: string; rest: PathKey[] } {
  if (keys[0] === 'cases' && typeof keys[1] === 'number') {
    const id = (raw as { cases?: { id?: unknown }[] })?.cases?.[keys[1]]?.id
    // Only an id the schema allows names its case: any other could hold quotes or line breaks.
    const label = typeof id === 'string' && new RegExp(CASE_ID_PATTERN).test(id) ? `case "${id}"` : `cases[${keys[1]}]`
    return { label, rest: keys.slice(2) }
  }
  return { label: '', rest: [...keys] }
}

/** One problem at `keys` of the raw value, named by its case where it lies in one. */
export function problem(file: string, line: number, keys: readonly PathKey[], raw: unknown, message: string): string {
  const { label, rest } = subjectOf(keys, raw)
  const field = fieldName(rest)
  const where = [label, field].filter(Boolean)
  const head = label && field ? `${label}: ${field}` : where.join('')
  return `${file}:${line}${head ? ` ${head}` : ''} ${message}`
}

/** What a pattern asks for, in words; a pattern not listed is shown as it is. */
const PATTERN_WORDS: Record<string, string> = {
  [CASE_ID_PATTERN]: 'must start with a letter or digit and hold only letters, digits, ".", "_" and "-"',
  [BASE_URL_PATTERN]: 'must start with http:// or https://'
}

const BOUNDS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'])

function explain(file: string, error: ErrorObject, locator: Locator, raw: unknown): { line: number; text: string } {
  const keys = pointerToPath(error.instancePath)
  const params = error.params as Record<string, unknown>
  const say = (line: number, at: readonly PathKey[], message: string) => ({ line, text: problem(file, line, at, raw, message) })
  // `.nan` is a number to the schema and fails every bound, which would read as "must be <= 2"
  // and "must be >= 0" at once.
  if (BOUNDS.has(error.keyword) && Number.isNaN(error.data)) {
    return say(locator.line(keys), keys, `must be a number, not ${locator.source(keys, error.data)}`)
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty)
      const known = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {})
      return say(locator.keyLine(keys, key), [...keys, key], `is not a known key${known.length ? ` (known: ${known.join(', ')})` : ''}`)
    }
    case 'required':
      return say(locator.line(keys), [...keys, String(params.missingProperty)], 'is required')
    case 'discriminator': {
      // A `type` that is not a string has the schema's own "must be a string"; only these two reach here.
      const known = [...checkRegistry.keys()].join(', ')
      return params.tagValue === undefined
        ? say(locator.line(keys), [...keys, 'type'], `is required (one of ${known})`)
        : say(locator.line([...keys, 'type']), [...keys, 'type'], `${quote(params.tagValue as string)} is not a known check (known: ${known})`)
    }
    case 'type':
    case 'anyOf':
    case 'enum':
    case 'const': {
      const schema = error.parentSchema as SchemaShape | undefined
      // An item of the wrong type reads better as a property of its list.
      if (typeof keys[keys.length - 1] === 'number') {
        return say(locator.line(keys), keys.slice(0, -1), `must be a list of ${describeType(schema, true)}`)
      }
      return say(locator.line(keys), keys, `must be ${describeType(schema)}`)
    }
    case 'minItems':
      return say(locator.line(keys), keys, `needs at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`)
    case 'minLength':
      return say(locator.line(keys), keys, params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters long`)
    case 'pattern': {
      const pattern = String(params.pattern)
      return say(locator.line(keys), keys, PATTERN_WORDS[pattern] ?? `must match the pattern /${pattern}/`)
    }
    default:
      return say(locator.line(keys), keys, error.message ?? 'is not valid')
  }
}

/**
 * Errors that repeat another one in worse words: where anyOf failed, its branches' own errors;
 * where a check's `type` is missing, the plain "is required" beside the one listing the checks;
 * where `type` is not a string, the discriminator's complaint beside "must be a string".
 */
function withoutNoise(errors: ErrorObject[]): ErrorObject[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath))
  const discriminated = new Set(errors.filter((e) => e.keyword === 'discriminator').map((e) => e.instancePath))
  return errors.filter((e) => {
    const params = e.params as Record<string, unknown>
    if (e.keyword === 'anyOf') return true
    if (anyOfPaths.has(e.instancePath)) return false
    if (e.keyword === 'required' && params.missingProperty === 'type' && discriminated.has(e.instancePath)) return false
    return !(e.keyword === 'discriminator' && params.tagValue !== undefined && typeof params.tagValue !== 'string')
  })
}

/** The schema errors as problems in file order, each said once. */
export function schemaProblems(file: string, errors: ErrorObject[], locator: Locator, raw: unknown): string[] {
  const explained = withoutNoise(errors).map((e) => explain(file, e, locator, raw))
  const seen = new Set<string>()
  return explained
    .sort((a, b) => a.line - b.line)
    .map((p) => p.text)
    .filter((p) => !seen.has(p) && seen.add(p))
}

/** The parser's words, except where they speak of its API or its internals rather than of the file. */
function yamlMessage(error: YAMLError): string {
  // Out of stack, it says so under whichever step ran out: a collection, or the tag of a scalar in it.
  if (error.code === 'RESOURCE_EXHAUSTION' || error.message.startsWith('Maximum call stack size exceeded')) return 'nests lists or mappings too deeply'
  if (error.code === 'MULTIPLE_DOCS') return 'holds a second document (after "---"); a suite is one document'
  // The parser's own position suffix would repeat the line the prefix already gives.
  return error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
}

/** The parser's errors, each said once: running out of stack, it reports every level it unwinds. */
export function yamlProblems(file: string, errors: readonly YAMLError[]): string[] {
  return [...new Set(errors.map((e) => `${file}:${e.linePos?.[0].line ?? 1} is not valid YAML: ${yamlMessage(e)}`))]
}
