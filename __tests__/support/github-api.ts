// A loopback stand-in for the GitHub REST API's issue-comment endpoints (and the GraphQL
// viewer query), recording every request, so tests see exactly what the action sent.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  path: string
  body: unknown
  authorization?: string
}

export interface StoredComment {
  id: number
  body: string
  user: { login: string; type: string }
  html_url: string
}

export interface FakeGitHubOptions {
  /** Login the token acts as (GraphQL viewer). */
  viewer?: string
  /** Status to answer comment writes with, to act out a read-only token. */
  writeStatus?: number
  perPage?: number
}

export interface FakeGitHub {
  url: string
  /** Status comment writes get from now on (403 acts out a read-only token); undefined accepts them. */
  writeStatus?: number
  requests: RecordedRequest[]
  comments: StoredComment[]
  addComment(body: string, login?: string): StoredComment
  close(): Promise<void>
}

export async function startFakeGitHub(owner: string, repo: string, issue: number, options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const viewer = options.viewer ?? 'github-actions[bot]'
  const perPageCap = options.perPage ?? 100
  const requests: RecordedRequest[] = []
  const comments: StoredComment[] = []
  let nextId = 1000
  const base = `/repos/${owner}/${repo}/issues`

  const fake: FakeGitHub = { url: '', writeStatus: options.writeStatus, requests, comments, addComment: (body, login) => addComment(body, login), close: async () => {} }

  const addComment = (body: string, login = viewer): StoredComment => {
    const id = nextId++
    const comment = { id, body, user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' }, html_url: `https://github.example/${owner}/${repo}/pull/${issue}#issuecomment-${id}` }
    comments.push(comment)
    return comment
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      const body: unknown = raw ? JSON.parse(raw) : undefined
      const url = new URL(req.url ?? '/', 'http://localhost')
      requests.push({ method: req.method ?? '', path: url.pathname + url.search, body, authorization: req.headers.authorization })
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers })
        res.end(JSON.stringify(payload))
      }
      const denied = () => send(fake.writeStatus!, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' })

      if (req.method === 'POST' && url.pathname === '/graphql') return send(200, { data: { viewer: { login: viewer } } })
      if (req.method === 'GET' && url.pathname === `${base}/${issue}/comments`) {
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), perPageCap)
        const page = Number(url.searchParams.get('page') ?? 1)
        const slice = comments.slice((page - 1) * perPage, page * perPage)
        const last = Math.max(1, Math.ceil(comments.length / perPage))
        const link: Record<string, string> = page < last ? { link: `<http://127.0.0.1:${(server.address() as AddressInfo).port}${url.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next"` } : {}
        return send(200, slice, link)
      }
      if (req.method === 'POST' && url.pathname === `${base}/${issue}/comments`) {
        if (fake.writeStatus) return denied()
        return send(201, addComment((body as { body: string }).body))
      }
      const update = url.pathname.match(new RegExp(`^${base}/comments/(\\d+)$`))
      if (req.method === 'PATCH' && update) {
        if (fake.writeStatus) return denied()
        const comment = comments.find((c) => c.id === Number(update[1]))
        if (!comment) return send(404, { message: 'Not Found' })
        comment.body = (body as { body: string }).body
        return send(200, comment)
      }
      send(404, { message: `Not Found: ${req.method} ${url.pathname}` })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  fake.close = () => new Promise((resolve) => server.close(() => resolve()))
  return fake
}
