// Loads a suite file: YAML parsed with line numbers, validated against a JSON schema built from
// the check registry, and turned into typed cases. Every problem is reported at once, each as
// `file:line case "id": field message`, so a user fixes the file in one pass.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml'
import { checkRegistry, type Assertion } from './checks/index.js'

export const BACKENDS = ['connect', 'llama.cpp', 'lmstudio'] as const
export type Backend = (typeof BACKENDS)[number]

const CACHE_TYPES = ['off', 'f32', 'f16', 'bf16', 'q8_0', 'q4_0', 'q4_1', 'iq4_nl', 'q5_0', 'q5_1']

/** Load settings under LM Studio's own names, as its UI shows them; each backend maps them. */
export interface ServerSettings {
  'context-length'?: number
  'gpu-offload'?: 'max' | 'off' | number
  'cpu-threads'?: number
  'eval-batch-size'?: number
  'rope-frequency-base'?: 'auto' | number
  'rope-frequency-scale'?: 'auto' | number
  'offload-kv-cache-to-gpu'?: boolean
  'keep-model-in-memory'?: boolean
  'try-mmap'?: boolean
  seed?: 'off' | number
  experts?: number
  'force-expert-weights-on-cpu'?: boolean
  'flash-attention'?: boolean | 'auto'
  'k-cache-quantization'?: string
  'v-cache-quantization'?: string
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

export interface SuiteCase {
  id: string
  messages: ChatMessage[]
  repeat: number
  temperature: number
  seed?: number
  maxTokens: number
  topP?: number
  assertions: Assertion[]
  /** 1-based line of the case in the suite file. */
  line: number
}

export interface Suite {
  /** The path as the user gave it, for messages. */
  path: string
  name?: string
  server: {
    backend?: Backend
    model?: string
    baseUrl?: string
    settings: ServerSettings
    extraArgs: string[]
  }
  /** The suite's own speed floor, applied to every case that sets none of its own. */
  minTokensPerSecond?: number
  cases: SuiteCase[]
}

export class SuiteError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[]
  ) {
    super(problems.length === 1 ? problems[0] : `${file}: ${problems.length} problems\n${problems.join('\n')}`)
    this.name = 'SuiteError'
  }
}

const sampling = {
  temperature: { type: 'number', minimum: 0, maximum: 2 },
  seed: { type: 'integer' },
  'max-tokens': { type: 'integer', minimum: 1 },
  'top-p': { type: 'number', exclusiveMinimum: 0, maximum: 1 },
  repeat: { type: 'integer', minimum: 1, maximum: 100 }
}

function assertionSchema(): object {
  return {
    type: 'object',
    required: ['type'],
    properties: { type: { type: 'string' } },
    discriminator: { propertyName: 'type' },
    oneOf: [...checkRegistry.values()].map((check) => ({
      type: 'object',
      properties: { type: { const: check.type }, ...check.properties },
      required: ['type', ...check.required],
      additionalProperties: false
    }))
  }
}

const cacheType = { enum: CACHE_TYPES }
const autoOrPositive = { anyOf: [{ const: 'auto' }, { type: 'number', exclusiveMinimum: 0 }] }

function suiteSchema(): object {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['cases'],
    properties: {
      name: { type: 'string' },
      description: { type: 'string' },
      server: {
        type: 'object',
        additionalProperties: false,
        properties: {
          backend: { enum: [...BACKENDS] },
          model: { type: 'string', minLength: 1 },
          'base-url': { type: 'string', pattern: '^https?://' },
          'extra-args': { type: 'array', items: { type: 'string' } },
          settings: {
            type: 'object',
            additionalProperties: false,
            properties: {
              'context-length': { type: 'integer', minimum: 1 },
              'gpu-offload': { anyOf: [{ enum: ['max', 'off'] }, { type: 'integer', minimum: 0 }] },
              'cpu-threads': { type: 'integer', minimum: 1 },
              'eval-batch-size': { type: 'integer', minimum: 1 },
              'rope-frequency-base': autoOrPositive,
              'rope-frequency-scale': autoOrPositive,
              'offload-kv-cache-to-gpu': { type: 'boolean' },
              'keep-model-in-memory': { type: 'boolean' },
              'try-mmap': { type: 'boolean' },
              seed: { anyOf: [{ const: 'off' }, { type: 'integer', minimum: 0 }] },
              experts: { type: 'integer', minimum: 1 },
              'force-expert-weights-on-cpu': { type: 'boolean' },
              'flash-attention': { anyOf: [{ type: 'boolean' }, { const: 'auto' }] },
              'k-cache-quantization': cacheType,
              'v-cache-quantization': cacheType
            }
          }
        }
      },
      defaults: {
        type: 'object',
        additionalProperties: false,
        properties: { ...sampling, 'min-tokens-per-second': { type: 'number', exclusiveMinimum: 0 } }
      },
      cases: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id'],
          properties: {
            id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
            system: { type: 'string' },
            prompt: { type: 'string', minLength: 1 },
            messages: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['role', 'content'],
                properties: { role: { enum: ['system', 'user', 'assistant'] }, content: { type: 'string' } }
              }
            },
            ...sampling,
            assert: { type: 'array', items: assertionSchema() }
          }
        }
      }
    }
  }
}

