// Serves the real llama-server transcripts in __tests__/fixtures/llama-server, and acts out the
// faults a real server cannot be made to show on cue: loading, hanging, dying mid-stream,
// answering garbage, a proxy that buffers or cuts the stream.
import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { closedPort } from './ports.js'

const fixture = (name: string) => readFileSync(new URL(`../fixtures/llama-server/${name}`, import.meta.url), 'utf8')

export type Fault =
  | 'none'
  | 'hang'
  | 'stall-mid-stream'
  | 'die-mid-stream'
  /** The stream ends cleanly after a few chunks: no finish reason, no [DONE]. */
  | 'cut-stream'
  /** The whole stream but its `data: [DONE]` line. */
  | 'no-done'
  /** The whole stream with every finish reason null. */
  | 'no-finish-reason'
  /** Every content delta merged into one event, as a proxy that coalesces the stream sends it. */
  | 'one-chunk'
  | 'garbage'
  /** 200 with a plain-text page instead of the stream, as from a proxy. */
  | 'plain-text'
  /** 200 with the non-streamed JSON chat completion: a server that ignores `stream: true`. */
  | 'json-body'
  | 'bad-request'
  /** 500 with a llama-server style error body. */
  | 'server-error'
  /** 503 "Loading model" on chat. */
  | 'loading'
  | 'drop-connection'

export interface FixtureServer {
  url: string
  /** Bodies of the chat requests received. */
  chatRequests: Record<string, unknown>[]
  /** The Authorization header of each chat request. */
  chatAuthorizations: (string | undefined)[]
  fault: Fault
  /** Chat requests answered normally before `fault` applies (a warm-up that works, then a fault). */
  faultAfter: number
  /** Chat requests given `fault` before the server answers normally again (all of them by default). */
  faultTimes: number
  /** Number of 503 "Loading model" answers to give, on every path, before the server is ready. */
  loadingAnswers: number
  /** Until this time (ms since the epoch) every path answers 503 "Loading model", as llama-server does while it loads. */
  loadingUntil: number
  /**
   * Until this time (ms since the epoch) chat answers 503 "Loading model" while the model list
   * is already up: a server that lists its model before it can answer with it.
   */
  chatLoadingUntil: number
  /** Pause between the stream's events in ms, as a server decoding token by token; 0 sends the whole stream in one write, as a buffering proxy would. */
  eventIntervalMs: number
  /** The model id the server lists instead of the transcript's (hostile text, for instance). */
  modelId?: string
  /** The message of the `bad-request` fault's error body instead of the transcript's. */
  errorMessage?: string
  close(): Promise<void>
}

/** A base URL where nothing listens: every connection is refused. */
export async function refusedBaseUrl(): Promise<string> {
  return `http://127.0.0.1:${await closedPort()}/v1`
}

/** A base URL on X11's port 6000, on the fetch standard's bad-port list: Node's fetch will not dial it. */
export const BAD_PORT_BASE_URL = 'http://127.0.0.1:6000/v1'

function httpBody(file: string): { status: number; body: string } {
  const text = fixture(file)
  const status = Number(text.match(/^HTTP\/1\.1 (\d+)/)?.[1] ?? 200)
  return { status, body: text.split(/\r?\n\r?\n/).slice(1).join('\n\n') }
}

const DONE = 'data: [DONE]'

type Chunk = { choices?: { delta?: { content?: string | null } }[] }

/** The transcript's events with every content delta moved into the first one that has content. */
function coalesced(events: string[]): string[] {
  const chunks = events.filter((e) => e !== DONE).map((e) => JSON.parse(e.slice('data: '.length)) as Chunk)
  const hasContent = (chunk: Chunk) => Boolean(chunk.choices?.[0]?.delta?.content)
  const content = chunks.filter(hasContent).map((chunk) => chunk.choices![0]!.delta!.content).join('')
  const first = chunks.findIndex(hasContent)
  chunks[first]!.choices![0]!.delta!.content = content
  return [...chunks.filter((chunk, i) => i === first || !hasContent(chunk)).map((chunk) => `data: ${JSON.stringify(chunk)}`), DONE]
}

const PROXY_PAGE =
  'Access to this service requires authentication.\nPlease sign in through the company gateway at https://gateway.example.internal/login and try again.\n' +
  'If you believe you are seeing this page in error, contact the platform team and quote the request id 7f3c9a2e-51d4-4b8e-9c61-0d2f5e8a3b17.\n'

