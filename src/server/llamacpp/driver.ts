// `server: llama.cpp`: starts llama-server with the suite's settings, waits until it is ready
// while watching the process, and always stops it. If the job is cancelled, the host's
// cancellation and then the post step (by the saved pid) take it down.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { modelFactsOf, type ModelFacts } from '../../environment/model.js'
import { secretsInArgs } from '../../hygiene.js'
import { isModelUrl, resolveModel } from '../../models/index.js'
import type { ResolvedModel } from '../../models/types.js'
import { readGgufHeader } from '../../gguf/reader.js'
import type { ServerReport } from '../../results.js'
import { ServerStartError, type BackendDriver, type ServerSession, type StartRequest } from '../types.js'
import { checkBuildKnows, findLlamaServer } from './binary.js'
import { settingsToFlags, SettingError, splitArgs, twoWordArgs } from './flags.js'
import { freePort, ServerLog, stopByPid, stopProcess, waitUntilReady } from './process.js'

export interface LlamaCppOptions {
  /** llama-server binary to start; else found on PATH. */
  llamaServerPath?: string
  /** More arguments, after the suite's `server.extra-args` and those mapped from its settings. */
  extraArgs: string[]
  /** The sha256 a model fetched from a URL must have. */
  modelSha256?: string
  /** A Hugging Face token for a gated model URL, sent to that host only. */
  hfToken?: string
}

/** What the post step needs to stop a server the main step could not. */
export const LlamaCppState = {
  ServerPid: 'llama-server-pid',
  ServerLog: 'llama-server-log'
} as const

