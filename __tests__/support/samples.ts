import type { ReplayTarget } from '../../src/replay.js'
import type { CaseResult, RunResults, SampleResult } from '../../src/results.js'
import type { SuiteCase } from '../../src/suite/index.js'

/** A measured sample as replay makes it; figures default to a server-reported run. */
export function sample(text: string, overrides: Partial<SampleResult> = {}): SampleResult {
  return {
    index: 0,
    text,
    finishReason: 'stop',
    usage: { promptTokens: 20, completionTokens: 40 },
    tokensPerSecond: 150,
    tokensPerSecondSource: 'server',
    ttftMs: 120,
    ttftSource: 'server',
    server: { tokensPerSecond: 150, ttftMs: 120 },
    client: { ttftMs: 130, tokensPerSecond: 140, totalMs: 400, contentChunks: 39 },
    ...overrides
  }
}

/** Samples numbered 0..n-1, as repeats of one case. */
export function repeats(...items: SampleResult[]): SampleResult[] {
  return items.map((s, index) => ({ ...s, index }))
}

export function caseResult(id: string, samples: SampleResult[], checks: CaseResult['checks'] = []): CaseResult {
  return { id, passed: checks.every((c) => c.passed), checks, samples, tokensPerSecond: samples[0]?.tokensPerSecond ?? null, ttftMs: samples[0]?.ttftMs ?? null }
}

export function runResults(cases: CaseResult[], overrides: Partial<RunResults> = {}): RunResults {
  const passed = cases.every((c) => c.passed)
  return {
    schemaVersion: 1,
    passed,
    reason: passed ? `All ${cases.length} cases passed.` : 'Failed: some',
    suite: { path: 'examples/suite.yml', name: 'user status' },
    startedAt: '2026-11-30T10:00:00.000Z',
    finishedAt: '2026-11-30T10:01:00.000Z',
    server: { backend: 'connect', engine: 'llama.cpp', baseUrl: 'http://127.0.0.1:8080/v1', model: 'good.gguf', settings: { 'context-length': 8192 }, build: 'b1-80fb11a' },
    cases,
    tokensPerSecond: 150,
    speedSource: 'server',
    errors: [],
    environment: { modelgateVersion: '0.1.0', node: 'v24.0.0', platform: 'linux', arch: 'x64' },
    ...overrides
  }
}

/** The case replay tests send: the seed's task, one sample, temperature 0. */
export function replayCase(overrides: Partial<SuiteCase> = {}): SuiteCase {
  return {
    id: 'update-user-status',
    messages: [{ role: 'user', content: 'Write updateUserStatus.' }],
    repeat: 1,
    temperature: 0,
    maxTokens: 256,
    assertions: [],
    line: 1,
    ...overrides
  }
}

/** Where replay tests send it: a fixture server (or a stand-in in front of one), as llama.cpp. */
export function fixtureTarget(url: string, overrides: Partial<ReplayTarget> = {}): ReplayTarget {
  return { baseUrl: `${url}/v1`, apiKey: '', model: 'good.gguf', engine: 'llama.cpp', requestTimeoutMs: 5000, ...overrides }
}
