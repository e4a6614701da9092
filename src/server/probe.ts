// What answers at a base URL, read off the endpoints each engine alone has: llama-server's
// /props (with `build_info`) and LM Studio's /api/v0/models.
import { rootCauseOf } from '../errors.js'
import type { Engine } from './types.js'

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
 * Waits until the server answers its model list, then tells which engine it is. llama-server
 * answers 503 on every path while it loads the model, so 503 means "not yet", not "broken".
 */
export async function probeServer(baseUrl: string, apiKey: string | undefined, timeoutMs: number): Promise<EngineInfo> {
  const modelsUrl = `${baseUrl}/models`
  const deadline = Date.now() + timeoutMs
  let models: { status: number; body: unknown }
  for (;;) {
    try {
      models = await getJson(modelsUrl, apiKey, Math.max(1000, Math.min(10_000, deadline - Date.now())))
      if (models.status !== 503) break
      if (Date.now() >= deadline) throw new ServerAnswerError(`the model server at ${baseUrl} was still loading after ${Math.round(timeoutMs / 1000)} s (503 from ${modelsUrl})`)
    } catch (error) {
      if (error instanceof ServerAnswerError) throw error
      if (Date.now() >= deadline) throw new Error(describeFetchError(modelsUrl, error), { cause: error })
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
  const lmModels = await getJson(`${origin}/api/v0/models`, apiKey, 5000).catch(() => undefined)
  const lmData = (lmModels?.body as { data?: { id?: unknown; state?: unknown }[] } | undefined)?.data
  if (lmModels?.status === 200 && Array.isArray(lmData)) {
    const loaded = lmData.filter((m) => m.state === 'loaded').map((m) => String(m.id))
    return { engine: 'lmstudio', loadedModels: loaded }
  }
  return { engine: 'openai-compatible', loadedModels: listed }
}