export async function startFixtureServer(): Promise<FixtureServer> {
  const state: FixtureServer = {
    url: '',
    chatRequests: [],
    chatAuthorizations: [],
    fault: 'none',
    faultAfter: 0,
    faultTimes: Infinity,
    loadingAnswers: 0,
    loadingUntil: 0,
    chatLoadingUntil: 0,
    eventIntervalMs: 0,
    close: async () => {}
  }
  const sockets = new Set<import('node:net').Socket>()
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const loading = () => {
        res.writeHead(503, { 'content-type': 'application/json' })
        res.end(fixture('health-loading.txt').split(' HTTP503')[0])
      }
      if (Date.now() < state.loadingUntil) return loading()
      if (state.loadingAnswers > 0) {
        state.loadingAnswers--
        return loading()
      }
      const json = (status: number, body: string) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
        res.end(body)
      }
      if (req.url === '/health') return json(200, '{"status":"ok"}')
      if (req.url === '/props') return json(200, fixture('props.json'))
      if (req.url === '/v1/models') {
        const models = JSON.parse(fixture('v1-models.json')) as { models: { name: string; model: string }[]; data: { id: string }[] }
        if (state.modelId !== undefined) {
          for (const m of models.models) m.name = m.model = state.modelId
          for (const m of models.data) m.id = state.modelId
        }
        return json(200, JSON.stringify(models))
      }
      if (req.url === '/v1/chat/completions' && req.method === 'POST') {
        state.chatRequests.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
        state.chatAuthorizations.push(req.headers.authorization)
        if (Date.now() < state.chatLoadingUntil) return loading()
        const fault = state.faultAfter > 0 ? (state.faultAfter--, 'none') : state.faultTimes > 0 ? (state.faultTimes--, state.fault) : 'none'
        if (fault === 'hang') return
        // As a server that went away: the connection closes before any answer.
        if (fault === 'drop-connection') return void req.socket.destroy()
        if (fault === 'bad-request') {
          const { status, body } = httpBody('chat-bad-request.http')
          if (state.errorMessage === undefined) return json(status, body)
          const parsed = JSON.parse(body) as { error: { message: string } }
          parsed.error.message = state.errorMessage
          return json(status, JSON.stringify(parsed))
        }
        if (fault === 'server-error') return json(500, '{"error":{"code":500,"message":"failed to decode the batch","type":"server_error"}}')
        if (fault === 'loading') return loading()
        if (fault === 'json-body') return json(200, fixture('chat-nonstream.json'))
        if (fault === 'plain-text') {
          res.writeHead(200, { 'content-type': 'text/plain' })
          return void res.end(PROXY_PAGE)
        }
        res.writeHead(200, { 'content-type': 'text/event-stream' })
        if (fault === 'garbage') {
          res.end('data: {"choices": [this is not json\n\n')
          return
        }
        const events = fixture('chat-stream-include-usage.sse').split('\n\n').filter(Boolean)
        if (fault === 'stall-mid-stream') return stream(res, events.slice(0, 8), 'stall', state.eventIntervalMs)
        if (fault === 'die-mid-stream') return stream(res, events.slice(0, 8), 'die', state.eventIntervalMs)
        if (fault === 'cut-stream') return stream(res, events.slice(0, 8), 'end', state.eventIntervalMs)
        if (fault === 'no-done') return stream(res, events.filter((e) => e !== DONE), 'end', state.eventIntervalMs)
        if (fault === 'no-finish-reason') return stream(res, events.map((e) => e.replace('"finish_reason":"stop"', '"finish_reason":null')), 'end', state.eventIntervalMs)
        if (fault === 'one-chunk') return stream(res, coalesced(events), 'end', state.eventIntervalMs)
        return stream(res, events, 'end', state.eventIntervalMs)
      }
      json(404, '{"error":{"code":404,"message":"File Not Found","type":"not_found_error"}}')
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  state.close = () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy()
      server.close(() => resolve())
    })
  return state
}

/** Writes the events, one `intervalMs` apart or all at once, then ends, stalls, or drops the connection. */
function stream(res: http.ServerResponse, events: string[], then: 'end' | 'stall' | 'die', intervalMs: number): void {
  const finish = () => {
    if (then === 'end') res.end()
    // A short pause first, so the client has read what was sent before the connection goes.
    if (then === 'die') setTimeout(() => res.socket?.destroy(), 20)
  }
  if (intervalMs <= 0) {
    res.write(events.map((e) => `${e}\n\n`).join(''))
    return finish()
  }
  let next = 0
  const write = () => {
    if (res.destroyed) return
    if (next === events.length) return finish()
    res.write(`${events[next++]}\n\n`)
    setTimeout(write, intervalMs)
  }
  write()
}
