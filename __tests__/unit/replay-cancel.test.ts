// A cancelled run: the request in flight stops at once, no other starts, and what was measured
// before is kept.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { replayCases, replayMore, type ReplayTarget } from '../../src/replay.js'
import type { SampleResult } from '../../src/results.js'
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js'
import { fixtureTarget, replayCase } from '../support/samples.js'

const suiteCase = replayCase({ repeat: 3 })

let server: FixtureServer
let target: ReplayTarget

beforeAll(async () => {
  server = await startFixtureServer()
})
afterAll(() => server.close())
beforeEach(() => {
  server.fault = 'none'
  server.faultTimes = Infinity
  server.chatLoadingUntil = 0
  // 23 events 20 ms apart: about half a second a request, long enough to cancel one mid-way.
  server.eventIntervalMs = 20
  server.chatRequests.length = 0
  target = fixtureTarget(server.url, { readyTimeoutMs: 60_000 })
})

/** Aborts `after` ms from now, and remembers when. */
function cancelLater(controller: AbortController, after: number): { abortedAt: () => number } {
  let at = NaN
  setTimeout(() => {
    at = performance.now()
    controller.abort()
  }, after)
  return { abortedAt: () => at }
}

const cancelledSample = {
  error: 'cancelled',
  errorKind: 'cancelled',
  tokensPerSecond: null,
  tokensPerSecondSource: null,
  ttftMs: null,
  ttftSource: null,
  server: null,
  client: expect.objectContaining({ ttftMs: null, tokensPerSecond: null })
}

describe('cancelling replay', () => {
  it('stops the sample in flight, starts no other, and keeps the ones measured', async () => {
    const controller = new AbortController()
    let abort: { abortedAt: () => number } | undefined
    const seen: SampleResult[] = []
    const outcome = await replayCases(target, [suiteCase, { ...suiteCase, id: 'never-reached' }], {
      signal: controller.signal,
      onSample: (_case, sample) => {
        seen.push(sample)
        // A fifth of the way into the second sample.
        if (seen.length === 1) abort = cancelLater(controller, 100)
      }
    })
    const returnedAt = performance.now()
    expect(returnedAt - abort!.abortedAt()).toBeLessThan(1000)
    expect(outcome.cancelled).toBe(true)
    expect(outcome.abortedBy).toBeUndefined()
    const [measured, cancelled, ...rest] = outcome.samples.get(suiteCase.id)!
    expect(rest).toEqual([])
    expect(measured!.error).toBeUndefined()
    expect(measured!.text.endsWith('    }\n}\n```\n')).toBe(true)
    expect(cancelled).toMatchObject({ index: 1, ...cancelledSample })
    expect(outcome.samples.get('never-reached')).toEqual([])
    // The warm-up and two samples: the third never started.
    expect(server.chatRequests).toHaveLength(3)
  })

  it('abandons a warm-up waiting for the model to load', async () => {
    server.chatLoadingUntil = Infinity
    const controller = new AbortController()
    const abort = cancelLater(controller, 300)
    const outcome = await replayCases(target, [suiteCase], { signal: controller.signal })
    expect(performance.now() - abort.abortedAt()).toBeLessThan(1000)
    expect(outcome).toEqual({ samples: new Map([[suiteCase.id, []]]), cancelled: true })
    expect(server.chatRequests.every((r) => r.max_tokens === 16)).toBe(true)
  })

  it('stops waiting to try a failed sample again', async () => {
    server.fault = 'server-error'
    const controller = new AbortController()
    const abort = cancelLater(controller, 200)
    const outcome = await replayMore(target, suiteCase, 0, 3, { signal: controller.signal })
    expect(performance.now() - abort.abortedAt()).toBeLessThan(1000)
    expect(outcome.cancelled).toBe(true)
    expect(outcome.samples).toEqual([expect.objectContaining({ index: 0, ...cancelledSample })])
    expect(server.chatRequests).toHaveLength(1)
  })

  it('starts nothing once the run is cancelled', async () => {
    const outcome = await replayMore(target, suiteCase, 2, 3, { signal: AbortSignal.abort() })
    expect(outcome).toEqual({ samples: [], cancelled: true })
    expect(server.chatRequests).toHaveLength(0)
  })
})
