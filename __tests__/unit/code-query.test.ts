// tree-sitter-query and not-tree-sitter-query: a query the suite writes, run over the answer's
// code in one language; what it matched is quoted with its line, and a query that does not
// compile is a problem of the suite file, reported at its line when the suite loads.
import { describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { exampleAnswer } from '../../scripts/example-models.js'
import { notTreeSitterQuery, treeSitterQuery } from '../../src/checks/code/query.js'
import type { Assertion } from '../../src/checks/index.js'
import { loadSuite, parseSuite, SuiteError } from '../../src/suite/index.js'
import { csharpSeed, javaCorrect, javaSeed, pythonSeed } from '../fixtures/code/answers.js'
import { sample } from '../support/samples.js'

/** A code returned from a catch: the seed's failure, as a query. */
const codeInCatch = `(catch_clause
  (block (_ (method_invocation
    arguments: (argument_list (decimal_integer_literal) @code)))))`

const query = (type: string, source: string, language = 'java'): Assertion => ({ type, language, query: source })

/** A suite file with one case asserting `assertion`, written the way a user writes it. */
function suiteWith(lines: string[]): string {
  return ['cases:', '  - id: update-user-status', '    prompt: Write updateUserStatus', '    assert:', ...lines.map((line) => `      ${line}`), ''].join('\n')
}

function problemsOf(yaml: string): string[] {
  try {
    parseSuite(yaml, 'suite.yml')
    return []
  } catch (error) {
    if (error instanceof SuiteError) return error.problems
    throw error
  }
}

describe('tree-sitter-query', () => {
  it('passes when the query matches, quoting the line of what it captured', async () => {
    const outcome = await treeSitterQuery.evaluate(query('tree-sitter-query', codeInCatch), [sample(javaSeed)])
    expect(outcome).toEqual({ passed: true, message: 'the query matches at line 13: "return Result.fail(50003, \\"update failed\\");"' })
  })

  it('fails when the query matches nothing', async () => {
    const outcome = await treeSitterQuery.evaluate(query('tree-sitter-query', codeInCatch), [sample(javaCorrect)])
    expect(outcome).toEqual({ passed: false, sample: 0, message: 'the query matches nothing in the java code' })
  })

  it('takes predicates: #eq? on a capture, #match? on another', async () => {
    const flagGuard = `((if_statement
  condition: (condition) @condition
  consequence: (block (throw_statement (object_creation_expression
    arguments: (argument_list . (decimal_integer_literal) @code)))))
  (#eq? @code "50003")
  (#match? @condition "activeFlag"))`
    const outcome = await treeSitterQuery.evaluate(query('tree-sitter-query', flagGuard), [sample(javaCorrect)])
    expect(outcome).toEqual({ passed: true, message: 'the query matches at line 14: "throw new BizException(50003, \\"flags must be 0 or 1\\");"' })
  })

  it('reports a pattern without captures at the node it matched, and every line it matched', async () => {
    const outcome = await treeSitterQuery.evaluate(query('tree-sitter-query', '(throw_statement)'), [sample(javaCorrect)])
    expect(outcome).toEqual({ passed: true, message: 'the query matches at line 6: "throw new BizException(50001, \\"userId is invalid\\");" (and lines 10, 14)' })
  })

  it('reads the code in the language it names, in any language', async () => {
    const raisedInExcept = '(except_clause (block (raise_statement (call arguments: (argument_list (integer) @code)))))'
    const outcome = await treeSitterQuery.evaluate(query('tree-sitter-query', raisedInExcept, 'python'), [sample(pythonSeed)])
    expect(outcome).toEqual({ passed: true, message: 'the query matches at line 8: "raise BizError(50003, \\"update failed\\")"' })
  })
})

describe('not-tree-sitter-query', () => {
  it('fails where the query matches, quoting the line', async () => {
    const outcome = await notTreeSitterQuery.evaluate(query('not-tree-sitter-query', codeInCatch), [sample(javaSeed)])
    expect(outcome).toEqual({
      passed: false,
      sample: 0,
      message: 'expected the query to match nothing; it matches at line 13: "return Result.fail(50003, \\"update failed\\");"',
      line: 13
    })
  })

  it('passes when the query matches nothing', async () => {
    const outcome = await notTreeSitterQuery.evaluate(query('not-tree-sitter-query', codeInCatch), [sample(javaCorrect)])
    expect(outcome).toEqual({ passed: true, message: 'the query matches nothing in the java code' })
  })

  it('holds the README’s example: none of the codes is returned from a catch', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8')
    const block = /## The suite\s+```yaml\n([\s\S]*?)```/.exec(readme)![1]!
    const assertion = parseSuite(block, 'README.md').cases[0]!.assertions.find((candidate) => candidate.type === 'not-tree-sitter-query')!
    expect(await notTreeSitterQuery.evaluate(assertion, [sample(await exampleAnswer('good'))])).toEqual({ passed: true, message: 'the query matches nothing in the java code' })
    expect(await notTreeSitterQuery.evaluate(assertion, [sample(await exampleAnswer('regressed'))])).toEqual({
      passed: false,
      sample: 0,
      message: 'expected the query to match nothing; it matches at line 14: "return Result.error(50003, \\"update failed\\");"',
      line: 14
    })
  })

  it('fails an answer with no code in the language, as every code check does', async () => {
    const outcome = await notTreeSitterQuery.evaluate(query('not-tree-sitter-query', codeInCatch), [sample(csharpSeed)])
    expect(outcome).toEqual({ passed: false, sample: 0, message: 'the answer holds no java code (found csharp at line 1)', line: 1 })
  })
})

