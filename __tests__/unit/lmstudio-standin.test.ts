// The LM Studio stand-ins (__tests__/support/lmstudio) driven by what the `server: lmstudio`
// backend drives: the real @lmstudio/sdk 1.5.0 client, LM Studio's REST API, the fake `lms` run as
// a process, and a chat answered by a real llama-server on a scripted model.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { LMStudioClient, type LLMLoadModelConfig } from '@lmstudio/sdk'
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { stripVTControlCharacters as plain } from 'node:util'
import { SLOW_MODEL_OPTIONS, writeScriptedModel, type ScriptedModelInfo } from '../../scripts/gguf-writer.js'
import { createCliHost } from '../../src/host/cli.js'
import { startLlamaServer } from '../../src/server/llamacpp/driver.js'
import type { ServerSession } from '../../src/server/types.js'
import { LLMSTER_VERSION, writeFakeLms } from '../support/lmstudio/lms.js'
import { startLmStudioStandIn, type DownloadedModel, type LmStudioStandIn } from '../support/lmstudio/server.js'
import { llamaServerBinary } from '../../scripts/real-parts.js'

const CODER: DownloadedModel = {
  modelKey: 'qwen/qwen3-coder-30b',
  path: 'lmstudio-community/Qwen3-Coder-30B-A3B-Instruct-GGUF/Qwen3-Coder-30B-A3B-Instruct-Q4_K_M.gguf',
  architecture: 'qwen3moe',
  sizeBytes: 18_556_688_736,
  maxContextLength: 262_144
}
const SMALL: DownloadedModel = { modelKey: 'google/gemma-3-1b', path: 'lmstudio-community/gemma-3-1b-it-GGUF/gemma-3-1b-it-Q4_K_M.gguf', architecture: 'gemma3', maxContextLength: 32_768 }
const SCRIPT = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ')
const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} }

let workspace: string
let llama: ServerSession
let scripted: ScriptedModelInfo
let standIn: LmStudioStandIn


beforeAll(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'modelgate-lmstudio-'))
  // The slow model: a token about every millisecond, so a stream's events arrive apart.
  scripted = await writeScriptedModel(path.join(workspace, 'script.gguf'), { script: SCRIPT, ...SLOW_MODEL_OPTIONS })
  llama = await startLlamaServer({
    host: createCliHost(() => {}),
    options: { llamaServerPath: llamaServerBinary(), extraArgs: [] },
    // One thread: on a busy 2-core machine two would wait on each other at every token.
    server: { settings: { 'context-length': 2048, 'cpu-threads': 1 }, extraArgs: [] },
    model: 'script.gguf',
    readyTimeoutMs: 60_000,
    modelBaseDir: workspace,
    suitePath: 'suite.yml'
  })
  standIn = await startLmStudioStandIn({ models: [CODER, SMALL], upstream: llama.baseUrl, serverRunning: true })
}, 120_000)

afterAll(async () => {
  await standIn?.close()
  await llama?.stop()
  await rm(workspace, { recursive: true, force: true })
})

/** A client as the driver makes one; disposed at the end so no socket outlives the test. */
async function withClient<T>(use: (client: LMStudioClient) => Promise<T>, options: { clientIdentifier?: string; clientPasskey?: string } = {}, on = standIn): Promise<T> {
  const client = new LMStudioClient({ baseUrl: on.wsUrl, logger: quiet, ...options })
  try {
    return await use(client)
  } finally {
    await client[Symbol.asyncDispose]()
  }
}

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

