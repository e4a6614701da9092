// The languages the code checks parse. Adding one is a spec file, imported and listed here; its
// grammar then ships with the bundle through grammars.ts. The order is the order the grammar files are listed
// in, and how detect.ts breaks ties between equal scores.
import { csharp } from './csharp.js'
import { go } from './go.js'
import { java } from './java.js'
import { javascript } from './javascript.js'
import { kotlin } from './kotlin.js'
import { python } from './python.js'
import type { LanguageSpec } from './spec.js'
import { tsx } from './tsx.js'
import { typescript } from './typescript.js'

export const LANGUAGE_SPECS = [java, csharp, kotlin, go, python, typescript, tsx, javascript] as const

export type LanguageId = (typeof LANGUAGE_SPECS)[number]['id']

export type { LanguageSpec } from './spec.js'

export const LANGUAGE_IDS: readonly LanguageId[] = LANGUAGE_SPECS.map((spec) => spec.id)

export const LANGUAGES: Readonly<Record<LanguageId, LanguageSpec<LanguageId>>> = Object.fromEntries(
  LANGUAGE_SPECS.map((spec) => [spec.id, spec])
) as Record<LanguageId, LanguageSpec<LanguageId>>

/** The names a suite may give under `language:`: each language's id and label (`csharp`, `c#`). */
export const LANGUAGE_NAMES: readonly string[] = [...new Set(LANGUAGE_IDS.flatMap((id) => [id, LANGUAGES[id].label]))]

const byAlias = new Map(LANGUAGE_SPECS.flatMap((spec) => spec.aliases.map((alias) => [alias, spec.id] as const)))

/** The language a fence tag or a `language:` value names, if it is one the checks parse. */
export function languageNamed(name: string): LanguageId | undefined {
  return byAlias.get(name.trim().toLowerCase())
}