describe('a query that does not compile', () => {
  it('is a problem of the suite file, at the line of its query, once the loader has prepared the grammar', async () => {
    const assertion = query('tree-sitter-query', '(method_declaration\n  name: (identifer) @name)')
    await treeSitterQuery.prepare!(assertion)
    const yaml = suiteWith(['- type: tree-sitter-query', '  language: java', '  query: |', '    (method_declaration', '      name: (identifer) @name)'])
    expect(problemsOf(yaml)).toEqual([
      'suite.yml:7 case "update-user-status": assert[0].query has no node type "identifer" in the java grammar (line 2 of the query, column 10)'
    ])
  })

  it.each([
    ['(catch_clause\n  conditon: (block))', 'has no field "conditon" in the java grammar (line 2 of the query, column 3)'],
    ['(catch_clause', 'is not a valid query: bad syntax (line 1 of the query, column 14)'],
    ['(block (catch_clause))', 'has a pattern the java grammar cannot match: a child where the grammar allows none (line 1 of the query, column 8)'],
    ['((identifier) @name (#equals? @name "userId"))', expect.stringMatching(/^uses #equals\?, which tree-sitter does not run \(it runs #eq\?, .*\) \(line 1 of the query, column 22\)$/)],
    ['((identifier) @name (#match? @name "("))', 'has a #match? pattern that is not a regular expression: Invalid regular expression: /(/: Unterminated group (line 1 of the query, column 22)'],
    ['((identifier) @name (#eq? @name))', 'has a bad predicate: Wrong number of arguments to #eq? predicate. Expected 2, got 1 (line 1 of the query, column 22)']
  ])('%j is reported as such', async (source, message) => {
    const assertion = query('not-tree-sitter-query', source)
    await notTreeSitterQuery.prepare!(assertion)
    expect(notTreeSitterQuery.validate!(assertion)).toEqual({ field: 'query', message })
  })

  it('fails its check when it reaches the run unchecked', async () => {
    const outcome = await treeSitterQuery.evaluate(query('tree-sitter-query', '(go_statement)', 'kotlin'), [sample('```kotlin\nfun f() = 1\n```')])
    expect(outcome).toEqual({ passed: false, sample: 0, message: 'the query has no node type "go_statement" in the kotlin grammar (line 1 of the query, column 2)' })
  })

  it('needs the language it is written in', () => {
    const yaml = suiteWith(['- type: tree-sitter-query', '  query: (catch_clause)'])
    expect(problemsOf(yaml)).toEqual(['suite.yml:5 case "update-user-status": assert[0].language is required'])
  })
})

describe('a bad query in a suite file', () => {
  it('is a suite error at load time, naming the file, line, case and field', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'modelgate-query-'))
    const file = path.join(dir, 'suite.yml')
    await writeFile(
      file,
      'cases:\n  - id: q\n    prompt: Write it.\n    assert:\n      - type: tree-sitter-query\n        language: java\n        query: "(identifer) @x"\n'
    )
    await expect(loadSuite(file, 'suite.yml')).rejects.toThrow(/^suite\.yml:7 case "q": assert\[0\]\.query has no node type "identifer" in the java grammar/m)
  })
})
