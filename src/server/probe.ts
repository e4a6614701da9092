// What answers at a base URL, read off the endpoints each engine alone has: llama-server's
// /props (with `build_info`) and LM Studio's /api/v0/models.
import { badPortMessage, isConnectionRefused, rootCauseOf } from '../errors.js'
import type { Engine } from './types.js'
import { CancelledError } from '../host/cancel.js'

/** The server answered, and what it said ends the wait: no retry can change it. */
export class ServerAnswerError extends Error {
  override name = 'ServerAnswerError'
}

export interface EngineInfo {
  engine: Engine
  build?: string
  /** Model ids the server is serving right now. */
  loadedModels: string[]
}

/** `http://host:1234` or `http://host:1234/` becomes `http://host:1234/v1`; a given path is kept. */
export function normaliseBaseUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new Error(`base-url '${raw}' is not a URL (expected e.g. http://127.0.0.1:8080/v1)`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`base-url '${raw}' must be http:// or https://`)
  const trimmed = url.pathname.replace(/\/+$/, '')
  url.pathname = trimmed === '' ? '/v1' : trimmed
  return url.toString().replace(/\/$/, '')
}

/** The server's root: the base URL without its trailing /v1. */
export function originOf(baseUrl: string): string {
  return baseUrl.replace(/\/v1$/, '')
}

async function getJson(url: string, apiKey: string | undefined, timeoutMs: number): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : {},
    signal: AbortSignal.timeout(timeoutMs)
  })
  const text = await response.text()
  try {
    return { status: response.status, body: JSON.parse(text) as unknown }
  } catch {
    return { status: response.status, body: undefined }
  }
}

function describeFetchError(url: string, error: unknown): string {
  return `cannot reach the model server at ${url}: ${rootCauseOf(error)}`
}

/**
 * How long a refused connection is tried again. llama-server and LM Studio listen before they
 * load a model (and answer 503 meanwhile), so a port still refusing after this has no server
 * starting behind it, and the rest of server-timeout would be spent for nothing.
 */
export const REFUSED_GIVE_UP_MS = 30_000

/** How often a wait says it is still waiting. */
export const WAIT_NOTICE_EVERY_MS = 15_000

export interface ProbeWaits {
  /** Told when the wait starts and every WAIT_NOTICE_EVERY_MS while it lasts. */
  onWait?(message: string): void
  /** How long a refused connection is tried again (REFUSED_GIVE_UP_MS). */
  refusedGiveUpMs?: number
  /** Added to the message when nothing listens: how to get a server there. */
  refusedAdvice?: string
  /** A cancelled run stops waiting at once. */
  signal?: AbortSignal
}

