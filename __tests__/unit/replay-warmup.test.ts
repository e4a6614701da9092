// The warm-up against a server that lists its model before it can answer with it: chat answers
// 503 "Loading model" for a while, and the warm-up waits, saying so, up to the server timeout.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { replayCases, type ReplayTarget } from '../../src/replay.js'
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js'
import { fixtureTarget, replayCase } from '../support/samples.js'

const suiteCase = replayCase()

let server: FixtureServer
let target: ReplayTarget
let lines: string[]

beforeAll(async () => {
  server = await startFixtureServer()
})
afterAll(() => server.close())
beforeEach(() => {
  server.chatLoadingUntil = 0
  server.chatRequests.length = 0
  lines = []
  target = fixtureTarget(server.url, { readyTimeoutMs: 60_000 })
})

const onWait = (message: string) => void lines.push(message)

describe('the warm-up while the server loads its model', () => {
  it('waits through 503 "Loading model", says so once, then measures', async () => {
    server.chatLoadingUntil = Date.now() + 2000
    const startedAt = performance.now()
    const { samples, abortedBy } = await replayCases(target, [suiteCase], { onWait })
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(2000)
    expect(abortedBy).toBeUndefined()
    expect(samples.get(suiteCase.id)).toHaveLength(1)
    expect(samples.get(suiteCase.id)![0]!.error).toBeUndefined()
    expect(lines).toEqual([`${target.baseUrl} answered HTTP 503: Loading model; waiting up to 60 s for the model to load`])
    // The warm-up asked about once a second, then the sample was taken once.
    const warmUps = server.chatRequests.filter((r) => r.max_tokens === 16)
    expect(warmUps.length).toBeGreaterThanOrEqual(3)
    expect(warmUps.length).toBeLessThanOrEqual(5)
    expect(server.chatRequests.filter((r) => r.max_tokens === 256)).toHaveLength(1)
  })

  it('gives up at the server timeout, saying how long it waited', async () => {
    server.chatLoadingUntil = Infinity
    const startedAt = performance.now()
    const { samples, abortedBy } = await replayCases({ ...target, readyTimeoutMs: 2000 }, [suiteCase], { onWait })
    const took = performance.now() - startedAt
    expect(abortedBy).toBe(`warm-up request failed: ${target.baseUrl} answered HTTP 503: Loading model, still after 2 s of waiting for the model to load`)
    expect(samples.get(suiteCase.id)).toEqual([])
    expect(took).toBeGreaterThanOrEqual(2000)
    expect(took).toBeLessThan(3000)
  })

  it('says every 15 s that it still waits', async () => {
    server.chatLoadingUntil = Date.now() + 16_500
    const { abortedBy } = await replayCases(target, [suiteCase], { onWait })
    expect(abortedBy).toBeUndefined()
    expect(lines).toEqual([
      `${target.baseUrl} answered HTTP 503: Loading model; waiting up to 60 s for the model to load`,
      `${target.baseUrl} answered HTTP 503: Loading model; waited 15 s of up to 60 s for the model to load`
    ])
  }, 25_000)
})
