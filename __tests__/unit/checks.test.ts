import { describe, expect, it } from '@jest/globals'
import { checkRegistry, judgeCase, runCheck } from '../../src/checks/index.js'
import { assertionsWithFloor } from '../../src/pipeline.js'
import type { SuiteCase } from '../../src/suite/index.js'
import { repeats, sample } from '../support/samples.js'

const ANSWER = 'Here it is:\n```java\nif (userId == null) {\n    return Result.error(50001, "userId is required");\n}\n```\n'

describe('text checks', () => {
  it.each([
    [{ type: 'contains', value: '50001' }, true, 'contains "50001" (line 4)'],
    [{ type: 'contains', value: '50003' }, false, 'expected the output to contain "50003"; it does not'],
    [{ type: 'not-contains', value: 'catch' }, true, 'does not contain "catch"'],
    [{ type: 'not-contains', value: 'Result.error' }, false, 'expected the output not to contain "Result.error"; found at line 4'],
    [{ type: 'regex', value: 'error\\(5000[12]' }, true, 'matches /error\\(5000[12]/ (line 4)'],
    [{ type: 'regex', value: 'USERID', flags: 'i' }, true, 'matches /USERID/ (line 3)'],
    [{ type: 'regex', value: 'throw new' }, false, 'expected the output to match /throw new/; it does not'],
    [{ type: 'not-regex', value: 'return Result\\.error\\(\\d+' }, false, 'expected the output not to match /return Result\\.error\\(\\d+/; matched "return Result.error(50001" at line 4'],
    [{ type: 'not-regex', value: 'System\\.out' }, true, 'does not match /System\\.out/']
  ])('%o → %s', async (assertion, passed, message) => {
    const result = await runCheck(assertion, [sample(ANSWER)])
    expect(result).toMatchObject({ type: assertion.type, passed, message })
  })

  it('fails when any repeat fails, naming the first failing sample and how many failed', async () => {
    const samples = repeats(sample(ANSWER), sample('no code'), sample('still none'))
    expect(await runCheck({ type: 'contains', value: '50001' }, samples)).toEqual({
      type: 'contains',
      passed: false,
      sample: 1,
      message: 'sample 2 of 3: expected the output to contain "50001"; it does not (2 of 3 samples failed)'
    })
  })

  it('fails with a reason when no sample was measured', async () => {
    expect(await runCheck({ type: 'contains', value: 'x' }, [])).toEqual({ type: 'contains', passed: false, message: 'no sample was measured' })
  })

  it('every registered check brings a schema for its fields', () => {
    for (const check of checkRegistry.values()) {
      for (const field of check.required) expect(check.properties).toHaveProperty(field)
    }
  })
})

describe('speed checks', () => {
  const speeds = (...rates: (number | null)[]) => repeats(...rates.map((r) => sample('x', { tokensPerSecond: r, tokensPerSecondSource: r === null ? null : 'server' })))

  it('passes on the median, so one slow sample does not fail the gate', async () => {
    expect(await runCheck({ type: 'tokens-per-second', min: 120 }, speeds(148.78, 90, 150))).toEqual({
      type: 'tokens-per-second',
      passed: true,
      message: 'median 148.8 tokens/s (server, 3 samples) ≥ floor 120.0'
    })
  })

  it('fails below the floor, saying what was seen and where it came from', async () => {
    const samples = speeds(95.2, 99)
    samples[1]!.tokensPerSecondSource = 'client'
    expect(await runCheck({ type: 'tokens-per-second', min: 120 }, samples)).toEqual({
      type: 'tokens-per-second',
      passed: false,
      message: 'median 97.10 tokens/s (client+server, 2 samples) is below the floor of 120.0 tokens/s'
    })
  })

  it('fails when no sample reported a rate', async () => {
    expect(await runCheck({ type: 'tokens-per-second', min: 120 }, speeds(null))).toMatchObject({
      passed: false,
      message: 'no sample reported a decode rate (floor 120.0 tokens/s)'
    })
  })

  it('holds time to first token to its ceiling', async () => {
    const samples = repeats(sample('x', { ttftMs: 1000 }), sample('x', { ttftMs: 1400 }))
    expect(await runCheck({ type: 'ttft', max: 1000 }, samples)).toEqual({
      type: 'ttft',
      passed: false,
      message: 'median time to first token 1200 ms (server, 2 samples) is above the ceiling of 1000 ms'
    })
    expect((await runCheck({ type: 'ttft', max: 1200 }, samples)).passed).toBe(true)
  })
})

describe('judgeCase and the speed floor', () => {
  const baseCase: SuiteCase = { id: 'c', messages: [{ role: 'user', content: 'p' }], repeat: 1, temperature: 0, maxTokens: 10, assertions: [{ type: 'contains', value: 'x' }], line: 1 }

  it("adds the suite's floor to cases that set none", () => {
    expect(assertionsWithFloor(baseCase, 100)).toEqual([
      { type: 'contains', value: 'x' },
      { type: 'tokens-per-second', min: 100 }
    ])
    expect(assertionsWithFloor(baseCase, undefined)).toEqual([{ type: 'contains', value: 'x' }])
  })

  it("keeps a case's own floor", () => {
    const own = { ...baseCase, assertions: [{ type: 'tokens-per-second', min: 120 }] }
    expect(assertionsWithFloor(own, 100)).toEqual([{ type: 'tokens-per-second', min: 120 }])
  })

  it('fails a case with a sample whose request failed, even if its checks pass on the rest', async () => {
    const samples = repeats(sample('x'), sample('x partial', { error: 'lost the connection to http://127.0.0.1:1/v1: ECONNRESET' }))
    const judged = await judgeCase('c', [{ type: 'contains', value: 'x' }], samples)
    expect(judged.passed).toBe(false)
    expect(judged.checks).toEqual([
      { type: 'request', passed: false, sample: 1, message: 'sample 2: lost the connection to http://127.0.0.1:1/v1: ECONNRESET' },
      { type: 'contains', passed: true, message: 'contains "x" (line 1)' }
    ])
  })
})
