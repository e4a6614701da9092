import { afterEach, describe, expect, it } from '@jest/globals'
import * as github from '@actions/github'
import { markerFor, upsertComment } from '../../src/publish.js'
import { startFakeGitHub, type FakeGitHub } from '../support/github-api.js'

let api: FakeGitHub | undefined
afterEach(async () => {
  await api?.close()
  api = undefined
})

const target = { owner: 'acme', repo: 'models', issueNumber: 7 }
const octokitFor = (fake: FakeGitHub) => github.getOctokit('test-token', { baseUrl: fake.url })

describe('upsertComment', () => {
  it('creates the comment once, then updates it in place', async () => {
    api = await startFakeGitHub('acme', 'models', 7)
    const marker = markerFor('modelgate')
    const first = await upsertComment(octokitFor(api), target, marker, `${marker}\nfirst`)
    const second = await upsertComment(octokitFor(api), target, marker, `${marker}\nsecond`)
    expect(first.action).toBe('created')
    expect(second).toEqual({ action: 'updated', url: first.url })
    expect(api.comments.map((c) => c.body)).toEqual([`${marker}\nsecond`])
    expect(api.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql').map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /repos/acme/models/issues/7/comments',
      `PATCH /repos/acme/models/issues/comments/${api.comments[0]!.id}`
    ])
    expect(api.requests[0]!.authorization).toBe('token test-token')
  })

  it('finds its comment on a later page of a long discussion', async () => {
    api = await startFakeGitHub('acme', 'models', 7, { perPage: 2 })
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
    api = await startFakeGitHub('acme', 'models', 7)
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

  it('makes a marker that cannot end the HTML comment early', () => {
    expect(markerFor('matrix --> <b>x</b>')).toBe('<!-- modelgate:sticky-comment tag="matrix -_ _b_x_/b_" -->')
  })
})
