// A loopback stand-in for LM Studio 0.4 (the headless daemon, llmster) as modelgate's
// `server: lmstudio` backend meets it, on one port as LM Studio serves both:
// - the WebSocket API of @lmstudio/sdk 1.5.0, built from the SDK's own client (dist/index.mjs:
//   AuthenticatedWsClientTransport, ClientPort, the llm and system backend interfaces) and from
//   lmstudio-js's server side (packages/lms-communication-server: AuthenticatedWsServer,
//   fcfsAuthenticator, ServerPort): authentication, the `loadModel` channel with LM Studio's
//   resolved/progress/success messages, and the RPCs a loaded handle uses;
// - LM Studio's REST API for models (`/api/v1/models`, `…/load`, `…/unload`, after lmstudio-ai/docs
//   1_developer/2_rest) and its chat endpoints, `/v1/chat/completions` and
//   `/api/v0/chat/completions` (which adds `stats`), proxied event by event to a real llama-server
//   that does the generation.
// It records every call, keeps the loaded instances, loads a model just in time when a chat names a
// downloaded model that is not loaded (as LM Studio does by default), and fails on cue the ways
// LM Studio does: a load that fails with LM Studio's message, a model key that is not downloaded.
// While its server is stopped the port is closed, so connections are refused as they would be.
// `lms.ts` beside it puts LM Studio's CLI in front of it, answered on a port of its own, as lms
// reaches the daemon whether or not the server runs.
import { createHash, randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Duplex } from 'node:stream'

/** A model on LM Studio's disk, as `lms ls --json` lists it. */
export interface DownloadedModel {
  /** What `lms load` and `client.llm.load` take, e.g. `qwen/qwen3-coder-30b`. */
  modelKey: string
  /** The file under LM Studio's models folder, e.g. `lmstudio-community/Qwen3-Coder-30B-GGUF/Qwen3-Coder-30B-Q4_K_M.gguf`. */
  path: string
  architecture?: string
  /** 0 when absent. */
  sizeBytes?: number
  /** The context length the model was trained for; 4096 when absent. */
  maxContextLength?: number
}

/** A model LM Studio holds in memory under an identifier. */
export interface LoadedInstance {
  /** What chat requests name as `model`. */
  identifier: string
  modelKey: string
  path: string
  /** The SDK's handle on exactly this instance (`instanceReference` in the SDK's specifiers). */
  instanceReference: string
  /** Who loaded it: the SDK, `lms load`, `POST /api/v1/models/load`, or a chat just in time. */
  via: 'sdk' | 'lms' | 'rest' | 'jit'
  /**
   * The load settings as received, under LM Studio's KV keys (`llm.load.contextLength`: 8192):
   * the fields of the SDK's `apiOverride` layer exactly as it sent them, the REST body's fields, or
   * the `lms load` flags, each under the key lmstudio-js's kv-config gives it.
   */
  config: Record<string, unknown>
  /** The context length in force: the one asked for, else the stand-in's default (4096, or less when the model's maximum is less). */
  contextLength: number
  ttlMs: number | null
  lastUsedTime: number | null
}

/** One call that reached the stand-in. */
export interface RecordedCall {
  /** The SDK namespace the WebSocket serves (`llm`, `system`, …), or `http`. */
  namespace: string
  /**
   * The RPC, channel or signal name (`loadModel`, `listLoaded`), `authenticate` for the SDK's
   * handshake, `communicationWarning` when the SDK reports a message it could not read, or the
   * HTTP method and path (`POST /api/v1/models/load`).
   */
  endpoint: string
  /** What came with it: the RPC's parameter, the channel's creation parameter, the JSON body. */
  params: unknown
}

/** A chat request the stand-in passed on to the upstream llama-server. */
export interface ChatRequest {
  path: '/v1/chat/completions' | '/api/v0/chat/completions'
  /** The instance that answered (the request's `model` names it, or named its model key for a just-in-time load). */
  identifier: string
  body: Record<string, unknown>
}

/** A load that fails, as LM Studio's engine fails it. */
export interface LoadFailure {
  /** Only loads of this model key fail; every load when absent. */
  modelKey?: string
  /** The error's title; LM Studio's "Error loading model." when absent. */
  title?: string
  /** LM Studio's usual "(Exit code: …). Unknown error. Try a different model and/or config." when absent. */
  cause?: string
}

/** What the fake `lms` prints and exits with. */
export interface CliAnswer {
  stdout: string
  stderr: string
  exitCode: number
}

export interface LoadRequest {
  modelKey: string
  /** Taken as given (an error when it is in use); else the model key, or `KEY:2`, `KEY:3`… when that is in use. */
  identifier?: string
  config?: Record<string, unknown>
  ttlMs?: number
  via: LoadedInstance['via']
}

