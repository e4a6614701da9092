// Loading a model through @lmstudio/sdk, the one interface that takes every load setting.
// The client speaks LM Studio's WebSocket protocol on the server's own port.
import { LMStudioClient, type LLMLoadModelConfig } from '@lmstudio/sdk'

export interface LoadedInstance {
  identifier: string
  modelKey: string
  path?: string
  contextLength?: number
}

// The SDK logs progress and hints through its logger; the driver says what matters itself.
const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} }

/** Loads `modelKey` as `identifier` with `config`; the error quotes LM Studio's own message. */
export async function loadWithSdk(port: number, modelKey: string, identifier: string, config: LLMLoadModelConfig, signal?: AbortSignal): Promise<LoadedInstance> {
  const client = new LMStudioClient({ baseUrl: `ws://127.0.0.1:${port}`, logger: quiet })
  try {
    const model = await client.llm.load(modelKey, { identifier, config, verbose: false, ...(signal ? { signal } : {}) })
    const info = await model.getModelInfo()
    return {
      identifier: info.identifier,
      modelKey: info.modelKey,
      ...(info.path ? { path: info.path } : {}),
      ...(typeof info.contextLength === 'number' ? { contextLength: info.contextLength } : {})
    }
  } catch (error) {
    // The SDK draws its messages in a box (│ ┌ ─ …): the words alone, on one line.
    const message = ((error as Error).message ?? String(error))
      .split('\n')
      .map((l) => l.replace(/[│┌┐└┘─╭╮╰╯]/g, '').trim())
      .filter(Boolean)
      .join(' ')
    throw new Error(`LM Studio could not load '${modelKey}': ${message}`, { cause: error })
  } finally {
    await client[Symbol.asyncDispose]().catch(() => {})
  }
}