let validator: ValidateFunction | undefined

function validate(value: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, discriminator: true, strict: false, verbose: true }).compile(suiteSchema())
  return validator(value) ? [] : (validator.errors ?? [])
}

type PathKey = string | number

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
function describeType(schema: SchemaShape | undefined, plural = false): string {
  if (!schema) return 'valid'
  if (schema.const !== undefined) return JSON.stringify(schema.const)
  if (schema.enum) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`
  if (schema.anyOf) return schema.anyOf.map((s) => describeType(s, plural)).join(' or ')
  const names = schema.type ? TYPE_NAMES[schema.type] : undefined
  return names ? names[plural ? 1 : 0] : 'valid'
}

class Locator {
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

function problem(file: string, line: number, keys: readonly PathKey[], raw: unknown, message: string): string {
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

export async function loadSuite(suitePath: string, displayPath = suitePath): Promise<Suite> {
  let text: string
  try {
    text = await readFile(suitePath, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new SuiteError(displayPath, [
      code === 'ENOENT' ? `suite file not found: ${displayPath} (input 'suite' is read relative to ${process.cwd()})` : `cannot read suite file ${displayPath}: ${(error as Error).message}`
    ])
  }
  return parseSuite(text, displayPath)
}

export function parseSuite(text: string, file: string): Suite {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true })
  if (doc.errors.length > 0) {
    throw new SuiteError(
      file,
      doc.errors.map((e) => `${file}:${e.linePos?.[0].line ?? 1} is not valid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`)
    )
  }
  const raw: unknown = doc.toJS()
  const locator = new Locator(doc, lines)
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SuiteError(file, [`${file}:1 must be a mapping with the keys server, defaults and cases`])
  }

  const explained = withoutBranchNoise(validate(raw)).map((e) => explain(file, e, locator, raw))
  const seen = new Set<string>()
  const problems = explained
    .sort((a, b) => a.line - b.line)
    .map((p) => p.text)
    .filter((p) => !seen.has(p) && seen.add(p))
  if (problems.length > 0) throw new SuiteError(file, problems)

  return buildSuite(raw as RawSuite, file, locator)
}

interface RawCase {
  id: string
  system?: string
  prompt?: string
  messages?: ChatMessage[]
  temperature?: number
  seed?: number
  'max-tokens'?: number
  'top-p'?: number
  repeat?: number
  assert?: Assertion[]
}

interface RawSuite {
  name?: string
  server?: { backend?: Backend; model?: string; 'base-url'?: string; 'extra-args'?: string[]; settings?: ServerSettings }
  defaults?: { temperature?: number; seed?: number; 'max-tokens'?: number; 'top-p'?: number; repeat?: number; 'min-tokens-per-second'?: number }
  cases: RawCase[]
}

function buildSuite(raw: RawSuite, file: string, locator: Locator): Suite {
  const problems: string[] = []
  const say = (keys: PathKey[], message: string) => problems.push(problem(file, locator.line(keys), keys, raw, message))
  const defaults = raw.defaults ?? {}
  const ids = new Map<string, number>()

  const cases = raw.cases.map((c, i): SuiteCase => {
    const at = ['cases', i] as PathKey[]
    if (ids.has(c.id)) say([...at, 'id'], `is used twice (also cases[${ids.get(c.id)}])`)
    ids.set(c.id, i)
    if (c.messages && (c.prompt !== undefined || c.system !== undefined)) say([...at, 'messages'], 'cannot be given with prompt or system')
    if (!c.messages && c.prompt === undefined) say(at, 'needs a prompt (or messages)')
    if (c.messages && !c.messages.some((m) => m.role === 'user')) say([...at, 'messages'], 'needs at least one user message')
    ;(c.assert ?? []).forEach((assertion, j) => {
      const trouble = checkRegistry.get(assertion.type)?.validate?.(assertion)
      if (trouble) say([...at, 'assert', j, 'value'], trouble)
    })
    const messages: ChatMessage[] =
      c.messages ?? [...(c.system !== undefined ? [{ role: 'system' as const, content: c.system }] : []), { role: 'user', content: c.prompt ?? '' }]
    return {
      id: c.id,
      messages,
      repeat: c.repeat ?? defaults.repeat ?? 1,
      temperature: c.temperature ?? defaults.temperature ?? 0,
      seed: c.seed ?? defaults.seed,
      maxTokens: c['max-tokens'] ?? defaults['max-tokens'] ?? 1024,
      topP: c['top-p'] ?? defaults['top-p'],
      assertions: c.assert ?? [],
      line: locator.line(at)
    }
  })
  if (problems.length > 0) throw new SuiteError(file, problems)

  return {
    path: file,
    name: raw.name,
    server: {
      backend: raw.server?.backend,
      model: raw.server?.model,
      baseUrl: raw.server?.['base-url'],
      settings: raw.server?.settings ?? {},
      extraArgs: raw.server?.['extra-args'] ?? []
    },
    minTokensPerSecond: defaults['min-tokens-per-second'],
    cases
  }
}

/** A path relative to the workspace when it lies inside it, as users wrote it in the workflow. */
export function displayPathOf(absolute: string, workspace: string): string {
  const relative = path.relative(workspace, absolute)
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolute
}
