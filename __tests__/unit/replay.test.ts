import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { clientDecodeRate, createClient, replayCases, replaySample, type ReplayTarget } from '../../src/replay.js'
import { connectDriver } from '../../src/server/connect.js'
import { normaliseBaseUrl, probeServer } from '../../src/server/probe.js'
import type { SuiteCase } from '../../src/suite/index.js'
import { recordingHost } from '../support/host.js'
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js'
import { closedPort } from '../support/ports.js'
import { fixtureTarget } from '../support/samples.js'

function connect(options: { baseUrl?: string }, readyTimeoutMs: number) {
  return connectDriver.start({ host: recordingHost(), options, server: { settings: {}, extraArgs: [] }, readyTimeoutMs, modelBaseDir: '.', suitePath: 'suite.yml' })
}

const JAVA_ANSWER_START = '```java\npublic Result updateUserStatus(Long userId, Integer activeFlag, Integer systemDeleteFlag) {\n'

const suiteCase = (overrides: Partial<SuiteCase> = {}): SuiteCase => ({
  id: 'update-user-status',
  messages: [
    { role: 'system', content: 'You are a senior Java developer.' },
    { role: 'user', content: 'Write updateUserStatus.' }
  ],
  repeat: 1,
  temperature: 0,
  seed: 42,
  maxTokens: 256,
  assertions: [],
  line: 1,
  ...overrides
})

let server: FixtureServer
let target: ReplayTarget

beforeAll(async () => {
  server = await startFixtureServer()
})
afterAll(() => server.close())
beforeEach(() => {
  server.fault = 'none'
  server.faultTimes = Infinity
  server.loadingAnswers = 0
  server.chatRequests.length = 0
  target = fixtureTarget(server.url)
})