export interface StandInOptions {
  /** The models LM Studio has on disk. */
  models: DownloadedModel[]
  /** The OpenAI base URL of the llama-server that answers every chat (`http://127.0.0.1:PORT/v1`), whichever model it names. */
  upstream: string
  /** Models `lms get` can download; none when absent. */
  catalog?: DownloadedModel[]
  loadFailure?: LoadFailure
  /** The daemon is up (as after `lms daemon up`); false when absent. */
  daemonRunning?: boolean
  /** The server is already serving on the stand-in's port (as a user who started it); false when absent. Implies the daemon. */
  serverRunning?: boolean
  /** Just-in-time loading for chat requests (LM Studio's default: on); true when absent. */
  jit?: boolean
  /**
   * Where `stats` goes in a streamed `/api/v0/chat/completions` answer: on its last chunk before
   * `data: [DONE]` (the default), or nowhere, as LM Studio 0.3.6–0.3.8 was reported to stream
   * (lmstudio-ai/lmstudio-bug-tracker#676, #713; lmstudio-ai/lmstudio-js#320).
   */
  v0StreamStats?: 'last-chunk' | 'none'
  /** How long a load takes, split over its two progress messages; 0 when absent. */
  loadDurationMs?: number
}

export interface LmStudioStandIn {
  readonly port: number
  /** `http://127.0.0.1:PORT`: the REST API, and `/v1` the OpenAI-compatible one. */
  readonly url: string
  /** `ws://127.0.0.1:PORT`: what `new LMStudioClient({ baseUrl })` takes. */
  readonly wsUrl: string
  /** LM Studio's disk; a test may add or remove models. */
  readonly models: DownloadedModel[]
  readonly catalog: DownloadedModel[]
  readonly instances: readonly LoadedInstance[]
  readonly calls: readonly RecordedCall[]
  readonly chats: readonly ChatRequest[]
  /** The instances chat requests loaded just in time: a run that loads its model itself should leave this empty. */
  readonly jitLoads: readonly LoadedInstance[]
  loadFailure: LoadFailure | undefined
  v0StreamStats: 'last-chunk' | 'none'
  jit: boolean
  readonly daemonRunning: boolean
  /** Whether the port is open: a stopped server closes it, cutting every connection, and refuses new ones. */
  readonly serverRunning: boolean
  /** The port the server was last started on, which LM Studio remembers (and `lms server status` reports). */
  readonly lastServerPort: number | undefined
  /** Loads a model as LM Studio does; the error is a `StandInError` with LM Studio's title. */
  load(request: LoadRequest, progress?: LoadProgress): Promise<LoadedInstance>
  /** Unloads an instance; the error is LM Studio's "identifier not found". */
  unload(identifier: string): LoadedInstance
  startDaemon(): void
  /** Stops the server and unloads everything, as the daemon's exit does. */
  stopDaemon(): Promise<void>
  /** Starts the server (and the daemon); false when `port` is not the stand-in's, which it cannot serve. */
  startServer(port: number): Promise<boolean>
  /** Closes the port, cutting every connection to it, WebSockets included. */
  stopServer(): Promise<void>
  /** A downloaded model as the SDK and `lms ls --json` describe it (`type: 'llm'`, `modelKey`, `displayName`, …). */
  modelInfo(model: DownloadedModel): Record<string, unknown>
  /** A loaded instance as the SDK and `lms ps --json` describe it (the model's info, `identifier`, `contextLength`, …). */
  instanceInfo(instance: LoadedInstance): Record<string, unknown>
  /** The effective REST view of an instance's settings (`context_length`, `eval_batch_size`, `parallel`, …). */
  restConfig(instance: LoadedInstance): Record<string, unknown>
  /** Where the fake `lms` posts its arguments (`{ argv }`), answered by `cli`. */
  readonly cliUrl: string
  /** Answers the fake `lms` (`writeFakeLms` sets it). */
  cli: ((argv: readonly string[]) => Promise<CliAnswer>) | undefined
  close(): Promise<void>
}

/** What the `loadModel` channel reports while a load goes on. */
export interface LoadProgress {
  resolved?(model: DownloadedModel): void
  progress?(fraction: number): void
  signal?: AbortSignal
}

/**
 * An error as LM Studio serializes it to the SDK (the SDK's `serializedLMSExtendedErrorSchema`):
 * a title, an optional cause, and for the errors the SDK words itself, `displayData`.
 */
export class StandInError extends Error {
  constructor(
    readonly title: string,
    readonly details: { cause?: string; displayData?: Record<string, unknown>; status?: number } = {}
  ) {
    super(details.cause ? `${title} ${details.cause}` : title)
  }

  serialize(): Record<string, unknown> {
    return {
      title: this.title,
      rootTitle: this.title,
      ...(this.details.cause !== undefined ? { cause: this.details.cause } : {}),
      ...(this.details.displayData !== undefined ? { displayData: this.details.displayData } : {})
    }
  }
}

const LOAD_ERROR_TITLE = 'Error loading model.'
const LOAD_ERROR_CAUSE = '(Exit code: 18446744072635812000). Unknown error. Try a different model and/or config.'
/** JIT-loaded models are unloaded after 60 idle minutes by default (docs: ttl-and-auto-evict). */
const JIT_TTL_MS = 60 * 60 * 1000
/** The stand-in's values for settings nobody set, as the REST docs' examples show them. */
const DEFAULTS = { contextLength: 4096, evalBatchSize: 512, parallel: 4, flashAttention: true, offloadKvCacheToGpu: true }
/** `/v0` stop reasons as LM Studio names them (the SDK's LLMPredictionStopReason), from llama-server's finish reasons. */
const STOP_REASONS: Record<string, string> = { stop: 'eosFound', length: 'maxPredictedTokensReached', tool_calls: 'toolCalls' }
/** The namespaces an LMStudioClient 1.5.0 opens a WebSocket for (`/llm`, `/system`, …). */
const NAMESPACES = new Set(['llm', 'embedding', 'system', 'diagnostics', 'files', 'repository', 'plugins'])
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'

