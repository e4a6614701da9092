import { describe, expect, it } from '@jest/globals'
import { Ajv } from 'ajv'
import { codeChecks } from '../../src/checks/code/index.js'
import { errorCodes } from '../../src/checks/code/error-codes.js'
import { validation } from '../../src/checks/code/validation.js'
import type { Assertion, CheckContext, CheckDefinition } from '../../src/checks/types.js'
import type { SampleResult } from '../../src/results.js'
import { parseSuite, SuiteError } from '../../src/suite/index.js'
import * as answers from '../fixtures/code/answers.js'

function sample(text: string, index = 0): SampleResult {
  return {
    index,
    text,
    finishReason: 'stop',
    usage: null,
    tokensPerSecond: null,
    tokensPerSecondSource: null,
    ttftMs: null,
    ttftSource: null,
    server: null,
    client: { ttftMs: null, tokensPerSecond: null, totalMs: 0, contentChunks: 0 }
  }
}

/** 1-based line of the first line of `text` holding `needle`, so expectations name what they point at. */
function at(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle))
  if (index < 0) throw new Error(`fixture has no line with ${JSON.stringify(needle)}`)
  return index + 1
}

const allCodes: Assertion = { type: 'error-codes', codes: [50001, 50002, 50003] }
const idAndFlagCodes: Assertion = { type: 'error-codes', codes: [50001, 50003] }
const flagCode: Assertion = { type: 'error-codes', codes: [50003] }
const flagsValidated: Assertion = { type: 'validation', code: 50003, params: ['ActiveFlag', 'SystemDeleteFlag'] }
const seedFailure = (answer: string, needle: string): string =>
  `50001 is not in the code; 50002 is not in the code; 50003 appears only inside catch (line ${at(answer, needle)})`
const flagsTested = (answer: string, needle: string): string =>
  `50003 is raised by a guard that tests ActiveFlag and SystemDeleteFlag (line ${at(answer, needle)})`

interface Row {
  answer: string
  assertion: Assertion
  passed: boolean
  message: string | RegExp
  line?: number
}

const {
  javaCorrect, javaSeed, javaDocsOnly, javaWrongParameter, javaConstants, javaSwitch, javaNested, javaNoExit, javaAfterWrite,
  javaAssertions, javaBrokenGuard, javaMessageOnly, javaComparedOnly, javaUnconditional, javaDeclaredOnly, javaConstantInCatch,
  javaCommentAndCatch, javaStringCode, javaChineseComments, javaLocalVariable, csharpCorrect, csharpSeed, csharpConstants,
  csharpSwitchExpression, typescriptCorrect, typescriptConstants, typescriptSeed, typescriptNestMember, javascriptCorrect,
  javascriptHelper, javascriptPromiseCatch, javascriptAccessors, pythonCorrect, pythonSeed, pythonMatch, pythonWrongParameter,
  pythonSelfHelper, goCorrect, goSeed, goSwitch, goValidatorError, kotlinCorrect, kotlinForEach, kotlinSeed, kotlinTaggedJava,
  kotlinUntagged, proseAndBlocks, unfencedCode, truncated, tildeFence, windowsLineEnds, refusal, sqlOnly, notJava,
  javaConstraintAnnotations, csharpDataAnnotations, javaCodeReused, kotlinPropertyConstraints
} = answers

/** The seed's task, as the example suite writes what each code's guard tests. */
const seedGuards: Assertion = {
  type: 'validation',
  guards: [
    { code: 50001, params: ['userId'] },
    { code: 50002, lookup: 'userId' },
    { code: 50003, params: ['ActiveFlag', 'SystemDeleteFlag'] }
  ]
}
const idAndFlagGuards: Assertion = { type: 'validation', guards: [{ code: 50001, params: ['userId'] }, { code: 50003, params: ['ActiveFlag', 'SystemDeleteFlag'] }] }

