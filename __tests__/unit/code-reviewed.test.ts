// The reviewed answers (fixtures/code/reviewed.ts), judged by the code checks of the example
// suite, examples/user-status/suite.yml: each gets the verdict the reviewer gave it, and the
// message says why, pointing at the line. The example's own scripted answers, which the end-to-end
// tests replay, keep their verdicts too.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { EXAMPLE_SUITE, exampleAnswer } from '../../scripts/example-models.js'
import { judgeCase, type Assertion } from '../../src/checks/index.js'
import type { ChatMessage } from '../../src/suite/schema.js'
import { loadSuite, type SuiteCase } from '../../src/suite/index.js'
import { reviewed, type Language } from '../fixtures/code/reviewed.js'
import { sample } from '../support/samples.js'

/** What the user reads for each answer: the first failing check, or the validation check's verdict when all pass. */
const READS: Record<string, string> = {
  "java: 50001 and 50002 swapped": "validation: the guard raising 50001 (line 8) does not test userId itself, only what a lookup by it returns; its condition is \"user == null\"; the guard raising 50002 (line 4) does not test what a lookup by userId returns; its condition is \"userId == null || userId <= 0\"",
  "java: 50003 raised for userId <= 0, flags never checked": "validation: the guard raising 50003 (line 7) does not test ActiveFlag or SystemDeleteFlag; its condition is \"userId <= 0\"",
  "java: a validator bean injected but never called": "error-codes: 50001 is raised only in `UserStatusValidator.check`, which `updateUserStatus` never calls (line 6); 50003 is raised only in `UserStatusValidator.check`, which `updateUserStatus` never calls (line 9)",
  "java: the validator bean is called first": "validation: each code is raised by a guard that tests what it should: 50001 tests userId (line 6), 50002 tests what a lookup by userId returns (line 29), 50003 tests ActiveFlag and SystemDeleteFlag (line 9)",
  "java: guards only in an example main": "error-codes: 50001 is raised only in `UserService.main`, which `updateUserStatus` never calls (line 25); 50002 is raised only in `UserService.main`, which `updateUserStatus` never calls (line 28); 50003 is raised only in `UserService.main`, which `updateUserStatus` never calls (line 31)",
  "java: JUnit tests expect the codes the method never raises": "error-codes: 50001 appears only in test code (line 31); 50002 appears only in test code (line 38); 50003 appears only in test code (line 45)",
  "java: correct, with JUnit tests appended": "validation: each code is raised by a guard that tests what it should: 50001 tests userId (line 9), 50002 tests what a lookup by userId returns (line 13), 50003 tests ActiveFlag and SystemDeleteFlag (line 17)",
  "java: SystemDeleteFlag renamed sysDelFlag": "validation: each code is raised by a guard that tests what it should: 50001 tests userId (line 4), 50002 tests what a lookup by userId returns (line 8), 50003 tests ActiveFlag and SystemDeleteFlag (lines 11, 14); sysDelFlag taken for SystemDeleteFlag",
  "java: Bean Validation on the parameters": "validation: each code is raised by a guard that tests what it should: 50001 tests userId (line 10), 50002 tests what a lookup by userId returns (line 15), 50003 tests ActiveFlag and SystemDeleteFlag (lines 11, 12)",
  "java: Optional.orElseThrow for the lookup": "validation: each code is raised by a guard that tests what it should: 50001 tests userId (line 5), 50002 tests what a lookup by userId returns (line 8), 50003 tests ActiveFlag and SystemDeleteFlag (line 10)",
  "java: a private validate helper nobody calls": "error-codes: 50001 is raised only in `UserService.validate`, which `updateUserStatus` never calls (line 14); 50002 is raised only in `UserService.validate`, which `updateUserStatus` never calls (line 17); 50003 is raised only in `UserService.validate`, which `updateUserStatus` never calls (line 20)",
  "java: constrained DTO taken without @Valid": "error-codes: 50001 is raised only by constraints on `UpdateStatusRequest`, which `updateUserStatus` never validates (lines 4, 5); 50003 is raised only by constraints on `UpdateStatusRequest`, which `updateUserStatus` never validates (lines 8, 9, 12, …)",
  "c#: xUnit tests expect the codes the method never raises": "error-codes: 50001 appears only in test code (line 24); 50002 appears only in test code (line 31); 50003 appears only in test code (line 40)",
  "c#: correct, with xUnit tests appended": "validation: each code is raised by a guard that tests what it should: 50001 tests userId (line 11), 50002 tests what a lookup by userId returns (line 14), 50003 tests ActiveFlag and SystemDeleteFlag (line 16)",
  "c#: 50001 and 50002 swapped": "validation: the guard raising 50001 (line 8) does not test userId itself, only what a lookup by it returns; its condition is \"user == null\"; the guard raising 50002 (line 5) does not test what a lookup by userId returns; its condition is \"userId <= 0\"",
  "c#: a Validate method nobody calls": "error-codes: 50001 is raised only in `UserService.Validate`, which `UpdateUserStatus` never calls (line 14); 50003 is raised only in `UserService.Validate`, which `UpdateUserStatus` never calls (line 16)",
  "c#: data annotations on the route parameter and the request DTO": "validation: each code is raised by a guard that tests what it should: 50001 tests userId (line 22), 50002 tests what a lookup by userId returns (line 26), 50003 tests ActiveFlag and SystemDeleteFlag (lines 4, 5, 8, …)",
  "python: pytest tests expect the codes the function never raises": "error-codes: 50001 appears only in test code (line 13); 50002 appears only in test code (line 19); 50003 appears only in test code (line 26)",
  "python: Django, 50002 on User.DoesNotExist": "validation: each code is raised by a guard that tests what it should: 50001 tests userId (line 11), 50002 tests what a lookup by userId returns (line 15), 50003 tests ActiveFlag and SystemDeleteFlag (line 17)",
  "python: FastAPI with a pydantic validator for the flags": "validation: each code is raised by a guard that tests what it should: 50001 tests userId (line 23), 50002 tests what a lookup by userId returns (line 26), 50003 tests ActiveFlag and SystemDeleteFlag (line 16)",
  "python: guards only under if __name__ == \"__main__\"": "error-codes: 50001 is raised only outside any function, which `update_user_status` never runs (line 16); 50002 is raised only outside any function, which `update_user_status` never runs (line 18); 50003 is raised only outside any function, which `update_user_status` never runs (line 20)",
  "python: 50001 and 50003 swapped": "validation: the guard raising 50001 (line 4) does not test userId; its condition is \"active_flag not in (0, 1) or system_delete_flag not in (0, 1)\"; the guard raising 50003 (line 9) does not test ActiveFlag or SystemDeleteFlag; its condition is \"not user_id or user_id < 1\"",
  "python: parameters renamed uid, active, deleted": "validation: each code is raised by a guard that tests what it should: 50001 tests userId (line 4), 50002 tests what a lookup by userId returns (line 7), 50003 tests ActiveFlag and SystemDeleteFlag (line 9); uid taken for userId, active taken for ActiveFlag, deleted taken for SystemDeleteFlag",
  "typescript: jest tests expect the codes the function never raises": "error-codes: 50001 appears only in test code (line 10); 50002 appears only in test code (line 15); 50003 appears only in test code (line 20)",
  "typescript: correct, with vitest tests appended": "validation: each code is raised by a guard that tests what it should: 50001 tests userId (line 6), 50002 tests what a lookup by userId returns (line 9), 50003 tests ActiveFlag and SystemDeleteFlag (line 11)",
  "typescript: 50002 without looking the user up": "validation: the guard raising 50002 (line 7) does not test what a lookup by userId returns; its condition is \"userId <= 0\"",
  "typescript: an injected validator the service never calls": "error-codes: 50001 is raised only in `UserStatusValidator.validate`, which `updateUserStatus` never calls (line 5); 50003 is raised only in `UserStatusValidator.validate`, which `updateUserStatus` never calls (line 8)",
  "typescript: parameters renamed id, isActive, sysDelFlag": "validation: each code is raised by a guard that tests what it should: 50001 tests userId (line 3), 50002 tests what a lookup by userId returns (line 5), 50003 tests ActiveFlag and SystemDeleteFlag (line 7); id taken for userId, isActive taken for ActiveFlag, sysDelFlag taken for SystemDeleteFlag",
  "javascript: a validation helper the handler never calls": "error-codes: 50001 is raised only in `validateStatusRequest`, which `updateUserStatus` never calls (line 7); 50003 is raised only in `validateStatusRequest`, which `updateUserStatus` never calls (line 10)",
  "javascript: correct, with jest tests appended": "validation: each code is raised by a guard that tests what it should: 50001 tests userId (line 4), 50002 tests what a lookup by userId returns (line 8), 50003 tests ActiveFlag and SystemDeleteFlag (line 11)",
  "javascript: 50003 raised for userId <= 0, flags never checked": "validation: the guard raising 50003 (line 7) does not test ActiveFlag or SystemDeleteFlag; its condition is \"userId <= 0\"",
  "javascript: Mongoose exists() for the lookup, a loop over the flags": "validation: each code is raised by a guard that tests what it should: 50001 tests userId (line 4), 50002 tests what a lookup by userId returns (line 8), 50003 tests ActiveFlag and SystemDeleteFlag (line 12)",
  "go: tests assert the codes the method never returns": "error-codes: 50001 appears only in test code (line 18); 50002 appears only in test code (line 25); 50003 appears only in test code (line 32)",
  "go: gorm, 50002 on ErrRecordNotFound": "validation: each code is raised by a guard that tests what it should: 50001 tests userId (line 4), 50002 tests what a lookup by userId returns (line 9), 50003 tests ActiveFlag and SystemDeleteFlag (line 15)",
  "go: 50001 and 50002 swapped": "validation: the guard raising 50001 (line 11) does not test userId; its condition is \"!exists\"; the guard raising 50002 (line 4) does not test what a lookup by userId returns; its condition is \"userID <= 0\"",
  "go: a validate function nobody calls": "error-codes: 50001 is raised only in `validate`, which `UpdateUserStatus` never calls (line 10); 50003 is raised only in `validate`, which `UpdateUserStatus` never calls (lines 13, 16)",
  "go: parameters renamed id, active, sysDel": "validation: each code is raised by a guard that tests what it should: 50001 tests userId (line 4), 50002 tests what a lookup by userId returns (line 8), 50003 tests ActiveFlag and SystemDeleteFlag (line 13); id taken for userId, active taken for ActiveFlag, sysDel taken for SystemDeleteFlag",
  "kotlin: require { \"code\" } and an elvis throw": "validation: each code is raised by a guard that tests what it should: 50001 tests userId (line 7), 50002 tests what a lookup by userId returns (line 8), 50003 tests ActiveFlag and SystemDeleteFlag (line 9)",
  "kotlin: JUnit tests expect the codes the method never raises": "error-codes: 50001 appears only in test code (line 20); 50002 appears only in test code (line 27); 50003 appears only in test code (line 33)",
  "kotlin: Bean Validation on a data class and a path variable": "validation: each code is raised by a guard that tests what it should: 50001 tests userId (line 20), 50002 tests what a lookup by userId returns (line 23), 50003 tests ActiveFlag and SystemDeleteFlag (lines 3, 4, 5, …)",
  "kotlin: 50001 and 50003 swapped": "validation: the guard raising 50001 (line 4) does not test userId; its condition is \"activeFlag !in 0..1 || systemDeleteFlag !in 0..1\"; the guard raising 50003 (line 7) does not test ActiveFlag or SystemDeleteFlag; its condition is \"userId == null || userId <= 0\"",
  "kotlin: a companion validate nobody calls": "error-codes: 50001 is raised only in `UserService.validate`, which `updateUserStatus` never calls (line 12); 50003 is raised only in `UserService.validate`, which `updateUserStatus` never calls (line 13)"
}

