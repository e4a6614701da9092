// `tree-sitter-query` and `not-tree-sitter-query`: structural checks a suite writes itself, as a
// tree-sitter query over the answer's code in one language. The query passes when it matches
// somewhere (or, negated, nowhere); the message quotes the first line it matched.
//
//   - type: not-tree-sitter-query          # no code is returned from a catch
//     language: java
//     query: |
//       (catch_clause (block (return_statement
//         (method_invocation arguments: (argument_list (decimal_integer_literal) @code)))))
//
// A query is checked against its grammar when the suite loads: the loader awaits `prepare`,
// which loads the grammar, and then `validate` compiles the query and says what is wrong and
// where in it. A query that reaches the run unchecked and does not compile fails its check.
//
// A match is reported at its smallest captured node; a pattern that captures nothing is given a
// capture of its own, so that every match has a line.
import type { Query, QueryMatch } from 'web-tree-sitter'
import { quote } from '../text.js'
import type { Assertion } from '../types.js'
import { codeCheck } from './code-check.js'
import { LANGUAGES, languageNamed, type LanguageId } from './languages/index.js'
import { compileQuery, loadLanguage } from './parser.js'
import { lineOf } from './unit.js'

// The capture given to patterns that capture nothing; a dot keeps it clear of the suite's own names.
const WHOLE = 'modelgate.match'

// What web-tree-sitter runs; any other predicate it would leave to the caller, so a typo such as
// `#equal?` would quietly match everything.
const KNOWN_PREDICATES = ['eq?', 'not-eq?', 'any-eq?', 'any-not-eq?', 'match?', 'not-match?', 'any-match?', 'any-not-match?', 'any-of?', 'not-any-of?', 'is?', 'is-not?', 'set!']

/** web-tree-sitter's QueryError: its kind and where in the query it lies. */
interface QueryError extends Error {
  kind: number
  index: number
}

const isQueryError = (error: unknown): error is QueryError =>
  error instanceof Error && typeof (error as QueryError).kind === 'number' && typeof (error as QueryError).index === 'number'

/** `line 2 of the query, column 5`, for a character offset into it. */
function placeIn(source: string, index: number): string {
  const before = source.slice(0, index).split('\n')
  return `line ${before.length} of the query, column ${before[before.length - 1]!.length + 1}`
}

/** Where an operator such as `#eq?` first appears, for errors that do not say. */
function operatorPlace(source: string, operator: string): string {
  const index = source.indexOf(`#${operator}`)
  return index >= 0 ? ` (${placeIn(source, index)})` : ''
}

