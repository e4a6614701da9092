import { createRequire } from 'node:module'
import { join } from 'node:path'
import type * as TreeSitter from 'web-tree-sitter'
import { locateGrammars, type GrammarLocation } from './grammars.js'
import { LANGUAGES, type LanguageId, type LanguageSpec } from './languages/index.js'

interface Runtime {
  treeSitter: typeof TreeSitter
  location: GrammarLocation
  parser: TreeSitter.Parser
}

// The runtime starts once per process and each grammar compiles once, on first use: a suite
// that only checks Java never pays for the Kotlin grammar.
let runtime: Promise<Runtime> | undefined
const grammars = new Map<LanguageId, Promise<TreeSitter.Language>>()
// What has finished loading, for compiling queries synchronously (a suite's validate is synchronous).
let started: Runtime | undefined
const ready = new Map<LanguageId, TreeSitter.Language>()
// A node reaches its grammar through its tree; the grammar leads to the spec that reads it.
const specs = new WeakMap<TreeSitter.Language, LanguageSpec>()

/**
 * Loads web-tree-sitter from where the grammars are, unbundled. ncc breaks both of its builds:
 * the ESM one's `await import("module")` loses createRequire, and the CommonJS one reads
 * __dirname, which an ESM bundle lacks. Loaded as published, it works (and ncc leaves
 * createRequire alone).
 */
function loadTreeSitter(location: GrammarLocation): typeof TreeSitter {
  return createRequire(import.meta.url)(location.runtimeScript) as typeof TreeSitter
}

function startRuntime(): Promise<Runtime> {
  runtime ??= (async () => {
    const location = locateGrammars()
    const treeSitter = loadTreeSitter(location)
    await treeSitter.Parser.init({ locateFile: () => location.runtimeFile })
    started = { treeSitter, location, parser: new treeSitter.Parser() }
    return started
  })().catch((error: unknown) => {
    runtime = undefined
    throw new Error(`cannot start tree-sitter: ${(error as Error).message}`, { cause: error })
  })
  return runtime
}

function loadGrammar(id: LanguageId): Promise<TreeSitter.Language> {
  let grammar = grammars.get(id)
  if (!grammar) {
    grammar = startRuntime().then(({ treeSitter, location }) =>
      treeSitter.Language.load(join(location.grammarDir, LANGUAGES[id].grammarFile)).then(
        (language) => {
          specs.set(language, LANGUAGES[id])
          ready.set(id, language)
          return language
        },
        (error: unknown) => {
          grammars.delete(id)
          throw new Error(`cannot load the ${LANGUAGES[id].label} grammar from ${location.grammarDir}: ${(error as Error).message}`, {
            cause: error
          })
        }
      )
    )
    grammars.set(id, grammar)
  }
  return grammar
}

/** Parses source once its languages are loaded; parsing itself is synchronous. */
export interface SourceParser {
  parse(source: string, language: LanguageId): TreeSitter.Tree
}

/** Loads the grammars of `languages` (cached across calls) and returns a parser for them. */
export async function loadParser(languages: Iterable<LanguageId>): Promise<SourceParser> {
  const { parser } = await startRuntime()
  const loaded = new Map<LanguageId, TreeSitter.Language>()
  for (const id of new Set(languages)) loaded.set(id, await loadGrammar(id))
  return {
    parse(source, language) {
      const grammar = loaded.get(language)
      if (!grammar) throw new Error(`the ${LANGUAGES[language].label} grammar was not loaded`)
      parser.setLanguage(grammar)
      const tree = parser.parse(source)
      if (!tree) throw new Error(`tree-sitter returned no tree for ${LANGUAGES[language].label}`)
      return tree
    }
  }
}

/** Loads a language's grammar (cached), so that compileQuery can compile queries in it. */
export async function loadLanguage(id: LanguageId): Promise<void> {
  await loadGrammar(id)
}

/**
 * Compiles a tree-sitter query in a language whose grammar has loaded (by loadLanguage or a
 * parse); undefined while it has not. Throws web-tree-sitter's error for a query that does not
 * compile.
 */
export function compileQuery(id: LanguageId, source: string): TreeSitter.Query | undefined {
  const language = ready.get(id)
  return started && language ? new started.treeSitter.Query(language, source) : undefined
}

/** The spec of the language a node was parsed as. */
export function languageOf(node: TreeSitter.Node): LanguageSpec {
  const spec = specs.get(node.tree.language)
  if (!spec) throw new Error(`a ${node.type} node from a grammar loadParser did not load`)
  return spec
}
