import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LANGUAGES, LANGUAGE_IDS } from './languages/index.js'

/** web-tree-sitter's script, loaded at run time rather than bundled (see parser.ts). */
export const RUNTIME_SCRIPT = 'tree-sitter.cjs'

/** web-tree-sitter's wasm runtime, which every grammar needs. */
export const RUNTIME_FILE = 'tree-sitter.wasm'

/** The grammar files the code checks load. */
export const GRAMMAR_FILES: readonly string[] = LANGUAGE_IDS.map((id) => LANGUAGES[id].grammarFile)

/** Everything a bundle ships in its grammars/ directory: the runtime and the grammars. */
export const SHIPPED_FILES: readonly string[] = [RUNTIME_SCRIPT, RUNTIME_FILE, ...GRAMMAR_FILES]

export interface GrammarLocation {
  /** Path of web-tree-sitter's CommonJS script. */
  runtimeScript: string
  /** Path of tree-sitter.wasm. */
  runtimeFile: string
  /** Directory holding the GRAMMAR_FILES. */
  grammarDir: string
  /** Where they were found, for error messages. */
  source: 'MODELGATE_GRAMMARS_DIR' | 'bundle' | 'node_modules'
}

function shippedIn(dir: string, source: GrammarLocation['source'], what: string): GrammarLocation {
  const missing = [RUNTIME_SCRIPT, RUNTIME_FILE].filter((file) => !existsSync(join(dir, file)))
  if (missing.length > 0) throw new Error(`${what} (${dir}) holds no ${missing.join(' or ')}`)
  return { runtimeScript: join(dir, RUNTIME_SCRIPT), runtimeFile: join(dir, RUNTIME_FILE), grammarDir: dir, source }
}

/**
 * Finds the runtime and the grammars: `MODELGATE_GRAMMARS_DIR` first (one directory holding
 * SHIPPED_FILES), then `grammars/` next to the running bundle, then the npm packages, where they
 * live in two different directories.
 */
export function locateGrammars(env: NodeJS.ProcessEnv = process.env): GrammarLocation {
  const fromEnv = env.MODELGATE_GRAMMARS_DIR
  if (fromEnv) return shippedIn(fromEnv, 'MODELGATE_GRAMMARS_DIR', 'MODELGATE_GRAMMARS_DIR')
  // dist/index.js finds dist/grammars/ beside it; the CLI bundle in dist/cli/ finds it one level
  // up. The paths are joined at run time: ncc rewrites a literal `new URL('./grammars/',
  // import.meta.url)` into a require() of the directory, which fails.
  const bundleDir = dirname(fileURLToPath(import.meta.url))
  const besideBundle = [[bundleDir, 'grammars'], [bundleDir, '..', 'grammars']].map((parts) => join(...parts))
  const shipped = besideBundle.find((dir) => existsSync(join(dir, RUNTIME_FILE)))
  if (shipped) return shippedIn(shipped, 'bundle', 'the bundled grammars directory')
  const require = createRequire(import.meta.url)
  try {
    return {
      runtimeScript: require.resolve('web-tree-sitter'),
      runtimeFile: require.resolve(`web-tree-sitter/${RUNTIME_FILE}`),
      grammarDir: join(dirname(require.resolve('tree-sitter-wasms/package.json')), 'out'),
      source: 'node_modules'
    }
  } catch (error) {
    throw new Error(
      `cannot find the tree-sitter grammars: set MODELGATE_GRAMMARS_DIR, ship them in ${besideBundle[0]}, ` +
        `or install web-tree-sitter and tree-sitter-wasms (${(error as Error).message})`,
      { cause: error }
    )
  }
}