/** The KV key LM Studio keeps each REST load field under (lmstudio-js packages/lms-kv-config). */
const REST_KEYS: Record<string, string> = {
  context_length: 'llm.load.contextLength',
  eval_batch_size: 'llm.load.llama.evalBatchSize',
  flash_attention: 'llm.load.llama.flashAttention',
  num_experts: 'llm.load.numExperts',
  offload_kv_cache_to_gpu: 'llm.load.offloadKVCacheToGpu'
}

type Json = Record<string, unknown>

export async function startLmStudioStandIn(options: StandInOptions): Promise<LmStudioStandIn> {
  const standIn = new StandIn(options)
  await standIn.listen()
  return standIn
}

interface WebSocketPeer {
  send(text: string): void
  close(): void
}

/** One authenticated WebSocket of an SDK client: the namespace it serves and its open channels. */
interface ApiConnection {
  namespace: string
  peer: WebSocketPeer
  authenticated: boolean
  cancels: Map<number, AbortController>
}

type RpcHandler = (param: Json) => unknown
type ChannelHandler = (param: Json, send: (message: Json) => void, signal: AbortSignal) => Promise<void>

class StandIn implements LmStudioStandIn {
  readonly models: DownloadedModel[]
  readonly catalog: DownloadedModel[]
  readonly instances: LoadedInstance[] = []
  readonly calls: RecordedCall[] = []
  readonly chats: ChatRequest[] = []
  readonly jitLoads: LoadedInstance[] = []
  loadFailure: LoadFailure | undefined
  v0StreamStats: 'last-chunk' | 'none'
  jit: boolean
  daemonRunning: boolean
  serverRunning: boolean
  lastServerPort: number | undefined
  cli: ((argv: readonly string[]) => Promise<CliAnswer>) | undefined
  port = 0
  cliUrl = ''

  private readonly upstream: string
  private readonly loadDurationMs: number
  private readonly server = http.createServer((req, res) => answering(res, this.handle(req, res)))
  /** The daemon's side, which the fake `lms` talks to whether or not the server runs. */
  private readonly control = http.createServer((req, res) => answering(res, this.answerCli(req, res)))
  private readonly sockets = new Set<Duplex>()
  private readonly controlSockets = new Set<Duplex>()
  private readonly connections = new Set<ApiConnection>()
  /** The first passkey each client identifier authenticated with (LM Studio's first-come-first-served authenticator). */
  private readonly passkeys = new Map<string, string>()
  private readonly rpcs: Record<string, Record<string, RpcHandler>>
  private readonly channels: Record<string, Record<string, ChannelHandler>>

