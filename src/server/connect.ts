import { warn } from '../log.js'
import type { ServerReport } from '../results.js'
import { normaliseBaseUrl, probeServer } from './probe.js'
import type { ServerSession, SessionOptions } from './types.js'

/** Connects to a server that is already running; modelgate neither loads nor stops anything. */
export async function connectToServer(options: SessionOptions): Promise<ServerSession> {
  if (!options.baseUrl) throw new Error("server 'connect' needs a base URL: set the input 'base-url' or server.base-url in the suite")
  const baseUrl = normaliseBaseUrl(options.baseUrl)
  const info = await probeServer(baseUrl, options.apiKey, options.readyTimeoutMs)
  const model = chooseModel(options.model, info.loadedModels, info.engine, baseUrl)
  const notApplied = Object.keys(options.settings).map((setting) => ({
    setting,
    reason: 'connect mode uses the server as it is running; start it with these settings or use server llama.cpp/lmstudio'
  }))
  if (notApplied.length > 0) warn(`connect mode does not apply server.settings (${notApplied.map((n) => n.setting).join(', ')})`)
  const report: ServerReport = {
    backend: 'connect',
    engine: info.engine,
    baseUrl,
    model,
    settings: { ...options.settings },
    ...(info.build ? { build: info.build } : {}),
    ...(notApplied.length ? { notApplied } : {})
  }
  return {
    backend: 'connect',
    engine: info.engine,
    baseUrl,
    apiKey: options.apiKey ?? '',
    model,
    report: () => report,
    stop: async () => {}
  }
}

function chooseModel(requested: string | undefined, loaded: string[], engine: string, baseUrl: string): string {
  if (requested) {
    if (!loaded.includes(requested)) {
      if (engine === 'llama.cpp' && loaded.length > 0) {
        // llama-server ignores the request's model field: say which model really answers.
        warn(`llama-server at ${baseUrl} serves ${loaded.join(', ')}, not '${requested}'; the results are for ${loaded[0]}`)
        return loaded[0]!
      }
      if (engine === 'lmstudio') {
        warn(`'${requested}' is not loaded in LM Studio at ${baseUrl}; it will load it just in time with its default settings`)
      }
    }
    return requested
  }
  if (loaded.length === 1) return loaded[0]!
  if (loaded.length === 0) throw new Error(`the model server at ${baseUrl} has no model loaded; set the input 'model' or server.model in the suite`)
  throw new Error(`the model server at ${baseUrl} serves several models (${loaded.join(', ')}); choose one with the input 'model' or server.model in the suite`)
}
