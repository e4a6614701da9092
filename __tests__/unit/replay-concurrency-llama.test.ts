// Concurrent replay against a real llama-server with four slots (`-np 4`): its own log shows
// several requests in flight at once, and a speed case in the same suite, whose samples run
// alone, measures what it measures when nothing is shared (within the noise of a shared machine).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { SLOW_MODEL_OPTIONS, writeScriptedModel } from '../../scripts/gguf-writer.js'
import { parseRunOptions } from '../../src/options.js'
import { runPipeline } from '../../src/pipeline.js'
import type { RunResults } from '../../src/results.js'
import { startLlamaServer } from '../../src/server/llamacpp/driver.js'
import type { ServerSession } from '../../src/server/types.js'
import { recordingHost, type RecordingHost } from '../support/host.js'
import { llamaServerBinary } from '../../scripts/real-parts.js'
import { mostInFlight } from '../support/llama-server-log.js'

const SCRIPT = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ')
const QUALITY_CASES = 12

/** Twelve cases without a speed check, and one with, in the middle. */
const SUITE = `name: shared
server:
  backend: connect
defaults:
  max-tokens: 64
cases:
${Array.from({ length: QUALITY_CASES }, (_, i) => `  - id: q${i}\n    prompt: Quality ${i}.\n    assert:\n      - type: contains\n        value: word39`).join('\n')}
  - id: decode
    prompt: Decode.
    repeat: 5
    assert:
      - type: tokens-per-second
        min: 1
`


let workspace: string
let server: ServerSession
let serverHost: RecordingHost

beforeAll(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'modelgate-slots-'))
  // The slow model: a token about every millisecond, so requests last long enough to overlap.
  await writeScriptedModel(path.join(workspace, 'slow.gguf'), { script: SCRIPT, ...SLOW_MODEL_OPTIONS })
  await writeFile(path.join(workspace, 'suite.yml'), SUITE)
  serverHost = recordingHost('cli', workspace)
  server = await startLlamaServer({
    host: serverHost,
    options: { llamaServerPath: llamaServerBinary(), extraArgs: ['-np', '4'] },
    // One thread: on a busy 2-core machine two would wait on each other at every token.
    server: { settings: { 'context-length': 4096, 'cpu-threads': 1 }, extraArgs: [] },
    model: 'slow.gguf',
    readyTimeoutMs: 60_000,
    modelBaseDir: workspace,
    suitePath: 'suite.yml'
  })
}, 120_000)
afterAll(() => server?.stop())

async function replay(concurrency?: number): Promise<RunResults> {
  const values: Record<string, string> = { suite: 'suite.yml', 'base-url': server.baseUrl, ...(concurrency ? { concurrency: String(concurrency) } : {}) }
  return runPipeline(parseRunOptions((name) => values[name] ?? '', (name) => `--${name}`), recordingHost('cli', workspace))
}

const decodeRate = (results: RunResults) => results.cases.find((c) => c.id === 'decode')!.tokensPerSecond!

describe('concurrent replay on llama-server -np 4', () => {
  it('has several requests in flight by default, and the speed case measures as it does alone', async () => {
    const logFile = serverHost.state['llama-server-log']!
    const before = (await readFile(logFile, 'utf8')).length
    const shared = await replay()
    const sharedLog = (await readFile(logFile, 'utf8')).slice(before)
    expect(shared.passed).toBe(true)
    expect(shared.schedule).toEqual({ concurrency: 4, concurrencySource: 'server', aloneCases: 1, sharedCases: QUALITY_CASES })
    expect(mostInFlight(sharedLog)).toBeGreaterThanOrEqual(2)
    // Each shared request has a connection of its own: none is sent on one the server is closing.
    expect(shared.cases.flatMap((c) => c.samples).filter((s) => s.retries || s.error)).toEqual([])

    // Alternated, so a neighbour's load on the shared machine falls on both kinds of run alike.
    const rates = { shared: [decodeRate(shared)], alone: [] as number[] }
    for (let round = 0; round < 2; round++) {
      const alone = await replay(1)
      expect(alone.schedule?.concurrency).toBe(1)
      rates.alone.push(decodeRate(alone))
      if (round === 0) rates.shared.push(decodeRate(await replay()))
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
    const ratio = median(rates.shared) / median(rates.alone)
    expect([rates, ratio > 0.7 && ratio < 1.3]).toEqual([rates, true])
  }, 180_000)
})
