// The bundled action in connect mode, against a real llama-server the test starts itself (as a
// team's runner would keep one running), and against one that dies in the middle of the suite.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { SLOW_MODEL_OPTIONS, writeScriptedModel } from '../../scripts/gguf-writer.js'
import { createCliHost } from '../../src/host/cli.js'
import type { RunResults } from '../../src/results.js'
import { startLlamaServer } from '../../src/server/llamacpp/driver.js'
import type { ServerSession } from '../../src/server/types.js'
import { startFakeGitHub, type FakeGitHub } from '../support/github-api.js'
import { closedPort } from '../support/ports.js'
import { pullRequestEvent, runAction, type RunActionOptions } from '../support/runner.js'

const ANSWER = 'Use `Objects.requireNonNull(userId)` first.\n\nPing @octocat <b>now</b>.\n'
const SUITE = `name: connect smoke
defaults:
  max-tokens: 64
cases:
  - id: greeting
    prompt: How do I check userId?
    repeat: 2
    assert:
      - type: contains
        value: requireNonNull
      - type: not-contains
        value: printStackTrace
  - id: second
    messages:
      - role: system
        content: Be brief.
      - role: user
        content: Again?
    assert:
      - type: regex
        value: "@\\\\w+"
`

let workspace: string
let server: ServerSession
let github: FakeGitHub

async function startServer(model: string, settings = {}): Promise<ServerSession> {
  return startLlamaServer({
    host: createCliHost(() => {}),
    options: { llamaServerPath: process.env.LLAMA_SERVER, extraArgs: [] },
    server: { settings: { 'context-length': 2048, 'cpu-threads': 2, ...settings }, extraArgs: [] },
    model,
    readyTimeoutMs: 60_000,
    modelBaseDir: workspace,
    suitePath: 'suite.yml'
  })
}

beforeAll(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'modelgate-connect-'))
  await writeScriptedModel(path.join(workspace, 'answer.gguf'), { script: ANSWER })
  await writeFile(path.join(workspace, 'suite.yml'), SUITE)
  server = await startServer('answer.gguf')
  // One loopback GitHub for the file: every describe below posts to it.
  github = await startFakeGitHub('acme', 'models', 7)
}, 120_000)
afterAll(async () => {
  await server?.stop()
  await github?.close()
})

const run = (options: Partial<RunActionOptions> & { inputs: Record<string, string> }) =>
  runAction({ workspace, apiUrl: github.url, event: pullRequestEvent(7), ...options, inputs: { suite: 'suite.yml', server: 'connect', 'base-url': server.baseUrl, ...options.inputs } })

describe('server: connect', () => {
  it('replays the suite against the running server and posts one comment, updated on the next run', async () => {
    const first = await run({ inputs: {} })
    expect(first.exitCode).toBe(0)
    expect(first.outputs).toMatchObject({ passed: 'true', 'cases-passed': '2', 'cases-failed': '0' })
    expect(github.comments).toHaveLength(1)
    const created = github.comments[0]!
    const body = created.body
    expect(body).toContain('### ✅ modelgate passed: connect smoke')
    expect(body).toContain('| Backend | connect (llama.cpp) |')
    expect(body).toContain(`| Server | ${server.baseUrl} |`)
    // The model's text is fenced, with the mention broken.
    expect(body).toContain('```\nUse `Objects.requireNonNull(userId)` first.\n\nPing @octocat <b>now</b>.\n```')
    // Inside code a mention notifies no one; outside it the model's text can ping no one.
    const prose = body.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, '')
    expect(prose).not.toContain('@octocat')

    const second = await run({ inputs: {} })
    expect(second.exitCode).toBe(0)
    expect(github.comments).toHaveLength(1)
    expect(github.comments[0]!.id).toBe(created.id)
    expect(github.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1)
    expect(second.outputs['comment-url']).toBe(created.html_url)
    // The server was connected to, not started: it is still serving.
    expect((await fetch(server.baseUrl.replace(/\/v1$/, '/health'))).status).toBe(200)
    const results = JSON.parse(await readFile(path.join(workspace, 'modelgate-results.json'), 'utf8')) as RunResults
    expect(results.cases.map((c) => [c.id, c.samples.length, c.passed])).toEqual([
      ['greeting', 2, true],
      ['second', 1, true]
    ])
    expect(results.cases[0]!.samples[0]!.text).toBe(ANSWER)
    expect(results.speedSource).toBe('server')
  }, 120_000)

  it('warns when the token cannot comment, and still writes the summary and the results', async () => {
    const readOnly = await startFakeGitHub('acme', 'models', 7, { writeStatus: 403 })
    try {
      const result = await runAction({
        workspace,
        apiUrl: readOnly.url,
        event: pullRequestEvent(7),
        inputs: { suite: 'suite.yml', server: 'connect', 'base-url': server.baseUrl, 'results-file': 'out/fork.json' }
      })
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain(
        "::warning::cannot comment on acme/models#7 with the given github-token (HTTP 403: Resource not accessible by integration"
      )
      expect(result.stdout).toContain("Give the job 'permissions: pull-requests: write'; pull requests from forks get a read-only token.")
      expect(result.summary).toContain('### ✅ modelgate passed: connect smoke')
      expect(result.outputs['comment-url']).toBeUndefined()
      const results = JSON.parse(await readFile(path.join(workspace, 'out/fork.json'), 'utf8')) as RunResults
      expect(results.passed).toBe(true)
    } finally {
      await readOnly.close()
    }
  }, 120_000)

  it('never prints the api-key or the token', async () => {
    const result = await run({ inputs: { 'api-key': 'sk-local-secret-123456' } })
    expect(result.stdout).toContain('::add-mask::sk-local-secret-123456')
    const leaked = [result.stdout.replace(/::add-mask::\S+/g, ''), result.stderr, result.summary, ...github.comments.map((c) => c.body)]
    for (const text of leaked) {
      expect(text).not.toContain('sk-local-secret-123456')
      expect(text).not.toContain('ghs_fakeTokenForTests0123456789')
    }
  }, 120_000)

  it('sends the key given to llama-server in extra-args, and shows it nowhere', async () => {
    const result = await run({
      inputs: { server: 'llama.cpp', 'base-url': '', model: 'answer.gguf', 'llama-server-path': process.env.LLAMA_SERVER!, 'extra-args': '--api-key sk-server-key-98765 -t 2', 'comment-tag': 'keyed' }
    })
    expect(result.exitCode).toBe(0)
    const body = github.comments.find((c) => c.body.includes('tag="keyed"'))!.body
    expect(body).toContain('--api-key *** -t 2')
    for (const text of [result.stdout.replace(/::add-mask::\S+/g, ''), result.stderr, result.summary, body]) {
      expect(text).not.toContain('sk-server-key-98765')
    }
  }, 120_000)

  it('names the URL when nothing answers there', async () => {
    const port = await closedPort()
    const result = await run({ inputs: { 'base-url': `http://127.0.0.1:${port}/v1`, 'server-timeout': '1' } })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(
      new RegExp(
        `^::error::Stopped early: nothing is listening at http://127\\.0\\.0\\.1:${port}/v1 \\(connection refused for [\\d.]+ s\\): is the model server running, and is ${port} its port\\? ` +
          "With llama\\.cpp, set the input 'server' \\(or server\\.backend in the suite\\) to llama\\.cpp and modelgate starts llama-server itself\\.$",
        'm'
      )
    )
    expect(result.outputs['failure-kind']).toBe('infrastructure')
    expect(github.comments[0]!.body).toContain('### ❌ modelgate failed: connect smoke')
  }, 60_000)
})

