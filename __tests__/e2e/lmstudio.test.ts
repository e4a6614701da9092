// `server: lmstudio` through the bundled action, as the runner runs it, against the LM Studio
// stand-ins (__tests__/support/lmstudio: the WebSocket API the real @lmstudio/sdk speaks, the REST
// and OpenAI-compatible endpoints, and a fake `lms` with the real CLI's shapes), whose answers
// come from a real llama-server on a scripted model. What LM Studio itself would do with the
// load settings is not covered: the stand-in records them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { exampleAnswer } from '../../scripts/example-models.js'
import { writeScriptedModel } from '../../scripts/gguf-writer.js'
import { createCliHost } from '../../src/host/cli.js'
import type { RunResults } from '../../src/results.js'
import { startLlamaServer } from '../../src/server/llamacpp/driver.js'
import type { ServerSession } from '../../src/server/types.js'
import { startFakeGitHub, type FakeGitHub } from '../support/github-api.js'
import { writeFakeLms, type FakeLms } from '../support/lmstudio/lms.js'
import { startLmStudioStandIn, type LmStudioStandIn } from '../support/lmstudio/server.js'
import { pullRequestEvent, runAction, type ActionRun } from '../support/runner.js'

const KEY = 'deepseek/deepseek-coder-v2-lite-instruct'
let workspace: string
let llama: ServerSession
let github: FakeGitHub

beforeAll(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'modelgate-lms-'))
  await writeScriptedModel(path.join(workspace, 'good.gguf'), { script: await exampleAnswer('good') })
  llama = await startLlamaServer({
    host: createCliHost(() => {}),
    options: { llamaServerPath: process.env.LLAMA_SERVER, extraArgs: [] },
    server: { settings: { 'context-length': 8192, 'cpu-threads': 2 }, extraArgs: [] },
    model: 'good.gguf',
    readyTimeoutMs: 60_000,
    modelBaseDir: workspace,
    suitePath: 'suite.yml'
  })
  // The example suite (the seed's task and LM Studio settings), with the model key LM Studio knows.
  const example = await readFile(new URL('../../examples/user-status/suite.yml', import.meta.url), 'utf8')
  await writeFile(path.join(workspace, 'suite.yml'), example.replace(/backend: \S+/, 'backend: lmstudio').replace(/model: \S+/, `model: ${KEY}`).replace(/min-tokens-per-second: [\d.]+/, 'min-tokens-per-second: 1'))
  github = await startFakeGitHub('acme', 'models', 7)
}, 120_000)
afterAll(async () => {
  await llama?.stop()
  await github?.close()
})

async function withStandIn<T>(serverRunning: boolean, use: (standIn: LmStudioStandIn, lms: FakeLms) => Promise<T>): Promise<T> {
  const standIn = await startLmStudioStandIn({
    models: [{ modelKey: KEY, path: 'lmstudio-community/DeepSeek-Coder-V2-Lite-Instruct-GGUF/DeepSeek-Coder-V2-Lite-Instruct-Q4_K_M.gguf', architecture: 'deepseek2', maxContextLength: 163_840 }],
    upstream: llama.baseUrl,
    serverRunning
  })
  try {
    return await use(standIn, writeFakeLms(await mkdtemp(path.join(os.tmpdir(), 'modelgate-lms-bin-')), standIn))
  } finally {
    await standIn.close()
  }
}

async function gate(standIn: LmStudioStandIn, lms: FakeLms, inputs: Record<string, string> = {}): Promise<ActionRun & { results: RunResults; comment: string }> {
  github.comments.length = 0
  const run = await runAction({
    workspace,
    apiUrl: github.url,
    event: pullRequestEvent(7),
    inputs: { suite: 'suite.yml', 'lms-path': lms.path, 'lmstudio-port': String(standIn.port), 'comment-tag': 'lmstudio', ...inputs },
    timeoutMs: 120_000
  })
  const results = JSON.parse(await readFile(path.join(workspace, 'modelgate-results.json'), 'utf8')) as RunResults
  return { ...run, results, comment: github.comments[0]?.body ?? '' }
}

