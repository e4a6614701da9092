// Replay against a server that fails on cue: which faults are tried again and how the sample
// says so, answers that are not a finished stream, and when the client's clock can time decoding.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createClient, replayMore, replaySample, type ReplayTarget } from '../../src/replay.js'
import { BAD_PORT_BASE_URL, refusedBaseUrl, startFixtureServer, type FixtureServer } from '../support/fixture-server.js'
import { fixtureTarget, replayCase } from '../support/samples.js'

const suiteCase = replayCase()

let server: FixtureServer
let target: ReplayTarget

beforeAll(async () => {
  server = await startFixtureServer()
})
afterAll(() => server.close())
beforeEach(() => {
  server.fault = 'none'
  server.faultAfter = 0
  server.faultTimes = Infinity
  server.eventIntervalMs = 0
  server.chatRequests.length = 0
  target = fixtureTarget(server.url)
})

const sample = () => replaySample(createClient(target), target, suiteCase, 0)

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const startedAt = performance.now()
  const result = await run()
  return { result, ms: performance.now() - startedAt }
}

describe('a fault that may pass is tried again', () => {
  it('takes a sample whose first try got HTTP 500, timed on the try that worked', async () => {
    server.fault = 'server-error'
    server.faultTimes = 1
    const { result, ms } = await timed(sample)
    expect(result.error).toBeUndefined()
    expect(result.retries).toBe(1)
    expect(server.chatRequests).toHaveLength(2)
    // Half a second passed before the second try; none of it is in the sample's own time.
    expect(ms).toBeGreaterThanOrEqual(500)
    expect(result.client.totalMs).toBeLessThan(500)
    expect(result.server?.tokensPerSecond).toBe(5740.52812858783)
  })

  it('keeps none of a broken first try: its text and chunks are the try that worked', async () => {
    server.fault = 'die-mid-stream'
    server.faultTimes = 1
    const result = await sample()
    expect(result.error).toBeUndefined()
    expect(result.retries).toBe(1)
    expect(result.client.contentChunks).toBe(20)
    expect(result.text.endsWith('    }\n}\n```\n')).toBe(true)
    expect(result.finishReason).toBe('stop')
  })

  it('tries again after 503 "Loading model" and a connection dropped before the answer', async () => {
    server.fault = 'loading'
    server.faultTimes = 2
    const loaded = await sample()
    expect(loaded.error).toBeUndefined()
    expect(loaded.retries).toBe(2)

    server.fault = 'drop-connection'
    server.faultTimes = 1
    const reconnected = await sample()
    expect(reconnected.error).toBeUndefined()
    expect(reconnected.retries).toBe(1)
  })

  it('gives up after three retries, 0.5 s, 1 s and 2 s apart, keeping the last error', async () => {
    server.fault = 'server-error'
    const { result, ms } = await timed(sample)
    expect(result.error).toBe(`${target.baseUrl} answered HTTP 500: failed to decode the batch`)
    expect(result.errorKind).toBe('http')
    expect(result.retries).toBe(3)
    expect(server.chatRequests).toHaveLength(4)
    expect(ms).toBeGreaterThanOrEqual(3500)
    expect(ms).toBeLessThan(5000)
  })

  it('stops the run at a server that refuses every try', async () => {
    const refused = { ...target, baseUrl: await refusedBaseUrl() }
    const { samples, abortedBy } = await replayMore(refused, suiteCase, 0, 3)
    expect(samples).toHaveLength(1)
    expect(samples[0]).toMatchObject({ error: `lost the connection to ${refused.baseUrl}: ECONNREFUSED`, errorKind: 'connection', retries: 3 })
    expect(abortedBy).toBe(samples[0]!.error)
  })
})

