// The example's models: scripted GGUF files whose greedy answer is a fixed text, so the demo and
// the end-to-end tests run the real llama-server on a CPU and know what it will say.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RunHost } from '../src/host/types.js'
import { startLlamaServer } from '../src/server/llamacpp/driver.js'
import type { ServerSession } from '../src/server/types.js'
import { SLOW_MODEL_OPTIONS, writeScriptedModel } from './gguf-writer.js'

export const EXAMPLE_DIR = fileURLToPath(new URL('../examples/user-status/', import.meta.url))
export const EXAMPLE_SUITE = path.join(EXAMPLE_DIR, 'suite.yml')

export interface ExampleModels {
  /** Answers with the validations in place. */
  good: string
  /** Answers like the seed's hand run: no validation, 50003 inside the catch. */
  regressed: string
  /** The good answer from a model with much wider zero-weight layers: about ten times slower. */
  slow: string
}

export async function exampleAnswer(name: 'good' | 'regressed'): Promise<string> {
  return readFile(path.join(EXAMPLE_DIR, 'answers', `${name}.md`), 'utf8')
}

export async function writeExampleModels(dir: string): Promise<ExampleModels> {
  const good = await exampleAnswer('good')
  const regressed = await exampleAnswer('regressed')
  const models = { good: path.join(dir, 'good.gguf'), regressed: path.join(dir, 'regressed.gguf'), slow: path.join(dir, 'slow.gguf') }
  await writeScriptedModel(models.good, { script: good, name: 'user-status good' })
  await writeScriptedModel(models.regressed, { script: regressed, name: 'user-status regressed' })
  await writeScriptedModel(models.slow, { script: good, name: 'user-status slow', ...SLOW_MODEL_OPTIONS })
  return models
}

/**
 * llama-server on a scripted model as the measuring scripts run it: a 4096 context and 2 threads
 * by default, which fit this 2-core machine (the example's 9 threads would measure only the
 * oversubscription). The speed-verdict script passes 1: a thread per core leaves none for the
 * client and the kernel, and a stalled thread holds up the other at every barrier.
 */
export function startMeasuredServer(model: string, llamaServer: string, host: RunHost, threads = 2, extraArgs: string[] = [], contextLength = 4096): Promise<ServerSession> {
  return startLlamaServer({
    host,
    options: { llamaServerPath: llamaServer, extraArgs },
    server: { settings: { 'context-length': contextLength, 'cpu-threads': threads }, extraArgs: [] },
    model,
    readyTimeoutMs: 60_000,
    modelBaseDir: path.dirname(model),
    suitePath: EXAMPLE_SUITE
  })
}
