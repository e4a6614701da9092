import { BEAN_VALIDATION, JVM_ANNOTATIONS } from './shared.js'
import { defineLanguage } from './spec.js'

// The grammar names no fields: callees, conditions and binding parts are read by position.
export const kotlin = defineLanguage({
  id: 'kotlin',
  label: 'kotlin',
  grammarFile: 'tree-sitter-kotlin.wasm',
  aliases: ['kotlin', 'kt', 'kts'],
  clues: [
    JVM_ANNOTATIONS,
    [/\bfun\s+[\w.<>]+\s*\(/, 5],
    [/\bval\s+\w+\s*[:=]|\bdata\s+class\b|\bcompanion\s+object\b|\bimport\s+kotlin/, 3],
    [/\bwhen\s*(\([^)]*\))?\s*\{|\?:|!!/, 2],
    [/:\s*(String|Int|Long|Boolean)\??\s*[,)=]/, 2]
  ],
  declarative: { parameterMarker: BEAN_VALIDATION },
  syntax: {
    comments: ['line_comment', 'multiline_comment'],
    strings: ['string_literal', 'character_literal'],
    functions: {
      declared: ['function_declaration', 'secondary_constructor'],
      lambdas: ['lambda_literal', 'anonymous_function'],
      namedByFirstIdentifier: ['function_declaration'],
      parameterLists: ['function_value_parameters', 'lambda_parameters']
    },
    calls: {
      types: ['call_expression'],
      calleeFirst: ['call_expression'],
      argumentLists: ['call_suffix'],
      argumentWrappers: ['value_arguments', 'call_suffix'],
      trailingLambdas: ['annotated_lambda']
    },
    memberAccess: ['navigation_expression'],
    classes: ['class_declaration', 'object_declaration', 'companion_object'],
    annotations: { types: ['annotation'], lists: ['modifiers'] },
    handlers: { catch: ['catch_block'], finally: ['finally_block'] },
    exits: {
      types: [],
      jumps: ['jump_expression'],
      // Not Kotlin's: panic was matched in every grammar's call_expression, and still is.
      calls: [{ call: 'call_expression', callee: 'panic' }]
    },
    conditionals: {
      byCondition: [],
      byFirstOperand: ['if_expression', 'elvis_expression'],
      expressions: ['if_expression', 'elvis_expression', 'when_entry']
    },
    switches: {
      types: ['when_expression'],
      cases: ['when_entry'],
      labels: ['when_condition'],
      subjects: ['when_subject']
    },
    constraints: {
      annotations: ['annotation'],
      modifierLists: ['modifiers'],
      precedingModifiers: ['parameter_modifiers'],
      namedHolders: ['parameter', 'class_parameter'],
      fieldHolders: ['property_declaration'],
      fieldDeclarators: ['variable_declaration']
    },
    bindings: {
      shapes: {
        assignment: ['assignment'],
        for: ['for_statement'],
        'enum-entry': ['enum_entry'],
        'declared-property': ['property_declaration']
      },
      declaredVariables: ['variable_declaration'],
      entryArguments: ['value_arguments']
    },
    imports: ['import_alias', 'import_header', 'import_list', 'wildcard_import']
  }
})
