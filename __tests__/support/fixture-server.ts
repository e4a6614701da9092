// Serves the real llama-server transcripts in __tests__/fixtures/llama-server, and acts out the
// faults a real server cannot be made to show on cue: loading, hanging, dying mid-stream,
// answering garbage.
import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

const fixture = (name: string) => readFileSync(new URL(`../fixtures/llama-server/${name}`, import.meta.url), 'utf8')

export type Fault = 'none' | 'hang' | 'stall-mid-stream' | 'die-mid-stream' | 'garbage' | 'bad-request' | 'drop-connection'

export interface FixtureServer {
  url: string
  /** Bodies of the chat requests received. */
  chatRequests: Record<string, unknown>[]
  /** The Authorization header of each chat request. */
  chatAuthorizations: (string | undefined)[]
  fault: Fault
  /** Chat requests answered normally before `fault` applies (a warm-up that works, then a fault). */
  faultAfter: number
  /** Number of 503 "Loading model" answers to give before the server is ready. */
  loadingAnswers: number
  close(): Promise<void>
}

function httpBody(file: string): { status: number; body: string } {
  const text = fixture(file)
  const status = Number(text.match(/^HTTP\/1\.1 (\d+)/)?.[1] ?? 200)
  return { status, body: text.split(/\r?\n\r?\n/).slice(1).join('\n\n') }
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const state: FixtureServer = {
    url: '',
    chatRequests: [],
    chatAuthorizations: [],
    fault: 'none',
    faultAfter: 0,
    loadingAnswers: 0,
    close: async () => {}
  }
  const sockets = new Set<import('node:net').Socket>()
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (state.loadingAnswers > 0) {
        state.loadingAnswers--
        res.writeHead(503, { 'content-type': 'application/json' })
        res.end(fixture('health-loading.txt').split(' HTTP503')[0])
        return
      }
      const json = (status: number, body: string) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
        res.end(body)
      }
      if (req.url === '/health') return json(200, '{"status":"ok"}')
      if (req.url === '/props') return json(200, fixture('props.json'))
      if (req.url === '/v1/models') return json(200, fixture('v1-models.json'))
      if (req.url === '/v1/chat/completions' && req.method === 'POST') {
        state.chatRequests.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
        state.chatAuthorizations.push(req.headers.authorization)
        const fault = state.faultAfter > 0 ? (state.faultAfter--, 'none') : state.fault
        if (fault === 'hang') return
        // As a server that went away: the connection closes before any answer.
        if (fault === 'drop-connection') return void req.socket.destroy()
        if (fault === 'bad-request') {
          const { status, body } = httpBody('chat-bad-request.http')
          return json(status, body)
        }
        res.writeHead(200, { 'content-type': 'text/event-stream' })
        if (fault === 'garbage') {
          res.end('data: {"choices": [this is not json\n\n')
          return
        }
        const events = fixture('chat-stream-include-usage.sse').split('\n\n').filter(Boolean)
        if (fault === 'stall-mid-stream') {
          res.write(events.slice(0, 8).join('\n\n') + '\n\n')
          return
        }
        if (fault === 'die-mid-stream') {
          res.write(events.slice(0, 8).join('\n\n') + '\n\n')
          setTimeout(() => res.socket?.destroy(), 20)
          return
        }
        res.end(events.join('\n\n') + '\n\n')
        return
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