  constructor(options: StandInOptions) {
    this.models = [...options.models]
    this.catalog = [...(options.catalog ?? [])]
    this.upstream = options.upstream.replace(/\/+$/, '')
    this.loadFailure = options.loadFailure
    this.v0StreamStats = options.v0StreamStats ?? 'last-chunk'
    this.jit = options.jit ?? true
    this.loadDurationMs = options.loadDurationMs ?? 0
    this.serverRunning = options.serverRunning ?? false
    this.daemonRunning = this.serverRunning || (options.daemonRunning ?? false)
    this.rpcs = {
      llm: {
        listLoaded: () => this.instances.map((i) => this.instanceInfo(i)),
        unloadModel: (param) => void this.unload(String(param.identifier)),
        getModelInfo: (param) => {
          const instance = this.findInstance(param.specifier)
          if (!instance && param.throwIfNotFound) throw this.noModelMatching(param.specifier)
          return instance ? this.instanceInfo(instance) : undefined
        },
        getLoadConfig: (param) => {
          const instance = this.findInstance(param.specifier)
          if (!instance) throw this.noModelMatching(param.specifier)
          const fields = { ...instance.config, 'llm.load.contextLength': instance.contextLength }
          return { fields: Object.entries(fields).map(([key, value]) => ({ key, value })) }
        }
      },
      system: { listDownloadedModels: () => this.models.map((m) => this.modelInfo(m)) }
    }
    this.channels = {
      llm: {
        loadModel: async (param, send, signal) => {
          const instance = await this.load(
            {
              modelKey: String(param.modelKey),
              ...(typeof param.identifier === 'string' ? { identifier: param.identifier } : {}),
              ...(typeof param.ttlMs === 'number' ? { ttlMs: param.ttlMs } : {}),
              config: kvFieldsOf(param.loadConfigStack),
              via: 'sdk'
            },
            {
              resolved: (model) => send({ type: 'resolved', info: this.modelInfo(model) }),
              progress: (progress) => send({ type: 'progress', progress }),
              signal
            }
          )
          send({ type: 'success', info: this.instanceInfo(instance) })
        }
      }
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`
  }

  /** Takes a port for the server (closed again at once when it does not run yet) and one for the fake `lms`. */
  async listen(): Promise<void> {
    this.server.on('connection', (socket) => track(this.sockets, socket))
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head))
    this.control.on('connection', (socket) => track(this.controlSockets, socket))
    this.port = await listenOn(this.server, 0)
    this.cliUrl = `http://127.0.0.1:${await listenOn(this.control, 0)}/lms`
    if (this.serverRunning) this.lastServerPort = this.port
    else await closeServer(this.server, this.sockets)
  }

  async close(): Promise<void> {
    await this.stopServer()
    await closeServer(this.control, this.controlSockets)
  }

  // --- LM Studio's state -------------------------------------------------------------------

  async load(request: LoadRequest, progress: LoadProgress = {}): Promise<LoadedInstance> {
    const model = this.models.find((m) => m.modelKey === request.modelKey)
    if (!model) {
      const keys = this.models.map((m) => m.modelKey)
      throw new StandInError(`Cannot find a model with path "${request.modelKey}"`, {
        displayData: { code: 'generic.pathNotFound', path: request.modelKey, availablePathsSample: keys.slice(0, 10), totalModels: keys.length },
        status: 404
      })
    }
    progress.resolved?.(model)
    // Checked now to fail fast, and again once loaded, as another load may have taken it meanwhile.
    if (request.identifier !== undefined) this.identifierFree(request.identifier)
    for (const fraction of [0.5, 1]) {
      await delay(this.loadDurationMs / 2, progress.signal)
      progress.progress?.(fraction)
    }
    const failure = this.loadFailure
    if (failure && (failure.modelKey === undefined || failure.modelKey === request.modelKey)) {
      throw new StandInError(failure.title ?? LOAD_ERROR_TITLE, { cause: failure.cause ?? LOAD_ERROR_CAUSE, status: 400 })
    }
    const config = request.config ?? {}
    const asked = config['llm.load.contextLength']
    const instance: LoadedInstance = {
      identifier: request.identifier !== undefined ? this.identifierFree(request.identifier) : this.freeIdentifierFor(request.modelKey),
      modelKey: model.modelKey,
      path: model.path,
      instanceReference: randomBytes(12).toString('base64url'),
      via: request.via,
      config,
      contextLength: typeof asked === 'number' ? asked : Math.min(DEFAULTS.contextLength, model.maxContextLength ?? DEFAULTS.contextLength),
      ttlMs: request.ttlMs ?? null,
      lastUsedTime: null
    }
    this.instances.push(instance)
    return instance
  }

  unload(identifier: string): LoadedInstance {
    const index = this.instances.findIndex((i) => i.identifier === identifier)
    const instance = this.instances[index]
    if (!instance) {
      const loaded = this.instances.map((i) => i.identifier)
      throw new StandInError(`Cannot find a model with identifier "${identifier}"`, {
        displayData: { code: 'generic.identifierNotFound', identifier, loadedModelsSample: loaded.slice(0, 10), totalLoadedModels: loaded.length },
        status: 404
      })
    }
    this.instances.splice(index, 1)
    return instance
  }

  startDaemon(): void {
    this.daemonRunning = true
  }

  async stopDaemon(): Promise<void> {
    await this.stopServer()
    this.instances.splice(0)
    this.daemonRunning = false
  }

  async startServer(port: number): Promise<boolean> {
    this.daemonRunning = true
    this.lastServerPort = port
    if (port !== this.port) return false
    if (!this.serverRunning) {
      // The port was free a moment ago; something else may have taken it since.
      if ((await listenOn(this.server, port).catch(() => undefined)) === undefined) return false
      this.serverRunning = true
    }
    return true
  }

  async stopServer(): Promise<void> {
    if (!this.serverRunning) return
    this.serverRunning = false
    for (const connection of this.connections) connection.peer.close()
    await closeServer(this.server, this.sockets)
  }

  modelInfo(model: DownloadedModel): Record<string, unknown> {
    const slash = model.modelKey.indexOf('/')
    return {
      type: 'llm',
      modelKey: model.modelKey,
      format: 'gguf',
      displayName: model.modelKey,
      publisher: slash > 0 ? model.modelKey.slice(0, slash) : 'local',
      path: model.path,
      sizeBytes: model.sizeBytes ?? 0,
      indexedModelIdentifier: model.path,
      deviceIdentifier: null,
      ...(model.architecture !== undefined ? { architecture: model.architecture } : {}),
      vision: false,
      trainedForToolUse: false,
      maxContextLength: model.maxContextLength ?? DEFAULTS.contextLength
    }
  }

  instanceInfo(instance: LoadedInstance): Record<string, unknown> {
    const model = this.models.find((m) => m.modelKey === instance.modelKey) ?? { modelKey: instance.modelKey, path: instance.path }
    return {
      ...this.modelInfo(model),
      identifier: instance.identifier,
      instanceReference: instance.instanceReference,
      ttlMs: instance.ttlMs,
      lastUsedTime: instance.lastUsedTime,
      contextLength: instance.contextLength
    }
  }

  restConfig(instance: LoadedInstance): Record<string, unknown> {
    const { config } = instance
    return {
      context_length: instance.contextLength,
      eval_batch_size: config['llm.load.llama.evalBatchSize'] ?? DEFAULTS.evalBatchSize,
      parallel: config['llm.load.numParallelSessions'] ?? DEFAULTS.parallel,
      flash_attention: config['llm.load.llama.flashAttention'] ?? DEFAULTS.flashAttention,
      ...(config['llm.load.numExperts'] !== undefined ? { num_experts: config['llm.load.numExperts'] } : {}),
      offload_kv_cache_to_gpu: config['llm.load.offloadKVCacheToGpu'] ?? DEFAULTS.offloadKvCacheToGpu
    }
  }

  /** The identifier as asked for, or LM Studio's error when an instance has it. */
  private identifierFree(identifier: string): string {
    if (this.instances.some((i) => i.identifier === identifier)) throw new StandInError(`A model with the identifier "${identifier}" is already loaded`, { status: 400 })
    return identifier
  }

  /** The model key, else the first of `KEY:2`, `KEY:3`… no instance has (the SDK's `identifier` docs). */
  private freeIdentifierFor(modelKey: string): string {
    const taken = new Set(this.instances.map((i) => i.identifier))
    if (!taken.has(modelKey)) return modelKey
    let n = 2
    while (taken.has(`${modelKey}:${n}`)) n++
    return `${modelKey}:${n}`
  }

  /** The instance a model specifier names: `{ type: 'instanceReference' }`, or a query on identifier and path. */
  private findInstance(specifier: unknown): LoadedInstance | undefined {
    const spec = (specifier ?? {}) as { type?: string; instanceReference?: string; query?: { identifier?: string; path?: string } }
    if (spec.type === 'instanceReference') return this.instances.find((i) => i.instanceReference === spec.instanceReference)
    const query = spec.query ?? {}
    return this.instances.find((i) => (query.identifier === undefined || i.identifier === query.identifier) && (query.path === undefined || i.path === query.path || i.modelKey === query.path))
  }

  private noModelMatching(specifier: unknown): StandInError {
    const spec = (specifier ?? {}) as { type?: string; query?: Json }
    if (spec.type === 'instanceReference') return new StandInError('This model has already been unloaded.', { displayData: { code: 'generic.specificModelUnloaded' } })
    const loaded = this.instances.map((i) => i.identifier)
    return new StandInError('No loaded model satisfies all requirements specified in the query.', {
      displayData: { code: 'generic.noModelMatchingQuery', query: spec.query ?? {}, loadedModelsSample: loaded.slice(0, 10), totalLoadedModels: loaded.length }
    })
  }

  // --- HTTP ----------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname
    const route = `${req.method} ${path}`
    let body: unknown
    try {
      body = await readJson(req)
    } catch {
      return send(res, 400, { error: 'Invalid JSON in the request body' })
    }
    this.calls.push({ namespace: 'http', endpoint: route, params: body })
    const fields = (typeof body === 'object' && body !== null ? body : {}) as Json
    switch (route) {
      case 'GET /lmstudio-greeting':
        return send(res, 200, { lmstudio: true })
      case 'GET /v1/models':
        return send(res, 200, { data: this.openAiModelIds().map((id) => ({ id, object: 'model', owned_by: 'organization_owner' })), object: 'list' })
      case 'GET /api/v1/models':
        return send(res, 200, { models: this.models.map((m) => this.restModel(m)) })
      case 'POST /api/v1/models/load':
        return this.restLoad(res, fields)
      case 'POST /api/v1/models/unload':
        return this.restUnload(res, fields)
      case 'POST /v1/chat/completions':
      case 'POST /api/v0/chat/completions':
        return this.chat(res, path, fields)
      default:
        // LM Studio's own answer to a path it does not serve: 200, with an error (lmstudio-bug-tracker#618).
        return send(res, 200, { error: `Unexpected endpoint or method. (${route})` })
    }
  }

