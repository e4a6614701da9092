// A model given as a URL, through the bundled action with a real llama-server: downloaded from a
// loopback file server and verified on the first run, taken from the runner's models folder on
// the second without a request, restored from the Actions cache (the loopback cache service the
// real @actions/cache client talks to) on a fresh runner, and refused before any server starts
// when its checksum is wrong.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { writeScriptedModel } from '../../scripts/gguf-writer.js'
import type { RunResults } from '../../src/results.js'
import { CACHE_READ, CACHE_WRITE, startCacheService, type CacheService } from '../support/cache-service.js'
import { startFileServer, type FileServer } from '../support/file-server.js'
import { processesMentioning } from '../support/processes.js'
import { runAction, type ActionRun } from '../support/runner.js'

let workspace: string
let files: FileServer
let cache: CacheService
let url: string
let sha256: string

beforeAll(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'modelgate-url-'))
  const model = path.join(workspace, 'source.gguf')
  await writeScriptedModel(model, { script: 'hello from a downloaded model\n' })
  const bytes = await readFile(model)
  sha256 = createHash('sha256').update(bytes).digest('hex')
  files = await startFileServer()
  url = files.route('/org/repo/resolve/main/tiny.gguf', { body: bytes })
  cache = await startCacheService({ blobHost: 'loopback' })
  await writeFile(path.join(workspace, 'suite.yml'), 'server:\n  backend: llama.cpp\n  settings:\n    cpu-threads: 2\ncases:\n  - id: hello\n    prompt: go\n    assert:\n      - type: contains\n        value: downloaded model\n')
}, 60_000)
afterAll(async () => {
  await files.close()
  await cache.close()
  expect(processesMentioning(workspace)).toEqual([])
})

async function gate(toolCache: string, inputs: Record<string, string>): Promise<ActionRun & { results: RunResults }> {
  const token = cache.tokenFor([{ scope: 'refs/heads/main', permission: CACHE_READ | CACHE_WRITE }])
  const run = await runAction({
    workspace,
    inputs: { suite: 'suite.yml', model: url, 'llama-server-path': process.env.LLAMA_SERVER!, comment: 'false', baseline: 'off', ...inputs },
    env: { ...cache.env, ACTIONS_RUNTIME_TOKEN: token, RUNNER_TOOL_CACHE: toolCache, RUNNER_ENVIRONMENT: 'self-hosted' },
    timeoutMs: 120_000
  })
  const results = JSON.parse(await readFile(path.join(workspace, 'modelgate-results.json'), 'utf8')) as RunResults
  return { ...run, results }
}

describe('model: an https URL', () => {
  it('downloads and verifies once, then reuses the runner copy, then restores from the Actions cache', async () => {
    const runner = await mkdtemp(path.join(os.tmpdir(), 'modelgate-toolcache-'))
    const first = await gate(runner, { 'model-sha256': sha256 })
    expect(first.exitCode).toBe(0)
    expect(files.count('/org/repo/resolve/main/tiny.gguf')).toBe(1)
    expect(first.results.server?.modelFile).toMatchObject({ sha256, url, source: 'download' })
    expect(first.stdout).toMatch(/Downloaded .* in .* s/)
    // Only the verified file and its record: no partial download left beside it.
    const folder = path.dirname(first.results.server!.modelFile!.path)
    expect((await readdir(folder)).sort()).toEqual(['tiny.gguf', 'tiny.gguf.modelgate.json'])

    const second = await gate(runner, { 'model-sha256': sha256 })
    expect(second.exitCode).toBe(0)
    expect(files.count('/org/repo/resolve/main/tiny.gguf')).toBe(1)
    expect(second.results.server?.modelFile).toMatchObject({ sha256, source: 'local' })

    // A fresh runner: nothing local, the Actions cache has it.
    const fresh = await mkdtemp(path.join(os.tmpdir(), 'modelgate-toolcache-'))
    const third = await gate(fresh, { 'model-sha256': sha256 })
    expect(third.exitCode).toBe(0)
    expect(files.count('/org/repo/resolve/main/tiny.gguf')).toBe(1)
    expect(third.results.server?.modelFile).toMatchObject({ sha256, source: 'cache' })
    expect(third.results.cases[0]!.passed).toBe(true)
  }, 240_000)

  it('refuses a file whose sha256 is not the pinned one, before any server starts, and keeps no copy', async () => {
    const runner = await mkdtemp(path.join(os.tmpdir(), 'modelgate-toolcache-'))
    const wrong = 'f'.repeat(64)
    const run = await gate(runner, { 'model-sha256': wrong })
    expect(run.exitCode).toBe(1)
    const error = run.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? ''
    expect(error).toContain(wrong)
    expect(error).toContain(sha256)
    expect(error).toContain(url)
    expect(run.results.server?.flags).toBeUndefined()
    expect(processesMentioning('tiny.gguf')).toEqual([])
    const kept = await readdir(runner, { recursive: true })
    expect(kept.filter((f) => String(f).endsWith('.gguf') || String(f).includes('.part'))).toEqual([])
  }, 120_000)
})
