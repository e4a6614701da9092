import { THROW_NEW, VISIBLE_CLASS } from './shared.js'
import { defineLanguage } from './spec.js'

export const csharp = defineLanguage({
  id: 'csharp',
  label: 'c#',
  grammarFile: 'tree-sitter-c_sharp.wasm',
  aliases: ['csharp', 'c#', 'cs', 'c-sharp', 'dotnet'],
  clues: [
    VISIBLE_CLASS,
    THROW_NEW,
    [/\busing\s+System\b|^\s*namespace\s+[\w.]+/m, 4],
    [/\{\s*get;\s*(private\s+|init;\s*|set;\s*)*\}/, 4],
    [/\b(async\s+)?Task(<[^>]*>)?\s+[A-Z]\w*\s*\(|\bI?ActionResult\b|\bnameof\(|\bConsole\.Write/, 3],
    [/\b(public|private|protected|internal)\s+(static\s+)?(async\s+)?[\w<>[\]?]+\s+[A-Z]\w*\s*\(/, 2],
    [/\b(string|bool)\s+\w+\s*[=;,)]|\b(int|long)\?\s+\w+/, 2]
  ],
  syntax: {
    comments: ['comment'],
    strings: ['string_literal', 'verbatim_string_literal', 'interpolated_string_expression', 'character_literal'],
    functions: {
      declared: ['method_declaration', 'constructor_declaration', 'local_function_statement', 'accessor_declaration'],
      lambdas: ['lambda_expression', 'anonymous_method_expression'],
      parameterLists: ['parameter_list']
    },
    calls: {
      types: ['invocation_expression', 'object_creation_expression', 'implicit_object_creation_expression'],
      argumentLists: ['argument_list']
    },
    // `attribute` is C#'s annotation, not a member access; it is here because one list once served
    // every grammar and Python names its member access so. No callee or binding target is one.
    memberAccess: ['member_access_expression', 'attribute'],
    classes: ['class_declaration', 'record_declaration', 'struct_declaration', 'interface_declaration'],
    annotations: { types: ['attribute'], lists: ['attribute_list'] },
    handlers: { catch: ['catch_clause'], finally: ['finally_clause'] },
    exits: { types: ['throw_statement', 'throw_expression', 'return_statement'] },
    conditionals: {
      byCondition: ['if_statement'],
      byMiddleOperand: ['conditional_expression'],
      expressions: ['conditional_expression', 'switch_expression_arm'],
      nullishGuard: { expression: 'binary_expression', operator: '??' }
    },
    switches: {
      types: ['switch_expression', 'switch_statement'],
      cases: ['switch_section', 'switch_expression_arm'],
      labels: ['case_switch_label', 'case_pattern_switch_label', 'default_switch_label', 'when_clause'],
      valueArms: ['switch_expression_arm'],
      subjectFirst: ['switch_expression']
    },
    constraints: {
      annotations: ['attribute'],
      bracketed: true,
      modifierLists: ['attribute_list'],
      namedHolders: ['parameter', 'property_declaration'],
      fieldHolders: ['field_declaration'],
      fieldDeclarators: ['variable_declarator']
    },
    bindings: {
      shapes: {
        declarator: ['variable_declarator'],
        'left-right': ['assignment_expression', 'for_each_statement'],
        for: ['for_statement'],
        'name-value': ['enum_member_declaration'],
        'declared-property': ['property_declaration']
      },
      valueClauses: ['equals_value_clause'],
      declaredVariables: ['variable_declaration'],
      objectInitializers: ['initializer_expression']
    },
    imports: ['using_directive']
  }
})