  private async answerCli(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { argv } = (await readJson(req)) as { argv: string[] }
    if (!this.cli) return send(res, 503, { stdout: '', stderr: 'lms stand-in: no CLI handler is set (writeFakeLms sets it)\n', exitCode: 1 })
    send(res, 200, await this.cli(argv))
  }

  /** `/v1/models`: the loaded identifiers, and with JIT loading on every downloaded model too (docs: headless, "Just-In-Time"). */
  private openAiModelIds(): string[] {
    const ids = this.instances.map((i) => i.identifier)
    if (this.jit) for (const model of this.models) if (!ids.includes(model.modelKey)) ids.push(model.modelKey)
    return ids
  }

  private restModel(model: DownloadedModel): Json {
    const info = this.modelInfo(model)
    return {
      type: 'llm',
      publisher: info.publisher,
      key: model.modelKey,
      display_name: info.displayName,
      architecture: model.architecture ?? null,
      quantization: null,
      size_bytes: info.sizeBytes,
      params_string: null,
      loaded_instances: this.instances.filter((i) => i.modelKey === model.modelKey).map((i) => ({ id: i.identifier, config: this.restConfig(i) })),
      max_context_length: info.maxContextLength,
      format: 'gguf',
      capabilities: { vision: false, trained_for_tool_use: false },
      description: null
    }
  }

  private async restLoad(res: http.ServerResponse, body: Json): Promise<void> {
    if (typeof body.model !== 'string') return send(res, 400, openAiError("'model' is required", 'model', null))
    const config = Object.fromEntries(Object.entries(REST_KEYS).filter(([field]) => body[field] !== undefined).map(([field, key]) => [key, body[field]]))
    const started = Date.now()
    try {
      const instance = await this.load({ modelKey: body.model, config, via: 'rest' })
      send(res, 200, {
        type: 'llm',
        instance_id: instance.identifier,
        load_time_seconds: (Date.now() - started) / 1000,
        status: 'loaded',
        ...(body.echo_load_config === true ? { load_config: this.restConfig(instance) } : {})
      })
    } catch (error) {
      const failure = error as StandInError
      if (failure.details?.displayData?.code === 'generic.pathNotFound') return send(res, 404, openAiError(`Model "${body.model}" not found`, 'model', 'model_not_found'))
      send(res, failure.details?.status ?? 500, openAiError(`Failed to load model "${body.model}". Error: ${failure.title}`, 'model', null))
    }
  }

