import { languageNamed, type LanguageId } from './languages/index.js'

/** A piece of code in a model's answer. */
export interface CodeBlock {
  code: string
  /** The fence's tag as written (first word of the info string), if any. */
  tag?: string
  /** The language the tag names, when it is one the checks parse. */
  taggedLanguage?: LanguageId
  /** 1-based line of the answer that holds the code's first line. */
  startLine: number
  /** False when the answer is code without fences. */
  fenced: boolean
  /** False when the answer ended inside the block (a truncated generation). */
  closed: boolean
}

// Tags that say nothing about the language: the content decides.
const NEUTRAL_TAGS = new Set(['', 'text', 'plaintext', 'plain', 'txt', 'code', 'none'])

const OPENING_FENCE = /^([ \t]*)(`{3,}|~{3,})(.*)$/

function splitLines(text: string): string[] {
  return text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
}

function tagOf(info: string): string {
  const word = info.trim().split(/[\s,;:{}]+/).find((part) => part.length > 0) ?? ''
  return word.replace(/^\.|^language-/i, '').toLowerCase()
}

/** Removes up to `width` columns of the fence's own indentation, as a list item indents both. */
function unindent(line: string, width: number): string {
  let cut = 0
  while (cut < width && (line[cut] === ' ' || line[cut] === '\t')) cut++
  return line.slice(cut)
}

/**
 * The fenced code blocks of a Markdown answer (``` or ~~~, any fence length, indented or not,
 * an unclosed last fence running to the end), or the whole answer as one unfenced block when it
 * has no fence. Line numbers point into the answer.
 */
export function extractCodeBlocks(answer: string): CodeBlock[] {
  const lines = splitLines(answer)
  const blocks: CodeBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    const opening = OPENING_FENCE.exec(lines[i]!)
    if (!opening) continue
    const [, indent = '', fence = '', info = ''] = opening
    // A backtick fence's info string cannot hold a backtick: ```x``` on one line is inline code.
    if (fence.startsWith('`') && info.includes('`')) continue
    const closing = new RegExp(`^[ \\t]*${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`)
    let end = i + 1
    while (end < lines.length && !closing.test(lines[end]!)) end++
    const tag = tagOf(info)
    const taggedLanguage = languageNamed(tag)
    blocks.push({
      code: lines.slice(i + 1, end).map((line) => unindent(line, indent.length)).join('\n'),
      ...(NEUTRAL_TAGS.has(tag) ? {} : { tag }),
      ...(taggedLanguage ? { taggedLanguage } : {}),
      startLine: i + 2,
      fenced: true,
      closed: end < lines.length
    })
    i = end
  }
  if (blocks.length > 0 || answer.trim() === '') return blocks
  return [{ code: lines.join('\n'), startLine: 1, fenced: false, closed: true }]
}
