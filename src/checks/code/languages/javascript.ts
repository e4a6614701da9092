import { CLASS_MEMBER_WRAPPER, SCRIPT_CLUES, TEST_SUITE_CALLS, THROW_NEW } from './shared.js'
import { defineLanguage } from './spec.js'

export const javascript = defineLanguage({
  id: 'javascript',
  label: 'javascript',
  grammarFile: 'tree-sitter-javascript.wasm',
  aliases: ['javascript', 'js', 'jsx', 'mjs', 'cjs', 'node', 'nodejs'],
  clues: [THROW_NEW, ...SCRIPT_CLUES],
  snippetWrapper: CLASS_MEMBER_WRAPPER,
  tests: { suiteCalls: TEST_SUITE_CALLS },
  syntax: {
    comments: ['comment'],
    strings: ['string', 'template_string'],
    // A directive such as "use strict" is a string statement too.
    docStrings: { string: 'string', statement: 'expression_statement' },
    functions: {
      declared: ['function_declaration', 'method_definition', 'generator_function_declaration'],
      lambdas: ['arrow_function', 'function_expression'],
      namedByFirstIdentifier: ['function_declaration'],
      parameterLists: ['formal_parameters']
    },
    calls: {
      types: ['call_expression', 'new_expression'],
      calleeFirst: ['call_expression']
    },
    memberAccess: ['member_expression'],
    classes: ['class_declaration', 'class'],
    handlers: { catch: ['catch_clause'], finally: ['finally_clause'] },
    exits: {
      types: ['throw_statement', 'return_statement'],
      // Not JavaScript's: panic was matched in every grammar's call_expression, and still is.
      calls: [{ call: 'call_expression', callee: 'panic' }]
    },
    conditionals: {
      byCondition: ['if_statement', 'ternary_expression'],
      expressions: ['ternary_expression'],
      nullishGuard: { expression: 'binary_expression', operator: '??' }
    },
    switches: {
      types: ['switch_statement'],
      cases: ['switch_case', 'switch_default'],
      labels: []
    },
    bindings: {
      shapes: {
        declarator: ['variable_declarator'],
        'left-right': ['assignment_expression', 'for_in_statement'],
        for: ['for_statement'],
        'property-value': ['field_definition'],
        'key-value': ['pair']
      },
      declaredVariables: ['variable_declaration']
    },
    imports: ['import', 'import_attribute', 'import_clause', 'import_specifier', 'import_statement', 'named_imports', 'namespace_import']
  }
})