const rows: Record<string, Row> = {
  // Java
  'java: validates every parameter': {
    answer: javaCorrect,
    assertion: allCodes,
    passed: true,
    message: `each code is raised by a validation guard: 50001 (line ${at(javaCorrect, 'BizException(50001')}), 50002 (line ${at(javaCorrect, 'BizException(50002')}), 50003 (line ${at(javaCorrect, 'BizException(50003')})`
  },
  'java: the flags guard raises 50003': {
    answer: javaCorrect,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(javaCorrect, 'BizException(50003')
  },
  'java: codes given as strings': {
    answer: javaCorrect,
    assertion: { type: 'error-codes', codes: ['50001', '50002', '50003'] },
    passed: true,
    message: /^each code is raised by a validation guard: 50001 \(line 6\), 50002 \(line 10\), 50003 \(line 14\)$/
  },
  'java: parameter names in other styles': {
    answer: javaCorrect,
    assertion: { type: 'validation', code: 50003, params: ['active_flag', 'SYSTEM_DELETE_FLAG'] },
    passed: true,
    message: `50003 is raised by a guard that tests active_flag and SYSTEM_DELETE_FLAG (line ${at(javaCorrect, 'BizException(50003')})`
  },
  'java: the seed (no validation, 50003 in catch)': {
    answer: javaSeed,
    assertion: allCodes,
    passed: false,
    message: seedFailure(javaSeed, 'Result.fail(50003'),
    line: at(javaSeed, 'Result.fail(50003')
  },
  'java: the seed fails validation too': {
    answer: javaSeed,
    assertion: flagsValidated,
    passed: false,
    message: `50003 appears only inside catch (line ${at(javaSeed, 'Result.fail(50003')})`,
    line: at(javaSeed, 'Result.fail(50003')
  },
  'java: codes only in Javadoc and a log line': {
    answer: javaDocsOnly,
    assertion: allCodes,
    passed: false,
    message: `50001 appears only in a comment (line 4); 50002 appears only in a comment (line 4); 50003 appears only in a log call (line ${at(javaDocsOnly, 'log.info')})`,
    line: at(javaDocsOnly, '@throws BizException 50001')
  },
  'java: 50003 guards the wrong parameter (codes are fine)': {
    answer: javaWrongParameter,
    assertion: idAndFlagCodes,
    passed: true,
    message: `each code is raised by a validation guard: 50001 (line 4), 50003 (line 7)`
  },
  'java: 50003 guards the wrong parameter': {
    answer: javaWrongParameter,
    assertion: flagsValidated,
    passed: false,
    message: `the guard raising 50003 (line 7) does not test ActiveFlag or SystemDeleteFlag; its condition is "userId == null"`,
    line: at(javaWrongParameter, 'BizException(50003')
  },
  'java: codes as a constant and enum constants in another block': {
    answer: javaConstants,
    assertion: allCodes,
    passed: true,
    message: `each code is raised by a validation guard: 50001 (line ${at(javaConstants, 'BizException(USER_ID_INVALID)')}), 50002 (line ${at(javaConstants, 'ErrorCode.USER_NOT_FOUND)')}), 50003 (line ${at(javaConstants, 'ErrorCode.INVALID_FLAG)')})`
  },
  'java: flags tested through a validator helper': {
    answer: javaConstants,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(javaConstants, 'ErrorCode.INVALID_FLAG)')
  },
  'java: guard clauses as early returns and a switch': {
    answer: javaSwitch,
    assertion: idAndFlagCodes,
    passed: true,
    message: `each code is raised by a validation guard: 50001 (line 3), 50003 (line ${at(javaSwitch, 'Result.fail(50003')})`
  },
  'java: the switch tests only activeFlag': {
    answer: javaSwitch,
    assertion: flagsValidated,
    passed: false,
    message: `the guard raising 50003 (line 9) does not test SystemDeleteFlag; its condition is "switch (activeFlag) … default"`,
    line: 9
  },
  'java: nested ifs test the flags together': {
    answer: javaNested,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(javaNested, 'BizException(50003')
  },
  'java: 50003 set but the update goes on': {
    answer: javaNoExit,
    assertion: flagCode,
    passed: false,
    message: `50003 is only set in a branch that neither returns nor throws (line ${at(javaNoExit, 'setCode(50003')})`,
    line: at(javaNoExit, 'setCode(50003')
  },
  'java: 50003 checks the write, which error-codes alone accepts': {
    answer: javaAfterWrite,
    assertion: flagCode,
    passed: true,
    message: `each code is raised by a validation guard: 50003 (line 5)`
  },
  'java: 50003 checks the write, not the flags': {
    answer: javaAfterWrite,
    assertion: flagsValidated,
    passed: false,
    message: `the guard raising 50003 (line 5) does not test ActiveFlag or SystemDeleteFlag; its condition is "rows == 0"`,
    line: 5
  },
  'java: assertion helpers and orElseThrow': {
    answer: javaAssertions,
    assertion: allCodes,
    passed: true,
    message: `each code is raised by a validation guard: 50001 (line 3), 50002 (line 4), 50003 (line 5)`
  },
  'java: assertion helper tests the flags': {
    answer: javaAssertions,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(javaAssertions, 'Assert.isTrue')
  },
  'java: a syntax error inside the 50001 guard': {
    answer: javaBrokenGuard,
    assertion: idAndFlagCodes,
    passed: false,
    message: `50001 is only in code that does not parse as java (line ${at(javaBrokenGuard, 'userId == null || )')})`,
    line: at(javaBrokenGuard, 'userId == null || )')
  },
  'java: code only inside a message string': {
    answer: javaMessageOnly,
    assertion: { type: 'error-codes', codes: [50001] },
    passed: false,
    message: '50001 appears only in a message string (line 4)',
    line: 4
  },
  'java: code only compared in a condition': {
    answer: javaComparedOnly,
    assertion: { type: 'error-codes', codes: [50001] },
    passed: false,
    message: '50001 appears only in a condition (line 4)',
    line: 4
  },
  'java: code thrown without a condition': {
    answer: javaUnconditional,
    assertion: { type: 'error-codes', codes: [50001] },
    passed: false,
    message: '50001 is raised without a condition (line 4)',
    line: 4
  },
  'java: constant declared, never used': {
    answer: javaDeclaredOnly,
    assertion: { type: 'error-codes', codes: [50001] },
    passed: false,
    message: '50001 is declared but never used (line 3, as USER_ID_INVALID)',
    line: 3
  },
  'java: constant used only in catch': {
    answer: javaConstantInCatch,
    assertion: { type: 'error-codes', codes: [50001] },
    passed: false,
    message: `50001 appears only inside catch (line ${at(javaConstantInCatch, 'BizException(USER_ID_INVALID)')}, as USER_ID_INVALID)`,
    line: at(javaConstantInCatch, 'BizException(USER_ID_INVALID)')
  },
  'java: code in a comment and a catch': {
    answer: javaCommentAndCatch,
    assertion: { type: 'error-codes', codes: [50001] },
    passed: false,
    message: '50001 is never raised by a validation guard: inside catch (line 7), in a comment (line 2)',
    line: 7
  },
  'java: a string code': {
    answer: javaStringCode,
    assertion: { type: 'error-codes', codes: ['E1001'] },
    passed: true,
    message: 'each code is raised by a validation guard: E1001 (line 3)'
  },
  'java: Chinese comments keep lines right': {
    answer: javaChineseComments,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(javaChineseComments, 'BizException(50003')
  },
  'java: flags tested through a local variable': {
    answer: javaLocalVariable,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(javaLocalVariable, 'Result.error(50003')
  },
  'java: constraint annotations raise codes, a Swagger annotation does not': {
    answer: javaConstraintAnnotations,
    assertion: allCodes,
    passed: false,
    message: `50002 is used outside any validation guard (line ${at(javaConstraintAnnotations, '@ApiResponse')})`,
    line: at(javaConstraintAnnotations, '@ApiResponse')
  },
  'java: constraint annotations on both flag fields': {
    answer: javaConstraintAnnotations,
    assertion: flagsValidated,
    passed: true,
    message: `50003 is raised by a guard that tests ActiveFlag and SystemDeleteFlag (lines 6, 7, 10)`
  },

  // C#
  'c#: validates request properties': {
    answer: csharpCorrect,
    assertion: allCodes,
    passed: true,
    message: `each code is raised by a validation guard: 50001 (line 5), 50002 (line 8), 50003 (line 10)`
  },
  'c#: request.ActiveFlag and request.SystemDeleteFlag are tested': {
    answer: csharpCorrect,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(csharpCorrect, 'ErrorResponse(50003')
  },
  'c#: the seed': {
    answer: csharpSeed,
    assertion: allCodes,
    passed: false,
    message: seedFailure(csharpSeed, 'ErrorResponse(50003'),
    line: at(csharpSeed, 'ErrorResponse(50003')
  },
  'c#: const, enum cast, ?? throw and switch': {
    answer: csharpConstants,
    assertion: allCodes,
    passed: true,
    message: `each code is raised by a validation guard: 50001 (line ${at(csharpConstants, 'ErrorCodes.UserIdInvalid)')}), 50002 (line ${at(csharpConstants, 'StatusError.UserNotFound)')}), 50003 (line ${at(csharpConstants, 'StatusError.InvalidFlag)')})`
  },
  'c#: the switch tests only activeFlag': {
    answer: csharpConstants,
    assertion: flagsValidated,
    passed: false,
    message: `the guard raising 50003 (line ${at(csharpConstants, 'StatusError.InvalidFlag)')}) does not test SystemDeleteFlag; its condition is "switch activeFlag … default"`,
    line: at(csharpConstants, 'StatusError.InvalidFlag)')
  },
  'c#: switch expression over a tuple': {
    answer: csharpSwitchExpression,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(csharpSwitchExpression, 'Result.Fail(50003')
  },
  'c#: data annotations on both flag properties': {
    answer: csharpDataAnnotations,
    assertion: flagsValidated,
    passed: true,
    message: `50003 is raised by a guard that tests ActiveFlag and SystemDeleteFlag (lines 4, 7)`
  },
  'c#: one annotated property is not enough': {
    answer: csharpDataAnnotations.replace('[Range(0, 1, ErrorMessage = "50003")]\n    public int SystemDeleteFlag', 'public int SystemDeleteFlag'),
    assertion: flagsValidated,
    passed: false,
    message: `the guard raising 50003 (line 4) does not test SystemDeleteFlag; its condition is "[Range(0, 1, ErrorMessage = \\"50003\\")] ActiveFlag"`,
    line: 4
  },

  // TypeScript
  'typescript: validates every parameter': {
    answer: typescriptCorrect,
    assertion: allCodes,
    passed: true,
    message: `each code is raised by a validation guard: 50001 (line 4), 50002 (line 7), 50003 (line 9)`
  },
  'typescript: the flags guard': {
    answer: typescriptCorrect,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(typescriptCorrect, 'ValidationError(50003')
  },
  'typescript: constants object and enum': {
    answer: typescriptConstants,
    assertion: allCodes,
    passed: true,
    message: `each code is raised by a validation guard: 50001 (line 12), 50002 (line 14), 50003 (line 15)`
  },
  'typescript: dto.activeFlag only': {
    answer: typescriptConstants,
    assertion: flagsValidated,
    passed: false,
    message: `the guard raising 50003 (line 15) does not test SystemDeleteFlag; its condition is "dto.activeFlag !== 0 && dto.activeFlag !== 1"`,
    line: 15
  },
  'typescript: codes in a log line and a catch': {
    answer: typescriptSeed,
    assertion: allCodes,
    passed: false,
    message: `50001 appears only in a log call (line 3); 50002 appears only in a log call (line 3); 50003 appears only inside catch (line 7)`,
    line: 3
  },
  'typescript: a class member with decorators, shown alone': {
    answer: typescriptNestMember,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(typescriptNestMember, 'code: 50003')
  },

  // JavaScript
  'javascript: an Express handler': {
    answer: javascriptCorrect,
    assertion: allCodes,
    passed: true,
    message: `each code is raised by a validation guard: 50001 (line 8), 50002 (line 12), 50003 (line 15)`
  },
  'javascript: destructured flags are tested': {
    answer: javascriptCorrect,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(javascriptCorrect, 'code: 50003')
  },
  'javascript: a validator helper called with each flag': {
    answer: javascriptHelper,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(javascriptHelper, 'ApiError(50003')
  },
  'javascript: 50003 thrown from a promise catch': {
    answer: javascriptPromiseCatch,
    assertion: flagsValidated,
    passed: false,
    message: `50003 appears only inside catch (line 6)`,
    line: 6
  },
  'javascript: getters and snake_case accessors': {
    answer: javascriptAccessors,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(javascriptAccessors, 'fail(50003')
  },

  // Python
  'python: validates every parameter (codes also in the docstring)': {
    answer: pythonCorrect,
    assertion: allCodes,
    passed: true,
    message: `each code is raised by a validation guard: 50001 (line 5), 50002 (line 8), 50003 (line 11)`
  },
  'python: a loop over both flags': {
    answer: pythonCorrect,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(pythonCorrect, 'BizError(50003')
  },
  'python: the seed (comment and except)': {
    answer: pythonSeed,
    assertion: allCodes,
    passed: false,
    message: `50001 appears only in a comment (line 3); 50002 appears only in a comment (line 3); 50003 appears only inside except (line 8)`,
    line: 3
  },
  'python: the seed fails validation': {
    answer: pythonSeed,
    assertion: flagsValidated,
    passed: false,
    message: `50003 appears only inside except (line 8)`,
    line: 8
  },
  'python: match statement returning error dicts': {
    answer: pythonMatch,
    assertion: idAndFlagCodes,
    passed: true,
    message: `each code is raised by a validation guard: 50001 (line 4), 50003 (line 9)`
  },
  'python: match on both flags': {
    answer: pythonMatch,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(pythonMatch, '"code": 50003')
  },
  'python: module constants': {
    answer: pythonWrongParameter,
    assertion: idAndFlagCodes,
    passed: true,
    message: `each code is raised by a validation guard: 50001 (line 10), 50003 (line 8)`
  },
  'python: INVALID_FLAG guards only active_flag': {
    answer: pythonWrongParameter,
    assertion: flagsValidated,
    passed: false,
    message: `the guard raising 50003 (line 8) does not test SystemDeleteFlag; its condition is "active_flag not in (0, 1)"`,
    line: 8
  },
  'python: a method helper called through self': {
    answer: pythonSelfHelper,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(pythonSelfHelper, 'BizError(50003')
  },

  // Go
  'go: const block and guard clauses': {
    answer: goCorrect,
    assertion: allCodes,
    passed: true,
    message: `each code is raised by a validation guard: 50001 (line 12), 50002 (line 16), 50003 (line 19)`
  },
  'go: flags tested through isValidFlag': {
    answer: goCorrect,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(goCorrect, 'NewBizError(ErrInvalidFlag')
  },
  'go: the seed (50003 when the write fails)': {
    answer: goSeed,
    assertion: flagsValidated,
    passed: false,
    message: `50003 appears only where an error is handled (line ${at(goSeed, 'Code: 50003')})`,
    line: at(goSeed, 'Code: 50003')
  },
  'go: a switch inside a range over both flags': {
    answer: goSwitch,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(goSwitch, 'Code: 50003')
  },
  'go: an error from a validator is validation': {
    answer: goSwitch,
    assertion: idAndFlagCodes,
    passed: true,
    message: `each code is raised by a validation guard: 50001 (line 4), 50003 (line 10)`
  },
  'go: err from validateFlags checked on its own line': {
    answer: goValidatorError,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(goValidatorError, 'Code: 50003')
  },

  // Kotlin
  'kotlin: enum codes, elvis and when': {
    answer: kotlinCorrect,
    assertion: allCodes,
    passed: true,
    message: `each code is raised by a validation guard: 50001 (line 8), 50002 (line 9), 50003 (line 11)`
  },
  'kotlin: when tests both flags': {
    answer: kotlinCorrect,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(kotlinCorrect, 'BizException(50003')
  },
  'kotlin: forEach over both flags with it': {
    answer: kotlinForEach,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(kotlinForEach, 'BizException(50003')
  },
  'kotlin: the seed': {
    answer: kotlinSeed,
    assertion: flagsValidated,
    passed: false,
    message: `50003 appears only inside catch (line 6)`,
    line: 6
  },
  'kotlin: tagged as java': {
    answer: kotlinTaggedJava,
    assertion: idAndFlagCodes,
    passed: true,
    message: `each code is raised by a validation guard: 50001 (line 3), 50003 (line 4)`
  },
  'kotlin: untagged block, language forced': {
    answer: kotlinUntagged,
    assertion: { ...flagsValidated, language: 'kotlin' },
    passed: true,
    message: flagsTested(kotlinUntagged, 'BizException(50003')
  },

  // The shape of the answer
  'prose around a sql block and an indented java block': {
    answer: proseAndBlocks,
    assertion: allCodes,
    passed: false,
    message: `50001 is not in the code (only in a sql block, line 7); 50002 is not in the code (only in the prose, line 10)`,
    line: 7
  },
  'the indented java block among prose validates the flags': {
    answer: proseAndBlocks,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(proseAndBlocks, 'BizException(50003')
  },
  'an answer that is only code': {
    answer: unfencedCode,
    assertion: idAndFlagCodes,
    passed: true,
    message: `each code is raised by a validation guard: 50001 (line 3), 50003 (line 6)`
  },
  'an answer cut off by max-tokens inside the block': {
    answer: truncated,
    assertion: idAndFlagCodes,
    passed: true,
    message: `each code is raised by a validation guard: 50001 (line 4), 50003 (line 7)`
  },
  'a longer tilde fence': {
    answer: tildeFence,
    assertion: flagsValidated,
    passed: true,
    message: flagsTested(tildeFence, 'BizException(50003')
  },
  'CRLF line ends': {
    answer: windowsLineEnds,
    assertion: flagsValidated,
    passed: true,
    message: '50003 is raised by a guard that tests ActiveFlag and SystemDeleteFlag (line 3)'
  },
  'a refusal holds no code': {
    answer: refusal,
    assertion: allCodes,
    passed: false,
    message: 'the answer holds no code block'
  },
  'a refusal holds no code, whatever language is forced': {
    answer: refusal,
    assertion: { ...flagsValidated, language: 'java' },
    passed: false,
    message: 'the answer holds no code block'
  },
  'an empty answer holds no code': {
    answer: '',
    assertion: flagsValidated,
    passed: false,
    message: 'the answer holds no code block'
  },
  'only a sql block': {
    answer: sqlOnly,
    assertion: allCodes,
    passed: false,
    message: 'the answer holds no code in a checked language (found sql at line 1)',
    line: 1
  },
  'a forced language the answer does not use': {
    answer: javaCorrect,
    assertion: { ...allCodes, language: 'python' },
    passed: false,
    message: 'the answer holds no python code (found java at line 3)',
    line: 3
  },
  'prose in a java fence does not parse': {
    answer: notJava,
    assertion: allCodes,
    passed: false,
    message: 'the code does not parse as java (line 2)',
    line: 2
  }
}

