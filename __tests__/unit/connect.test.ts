// Connect mode when the server is not ready: nothing listening, a port fetch will not dial, a
// server still loading its model. What the user reads, and how long it takes to read it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { connectDriver, makeConnectDriver } from '../../src/server/connect.js'
import type { BackendDriver } from '../../src/server/types.js'
import { recordingHost, type RecordingHost } from '../support/host.js'
import { BAD_PORT_BASE_URL, refusedBaseUrl, startFixtureServer, type FixtureServer } from '../support/fixture-server.js'

let server: FixtureServer
let host: RecordingHost

beforeAll(async () => {
  server = await startFixtureServer()
})
afterAll(() => server.close())
beforeEach(() => {
  server.loadingUntil = 0
  host = recordingHost()
})

function connect(driver: BackendDriver<{ baseUrl?: string }>, baseUrl: string, readyTimeoutMs: number) {
  return driver.start({ host, options: { baseUrl }, server: { settings: {}, extraArgs: [] }, readyTimeoutMs, modelBaseDir: '.', suitePath: 'suite.yml' })
}

async function failureOf(run: () => Promise<unknown>): Promise<{ message: string; ms: number }> {
  const startedAt = performance.now()
  const error = await run().then(
    () => new Error('connected'),
    (caught: unknown) => caught as Error
  )
  return { message: error.message, ms: performance.now() - startedAt }
}

describe('connect when nothing listens at the base URL', () => {
  it('gives up on a refused port long before the server timeout, naming the URL and how to get a server there', async () => {
    const baseUrl = await refusedBaseUrl()
    const port = new URL(baseUrl).port
    const { message, ms } = await failureOf(() => connect(makeConnectDriver({ refusedGiveUpMs: 1000 }), baseUrl, 300_000))
    expect(message).toBe(
      `nothing is listening at ${baseUrl} (connection refused for 1 s): is the model server running, and is ${port} its port? ` +
        "With llama.cpp, set the input 'server' (or server.backend in the suite) to llama.cpp and modelgate starts llama-server itself."
    )
    // It kept trying for the whole bound, no longer.
    expect(ms).toBeGreaterThanOrEqual(1000)
    expect(ms).toBeLessThan(2000)
    expect(host.lines).toEqual([`nothing is listening at ${baseUrl} yet (connection refused); waiting up to 1 s for a server to start there`])
  })

  it('names the CLI flag to the CLI user', async () => {
    host = recordingHost('cli')
    const { message } = await failureOf(async () => connect(makeConnectDriver({ refusedGiveUpMs: 200 }), await refusedBaseUrl(), 5000))
    expect(message).toMatch(/ With llama\.cpp, set --server \(or server\.backend in the suite\) to llama\.cpp and modelgate starts llama-server itself\.$/)
  })

  it("says at once that Node's fetch will not dial a bad port", async () => {
    const { message, ms } = await failureOf(() => connect(connectDriver, BAD_PORT_BASE_URL, 300_000))
    expect(message).toBe("port 6000 is on the fetch standard's list of bad ports, which Node's fetch refuses to connect to; run the server on another port")
    expect(ms).toBeLessThan(500)
  })
})

describe('connect while the server loads its model', () => {
  it('waits through 503, saying so at once and every 15 s, then connects', async () => {
    server.loadingUntil = Date.now() + 16_000
    const session = await connect(connectDriver, server.url, 60_000)
    expect(session.model).toBe('good.gguf')
    expect(host.lines).toHaveLength(2)
    expect(host.lines[0]).toBe(`the model server at ${server.url}/v1 is loading its model (503 from ${server.url}/v1/models); waiting up to 60 s`)
    expect(host.lines[1]).toBe(`the model server at ${server.url}/v1 is still loading its model after 15 s (503 from ${server.url}/v1/models); waiting up to 60 s`)
  }, 25_000)

  it('gives up at the server timeout', async () => {
    server.loadingUntil = Infinity
    const { message, ms } = await failureOf(() => connect(connectDriver, server.url, 2000))
    expect(message).toBe(`the model server at ${server.url}/v1 was still loading after 2 s (503 from ${server.url}/v1/models)`)
    expect(ms).toBeLessThan(3000)
  })
})
