// Reads a suite file and builds its typed cases. Every problem is reported at once, so a user
// fixes the file in one pass: first YAML errors, then schema errors, then what a schema cannot
// say (an id used twice, a regular expression that does not compile, …).
import { isUtf8 } from 'node:buffer'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { isAlias, LineCounter, parseDocument, visit, type Alias, type Document } from 'yaml'
import { checkRegistry, type Assertion } from '../checks/index.js'
import type { Backend } from '../server/registry.js'
import type { ServerSettings } from '../server/settings.js'
import { Locator, problem, schemaProblems, SuiteError, yamlProblems, type PathKey } from './diagnostics.js'
import { schemaErrors, type ChatMessage, type RawSuite } from './schema.js'

export interface SuiteCase {
  id: string
  messages: ChatMessage[]
  repeat: number
  /** Whether the suite set `repeat` (the case or its defaults); a speed case that did not gets more samples. */
  repeatGiven?: boolean
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

export interface LoadOptions {
  /** How the user named the suite option, for a file that is not there: `input 'suite'`, `--suite`. */
  optionLabel?: string
}

export async function loadSuite(suitePath: string, displayPath = suitePath, { optionLabel = "input 'suite'" }: LoadOptions = {}): Promise<Suite> {
  let bytes: Buffer
  try {
    bytes = await readFile(suitePath)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new SuiteError(displayPath, [
      code === 'ENOENT'
        ? `suite file not found: ${displayPath} (${optionLabel} is read relative to ${process.cwd()})`
        : code === 'EISDIR'
          ? `suite file is a directory: ${displayPath} (${optionLabel} names the YAML file itself)`
          : `cannot read suite file ${displayPath}: ${(error as Error).message}`
    ])
  }
  const text = utf8Text(bytes, displayPath)
  await prepareChecks(text)
  return parseSuite(text, displayPath)
}

/**
 * Loads what the checks' own validation needs before the synchronous parse runs it: a
 * tree-sitter-query's grammar, so a bad query is a suite error with its line, not a failure at
 * run time. The file is only read here; every problem in it is the parse's to report.
 */
async function prepareChecks(text: string): Promise<void> {
  let raw: unknown
  try {
    raw = parseDocument(text, { logLevel: 'silent', schema: 'core', resolveKnownTags: false }).toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch {
    return
  }
  const cases = (raw as { cases?: unknown } | null)?.cases
  if (!Array.isArray(cases)) return
  const assertions = cases.flatMap((c: unknown) => {
    const list = (c as { assert?: unknown } | null)?.assert
    return Array.isArray(list) ? list.filter((a): a is Assertion => a !== null && typeof a === 'object' && typeof (a as Assertion).type === 'string') : []
  })
  // A grammar that cannot load is the check's to report when it validates or runs.
  await Promise.all(assertions.map((a) => Promise.resolve(checkRegistry.get(a.type)?.prepare?.(a)).catch(() => undefined)))
}

/** The file as text. Read leniently, a byte that is not UTF-8 would reach the model as "�". */
function utf8Text(bytes: Buffer, file: string): string {
  if (isUtf8(bytes)) return bytes.toString('utf8')
  // Line by line, to say where (latin1 keeps every byte as it is; no UTF-8 character holds a line break).
  const line = bytes.toString('latin1').split('\n').findIndex((text) => !isUtf8(Buffer.from(text, 'latin1'))) + 1
  throw new SuiteError(file, [`${file}:${line} is not UTF-8 text; save the suite file as UTF-8`])
}

/** An anchor's content may be copied this often by its aliases; more is a "billion laughs" file. */
const MAX_ALIAS_COUNT = 100

export function parseSuite(text: string, file: string): Suite {
  const lines = new LineCounter()
  // Read as YAML 1.2's core schema whatever a %YAML directive says, with tags such as !!binary or
  // !!set left as plain values: the schema sees strings, numbers, lists and mappings, never a
  // Buffer, a Set or a Date. Nothing is printed; a warning (an unknown tag) is the schema's to report.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, logLevel: 'error', schema: 'core', resolveKnownTags: false })
  if (doc.errors.length > 0) throw new SuiteError(file, yamlProblems(file, doc.errors))
  const locator = new Locator(doc, lines)
  const raw = valueOf(doc, file, locator)
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    const what = doc.contents === null ? 'is empty; a suite is a mapping' : 'must be a mapping'
    throw new SuiteError(file, [`${file}:${locator.line([])} ${what} with the keys server, defaults and cases`])
  }

  const problems = schemaProblems(file, schemaErrors(raw), locator, raw)
  if (problems.length > 0) throw new SuiteError(file, problems)

  return buildSuite(raw as RawSuite, file, locator)
}

/**
 * The document as a plain value. The parser finds an alias without its anchor, or aliases that
 * multiply, only while it builds the value, and then throws; here each becomes a problem at its line.
 */
function valueOf(doc: Document, file: string, locator: Locator): unknown {
  const anchors = new Set<string>()
  const unanchored: string[] = []
  let firstAlias: Alias | undefined
  visit(doc, {
    Node: (_key, node) => {
      if (!isAlias(node)) {
        if (node.anchor) anchors.add(node.anchor)
        return
      }
      firstAlias ??= node
      // An alias refers back, to an anchor set before it in the file.
      if (!anchors.has(node.source)) {
        unanchored.push(`${file}:${locator.lineOf(node) ?? 1} is not valid YAML: the alias *${node.source} has no anchor &${node.source} before it`)
      }
    }
  })
  if (unanchored.length > 0) throw new SuiteError(file, unanchored)
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (error) {
    // With every alias anchored, the one ReferenceError left is the parser's alias limit.
    if (!(error instanceof ReferenceError)) throw error
    throw new SuiteError(file, [`${file}:${locator.lineOf(firstAlias) ?? 1} is not valid YAML: its aliases copy an anchor more than ${MAX_ALIAS_COUNT} times over`])
  }
}

/** Numbers YAML reads but no server takes: `.inf`, or beyond what a double holds exactly (1e300). */
function outOfRange(value: unknown, keys: PathKey[] = []): { keys: PathKey[]; value: number }[] {
  if (typeof value === 'number') return Math.abs(value) <= Number.MAX_SAFE_INTEGER ? [] : [{ keys, value }]
  if (Array.isArray(value)) return value.flatMap((item: unknown, i) => outOfRange(item, [...keys, i]))
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => outOfRange(item, [...keys, key]))
  return []
}

function buildSuite(raw: RawSuite, file: string, locator: Locator): Suite {
  const problems: string[] = []
  const say = (keys: PathKey[], message: string) => problems.push(problem(file, locator.line(keys), keys, raw, message))
  // After the schema, the value is a small tree of known fields: the walk is short.
  for (const { keys, value } of outOfRange(raw)) {
    say(keys, `must be a number from -${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}, not ${locator.source(keys, value)}`)
  }
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
      if (trouble) say([...at, 'assert', j, trouble.field], trouble.message)
    })
    const messages: ChatMessage[] =
      c.messages ?? [...(c.system !== undefined ? [{ role: 'system' as const, content: c.system }] : []), { role: 'user', content: c.prompt ?? '' }]
    return {
      id: c.id,
      messages,
      repeat: c.repeat ?? defaults.repeat ?? 1,
      repeatGiven: c.repeat !== undefined || defaults.repeat !== undefined,
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
