// Turns YAML and schema errors into `file:line case "id": field message`, the way a user names
// things in the file, so each problem can be fixed without reading a JSON pointer.
import type { ErrorObject } from 'ajv'
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type YAMLError } from 'yaml'
import { checkRegistry } from '../checks/index.js'

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

/** `assert[1].codes` — how a user names a field. */
function fieldName(keys: readonly PathKey[]): string {
  return keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('')
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

  node(keys: readonly PathKey[]): Node | undefined {
    if (keys.length === 0) return this.doc.contents ?? undefined
    const node = this.doc.getIn(keys, true)
    return isScalar(node) || isMap(node) || isSeq(node) ? node : undefined
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
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key)
      const line = this.lineOf(pair?.key as Node | undefined)
      if (line !== undefined) return line
    }
    return this.line(keys)
  }
}

function subjectOf(keys: readonly PathKey[], raw: unknown): { label: string; rest: PathKey[] } {
  if (keys[0] === 'cases' && typeof keys[1] === 'number') {
    const id = (raw as { cases?: { id?: unknown }[] })?.cases?.[keys[1]]?.id
    const label = typeof id === 'string' && id ? `case "${id}"` : `cases[${keys[1]}]`
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

function explain(file: string, error: ErrorObject, locator: Locator, raw: unknown): { line: number; text: string } {
  const keys = pointerToPath(error.instancePath)
  const params = error.params as Record<string, unknown>
  const say = (line: number, at: readonly PathKey[], message: string) => ({ line, text: problem(file, line, at, raw, message) })
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty)
      const known = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {})
      return say(locator.keyLine(keys, key), [...keys, key], `is not a known key${known.length ? ` (known: ${known.join(', ')})` : ''}`)
    }
    case 'required':
      return say(locator.line(keys), [...keys, String(params.missingProperty)], 'is required')
    case 'discriminator': {
      const known = [...checkRegistry.keys()].join(', ')
      const given = (locator.node([...keys, 'type']) as { value?: unknown } | undefined)?.value
      return given === undefined
        ? say(locator.line(keys), [...keys, 'type'], `is required (one of ${known})`)
        : say(locator.line([...keys, 'type']), [...keys, 'type'], `${JSON.stringify(given)} is not a known check (known: ${known})`)
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
    default:
      return say(locator.line(keys), keys, error.message ?? 'is not valid')
  }
}

/** Where anyOf failed, its branches' own errors are noise beside the anyOf's one message. */
function withoutBranchNoise(errors: ErrorObject[]): ErrorObject[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath))
  return errors.filter((e) => e.keyword === 'anyOf' || !anyOfPaths.has(e.instancePath))
}

/** The schema errors as problems in file order, each said once. */
export function schemaProblems(file: string, errors: ErrorObject[], locator: Locator, raw: unknown): string[] {
  const explained = withoutBranchNoise(errors).map((e) => explain(file, e, locator, raw))
  const seen = new Set<string>()
  return explained
    .sort((a, b) => a.line - b.line)
    .map((p) => p.text)
    .filter((p) => !seen.has(p) && seen.add(p))
}

export function yamlProblems(file: string, errors: readonly YAMLError[]): string[] {
  // The parser's own position suffix would repeat the line the prefix already gives.
  return errors.map((e) => `${file}:${e.linePos?.[0].line ?? 1} is not valid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`)
}
