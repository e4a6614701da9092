// `server: lmstudio`: LM Studio brought up with the suite's load settings. `lms` finds or starts
// the server (the headless daemon where no app runs), @lmstudio/sdk loads the model under an
// identifier unique to the run, `lms ps` confirms what was loaded, and replay goes to
// `/api/v0/chat/completions`, which adds LM Studio's own figures (`stats`). The session (and the
// post step, if the main step never got to it) unloads that instance and stops only what
// modelgate started: a server the user already had running stays up.
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import type { ServerReport } from '../../results.js'
import { probeServer } from '../probe.js'
import { ServerStartError, type BackendDriver, type ServerSession, type StartRequest } from '../types.js'
import { loadPlanOf } from './config.js'
import { createLms, findLms, type Lms } from './lms.js'

export interface LmStudioOptions {
  lmsPath?: string
  /** The port to start LM Studio's server on when it is not running (LM Studio's default, 1234). */
  port?: number
}

/** What the post step needs to undo what the main step did, if the main step could not. */
export const LmStudioState = {
  Lms: 'lmstudio-lms',
  Identifier: 'lmstudio-identifier',
  StartedServer: 'lmstudio-started-server',
  StartedDaemon: 'lmstudio-started-daemon'
} as const

const DEFAULT_PORT = 1234

/** `lms server status --json`: exit status 0 whether or not it runs. */
interface ServerStatus {
  running: boolean
  port?: number
}

/** One entry of `lms ps --json`. */
interface LoadedModel {
  identifier: string
  modelKey?: string
  path?: string
  contextLength?: number
  status?: string
}

/** One entry of `lms ls --json`. */
interface DownloadedModel {
  modelKey: string
  path?: string
}

function readPort(value: string, label: string): number | undefined {
  if (value === '') return undefined
  const port = Number(value)
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${label} must be a port number (1–65535), got '${value}'`)
  return port
}

async function ensureServer(lms: Lms, port: number, host: StartRequest<LmStudioOptions>['host']): Promise<{ port: number; startedServer: boolean; startedDaemon: boolean }> {
  const status = await lms.json<ServerStatus>(['server', 'status', '--json'])
  if (status.running) {
    host.info(`LM Studio's server is already running on port ${status.port ?? port}; modelgate leaves it running`)
    return { port: status.port ?? port, startedServer: false, startedDaemon: false }
  }
  // Where no desktop app runs, the server needs LM Studio's headless daemon first.
  const daemon = await lms.json<{ status?: string }>(['daemon', 'status', '--json']).catch(() => ({ status: 'unknown' }))
  let startedDaemon = false
  if (daemon.status !== 'running') {
    host.info('Starting LM Studio\'s headless daemon (lms daemon up)')
    await lms.json(['daemon', 'up', '--json'])
    startedDaemon = true
  }
  host.info(`Starting LM Studio's server on port ${port} (lms server start)`)
  await lms.run(['server', 'start', '--port', String(port)])
  return { port, startedServer: true, startedDaemon }
}

/** Stops what a run started, in the reverse order; each step only warns. */
async function undo(lms: Lms, state: { identifier?: string; startedServer: boolean; startedDaemon: boolean }, host: { info(m: string): void; warn(m: string): void }): Promise<void> {
  const steps: [boolean, string[], string][] = [
    [Boolean(state.identifier), ['unload', state.identifier ?? ''], `Unloaded ${state.identifier} from LM Studio`],
    [state.startedServer, ['server', 'stop'], "Stopped LM Studio's server"],
    [state.startedDaemon, ['daemon', 'down'], "Stopped LM Studio's daemon"]
  ]
  for (const [needed, args, done] of steps) {
    if (!needed) continue
    try {
      await lms.run(args)
      host.info(done)
    } catch (error) {
      host.warn((error as Error).message)
    }
  }
}

