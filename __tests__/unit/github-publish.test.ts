// publishResults against the loopback GitHub API, with @actions/core mocked: when GitHub fails,
// limits the rate, goes silent or the run is cancelled, the comment becomes a warning that says
// why, and the results file, the summary and the outputs are there all the same.
import { afterAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as core from '../support/core.js'
import { answers, startFakeGitHub } from '../support/github-api.js'
import { recordingHost } from '../support/host.js'
import { caseResult, runResults, sample } from '../support/samples.js'
import type { RunResults } from '../../src/results.js'

jest.unstable_mockModule('@actions/core', () => core)

// @actions/github reads the event and the API URL when it loads: set them up first.
const workspace = await mkdtemp(path.join(os.tmpdir(), 'modelgate-publish-'))
const api = await startFakeGitHub('acme', 'models', 7)
const eventPath = path.join(workspace, 'event.json')
await writeFile(eventPath, JSON.stringify({ number: 7, pull_request: { number: 7 } }))
Object.assign(process.env, {
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_EVENT_PATH: eventPath,
  GITHUB_REPOSITORY: 'acme/models',
  GITHUB_API_URL: api.url,
  GITHUB_STEP_SUMMARY: path.join(workspace, 'summary.md')
})
const { publishResults } = await import('../../src/publish.js')

afterAll(() => api.close())

beforeEach(() => {
  core.resetCore()
  api.comments.length = 0
  api.requests.length = 0
  api.faults.length = 0
  api.writeStatus = undefined
})

const passing = runResults([caseResult('keeps-validation', [sample('return Result.error(50003)')], [{ type: 'contains', passed: true, message: 'found' }])])
const options = { githubToken: 'ghs_testToken0123456789', comment: true, commentTag: 'modelgate', resultsFile: 'modelgate-results.json', githubTiming: { secondMs: 10 } }
const tail = 'The job summary and the results file still hold the report.'

async function publish(results: RunResults = passing, extra: Partial<Parameters<typeof publishResults>[1]> = {}) {
  const host = recordingHost('action', workspace)
  const started = Date.now()
  await publishResults(results, { ...options, ...extra }, host)
  const written = JSON.parse(await readFile(path.join(workspace, options.resultsFile), 'utf8')) as RunResults
  return { host, elapsedMs: Date.now() - started, written }
}

describe('publishResults', () => {
  it('posts the comment after GitHub answered 502, and sets failure-kind', async () => {
    api.fail(answers.serverError(502), { method: 'POST', path: '/issues/7/comments' })
    const failed = { ...passing, passed: false, reason: 'Failed: keeps-validation (contains)', failureKind: 'quality' as const }
    const { host } = await publish(failed)
    expect(host.warnings).toEqual([])
    expect(api.comments).toHaveLength(1)
    expect(host.lines).toContain(`Comment created: ${api.comments[0]!.html_url}`)
    expect(core.outputs()).toMatchObject({ passed: 'false', 'failure-kind': 'quality', 'comment-url': api.comments[0]!.html_url })

    core.resetCore()
    await publish()
    expect(core.outputs()).toMatchObject({ passed: 'true', 'failure-kind': '' })
  })

  it('names the rate limit and when it resets, and never gives advice about permissions for it', async () => {
    api.fail(answers.rateLimited(3600), { method: 'POST', path: '/issues/7/comments' })
    const { host, written } = await publish()
    expect(host.warnings).toHaveLength(1)
    expect(host.warnings[0]).toMatch(/^commenting on acme\/models#7 hit GitHub's API rate limit for this token; it resets at \d\d:\d\d:\d\d UTC, in 60 min, longer than a run waits\. /)
    expect(host.warnings[0]).not.toContain('permissions')
    expect(written.passed).toBe(true)
    expect(api.comments).toEqual([])

    api.fail(answers.secondaryRateLimit(), { method: 'POST', path: '/issues/7/comments' })
    const second = await publish()
    expect(second.host.warnings).toEqual([
      `commenting on acme/models#7 hit GitHub's secondary rate limit (too many requests too fast); GitHub gave no reset time; it asks to wait at least a minute, longer than a run waits. ${tail}`
    ])
  })

  it('keeps the advice about permissions for a token that may not comment', async () => {
    api.writeStatus = 403
    const { host } = await publish()
    expect(host.warnings).toEqual([
      "cannot comment on acme/models#7 with the given github-token (HTTP 403: Resource not accessible by integration - https://docs.github.com/rest). Give the job 'permissions: pull-requests: write'; pull requests from forks get a read-only token. " +
        tail
    ])
  })

  it('gives up on a GitHub that never answers within the request timeout, after the results file and summary are written', async () => {
    api.fail('hang', { times: 20 })
    const { host, elapsedMs, written } = await publish(passing, { githubTiming: { requestTimeoutMs: 300 } })
    expect(elapsedMs).toBeLessThan(2000)
    expect(host.warnings).toEqual([`commenting on acme/models#7 was given up: GitHub did not answer GET /repos/acme/models/issues/7/comments within 0.3 s. ${tail}`])
    expect(written.passed).toBe(true)
    expect(core.summaryText.join('')).toContain('modelgate passed')
    expect(core.outputs()).toMatchObject({ passed: 'true', 'results-file': path.join(workspace, options.resultsFile) })
  })

  it('gives the comment up at once when the run is cancelled', async () => {
    api.fail('hang', { times: 20 })
    const cancel = new AbortController()
    setTimeout(() => cancel.abort(), 100)
    const { host, elapsedMs, written } = await publish(passing, { signal: cancel.signal })
    expect(elapsedMs).toBeLessThan(1000)
    expect(host.warnings).toEqual([`commenting on acme/models#7 was given up: stopped waiting for GitHub: the run was cancelled. ${tail}`])
    expect(written.passed).toBe(true)

    api.requests.length = 0
    const cancelled = await publish(passing, { signal: AbortSignal.abort() })
    expect(cancelled.host.warnings).toHaveLength(1)
    expect(api.requests).toEqual([])
  })

  it('posts and summarises with every masked secret redacted, one that Markdown escaping would change too', async () => {
    // Redacted in the results before rendering: escaped, `sk_live_…` would read `sk\_live\_…` and slip past.
    const secret = 'sk_live_abcdef*0123456789'
    const leaky = { ...passing, passed: false, reason: `Stopped early: the server said Bearer ${secret} is wrong`, errors: [`401 for key ${secret}`, `retrying with ${secret}`] }
    const host = recordingHost('action', workspace)
    host.mask(secret)
    await publishResults(leaky, options, host)
    const body = api.comments[0]!.body
    expect(body.split('\n')[0]).toBe('<!-- modelgate:sticky-comment tag="modelgate" -->')
    // `***` escaped, so Markdown shows it as written.
    expect(body).toContain('Bearer \\*\\*\\* is wrong')
    expect(body).not.toContain('abcdef')
    expect(core.summaryText.join('')).toContain('Bearer \\*\\*\\* is wrong')
    expect(core.summaryText.join('')).not.toContain('abcdef')
  })
})
