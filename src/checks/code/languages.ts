/** The languages the code checks can parse, each with the tree-sitter grammar that reads it. */
export type LanguageId = 'java' | 'csharp' | 'kotlin' | 'go' | 'python' | 'typescript' | 'tsx' | 'javascript'

interface LanguageInfo {
  /** How messages name the language. */
  label: string
  /** The grammar's file in tree-sitter-wasms' `out/`. */
  grammarFile: string
  /** Fence tags and `language:` values that mean this language, lower case. */
  aliases: readonly string[]
}

export const LANGUAGES: Readonly<Record<LanguageId, LanguageInfo>> = {
  java: { label: 'java', grammarFile: 'tree-sitter-java.wasm', aliases: ['java'] },
  csharp: { label: 'c#', grammarFile: 'tree-sitter-c_sharp.wasm', aliases: ['csharp', 'c#', 'cs', 'c-sharp', 'dotnet'] },
  kotlin: { label: 'kotlin', grammarFile: 'tree-sitter-kotlin.wasm', aliases: ['kotlin', 'kt', 'kts'] },
  go: { label: 'go', grammarFile: 'tree-sitter-go.wasm', aliases: ['go', 'golang'] },
  python: { label: 'python', grammarFile: 'tree-sitter-python.wasm', aliases: ['python', 'py', 'python3', 'py3'] },
  typescript: { label: 'typescript', grammarFile: 'tree-sitter-typescript.wasm', aliases: ['typescript', 'ts', 'mts', 'cts'] },
  tsx: { label: 'tsx', grammarFile: 'tree-sitter-tsx.wasm', aliases: ['tsx'] },
  javascript: { label: 'javascript', grammarFile: 'tree-sitter-javascript.wasm', aliases: ['javascript', 'js', 'jsx', 'mjs', 'cjs', 'node', 'nodejs'] }
}

export const LANGUAGE_IDS = Object.keys(LANGUAGES) as LanguageId[]

/** The names a suite may give under `language:`: each language's id and label (`csharp`, `c#`). */
export const LANGUAGE_NAMES: readonly string[] = [...new Set(LANGUAGE_IDS.flatMap((id) => [id, LANGUAGES[id].label]))]

const byAlias = new Map(LANGUAGE_IDS.flatMap((id) => LANGUAGES[id].aliases.map((alias) => [alias, id] as const)))

/** The language a fence tag or a `language:` value names, if it is one the checks parse. */
export function languageNamed(name: string): LanguageId | undefined {
  return byAlias.get(name.trim().toLowerCase())
}