describe('replaySample against real llama-server transcripts', () => {
  it('keeps the text, finish reason, usage and both sets of figures', async () => {
    const sample = await replaySample(createClient(target), target, suiteCase(), 0)
    expect(sample.error).toBeUndefined()
    expect(sample.text.startsWith(JAVA_ANSWER_START)).toBe(true)
    expect(sample.text.endsWith('    }\n}\n```\n')).toBe(true)
    expect(sample.text).toContain('return Result.error(50003, "ActiveFlag and SystemDeleteFlag must be 0 or 1");')
    expect(sample.finishReason).toBe('stop')
    expect(sample.usage).toEqual({ promptTokens: 267, completionTokens: 21 })
    // timings ride on the usage chunk: decode only, first token excluded.
    expect(sample.server).toEqual({
      tokensPerSecond: 5740.52812858783,
      ttftMs: 2.167,
      promptTokensPerSecond: 123211.81356714353,
      predictedTokens: 21,
      predictedMs: 3.484,
      promptTokens: 267,
      cachedTokens: 0
    })
    expect(sample.tokensPerSecond).toBe(5740.52812858783)
    // The raw counts and times are kept, so the rate can be recomputed from the results file.
    expect((sample.server!.predictedTokens! - 1) / (sample.server!.predictedMs! / 1000)).toBeCloseTo(5740.53, 1)
    expect(sample.tokensPerSecondSource).toBe('server')
    expect(sample.ttftSource).toBe('server')
    // 20 content deltas; the 21st token counted in usage is the end of generation.
    expect(sample.client.contentChunks).toBe(20)
    expect(sample.client.ttftMs).toBeGreaterThan(0)
    expect(sample.client.totalMs).toBeGreaterThanOrEqual(sample.client.ttftMs!)
  })

  it('asks for usage in the stream, the case sampling settings, and no prompt cache on llama.cpp', async () => {
    await replaySample(createClient(target), target, suiteCase({ topP: 0.9 }), 0)
    expect(server.chatRequests[0]).toEqual({
      model: 'good.gguf',
      messages: [
        { role: 'system', content: 'You are a senior Java developer.' },
        { role: 'user', content: 'Write updateUserStatus.' }
      ],
      temperature: 0,
      max_tokens: 256,
      seed: 42,
      top_p: 0.9,
      stream: true,
      stream_options: { include_usage: true },
      cache_prompt: false
    })
  })

  it('sends no llama.cpp-only field to other servers', async () => {
    await replaySample(createClient(target), { ...target, engine: 'lmstudio' }, suiteCase(), 0)
    expect(server.chatRequests[0]).not.toHaveProperty('cache_prompt')
  })

  it('keeps what arrived before the server died mid-stream, and says so once every retry died too', async () => {
    server.fault = 'die-mid-stream'
    const sample = await replaySample(createClient(target), target, suiteCase(), 0)
    expect(sample.text.startsWith(JAVA_ANSWER_START)).toBe(true)
    expect(sample.client.contentChunks).toBe(7)
    // Each request has a connection of its own, so the cut body ends with the connection's close.
    expect(sample.error).toBe(`the stream from ${target.baseUrl} ended after 8 chunks without a finish reason or [DONE]: the server may have died or a proxy cut it off`)
    expect(sample.errorKind).toBe('stream')
    expect(sample.retries).toBe(3)
    expect(server.chatRequests).toHaveLength(4)
    expect(sample.server).toBeNull()
  })

  it('gives up on a server that hangs, naming the URL', async () => {
    server.fault = 'hang'
    const sample = await replaySample(createClient({ ...target, requestTimeoutMs: 300 }), { ...target, requestTimeoutMs: 300 }, suiteCase(), 0)
    expect(sample.error).toBe(`no answer from ${target.baseUrl} within the request timeout (0.3 s)`)
    expect(sample.errorKind).toBe('timeout')
    expect(sample.text).toBe('')
  })

  it('cuts a stream that stalls after it started, keeping what arrived', async () => {
    server.fault = 'stall-mid-stream'
    const slow = { ...target, requestTimeoutMs: 1500 }
    const sample = await replaySample(createClient(slow), slow, suiteCase(), 0)
    expect(sample.error).toBe(`no answer from ${target.baseUrl} within the request timeout (1.5 s)`)
    expect(sample.text.startsWith(JAVA_ANSWER_START)).toBe(true)
    expect(sample.client.totalMs).toBeGreaterThanOrEqual(1400)
  })

  it('reports garbage in the stream as a failed sample, not a crash', async () => {
    server.fault = 'garbage'
    const sample = await replaySample(createClient(target), target, suiteCase(), 0)
    expect(sample.error).toMatch(new RegExp(`^the stream from ${target.baseUrl} broke off: `))
    expect(sample.errorKind).toBe('stream')
  })

  it("passes on the server's own error message", async () => {
    server.fault = 'bad-request'
    const sample = await replaySample(createClient(target), target, suiteCase(), 0)
    expect(sample.error).toBe(`${target.baseUrl} answered HTTP 400: Expected 'messages' to be an array`)
    expect(sample.errorKind).toBe('http')
  })
})

describe('clientDecodeRate', () => {
  const stream = { counted: 21, finishReason: 'stop', contentChunks: 20, contentReads: 20, firstAt: 1000, lastAt: 1190 }

  it('leaves out the first token and the unstreamed end of generation', () => {
    // 21 counted by the server, 20 streamed: 19 tokens after the first, in 190 ms.
    expect(clientDecodeRate(stream)).toEqual({ tokensPerSecond: 100 })
  })

  it('counts every token when the answer was cut at max-tokens', () => {
    expect(clientDecodeRate({ ...stream, counted: 20, finishReason: 'length' })).toEqual({ tokensPerSecond: 100 })
  })

  it('falls back to the chunks when the server gave no count, and gives no rate for one token', () => {
    expect(clientDecodeRate({ ...stream, counted: undefined })).toEqual({ tokensPerSecond: 100 })
    expect(clientDecodeRate({ ...stream, counted: 2, contentChunks: 1, contentReads: 1, lastAt: 1000 })).toEqual({
      tokensPerSecond: null,
      unavailable: 'fewer than two tokens streamed'
    })
  })

  it('takes a few tokens merged into one read, as llama-server merges a split character', () => {
    expect(clientDecodeRate({ ...stream, contentChunks: 10, contentReads: 10 }).tokensPerSecond).toBe(100)
  })

  it('gives no rate for tokens that came in fewer reads than one per two tokens', () => {
    expect(clientDecodeRate({ ...stream, contentReads: 9 })).toEqual({
      tokensPerSecond: null,
      unavailable: '20 tokens arrived in 9 network reads: the stream was buffered on the way'
    })
    expect(clientDecodeRate({ ...stream, counted: undefined, contentReads: 1, lastAt: 1000.2 })).toEqual({
      tokensPerSecond: null,
      unavailable: '20 tokens arrived in 1 network read: the stream was buffered on the way'
    })
  })
})