  private restUnload(res: http.ServerResponse, body: Json): void {
    try {
      send(res, 200, { instance_id: this.unload(String(body.instance_id)).identifier })
    } catch (error) {
      send(res, 404, openAiError((error as StandInError).title, 'instance_id', 'model_not_found'))
    }
  }

  // --- chat ----------------------------------------------------------------------------------

  private async chat(res: http.ServerResponse, path: string, body: Json): Promise<void> {
    const model = typeof body.model === 'string' ? body.model : ''
    let instance = this.instances.find((i) => i.identifier === model)
    if (!instance) {
      const downloaded = this.models.find((m) => m.modelKey === model)
      if (!this.jit && this.instances.length === 0) {
        return send(res, 400, openAiError("No models loaded. Please load a model in the developer page or use the 'lms load' command.", 'model', null))
      }
      if (!downloaded || !this.jit) {
        const sample = this.openAiModelIds().slice(0, 3).join(', ')
        return send(res, 400, openAiError(`Invalid model identifier "${model}". Please specify a valid downloaded model (e.g., ${sample}).`, 'model', 'model_not_found'))
      }
      try {
        instance = await this.load({ modelKey: model, ttlMs: JIT_TTL_MS, via: 'jit' })
      } catch (error) {
        return send(res, 400, openAiError(`Failed to load model "${model}". Error: ${(error as StandInError).title}`, 'model', null))
      }
      this.jitLoads.push(instance)
    }
    instance.lastUsedTime = Date.now()
    this.chats.push({ path: path as ChatRequest['path'], identifier: instance.identifier, body })
    this.proxy(res, body, instance, path === '/api/v0/chat/completions')
  }