function valueOf(args: readonly string[], flag: string): string | undefined {
  const at = args.lastIndexOf(flag)
  return at >= 0 ? args[at + 1] : undefined
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

async function inspectModel(file: string): Promise<{ facts: ModelFacts; sizeBytes: number }> {
  const header = await readGgufHeader(file)
  return { facts: modelFactsOf(header), sizeBytes: (await stat(file)).size }
}

export async function startLlamaServer(request: StartRequest<LlamaCppOptions>): Promise<ServerSession> {
  const { host, options, server } = request
  const ref = (name: string) => host.optionRef(name)
  const model = request.model
  if (!model) throw new Error(`server 'llama.cpp' needs a model: set ${ref('model')} or server.model in the suite (a GGUF file)`)
  // The binary first: a missing llama-server fails before a download of gigabytes.
  const binary = await findLlamaServer(options.llamaServerPath, ref)
  let modelPath = path.resolve(request.modelBaseDir, model)
  let fetched: ResolvedModel | undefined
  if (isModelUrl(model)) {
    if (!host.models) throw new Error(`model '${model}' is a URL, but this run has nowhere to keep a model`)
    fetched = await resolveModel({ url: model, sha256: options.modelSha256, token: options.hfToken, models: host.models, host, signal: host.cancelled })
    modelPath = fetched.path
  } else if (options.modelSha256) {
    throw new Error(`${ref('model-sha256')} pins a model fetched from a URL; '${model}' is a local file`)
  }
  const { facts, sizeBytes } = await inspectModel(modelPath)
  let settingFlags: string[]
  try {
    settingFlags = settingsToFlags(server.settings, facts)
  } catch (error) {
    if (error instanceof SettingError) throw new Error(`${request.suitePath}: ${error.message}`, { cause: error })
    throw error
  }
  // llama-server knows only `--flag value`; the suite's list never went through splitArgs.
  const extraArgs = twoWordArgs([...server.extraArgs, ...options.extraArgs])
  for (const secret of secretsInArgs(extraArgs)) host.mask(secret)
  // A port or host the user chose in extra-args is the one to talk to; else a free loopback port.
  const userPort = valueOf(extraArgs, '--port')
  const userHost = valueOf(extraArgs, '--host')
  const port = userPort !== undefined ? Number(userPort) : await freePort()
  const bindHost = userHost ?? '127.0.0.1'
  const alias = path.basename(modelPath)
  const flags = [
    '-m', modelPath, '--alias', alias,
    ...(userHost === undefined ? ['--host', bindHost] : []),
    ...(userPort === undefined ? ['--port', String(port)] : []),
    '-np', '1', '--no-webui', ...settingFlags, ...extraArgs
  ]
  const version = await checkBuildKnows(binary, flags)
  // A fetched model was hashed as it arrived (or checked against its record): not hashed twice.
  const hashing = fetched ? Promise.resolve(fetched.sha256) : sha256Of(modelPath)
  hashing.catch(() => undefined)

  const logPath = path.join(process.env.RUNNER_TEMP ?? os.tmpdir(), `modelgate-llama-server-${port}.log`)
  const log = new ServerLog(logPath)
  // A key given to llama-server in extra-args is what the client must send, and a secret: it is
  // masked in the log and shown as *** in the report.
  // llama-server takes a comma-separated list of keys; the client sends the first.
  const serverKey = valueOf(extraArgs, '--api-key')?.split(',')[0]
  const shownFlags = [binary, ...flags.map((flag, i) => (flags[i - 1] === '--api-key' ? '***' : flag))]
  host.info(`Starting ${shownFlags.join(' ')}`)
  const child = spawn(binary, flags, { stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout?.on('data', (chunk: Buffer) => log.write(chunk))
  child.stderr?.on('data', (chunk: Buffer) => log.write(chunk))
  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined))
    child.once('error', resolve)
  })
  if (spawned) throw new Error(`could not start ${binary}: ${spawned.message}`)
  host.saveState(LlamaCppState.ServerPid, String(child.pid))
  host.saveState(LlamaCppState.ServerLog, logPath)

  const origin = `http://${bindHost === '0.0.0.0' ? '127.0.0.1' : bindHost}:${port}`
  // SIGKILL, because llama-server's own shutdown waits for a stream in flight, and a cancelled
  // process cannot wait.
  const withdrawCancel = host.onCancel(() => child.kill('SIGKILL'))

  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    withdrawCancel()
    // A cancelled run has seconds left to write its results: no grace for llama-server's shutdown.
    if (host.cancelled.aborted) child.kill('SIGKILL')
    await stopProcess(child)
    log.close()
    host.saveState(LlamaCppState.ServerPid, '')
  }

  const reportSoFar = (): ServerReport => ({
    backend: 'llama.cpp',
    engine: 'llama.cpp',
    baseUrl: `${origin}/v1`,
    model: alias,
    settings: { ...server.settings },
    ...(version ? { build: version } : {}),
    flags: shownFlags,
    logTail: log.tail()
  })
  try {
    await waitUntilReady(origin, child, log, request.readyTimeoutMs, ref, host.cancelled)
  } catch (error) {
    await stop()
    throw new ServerStartError((error as Error).message, reportSoFar(), { cause: error })
  }

  const props = (await fetch(`${origin}/props`).then((r) => r.json()).catch(() => ({}))) as { build_info?: string }
  const sha256 = await hashing
  return {
    backend: 'llama.cpp',
    engine: 'llama.cpp',
    baseUrl: `${origin}/v1`,
    apiKey: serverKey ?? request.apiKey ?? '',
    model: alias,
    report: () => ({ ...reportSoFar(), build: props.build_info ?? version, modelFile: { path: modelPath, sizeBytes, sha256, facts, ...(fetched ? { url: model, source: fetched.source } : {}) } }),
    stop
  }
}

export const llamaCppDriver: BackendDriver<LlamaCppOptions> = {
  options: [
    { name: 'llama-server-path', value: ' PATH', description: 'llama-server binary (default: found on PATH)' },
    { name: 'extra-args', value: '="ARGS"', description: 'extra llama-server arguments (with =, as they start with -)' },
    { name: 'model-sha256', value: ' HEX', description: 'sha256 a model fetched from a URL must have (64 hex digits)' },
    { name: 'hf-token', value: ' TOKEN', description: 'Hugging Face token for a gated model URL, sent to that host only (CLI: or HF_TOKEN)' }
  ],
  readOptions: (read) => ({
    llamaServerPath: read('llama-server-path') || undefined,
    extraArgs: splitArgs(read('extra-args')),
    modelSha256: read('model-sha256').trim() || undefined,
    hfToken: read('hf-token') || undefined
  }),
  start: startLlamaServer,
  cleanup: (saved, host) => stopByPid(Number(saved(LlamaCppState.ServerPid)), host)
}