async function startLmStudio(request: StartRequest<LmStudioOptions>): Promise<ServerSession> {
  const { host, options, server } = request
  const modelKey = request.model
  if (!modelKey) throw new Error(`server 'lmstudio' needs a model key: set ${host.optionRef('model')} or server.model in the suite (e.g. qwen/qwen3-coder-30b, as lms ls shows it)`)
  const lms = createLms(findLms(options.lmsPath, process.env, host.optionLabel('lms-path')))
  host.saveState(LmStudioState.Lms, lms.path)
  const plan = loadPlanOf(server.settings)
  const identifier = `modelgate-${randomUUID().slice(0, 8)}`
  const state: { identifier?: string; startedServer: boolean; startedDaemon: boolean } = { startedServer: false, startedDaemon: false }
  let port = options.port ?? DEFAULT_PORT

  const reportSoFar = (): ServerReport => ({
    backend: 'lmstudio',
    engine: 'lmstudio',
    baseUrl: `http://127.0.0.1:${port}/api/v0`,
    model: identifier,
    settings: { ...server.settings },
    loadConfig: plan.applied,
    commands: [...lms.commands],
    ...(plan.notApplied.length ? { notApplied: plan.notApplied } : {})
  })

  // A cancelled run that runs out of time: unload what it loaded, without waiting.
  const withdrawCancel = host.onCancel(() => {
    if (state.identifier) spawn(lms.path, ['unload', state.identifier], { stdio: 'ignore', detached: true }).unref()
  })
  // What the session's stop and a failed start both do: undo it all, and leave the post step nothing.
  const undoAll = async () => {
    withdrawCancel()
    await undo(lms, state, host)
    for (const name of Object.values(LmStudioState)) host.saveState(name, '')
  }
  try {
    const up = await ensureServer(lms, port, host)
    port = up.port
    state.startedServer = up.startedServer
    state.startedDaemon = up.startedDaemon
    host.saveState(LmStudioState.StartedServer, String(up.startedServer))
    host.saveState(LmStudioState.StartedDaemon, String(up.startedDaemon))
    // The model list answers once the server is up; 503 and refusals are waited for.
    await probeServer(`http://127.0.0.1:${port}/v1`, request.apiKey, request.readyTimeoutMs, { onWait: (m) => host.info(m), signal: host.cancelled })

    const downloaded = await lms.json<DownloadedModel[]>(['ls', '--json'])
    if (!downloaded.some((m) => m.modelKey === modelKey)) {
      const near = downloaded.map((m) => m.modelKey).filter((k) => k.includes(modelKey) || modelKey.includes(k))
      throw new Error(`'${modelKey}' is not downloaded in LM Studio: run \`lms get ${modelKey}\` first${near.length ? ` (downloaded: ${near.join(', ')})` : ''}`)
    }
    for (const { setting, reason } of plan.notApplied) host.warn(`LM Studio: ${setting} not applied: ${reason}`)
    host.info(`Loading ${modelKey} in LM Studio as ${identifier}`)
    // Saved before the load, so a step killed while loading still has it unloaded in the post step.
    state.identifier = identifier
    host.saveState(LmStudioState.Identifier, identifier)
    // Imported here: the SDK is large, and neither the post step nor the other backends need it.
    const { loadWithSdk } = await import('./sdk.js')
    await loadWithSdk(port, modelKey, identifier, plan.config, host.cancelled)

    const loaded = (await lms.json<LoadedModel[]>(['ps', '--json'])).find((m) => m.identifier === identifier)
    if (!loaded) throw new Error(`LM Studio reported ${identifier} loaded, but \`lms ps\` does not list it`)
    if (loaded.modelKey !== undefined && loaded.modelKey !== modelKey) throw new Error(`LM Studio loaded ${loaded.modelKey} as ${identifier}, not ${modelKey}`)
    const wanted = server.settings['context-length']
    if (wanted !== undefined && loaded.contextLength !== undefined && loaded.contextLength !== wanted) {
      throw new Error(`LM Studio loaded ${modelKey} with a context length of ${loaded.contextLength}, not the ${wanted} the suite asks for`)
    }
    const report: ServerReport = {
      ...reportSoFar(),
      loadedAs: { identifier, modelKey: loaded.modelKey ?? modelKey, ...(loaded.path ? { path: loaded.path } : {}), ...(loaded.contextLength ? { contextLength: loaded.contextLength } : {}) }
    }
    let stopped = false
    return {
      backend: 'lmstudio',
      engine: 'lmstudio',
      // LM Studio's OpenAI-compatible API that adds `stats` to each answer.
      baseUrl: `http://127.0.0.1:${port}/api/v0`,
      apiKey: request.apiKey ?? '',
      model: identifier,
      report: () => ({ ...report, commands: [...lms.commands] }),
      stop: async () => {
        if (stopped) return
        stopped = true
        await undoAll()
      }
    }
  } catch (error) {
    await undoAll()
    throw new ServerStartError((error as Error).message, reportSoFar(), { cause: error })
  }
}

export const lmStudioDriver: BackendDriver<LmStudioOptions> = {
  options: [
    { name: 'lms-path', value: ' PATH', description: "LM Studio's lms CLI (default: on PATH, else ~/.lmstudio/bin/lms)" },
    { name: 'lmstudio-port', value: ' PORT', description: "port to start LM Studio's server on when it is not running (default 1234)" }
  ],
  readOptions: (read, label) => {
    const port = readPort(read('lmstudio-port').trim(), label('lmstudio-port'))
    return { lmsPath: read('lms-path') || undefined, ...(port !== undefined ? { port } : {}) }
  },
  start: startLmStudio,
  cleanup: async (saved, host) => {
    const lmsPath = saved(LmStudioState.Lms)
    const identifier = saved(LmStudioState.Identifier)
    const startedServer = saved(LmStudioState.StartedServer) === 'true'
    const startedDaemon = saved(LmStudioState.StartedDaemon) === 'true'
    if (!lmsPath || (!identifier && !startedServer && !startedDaemon)) return
    await undo(createLms(lmsPath), { ...(identifier ? { identifier } : {}), startedServer, startedDaemon }, host)
  }
}
