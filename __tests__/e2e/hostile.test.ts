// Hostile text from the model and from the server, through the bundled action as the runner runs
// it: model answers (a real llama-server on a scripted model that prints them), a model id and an
// error message (the fixture server). What is checked is what a reader of the log, the comment
// and the summary would get: no workflow command, no terminal escape, no hidden character, no
// marker that captures another comment.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { writeScriptedModel } from '../../scripts/gguf-writer.js'
import type { RunResults } from '../../src/results.js'
import { startFakeGitHub, type FakeGitHub } from '../support/github-api.js'
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js'
import { processesMentioning } from '../support/processes.js'
import { pullRequestEvent, runAction } from '../support/runner.js'

/** Every construct the issue names, each followed by "pwned" so an injected command is easy to find. */
const HOSTILE = [
  'x\n::error::pwned',
  '::warning file=x.js,line=1::pwned',
  '  ::add-mask::pwned',
  '::stop-commands::pwned',
  '\r::notice::pwned',
  '##[error]pwned',
  '\u001b[31mred\u001b[0m',
  '\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007',
  'abc\u202Edcba',
  '\u2066isolate\u2069',
  'zero\u200Bwidth\u200Djoin\uFEFF',
  '<!-- modelgate:sticky-comment tag="other" -->'
]
const HOSTILE_TEXT = `${HOSTILE.join('\n')}\n`
// ESC is what is looked for: a terminal escape that got through.
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u202A-\u202E\u2066-\u2069\u200B-\u200D\u2060\uFEFF\u001b]/u

/** A stdout line the runner would run as a workflow command that carries injected text. */
function injectedCommands(stdout: string): string[] {
  return stdout.split(/\r?\n|\r/).filter((line) => /^\s*::[^:\s]*( [^:]*)?::pwned/.test(line) || /^\s*::stop-commands::/.test(line) || /##\[error\]pwned/.test(line))
}

let workspace: string
let github: FakeGitHub
let fixture: FixtureServer

beforeAll(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'modelgate-hostile-'))
  await writeScriptedModel(path.join(workspace, 'hostile.gguf'), { script: HOSTILE_TEXT })
  await writeFile(
    path.join(workspace, 'suite.yml'),
    'server:\n  backend: llama.cpp\n  model: hostile.gguf\n  settings:\n    cpu-threads: 2\ndefaults:\n  max-tokens: 200\ncases:\n  - id: hostile\n    prompt: go\n    assert:\n      - type: contains\n        value: never there\n'
  )
  github = await startFakeGitHub('acme', 'models', 7)
  fixture = await startFixtureServer()
}, 60_000)
afterAll(async () => {
  await github.close()
  await fixture.close()
  expect(processesMentioning(workspace)).toEqual([])
})

describe('hostile model answers', () => {
  it('reach the comment, summary and results escaped, and a marker in them captures no comment', async () => {
    const run = await runAction({
      workspace,
      apiUrl: github.url,
      event: pullRequestEvent(7),
      inputs: { suite: 'suite.yml', 'llama-server-path': process.env.LLAMA_SERVER!, 'comment-tag': 'mine', 'results-file': 'hostile.json' }
    })
    expect(run.exitCode).toBe(1)
    const results = JSON.parse(await readFile(path.join(workspace, 'hostile.json'), 'utf8')) as RunResults
    // The model really printed the hostile text: the checks below are about something.
    expect(results.cases[0]!.samples[0]!.text).toBe(HOSTILE_TEXT)
    const body = github.comments.find((c) => c.body.startsWith('<!-- modelgate:sticky-comment tag="mine" -->'))!.body
    for (const place of [body, run.summary]) {
      expect(place).not.toMatch(HIDDEN)
      expect(place).toContain('abc<U+202E>dcba')
      expect(place).toContain('<U+2066>isolate<U+2069>')
      expect(place).toContain('zero<U+200B>width<U+200D>join<U+FEFF>')
    }
    expect(injectedCommands(run.stdout)).toEqual([])
    expect(run.stdout).not.toMatch(HIDDEN)

    // A later run with the tag the answer printed gets a comment of its own.
    const other = await runAction({
      workspace,
      apiUrl: github.url,
      event: pullRequestEvent(7),
      inputs: { suite: 'suite.yml', 'llama-server-path': process.env.LLAMA_SERVER!, 'comment-tag': 'other', 'results-file': 'other.json' }
    })
    expect(other.exitCode).toBe(1)
    expect(github.comments.map((c) => c.body.split('\n')[0])).toEqual([
      '<!-- modelgate:sticky-comment tag="mine" -->',
      '<!-- modelgate:sticky-comment tag="other" -->'
    ])
    expect(github.comments[0]!.body).toBe(body)
  }, 120_000)
})

describe('hostile text from the server', () => {
  it('a model id and an error message become no workflow command and no escape in the log', async () => {
    fixture.modelId = HOSTILE.join(' ')
    fixture.fault = 'bad-request'
    // The warm-up passes, so the message is a measured sample's, written in its progress line.
    fixture.faultAfter = 1
    fixture.errorMessage = HOSTILE_TEXT
    try {
      await writeFile(path.join(workspace, 'connect.yml'), 'cases:\n  - id: hostile\n    prompt: go\n')
      const run = await runAction({
        workspace,
        apiUrl: github.url,
        event: pullRequestEvent(7),
        inputs: { suite: 'connect.yml', server: 'connect', 'base-url': fixture.url, 'comment-tag': 'server', 'results-file': 'server.json' }
      })
      expect(run.exitCode).toBe(1)
      const results = JSON.parse(await readFile(path.join(workspace, 'server.json'), 'utf8')) as RunResults
      // The server's text reached the run: the log lines below had it to write.
      expect(results.cases[0]!.samples[0]!.error).toContain('::error::pwned')
      expect(run.stdout).toContain('pwned')
      expect(injectedCommands(run.stdout)).toEqual([])
      expect(run.stdout).not.toMatch(HIDDEN)
      const body = github.comments.find((c) => c.body.startsWith('<!-- modelgate:sticky-comment tag="server" -->'))!.body
      expect(body).not.toMatch(HIDDEN)
      expect(body).toContain('<U+202E>')
    } finally {
      fixture.modelId = undefined
      fixture.fault = 'none'
      fixture.errorMessage = undefined
    }
  }, 60_000)
})
