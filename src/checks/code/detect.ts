import { LANGUAGE_SPECS, type LanguageId } from './languages/index.js'
import type { Clue } from './languages/spec.js'

// Each clue counts once per block. Weights favour what only one language writes; clues that
// several share only break ties, and the parse decides between the best candidates. A clue is
// tested once, however many specs list it; ties between equal scores go to the language whose
// first matching clue comes first in the table's order.
const CLUES: readonly { clue: Clue; languages: LanguageId[] }[] = (() => {
  const byClue = new Map<string, { clue: Clue; languages: LanguageId[] }>()
  for (const spec of LANGUAGE_SPECS) {
    for (const clue of spec.clues) {
      const key = `${clue[0].source}/${clue[0].flags}/${clue[1]}`
      const entry = byClue.get(key) ?? { clue, languages: [] }
      byClue.set(key, entry)
      entry.languages.push(spec.id)
    }
  }
  return [...byClue.values()]
})()

/** Candidate languages for untagged code, most likely first; empty when it does not look like code. */
export function rankLanguages(code: string): LanguageId[] {
  const scores = new Map<LanguageId, number>()
  for (const { clue: [pattern, weight], languages } of CLUES) {
    if (!pattern.test(code)) continue
    for (const language of languages) scores.set(language, (scores.get(language) ?? 0) + weight)
  }
  // A superset (TypeScript of JavaScript) lists its base's clues too: it wins only on its own.
  for (const spec of LANGUAGE_SPECS) {
    const base = spec.supersetOf as LanguageId | undefined
    if (base === undefined) continue
    if ((scores.get(spec.id) ?? 0) > (scores.get(base) ?? 0)) scores.delete(base)
    else scores.delete(spec.id)
  }
  return [...scores.entries()]
    .filter(([, score]) => score >= 2)
    .sort((a, b) => b[1] - a[1])
    .map(([language]) => language)
}
