// Reads a suite file and builds its typed cases. Every problem is reported at once, so a user
// fixes the file in one pass: first YAML errors, then schema errors, then what a schema cannot
// say (an id used twice, a regular expression that does not compile, …).
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { LineCounter, parseDocument } from 'yaml'
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
  let text: string
  try {
    text = await readFile(suitePath, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new SuiteError(displayPath, [
      code === 'ENOENT' ? `suite file not found: ${displayPath} (${optionLabel} is read relative to ${process.cwd()})` : `cannot read suite file ${displayPath}: ${(error as Error).message}`
    ])
  }
  return parseSuite(text, displayPath)
}

export function parseSuite(text: string, file: string): Suite {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true })
  if (doc.errors.length > 0) throw new SuiteError(file, yamlProblems(file, doc.errors))
  const raw: unknown = doc.toJS()
  const locator = new Locator(doc, lines)
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SuiteError(file, [`${file}:1 must be a mapping with the keys server, defaults and cases`])
  }

  const problems = schemaProblems(file, schemaErrors(raw), locator, raw)
  if (problems.length > 0) throw new SuiteError(file, problems)

  return buildSuite(raw as RawSuite, file, locator)
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