/** Says why a query does not compile, in the suite's terms. */
function describeError(error: unknown, source: string, label: string): string {
  if (isQueryError(error)) {
    const word = /'([^']*)'/.exec(error.message)?.[1] ?? ''
    const at = placeIn(source, error.index)
    switch (error.kind) {
      case 2:
        return `has no node type "${word}" in the ${label} grammar (${at})`
      case 3:
        return `has no field "${word}" in the ${label} grammar (${at})`
      case 4:
        return `uses a capture no pattern defines (${at})`
      case 5:
        return `has a pattern the ${label} grammar cannot match: a child where the grammar allows none (${at})`
      default:
        return `is not a valid query: bad syntax (${at})`
    }
  }
  const message = (error as Error).message
  if (error instanceof SyntaxError) return `has a #match? pattern that is not a regular expression: ${message}${operatorPlace(source, 'match?')}`
  const operator = /#([\w-]+[?!])/.exec(message)?.[1]
  return `has a bad predicate: ${message.replace(/`/g, '')}${operator ? operatorPlace(source, operator) : ''}`
}

/** A query whose every pattern captures something: one that captures nothing is given WHOLE. */
function withCaptures(query: Query, source: string): string {
  const bytes = Buffer.from(source, 'utf8')
  const ends: number[] = []
  for (let pattern = 0; pattern < query.patternCount(); pattern++) {
    const captures = query.captureQuantifiers[pattern] ?? []
    if (captures.every((quantifier) => quantifier === 0)) ends.push(query.endIndexForPattern(pattern))
  }
  let rewritten = ''
  let from = 0
  for (const end of ends) {
    rewritten += `${bytes.subarray(from, end).toString('utf8')} @${WHOLE}`
    from = end
  }
  return rewritten + bytes.subarray(from).toString('utf8')
}

type Compiled = { query: Query } | { problem: string }

// Compiled once per language and source; a suite holds few queries, and each lives for the run.
const compiled = new Map<string, Compiled>()

/** The query compiled in its language, or why it does not compile; undefined while the grammar has not loaded. */
function compile(language: LanguageId, source: string): Compiled | undefined {
  const key = `${language}\n${source}`
  const known = compiled.get(key)
  if (known) return known
  let result: Compiled
  try {
    const query = compileQuery(language, source)
    if (!query) return undefined
    const unknown = query.predicates.flat().find((predicate) => !KNOWN_PREDICATES.includes(predicate.operator))
    if (unknown) {
      query.delete()
      result = {
        problem: `uses #${unknown.operator}, which tree-sitter does not run (it runs ${KNOWN_PREDICATES.map((name) => `#${name}`).join(', ')})${operatorPlace(source, unknown.operator)}`
      }
    } else {
      const complete = withCaptures(query, source)
      if (complete !== source) query.delete()
      result = { query: complete === source ? query : compileQuery(language, complete)! }
    }
  } catch (error) {
    result = { problem: describeError(error, source, LANGUAGES[language].label) }
  }
  compiled.set(key, result)
  return result
}

const languageOfAssertion = (assertion: Assertion): LanguageId => languageNamed(String(assertion.language))!

/** The smallest node a match captured: what the message points at. */
function pointOf(match: QueryMatch) {
  return match.captures.map((capture) => capture.node).sort((a, b) => a.endIndex - a.startIndex - (b.endIndex - b.startIndex))[0]!
}

function queryCheck(type: string, wanted: boolean) {
  return codeCheck({
    type,
    summary: wanted
      ? 'the tree-sitter `query` matches the answer’s code in `language` (captures and predicates such as #eq? and #match?)'
      : 'the tree-sitter `query` matches nothing in the answer’s code in `language`',
    properties: { query: { type: 'string', minLength: 1 } },
    required: ['query', 'language'],
    prepare: (assertion) => loadLanguage(languageOfAssertion(assertion)),
    validate: (assertion) => {
      const result = compile(languageOfAssertion(assertion), String(assertion.query))
      return result && 'problem' in result ? { field: 'query', message: result.problem } : undefined
    },
    judge: (assertion, answer) => {
      const language = languageOfAssertion(assertion)
      const { label } = LANGUAGES[language]
      // The answer's code was parsed as `language`, so its grammar has loaded.
      const result = compile(language, String(assertion.query))!
      if ('problem' in result) return { passed: false, message: `the query ${result.problem}` }
      const lines = answer.units
        .filter((unit) => unit.language === language)
        .flatMap((unit) => result.query.matches(unit.tree.rootNode).map((match) => lineOf(unit, pointOf(match))))
      const distinct = [...new Set(lines)].sort((a, b) => a - b)
      if (distinct.length === 0) {
        const message = `the query matches nothing in the ${label} code`
        return wanted ? { passed: false, message } : { passed: true, message }
      }
      const line = distinct[0]!
      const text = quote(answer.answer.split('\n')[line - 1]?.replace(/\r$/, '').trim() ?? '')
      const more = distinct.length > 1 ? ` (and ${distinct.length === 2 ? 'line' : 'lines'} ${distinct.slice(1, 4).join(', ')}${distinct.length > 4 ? ', …' : ''})` : ''
      return wanted
        ? { passed: true, message: `the query matches at line ${line}: ${text}${more}`, line }
        : { passed: false, message: `expected the query to match nothing; it matches at line ${line}: ${text}${more}`, line }
    }
  })
}

export const treeSitterQuery = queryCheck('tree-sitter-query', true)
export const notTreeSitterQuery = queryCheck('not-tree-sitter-query', false)
