// What the code checks need to know about tree-sitter's node types, in one place for all the
// grammars. Most shapes share a type name across grammars (if_statement, catch_clause, …), so one
// table serves them all; where a grammar has no field names (Kotlin, Python's `a if c else b`)
// the shape is read by position.
import type { Node } from 'web-tree-sitter'

export function namedChildren(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null && !isComment(child))
}

/** Whether `inner` lies within `outer` (or is it). */
export function encloses(outer: Node, inner: Node): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex
}

const COMMENT_TYPES = new Set(['comment', 'line_comment', 'block_comment', 'multiline_comment'])

export function isComment(node: Node): boolean {
  return COMMENT_TYPES.has(node.type)
}

const STRING_TYPES = new Set([
  'string', 'string_literal', 'template_string', 'interpreted_string_literal', 'raw_string_literal',
  'verbatim_string_literal', 'interpolated_string_expression', 'interpolated_verbatim_string_expression',
  'text_block', 'line_string_literal', 'multi_line_string_literal', 'concatenated_string', 'character_literal'
])

export function isStringLiteral(node: Node): boolean {
  return STRING_TYPES.has(node.type)
}

/** A string literal's text without its quotes and prefixes (f"", @"", $"", r``…). */
export function stringContent(node: Node): string {
  return node.text.replace(/^[a-zA-Z@$]*("""|'''|"|'|`)/, '').replace(/("""|'''|"|'|`)$/, '')
}

/** A Python docstring: a bare string statement, which documents rather than computes. */
export function isDocString(node: Node): boolean {
  return node.type === 'string' && node.parent?.type === 'expression_statement' && node.parent.namedChildCount === 1
}

export function isIdentifier(node: Node): boolean {
  return node.isNamed && node.childCount === 0 && node.type.endsWith('identifier') && node.type !== 'type_identifier'
}

/** The identifiers within a node, in source order. */
function identifiersIn(node: Node): Node[] {
  if (isIdentifier(node)) return [node]
  return namedChildren(node).flatMap(identifiersIn)
}

const FUNCTION_TYPES = new Set([
  'method_declaration', 'constructor_declaration', 'function_declaration', 'function_definition', 'method_definition',
  'local_function_statement', 'secondary_constructor', 'accessor_declaration', 'generator_function_declaration'
])
const LAMBDA_TYPES = new Set([
  'lambda_expression', 'arrow_function', 'function_expression', 'function', 'lambda', 'func_literal', 'lambda_literal',
  'anonymous_function', 'anonymous_method_expression'
])

export function isFunction(node: Node): boolean {
  return FUNCTION_TYPES.has(node.type) || LAMBDA_TYPES.has(node.type)
}

export function isLambda(node: Node): boolean {
  return LAMBDA_TYPES.has(node.type)
}

export type HandlerKind = 'catch' | 'except' | 'finally' | 'defer'

const HANDLER_KINDS: ReadonlyMap<string, HandlerKind> = new Map([
  ['catch_clause', 'catch'], ['catch_block', 'catch'], ['except_clause', 'except'], ['except_group_clause', 'except'],
  ['finally_clause', 'finally'], ['finally_block', 'finally'], ['defer_statement', 'defer']
])

/** Whether a node handles a failure rather than validating input: a catch, except, finally or Go defer. */
export function handlerKind(node: Node): HandlerKind | undefined {
  return HANDLER_KINDS.get(node.type)
}

const CALL_TYPES = new Set([
  'method_invocation', 'invocation_expression', 'call_expression', 'call', 'object_creation_expression', 'new_expression',
  'implicit_object_creation_expression', 'composite_literal'
])

/** Calls, and constructions (`new X(…)`, Go's `&X{…}`), which take arguments the same way. */
export function isCall(node: Node): boolean {
  return CALL_TYPES.has(node.type)
}

function calleeNode(call: Node): Node | undefined {
  return (
    call.childForFieldName('function') ??
    call.childForFieldName('constructor') ??
    call.childForFieldName('type') ??
    (call.type === 'call_expression' ? namedChildren(call)[0] : undefined) ??
    undefined
  )
}

/** What a call calls, as written without spaces (`log.error`, `Result.fail`, `BizException`). */
export function calleeText(call: Node): string {
  if (call.type === 'method_invocation') {
    const object = call.childForFieldName('object')
    const name = call.childForFieldName('name')?.text ?? ''
    return (object ? `${object.text}.${name}` : name).replace(/\s+/g, '')
  }
  return (calleeNode(call)?.text ?? '').replace(/\s+/g, '')
}

/** The last name of a callee: `this.validator.checkFlag` → `checkFlag`. */
export function calleeName(call: Node): string {
  const segments = calleeText(call).replace(/<[^<>]*>/g, '').split(/\?\.|\.|::|->/)
  return segments[segments.length - 1] ?? ''
}

export function argumentsNode(call: Node): Node | undefined {
  return (
    call.childForFieldName('arguments') ??
    (call.type === 'composite_literal' ? call.childForFieldName('body') : undefined) ??
    namedChildren(call).find((child) => child.type === 'call_suffix' || child.type === 'argument_list') ??
    undefined
  )
}

const ARGUMENT_WRAPPERS = new Set(['value_arguments', 'call_suffix'])

/** The arguments of a call, in order (Kotlin's trailing lambda last). */
export function callArguments(call: Node): Node[] {
  const list = argumentsNode(call)
  if (!list) return []
  return namedChildren(list).flatMap((child) => (ARGUMENT_WRAPPERS.has(child.type) ? namedChildren(child) : [child]))
}

const MEMBER_TYPES = new Set([
  'member_expression', 'member_access_expression', 'navigation_expression', 'selector_expression', 'attribute', 'field_access'
])

/** What a method is called on: `Stream.of(a, b)` in `Stream.of(a, b).forEach(…)`. */
export function callReceiver(call: Node): Node | undefined {
  if (call.type === 'method_invocation') return call.childForFieldName('object') ?? undefined
  const callee = calleeNode(call)
  return callee && MEMBER_TYPES.has(callee.type) ? namedChildren(callee)[0] : undefined
}

/** The call a lambda is passed to, if it is an argument (`list.forEach(f -> …)`). */
export function callTakingLambda(lambda: Node): Node | undefined {
  let node = lambda.parent
  for (let depth = 0; node && depth < 4; depth++, node = node.parent) {
    if (isCall(node)) return argumentsNode(node) && encloses(argumentsNode(node)!, lambda) ? node : undefined
  }
  return undefined
}

const EXIT_TYPES = new Set(['throw_statement', 'throw_expression', 'return_statement', 'raise_statement'])

/** A statement that leaves the function: return, throw, raise, Kotlin's jump expressions, Go's panic. */
export function isExit(node: Node): boolean {
  if (EXIT_TYPES.has(node.type)) return true
  if (node.type === 'jump_expression') return /^(throw|return)\b/.test(node.text)
  return node.type === 'call_expression' && calleeText(node) === 'panic'
}

/** Whether a branch leaves the function somewhere in its own code (not in a nested function). */
export function containsExit(branch: Node): boolean {
  if (isExit(branch)) return true
  return namedChildren(branch).some((child) => !isFunction(child) && containsExit(child))
}

// Statement-level nodes bound how far an expression's context reaches.
const STATEMENT_LIKE = /(statement|declaration|block|body|clause|statements|program|module|source_file|compilation_unit)$/

/** Whether an expression is what a return/throw hands back (`return x ? ok : fail(…)`). */
export function isExitValue(expression: Node): boolean {
  for (let node = expression.parent; node && !isFunction(node); node = node.parent) {
    if (isExit(node)) return true
    if (STATEMENT_LIKE.test(node.type)) return false
  }
  return false
}

/** How a node conditions the child on the path to a code: which part decides and which part runs. */
export interface ConditionalRole {
  role: 'condition' | 'branch'
  /** What decides whether the branch runs. */
  conditions: Node[]
  /** An expression (ternary, elvis, switch arm) rather than a statement. */
  expression: boolean
}

const CASE_TYPES = new Set([
  'switch_block_statement_group', 'switch_rule', 'switch_section', 'switch_expression_arm', 'switch_case', 'switch_default',
  'case_clause', 'expression_case', 'default_case', 'when_entry'
])
const SWITCH_TYPES = new Set(['switch_expression', 'switch_statement', 'match_statement', 'expression_switch_statement', 'when_expression'])
const LABEL_TYPES = new Set([
  'switch_label', 'case_switch_label', 'case_pattern_switch_label', 'default_switch_label', 'when_condition', 'case_pattern',
  'if_clause', 'when_clause'
])
const EXPRESSION_CONDITIONALS = new Set([
  'ternary_expression', 'conditional_expression', 'if_expression', 'elvis_expression', 'binary_expression',
  'switch_expression_arm', 'switch_rule', 'when_entry'
])

function caseLabels(caseNode: Node): Node[] {
  if (caseNode.type === 'switch_expression_arm') return namedChildren(caseNode).slice(0, -1)
  const labels: Node[] = []
  for (let i = 0; i < caseNode.childCount; i++) {
    const child = caseNode.child(i)
    const field = caseNode.fieldNameForChild(i)
    if (child?.isNamed && (LABEL_TYPES.has(child.type) || field === 'value' || field === 'pattern')) labels.push(child)
  }
  return labels
}

function switchSubject(caseNode: Node): Node | undefined {
  let node = caseNode.parent
  for (let depth = 0; node && depth < 3 && !SWITCH_TYPES.has(node.type); depth++) node = node.parent
  if (!node || !SWITCH_TYPES.has(node.type)) return undefined
  return (
    node.childForFieldName('condition') ??
    node.childForFieldName('value') ??
    node.childForFieldName('subject') ??
    namedChildren(node).find((child) => child.type === 'when_subject') ??
    (node.type === 'switch_expression' ? namedChildren(node)[0] : undefined)
  )
}

function conditionsOf(node: Node): Node[] | undefined {
  switch (node.type) {
    case 'if_statement':
    case 'elif_clause':
    case 'ternary_expression':
    case 'conditional_expression': {
      const condition = node.childForFieldName('condition') ?? (node.type === 'conditional_expression' ? namedChildren(node)[1] : undefined)
      const initializer = node.childForFieldName('initializer')
      return [condition, initializer].filter((part): part is Node => part !== null && part !== undefined)
    }
    case 'if_expression':
    case 'elvis_expression':
      return namedChildren(node).slice(0, 1)
    case 'binary_expression': {
      // Only `a ?? throw …` guards; other binary operators merely compute.
      const left = node.childForFieldName('left')
      return node.children.some((child) => child?.type === '??') && left ? [left] : undefined
    }
    default: {
      if (!CASE_TYPES.has(node.type)) return undefined
      const subject = switchSubject(node)
      return [...(subject ? [subject] : []), ...caseLabels(node)]
    }
  }
}

/**
 * The name a constraint annotation validates: `@Range(…) Integer activeFlag` in Java, C#'s
 * `[Range(…)] public int ActiveFlag`. Frameworks reject the request before the method runs, so
 * such an annotation is a guard on that parameter, field or property. Annotations elsewhere
 * (a method's `@ApiResponse(code = 50002)`) document rather than validate.
 */
export function constrainedName(annotation: Node): Node | undefined {
  if (annotation.type !== 'annotation' && annotation.type !== 'attribute') return undefined
  let holder = annotation.parent
  if (holder?.type === 'modifiers' || holder?.type === 'attribute_list') holder = holder.parent
  switch (holder?.type) {
    case 'formal_parameter':
    case 'parameter':
    case 'property_declaration':
      return holder.childForFieldName('name') ?? undefined
    case 'field_declaration': {
      const declarator = holder.childForFieldName('declarator') ?? holder.descendantsOfType('variable_declarator')[0]
      return declarator ? (declarator.childForFieldName('name') ?? namedChildren(declarator)[0]) : undefined
    }
    default:
      return undefined
  }
}

/** A conditional's deciding part as a message quotes it: `userId == null`, `switch (activeFlag) … default`. */
export function describeCondition(conditional: Node, conditions: Node[]): string {
  const flat = (node: Node): string => node.text.replace(/\s+/g, ' ').trim()
  if (conditional.type === 'annotation') return `${flat(conditional)} ${conditions.map(flat).join(' ')}`
  if (conditional.type === 'attribute') return `[${flat(conditional)}] ${conditions.map(flat).join(' ')}`
  if (CASE_TYPES.has(conditional.type)) {
    const subject = switchSubject(conditional)
    const labels = caseLabels(conditional).map((label) => flat(label).replace(/:$/, '')).join(' ') || 'default'
    return subject ? `switch ${flat(subject)} … ${labels}` : labels
  }
  return conditions.map(flat).join('; ').replace(/^\((.*)\)$/, '$1')
}

/** The role `node` plays for its `child` on the path to a code, when `node` is a conditional. */
export function conditionalRole(node: Node, child: Node): ConditionalRole | undefined {
  const conditions = conditionsOf(node)
  if (!conditions) return undefined
  const role = conditions.some((condition) => encloses(condition, child)) ? 'condition' : 'branch'
  return { role, conditions, expression: EXPRESSION_CONDITIONALS.has(node.type) }
}

/** A declaration or assignment: the name(s) it binds and the value it binds them to. */
export interface BindingParts {
  target: Node
  value: Node
}

/** Reads the bound target and value of a declaration, assignment, enum constant, map entry or for-each loop. */
export function bindingParts(node: Node): BindingParts | undefined {
  const field = (name: string): Node | undefined => node.childForFieldName(name) ?? undefined
  const children = (): Node[] => namedChildren(node)
  const pair = (target: Node | undefined, value: Node | undefined): BindingParts | undefined =>
    target && value ? { target, value } : undefined
  switch (node.type) {
    case 'variable_declarator': {
      const equals = children().find((child) => child.type === 'equals_value_clause')
      return pair(field('name') ?? children()[0], field('value') ?? (equals ? namedChildren(equals)[0] : undefined))
    }
    case 'assignment':
      // Python names its fields; Kotlin gives target then value.
      return pair(field('left') ?? children()[0], field('right') ?? children()[1])
    case 'assignment_expression':
    case 'assignment_statement':
    case 'short_var_declaration':
    case 'for_in_statement':
    case 'for_each_statement':
    case 'range_clause':
      return pair(field('left'), field('right'))
    case 'for_statement':
      // Python's for has fields; Kotlin's is `for (variable_declaration in expression)`.
      return field('left') ? pair(field('left'), field('right')) : pair(children().find((c) => c.type === 'variable_declaration'), children()[1])
    case 'named_expression':
    case 'var_spec':
    case 'const_spec':
    case 'enum_member_declaration':
    case 'enum_assignment':
    case 'public_field_definition':
    case 'enhanced_for_statement':
      return pair(field('name'), field('value'))
    case 'field_definition':
      return pair(field('property'), field('value'))
    case 'enum_constant':
      return pair(field('name'), field('arguments'))
    case 'enum_entry':
      return pair(children()[0], children().find((child) => child.type === 'value_arguments'))
    case 'property_declaration': {
      const declared = children().find((child) => child.type === 'variable_declaration')
      const value = children().at(-1)
      return value !== declared ? pair(declared, value) : undefined
    }
    case 'pair':
      return pair(field('key'), field('value'))
    default:
      return undefined
  }
}

/** The names a binding target declares: `x`, `self.x` → x, `(a, b)` → a and b. */
export function targetNames(target: Node): Node[] {
  if (isStringLiteral(target)) return [target]
  if (MEMBER_TYPES.has(target.type)) return identifiersIn(target).slice(-1)
  return identifiersIn(target)
}

export function nameOf(node: Node): string {
  return isStringLiteral(node) ? stringContent(node) : node.text
}

/** A function's name: declared, or the variable an arrow function or lambda is assigned to. */
export function functionName(fn: Node): string | undefined {
  const declared = fn.childForFieldName('name') ?? (fn.type === 'function_declaration' ? namedChildren(fn).find(isIdentifier) : undefined)
  if (declared) return declared.text
  const holder = fn.parent ? bindingParts(fn.parent) : undefined
  return holder && holder.value.equals(fn) ? targetNames(holder.target)[0]?.text : undefined
}

const PARAMETER_LISTS = new Set(['formal_parameters', 'parameter_list', 'parameters', 'function_value_parameters', 'lambda_parameters'])

/** A function's parameter names in order, without Python's `self`/`cls` (callers do not pass them). */
export function parameterNames(fn: Node): string[] {
  const list =
    fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter') ?? namedChildren(fn).find((child) => PARAMETER_LISTS.has(child.type))
  if (!list) return []
  if (isIdentifier(list)) return [list.text]
  const names = namedChildren(list).flatMap((parameter) => {
    if (isIdentifier(parameter)) return [parameter.text]
    // Go declares several names with one type: `a, b int`.
    const goNames = parameter.type === 'parameter_declaration' ? parameter.childrenForFieldName('name') : []
    if (goNames.length > 1) return goNames.map((name) => name?.text ?? '')
    const named = parameter.childForFieldName('name') ?? parameter.childForFieldName('pattern') ?? parameter.childForFieldName('left')
    return [(named ? identifiersIn(named)[0] : identifiersIn(parameter)[0])?.text ?? '']
  })
  return names[0] === 'self' || names[0] === 'cls' ? names.slice(1) : names
}

/** The first syntax error within a node, for pointing at it. */
export function firstSyntaxError(node: Node): Node | undefined {
  if (node.isError || node.isMissing) return node
  if (!node.hasError) return undefined
  for (const child of node.children) {
    const error = child ? firstSyntaxError(child) : undefined
    if (error) return error
  }
  return undefined
}
