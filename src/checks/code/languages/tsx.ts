import { defineLanguage } from './spec.js'
import { typescript } from './typescript.js'

// TypeScript's grammar plus JSX. It has no clues of its own: untagged TSX is read as TypeScript.
export const tsx = defineLanguage({
  id: 'tsx',
  label: 'tsx',
  grammarFile: 'tree-sitter-tsx.wasm',
  aliases: ['tsx'],
  clues: [],
  snippetWrapper: typescript.snippetWrapper,
  tests: typescript.tests,
  syntax: typescript.syntax
})
