import { defineLanguage } from './spec.js'

export const python = defineLanguage({
  id: 'python',
  label: 'python',
  grammarFile: 'tree-sitter-python.wasm',
  aliases: ['python', 'py', 'python3', 'py3'],
  clues: [
    [/^\s*(async\s+)?def\s+\w+\s*\(.*\)\s*(->\s*[^:]+)?:\s*$/m, 5],
    [/^\s*class\s+\w+(\([^)]*\))?:\s*$/m, 4],
    [/^\s*(raise\s+\w+|except\b.*:\s*$|elif\b)/m, 3],
    [/\bNone\b|\bself\.|^\s*from\s+[\w.]+\s+import\s+\w+/m, 2]
  ],
  tests: { functionNames: /^test/, classNames: /^Test/ },
  declarative: { validatesOnConstruction: true, validatorDecorators: /^(field_validator|validator|model_validator|root_validator)$/ },
  syntax: {
    comments: ['comment'],
    strings: ['string', 'concatenated_string'],
    docStrings: { string: 'string', statement: 'expression_statement' },
    functions: {
      declared: ['function_definition'],
      lambdas: ['lambda'],
      parameterLists: ['parameters', 'lambda_parameters']
    },
    calls: {
      types: ['call'],
      argumentLists: ['argument_list']
    },
    memberAccess: ['attribute'],
    classes: ['class_definition'],
    annotations: { types: ['decorator'], wrappers: ['decorated_definition'] },
    assertStatements: ['assert_statement'],
    handlers: { except: ['except_clause', 'except_group_clause'], finally: ['finally_clause'] },
    exits: { types: ['return_statement', 'raise_statement'] },
    conditionals: {
      byCondition: ['if_statement', 'elif_clause'],
      byMiddleOperand: ['conditional_expression'],
      expressions: ['conditional_expression']
    },
    switches: {
      types: ['match_statement'],
      cases: ['case_clause'],
      labels: ['case_pattern', 'if_clause']
    },
    bindings: {
      shapes: {
        assignment: ['assignment'],
        for: ['for_statement'],
        'name-value': ['named_expression'],
        'key-value': ['pair']
      }
    },
    imports: [
      'aliased_import', 'future_import_statement', 'import_from_statement', 'import_prefix', 'import_statement', 'relative_import',
      'wildcard_import'
    ]
  }
})