describe('a fault that would only repeat is not tried again', () => {
  it('does not retry a 4xx', async () => {
    server.fault = 'bad-request'
    const result = await sample()
    expect(result.errorKind).toBe('http')
    expect(result.retries).toBeUndefined()
    expect(server.chatRequests).toHaveLength(1)
  })

  it('does not retry a timeout, which would cost another full request timeout', async () => {
    server.fault = 'hang'
    target.requestTimeoutMs = 300
    const result = await sample()
    expect(result.errorKind).toBe('timeout')
    expect(result.retries).toBeUndefined()
    expect(server.chatRequests).toHaveLength(1)
  })

  it('says at once that fetch refuses a bad port', async () => {
    const bad = { ...target, baseUrl: BAD_PORT_BASE_URL }
    const { result, ms } = await timed(() => replaySample(createClient(bad), bad, suiteCase, 0))
    expect(result.error).toBe("port 6000 is on the fetch standard's list of bad ports, which Node's fetch refuses to connect to; run the server on another port")
    expect(result.errorKind).toBe('connection')
    expect(ms).toBeLessThan(500)
  })
})

describe('an answer that is not a finished stream fails its sample', () => {
  it('says what arrived when a 200 is plain text', async () => {
    server.fault = 'plain-text'
    const result = await sample()
    expect(result.errorKind).toBe('stream')
    expect(result.error).toBe(
      `the answer from ${target.baseUrl} is not an event stream: content-type text/plain, starting ` +
        'Access to this service requires authentication. Please sign in through the company gateway at https://gateway.example.internal/login and try again. If you believe you are seeing this page in error, co…'
    )
    expect(result.tokensPerSecond).toBeNull()
  })

  it('says the server ignored stream: true when it answered a JSON chat completion', async () => {
    server.fault = 'json-body'
    const result = await sample()
    expect(result.errorKind).toBe('stream')
    expect(result.error).toMatch(
      new RegExp(`^the answer from ${target.baseUrl} is not an event stream \\(the server ignored stream: true\\): content-type application/json; charset=utf-8, starting \\{ "choices": \\[ \\{ "finish_reason": "stop",`)
    )
  })

  it('fails a stream that ended with neither a finish reason nor [DONE]', async () => {
    server.fault = 'cut-stream'
    const result = await sample()
    expect(result.errorKind).toBe('stream')
    expect(result.error).toBe(
      `the stream from ${target.baseUrl} ended after 8 chunks without a finish reason or [DONE]: the server may have died or a proxy cut it off`
    )
    expect(result.text.length).toBeGreaterThan(0)
    // Tried again as a reset is: on a connection of its own, a server that died ends the body so.
    expect(result.retries).toBe(3)
  })

  it('takes a finish reason without [DONE], and [DONE] without a finish reason', async () => {
    server.fault = 'no-done'
    const noDone = await sample()
    expect(noDone.error).toBeUndefined()
    expect(noDone.finishReason).toBe('stop')

    server.fault = 'no-finish-reason'
    const noFinish = await sample()
    expect(noFinish.error).toBeUndefined()
    expect(noFinish.finishReason).toBeNull()
    expect(noFinish.client.contentChunks).toBe(20)
  })
})

describe('the client times decoding only when the stream came token by token', () => {
  it('gives a client rate for events written as a server decodes them', async () => {
    server.eventIntervalMs = 5
    const result = await sample()
    expect(result.error).toBeUndefined()
    expect(result.client.unavailable).toBeUndefined()
    // 19 tokens after the first, one each 5 ms: about 200 tokens/s (timers may fire a little early).
    expect(result.client.tokensPerSecond).toBeGreaterThan(20)
    expect(result.client.tokensPerSecond).toBeLessThanOrEqual(250)
  })

  it('gives none for a whole stream that came in one write', async () => {
    const result = await sample()
    expect(result.client.tokensPerSecond).toBeNull()
    expect(result.client.unavailable).toMatch(/^20 tokens arrived in [1-9] network reads?: the stream was buffered on the way$/)
    // The server's own figure still stands.
    expect(result.tokensPerSecondSource).toBe('server')
  })

  it('gives none when every content delta came in one chunk', async () => {
    server.fault = 'one-chunk'
    server.eventIntervalMs = 5
    const result = await sample()
    expect(result.error).toBeUndefined()
    expect(result.client.contentChunks).toBe(1)
    expect(result.text.endsWith('    }\n}\n```\n')).toBe(true)
    expect(result.client).toMatchObject({ tokensPerSecond: null, unavailable: '20 tokens arrived in 1 network read: the stream was buffered on the way' })
  })
})
