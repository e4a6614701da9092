// Concurrent replay: the cases without a speed check share the server, up to `concurrency`
// samples at once (by default the server's slots); a speed case's samples run with nothing else
// in flight. A watching proxy in front of the fixture server sees every request come and go, so
// what is asserted is what the server saw; cancelling and a server that goes away still stop it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtemp, writeFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parseRunOptions } from '../../src/options.js'
import { runPipeline } from '../../src/pipeline.js'
import { replayCases, type ReplayTarget } from '../../src/replay.js'
import { renderReport } from '../../src/report.js'
import type { SuiteCase } from '../../src/suite/index.js'
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js'
import { recordingHost } from '../support/host.js'
import { fixtureTarget } from '../support/samples.js'

/** One chat request as the proxy saw it, in the order they came: the case's prompt, and when it came and went. */
interface Seen {
  prompt: string
  start: number
  end: number
}

interface WatchingProxy {
  url: string
  seen: Seen[]
  /** Most chat requests in flight at once. */
  most: number
  /** The slot count /props reports, in place of the fixture's 1. */
  slots: number
  close(): Promise<void>
}

/** Forwards to the fixture server chunk by chunk, noting each chat request's time in flight. */
async function startWatchingProxy(upstream: string): Promise<WatchingProxy> {
  let inFlight = 0
  const proxy: WatchingProxy = { url: '', seen: [], most: 0, slots: 1, close: async () => {} }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const body = Buffer.concat(chunks)
      const chat = req.url === '/v1/chat/completions'
      const messages = chat ? (JSON.parse(body.toString('utf8')) as { messages: { content: string }[] }).messages : []
      const seen: Seen = { prompt: messages.at(-1)?.content ?? '', start: performance.now(), end: NaN }
      if (chat) {
        proxy.most = Math.max(proxy.most, ++inFlight)
        proxy.seen.push(seen)
      }
      try {
        const answer = await fetch(`${upstream}${req.url}`, { method: req.method, headers: { 'content-type': 'application/json' }, ...(req.method === 'POST' ? { body } : {}) })
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' })
        if (req.url === '/props') return void res.end(JSON.stringify({ ...((await answer.json()) as object), total_slots: proxy.slots }))
        for await (const chunk of answer.body ?? []) res.write(chunk)
        res.end()
      } catch {
        res.destroy()
      } finally {
        if (chat) {
          inFlight--
          seen.end = performance.now()
        }
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  proxy.close = () => new Promise((resolve) => server.close(() => resolve()))
  return proxy
}

/** Requests whose time in flight overlapped `one`'s. */
const overlapping = (one: Seen, all: readonly Seen[]) => all.filter((other) => other !== one && other.start < one.end && one.start < other.end)

let fixture: FixtureServer
let proxy: WatchingProxy
let workspace: string

beforeAll(async () => {
  fixture = await startFixtureServer()
  proxy = await startWatchingProxy(fixture.url)
  workspace = await mkdtemp(path.join(os.tmpdir(), 'modelgate-concurrency-'))
})
afterAll(async () => {
  await proxy.close()
  await fixture.close()
})
beforeEach(() => {
  fixture.fault = 'none'
  fixture.faultAfter = 0
  fixture.faultTimes = Infinity
  // 23 events 10 ms apart: a quarter of a second a request, long enough to overlap.
  fixture.eventIntervalMs = 10
  proxy.seen.length = 0
  proxy.most = 0
  proxy.slots = 1
})

/** Six cases without a speed check and two with one, each asked twice. */
const MIXED = `name: mixed
server:
  backend: connect
defaults:
  repeat: 2
cases:
${['q1', 'q2', 'q3']
  .map((id) => `  - id: ${id}\n    prompt: quality ${id}\n    assert:\n      - type: contains\n        value: Result.error`)
  .join('\n')}
  - id: speed-1
    prompt: speed speed-1
    assert:
      - type: tokens-per-second
        min: 1
${['q4', 'q5', 'q6'].map((id) => `  - id: ${id}\n    prompt: quality ${id}`).join('\n')}
  - id: speed-2
    prompt: speed speed-2
    assert:
      - type: ttft
        max: 100000
`

async function runMixed(values: Record<string, string>) {
  await writeFile(path.join(workspace, 'mixed.yml'), MIXED)
  const host = recordingHost('action', workspace)
  const all = { suite: 'mixed.yml', 'base-url': proxy.url, 'request-timeout': '30', ...values }
  const results = await runPipeline(parseRunOptions((name) => all[name as keyof typeof all] ?? '', (name) => `input '${name}'`), host)
  // The warm-up is not a sample.
  const measured = proxy.seen.slice(1)
  return { host, results, measured, report: renderReport(results) }
}

describe('concurrent replay', () => {
  it('runs the cases without a speed check up to concurrency at once, and every speed sample alone', async () => {
    const { host, results, measured, report } = await runMixed({ concurrency: '3' })

    expect(results.passed).toBe(true)
    expect(proxy.most).toBe(3)
    const speed = measured.filter((r) => r.prompt.startsWith('speed'))
    expect(speed).toHaveLength(4)
    for (const one of speed) expect([one.prompt, overlapping(one, proxy.seen).length]).toEqual([one.prompt, 0])
    expect(measured.filter((r) => r.prompt.startsWith('quality')).some((one) => overlapping(one, proxy.seen).length >= 2)).toBe(true)

    // Every case keeps its samples in order, and the results keep the suite's order.
    expect(results.cases.map((c) => [c.id, c.samples.map((s) => s.index)])).toEqual(
      ['q1', 'q2', 'q3', 'speed-1', 'q4', 'q5', 'q6', 'speed-2'].map((id) => [id, [0, 1]])
    )
    // One progress line per sample, each naming its case, however they interleave.
    for (const id of ['q1', 'q6', 'speed-2']) expect(host.lines.filter((line) => line.startsWith(`${id} sample `))).toHaveLength(2)
    expect(host.lines).toContain('Up to 3 samples at a time for the 6 cases without a speed check; each sample of the 2 speed cases alone')
    expect(results.schedule).toEqual({ concurrency: 3, concurrencySource: 'option', aloneCases: 2, sharedCases: 6 })
    expect(report).toContain(
      '_Up to 3 samples ran at once (as `concurrency` asks) for the 6 cases without a speed check, whose figures were taken sharing the server; each sample of the 2 speed cases ran alone, with nothing else in flight._'
    )
  }, 30_000)

  it("takes the server's slot count when concurrency is not given", async () => {
    proxy.slots = 4
    const { results, report } = await runMixed({})
    expect(results.schedule).toEqual({ concurrency: 4, concurrencySource: 'server', aloneCases: 2, sharedCases: 6 })
    expect(proxy.most).toBe(4)
    expect(report).toContain("_Up to 4 samples ran at once (the server's 4 slots) for the 6 cases")
  }, 30_000)

  it('replays one sample at a time on a server with one slot, and says so', async () => {
    const { results, measured, report } = await runMixed({})
    expect(proxy.most).toBe(1)
    expect(measured.map((r) => r.prompt.split(' ')[1])).toEqual(['q1', 'q1', 'q2', 'q2', 'q3', 'q3', 'speed-1', 'speed-1', 'q4', 'q4', 'q5', 'q5', 'q6', 'q6', 'speed-2', 'speed-2'])
    expect(results.schedule).toEqual({ concurrency: 1, concurrencySource: 'server', aloneCases: 2, sharedCases: 6 })
    expect(report).toContain("_Samples ran one at a time (concurrency 1: the server's one slot)._")
  }, 30_000)

  it('shares nothing when a suite floor gives every case a speed check', async () => {
    const { results, report } = await runMixed({ concurrency: '4', 'min-tokens-per-second': '1' })
    expect(proxy.most).toBe(1)
    expect(results.schedule).toEqual({ concurrency: 4, concurrencySource: 'option', aloneCases: 8, sharedCases: 0 })
    expect(report).toContain('_Samples ran one at a time: every case has a speed check, and those run alone (concurrency 4, as `concurrency` asks, is for cases without one)._')
  }, 30_000)
})

const quality = (id: string, repeat = 2): SuiteCase => ({ id, messages: [{ role: 'user', content: `quality ${id}` }], repeat, temperature: 0, maxTokens: 64, assertions: [], line: 1 })

describe('concurrent replay that stops early', () => {
  let target: ReplayTarget
  beforeEach(() => {
    target = fixtureTarget(proxy.url, { readyTimeoutMs: 10_000 })
  })
  const together = { concurrency: 3, runsAlone: () => false }

  it('stops every sample in flight when cancelled, and starts no other', async () => {
    const controller = new AbortController()
    const cases = ['a', 'b', 'c', 'd'].map((id) => quality(id, 3))
    // The warm-up and a first round take about half a second: cancelled in the second round.
    let cancelledAt = NaN
    setTimeout(() => {
      cancelledAt = performance.now()
      controller.abort()
    }, 650)
    const outcome = await replayCases(target, cases, { signal: controller.signal }, undefined, together)
    expect(outcome.cancelled).toBe(true)
    expect(performance.now() - cancelledAt).toBeLessThan(100)
    const samples = [...outcome.samples.values()].flat()
    expect(samples.length).toBeLessThan(12)
    // The three in flight were cut off; the ones before were measured.
    expect(samples.filter((s) => s.errorKind === 'cancelled')).toHaveLength(3)
    expect(samples.filter((s) => !s.error).length).toBeGreaterThan(0)
    const requests = proxy.seen.length
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(proxy.seen.length).toBe(requests)
  }, 30_000)

  it('starts no other sample once the server is gone, and keeps what was measured', async () => {
    fixture.fault = 'drop-connection'
    // The warm-up and four samples go through; then every connection is dropped.
    fixture.faultAfter = 5
    const outcome = await replayCases(target, ['a', 'b', 'c', 'd', 'e'].map((id) => quality(id)), {}, undefined, together)
    expect(outcome.abortedBy).toMatch(/^lost the connection to http:\/\/127\.0\.0\.1:\d+\/v1: /)
    const samples = [...outcome.samples.values()].flat()
    expect(samples.filter((s) => !s.error)).toHaveLength(4)
    // Only the samples already in flight when the first failed were still tried.
    expect(samples.length).toBeLessThanOrEqual(4 + 3)
    expect(outcome.samples.get('e')).toEqual([])
  }, 30_000)
})