const seconds = (ms: number) => (ms < 950 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`)

/**
 * Waits until the server answers its model list, then tells which engine it is. llama-server
 * answers 503 on every path while it loads the model, so 503 means "not yet", not "broken".
 */
export async function probeServer(baseUrl: string, apiKey: string | undefined, timeoutMs: number, waits: ProbeWaits = {}): Promise<EngineInfo> {
  const modelsUrl = `${baseUrl}/models`
  const startedAt = Date.now()
  const deadline = startedAt + timeoutMs
  const refusedGiveUpMs = Math.min(waits.refusedGiveUpMs ?? REFUSED_GIVE_UP_MS, timeoutMs)
  let refusedSince: number | undefined
  // What the wait last said: a new reason to wait is said at once, the same one every WAIT_NOTICE_EVERY_MS.
  let noticed: { reason: 'loading' | 'refused'; at: number } | undefined
  const notice = (reason: 'loading' | 'refused', message: string) => {
    const now = Date.now()
    if (noticed?.reason === reason && now - noticed.at < WAIT_NOTICE_EVERY_MS) return
    waits.onWait?.(message)
    noticed = { reason, at: now }
  }
  let models: { status: number; body: unknown }
  for (;;) {
    if (waits.signal?.aborted) throw new CancelledError(waits.signal, `while waiting for the model server at ${baseUrl}`)
    try {
      models = await getJson(modelsUrl, apiKey, Math.max(1000, Math.min(10_000, deadline - Date.now())))
      refusedSince = undefined
      if (models.status !== 503) break
      const waited = Date.now() - startedAt
      if (waited >= timeoutMs) throw new ServerAnswerError(`the model server at ${baseUrl} was still loading after ${seconds(timeoutMs)} (503 from ${modelsUrl})`)
      const still = waited < 1000 ? 'is loading its model' : `is still loading its model after ${seconds(waited)}`
      notice('loading', `the model server at ${baseUrl} ${still} (503 from ${modelsUrl}); waiting up to ${seconds(timeoutMs)}`)
    } catch (error) {
      if (error instanceof ServerAnswerError) throw error
      const badPort = badPortMessage(error, modelsUrl)
      if (badPort) throw new Error(badPort, { cause: error })
      const now = Date.now()
      if (isConnectionRefused(error)) {
        refusedSince ??= now
        if (now - refusedSince >= refusedGiveUpMs) {
          const { port, protocol } = new URL(baseUrl)
          const advice = waits.refusedAdvice ? ` ${waits.refusedAdvice}` : ''
          throw new Error(
            `nothing is listening at ${baseUrl} (connection refused for ${seconds(now - refusedSince)}): is the model server running, and is ${port || (protocol === 'https:' ? 443 : 80)} its port?${advice}`,
            { cause: error }
          )
        }
        notice('refused', `nothing is listening at ${baseUrl} yet (connection refused); waiting up to ${seconds(refusedGiveUpMs)} for a server to start there`)
      } else if (now >= deadline) throw new Error(describeFetchError(modelsUrl, error), { cause: error })
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  if (models.status === 401 || models.status === 403) {
    throw new Error(`the model server at ${baseUrl} refused the api-key (HTTP ${models.status} from ${modelsUrl})`)
  }
  if (models.status !== 200) throw new Error(`the model server at ${baseUrl} answered HTTP ${models.status} for ${modelsUrl}; is this an OpenAI-compatible /v1 URL?`)
  const data = (models.body as { data?: { id?: unknown }[] } | undefined)?.data
  if (!Array.isArray(data)) throw new Error(`the model server at ${baseUrl} answered ${modelsUrl} without a model list; is this an OpenAI-compatible /v1 URL?`)
  const listed = data.map((m) => m.id).filter((id): id is string => typeof id === 'string')

  const origin = originOf(baseUrl)
  const props = await getJson(`${origin}/props`, apiKey, 5000).catch(() => undefined)
  const buildInfo = (props?.body as { build_info?: unknown } | undefined)?.build_info
  if (props?.status === 200 && typeof buildInfo === 'string') {
    return { engine: 'llama.cpp', build: buildInfo, loadedModels: listed }
  }
  // LM Studio 0.4's REST API lists each model with its loaded instances; 0.3's lists a state.
  const lmRest = await getJson(`${origin}/api/v1/models`, apiKey, 5000).catch(() => undefined)
  const restModels = (lmRest?.body as { models?: { key?: unknown; loaded_instances?: { id?: unknown }[] }[] } | undefined)?.models
  if (lmRest?.status === 200 && Array.isArray(restModels) && restModels.every((m) => typeof m.key === 'string' && Array.isArray(m.loaded_instances))) {
    return { engine: 'lmstudio', loadedModels: restModels.flatMap((m) => m.loaded_instances!.map((i) => String(i.id))) }
  }
  const lmModels = await getJson(`${origin}/api/v0/models`, apiKey, 5000).catch(() => undefined)
  const lmData = (lmModels?.body as { data?: { id?: unknown; state?: unknown }[] } | undefined)?.data
  if (lmModels?.status === 200 && Array.isArray(lmData)) {
    const loaded = lmData.filter((m) => m.state === 'loaded').map((m) => String(m.id))
    return { engine: 'lmstudio', loadedModels: loaded }
  }
  return { engine: 'openai-compatible', loadedModels: listed }
}
