import type { RunHost } from '../host/types.js'
import type { ServerReport } from '../results.js'
import type { ServerSettings } from './settings.js'

export type Engine = ServerReport['engine']

/**
 * A model server ready to answer: started by modelgate or connected to. Replay only needs the
 * OpenAI-compatible base URL and the model id; the report needs what really ran.
 */
export interface ServerSession {
  backend: string
  engine: Engine
  /** OpenAI-compatible base URL, ending in /v1. */
  baseUrl: string
  apiKey: string
  /** The id to send as `model`. */
  model: string
  report(): ServerReport
  /** Stops what this session started; a no-op for connect. Never throws. */
  stop(): Promise<void>
}

/** The suite's `server:` block, as every backend reads it. */
export interface SuiteServer {
  model?: string
  baseUrl?: string
  settings: ServerSettings
  extraArgs: string[]
}

/** What a backend is asked to start with. `options` are its own, read by its `readOptions`. */
export interface StartRequest<Options> {
  host: RunHost
  options: Options
  /** The suite's server block (its settings under LM Studio's names). */
  server: SuiteServer
  /** The model to serve or use: the input's, else the suite's. */
  model?: string
  apiKey?: string
  /** How long to wait for the server to be ready, in ms. */
  readyTimeoutMs: number
  /** A relative model path is read from here: the suite's folder, or the workspace for the input. */
  modelBaseDir: string
  /** The suite file as the user named it, for messages. */
  suitePath: string
}

/** An option a backend adds to the action's inputs and the CLI's flags (same kebab-case name). */
export interface BackendOption {
  name: string
  /** What the CLI's usage shows right after the flag: ` PATH`, or `="ARGS"` for a value that starts with -. */
  value: string
  description: string
}

/**
 * One backend: how to start (or reach) its server for a run, and what the post step does if the
 * main step was cancelled or crashed. Registered once in registry.ts.
 */
export interface BackendDriver<Options = unknown> {
  /** The options this backend takes beyond the common ones. */
  options: readonly BackendOption[]
  /** Reads them by name; `label` names one the way its user wrote it, for error messages. */
  readOptions(read: (name: string) => string, label: (name: string) => string): Options
  start(request: StartRequest<Options>): Promise<ServerSession>
  /** Cleans up from the state the main step saved; only warns, never throws. */
  cleanup?(saved: (name: string) => string, host: Pick<RunHost, 'info' | 'warn'>): Promise<void>
}

/** A server that failed to start still says what was tried and what it printed. */
export class ServerStartError extends Error {
  constructor(
    message: string,
    readonly report: ServerReport,
    options?: ErrorOptions
  ) {
    super(message, options)
    this.name = 'ServerStartError'
  }
}
