// The bundled action replaying concurrently against a real llama-server with four slots: by
// default as many samples at once as the server has slots, several in flight as its own log
// shows, speed cases alone; the comment says how the run was scheduled. Also with the server
// started by the action itself (`extra-args: -np 4`), and with `concurrency: 1`.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { SLOW_MODEL_OPTIONS, writeScriptedModel } from '../../scripts/gguf-writer.js'
import type { RunResults } from '../../src/results.js'
import { startLlamaServer } from '../../src/server/llamacpp/driver.js'
import type { ServerSession } from '../../src/server/types.js'
import { startFakeGitHub, type FakeGitHub } from '../support/github-api.js'
import { recordingHost, type RecordingHost } from '../support/host.js'
import { pullRequestEvent, runAction } from '../support/runner.js'
import { mostInFlight } from '../support/llama-server-log.js'

const SCRIPT = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ')
const SUITE = `name: concurrency smoke
defaults:
  max-tokens: 64
cases:
${Array.from({ length: 8 }, (_, i) => `  - id: q${i}\n    prompt: Quality ${i}.\n    assert:\n      - type: contains\n        value: word39`).join('\n')}
  - id: decode
    prompt: Decode.
    repeat: 3
    assert:
      - type: tokens-per-second
        min: 1
`
const SHARED_LINE = "_Up to 4 samples ran at once (the server's 4 slots) for the 8 cases without a speed check, whose figures were taken sharing the server; each sample of the 1 speed case ran alone, with nothing else in flight._"

let workspace: string
let server: ServerSession
let serverHost: RecordingHost
let github: FakeGitHub

beforeAll(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'modelgate-concurrency-e2e-'))
  // The slow model: requests last long enough to overlap.
  await writeScriptedModel(path.join(workspace, 'slow.gguf'), { script: SCRIPT, ...SLOW_MODEL_OPTIONS })
  await writeFile(path.join(workspace, 'suite.yml'), SUITE)
  serverHost = recordingHost('cli', workspace)
  server = await startLlamaServer({
    host: serverHost,
    options: { llamaServerPath: process.env.LLAMA_SERVER, extraArgs: ['-np', '4'] },
    server: { settings: { 'context-length': 4096, 'cpu-threads': 1 }, extraArgs: [] },
    model: 'slow.gguf',
    readyTimeoutMs: 60_000,
    modelBaseDir: workspace,
    suitePath: 'suite.yml'
  })
  github = await startFakeGitHub('acme', 'models', 7)
}, 120_000)
afterAll(async () => {
  await server?.stop()
  await github?.close()
})

const commentTagged = (tag: string) => github.comments.find((c) => c.body.includes(`tag="${tag}"`))!.body

describe('concurrent replay through the action', () => {
  it("replays up to the server's slots at once, speed cases alone, and says so in the comment", async () => {
    const logFile = serverHost.state['llama-server-log']!
    const before = (await readFile(logFile, 'utf8')).length
    const result = await runAction({
      workspace,
      apiUrl: github.url,
      event: pullRequestEvent(7),
      inputs: { suite: 'suite.yml', server: 'connect', 'base-url': server.baseUrl, 'comment-tag': 'shared', 'results-file': 'shared.json' }
    })
    expect(result.exitCode).toBe(0)
    expect(mostInFlight((await readFile(logFile, 'utf8')).slice(before))).toBeGreaterThanOrEqual(2)
    expect(result.stdout).toContain('Up to 4 samples at a time for the 8 cases without a speed check; each sample of the 1 speed case alone')
    for (let i = 0; i < 8; i++) expect(result.stdout).toMatch(new RegExp(`^q${i} sample 1/1: [\\d.]+ tokens/s$`, 'm'))
    expect(result.stdout.match(/^decode sample [123]\/3: /gm)).toHaveLength(3)
    expect(commentTagged('shared')).toContain(SHARED_LINE)
    const results = JSON.parse(await readFile(path.join(workspace, 'shared.json'), 'utf8')) as RunResults
    expect(results.schedule).toEqual({ concurrency: 4, concurrencySource: 'server', aloneCases: 1, sharedCases: 8 })
  }, 120_000)

  it('starts llama-server with the slots extra-args gives it, and shares them', async () => {
    const result = await runAction({
      workspace,
      apiUrl: github.url,
      event: pullRequestEvent(7),
      inputs: { suite: 'suite.yml', server: 'llama.cpp', model: 'slow.gguf', 'llama-server-path': process.env.LLAMA_SERVER!, 'extra-args': '-np 4 -t 1', 'comment-tag': 'started' }
    })
    expect(result.exitCode).toBe(0)
    expect(commentTagged('started')).toContain(SHARED_LINE)
  }, 120_000)

  it('replays one sample at a time when concurrency is 1', async () => {
    const result = await runAction({
      workspace,
      apiUrl: github.url,
      event: pullRequestEvent(7),
      inputs: { suite: 'suite.yml', server: 'connect', 'base-url': server.baseUrl, concurrency: '1', 'comment-tag': 'alone' }
    })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).not.toContain('samples at a time')
    expect(commentTagged('alone')).toContain('_Samples ran one at a time (concurrency 1: as `concurrency` asks)._')
  }, 120_000)
})
