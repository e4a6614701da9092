// The guards raising a code, or, when there is none, the message that says why: the most telling
// place the code was seen, with its lines.
import { LANGUAGES } from './languages/index.js'
import type { AnswerCode } from './read.js'
import type { Target } from './target.js'
import { codePattern, traceCode, type Guard, type Sighting, type TraceKind } from './trace.js'

/** Why a check fails, with the answer's line it points at. */
export interface Failure {
  message: string
  line?: number
}

/**
 * How a message says where a code was seen: alone ("appears only …") and in a list of places. A
 * guard the functions under test never run says where it is and what they never do with it
 * (see place()).
 */
const PLACES: Readonly<Record<Exclude<TraceKind, 'unreached'>, { only: string; among: string }>> = {
  catch: { only: 'appears only inside catch', among: 'inside catch' },
  except: { only: 'appears only inside except', among: 'inside except' },
  finally: { only: 'appears only inside finally', among: 'inside finally' },
  defer: { only: 'appears only inside defer', among: 'inside defer' },
  'error-check': { only: 'appears only where an error is handled', among: 'where an error is handled' },
  unparsed: { only: 'is only in code that does not parse as', among: 'in code that does not parse as' },
  unconditional: { only: 'is raised without a condition', among: 'raised without a condition' },
  'no-exit': { only: 'is only set in a branch that neither returns nor throws', among: 'in a branch that neither returns nor throws' },
  stray: { only: 'is used outside any validation guard', among: 'outside any guard' },
  test: { only: 'appears only in test code', among: 'in test code' },
  condition: { only: 'appears only in a condition', among: 'in a condition' },
  log: { only: 'appears only in a log call', among: 'in a log call' },
  message: { only: 'appears only in a message string', among: 'in a message string' },
  declared: { only: 'is declared but never used', among: 'declared but never used' },
  comment: { only: 'appears only in a comment', among: 'in a comment' }
}

/** Lists every sighting kind; leaving one out fails to compile, since it would never be reported. */
function everyKind<const K extends readonly TraceKind[]>(
  kinds: K & ([Exclude<TraceKind, K[number]>] extends [never] ? unknown : { missing: Exclude<TraceKind, K[number]> })
): readonly TraceKind[] {
  return kinds
}

// The most telling place first: a guard the method never runs is the one the author meant to
// write, a code raised in a catch is the seed's failure, one in a comment merely a mention.
const PRIORITY = everyKind([
  'unreached', 'catch', 'except', 'finally', 'defer', 'error-check', 'unparsed', 'unconditional', 'no-exit', 'stray', 'test', 'condition', 'log',
  'message', 'declared', 'comment'
])

/** `line 6` or `lines 6, 10, 14, …`. */
export function lineList(values: number[]): string {
  const distinct = [...new Set(values)].sort((a, b) => a - b)
  const shown = distinct.slice(0, 3).join(', ') + (distinct.length > 3 ? ', …' : '')
  return `${distinct.length > 1 ? 'lines' : 'line'} ${shown}`
}

function list(items: string[], conjunction: 'and' | 'or'): string {
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`
}

/**
 * Where a code was seen, with its lines: `inside catch (line 9)`; for guards never run,
 * `raised only in \`UserValidator.check\`, which \`updateUserStatus\` never calls (line 31)`.
 */
function place(kind: TraceKind, seen: Sighting[], alone: boolean, label: string | undefined): string {
  const vias = new Set(seen.map((sighting) => sighting.via))
  const via = vias.size === 1 && seen[0]!.via ? `, as ${seen[0]!.via}` : ''
  const lines = `(${lineList(seen.map((sighting) => sighting.line))}${via})`
  if (kind === 'unreached') {
    const wheres = [...new Set(seen.map((sighting) => sighting.unreached!.where))]
    const nevers = [...new Set(seen.map((sighting) => sighting.unreached!.never))]
    return `${alone ? 'is raised only' : 'raised'} ${list(wheres, 'and')}, which ${label} never ${list(nevers, 'or')} ${lines}`
  }
  const language = kind === 'unparsed' ? ` ${seen[0]!.language}` : ''
  return `${alone ? PLACES[kind].only : PLACES[kind].among}${language} ${lines}`
}

/** Says why a code with no guard is not raised by one, pointing at the most telling place. */
function explainUnguarded(code: string, sightings: Sighting[], answer: AnswerCode, label: string | undefined): Failure {
  if (sightings.length === 0) return explainAbsent(code, answer)
  const inOrder = [...sightings].sort((a, b) => a.line - b.line)
  const byKind = PRIORITY.map((kind) => ({ kind, seen: inOrder.filter((sighting) => sighting.kind === kind) })).filter(
    (group) => group.seen.length > 0
  )
  const first = byKind[0]!
  const line = first.seen[0]!.line
  if (byKind.length === 1) return { message: `${code} ${place(first.kind, first.seen, true, label)}`, line }
  const places = byKind.map((group) => place(group.kind, group.seen.slice(0, 1), false, label))
  return { message: `${code} is never raised by a validation guard: ${places.join(', ')}`, line }
}

/** For a code the parsed code never mentions: is it in a block that did not parse, another block, or the prose? */
function explainAbsent(code: string, answer: AnswerCode): Failure {
  const pattern = codePattern(code)
  const answerLines = answer.answer.split('\n')
  const spans = (start: number, text: string): [number, number] => [start, start + text.split('\n').length - 1]
  const at = (first: number, last: number): number | undefined => {
    for (let line = first; line <= last; line++) if (pattern.test(answerLines[line - 1] ?? '')) return line
    return undefined
  }
  for (const broken of answer.broken) {
    if (at(...spans(broken.block.startLine, broken.block.code)) !== undefined) {
      return { message: `${code} is only in code that does not parse as ${LANGUAGES[broken.language].label} (line ${broken.errorLine})`, line: broken.errorLine }
    }
  }
  for (const block of answer.skipped) {
    const line = at(...spans(block.startLine, block.code))
    if (line !== undefined) {
      const where = block.tag ? `a ${block.tag} block` : 'a block that is not code'
      return { message: `${code} is not in the code (only in ${where}, line ${line})`, line }
    }
  }
  const inCode = new Set(
    [...answer.units.map((unit) => unit.block), ...answer.broken.map((broken) => broken.block), ...answer.skipped].flatMap((block) => {
      const [first, last] = spans(block.startLine, block.code)
      return Array.from({ length: last - first + 1 }, (_, i) => first + i)
    })
  )
  const prose = answerLines.findIndex((text, i) => !inCode.has(i + 1) && pattern.test(text))
  return prose >= 0
    ? { message: `${code} is not in the code (only in the prose, line ${prose + 1})`, line: prose + 1 }
    : { message: `${code} is not in the code` }
}

/** The guards raising a code in what `target` runs of an answer, or why there is none. */
export function guardsOf(code: string, answer: AnswerCode, target?: Target): { guards: Guard[]; failure?: Failure } {
  const trace = traceCode(code, answer.units, target)
  if (trace.guards.length > 0) return { guards: trace.guards }
  return { guards: [], failure: explainUnguarded(code, trace.sightings, answer, target?.label) }
}
