import { BEAN_VALIDATION, JVM_ANNOTATIONS, THROW_NEW, VISIBLE_CLASS } from './shared.js'
import { defineLanguage } from './spec.js'

export const java = defineLanguage({
  id: 'java',
  label: 'java',
  grammarFile: 'tree-sitter-java.wasm',
  aliases: ['java'],
  clues: [
    [/\bimport\s+java\.|^\s*package\s+[\w.]+;/m, 4],
    [/\bSystem\.(out|err)\.print/, 3],
    JVM_ANNOTATIONS,
    [/\bString\s+\w+\s*[=;,)]/, 2],
    [/\bthrows\s+[A-Z]\w*/, 2],
    [/\b(public|private|protected)\s+(static\s+)?(final\s+)?[\w<>[\],\s]+?\s+[a-z]\w*\s*\(/, 2],
    [/\bboolean\b|\bfinal\s+[A-Z]?\w+\s+\w+\s*=|\.equals\(/, 1],
    VISIBLE_CLASS,
    THROW_NEW
  ],
  declarative: { parameterMarker: BEAN_VALIDATION },
  syntax: {
    comments: ['line_comment', 'block_comment'],
    strings: ['string_literal', 'character_literal'],
    functions: {
      declared: ['method_declaration', 'constructor_declaration'],
      lambdas: ['lambda_expression'],
      parameterLists: ['formal_parameters']
    },
    calls: {
      types: ['method_invocation', 'object_creation_expression'],
      methodInvocations: ['method_invocation'],
      argumentLists: ['argument_list']
    },
    memberAccess: ['field_access'],
    classes: ['class_declaration', 'record_declaration', 'enum_declaration', 'interface_declaration'],
    annotations: { types: ['annotation', 'marker_annotation'], lists: ['modifiers'] },
    handlers: { catch: ['catch_clause'], finally: ['finally_clause'] },
    exits: { types: ['throw_statement', 'return_statement'] },
    conditionals: {
      byCondition: ['if_statement', 'ternary_expression'],
      expressions: ['ternary_expression', 'switch_rule']
    },
    // The grammar reads a switch statement as a switch_expression too.
    switches: {
      types: ['switch_expression'],
      cases: ['switch_block_statement_group', 'switch_rule'],
      labels: ['switch_label'],
      subjectFirst: ['switch_expression']
    },
    constraints: {
      annotations: ['annotation'],
      modifierLists: ['modifiers'],
      namedHolders: ['formal_parameter'],
      fieldHolders: ['field_declaration'],
      fieldDeclarators: ['variable_declarator']
    },
    bindings: {
      shapes: {
        declarator: ['variable_declarator'],
        'left-right': ['assignment_expression'],
        for: ['for_statement'],
        'name-value': ['enhanced_for_statement'],
        'name-arguments': ['enum_constant']
      }
    },
    imports: ['import_declaration']
  }
})
