import { defineLanguage } from './spec.js'

export const go = defineLanguage({
  id: 'go',
  label: 'go',
  grammarFile: 'tree-sitter-go.wasm',
  aliases: ['go', 'golang'],
  clues: [
    [/^\s*package\s+\w+\s*$/m, 4],
    [/\bfunc\s+(\([^)]*\)\s*)?\w+\s*\(/, 5],
    [/:=/, 3],
    [/\berr\s*!=\s*nil\b|\btype\s+\w+\s+struct\b|\bfmt\.\w+/, 4]
  ],
  tests: { functionNames: /^(Test|Benchmark|Fuzz)([A-Z_\d]|$)/, functionParameters: /\*testing\.[TBF]\b/ },
  syntax: {
    comments: ['comment'],
    strings: ['interpreted_string_literal', 'raw_string_literal'],
    functions: {
      declared: ['method_declaration', 'function_declaration'],
      lambdas: ['func_literal'],
      namedByFirstIdentifier: ['function_declaration'],
      parameterLists: ['parameter_list'],
      multiNameParameters: ['parameter_declaration']
    },
    calls: {
      types: ['call_expression', 'composite_literal'],
      calleeFirst: ['call_expression'],
      bodyArguments: ['composite_literal'],
      argumentLists: ['argument_list']
    },
    memberAccess: ['selector_expression'],
    classes: [],
    handlers: { defer: ['defer_statement'] },
    exits: {
      types: ['return_statement'],
      calls: [{ call: 'call_expression', callee: 'panic' }]
    },
    conditionals: {
      byCondition: ['if_statement'],
      expressions: []
    },
    switches: {
      types: ['expression_switch_statement'],
      cases: ['expression_case', 'default_case'],
      labels: []
    },
    bindings: {
      shapes: {
        'left-right': ['assignment_statement', 'short_var_declaration', 'range_clause'],
        for: ['for_statement'],
        'name-value': ['var_spec', 'const_spec']
      }
    },
    imports: ['import_declaration', 'import_spec', 'import_spec_list']
  }
})
