import { describe, expect, it } from '@jest/globals'
import type { Language } from 'web-tree-sitter'
import { LANGUAGE_IDS, LANGUAGE_SPECS, LANGUAGES, languageNamed, type LanguageId } from '../../src/checks/code/languages/index.js'
import { nodeTypesNamed, type LanguageSpec } from '../../src/checks/code/languages/spec.js'
import { languageOf, loadParser } from '../../src/checks/code/parser.js'

async function grammarOf(spec: LanguageSpec<LanguageId>): Promise<Language> {
  const parser = await loadParser([spec.id])
  const tree = parser.parse('', spec.id)
  try {
    expect(languageOf(tree.rootNode)).toBe(spec)
    return tree.language
  } finally {
    tree.delete()
  }
}

function typesOf(grammar: Language): { named: Set<string>; anonymous: Set<string> } {
  const named = new Set<string>()
  const anonymous = new Set<string>()
  for (let id = 0; id < grammar.nodeTypeCount; id++) {
    const type = grammar.nodeTypeForId(id)
    if (type !== null) (grammar.nodeTypeIsNamed(id) ? named : anonymous).add(type)
  }
  return { named, anonymous }
}

describe('language specs', () => {
  it.each(LANGUAGE_SPECS.map((spec) => [spec.id, spec] as const))('%s names only node types its grammar has', async (_, spec) => {
    const { named, anonymous } = typesOf(await grammarOf(spec))
    const { named: wanted, tokens } = nodeTypesNamed(spec)
    expect(wanted.filter((type) => !named.has(type))).toEqual([])
    expect(tokens.filter((type) => !anonymous.has(type))).toEqual([])
  })

  it.each(LANGUAGE_SPECS.map((spec) => [spec.id, spec] as const))('%s gives each node type one binding shape and one handler kind', (_, spec) => {
    const { bindings, handlers } = spec.syntax
    for (const lists of [Object.values(bindings.shapes), Object.values(handlers)]) {
      const types = lists.flatMap((list) => list ?? [])
      expect(types).toEqual([...new Set(types)])
    }
  })

  it('keys the table by each spec’s id', () => {
    expect(LANGUAGE_IDS).toEqual([...new Set(LANGUAGE_IDS)])
    for (const id of LANGUAGE_IDS) expect(LANGUAGES[id].id).toBe(id)
  })

  it('gives every alias to one language', () => {
    const aliases = LANGUAGE_SPECS.flatMap((spec) => spec.aliases)
    expect(aliases).toEqual([...new Set(aliases)])
    for (const spec of LANGUAGE_SPECS) for (const alias of spec.aliases) expect(languageNamed(alias)).toBe(spec.id)
  })

  it('extends only languages in the table, whose clues a superset lists too', () => {
    for (const spec of LANGUAGE_SPECS.filter((candidate) => candidate.supersetOf !== undefined)) {
      const base = LANGUAGE_SPECS.find((candidate) => candidate.id === spec.supersetOf)
      expect(base).toBeDefined()
      for (const clue of base!.clues) expect(spec.clues).toContain(clue)
    }
  })
})
