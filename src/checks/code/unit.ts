import type { Node, Tree } from 'web-tree-sitter'
import type { CodeBlock } from './extract.js'
import type { LanguageId } from './languages/index.js'
import {
  bindingParts,
  callReceiver,
  callTakingLambda,
  isCall,
  isComment,
  isFunction,
  isLambda,
  isStringLiteral,
  parameterNames,
  targetNames,
  type BindingParts
} from './syntax.js'

/** A parsed code block, with the nodes the analysis looks up again and again. */
export interface ParsedUnit {
  block: CodeBlock
  language: LanguageId
  tree: Tree
  comments: Node[]
  strings: Node[]
  /** Named leaves other than comments and strings: identifiers and literals. */
  leaves: Node[]
  /**
   * The leaves by their text, in the order of `leaves`; a number also under its digits alone
   * (1_000L under 1000). Read once here: each node's text is a trip into tree-sitter's memory,
   * and every code of every check looks its literal up (BENCHMARKS.md, overhead).
   */
  leavesByText: Map<string, Node[]>
  calls: Node[]
  bindings: { node: Node; parts: BindingParts }[]
  /** Ids of the nodes that declare a name, which are not uses of it. */
  declaredIds: Set<number>
}

export function indexUnit(block: CodeBlock, language: LanguageId, tree: Tree): ParsedUnit {
  const unit: ParsedUnit = { block, language, tree, comments: [], strings: [], leaves: [], leavesByText: new Map(), calls: [], bindings: [], declaredIds: new Set() }
  const byText = (text: string, node: Node) => {
    const list = unit.leavesByText.get(text)
    if (list) list.push(node)
    else unit.leavesByText.set(text, [node])
  }
  const visit = (node: Node): void => {
    if (isComment(node)) unit.comments.push(node)
    else if (isStringLiteral(node)) unit.strings.push(node)
    else if (node.childCount === 0 && node.isNamed) {
      unit.leaves.push(node)
      const text = node.text
      byText(text, node)
      const digits = numberDigits(text)
      if (digits !== undefined && digits !== text) byText(digits, node)
    }
    if (isComment(node) || isStringLiteral(node) || node.childCount === 0) return
    if (isCall(node)) unit.calls.push(node)
    const parts = bindingParts(node)
    if (parts) {
      unit.bindings.push({ node, parts })
      for (const name of targetNames(parts.target)) unit.declaredIds.add(name.id)
    }
    for (const child of node.children) if (child) visit(child)
  }
  visit(tree.rootNode)
  return unit
}

/** A number literal's digits without `_` separators and a type suffix (1_000L: 1000), else undefined. */
export function numberDigits(text: string): string | undefined {
  const digits = text.replace(/_/g, '').replace(/[lLuU]+$/, '')
  return /^\d+$/.test(digits) ? digits : undefined
}

/** The answer's line a node starts on. */
export function lineOf(unit: ParsedUnit, node: Node): number {
  return unit.block.startLine + node.startPosition.row
}

export interface Scope {
  /** The function (or whole unit) whose local bindings feed a condition. */
  node: Node
  /** Lambda parameters bound to the collection the lambda iterates: `Stream.of(a, b).forEach(f -> …)`. */
  lambdaBindings: { names: string[]; value: Node }[]
}

export function scopeOf(node: Node, unit: ParsedUnit): Scope {
  const lambdaBindings: Scope['lambdaBindings'] = []
  for (let at = node.parent; at; at = at.parent) {
    if (!isFunction(at)) continue
    const call = isLambda(at) ? callTakingLambda(at) : undefined
    if (!call) return { node: at, lambdaBindings }
    const receiver = callReceiver(call)
    const parameters = parameterNames(at)
    // Kotlin's implicit lambda parameter.
    if (receiver) lambdaBindings.push({ names: parameters.length > 0 ? parameters : ['it'], value: receiver })
  }
  return { node: unit.tree.rootNode, lambdaBindings }
}