describe('a cancelled run in connect mode', () => {
  it('writes what it measured everywhere, marked cancelled, and leaves the server it did not start running', async () => {
    await writeFile(path.join(workspace, 'many.yml'), 'cases:\n  - id: many\n    prompt: go\n    repeat: 100\n    assert:\n      - type: contains\n        value: requireNonNull\n')
    let signalled = false
    const result = await run({
      inputs: { suite: 'many.yml', 'results-file': 'cancelled-connect.json', 'comment-tag': 'cancel-connect' },
      onStdout: (text, child) => {
        if (!signalled && text.includes('many sample 3/100')) {
          signalled = true
          child.kill('SIGINT')
        }
      }
    })
    expect(result.exitCode).toBe(130)
    const results = JSON.parse(await readFile(path.join(workspace, 'cancelled-connect.json'), 'utf8')) as RunResults
    expect(results.cancelled?.signal).toBe('SIGINT')
    expect(results.cases[0]!.samples.length).toBeGreaterThanOrEqual(3)
    expect(results.cases[0]!.samples.every((s) => !s.error && s.text === ANSWER)).toBe(true)
    expect(result.outputs['failure-kind']).toBe('cancelled')
    expect(result.summary).toContain('### ⏹️ modelgate was cancelled')
    expect(github.comments.find((c) => c.body.includes('tag="cancel-connect"'))?.body).toContain('Failure kind: `cancelled`')
    // connect mode never stops a server it found running.
    expect((await fetch(`${server.baseUrl}/models`)).status).toBe(200)
  }, 120_000)
})

describe('a server that dies in the middle of the suite', () => {
  it('keeps the samples taken before, and says what happened', async () => {
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ')
    await writeScriptedModel(path.join(workspace, 'long.gguf'), { script: long, ...SLOW_MODEL_OPTIONS })
    const dying = await startServer('long.gguf')
    await writeFile(path.join(workspace, 'long.yml'), 'cases:\n  - id: long\n    prompt: go\n    max-tokens: 1000\n    repeat: 50\n    assert:\n      - type: contains\n        value: word0\n')
    const github2 = await startFakeGitHub('acme', 'models', 7)
    try {
      const pending = runAction({
        workspace,
        apiUrl: github2.url,
        event: pullRequestEvent(7),
        inputs: { suite: 'long.yml', server: 'connect', 'base-url': dying.baseUrl, 'results-file': 'dying.json' },
        onStdout: (text) => {
          if (text.includes('long sample 2/50')) void dying.stop()
        }
      })
      const result = await pending
      expect(result.exitCode).toBe(1)
      const results = JSON.parse(await readFile(path.join(workspace, 'dying.json'), 'utf8')) as RunResults
      const samples = results.cases[0]!.samples
      expect(samples.filter((s) => !s.error).length).toBeGreaterThanOrEqual(2)
      expect(samples.filter((s) => !s.error).every((s) => s.text === long)).toBe(true)
      expect(results.errors[0]).toMatch(new RegExp(`^lost the connection to ${dying.baseUrl.replace(/[.]/g, '\\.')}`))
      expect(result.stdout).toMatch(/^::error::Stopped early: lost the connection to /m)
      expect(github2.comments[0]!.body).toMatch(/^\*\*0 of 1 case passed\.\*\* Stopped early: lost the connection to http:\/\/127\.0\.0\.1:\d+\/v1: (other side closed|ECONNRESET|ECONNREFUSED)\. Failed: long \(request/m)
    } finally {
      await dying.stop()
      await github2.close()
    }
  }, 180_000)
})
