// A loopback file server for the model downloader: it serves files from memory and acts out what
// Hugging Face and plain file servers do on a bad day: a redirect to another host (the CDN), a
// repository that wants a bearer token, a body cut short, a slow or silent link. It counts every
// request, with the Authorization header it came with.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Route {
  /** Served with 200 and its Content-Length. */
  body?: Buffer
  /** Answer 302 (or `redirectStatus`) to this URL instead. */
  redirect?: string
  redirectStatus?: number
  /** Answer 401 unless the request carries `Authorization: Bearer <token>`. */
  token?: string
  /** Answer this status with a short text body. */
  status?: number
  /** Announce the whole length, send this many bytes, then drop the connection. */
  cutAfter?: number
  /** Send the body at about this many bytes a second, a slice every 100 ms. */
  bytesPerSecond?: number
  /** Send the headers, then nothing. */
  silent?: boolean
  /** More response headers, e.g. `x-linked-etag`. */
  headers?: Record<string, string>
}

export interface RecordedFileRequest {
  method: string
  path: string
  authorization?: string
  status: number
}

export interface FileServer {
  /** `http://127.0.0.1:<port>`. */
  origin: string
  requests: RecordedFileRequest[]
  /** Serves `route` at `path` from now on; gives its URL. */
  route(path: string, route: Route): string
  /** How many requests came for `path`. */
  count(path: string): number
  close(): Promise<void>
}

const TICK_MS = 100

export async function startFileServer(): Promise<FileServer> {
  const routes = new Map<string, Route>()
  const requests: RecordedFileRequest[] = []
  const timers = new Set<NodeJS.Timeout>()

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    const record: RecordedFileRequest = { method: req.method ?? 'GET', path, status: 0, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) }
    requests.push(record)
    const answer = (status: number, headers: Record<string, string | number> = {}, body?: string) => {
      record.status = status
      res.writeHead(status, headers)
      res.end(body)
    }
    const route = routes.get(path)
    if (!route) return answer(404, { 'content-type': 'text/plain' }, 'Entry not found')
    if (route.token && req.headers.authorization !== `Bearer ${route.token}`) {
      return answer(401, { 'content-type': 'text/plain' }, 'Access to model is restricted. You must have access to it and be authenticated to access it.')
    }
    if (route.status) return answer(route.status, { 'content-type': 'text/plain', ...route.headers }, `status ${route.status}`)
    if (route.redirect) return answer(route.redirectStatus ?? 302, { location: route.redirect, 'content-length': 0, ...route.headers })

    const body = route.body ?? Buffer.alloc(0)
    record.status = 200
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, ...route.headers })
    if (route.silent) return res.flushHeaders()
    const end = route.cutAfter ?? body.length
    if (!route.bytesPerSecond) {
      if (route.cutAfter === undefined) return res.end(body)
      return res.write(body.subarray(0, end), () => res.destroy())
    }
    const step = Math.max(1, Math.round((route.bytesPerSecond * TICK_MS) / 1000))
    let sent = 0
    const tick = setInterval(() => {
      const next = Math.min(sent + step, end)
      res.write(body.subarray(sent, next))
      sent = next
      if (sent < end) return
      clearInterval(tick)
      timers.delete(tick)
      if (end < body.length) res.destroy()
      else res.end()
    }, TICK_MS)
    timers.add(tick)
    res.on('close', () => {
      clearInterval(tick)
      timers.delete(tick)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    origin,
    requests,
    route(path, route) {
      routes.set(path, route)
      return `${origin}${path}`
    },
    count: (path) => requests.filter((r) => r.path === path).length,
    async close() {
      for (const timer of timers) clearInterval(timer)
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}
