// The GitHub client's bounds, seen through upsertComment against the loopback API: what is
// retried (5xx, 429, rate limits) and after how long, what is not (a permission 403, a silent
// API), and that every wait has an end.
import { afterEach, describe, expect, it } from '@jest/globals'
import { createGitHubClient, GitHubUnanswered, rateLimitOf, type GitHubTiming } from '../../src/github/client.js'
import { markerFor, upsertComment } from '../../src/github/comment.js'
import { answers, startFakeGitHub, type FakeGitHub } from '../support/github-api.js'

let api: FakeGitHub
afterEach(async () => {
  await api.close()
})

const target = { owner: 'acme', repo: 'models', issueNumber: 7 }
const marker = markerFor('modelgate')
const body = `${marker}\nreport`
/** Retry waits a hundredth of what GitHub asks, unless a test honours the real one. */
const post = (timing: Partial<GitHubTiming> = { secondMs: 10 }, signal?: AbortSignal) =>
  upsertComment(createGitHubClient('test-token', { baseUrl: api.url, timing, signal }), target, marker, body)
const creates = () => api.requests.filter((r) => r.method === 'POST' && r.path === '/repos/acme/models/issues/7/comments')
/** The error `promise` rejects with; a fulfilled promise fails the test. */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`)
    },
    (error: unknown) => error
  )

describe('the GitHub client', () => {
  it('posts the comment after GitHub answered 502', async () => {
    api = await startFakeGitHub('acme', 'models', 7)
    api.fail(answers.serverError(502), { method: 'POST', path: '/issues/7/comments' })
    const result = await post()
    expect(result.action).toBe('created')
    expect(creates()).toHaveLength(2)
    expect(api.comments.map((c) => c.body)).toEqual([body])
  })

  it('retries a 5xx at most twice, then gives up with its status', async () => {
    api = await startFakeGitHub('acme', 'models', 7)
    api.fail(answers.serverError(503), { method: 'POST', path: '/issues/7/comments', times: 5 })
    const error = await failure(post())
    expect((error as { status?: number }).status).toBe(503)
    expect(creates()).toHaveLength(3)
    expect(api.comments).toEqual([])
  })

  it("waits the 1 s a 429's retry-after asks for, and retries once", async () => {
    api = await startFakeGitHub('acme', 'models', 7)
    api.fail(answers.tooManyRequests(1), { method: 'POST', path: '/issues/7/comments' })
    const result = await post({})
    expect(result.action).toBe('created')
    const [refused, accepted] = creates()
    expect(creates()).toHaveLength(2)
    expect(accepted!.at - refused!.at).toBeGreaterThanOrEqual(1000)
  })

  it('waits out a rate limit until x-ratelimit-reset, then posts', async () => {
    api = await startFakeGitHub('acme', 'models', 7)
    api.fail(answers.rateLimited(1), { method: 'POST', path: '/issues/7/comments' })
    expect((await post()).action).toBe('created')
    expect(creates()).toHaveLength(2)
  })

  it('retries a 403 whose message says secondary rate limit', async () => {
    api = await startFakeGitHub('acme', 'models', 7)
    api.fail(answers.secondaryRateLimit(1), { method: 'POST', path: '/issues/7/comments', times: 2 })
    expect((await post()).action).toBe('created')
    expect(creates()).toHaveLength(3)
  })

  it('gives up at once on a rate limit that resets later than it waits, saying when it resets', async () => {
    api = await startFakeGitHub('acme', 'models', 7)
    api.fail(answers.rateLimited(3600), { method: 'POST', path: '/issues/7/comments' })
    const started = Date.now()
    const error = await failure(post())
    expect(Date.now() - started).toBeLessThan(2000)
    expect(creates()).toHaveLength(1)
    const limit = rateLimitOf(error)
    expect(limit?.kind).toBe('primary')
    expect(Math.abs(limit!.resetsAt!.getTime() - (Date.now() + 3600_000))).toBeLessThan(5000)
  })

  it('does not retry a 403 that is about permissions, nor take it for a rate limit', async () => {
    api = await startFakeGitHub('acme', 'models', 7, { writeStatus: 403 })
    const error = await failure(post())
    expect((error as { status?: number }).status).toBe(403)
    expect(rateLimitOf(error)).toBeUndefined()
    expect(creates()).toHaveLength(1)
  })

  it('gives up on an API that never answers within the request timeout, without retrying', async () => {
    api = await startFakeGitHub('acme', 'models', 7)
    api.fail('hang', { method: 'GET', path: '/issues/7/comments' })
    const started = Date.now()
    const error = await failure(post({ secondMs: 10, requestTimeoutMs: 300 }))
    expect(Date.now() - started).toBeLessThan(1500)
    expect(error).toBeInstanceOf(GitHubUnanswered)
    expect((error as Error).message).toBe('GitHub did not answer GET /repos/acme/models/issues/7/comments within 0.3 s')
    expect(api.requests.filter((r) => r.method === 'GET')).toHaveLength(1)
  })

  it('stops at once when its signal aborts, whatever the request timeout', async () => {
    api = await startFakeGitHub('acme', 'models', 7)
    api.fail('hang', { times: 10 })
    const stop = new AbortController()
    setTimeout(() => stop.abort(new Error('the run was cancelled')), 100)
    const started = Date.now()
    const error = await failure(post({ secondMs: 10 }, stop.signal))
    expect(Date.now() - started).toBeLessThan(1000)
    expect(error).toBeInstanceOf(GitHubUnanswered)
    expect((error as Error).message).toMatch(/^stopped waiting for GitHub during (GET|POST) \/\S+: the run was cancelled$/)
  })
})