  /**
   * Sends the chat to llama-server and passes its answer on as LM Studio words it: `model` (and
   * `system_fingerprint`) become the instance's identifier and llama-server's own `timings` go; on
   * `/api/v0` they become LM Studio's `stats`. A stream is passed on event by event as it arrives.
   */
  private proxy(res: http.ServerResponse, body: Json, instance: LoadedInstance, v0: boolean): void {
    // A connection of its own per chat (no keep-alive pool): llama-server may close one that a pool would reuse.
    const upstream = http.request(`${this.upstream}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, agent: false })
    // A client that hangs up stops the generation, as LM Studio cancels the prediction.
    res.on('close', () => upstream.destroy())
    upstream.on('error', (error) => {
      if (res.headersSent) res.destroy()
      else send(res, 502, { error: `LM Studio stand-in: the upstream llama-server at ${this.upstream} failed: ${error.message}` })
    })
    upstream.on('response', (answer) => {
      const status = answer.statusCode ?? 502
      answer.setEncoding('utf8')
      if (String(answer.headers['content-type']).includes('text/event-stream')) {
        res.writeHead(status, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
        const rewrite = streamRewriter(instance, v0 && this.v0StreamStats === 'last-chunk')
        let pending = ''
        answer.on('data', (text: string) => {
          pending += text
          let end: number
          while ((end = pending.indexOf('\n\n')) !== -1) {
            res.write(rewrite(pending.slice(0, end)))
            pending = pending.slice(end + 2)
          }
        })
        answer.on('end', () => res.end(pending))
        return
      }
      let text = ''
      answer.on('data', (part: string) => (text += part))
      answer.on('end', () => {
        let completion: Json
        try {
          completion = JSON.parse(text) as Json
        } catch {
          res.writeHead(status, { 'content-type': String(answer.headers['content-type'] ?? 'text/plain') }).end(text)
          return
        }
        if (status === 200) this.rewriteCompletion(completion, instance, v0)
        send(res, status, completion)
      })
    })
    upstream.end(JSON.stringify(body))
  }

  private rewriteCompletion(completion: Json, instance: LoadedInstance, v0: boolean): void {
    const timings = completion.timings as Timings | undefined
    delete completion.timings
    completion.model = instance.identifier
    completion.system_fingerprint = instance.identifier
    if (!v0) {
      // LM Studio's OpenAI-compatible answer carries an empty `stats` (lmstudio-bug-tracker#601).
      completion.stats = {}
      return
    }
    const choices = completion.choices as { finish_reason?: string | null }[] | undefined
    if (timings) completion.stats = statsOf(timings, choices?.[0]?.finish_reason ?? null)
    const model = this.models.find((m) => m.modelKey === instance.modelKey)
    completion.model_info = { ...(model?.architecture !== undefined ? { arch: model.architecture } : {}), format: 'gguf', context_length: instance.contextLength }
    completion.runtime = { name: 'llama.cpp (modelgate stand-in: llama-server)', version: 'stand-in', supported_formats: ['gguf'] }
  }

  // --- WebSocket API -------------------------------------------------------------------------

  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const namespace = new URL(req.url ?? '/', 'http://stand-in').pathname.slice(1)
    if (!NAMESPACES.has(namespace)) {
      socket.destroy()
      return
    }
    const connection: ApiConnection = {
      namespace,
      authenticated: false,
      cancels: new Map(),
      peer: acceptWebSocket(
        req,
        socket,
        head,
        (text) => this.onApiMessage(connection, text),
        () => {
          for (const cancel of connection.cancels.values()) cancel.abort()
          this.connections.delete(connection)
        }
      )
    }
    this.connections.add(connection)
  }

  private onApiMessage(connection: ApiConnection, text: string): void {
    let message: Json
    try {
      message = JSON.parse(text) as Json
    } catch {
      return
    }
    if (!connection.authenticated) return this.authenticate(connection, message)
    const reply = (answer: Json) => connection.peer.send(JSON.stringify(answer))
    const { namespace } = connection
    const record = (endpoint: unknown, params: unknown) => this.calls.push({ namespace, endpoint: String(endpoint), params })
    switch (message.type) {
      case 'rpcCall': {
        record(message.endpoint, message.parameter)
        const handler = this.rpcs[namespace]?.[String(message.endpoint)]
        const callId = message.callId
        Promise.resolve()
          .then(() => {
            if (!handler) throw unsupported(namespace, 'RPC', message.endpoint)
            return handler((message.parameter ?? {}) as Json)
          })
          .then(
            (result) => reply({ type: 'rpcResult', callId, result }),
            (error) => reply({ type: 'rpcError', callId, error: serializeError(error) })
          )
        return
      }
      case 'channelCreate': {
        record(message.endpoint, message.creationParameter)
        const handler = this.channels[namespace]?.[String(message.endpoint)]
        const channelId = Number(message.channelId)
        const cancel = new AbortController()
        connection.cancels.set(channelId, cancel)
        Promise.resolve()
          .then(() => {
            if (!handler) throw unsupported(namespace, 'channel', message.endpoint)
            return handler((message.creationParameter ?? {}) as Json, (packet) => reply({ type: 'channelSend', channelId, message: packet }), cancel.signal)
          })
          .then(
            () => reply({ type: 'channelClose', channelId }),
            (error) => reply({ type: 'channelError', channelId, error: serializeError(error) })
          )
          .finally(() => connection.cancels.delete(channelId))
        return
      }
      case 'channelSend': {
        // The only packet a client sends on the channels the stand-in serves: `{ type: 'cancel' }`.
        const packet = message.message as Json | undefined
        record('channelSend', packet)
        if (packet?.type === 'cancel') connection.cancels.get(Number(message.channelId))?.abort()
        return
      }
      case 'signalSubscribe':
      case 'writableSignalSubscribe': {
        record(message.endpoint, message.creationParameter)
        const type = message.type === 'signalSubscribe' ? 'signalError' : 'writableSignalError'
        reply({ type, subscribeId: message.subscribeId, error: unsupported(namespace, 'signal', message.endpoint).serialize() })
        return
      }
      case 'keepAlive':
        return reply({ type: 'keepAliveAck' })
      case 'communicationWarning':
        record('communicationWarning', message.warning)
        return
    }
  }

  /** LM Studio's first-come-first-served authentication: a client identifier keeps the first passkey it came with. */
  private authenticate(connection: ApiConnection, packet: Json): void {
    const { clientIdentifier, clientPasskey } = packet
    this.calls.push({ namespace: connection.namespace, endpoint: 'authenticate', params: { authVersion: packet.authVersion, clientIdentifier } })
    let error: string | undefined
    if (packet.authVersion !== 1 || typeof clientIdentifier !== 'string' || typeof clientPasskey !== 'string') error = 'Invalid authentication packet'
    else if ((this.passkeys.get(clientIdentifier) ?? clientPasskey) !== clientPasskey) error = `Failed to validate client: Invalid client passkey for client "${clientIdentifier}"`
    if (error !== undefined) {
      connection.peer.send(JSON.stringify({ success: false, error }))
      connection.peer.close()
      return
    }
    this.passkeys.set(clientIdentifier as string, clientPasskey as string)
    connection.authenticated = true
    connection.peer.send(JSON.stringify({ success: true }))
  }
}

interface Timings {
  prompt_ms: number
  predicted_ms: number
  predicted_per_second: number
}

/** LM Studio's `stats` from llama-server's `timings` and finish reason. */
function statsOf(timings: Timings, finishReason: string | null): Json {
  return {
    tokens_per_second: timings.predicted_per_second,
    time_to_first_token: timings.prompt_ms / 1000,
    generation_time: timings.predicted_ms / 1000,
    stop_reason: finishReason === null ? null : (STOP_REASONS[finishReason] ?? finishReason)
  }
}

/**
 * Rewrites one server-sent event of llama-server's stream as LM Studio sends it. llama-server puts
 * `timings` on its last chunk before `[DONE]` (the finish chunk, or the usage chunk after it when
 * `stream_options.include_usage` is set); with `stats` that chunk gets them in its place.
 */
function streamRewriter(instance: LoadedInstance, withStats: boolean): (event: string) => string {
  let finishReason: string | null = null
  return (event) => {
    const data = event.startsWith('data: ') ? event.slice('data: '.length) : undefined
    if (data === undefined || data === '[DONE]') return `${event}\n\n`
    let chunk: Json
    try {
      chunk = JSON.parse(data) as Json
    } catch {
      return `${event}\n\n`
    }
    const choice = (chunk.choices as { finish_reason?: string | null }[] | undefined)?.[0]
    if (choice?.finish_reason) finishReason = choice.finish_reason
    chunk.model = instance.identifier
    chunk.system_fingerprint = instance.identifier
    const timings = chunk.timings as Timings | undefined
    delete chunk.timings
    if (timings && withStats) chunk.stats = statsOf(timings, finishReason)
    return `data: ${JSON.stringify(chunk)}\n\n`
  }
}

/** LM Studio's OpenAI-style error body (as answers to unknown models show it). */
function openAiError(message: string, param: string, code: string | null): Json {
  return { error: { message, type: 'invalid_request_error', param, code } }
}

function unsupported(namespace: string, kind: string, endpoint: unknown): StandInError {
  return new StandInError(`The LM Studio stand-in does not implement the ${kind} ${namespace}.${String(endpoint)}`, {
    cause: 'Add it to __tests__/support/lmstudio/server.ts if modelgate needs it.'
  })
}

function serializeError(error: unknown): Json {
  if (error instanceof StandInError) return error.serialize()
  const title = error instanceof Error ? error.message : String(error)
  return { title, rootTitle: title }
}

/** The fields of a KV config stack, later layers over earlier ones (the SDK sends one layer, `apiOverride`). */
function kvFieldsOf(stack: unknown): Record<string, unknown> {
  const layers = ((stack ?? {}) as { layers?: { config?: { fields?: { key: string; value: unknown }[] } }[] }).layers ?? []
  return Object.fromEntries(layers.flatMap((layer) => layer.config?.fields ?? []).map((field) => [field.key, field.value]))
}

function track(sockets: Set<Duplex>, socket: Duplex): void {
  sockets.add(socket)
  socket.on('close', () => sockets.delete(socket))
}

function listenOn(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

/** Closes the port and cuts the connections still open on it. */
function closeServer(server: http.Server, sockets: Set<Duplex>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  for (const socket of sockets) socket.destroy()
  return closed
}

/** Answers 500 with the error when a handler throws, or cuts a response already under way. */
function answering(res: http.ServerResponse, handling: Promise<void>): void {
  handling.catch((error: unknown) => {
    if (res.headersSent) res.destroy()
    else send(res, 500, { error: `LM Studio stand-in: ${String(error)}` })
  })
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body))
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  let text = ''
  for await (const chunk of req) text += String(chunk)
  return text === '' ? undefined : JSON.parse(text)
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const cancelled = () => reject(new StandInError('Model loading was cancelled.'))
    if (signal?.aborted) return cancelled()
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      cancelled()
    }, { once: true })
  })
}

/**
 * Completes a WebSocket handshake (RFC 6455) and reads the frames the SDK's `ws` client sends:
 * masked text frames (fragmented or not), ping and close. It answers with unmasked text frames and
 * offers no extension, so the client compresses nothing.
 */
function acceptWebSocket(req: http.IncomingMessage, socket: Duplex, head: Buffer, onText: (text: string) => void, onClose: () => void): WebSocketPeer {
  const frame = (opcode: number, payload: Buffer): Buffer => {
    const length = payload.length
    const header = Buffer.alloc(length < 126 ? 2 : length < 65536 ? 4 : 10)
    header.writeUInt8(0x80 | opcode, 0)
    if (length < 126) header.writeUInt8(length, 1)
    else if (length < 65536) {
      header.writeUInt8(126, 1)
      header.writeUInt16BE(length, 2)
    } else {
      header.writeUInt8(127, 1)
      header.writeBigUInt64BE(BigInt(length), 2)
    }
    return Buffer.concat([header, payload])
  }
  const peer: WebSocketPeer = {
    send: (text) => {
      if (!socket.destroyed) socket.write(frame(0x1, Buffer.from(text, 'utf8')))
    },
    close: () => {
      if (!socket.destroyed) socket.end(frame(0x8, Buffer.alloc(0)))
    }
  }
  const key = req.headers['sec-websocket-key']
  if (typeof key !== 'string') {
    socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')
    return peer
  }
  const accept = createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64')
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`)
  ;(socket as Socket).setNoDelay?.(true)

  let pending = Buffer.from(head)
  let fragments: Buffer[] = []
  const read = () => {
    for (;;) {
      if (pending.length < 2) return
      const first = pending.readUInt8(0)
      const second = pending.readUInt8(1)
      let length = second & 0x7f
      let offset = 2
      if (length === 126) {
        if (pending.length < 4) return
        length = pending.readUInt16BE(2)
        offset = 4
      } else if (length === 127) {
        if (pending.length < 10) return
        length = Number(pending.readBigUInt64BE(2))
        offset = 10
      }
      const masked = (second & 0x80) !== 0
      const maskAt = offset
      if (masked) offset += 4
      if (pending.length < offset + length) return
      const payload = Buffer.from(pending.subarray(offset, offset + length))
      if (masked) for (let i = 0; i < payload.length; i++) payload.writeUInt8(payload.readUInt8(i) ^ pending.readUInt8(maskAt + (i % 4)), i)
      pending = pending.subarray(offset + length)
      const opcode = first & 0x0f
      if (opcode === 0x8) return peer.close()
      if (opcode === 0x9) {
        socket.write(frame(0xa, payload))
        continue
      }
      if (opcode !== 0x0 && opcode !== 0x1 && opcode !== 0x2) continue
      fragments.push(payload)
      if ((first & 0x80) !== 0) {
        const text = Buffer.concat(fragments).toString('utf8')
        fragments = []
        onText(text)
      }
    }
  }
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk])
    read()
  })
  socket.on('error', () => socket.destroy())
  socket.on('close', onClose)
  read()
  return peer
}
