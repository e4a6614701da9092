// A loopback stand-in for the GitHub REST API's issue-comment endpoints, GET /user and the
// GraphQL viewer query, recording every request, so tests see exactly what the action sent. It
// can be made to fail on cue the ways github.com does: 5xx, rate limits, slow or no answers, an
// installation token that cannot name itself, a comment deleted under our feet.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  path: string
  body: unknown
  authorization?: string
  /** When it arrived (Date.now()), to measure how long a client waited before retrying. */
  at: number
}

export interface StoredComment {
  id: number
  body: string
  user: { login: string; type: string }
  html_url: string
}

/** An answer given instead of the real one. */
export type FaultAnswer =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** Accepts the request and never answers. */
  | 'hang'
  /** The addressed comment is deleted first, then the request gets GitHub's 404. */
  | 'gone'

export interface Fault {
  /** Matches every method when absent. */
  method?: string
  /** Matches when the request's path contains it (or matches it); every path when absent. */
  path?: string | RegExp
  /** How many matching requests get the fault before the real answers come back. */
  times: number
  answer: FaultAnswer
}

/** The answers github.com gives when it is unwell or limits the rate, as its docs describe them. */
export const answers = {
  serverError: (status = 502): FaultAnswer => ({ status, body: { message: 'Server Error' } }),
  /** A 429 that names neither limit, only how long to wait. */
  tooManyRequests: (retryAfterSeconds: number): FaultAnswer => ({ status: 429, headers: { 'retry-after': String(retryAfterSeconds) }, body: { message: 'Too Many Requests' } }),
  /** The token's hourly allowance is used up until `x-ratelimit-reset` (epoch seconds). */
  rateLimited: (resetInSeconds: number): FaultAnswer => ({
    status: 403,
    headers: { 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '1000', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000 + resetInSeconds)) },
    body: { message: 'API rate limit exceeded for installation ID 1.', documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting' }
  }),
  /** Too many writes too fast: a 403 whose message says so, with `retry-after` when given. */
  secondaryRateLimit: (retryAfterSeconds?: number): FaultAnswer => ({
    status: 403,
    headers: retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
    body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' }
  })
}

export interface FakeGitHubOptions {
  /** Login the token acts as (GraphQL viewer, GET /user, author of what it writes). */
  viewer?: string
  /** Status to answer comment writes with, to act out a read-only token. */
  writeStatus?: number
  perPage?: number
  /** Milliseconds every answer waits before it is sent. */
  latencyMs?: number
  /** False acts out an installation token (GITHUB_TOKEN): GraphQL `viewer` is FORBIDDEN. */
  answersViewer?: boolean
  /** False acts out an installation token: GET /user is a 403. */
  answersUser?: boolean
}

export interface FakeGitHub {
  url: string
  /** Status comment writes get from now on (403 acts out a read-only token); undefined accepts them. */
  writeStatus?: number
  latencyMs: number
  answersViewer: boolean
  answersUser: boolean
  requests: RecordedRequest[]
  comments: StoredComment[]
  /** Faults still to be served, in the order they are matched. */
  faults: Fault[]
  addComment(body: string, login?: string): StoredComment
  /** Serves `answer` to the next `times` requests that match. */
  fail(answer: FaultAnswer, match?: Omit<Fault, 'answer' | 'times'> & { times?: number }): void
  close(): Promise<void>
}