async function evaluate(assertion: Assertion, samples: SampleResult[], context?: CheckContext) {
  const check = codeChecks.find((definition) => definition.type === assertion.type)!
  return check.evaluate(assertion, samples, context)
}

// What each code's guard tests, the function under test, and the declarative forms; the earlier
// table's answers read with the new fields.
const conditionRows: Record<string, Row> = {
  'each code tests what it should': {
    answer: javaCorrect,
    assertion: seedGuards,
    passed: true,
    message: `each code is raised by a guard that tests what it should: 50001 tests userId (line 6), 50002 tests what a lookup by userId returns (line 10), 50003 tests ActiveFlag and SystemDeleteFlag (line 14)`
  },
  'one code with a lookup': {
    answer: javaCorrect,
    assertion: { type: 'validation', code: 50002, lookup: 'userId' },
    passed: true,
    message: `50002 is raised by a guard that tests what a lookup by userId returns (line ${at(javaCorrect, 'BizException(50002')})`
  },
  'orElseThrow on the lookup and Assert helpers': {
    answer: javaAssertions,
    assertion: { type: 'validation', guards: [{ code: 50001, params: ['userId'] }, { code: 50002, lookup: 'userId' }] },
    passed: true,
    message: `each code is raised by a guard that tests what it should: 50001 tests userId (line 3), 50002 tests what a lookup by userId returns (line 4)`
  },
  'the codes swapped between userId and activeFlag': {
    answer: javaWrongParameter,
    assertion: idAndFlagGuards,
    passed: false,
    message: `the guard raising 50001 (line 4) does not test userId; its condition is "activeFlag == null"; the guard raising 50003 (line 7) does not test ActiveFlag or SystemDeleteFlag; its condition is "userId == null"`,
    line: 4
  },
  'a lookup asked of a guard that tests userId itself': {
    answer: javaConstants,
    assertion: { type: 'validation', code: 50001, lookup: 'userId' },
    passed: false,
    message: `the guard raising 50001 (line ${at(javaConstants, 'USER_ID_INVALID)')}) does not test what a lookup by userId returns; its condition is "userId == null"`,
    line: at(javaConstants, 'USER_ID_INVALID)')
  },
  'a code raised again on the wrong value': {
    answer: javaCodeReused,
    assertion: idAndFlagGuards,
    passed: false,
    message: `50001 is also raised by a guard that does not test userId itself, only what a lookup by it returns (line 8); its condition is "user == null"`,
    line: 8
  },
  'the write checked, not the flags': {
    answer: javaAfterWrite,
    assertion: { type: 'validation', guards: [{ code: 50003, params: ['ActiveFlag', 'SystemDeleteFlag'] }] },
    passed: false,
    message: `the guard raising 50003 (line 5) does not test ActiveFlag or SystemDeleteFlag; its condition is "rows == 0"`,
    line: 5
  },
  'a function the answer does not define': {
    answer: javaCorrect,
    assertion: { ...allCodes, function: 'updateStatus' },
    passed: false,
    message: 'the answer defines no function `updateStatus` (it defines `updateUserStatus`)'
  },
  'the function named with its parameters': {
    answer: javaConstants,
    assertion: { ...allCodes, function: 'updateUserStatus(userId, ActiveFlag, SystemDeleteFlag)' },
    passed: true,
    message: `each code is raised by a validation guard that \`updateUserStatus\` runs: 50001 (line ${at(javaConstants, 'BizException(USER_ID_INVALID)')}), 50002 (line ${at(javaConstants, 'ErrorCode.USER_NOT_FOUND)')}), 50003 (line ${at(javaConstants, 'ErrorCode.INVALID_FLAG)')})`
  },
  'a DTO’s constraints run for a @Valid parameter of the function': {
    answer: javaConstraintAnnotations,
    assertion: { ...flagsValidated, function: 'updateUserStatus' },
    passed: true,
    message: '50003 is raised by a guard that tests ActiveFlag and SystemDeleteFlag (lines 6, 7, 10)'
  },
  'a DTO’s constraints do not run without @Valid': {
    answer: javaConstraintAnnotations.replace('@Valid ', ''),
    assertion: { ...flagsValidated, function: 'updateUserStatus' },
    passed: false,
    message: '50003 is raised only by constraints on `UpdateStatusRequest`, which `updateUserStatus` never validates (lines 6, 7, 10)',
    line: 6
  },
  'constraints on a Kotlin class’s properties': {
    answer: kotlinPropertyConstraints,
    assertion: flagsValidated,
    passed: true,
    message: '50003 is raised by a guard that tests ActiveFlag and SystemDeleteFlag (lines 3, 4, 7)'
  },
  'the JUnit-style Assert of Spring is a guard, JUnit’s own assertEquals is a test': {
    answer: javaAssertions.replace('Assert.notNull(userId, 50001);', 'assertEquals(50001, userId);'),
    assertion: { type: 'error-codes', codes: [50001] },
    passed: false,
    message: '50001 appears only in test code (line 3)',
    line: 3
  }
}

