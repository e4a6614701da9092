// A run beside its baseline, as the reviewer reads it: which checks newly fail, which were fixed,
// which still fail; whether speed moved; whether the answer drifted; and what the gate decides.
import { describe, expect, it } from '@jest/globals'
import { compareRuns } from '../../src/compare/index.js'
import type { BaselineInfo } from '../../src/compare/types.js'
import { verdictOf } from '../../src/gate.js'
import { renderReport } from '../../src/report.js'
import type { CheckResult, RunResults } from '../../src/results.js'
import { caseResult, repeats, runResults, sample } from '../support/samples.js'

const machine = { gpus: [{ name: 'NVIDIA GeForce RTX 4090', memoryMiB: 24564 }], cpu: 'AMD EPYC', cores: 16, memoryBytes: 64 * 1024 ** 3, os: 'Ubuntu', platform: 'linux', arch: 'x64' }
const fingerprint = { machine, machineHash: 'm1' }
const info: BaselineInfo = { source: 'cache', from: 'modelgate-baseline-v1-abc-m1-41-1', sha: 'fedcba9876543210', ref: 'refs/heads/main', runUrl: 'https://github.com/acme/models/actions/runs/41', finishedAt: '2026-11-30T10:01:00.000Z' }

const check = (type: string, passed: boolean, message = `${type} ${passed ? 'ok' : 'failed'}`): CheckResult => ({ type, passed, message })
const rates = (...values: number[]) => repeats(...values.map((tokensPerSecond) => sample('```java\nreturn ok;\n```\n', { tokensPerSecond, ttftMs: 100 })))

function run(cases: ReturnType<typeof caseResult>[], overrides: Partial<RunResults> = {}): RunResults {
  return runResults(cases, { fingerprint, ...overrides })
}

const options = { maxSpeedRegressionPercent: 5 }
const gate = (current: RunResults, comparison: ReturnType<typeof compareRuns>, failOn: 'any' | 'new-failures' = 'any') =>
  verdictOf(current.cases, current.errors, comparison, { failOn, failOnInconclusive: false })

describe('quality against the baseline', () => {
  const baseline = run([caseResult('a', rates(150), [check('error-codes', true), check('regex', false), check('contains', false)]), caseResult('gone', rates(150))])
  const current = run([
    caseResult('a', rates(150), [check('error-codes', false, '50003 appears only inside catch (line 9)'), check('regex', false), check('contains', true)]),
    caseResult('added', rates(150), [check('regex', false)])
  ])
  const comparison = compareRuns(current, baseline, info, options)

  it('names each check newly failing, still failing or fixed, and the cases added and removed', () => {
    expect(comparison.baseline).toBe('found')
    expect(comparison.cases[0]!.checks.map((c) => [c.type, c.delta])).toEqual([
      ['error-codes', 'new-failure'],
      ['regex', 'known-failure'],
      ['contains', 'fixed']
    ])
    expect(comparison.cases[1]).toMatchObject({ id: 'added', isNew: true, checks: [{ type: 'regex', delta: 'new-failure' }] })
    expect(comparison.removedCases).toEqual(['gone'])
    expect(comparison.regressions).toBe(2)
  })

  it('fails on every failing check by default, and only on new ones with fail-on: new-failures', () => {
    expect(gate(current, comparison).reason).toBe('Failed: a (error-codes, regex); added (regex)')
    const onlyNew = gate(current, comparison, 'new-failures')
    expect(onlyNew).toEqual({ passed: false, reason: 'Failed: a (error-codes); added (regex). Known failures, also failing in the baseline: a (regex).', failureKind: 'quality' })
    const knownOnly = run([caseResult('a', rates(150), [check('error-codes', true), check('regex', false), check('contains', false)])])
    expect(gate(knownOnly, compareRuns(knownOnly, baseline, info, options), 'new-failures')).toEqual({
      passed: true,
      reason: 'No new failures. Known failures, also failing in the baseline: a (regex, contains).'
    })
  })

  it('leads the report with the regressions and says what it compared with', () => {
    const body = renderReport({ ...current, comparison, passed: false, reason: gate(current, comparison).reason })
    const regressions = body.indexOf('**2 regressions against the baseline:**')
    expect(regressions).toBeGreaterThan(0)
    expect(regressions).toBeLessThan(body.indexOf('| Case |'))
    expect(body).toContain('- ❌ a · `error-codes` newly failing: 50003 appears only inside catch (line 9)')
    expect(body).toContain('Compared with main at `fedcba9`, 2026-11-30 10:01 UTC ([run](https://github.com/acme/models/actions/runs/41)), from the Actions cache.')
    expect(body).toContain('No longer in the suite: gone.')
    expect(body).toContain('| Case | Result | Decode tokens/s | Time to first token (ms) | Samples | Against the baseline | Failed checks |')
    expect(body).toMatch(/\| a \| ❌ fail \| 150\.0 \| 100\.0 \| 1 \| ❌ 1 newly failing, ✅ 1 fixed, 1 still failing \|/)
    expect(body).toMatch(/\| added \| ❌ fail \| .* \| new case \|/)
  })
})