describe('replayCases', () => {
  it('warms up once, then takes every repeat of every case', async () => {
    const { samples, abortedBy } = await replayCases(target, [suiteCase({ repeat: 2 }), suiteCase({ id: 'second' })])
    expect(abortedBy).toBeUndefined()
    expect(samples.get('update-user-status')!.map((s) => s.index)).toEqual([0, 1])
    expect(samples.get('second')).toHaveLength(1)
    expect(server.chatRequests).toHaveLength(4)
    expect(server.chatRequests[0]!.max_tokens).toBe(16)
  })

  it('stops at a failed warm-up with the reason', async () => {
    server.fault = 'bad-request'
    const { samples, abortedBy } = await replayCases(target, [suiteCase()])
    expect(abortedBy).toBe(`warm-up request failed: ${target.baseUrl} answered HTTP 400: Expected 'messages' to be an array`)
    expect(samples.get('update-user-status')).toEqual([])
  })
})

describe('probeServer and connect', () => {
  it('adds /v1 to a bare server URL and keeps a given path', () => {
    expect(normaliseBaseUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/v1')
    expect(normaliseBaseUrl('http://127.0.0.1:1234/v1/')).toBe('http://127.0.0.1:1234/v1')
    expect(normaliseBaseUrl('https://gpu.internal/llm/v1')).toBe('https://gpu.internal/llm/v1')
    expect(() => normaliseBaseUrl('localhost:8080')).toThrow("base-url 'localhost:8080' must be http:// or https://")
    expect(() => normaliseBaseUrl('not a url')).toThrow("base-url 'not a url' is not a URL (expected e.g. http://127.0.0.1:8080/v1)")
  })

  it('recognises llama-server by its /props build, waiting while it loads', async () => {
    server.loadingAnswers = 3
    const info = await probeServer(`${server.url}/v1`, undefined, 10_000)
    expect(info).toEqual({ engine: 'llama.cpp', build: 'b1-80fb11a', loadedModels: ['good.gguf'] })
  })

  it('names the URL and the time waited when the server stays loading', async () => {
    server.loadingAnswers = 1000
    await expect(probeServer(`${server.url}/v1`, undefined, 1200)).rejects.toThrow(
      `the model server at ${server.url}/v1 was still loading after 1 s (503 from ${server.url}/v1/models)`
    )
  })

  it('names the URL of a server that is not there, within the server timeout when that is shorter', async () => {
    const closed = await closedPort()
    await expect(connect({ baseUrl: `http://127.0.0.1:${closed}/v1` }, 600)).rejects.toThrow(
      `nothing is listening at http://127.0.0.1:${closed}/v1 (connection refused for 1 s): is the model server running, and is ${closed} its port?`
    )
  })

  it('uses the one model the server serves, and reports what it found', async () => {
    const session = await connect({ baseUrl: server.url }, 2000)
    expect(session.model).toBe('good.gguf')
    expect(session.report()).toEqual({ backend: 'connect', engine: 'llama.cpp', baseUrl: `${server.url}/v1`, model: 'good.gguf', settings: {}, build: 'b1-80fb11a' })
  })

  it('needs a base URL', async () => {
    await expect(connect({}, 600)).rejects.toThrow(
      "server 'connect' needs a base URL: set the input 'base-url' or server.base-url in the suite"
    )
  })
})
