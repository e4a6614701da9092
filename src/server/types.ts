import type { Backend, ServerSettings } from '../suite.js'
import type { ServerReport } from '../results.js'

export type Engine = ServerReport['engine']

/**
 * A model server ready to answer: started by modelgate or connected to. Replay only needs the
 * OpenAI-compatible base URL and the model id; the report needs what really ran.
 */
export interface ServerSession {
  backend: Backend
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

export interface SessionOptions {
  backend: Backend
  baseUrl?: string
  apiKey?: string
  model?: string
  settings: ServerSettings
  extraArgs: string[]
  /** How long to wait for the server to be ready, in ms. */
  readyTimeoutMs: number
  /** llama-server binary to start; else found on PATH. */
  llamaServerPath?: string
  /** A relative model path is read from here: the suite's folder, or the workspace for the input. */
  modelBaseDir: string
  /** The suite file as the user named it, for messages. */
  suitePath: string
}

/** A server that failed to start still says what was tried and what it printed. */
export class ServerStartError extends Error {
  constructor(
    message: string,
    readonly report: ServerReport
  ) {
    super(message)
    this.name = 'ServerStartError'
  }
}
