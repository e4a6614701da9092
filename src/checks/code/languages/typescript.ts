import { javascript } from './javascript.js'
import { CLASS_MEMBER_WRAPPER, SCRIPT_CLUES, THROW_NEW } from './shared.js'
import { defineLanguage } from './spec.js'

export const typescript = defineLanguage({
  id: 'typescript',
  label: 'typescript',
  grammarFile: 'tree-sitter-typescript.wasm',
  aliases: ['typescript', 'ts', 'mts', 'cts'],
  clues: [
    THROW_NEW,
    ...SCRIPT_CLUES,
    [/:\s*(string|number|boolean|void|any|unknown|never)\b|\binterface\s+\w+\s*(extends\s+[\w, ]+)?\{/, 3],
    [/\btype\s+\w+\s*=|\bPromise<|\bas\s+(const|string|number)\b|\breadonly\s+\w+/, 2]
  ],
  supersetOf: 'javascript',
  snippetWrapper: CLASS_MEMBER_WRAPPER,
  tests: javascript.tests,
  // TypeScript's grammar extends JavaScript's: the same shapes, plus enums, typed class fields and
  // `import x = require(…)`. JavaScript's class fields (`field_definition`) are not in this grammar.
  syntax: {
    ...javascript.syntax,
    classes: ['class_declaration', 'class', 'abstract_class_declaration'],
    bindings: {
      ...javascript.syntax.bindings,
      shapes: {
        declarator: ['variable_declarator'],
        'left-right': ['assignment_expression', 'for_in_statement'],
        for: ['for_statement'],
        'name-value': ['enum_assignment', 'public_field_definition'],
        'key-value': ['pair']
      }
    },
    imports: [...javascript.syntax.imports, 'import_alias', 'import_require_clause']
  }
})
