// How the code checks read tree-sitter's trees. Which node types play which part comes from the
// spec of the language that parsed the node (languages/); where a grammar has no field names
// (Kotlin, Python's `a if c else b`) the shape is read by position. The field names (`condition`,
// `name`, `value`, …) and the naming conventions below are what the grammars share.
import type { Node } from 'web-tree-sitter'
import type { BindingShape, HandlerKind, NodeTypes } from './languages/spec.js'
import { languageOf } from './parser.js'

export type { HandlerKind } from './languages/spec.js'

function syntaxOf(node: Node): NodeTypes {
  return languageOf(node).syntax
}

function isOneOf(node: Node, types: readonly string[] | undefined): boolean {
  return types !== undefined && types.includes(node.type)
}

export function namedChildren(node: Node): Node[] {
  const { comments } = syntaxOf(node)
  return node.namedChildren.filter((child): child is Node => child !== null && !comments.includes(child.type))
}

/** Whether `inner` lies within `outer` (or is it). */
export function encloses(outer: Node, inner: Node): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex
}

export function isComment(node: Node): boolean {
  return isOneOf(node, syntaxOf(node).comments)
}

export function isStringLiteral(node: Node): boolean {
  return isOneOf(node, syntaxOf(node).strings)
}

/** A string literal's text without its quotes and prefixes (f"", @"", $"", r``…). */
export function stringContent(node: Node): string {
  return node.text.replace(/^[a-zA-Z@$]*("""|'''|"|'|`)/, '').replace(/("""|'''|"|'|`)$/, '')
}

/** A Python docstring: a bare string statement, which documents rather than computes. */
export function isDocString(node: Node): boolean {
  const docStrings = syntaxOf(node).docStrings
  return node.type === docStrings?.string && node.parent?.type === docStrings.statement && node.parent.namedChildCount === 1
}

// Every grammar names its identifiers …identifier; a type's name is not a value's.
export function isIdentifier(node: Node): boolean {
  return node.isNamed && node.childCount === 0 && node.type.endsWith('identifier') && node.type !== 'type_identifier'
}

/** The identifiers within a node, in source order. */
function identifiersIn(node: Node): Node[] {
  if (isIdentifier(node)) return [node]
  return namedChildren(node).flatMap(identifiersIn)
}

export function isFunction(node: Node): boolean {
  const { functions } = syntaxOf(node)
  return isOneOf(node, functions.declared) || isOneOf(node, functions.lambdas)
}

export function isLambda(node: Node): boolean {
  return isOneOf(node, syntaxOf(node).functions.lambdas)
}

/** Whether a node handles a failure rather than validating input: a catch, except, finally or Go defer. */
export function handlerKind(node: Node): HandlerKind | undefined {
  const { handlers } = syntaxOf(node)
  return (Object.keys(handlers) as HandlerKind[]).find((kind) => isOneOf(node, handlers[kind]))
}

/** Calls, and constructions (`new X(…)`, Go's `&X{…}`), which take arguments the same way. */
export function isCall(node: Node): boolean {
  return isOneOf(node, syntaxOf(node).calls.types)
}

function calleeNode(call: Node): Node | undefined {
  return (
    call.childForFieldName('function') ??
    call.childForFieldName('constructor') ??
    call.childForFieldName('type') ??
    (isOneOf(call, syntaxOf(call).calls.calleeFirst) ? namedChildren(call)[0] : undefined) ??
    undefined
  )
}

function isMethodInvocation(call: Node): boolean {
  return isOneOf(call, syntaxOf(call).calls.methodInvocations)
}

/**
 * The call a trailing lambda continues: Kotlin reads `require(ok) { "50001" }` as a call of the
 * call `require(ok)`, which callers see as one call of `require` with both arguments.
 */
function continuedCall(call: Node): Node | undefined {
  const { trailingLambdas } = syntaxOf(call).calls
  if (!trailingLambdas) return undefined
  const callee = calleeNode(call)
  const list = argumentsNode(call)
  return callee && isCall(callee) && list && namedChildren(list).every((child) => isOneOf(child, trailingLambdas)) ? callee : undefined
}

/** What a call calls, as written without spaces (`log.error`, `Result.fail`, `BizException`). */
export function calleeText(call: Node): string {
  const continued = continuedCall(call)
  if (continued) return calleeText(continued)
  if (isMethodInvocation(call)) {
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
  const { calls } = syntaxOf(call)
  return (
    call.childForFieldName('arguments') ??
    (isOneOf(call, calls.bodyArguments) ? call.childForFieldName('body') : undefined) ??
    namedChildren(call).find((child) => isOneOf(child, calls.argumentLists)) ??
    undefined
  )
}

/** The arguments of a call, in order (Kotlin's trailing lambda last). */
export function callArguments(call: Node): Node[] {
  const list = argumentsNode(call)
  if (!list) return []
  const { argumentWrappers } = syntaxOf(call).calls
  const own = namedChildren(list).flatMap((child) => (isOneOf(child, argumentWrappers) ? namedChildren(child) : [child]))
  const continued = continuedCall(call)
  return continued ? [...callArguments(continued), ...own] : own
}

function isMemberAccess(node: Node): boolean {
  return isOneOf(node, syntaxOf(node).memberAccess)
}

/** What a method is called on: `Stream.of(a, b)` in `Stream.of(a, b).forEach(…)`. */
export function callReceiver(call: Node): Node | undefined {
  const continued = continuedCall(call)
  if (continued) return callReceiver(continued)
  if (isMethodInvocation(call)) return call.childForFieldName('object') ?? undefined
  const callee = calleeNode(call)
  return callee && isMemberAccess(callee) ? namedChildren(callee)[0] : undefined
}

/** The call a lambda is passed to, if it is an argument (`list.forEach(f -> …)`). */
export function callTakingLambda(lambda: Node): Node | undefined {
  let node = lambda.parent
  for (let depth = 0; node && depth < 4; depth++, node = node.parent) {
    if (isCall(node)) return argumentsNode(node) && encloses(argumentsNode(node)!, lambda) ? node : undefined
  }
  return undefined
}

/** A statement that leaves the function: return, throw, raise, Kotlin's jump expressions, Go's panic. */
export function isExit(node: Node): boolean {
  const { exits } = syntaxOf(node)
  if (isOneOf(node, exits.types)) return true
  if (isOneOf(node, exits.jumps)) return /^(throw|return)\b/.test(node.text)
  return (exits.calls ?? []).some(({ call, callee }) => node.type === call && calleeText(node) === callee)
}

/** Whether a branch leaves the function somewhere in its own code (not in a nested function). */
export function containsExit(branch: Node): boolean {
  if (isExit(branch)) return true
  return namedChildren(branch).some((child) => !isFunction(child) && containsExit(child))
}

// Statement-level nodes (by the grammars' naming) bound how far an expression's context reaches.
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

function isCase(node: Node): boolean {
  return isOneOf(node, syntaxOf(node).switches.cases)
}

function caseLabels(caseNode: Node): Node[] {
  const { switches } = syntaxOf(caseNode)
  if (isOneOf(caseNode, switches.valueArms)) return namedChildren(caseNode).slice(0, -1)
  const labels: Node[] = []
  for (let i = 0; i < caseNode.childCount; i++) {
    const child = caseNode.child(i)
    const field = caseNode.fieldNameForChild(i)
    if (child?.isNamed && (isOneOf(child, switches.labels) || field === 'value' || field === 'pattern')) labels.push(child)
  }
  return labels
}

function switchSubject(caseNode: Node): Node | undefined {
  const { switches } = syntaxOf(caseNode)
  let node = caseNode.parent
  for (let depth = 0; node && depth < 3 && !isOneOf(node, switches.types); depth++) node = node.parent
  if (!node || !isOneOf(node, switches.types)) return undefined
  return (
    node.childForFieldName('condition') ??
    node.childForFieldName('value') ??
    node.childForFieldName('subject') ??
    namedChildren(node).find((child) => isOneOf(child, switches.subjects)) ??
    (isOneOf(node, switches.subjectFirst) ? namedChildren(node)[0] : undefined)
  )
}

function isNullishGuard(node: Node): boolean {
  return node.type === syntaxOf(node).conditionals.nullishGuard?.expression
}

function conditionsOf(node: Node): Node[] | undefined {
  const { conditionals } = syntaxOf(node)
  const byMiddleOperand = isOneOf(node, conditionals.byMiddleOperand)
  if (byMiddleOperand || isOneOf(node, conditionals.byCondition)) {
    const condition = node.childForFieldName('condition') ?? (byMiddleOperand ? namedChildren(node)[1] : undefined)
    const initializer = node.childForFieldName('initializer')
    return [condition, initializer].filter((part): part is Node => part !== null && part !== undefined)
  }
  if (isOneOf(node, conditionals.byFirstOperand)) return namedChildren(node).slice(0, 1)
  if (isNullishGuard(node)) {
    // Only `a ?? throw …` guards; the expression's other operators merely compute.
    const left = node.childForFieldName('left')
    return node.children.some((child) => child?.type === conditionals.nullishGuard?.operator) && left ? [left] : undefined
  }
  if (!isCase(node)) return undefined
  const subject = switchSubject(node)
  return [...(subject ? [subject] : []), ...caseLabels(node)]
}

/**
 * The name a constraint annotation validates: `@Range(…) Integer activeFlag` in Java, C#'s
 * `[Range(…)] public int ActiveFlag`. Frameworks reject the request before the method runs, so
 * such an annotation is a guard on that parameter, field or property. Annotations elsewhere
 * (a method's `@ApiResponse(code = 50002)`) document rather than validate.
 */
export function constrainedName(annotation: Node): Node | undefined {
  const { constraints } = syntaxOf(annotation)
  if (!constraints || !isOneOf(annotation, constraints.annotations)) return undefined
  let holder = annotation.parent
  if (holder && isOneOf(holder, constraints.precedingModifiers)) holder = holder.nextNamedSibling
  else if (holder && isOneOf(holder, constraints.modifierLists)) holder = holder.parent
  if (!holder) return undefined
  if (isOneOf(holder, constraints.namedHolders)) return holder.childForFieldName('name') ?? namedChildren(holder).find(isIdentifier)
  if (!isOneOf(holder, constraints.fieldHolders)) return undefined
  const declarator = holder.childForFieldName('declarator') ?? holder.descendantsOfType([...(constraints.fieldDeclarators ?? [])])[0]
  return declarator ? (declarator.childForFieldName('name') ?? namedChildren(declarator)[0]) : undefined
}

function isConstraint(node: Node): boolean {
  return isOneOf(node, syntaxOf(node).constraints?.annotations)
}

/** The annotations, attributes and decorators on a declaration, wherever its grammar keeps them. */
export function annotationsOf(declaration: Node): Node[] {
  const annotations = syntaxOf(declaration).annotations
  if (!annotations) return []
  const found: Node[] = []
  const take = (holder: Node): void => {
    for (const child of namedChildren(holder)) {
      if (isOneOf(child, annotations.types)) found.push(child)
      else if (isOneOf(child, annotations.lists)) take(child)
    }
  }
  take(declaration)
  if (declaration.parent && isOneOf(declaration.parent, annotations.wrappers)) take(declaration.parent)
  return found
}

/** An annotation's simple name: `@org.junit.Test` → Test, `@field:NotNull(…)` → NotNull, `[Fact]` → Fact. */
export function annotationName(annotation: Node): string {
  const written = annotation.text.replace(/^[@\s]+/, '').replace(/^\w+:(?!:)/, '')
  return written.split('(')[0]!.trim().split('.').pop() ?? ''
}

/** The arguments an annotation or decorator is given: `@field_validator("active_flag")` → the string. */
export function annotationArguments(annotation: Node): Node[] {
  const call = isCall(annotation) ? annotation : namedChildren(annotation).find(isCall)
  return call ? callArguments(call) : []
}

export function isClass(node: Node): boolean {
  return isOneOf(node, syntaxOf(node).classes)
}

/** A class's name, if it has one (a companion object need not). */
export function className(node: Node): string | undefined {
  return (node.childForFieldName('name') ?? namedChildren(node).find((child) => child.childCount === 0 && child.type.endsWith('identifier')))?.text
}

export function isDeclaredFunction(node: Node): boolean {
  return isOneOf(node, syntaxOf(node).functions.declared)
}

export function isAssertStatement(node: Node): boolean {
  return isOneOf(node, syntaxOf(node).assertStatements)
}

/** A conditional's deciding part as a message quotes it: `userId == null`, `switch (activeFlag) … default`. */
export function describeCondition(conditional: Node, conditions: Node[]): string {
  const flatText = (text: string): string => text.replace(/\s+/g, ' ').trim()
  const flat = (node: Node): string => flatText(node.text)
  if (isConstraint(conditional)) {
    const annotation = syntaxOf(conditional).constraints?.bracketed ? `[${flat(conditional)}]` : flat(conditional)
    return `${annotation} ${conditions.map(flat).join(' ')}`
  }
  if (handlerKind(conditional)) {
    // A not-found handler: `except User.DoesNotExist`, `catch (EntityNotFoundException e)`.
    const body = namedChildren(conditional).at(-1)
    return flatText(body ? conditional.text.slice(0, body.startIndex - conditional.startIndex) : conditional.text).replace(/:$/, '')
  }
  if (isCase(conditional)) {
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
  const expression = isOneOf(node, syntaxOf(node).conditionals.expressions) || isNullishGuard(node)
  return { role, conditions, expression }
}

/** A declaration or assignment: the name(s) it binds and the value it binds them to. */
export interface BindingParts {
  target: Node
  value: Node
  shape: BindingShape
}

/** Reads the bound target and value of a declaration, assignment, enum constant, map entry or for-each loop. */
export function bindingParts(node: Node): BindingParts | undefined {
  const { bindings } = syntaxOf(node)
  const shape = (Object.keys(bindings.shapes) as BindingShape[]).find((candidate) => isOneOf(node, bindings.shapes[candidate]))
  if (!shape) return undefined
  const field = (name: string): Node | undefined => node.childForFieldName(name) ?? undefined
  const children = (): Node[] => namedChildren(node)
  const childOf = (types: readonly string[] | undefined): Node | undefined => children().find((child) => isOneOf(child, types))
  const pair = (target: Node | undefined, value: Node | undefined): BindingParts | undefined =>
    target && value ? { target, value, shape } : undefined
  switch (shape) {
    case 'declarator': {
      const equals = childOf(bindings.valueClauses)
      return pair(field('name') ?? children()[0], field('value') ?? (equals ? namedChildren(equals)[0] : undefined))
    }
    case 'assignment':
      // Python names its fields; Kotlin gives target then value.
      return pair(field('left') ?? children()[0], field('right') ?? children()[1])
    case 'left-right':
      return pair(field('left'), field('right'))
    case 'for':
      // Python's for has fields; Kotlin's is `for (variable_declaration in expression)`.
      return field('left') ? pair(field('left'), field('right')) : pair(childOf(bindings.declaredVariables), children()[1])
    case 'name-value':
      return pair(field('name'), field('value'))
    case 'property-value':
      return pair(field('property'), field('value'))
    case 'name-arguments':
      return pair(field('name'), field('arguments'))
    case 'enum-entry':
      return pair(children()[0], childOf(bindings.entryArguments))
    case 'declared-property': {
      const declared = childOf(bindings.declaredVariables)
      const value = children().at(-1)
      return value !== declared ? pair(declared, value) : undefined
    }
    case 'key-value':
      return pair(field('key'), field('value'))
  }
}

/** Whether a node builds a value field by field (C#'s `new E { Code = 50001 }`). */
export function isObjectInitializer(node: Node): boolean {
  return isOneOf(node, syntaxOf(node).bindings.objectInitializers)
}

/** Whether a node is an import or part of one. */
export function isImportPart(node: Node): boolean {
  return isOneOf(node, syntaxOf(node).imports)
}

/** The names a binding target declares: `x`, `self.x` → x, `(a, b)` → a and b. */
export function targetNames(target: Node): Node[] {
  if (isStringLiteral(target)) return [target]
  if (isMemberAccess(target)) return identifiersIn(target).slice(-1)
  return identifiersIn(target)
}

export function nameOf(node: Node): string {
  return isStringLiteral(node) ? stringContent(node) : node.text
}

/** A function's name: declared, or the variable an arrow function or lambda is assigned to. */
export function functionName(fn: Node): string | undefined {
  const { functions } = syntaxOf(fn)
  const declared = fn.childForFieldName('name') ?? (isOneOf(fn, functions.namedByFirstIdentifier) ? namedChildren(fn).find(isIdentifier) : undefined)
  if (declared) return declared.text
  const holder = fn.parent ? bindingParts(fn.parent) : undefined
  return holder && holder.value.equals(fn) ? targetNames(holder.target)[0]?.text : undefined
}

// Python's receivers, which callers do not pass. Dropped in every language, as they always were:
// a Java parameter named `self` is as rare as it is legal.
const RECEIVER_PARAMETERS = ['self', 'cls']

function parameterList(fn: Node): Node | undefined {
  const { functions } = syntaxOf(fn)
  return (
    fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter') ?? namedChildren(fn).find((child) => isOneOf(child, functions.parameterLists))
  )
}

/**
 * Each parameter of a function as written, with the annotations a grammar keeps beside it
 * (Kotlin's parameter_modifiers), for reading its type and markers: `@Valid @RequestBody Req r`.
 */
export function parameterTexts(fn: Node): string[] {
  const list = parameterList(fn)
  if (!list || isIdentifier(list)) return []
  const preceding = syntaxOf(fn).constraints?.precedingModifiers
  const texts: string[] = []
  let pending = ''
  for (const child of namedChildren(list)) {
    if (isOneOf(child, preceding)) pending += `${child.text} `
    else {
      texts.push(pending + child.text)
      pending = ''
    }
  }
  return texts
}

/** A function's parameter names in order, without Python's `self`/`cls`. */
export function parameterNames(fn: Node): string[] {
  const { functions, constraints } = syntaxOf(fn)
  const list = parameterList(fn)
  if (!list) return []
  if (isIdentifier(list)) return [list.text]
  const names = namedChildren(list).filter((child) => !isOneOf(child, constraints?.precedingModifiers)).flatMap((parameter) => {
    if (isIdentifier(parameter)) return [parameter.text]
    // Go declares several names with one type: `a, b int`.
    const goNames = isOneOf(parameter, functions.multiNameParameters) ? parameter.childrenForFieldName('name') : []
    if (goNames.length > 1) return goNames.map((name) => name?.text ?? '')
    const named = parameter.childForFieldName('name') ?? parameter.childForFieldName('pattern') ?? parameter.childForFieldName('left')
    return [(named ? identifiersIn(named)[0] : identifiersIn(parameter)[0])?.text ?? '']
  })
  return RECEIVER_PARAMETERS.includes(names[0] ?? '') ? names.slice(1) : names
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