export async function startFakeGitHub(owner: string, repo: string, issue: number, options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const viewer = options.viewer ?? 'github-actions[bot]'
  const perPageCap = options.perPage ?? 100
  const requests: RecordedRequest[] = []
  const comments: StoredComment[] = []
  const faults: Fault[] = []
  let nextId = 1000
  const base = `/repos/${owner}/${repo}/issues`

  const addComment = (body: string, login = viewer): StoredComment => {
    const id = nextId++
    const comment = { id, body, user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' }, html_url: `https://github.example/${owner}/${repo}/pull/${issue}#issuecomment-${id}` }
    comments.push(comment)
    return comment
  }

  const fake: FakeGitHub = {
    url: '',
    writeStatus: options.writeStatus,
    latencyMs: options.latencyMs ?? 0,
    answersViewer: options.answersViewer ?? true,
    answersUser: options.answersUser ?? true,
    requests,
    comments,
    faults,
    addComment,
    fail: (answer, match = {}) => void faults.push({ method: match.method, path: match.path, times: match.times ?? 1, answer }),
    close: async () => {}
  }

  const takeFault = (method: string, pathname: string): FaultAnswer | undefined => {
    const fault = faults.find(
      (f) => f.times > 0 && (!f.method || f.method === method) && (!f.path || (typeof f.path === 'string' ? pathname.includes(f.path) : f.path.test(pathname)))
    )
    if (!fault) return undefined
    fault.times--
    return fault.answer
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      const body: unknown = raw ? JSON.parse(raw) : undefined
      const url = new URL(req.url ?? '/', 'http://localhost')
      const method = req.method ?? ''
      requests.push({ method, path: url.pathname + url.search, body, authorization: req.headers.authorization, at: Date.now() })
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
        setTimeout(() => {
          if (status === 204) res.writeHead(204, headers).end()
          else res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(payload))
        }, fake.latencyMs)
      const denied = () => send(fake.writeStatus!, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' })
      const single = url.pathname.match(new RegExp(`^${base}/comments/(\\d+)$`))

      const fault = takeFault(method, url.pathname)
      if (fault === 'hang') return
      if (fault === 'gone') {
        const index = comments.findIndex((c) => single && c.id === Number(single[1]))
        if (index >= 0) comments.splice(index, 1)
        return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' })
      }
      if (fault) return send(fault.status, fault.body ?? {}, fault.headers)

      if (method === 'POST' && url.pathname === '/graphql') {
        if (fake.answersViewer) return send(200, { data: { viewer: { login: viewer } } })
        return send(200, { data: null, errors: [{ type: 'FORBIDDEN', path: ['viewer'], locations: [{ line: 1, column: 9 }], message: 'Resource not accessible by integration' }] })
      }
      if (method === 'GET' && url.pathname === '/user') {
        if (fake.answersUser) return send(200, { login: viewer, type: viewer.endsWith('[bot]') ? 'Bot' : 'User' })
        return send(403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user' })
      }
      if (method === 'GET' && url.pathname === `${base}/${issue}/comments`) {
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), perPageCap)
        const page = Number(url.searchParams.get('page') ?? 1)
        const slice = comments.slice((page - 1) * perPage, page * perPage)
        const last = Math.max(1, Math.ceil(comments.length / perPage))
        const link: Record<string, string> = page < last ? { link: `<http://127.0.0.1:${(server.address() as AddressInfo).port}${url.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next"` } : {}
        return send(200, slice, link)
      }
      if (method === 'POST' && url.pathname === `${base}/${issue}/comments`) {
        if (fake.writeStatus) return denied()
        return send(201, addComment((body as { body: string }).body))
      }
      if (method === 'PATCH' && single) {
        if (fake.writeStatus) return denied()
        const comment = comments.find((c) => c.id === Number(single[1]))
        if (!comment) return send(404, { message: 'Not Found' })
        comment.body = (body as { body: string }).body
        return send(200, comment)
      }
      if (method === 'DELETE' && single) {
        if (fake.writeStatus) return denied()
        const index = comments.findIndex((c) => c.id === Number(single[1]))
        if (index < 0) return send(404, { message: 'Not Found' })
        comments.splice(index, 1)
        return send(204, undefined)
      }
      send(404, { message: `Not Found: ${method} ${url.pathname}` })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  fake.close = () =>
    new Promise((resolve) => {
      // A request left hanging on purpose must not hold the server open.
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return fake
}