describe('the WebSocket API, through @lmstudio/sdk 1.5.0', () => {
  it('loads with the config exactly as the SDK sends it, lists the instance and unloads it', async () => {
    // Every load setting the driver may set, as a suite's `server.settings` would give them.
    const config: LLMLoadModelConfig = {
      contextLength: 8192,
      gpu: { ratio: 1, numCpuExpertLayersRatio: 0.5 },
      evalBatchSize: 512,
      ropeFrequencyBase: 0,
      ropeFrequencyScale: 0,
      keepModelInMemory: true,
      tryMmap: true,
      seed: 42,
      flashAttention: false,
      llamaKCacheQuantizationType: 'f16',
      llamaVCacheQuantizationType: 'q8_0',
      numExperts: 4,
      offloadKVCacheToGpu: false
    }
    await withClient(async (client) => {
      const from = standIn.calls.length
      const progress: number[] = []
      const handle = await client.llm.load(CODER.modelKey, { identifier: 'modelgate-1', config, verbose: false, onProgress: (p) => progress.push(p) })
      expect([handle.identifier, handle.modelKey, handle.path]).toEqual(['modelgate-1', CODER.modelKey, CODER.path])
      expect(progress).toEqual([0.5, 1])

      // What SDK 1.5.0 puts on the wire: one `apiOverride` layer of KV fields. It drops
      // gpu.numCpuExpertLayersRatio (its validator does not know it) and never sends
      // offloadKVCacheToGpu; 0 for a RoPE setting means "the model's own" (unchecked).
      const fields = [
        { key: 'llm.load.contextLength', value: 8192 },
        { key: 'llm.load.llama.evalBatchSize', value: 512 },
        { key: 'llm.load.llama.acceleration.offloadRatio', value: 1 },
        { key: 'load.gpuSplitConfig', value: { strategy: 'evenly', disabledGpus: [], priority: [], customRatio: [] } },
        { key: 'llm.load.llama.flashAttention', value: false },
        { key: 'llm.load.llama.ropeFrequencyBase', value: { checked: false, value: 0 } },
        { key: 'llm.load.llama.ropeFrequencyScale', value: { checked: false, value: 0 } },
        { key: 'llm.load.llama.keepModelInMemory', value: true },
        { key: 'llm.load.seed', value: { checked: true, value: 42 } },
        { key: 'llm.load.llama.tryMmap', value: true },
        { key: 'llm.load.numExperts', value: 4 },
        { key: 'llm.load.llama.kCacheQuantizationType', value: { checked: true, value: 'f16' } },
        { key: 'llm.load.llama.vCacheQuantizationType', value: { checked: true, value: 'q8_0' } }
      ]
      expect(standIn.calls.slice(from)).toEqual([
        { namespace: 'llm', endpoint: 'authenticate', params: { authVersion: 1, clientIdentifier: expect.any(String) } },
        { namespace: 'llm', endpoint: 'loadModel', params: { modelKey: CODER.modelKey, identifier: 'modelgate-1', loadConfigStack: { layers: [{ layerName: 'apiOverride', config: { fields } }] } } }
      ])
      expect(standIn.instances).toEqual([
        expect.objectContaining({
          identifier: 'modelgate-1',
          modelKey: CODER.modelKey,
          path: CODER.path,
          via: 'sdk',
          config: Object.fromEntries(fields.map((f) => [f.key, f.value])),
          contextLength: 8192,
          ttlMs: null
        })
      ])

      expect(await handle.getModelInfo()).toMatchObject({ identifier: 'modelgate-1', modelKey: CODER.modelKey, contextLength: 8192, maxContextLength: CODER.maxContextLength })
      expect(await handle.getContextLength()).toBe(8192)
      expect((await client.llm.listLoaded()).map((m) => m.identifier)).toEqual(['modelgate-1'])
      await handle.unload()
      expect(standIn.instances).toEqual([])
      expect(standIn.calls.slice(from).map((c) => c.endpoint)).toEqual(['authenticate', 'loadModel', 'getModelInfo', 'getLoadConfig', 'listLoaded', 'unloadModel'])
    })
  })

  it("names the model key and the identifier by default, and refuses an identifier in use", async () => {
    await withClient(async (client) => {
      const first = await client.llm.load(SMALL.modelKey, { verbose: false })
      const second = await client.llm.load(SMALL.modelKey, { verbose: false })
      expect([first.identifier, second.identifier]).toEqual([SMALL.modelKey, `${SMALL.modelKey}:2`])
      // Without a context length LM Studio picks one: the stand-in's is 4096.
      expect(await first.getContextLength()).toBe(4096)
      await expect(client.llm.load(CODER.modelKey, { identifier: SMALL.modelKey, verbose: false })).rejects.toThrow(`A model with the identifier "${SMALL.modelKey}" is already loaded`)
      await first.unload()
      await second.unload()
    })
  })

  it('fails as LM Studio does: a model that is not downloaded, a load that fails, a call it does not serve', async () => {
    await withClient(async (client) => {
      const missing = await client.llm.load('nobody/missing', { verbose: false }).catch((error: Error) => error)
      expect(plain((missing as Error).message)).toContain('Cannot find a model with path "nobody/missing"')
      expect(plain((missing as Error).message)).toContain(CODER.modelKey)

      standIn.loadFailure = { modelKey: CODER.modelKey }
      try {
        const failed = await client.llm.load(CODER.modelKey, { identifier: 'doomed', verbose: false }).catch((error: Error) => error)
        // The SDK draws a box around the title and the cause.
        expect(plain((failed as Error).message).replace(/[│┌┐└┘─\s]+/g, ' ')).toContain(
          'Error loading model. (X) CAUSE (Exit code: 18446744072635812000). Unknown error. Try a different model and/or config.'
        )
        expect(standIn.instances).toEqual([])
      } finally {
        standIn.loadFailure = undefined
      }

      await expect(client.system.getLMStudioVersion()).rejects.toThrow('The LM Studio stand-in does not implement the RPC system.version')
      expect(standIn.calls).toContainEqual({ namespace: 'system', endpoint: 'version', params: undefined })
      await expect(client.llm.unload('never-loaded')).rejects.toThrow('Cannot find a model with identifier')
    })
  })

  it('stops a load the SDK cancels', async () => {
    const slow = await startLmStudioStandIn({ models: [CODER], upstream: llama.baseUrl, serverRunning: true, loadDurationMs: 400 })
    try {
      await withClient(async (client) => {
        const controller = new AbortController()
        // Cancelled at its first progress message, halfway through.
        const loading = client.llm.load(CODER.modelKey, { verbose: false, signal: controller.signal, onProgress: () => controller.abort() })
        await expect(loading).rejects.toThrow('aborted')
        await new Promise((resolve) => setTimeout(resolve, 400))
        expect(slow.calls).toContainEqual({ namespace: 'llm', endpoint: 'channelSend', params: { type: 'cancel' } })
        expect(slow.instances).toEqual([])
      }, {}, slow)
    } finally {
      await slow.close()
    }
  })

  it('keeps the first passkey a client identifier came with', async () => {
    await withClient(async (client) => expect(await client.llm.listLoaded()).toEqual([]), { clientIdentifier: 'modelgate-driver', clientPasskey: 'first' })
    await withClient(async (client) => expect(client.llm.listLoaded()).rejects.toThrow('Failed to validate client: Invalid client passkey for client "modelgate-driver"'), {
      clientIdentifier: 'modelgate-driver',
      clientPasskey: 'second'
    })
    // The SDK never had to warn about a message it could not read.
    expect(standIn.calls.filter((c) => c.endpoint === 'communicationWarning')).toEqual([])
  })
})

