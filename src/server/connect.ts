// `server: connect`: a server that is already running (llama-server, LM Studio, any
// OpenAI-compatible one). modelgate neither loads nor stops anything.
import type { RunHost } from '../host/types.js'
import type { ServerReport } from '../results.js'
import { normaliseBaseUrl, probeServer, type ProbeWaits } from './probe.js'
import type { BackendDriver, ServerSession, StartRequest } from './types.js'
import { secretsInUrl } from '../hygiene.js'

export interface ConnectOptions {
  baseUrl?: string
}

/** The connect driver; tests shorten how long a refused port is tried again. */
export function makeConnectDriver(waits: Pick<ProbeWaits, 'refusedGiveUpMs'> = {}): BackendDriver<ConnectOptions> {
  return {
    options: [{ name: 'base-url', value: ' URL', description: 'OpenAI-compatible URL for connect (e.g. http://127.0.0.1:8080/v1)' }],
    readOptions: (read) => ({ baseUrl: read('base-url') || undefined }),
    start: (request) => startConnect(request, waits)
  }
}

export const connectDriver = makeConnectDriver()

async function startConnect({ host, options, server, model: requested, apiKey, readyTimeoutMs }: StartRequest<ConnectOptions>, waits: Pick<ProbeWaits, 'refusedGiveUpMs'>): Promise<ServerSession> {
  const given = options.baseUrl ?? server.baseUrl
  if (!given) throw new Error(`server 'connect' needs a base URL: set ${host.optionRef('base-url')} or server.base-url in the suite`)
  // A key in the URL (user:pass@, ?api_key=) is hidden before any message can quote the URL.
  for (const secret of secretsInUrl(given)) host.mask(secret)
  const baseUrl = normaliseBaseUrl(given)
  // Waits are said through the host; nothing at the port is most often a server never started.
  const info = await probeServer(baseUrl, apiKey, readyTimeoutMs, {
    ...waits,
    onWait: (message) => host.info(message),
    signal: host.cancelled,
    refusedAdvice: `With llama.cpp, set ${host.optionRef('server')} (or server.backend in the suite) to llama.cpp and modelgate starts llama-server itself.`
  })
  const model = chooseModel(host, requested, info.loadedModels, info.engine, baseUrl)
  const notApplied = Object.keys(server.settings).map((setting) => ({
    setting,
    reason: 'connect mode uses the server as it is running; start it with these settings or use server llama.cpp/lmstudio'
  }))
  if (notApplied.length > 0) host.warn(`connect mode does not apply server.settings (${notApplied.map((n) => n.setting).join(', ')})`)
  // LM Studio adds its own figures (`stats`) only on its /api/v0 variant of the OpenAI API.
  const replayUrl = info.engine === 'lmstudio' ? baseUrl.replace(/\/v1$/, '/api/v0') : baseUrl
  const report: ServerReport = {
    backend: 'connect',
    engine: info.engine,
    baseUrl: replayUrl,
    model,
    settings: { ...server.settings },
    ...(info.build ? { build: info.build } : {}),
    ...(notApplied.length ? { notApplied } : {})
  }
  return {
    backend: 'connect',
    engine: info.engine,
    baseUrl: replayUrl,
    apiKey: apiKey ?? '',
    model,
    report: () => report,
    stop: async () => {}
  }
}

function chooseModel(host: RunHost, requested: string | undefined, loaded: string[], engine: string, baseUrl: string): string {
  if (requested) {
    if (!loaded.includes(requested)) {
      if (engine === 'llama.cpp' && loaded.length > 0) {
        // llama-server ignores the request's model field: say which model really answers.
        host.warn(`llama-server at ${baseUrl} serves ${loaded.join(', ')}, not '${requested}'; the results are for ${loaded[0]}`)
        return loaded[0]!
      }
      if (engine === 'lmstudio') {
        host.warn(`'${requested}' is not loaded in LM Studio at ${baseUrl}; it will load it just in time with its default settings`)
      }
    }
    return requested
  }
  if (loaded.length === 1) return loaded[0]!
  const choose = `${host.optionRef('model')} or server.model in the suite`
  if (loaded.length === 0) throw new Error(`the model server at ${baseUrl} has no model loaded; set ${choose}`)
  throw new Error(`the model server at ${baseUrl} serves several models (${loaded.join(', ')}); choose one with ${choose}`)
}
