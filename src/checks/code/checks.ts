import type { SampleResult } from '../../results.js'
import { everySample, quote } from '../text.js'
import type { Assertion, CheckDefinition, CheckOutcome } from '../types.js'
import { LANGUAGE_NAMES, LANGUAGES, languageNamed } from './languages.js'
import { withAnswerCode, type AnswerCode } from './read.js'
import { codePattern, nameKeys, traceCode, type Guard, type Sighting, type SightingKind } from './trace.js'

interface Failure {
  message: string
  line?: number
}

/** How a message says where a code was seen: alone ("appears only …") and in a list of places. */
const PLACES: Readonly<Record<SightingKind, { only: string; among: string }>> = {
  catch: { only: 'appears only inside catch', among: 'inside catch' },
  except: { only: 'appears only inside except', among: 'inside except' },
  finally: { only: 'appears only inside finally', among: 'inside finally' },
  defer: { only: 'appears only inside defer', among: 'inside defer' },
  'error-check': { only: 'appears only where an error is handled', among: 'where an error is handled' },
  unparsed: { only: 'is only in code that does not parse as', among: 'in code that does not parse as' },
  unconditional: { only: 'is raised without a condition', among: 'raised without a condition' },
  'no-exit': { only: 'is only set in a branch that neither returns nor throws', among: 'in a branch that neither returns nor throws' },
  stray: { only: 'is used outside any validation guard', among: 'outside any guard' },
  condition: { only: 'appears only in a condition', among: 'in a condition' },
  log: { only: 'appears only in a log call', among: 'in a log call' },
  message: { only: 'appears only in a message string', among: 'in a message string' },
  declared: { only: 'is declared but never used', among: 'declared but never used' },
  comment: { only: 'appears only in a comment', among: 'in a comment' }
}

// The most telling place first: a code raised in a catch is the seed's failure, one in a comment
// merely a mention.
const PRIORITY = Object.keys(PLACES) as SightingKind[]

function lines(values: number[]): string {
  const distinct = [...new Set(values)].sort((a, b) => a - b)
  const shown = distinct.slice(0, 3).join(', ') + (distinct.length > 3 ? ', …' : '')
  return `${distinct.length > 1 ? 'lines' : 'line'} ${shown}`
}

function place(kind: SightingKind, seen: Sighting[], phrase: string): string {
  const language = kind === 'unparsed' ? ` ${seen[0]!.language}` : ''
  const vias = new Set(seen.map((sighting) => sighting.via))
  const via = vias.size === 1 && seen[0]!.via ? `, as ${seen[0]!.via}` : ''
  return `${phrase}${language} (${lines(seen.map((sighting) => sighting.line))}${via})`
}

/** Says why a code with no guard is not raised by one, pointing at the most telling place. */
function explainUnguarded(code: string, sightings: Sighting[], answer: AnswerCode): Failure {
  if (sightings.length === 0) return explainAbsent(code, answer)
  const inOrder = [...sightings].sort((a, b) => a.line - b.line)
  const byKind = PRIORITY.map((kind) => ({ kind, seen: inOrder.filter((sighting) => sighting.kind === kind) })).filter(
    (group) => group.seen.length > 0
  )
  const first = byKind[0]!
  const line = first.seen[0]!.line
  if (byKind.length === 1) return { message: `${code} ${place(first.kind, first.seen, PLACES[first.kind].only)}`, line }
  const places = byKind.map((group) => place(group.kind, group.seen.slice(0, 1), PLACES[group.kind].among))
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

function guardsOf(code: string, answer: AnswerCode): { guards: Guard[]; failure?: Failure } {
  const trace = traceCode(code, answer.units)
  if (trace.guards.length > 0) return { guards: trace.guards }
  return { guards: [], failure: explainUnguarded(code, trace.sightings, answer) }
}

function judgeErrorCodes(codes: string[], answer: AnswerCode): CheckOutcome {
  if (answer.problem) return { passed: false, ...answer.problem }
  const judged = codes.map((code) => ({ code, ...guardsOf(code, answer) }))
  const failures = judged.flatMap((entry) => (entry.failure ? [entry.failure] : []))
  if (failures.length > 0) {
    const line = failures.find((failure) => failure.line !== undefined)?.line
    return { passed: false, message: failures.map((failure) => failure.message).join('; '), ...(line !== undefined ? { line } : {}) }
  }
  const raised = judged.map((entry) => `${entry.code} (${lines(entry.guards.map((guard) => guard.line))})`)
  return { passed: true, message: `each code is raised by a validation guard: ${raised.join(', ')}`, line: judged[0]!.guards[0]!.line }
}

function list(names: string[], conjunction: 'and' | 'or'): string {
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} ${conjunction} ${names[names.length - 1]}`
}

function judgeValidation(code: string, params: string[], answer: AnswerCode): CheckOutcome {
  if (answer.problem) return { passed: false, ...answer.problem }
  const { guards, failure } = guardsOf(code, answer)
  if (failure) return { passed: false, ...failure }
  const tested = new Set(guards.flatMap((guard) => [...guard.tested]))
  const missing = params.filter((param) => !nameKeys(param).some((key) => tested.has(key)))
  const line = guards[0]!.line
  const where = lines(guards.map((guard) => guard.line))
  if (missing.length === 0) {
    return { passed: true, message: `${code} is raised by a guard that tests ${list(params, 'and')} (${where})`, line }
  }
  const message =
    guards.length === 1
      ? `the guard raising ${code} (${where}) does not test ${list(missing, 'or')}; its condition is ${quote(guards[0]!.condition)}`
      : `the guards raising ${code} (${where}) do not test ${list(missing, 'or')}`
  return { passed: false, message, line }
}

/** Reads every sample's code (asynchronously: grammars load on first use), then decides per sample. */
async function judgeEachSample(
  assertion: Assertion,
  samples: readonly SampleResult[],
  judge: (answer: AnswerCode) => CheckOutcome
): Promise<CheckOutcome> {
  const forced = typeof assertion.language === 'string' ? languageNamed(assertion.language) : undefined
  const outcomes = new Map<SampleResult, CheckOutcome>()
  for (const sample of samples) outcomes.set(sample, await withAnswerCode(sample.text, forced, judge))
  return everySample(samples, (sample) => outcomes.get(sample)!)
}

const codeSchema = { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', minLength: 1, pattern: '^\\S+$' }] }
const languageSchema = { type: 'string', enum: LANGUAGE_NAMES }

export const errorCodes: CheckDefinition = {
  type: 'error-codes',
  summary: 'every code in `codes` is raised by a validation guard in the generated code, not in a catch, comment or log',
  properties: {
    codes: { type: 'array', minItems: 1, uniqueItems: true, items: codeSchema },
    language: languageSchema
  },
  required: ['codes'],
  evaluate: (assertion, samples) => {
    const codes = (assertion.codes as (string | number)[]).map(String)
    return judgeEachSample(assertion, samples, (answer) => judgeErrorCodes(codes, answer))
  }
}

export const validation: CheckDefinition = {
  type: 'validation',
  summary: 'the guard raising `code` tests every parameter in `params`',
  properties: {
    code: codeSchema,
    params: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    language: languageSchema
  },
  required: ['code', 'params'],
  evaluate: (assertion, samples) => {
    const code = String(assertion.code)
    const params = (assertion.params as string[]).map(String)
    return judgeEachSample(assertion, samples, (answer) => judgeValidation(code, params, answer))
  }
}