describe('the REST API', () => {
  it('loads, lists and unloads instances, which get the model key as id', async () => {
    const loaded = await post(`${standIn.url}/api/v1/models/load`, { model: SMALL.modelKey, context_length: 2048, offload_kv_cache_to_gpu: false, echo_load_config: true })
    expect(loaded.status).toBe(200)
    expect(await loaded.json()).toEqual({
      type: 'llm',
      instance_id: SMALL.modelKey,
      load_time_seconds: expect.any(Number),
      status: 'loaded',
      load_config: { context_length: 2048, eval_batch_size: 512, parallel: 4, flash_attention: true, offload_kv_cache_to_gpu: false }
    })
    expect(standIn.instances.at(-1)).toMatchObject({ via: 'rest', config: { 'llm.load.contextLength': 2048, 'llm.load.offloadKVCacheToGpu': false } })
    const again = (await (await post(`${standIn.url}/api/v1/models/load`, { model: SMALL.modelKey })).json()) as { instance_id: string }
    expect(again.instance_id).toBe(`${SMALL.modelKey}:2`)

    const { models } = (await (await fetch(`${standIn.url}/api/v1/models`)).json()) as { models: { key: string; loaded_instances: { id: string }[] }[] }
    expect(models.map((m) => [m.key, m.loaded_instances.map((i) => i.id)])).toEqual([
      [CODER.modelKey, []],
      [SMALL.modelKey, [SMALL.modelKey, `${SMALL.modelKey}:2`]]
    ])
    // With just-in-time loading on, /v1/models lists what is downloaded too, loaded or not.
    const { data } = (await (await fetch(`${standIn.url}/v1/models`)).json()) as { data: { id: string }[] }
    expect(data.map((m) => m.id)).toEqual([SMALL.modelKey, `${SMALL.modelKey}:2`, CODER.modelKey])

    for (const id of [`${SMALL.modelKey}:2`, SMALL.modelKey]) {
      const unloaded = await post(`${standIn.url}/api/v1/models/unload`, { instance_id: id })
      expect(await unloaded.json()).toEqual({ instance_id: id })
    }
    expect((await post(`${standIn.url}/api/v1/models/unload`, { instance_id: SMALL.modelKey })).status).toBe(404)
    const missing = await post(`${standIn.url}/api/v1/models/load`, { model: 'nobody/missing' })
    expect([missing.status, ((await missing.json()) as { error: { code: string } }).error.code]).toEqual([404, 'model_not_found'])
    expect(standIn.calls).toContainEqual({ namespace: 'http', endpoint: 'POST /api/v1/models/load', params: { model: 'nobody/missing' } })
  })

  it('answers a path it does not serve with 200 and an error, as LM Studio does', async () => {
    const answer = await fetch(`${standIn.url}/api/v0/nothing`)
    expect([answer.status, await answer.json()]).toEqual([200, { error: 'Unexpected endpoint or method. (GET /api/v0/nothing)' }])
  })
})

