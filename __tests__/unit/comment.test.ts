// The sticky comment against the loopback GitHub API: found again only by its first line and only
// among the token's own comments, rewritten in place, and one comment left when runs race.
import { afterEach, describe, expect, it } from '@jest/globals'
import { createGitHubClient } from '../../src/github/client.js'
import { markerFor, upsertComment } from '../../src/github/comment.js'
import { startFakeGitHub, type FakeGitHub } from '../support/github-api.js'

let apis: FakeGitHub[] = []
afterEach(async () => {
  await Promise.all(apis.map((api) => api.close()))
  apis = []
})

async function fakeGitHub(options: Parameters<typeof startFakeGitHub>[3] = {}): Promise<FakeGitHub> {
  const api = await startFakeGitHub('acme', 'models', 7, options)
  apis.push(api)
  return api
}

const target = { owner: 'acme', repo: 'models', issueNumber: 7 }
const octokitFor = (fake: FakeGitHub) => createGitHubClient('test-token', { baseUrl: fake.url, timing: { secondMs: 10 } })
const writes = (fake: FakeGitHub) => fake.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql').map((r) => `${r.method} ${r.path}`)

describe('upsertComment', () => {
  it('creates the comment once, then updates it in place', async () => {
    const api = await fakeGitHub()
    const marker = markerFor('modelgate')
    const first = await upsertComment(octokitFor(api), target, marker, `${marker}\nfirst`)
    const second = await upsertComment(octokitFor(api), target, marker, `${marker}\nsecond`)
    expect(first.action).toBe('created')
    expect(second).toEqual({ action: 'updated', url: first.url })
    expect(api.comments.map((c) => c.body)).toEqual([`${marker}\nsecond`])
    expect(writes(api)).toEqual(['POST /repos/acme/models/issues/7/comments', `PATCH /repos/acme/models/issues/comments/${api.comments[0]!.id}`])
    expect(api.requests[0]!.authorization).toBe('token test-token')
  })

  it('finds its comment on a later page of a long discussion', async () => {
    const api = await fakeGitHub({ perPage: 2 })
    const marker = markerFor('modelgate')
    for (let i = 0; i < 5; i++) api.addComment(`review comment ${i}`, 'alice')
    const ours = api.addComment(`${marker}\nold report`)
    const result = await upsertComment(octokitFor(api), target, marker, `${marker}\nnew report`)
    expect(result.action).toBe('updated')
    expect(ours.body).toBe(`${marker}\nnew report`)
    expect(api.comments).toHaveLength(6)
    expect(api.requests.filter((r) => r.method === 'GET').map((r) => r.path)).toEqual([
      '/repos/acme/models/issues/7/comments?per_page=100',
      '/repos/acme/models/issues/7/comments?per_page=2&page=2',
      '/repos/acme/models/issues/7/comments?per_page=2&page=3'
    ])
  })

  it("keeps one comment per tag, and never edits someone else's comment that quotes the marker", async () => {
    const api = await fakeGitHub()
    const gpuA = markerFor('gpu-a')
    const gpuB = markerFor('gpu-b')
    api.addComment(`quoting the bot: ${gpuA}`, 'mallory')
    await upsertComment(octokitFor(api), target, gpuA, `${gpuA}\nA`)
    await upsertComment(octokitFor(api), target, gpuB, `${gpuB}\nB`)
    await upsertComment(octokitFor(api), target, gpuA, `${gpuA}\nA2`)
    expect(api.comments.map((c) => [c.user.login, c.body])).toEqual([
      ['mallory', `quoting the bot: ${gpuA}`],
      ['github-actions[bot]', `${gpuA}\nA2`],
      ['github-actions[bot]', `${gpuB}\nB`]
    ])
  })

  it("does not let a model answer carrying another tag's marker capture that tag's comment", async () => {
    const api = await fakeGitHub()
    const gpuA = markerFor('gpu-a')
    const gpuB = markerFor('gpu-b')
    const answerQuotingB = `${gpuA}\n\n### modelgate passed\n\n\`\`\`\n${gpuB}\n\`\`\``
    await upsertComment(octokitFor(api), target, gpuA, answerQuotingB)
    const b = await upsertComment(octokitFor(api), target, gpuB, `${gpuB}\nB`)
    expect(b.action).toBe('created')
    expect(api.comments.map((c) => c.body)).toEqual([answerQuotingB, `${gpuB}\nB`])
  })

  it("never edits a person's comment that starts with the marker when the token cannot name itself", async () => {
    const api = await fakeGitHub({ answersViewer: false, answersUser: false })
    const marker = markerFor('modelgate')
    const alices = api.addComment(`${marker}\nlooks like a report`, 'alice')
    await upsertComment(octokitFor(api), target, marker, `${marker}\nfirst`)
    await upsertComment(octokitFor(api), target, marker, `${marker}\nsecond`)
    expect(api.requests.filter((r) => r.method === 'POST' && r.path === '/graphql')).toHaveLength(2)
    expect(api.requests.filter((r) => r.path === '/user')).toHaveLength(2)
    expect(alices.body).toBe(`${marker}\nlooks like a report`)
    expect(writes(api).filter((w) => w.endsWith(`/${alices.id}`))).toEqual([])
    expect(api.comments.map((c) => [c.user.login, c.body])).toEqual([
      ['alice', `${marker}\nlooks like a report`],
      ['github-actions[bot]', `${marker}\nsecond`]
    ])
  })

  it('knows a personal token by GET /user when GraphQL cannot name it', async () => {
    const api = await fakeGitHub({ viewer: 'ci-user', answersViewer: false })
    const marker = markerFor('modelgate')
    const bots = api.addComment(`${marker}\nthe bot's`, 'github-actions[bot]')
    const mine = api.addComment(`${marker}\nold`, 'ci-user')
    const result = await upsertComment(octokitFor(api), target, marker, `${marker}\nnew`)
    expect(result).toEqual({ action: 'updated', url: mine.html_url })
    expect([bots.body, mine.body]).toEqual([`${marker}\nthe bot's`, `${marker}\nnew`])
  })

  it('creates a new comment when its comment was deleted between listing and updating', async () => {
    const api = await fakeGitHub()
    const marker = markerFor('modelgate')
    const old = api.addComment(`${marker}\nold`)
    api.fail('gone', { method: 'PATCH' })
    const result = await upsertComment(octokitFor(api), target, marker, `${marker}\nnew`)
    expect(result.action).toBe('created')
    expect(api.comments.map((c) => c.body)).toEqual([`${marker}\nnew`])
    expect(api.comments[0]!.id).not.toBe(old.id)
    expect(result.url).toBe(api.comments[0]!.html_url)
  })

  it('heals the twins an earlier race left: keeps the oldest, deletes the rest', async () => {
    const api = await fakeGitHub()
    const marker = markerFor('modelgate')
    const oldest = api.addComment(`${marker}\nA`)
    const twin = api.addComment(`${marker}\nB`)
    const result = await upsertComment(octokitFor(api), target, marker, `${marker}\nC`)
    expect(result).toEqual({ action: 'updated', url: oldest.html_url })
    expect(api.comments.map((c) => [c.id, c.body])).toEqual([[oldest.id, `${marker}\nC`]])
    expect(writes(api)).toEqual([`PATCH /repos/acme/models/issues/comments/${oldest.id}`, `DELETE /repos/acme/models/issues/comments/${twin.id}`])
  })

  it('leaves exactly one comment when two runs list before either creates (5 trials)', async () => {
    const marker = markerFor('modelgate')
    const trials = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const api = await fakeGitHub({ latencyMs: 150 })
        const results = await Promise.all(['one', 'two'].map((run) => upsertComment(octokitFor(api), target, marker, `${marker}\nrun ${run}`)))
        return { api, results }
      })
    )
    for (const { api, results } of trials) {
      const creates = api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/comments'))
      const firstLists = api.requests.filter((r) => r.method === 'GET').slice(0, 2)
      // The race really happened: both runs listed before either comment existed, and both created.
      expect(creates).toHaveLength(2)
      expect(Math.max(...firstLists.map((r) => r.at))).toBeLessThan(Math.min(...creates.map((r) => r.at)))
      expect(api.comments).toHaveLength(1)
      expect([`${marker}\nrun one`, `${marker}\nrun two`]).toContain(api.comments[0]!.body)
      expect(results.map((r) => r.url)).toEqual([api.comments[0]!.html_url, api.comments[0]!.html_url])
    }
  })

  it('makes a marker that cannot end the HTML comment early', () => {
    expect(markerFor('matrix --> <b>x</b>')).toBe('<!-- modelgate:sticky-comment tag="matrix -_ _b_x_/b_" -->')
  })
})