let example: SuiteCase
let codeChecks: Assertion[]

beforeAll(async () => {
  example = (await loadSuite(EXAMPLE_SUITE)).cases[0]!
  codeChecks = example.assertions.filter((assertion) => assertion.type === 'error-codes' || assertion.type === 'validation')
})

async function judge(answer: string, assertions: Assertion[], messages: ChatMessage[] | undefined = example.messages) {
  return judgeCase(example.id, assertions, [sample(answer)], messages ? { messages } : undefined)
}

function shown(checks: { type: string; passed: boolean; message: string }[]): string {
  const check = checks.find((candidate) => !candidate.passed) ?? checks.find((candidate) => candidate.type === 'validation')!
  return `${check.type}: ${check.message}`
}

describe('the example suite judges reviewed answers as the reviewer does', () => {
  it.each(reviewed.map((row) => [row.name, row] as const))('%s', async (name, row) => {
    const result = await judge(row.answer, codeChecks)
    expect([result.passed ? 'pass' : 'fail', shown(result.checks)]).toEqual([row.verdict, READS[name]])
  })

  it('agrees on every answer in every language, with correct answers and wrong ones in each', async () => {
    const agreement = new Map<Language, { answers: number; agreed: number; pass: number }>()
    for (const row of reviewed) {
      const result = await judge(row.answer, codeChecks)
      const counts = agreement.get(row.language) ?? { answers: 0, agreed: 0, pass: 0 }
      agreement.set(row.language, {
        answers: counts.answers + 1,
        agreed: counts.agreed + ((result.passed ? 'pass' : 'fail') === row.verdict ? 1 : 0),
        pass: counts.pass + (row.verdict === 'pass' ? 1 : 0)
      })
    }
    for (const [language, counts] of agreement) {
      expect([language, counts.agreed]).toEqual([language, counts.answers])
      expect([language, counts.pass > 0 && counts.pass < counts.answers]).toEqual([language, true])
    }
    expect(reviewed.length).toBeGreaterThanOrEqual(30)
  })

  it('finds the method under test from the prompt when the checks name none', async () => {
    const unnamed = codeChecks.map(({ function: _named, ...rest }) => rest as Assertion)
    for (const row of reviewed) {
      const result = await judge(row.answer, unnamed)
      expect([row.name, result.passed ? 'pass' : 'fail']).toEqual([row.name, row.verdict])
    }
  })

  it('never throws, and points inside the answer, on any prefix of a reviewed answer', async () => {
    for (const { answer } of reviewed) {
      for (let cut = 7; cut < answer.length; cut += 37) {
        const text = answer.slice(0, cut)
        const result = await judge(text, codeChecks)
        for (const check of result.checks) {
          expect(check.message).not.toMatch(/^check failed to run/)
          if (check.line !== undefined) expect(check.line).toBeLessThanOrEqual(text.split('\n').length)
        }
      }
    }
  }, 60_000)
})