describe('chat, answered by a real llama-server', () => {
  const chat = (route: string, body: Record<string, unknown>) => post(`${standIn.url}${route}`, { messages: [{ role: 'user', content: 'go' }], max_tokens: 200, ...body })

  /** The stream as it arrived: each read off the socket, and the events in them. */
  async function readStream(response: Response): Promise<{ reads: string[]; chunks: Record<string, unknown>[]; done: boolean }> {
    const reader = response.body!.getReader()
    const decoder = new TextDecoder()
    const reads: string[] = []
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      reads.push(decoder.decode(value, { stream: true }))
    }
    const data = reads.join('').split('\n\n').filter(Boolean).map((event) => event.replace(/^data: /, ''))
    return { reads, chunks: data.filter((d) => d !== '[DONE]').map((d) => JSON.parse(d) as Record<string, unknown>), done: data.at(-1) === '[DONE]' }
  }

  const contentOf = (chunk: Record<string, unknown>) => (chunk.choices as { delta?: { content?: string | null } }[])[0]?.delta?.content ?? undefined

  it('streams /api/v0 event by event, with LM Studio\'s stats on the last chunk', async () => {
    await standIn.load({ modelKey: CODER.modelKey, identifier: 'modelgate-chat', config: { 'llm.load.contextLength': 2048 }, via: 'sdk' })
    try {
      const response = await chat('/api/v0/chat/completions', { model: 'modelgate-chat', stream: true })
      expect(response.headers.get('content-type')).toContain('text/event-stream')
      const { reads, chunks, done } = await readStream(response)
      expect(done).toBe(true)
      // One event per token, none merged; and they came over several reads, not in one buffered write.
      expect(chunks.map(contentOf).filter((c) => c !== undefined)).toEqual(scripted.pieces)
      expect(reads.filter((read) => read.includes('"content"')).length).toBeGreaterThan(1)
      expect(chunks.every((c) => c.model === 'modelgate-chat' && c.system_fingerprint === 'modelgate-chat' && !('timings' in c))).toBe(true)
      expect(chunks.slice(0, -1).some((c) => 'stats' in c)).toBe(false)
      const { stats } = chunks.at(-1) as { stats: Record<string, number | string> }
      expect(stats).toEqual({ tokens_per_second: expect.any(Number), time_to_first_token: expect.any(Number), generation_time: expect.any(Number), stop_reason: 'eosFound' })
      expect(stats.tokens_per_second).toBeGreaterThan(0)
      expect(stats.generation_time).toBeGreaterThan(0)

      // As LM Studio 0.3.6–0.3.8 was reported to stream: no stats at all.
      standIn.v0StreamStats = 'none'
      const bare = await readStream(await chat('/api/v0/chat/completions', { model: 'modelgate-chat', stream: true }))
      expect(bare.chunks.some((c) => 'stats' in c)).toBe(false)
      standIn.v0StreamStats = 'last-chunk'

      const whole = (await (await chat('/api/v0/chat/completions', { model: 'modelgate-chat', max_tokens: 3 })).json()) as Record<string, unknown>
      expect(whole).toMatchObject({
        model: 'modelgate-chat',
        stats: { stop_reason: 'maxPredictedTokensReached' },
        model_info: { arch: 'qwen3moe', format: 'gguf', context_length: 2048 },
        runtime: { supported_formats: ['gguf'] }
      })
      const openAi = (await (await chat('/v1/chat/completions', { model: 'modelgate-chat' })).json()) as Record<string, unknown>
      expect(openAi).toMatchObject({ model: 'modelgate-chat', stats: {}, choices: [{ message: { content: SCRIPT } }] })
      expect(openAi).not.toHaveProperty('timings')
      expect(standIn.chats.map((c) => [c.path, c.identifier])).toEqual([
        ['/api/v0/chat/completions', 'modelgate-chat'],
        ['/api/v0/chat/completions', 'modelgate-chat'],
        ['/api/v0/chat/completions', 'modelgate-chat'],
        ['/v1/chat/completions', 'modelgate-chat']
      ])
      expect(standIn.jitLoads).toEqual([])
    } finally {
      standIn.unload('modelgate-chat')
    }
  }, 30_000)

  it('loads a downloaded model just in time for a chat that names its key, and records it', async () => {
    const answer = await chat('/v1/chat/completions', { model: SMALL.modelKey })
    expect(answer.status).toBe(200)
    expect(standIn.jitLoads).toEqual([expect.objectContaining({ identifier: SMALL.modelKey, via: 'jit', ttlMs: 3_600_000 })])
    standIn.unload(SMALL.modelKey)

    const unknown = await chat('/v1/chat/completions', { model: 'nobody/missing' })
    expect([unknown.status, ((await unknown.json()) as { error: { code: string } }).error.code]).toEqual([400, 'model_not_found'])
    standIn.jit = false
    try {
      const off = await chat('/v1/chat/completions', { model: SMALL.modelKey })
      expect(await off.json()).toEqual({ error: { message: "No models loaded. Please load a model in the developer page or use the 'lms load' command.", type: 'invalid_request_error', param: 'model', code: null } })
    } finally {
      standIn.jit = true
    }
    expect(standIn.jitLoads).toHaveLength(1)
  }, 30_000)
})