describe('speed against the baseline', () => {
  const speedCase = (...values: number[]) => caseResult('fast', rates(...values), [check('tokens-per-second', true)])
  const baseline = run([speedCase(150, 151, 149, 150.5, 149.5)])

  it('calls a confirmed 20% drop slower, fails the gate and draws both in a chart', () => {
    const current = run([speedCase(120, 121, 119, 120.5, 119.5)])
    const comparison = compareRuns(current, baseline, info, options)
    const speed = comparison.cases[0]!.tokensPerSecond!
    expect(speed.verdict).toBe('slower')
    expect(speed.changePercent).toBeCloseTo(-20, 0)
    expect(speed.baseline).toBe(150)
    expect(comparison.regressions).toBe(1)
    const verdict = gate(current, comparison)
    expect(verdict.passed).toBe(false)
    expect(verdict.reason).toMatch(/^Failed: fast \(tokens\/s −20\.0% .*p = /)
    const body = renderReport({ ...current, comparison, ...verdict })
    expect(body).toMatch(/\| fast \| ✅ pass \| 120\.0 \(119\.0–121\.0\) \(−20\.0% vs baseline, p = 0\.\d+ ❌\) \|/)
    expect(body).toContain('```mermaid\nxychart-beta\n    title "Decode tokens/s: baseline (bars), this run (line)"\n    x-axis ["fast"]\n    y-axis "tokens/s"\n    bar [150]\n    line [120]\n```')
  })

  it('finds no regression in the same figures, and leaves a too-small baseline undecided', () => {
    const same = run([speedCase(150.2, 150.7, 149.2, 150.1, 149.9)])
    const comparison = compareRuns(same, baseline, info, options)
    expect(comparison.cases[0]!.tokensPerSecond!.verdict).not.toBe('slower')
    expect(gate(same, comparison).passed).toBe(true)
    const tiny = compareRuns(same, run([speedCase(150)]), info, options)
    expect(tiny.cases[0]!.tokensPerSecond!.verdict).toBe('inconclusive')
    expect(tiny.inconclusive).toBe(1)
    expect(verdictOf(same.cases, [], tiny, { failOn: 'any', failOnInconclusive: true }).passed).toBe(false)
    expect(gate(same, tiny).reason).toBe('All 1 case passed. 1 speed comparison stayed inconclusive.')
  })
})

describe('answer drift and comparability', () => {
  it('diffs an answer that changed, fenced so it cannot break the comment', () => {
    const before = run([caseResult('a', repeats(sample('if (userId == null) {\n  return error(50001);\n}\n')))])
    const after = run([caseResult('a', repeats(sample('if (userId == null) {\n  return error(50002); // ``` @octocat\n}\n')))])
    const comparison = compareRuns(after, before, info, options)
    expect(comparison.cases[0]!.answer!.changed).toBe(true)
    expect(comparison.cases[0]!.answer!.diff).toContain('-  return error(50001);\n+  return error(50002); // ``` @octocat')
    const body = renderReport({ ...after, comparison })
    expect(body).toContain("<summary>The answer changed from the baseline's</summary>\n\n````diff\n")
    // Inside code a mention notifies no one, so the answer shows as the model wrote it.
    expect(body).toContain('+  return error(50002); // ``` @octocat\n')
    expect(compareRuns(before, before, info, options).cases[0]!.answer).toEqual({ changed: false })
  })

  it('refuses to compare runs from different machines, and says why', () => {
    const elsewhere = run([caseResult('a', rates(150), [check('regex', false)])], { fingerprint: { machineHash: 'm2', machine: { ...machine, gpus: [{ name: 'NVIDIA A100-SXM4-80GB', memoryMiB: 81920 }] } } })
    const comparison = compareRuns(elsewhere, run([caseResult('a', rates(150), [check('regex', true)])]), info, options)
    expect(comparison).toMatchObject({ baseline: 'not-comparable', regressions: 0, cases: [] })
    expect(comparison.note).toBe('not comparable: GPU changed from NVIDIA GeForce RTX 4090 24 GiB to NVIDIA A100-SXM4-80GB 80 GiB')
    expect(gate(elsewhere, comparison, 'new-failures').reason).toBe('Failed: a (regex)')
    expect(renderReport({ ...elsewhere, comparison })).toContain('_Not comparable: GPU changed from NVIDIA GeForce RTX 4090 24 GiB to NVIDIA A100-SXM4-80GB 80 GiB; the absolute checks decide._')
  })
})
