import type { Node, Tree } from 'web-tree-sitter'
import { rankLanguages } from './detect.js'
import { extractCodeBlocks, type CodeBlock } from './extract.js'
import { LANGUAGES, type LanguageId } from './languages/index.js'
import { loadParser } from './parser.js'
import { firstSyntaxError } from './syntax.js'
import { indexUnit, type ParsedUnit } from './unit.js'

/** A block that was meant to be checked but does not parse as its language. */
export interface BrokenBlock {
  block: CodeBlock
  language: LanguageId
  errorLine: number
}

/** The code of one answer, parsed. */
export interface AnswerCode {
  answer: string
  units: ParsedUnit[]
  broken: BrokenBlock[]
  /** Blocks not checked: other languages, or text that does not look like code. */
  skipped: CodeBlock[]
  /** Why nothing in the answer can be checked, with the line it points at. */
  problem?: { message: string; line?: number }
}

// When more than this share of a block's lines hold tokens the parser could not place, the block
// is not code in that language at all; below it, errors are judged where they touch the code
// being traced.
const BROKEN_SHARE = 0.5

function candidatesFor(block: CodeBlock, forced: LanguageId | undefined): LanguageId[] {
  // An answer without fences is code only if it reads like code, whatever the suite expects.
  if (!block.fenced && rankLanguages(block.code).length === 0) return []
  if (forced) return block.tag === undefined || block.taggedLanguage === forced ? [forced] : []
  if (block.taggedLanguage) return [block.taggedLanguage]
  if (block.tag !== undefined) return []
  return rankLanguages(block.code).slice(0, 3)
}

interface ParseAttempt {
  tree: Tree
  language: LanguageId
  brokenRows: number
  errorRow?: number
}

/**
 * Counts the lines holding tokens the parser could not place. An ERROR node often wraps code that
 * parsed well (a function whose closing brace never came): its complete children are judged on
 * their own, and only its loose tokens count.
 */
function attempt(tree: Tree, language: LanguageId): ParseAttempt {
  const rows = new Set<number>()
  const mark = (node: Node): void => {
    for (let row = node.startPosition.row; row <= node.endPosition.row; row++) rows.add(row)
  }
  const visit = (node: Node): void => {
    if (node.isMissing || (node.isError && node.childCount === 0)) return mark(node)
    if (!node.hasError) return
    for (const child of node.children) {
      if (child && node.isError && child.childCount === 0) mark(child)
      else if (child) visit(child)
    }
  }
  visit(tree.rootNode)
  const first = firstSyntaxError(tree.rootNode)
  return { tree, language, brokenRows: rows.size, ...(first ? { errorRow: first.startPosition.row } : {}) }
}

function isBroken(parse: ParseAttempt, code: string): boolean {
  const lines = code.split('\n').filter((line) => line.trim() !== '').length
  return parse.tree.rootNode.isError || parse.brokenRows > lines * BROKEN_SHARE
}

/** Parses a block as each candidate (and wrapped, where its spec wraps snippets) and keeps the fewest broken lines. */
async function parseBlock(block: CodeBlock, candidates: LanguageId[]): Promise<ParseAttempt> {
  const parser = await loadParser(candidates)
  let best: ParseAttempt | undefined
  const consider = (next: ParseAttempt): void => {
    if (!best || next.brokenRows < best.brokenRows) {
      best?.tree.delete()
      best = next
    } else next.tree.delete()
  }
  for (const language of candidates) {
    consider(attempt(parser.parse(block.code, language), language))
    const wrapper = LANGUAGES[language].snippetWrapper
    if (best!.brokenRows > 0 && wrapper) consider(attempt(parser.parse(`${wrapper[0]}${block.code}${wrapper[1]}`, language), language))
    if (best!.brokenRows === 0) break
  }
  return best!
}

/** A block tagged as the wrong language (```java around Kotlin) is read as what it is. */
async function readMistagged(block: CodeBlock, tagged: ParseAttempt): Promise<ParseAttempt> {
  const others = rankLanguages(block.code).filter((language) => language !== tagged.language)
  if (others.length === 0) return tagged
  const retry = await parseBlock(block, others)
  if (isBroken(retry, block.code)) {
    retry.tree.delete()
    return tagged
  }
  tagged.tree.delete()
  return retry
}

function describe(block: CodeBlock): string {
  return `${block.tag ?? 'an untagged block'} at line ${block.startLine - (block.fenced ? 1 : 0)}`
}

/**
 * Reads the code of an answer and hands it to `use`; the parse trees live only for that call.
 * `forced` parses every block not tagged as another language as that language.
 */
export async function withAnswerCode<T>(answer: string, forced: LanguageId | undefined, use: (code: AnswerCode) => T): Promise<T> {
  const blocks = extractCodeBlocks(answer)
  const code: AnswerCode = { answer, units: [], broken: [], skipped: [] }
  try {
    for (const block of blocks) {
      const candidates = candidatesFor(block, forced)
      if (candidates.length === 0) {
        code.skipped.push(block)
        continue
      }
      let parse = await parseBlock(block, candidates)
      if (isBroken(parse, block.code) && !forced && block.taggedLanguage) parse = await readMistagged(block, parse)
      if (isBroken(parse, block.code)) {
        code.broken.push({ block, language: parse.language, errorLine: block.startLine + (parse.errorRow ?? 0) })
        parse.tree.delete()
      } else code.units.push(indexUnit(block, parse.language, parse.tree))
    }
    if (code.units.length === 0) code.problem = problemOf(code, blocks, forced)
    return use(code)
  } finally {
    for (const unit of code.units) unit.tree.delete()
  }
}

function problemOf(code: AnswerCode, blocks: CodeBlock[], forced: LanguageId | undefined): AnswerCode['problem'] {
  const broken = code.broken[0]
  if (broken) {
    return { message: `the code does not parse as ${LANGUAGES[broken.language].label} (line ${broken.errorLine})`, line: broken.errorLine }
  }
  const fenced = blocks.filter((block) => block.fenced)
  if (fenced.length === 0) return { message: 'the answer holds no code block' }
  const what = forced ? `${LANGUAGES[forced].label} code` : 'code in a checked language'
  const found = fenced.slice(0, 3).map(describe).join(', ')
  return { message: `the answer holds no ${what} (found ${found}${fenced.length > 3 ? ', …' : ''})`, line: fenced[0]!.startLine - 1 }
}