describe('error-codes and validation read the answer as code', () => {
  it.each(Object.entries(rows))('%s', async (_name, row) => {
    const outcome = await evaluate(row.assertion, [sample(row.answer)])
    expect(outcome.passed).toBe(row.passed)
    if (typeof row.message === 'string') expect(outcome.message).toBe(row.message)
    else expect(outcome.message).toMatch(row.message)
    expect(outcome.line).toBe(row.line)
  })

  it.each(Object.entries(conditionRows))('%s', async (_name, row) => {
    const outcome = await evaluate(row.assertion, [sample(row.answer)])
    expect([outcome.passed, outcome.message, outcome.line]).toEqual([row.passed, row.message, row.line])
  })

  it('takes the function under test from the prompt when the check names none', async () => {
    const helper = `${'```'}java
class UserService {
    void updateUserStatus(Long userId) {
        userMapper.touch(userId);
    }

    void validate(Long userId) {
        if (userId == null) throw new BizException(50001);
    }
}
${'```'}`
    const check: Assertion = { type: 'error-codes', codes: [50001] }
    const prompt = { messages: [{ role: 'user', content: 'Validate userId in updateUserStatus(Long userId): 50001 when it is missing.' }] }
    expect(await evaluate(check, [sample(helper)], prompt)).toEqual({
      passed: false,
      sample: 0,
      message: '50001 is raised only in `UserService.validate`, which `updateUserStatus` never calls (line 8)',
      line: 8
    })
    // Without a prompt, or one that names none of the answer's functions, every function counts.
    expect((await evaluate(check, [sample(helper)])).passed).toBe(true)
    expect((await evaluate(check, [sample(helper)], { messages: [{ role: 'user', content: 'Write the service.' }] })).passed).toBe(true)
  })

  it('points at the failing sample when there are several', async () => {
    const outcome = await evaluate(allCodes, [sample(javaCorrect, 0), sample(javaSeed, 1), sample(pythonSeed, 2)])
    expect(outcome).toEqual({
      passed: false,
      sample: 1,
      line: at(javaSeed, 'Result.fail(50003'),
      message: `sample 2 of 3: ${seedFailure(javaSeed, 'Result.fail(50003')} (2 of 3 samples failed)`
    })
  })

  it('passes only when every sample passes', async () => {
    const outcome = await evaluate(flagsValidated, [sample(javaCorrect, 0), sample(goCorrect, 1)])
    expect(outcome).toEqual({ passed: true, message: flagsTested(javaCorrect, 'BizException(50003') })
  })

  it('never throws, and points inside the answer, on any prefix of a cut-off answer or pathological input', async () => {
    const texts = ['```', '```java', '~~~\n~~~', '```go\n' + '{'.repeat(3000), '```python\n' + '('.repeat(2000), '```ts\n' + 'x'.repeat(100000)]
    for (const text of Object.values(answers)) for (let cut = 5; cut < text.length; cut += 41) texts.push(text.slice(0, cut))
    for (const text of texts) {
      for (const assertion of [allCodes, flagsValidated]) {
        const outcome = await evaluate(assertion, [sample(text)])
        expect(outcome.message).toEqual(expect.any(String))
        if (outcome.line !== undefined) expect(outcome.line).toBeLessThanOrEqual(text.split('\n').length)
      }
    }
  }, 60_000)

  it('fails when no sample was measured', async () => {
    expect(await evaluate(flagsValidated, [])).toEqual({ passed: false, message: 'no sample was measured' })
  })
})

describe('schemas of the code checks', () => {
  const ajv = new Ajv({ strict: true, allErrors: true })
  const accepts = (check: CheckDefinition, fields: object): boolean =>
    ajv.validate({ type: 'object', properties: check.properties, required: check.required, additionalProperties: false }, fields)

  it('registers the code checks', () => {
    expect(codeChecks.map((check) => check.type)).toEqual(['error-codes', 'validation', 'tree-sitter-query', 'not-tree-sitter-query'])
  })

  /** The schema and then what the check's own validate says, as the suite loader applies them. */
  const valid = (check: CheckDefinition, fields: object): boolean =>
    accepts(check, fields) && check.validate?.({ type: check.type, ...fields }) === undefined

  it.each([
    [{ codes: [50001, '50002', 'E1001'] }, true],
    [{ codes: [50001], language: 'c#' }, true],
    [{ codes: [] }, false],
    [{ codes: [''] }, false],
    [{ codes: ['500 01'] }, false],
    [{ codes: [1.5] }, false],
    [{ codes: [50001, 50001] }, false],
    [{ codes: [50001], language: 'cobol' }, false],
    [{ codes: [50001], language: 'kt' }, false],
    [{}, false],
    [{ codes: [50001], function: 'updateUserStatus' }, true],
    [{ codes: [50001], function: 'updateUserStatus(Long userId, Integer ActiveFlag)' }, true],
    [{ codes: [50001], function: 'update user status' }, false],
    [{ codes: [50001], function: '' }, false]
  ])('error-codes %j → %s', (fields, expected) => {
    expect(valid(errorCodes, fields)).toBe(expected)
  })

  it.each([
    [{ code: 50003, params: ['ActiveFlag', 'SystemDeleteFlag'] }, true],
    [{ code: '50003', params: ['ActiveFlag'], language: 'kotlin' }, true],
    [{ code: 50003, params: [] }, false],
    [{ code: 50003, params: [''] }, false],
    [{ code: 50003 }, false],
    [{ params: ['ActiveFlag'] }, false],
    [{ code: 50002, lookup: 'userId' }, true],
    [{ code: 50002, lookup: '' }, false],
    [{ guards: [{ code: 50001, params: ['userId'] }, { code: '50002', lookup: 'userId' }] }, true],
    [{ guards: [{ code: 50003, params: ['ActiveFlag'], lookup: 'userId' }], function: 'updateUserStatus' }, true],
    [{ guards: [] }, false],
    [{ guards: [{ code: 50001 }] }, false],
    [{ guards: [{ code: 50001, params: [] }] }, false],
    [{ guards: [{ code: 50001, looup: 'userId' }] }, false],
    [{ guards: [{ params: ['userId'] }] }, false],
    [{ guards: [{ code: 50001, params: ['userId'] }, { code: 50001, lookup: 'userId' }] }, false],
    [{ guards: [{ code: 50001, params: ['userId'] }], code: 50001 }, false],
    [{}, false]
  ])('validation %j → %s', (fields, expected) => {
    expect(valid(validation, fields)).toBe(expected)
  })

  it('says what a validation check lacks at its line in the suite file', () => {
    const suite = (...fields: string[]) => ['cases:', '  - id: a', '    prompt: p', '    assert:', '      - type: validation', ...fields.map((f) => `        ${f}`), ''].join('\n')
    const problems = (yaml: string): string[] => {
      try {
        parseSuite(yaml, 'suite.yml')
        return []
      } catch (error) {
        return (error as SuiteError).problems
      }
    }
    expect(problems(suite('code: 50003'))).toEqual(['suite.yml:5 case "a": assert[0].params is required with code (or lookup)'])
    expect(problems(suite('lookup: userId'))).toEqual(['suite.yml:5 case "a": assert[0].code is required with params or lookup'])
    expect(problems(suite('guards:', '  - { code: 50001, params: [userId] }', 'code: 50001'))).toEqual(['suite.yml:8 case "a": assert[0].code cannot be given with guards'])
    expect(problems(suite('guards:', '  - { code: 50001 }'))).toEqual(['suite.yml:7 case "a": assert[0].guards needs params or lookup for code 50001'])
    expect(problems(suite('guards:', '  - { code: 50001, params: [userId] }', 'function: update user'))).toEqual([
      'suite.yml:8 case "a": assert[0].function must be a function name, optionally with its parameters: updateUserStatus or updateUserStatus(userId, ActiveFlag, SystemDeleteFlag)'
    ])
  })
})