describe('the fake lms', () => {
  it('brings LM Studio up, loads, lists, unloads and stops as lms does, and logs every command', async () => {
    const down = await startLmStudioStandIn({ models: [CODER, SMALL], upstream: llama.baseUrl })
    try {
      const lms = writeFakeLms(path.join(workspace, 'bin'), down)
      const run = (...args: string[]) =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
          execFile(lms.path, args, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }))
        )
      const port = String(down.port)

      expect(await run('server', 'status', '--json')).toEqual({ code: 0, stdout: '{"running":false}\n', stderr: '' })
      // Until the server starts, its port refuses connections.
      await expect(fetch(`${down.url}/v1/models`)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } })
      expect((await run('daemon', 'status', '--json')).stdout).toBe('{"status":"not-running"}\n')
      expect(JSON.parse((await run('daemon', 'up', '--json')).stdout)).toEqual({ status: 'running', pid: expect.any(Number), isDaemon: true, version: LLMSTER_VERSION })
      expect(await run('server', 'start', '--port', port)).toEqual({ code: 0, stdout: '', stderr: `Success! Server is now running on port ${port}\n` })
      expect(await run('server', 'status', '--json')).toMatchObject({ code: 0, stdout: `{"running":true,"port":${port}}\n` })
      expect((await fetch(`${down.url}/v1/models`)).status).toBe(200)

      await withClient((client) => client.llm.load(CODER.modelKey, { identifier: 'modelgate-ps', config: { contextLength: 2048 }, verbose: false }), {}, down)
      const listed = JSON.parse((await run('ps', '--json')).stdout) as Record<string, unknown>[]
      expect(listed).toEqual([
        expect.objectContaining({ type: 'llm', identifier: 'modelgate-ps', modelKey: CODER.modelKey, path: CODER.path, contextLength: 2048, parallel: 4, status: 'idle', queued: 0 })
      ])
      expect(listed[0]).not.toHaveProperty('instanceReference')
      expect(JSON.parse((await run('ls', '--json')).stdout)).toEqual([expect.objectContaining({ modelKey: CODER.modelKey, path: CODER.path }), expect.objectContaining({ modelKey: SMALL.modelKey })])

      // `lms load` takes its key fuzzily, as lms does: "gemma1b" is google/gemma-3-1b.
      const loaded = await run('load', 'gemma1b', '-y', '--identifier', 'by-lms', '-c', '1024', '--gpu', 'max')
      expect(loaded).toMatchObject({ code: 0, stderr: expect.stringContaining('To use the model in the API/SDK, use the identifier "by-lms".') })
      expect(down.instances.at(-1)).toMatchObject({ identifier: 'by-lms', modelKey: SMALL.modelKey, via: 'lms', config: { 'llm.load.contextLength': 1024, 'llm.load.llama.acceleration.offloadRatio': 1 } })
      expect(await run('load', SMALL.modelKey, '--bogus')).toMatchObject({ code: 1, stderr: "error: unknown option '--bogus'\n" })

      expect(await run('unload', 'modelgate-ps')).toMatchObject({ code: 0, stderr: 'Model "modelgate-ps" unloaded.\n' })
      // lms says it found nothing, and still exits 0.
      expect(await run('unload', 'modelgate-ps')).toMatchObject({ code: 0, stderr: expect.stringContaining('Cannot find a model with the identifier "modelgate-ps"') })

      expect(await run('server', 'stop')).toEqual({ code: 0, stdout: '', stderr: `Stopped the server on port ${port}.\n` })
      expect((await run('server', 'status', '--json')).stdout).toBe(`{"running":false,"port":${port}}\n`)
      await expect(fetch(`${down.url}/v1/models`)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } })
      expect(await run('server', 'stop')).toEqual({ code: 1, stdout: '', stderr: 'Error: The server is not running.\n' })
      expect(await run('daemon', 'down')).toMatchObject({ code: 0 })
      expect(down.instances).toEqual([])

      expect(lms.calls()).toEqual([
        ['server', 'status', '--json'],
        ['daemon', 'status', '--json'],
        ['daemon', 'up', '--json'],
        ['server', 'start', '--port', port],
        ['server', 'status', '--json'],
        ['ps', '--json'],
        ['ls', '--json'],
        ['load', 'gemma1b', '-y', '--identifier', 'by-lms', '-c', '1024', '--gpu', 'max'],
        ['load', SMALL.modelKey, '--bogus'],
        ['unload', 'modelgate-ps'],
        ['unload', 'modelgate-ps'],
        ['server', 'stop'],
        ['server', 'status', '--json'],
        ['server', 'stop'],
        ['daemon', 'down']
      ])
    } finally {
      await down.close()
    }
  }, 30_000)

  it('cannot start the server on a port other than the stand-in\'s, and says so as lms would', async () => {
    const down = await startLmStudioStandIn({ models: [], upstream: llama.baseUrl })
    try {
      const lms = writeFakeLms(path.join(workspace, 'other-bin'), down)
      const result = await new Promise<{ code: number; stderr: string }>((resolve) =>
        execFile(lms.path, ['server', 'start'], (error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }))
      )
      // Without -p lms uses the port it last used, else 1234.
      expect(result).toEqual({ code: 1, stderr: 'Error: Failed to verify the server is running. Please try to use another port.\n' })
      expect([down.serverRunning, down.lastServerPort]).toEqual([false, 1234])
    } finally {
      await down.close()
    }
  })
})