describe('server: lmstudio, the example suite with the seed settings', () => {
  it('starts the daemon and server, loads with the load config, replays by identifier with stats, and undoes it all', async () => {
    await withStandIn(false, async (standIn, lms) => {
      const run = await gate(standIn, lms)
      expect(run.stderr).toBe('')
      expect(run.exitCode).toBe(0)
      const identifier = run.results.server!.model
      expect(identifier).toMatch(/^modelgate-[0-9a-f]{8}$/)
      // The exact commands, in order.
      expect(lms.calls()).toEqual([
        ['server', 'status', '--json'],
        ['daemon', 'status', '--json'],
        ['daemon', 'up', '--json'],
        ['server', 'start', '--port', String(standIn.port)],
        ['ls', '--json'],
        ['ps', '--json'],
        ['unload', identifier],
        ['server', 'stop'],
        ['daemon', 'down']
      ])
      // The load the SDK sent for the seed's settings, under LM Studio's own keys.
      const load = standIn.calls.find((c) => c.endpoint === 'loadModel')!
      expect(load.params).toMatchObject({ modelKey: KEY, identifier })
      expect(standIn.calls.filter((c) => c.endpoint === 'loadModel')).toHaveLength(1)
      const loaded = (load.params as { loadConfigStack: { layers: { layerName: string; config: { fields: { key: string; value: unknown }[] } }[] } }).loadConfigStack.layers
      expect(loaded.map((l) => l.layerName)).toEqual(['apiOverride'])
      expect(loaded[0]!.config.fields).toEqual([
        { key: 'llm.load.contextLength', value: 8192 },
        { key: 'llm.load.llama.evalBatchSize', value: 512 },
        { key: 'llm.load.llama.acceleration.offloadRatio', value: 'max' },
        { key: 'load.gpuSplitConfig', value: { strategy: 'evenly', disabledGpus: [], priority: [], customRatio: [] } },
        { key: 'llm.load.llama.flashAttention', value: false },
        { key: 'llm.load.llama.keepModelInMemory', value: true },
        { key: 'llm.load.llama.tryMmap', value: true },
        { key: 'llm.load.numExperts', value: 6 },
        { key: 'llm.load.llama.kCacheQuantizationType', value: { checked: false, value: 'f16' } },
        { key: 'llm.load.llama.vCacheQuantizationType', value: { checked: false, value: 'f16' } }
      ])
      // Every chat named the instance modelgate loaded: LM Studio never loaded one just in time.
      expect(standIn.chats.length).toBeGreaterThan(1)
      expect(new Set(standIn.chats.map((c) => `${c.path} ${c.identifier}`))).toEqual(new Set([`/api/v0/chat/completions ${identifier}`]))
      expect(standIn.jitLoads).toEqual([])
      expect(standIn.instances).toEqual([])
      expect(standIn.serverRunning).toBe(false)
      expect(standIn.daemonRunning).toBe(false)
      // LM Studio's own figures decided, and the report says so.
      expect(run.results.speedSource).toBe('server')
      expect(run.results.cases[0]!.samples.every((s) => s.server?.tokensPerSecond !== undefined && s.tokensPerSecondSource === 'server')).toBe(true)
      expect(run.results.server!.notApplied).toEqual([{ setting: 'cpu-threads', reason: expect.stringContaining('cpuThreads') }])
      expect(run.results.server!.loadedAs).toMatchObject({ identifier, modelKey: KEY, contextLength: 8192 })
      expect(run.comment).toContain('| Backend | lmstudio |')
      expect(run.comment).toContain(`| Loaded as | ${identifier} (${KEY}, context 8192`)
      expect(run.comment).toContain('| `context-length` | 8192 → contextLength: 8192 |')
      expect(run.comment).toContain("Speed figures are the server's own")
    })
  }, 180_000)

  it('leaves a server the user already runs up, and unloads only its own instance', async () => {
    await withStandIn(true, async (standIn, lms) => {
      const run = await gate(standIn, lms)
      expect(run.exitCode).toBe(0)
      const calls = lms.calls()
      expect(calls[0]).toEqual(['server', 'status', '--json'])
      expect(calls).not.toContainEqual(['server', 'start', '--port', String(standIn.port)])
      expect(calls).not.toContainEqual(['server', 'stop'])
      expect(calls.at(-1)).toEqual(['unload', run.results.server!.model])
      expect(standIn.serverRunning).toBe(true)
      expect(standIn.instances).toEqual([])
    })
  }, 180_000)

  it('says `lms get` when the model is not downloaded, and that LM Studio could not load it, quoting why', async () => {
    await withStandIn(true, async (standIn, lms) => {
      const missing = await gate(standIn, lms, { model: 'someone/not-downloaded' })
      expect(missing.exitCode).toBe(1)
      expect(missing.stdout).toMatch(/^::error::Stopped early: 'someone\/not-downloaded' is not downloaded in LM Studio: run `lms get someone\/not-downloaded` first/m)
      standIn.loadFailure = { modelKey: KEY }
      const failed = await gate(standIn, lms)
      expect(failed.exitCode).toBe(1)
      expect(failed.stdout).toMatch(new RegExp(`^::error::Stopped early: LM Studio could not load '${KEY.replace('/', '\\/')}': .*Error loading model`, 'm'))
      expect(standIn.instances).toEqual([])
      expect(failed.results.server?.commands?.[0]).toBe('lms server status --json')
    })
  }, 180_000)

  it('in connect mode, knows LM Studio and reads its own figures from /api/v0', async () => {
    await withStandIn(true, async (standIn) => {
      await standIn.load({ modelKey: KEY, identifier: 'already-loaded', via: 'lms' })
      github.comments.length = 0
      const run = await runAction({
        workspace,
        apiUrl: github.url,
        event: pullRequestEvent(7),
        inputs: { suite: 'suite.yml', server: 'connect', 'base-url': `${standIn.url}/v1`, model: 'already-loaded', 'comment-tag': 'lmstudio-connect' }
      })
      expect(run.exitCode).toBe(0)
      const results = JSON.parse(await readFile(path.join(workspace, 'modelgate-results.json'), 'utf8')) as RunResults
      expect(results.server).toMatchObject({ backend: 'connect', engine: 'lmstudio', baseUrl: `${standIn.url}/api/v0` })
      expect(results.speedSource).toBe('server')
      expect(new Set(standIn.chats.map((c) => `${c.path} ${c.identifier}`))).toEqual(new Set(['/api/v0/chat/completions already-loaded']))
      expect(standIn.jitLoads).toEqual([])
    })
  }, 120_000)

  it('names where it looked when lms is not there', async () => {
    await withStandIn(true, async (standIn, lms) => {
      void lms
      const run = await gate(standIn, lms, { 'lms-path': path.join(workspace, 'no-such-lms') })
      expect(run.exitCode).toBe(1)
      expect(run.stdout).toContain(`::error::Stopped early: lms not found at ${path.join(workspace, 'no-such-lms')} (input 'lms-path'): no executable file there`)
    })
  }, 60_000)

  it('in the post step, unloads the instance of a main step that was killed, and stops what it started', async () => {
    await withStandIn(false, async (standIn, lms) => {
      const main = await runAction({
        workspace,
        inputs: { suite: 'suite.yml', 'lms-path': lms.path, 'lmstudio-port': String(standIn.port), comment: 'false' },
        onStdout: (text, child) => {
          if (text.includes('sample 1/')) child.kill('SIGKILL')
        },
        timeoutMs: 120_000
      })
      expect(main.exitCode).toBeNull()
      expect(standIn.instances).toHaveLength(1)
      const identifier = standIn.instances[0]!.identifier
      const post = await runAction({ workspace, entry: 'dist/post/index.js', inputs: {}, state: main.state })
      expect(post.exitCode).toBe(0)
      expect(post.stdout).toContain(`Unloaded ${identifier} from LM Studio`)
      expect(standIn.instances).toEqual([])
      expect(standIn.serverRunning).toBe(false)
      expect(standIn.daemonRunning).toBe(false)
    })
  }, 180_000)
})