describe('the example suite on the answers its scripted models give', () => {
  it('passes the answer that keeps the validations', async () => {
    const result = await judge(await exampleAnswer('good'), example.assertions)
    expect(result.checks.map((check) => [check.type, check.passed, check.message])).toEqual([
      ['error-codes', true, 'each code is raised by a validation guard that `updateUserStatus` runs: 50001 (line 6), 50002 (line 10), 50003 (line 14)'],
      [
        'validation',
        true,
        'each code is raised by a guard that tests what it should: 50001 tests userId (line 6), 50002 tests what a lookup by userId returns (line 10), 50003 tests ActiveFlag and SystemDeleteFlag (line 14)'
      ],
      ['not-regex', true, 'does not match /e\\.printStackTrace\\(\\)/']
    ])
  })

  it('fails the answer that regressed like the hand run, on the codes and their guards', async () => {
    const result = await judge(await exampleAnswer('regressed'), example.assertions)
    const seed = '50001 is never raised by a validation guard: inside catch (line 13), in a comment (line 5); 50002 appears only in a comment (line 5); 50003 appears only inside catch (line 14)'
    expect(result.checks.map((check) => [check.type, check.passed, check.message])).toEqual([
      ['error-codes', false, seed],
      ['validation', false, seed],
      ['not-regex', true, 'does not match /e\\.printStackTrace\\(\\)/']
    ])
  })
})
