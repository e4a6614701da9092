// Models in the Actions cache: the real @actions/cache client (tar, zstd or gzip, the twirp and
// blob calls) against the loopback cache service, and the loopback file server as the internet.
// A download is saved once; a fresh runner (an empty models folder) restores it without asking
// the file server; a refused save is a warning, and a cached file that is not the pinned one is
// never used.
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { writeScriptedModel } from '../../scripts/gguf-writer.js'
import type { ModelStore } from '../../src/models/index.js'
import { modelCacheKeys, resolveModel, type ModelRequest } from '../../src/models/index.js'
import { CACHE_READ, startCacheService, type CacheService } from '../support/cache-service.js'
import { startFileServer, type FileServer } from '../support/file-server.js'
import { recordingHost, type RecordingHost } from '../support/host.js'

let service: CacheService
let files: FileServer
let work: string
let dir: string
let model: Buffer
let sha256: string
let host: RecordingHost
let store: ModelStore
const envBefore = { ...process.env }
const cwdBefore = process.cwd()

beforeAll(async () => {
  service = await startCacheService()
  files = await startFileServer()
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'modelgate-model-cache-'))
  fs.mkdirSync(path.join(work, 'runner-temp'))
  fs.mkdirSync(path.join(work, 'workspace'))
  Object.assign(process.env, service.env, { RUNNER_TEMP: path.join(work, 'runner-temp'), GITHUB_WORKSPACE: path.join(work, 'workspace') })
  // The client resolves the cached path against the working directory, as a step's is the workspace.
  process.chdir(path.join(work, 'workspace'))
  // @actions/core writes workflow commands and tar's command line to stdout: not for the test output.
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
  const { modelCacheStore } = await import('../../src/models/cache.js')
  store = modelCacheStore(path.join(work, 'workspace'))
  const source = path.join(work, 'source.gguf')
  await writeScriptedModel(source, { script: 'fn main() { println!("cached"); }\n' })
  model = fs.readFileSync(source)
  sha256 = createHash('sha256').update(model).digest('hex')
})

afterAll(async () => {
  jest.restoreAllMocks()
  process.chdir(cwdBefore)
  for (const name of Object.keys(process.env)) if (!(name in envBefore)) delete process.env[name]
  Object.assign(process.env, envBefore)
  await Promise.all([service.close(), files.close()])
  fs.rmSync(work, { recursive: true, force: true })
})

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(work, 'models-'))
  host = recordingHost()
})

let routes = 0
function serve(body = model): { url: string; path: string } {
  const at = `/org/repo-${++routes}/resolve/main/cached-coder.Q4_K_M.gguf`
  return { url: files.route(at, { body }), path: at }
}

const request = (url: string, more: Partial<ModelRequest> = {}): ModelRequest => ({ url, models: { dir, store }, host, ...more })

/** A new runner: its models folder is empty. */
function freshRunner(): void {
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir)
}

const keysOf = (url: string, pin?: string) => modelCacheKeys(new URL(url), pin)
const stagedLeft = () => fs.existsSync(path.join(work, 'workspace', '.modelgate', 'model-cache'))

describe('models in the Actions cache', () => {
  it('saves a download once, and a fresh runner restores it without a request to the file server', async () => {
    const { url, path: at } = serve()

    const downloaded = await resolveModel(request(url, { sha256 }))

    expect(downloaded).toMatchObject({ source: 'download', sha256 })
    const key = keysOf(url, sha256).primary
    expect(key).toBe(`modelgate-model-v1-${createHash('sha256').update(url).digest('hex')}-${sha256}`)
    expect(service.entries.filter((e) => e.key === key)).toEqual([expect.objectContaining({ finalized: true })])
    expect(host.lines).toContainEqual(expect.stringMatching(new RegExp(`^Saved the model to the Actions cache as ${key} in \\d+\\.\\d s$`)))
    expect(host.warnings).toEqual([])
    expect(stagedLeft()).toBe(false)

    freshRunner()
    const restored = await resolveModel(request(url, { sha256 }))

    expect(restored).toEqual({ ...downloaded, source: 'cache' })
    expect(fs.readFileSync(restored.path).equals(model)).toBe(true)
    expect(files.count(at)).toBe(1)
    expect(host.lines).toContainEqual(expect.stringMatching(new RegExp(`^Restored .*cached-coder\\.Q4_K_M\\.gguf \\(0\\.1 MB, sha256 ${sha256.slice(0, 12)}…\\) from the Actions cache entry ${key} in \\d+\\.\\d s$`)))
    // Not saved again: the entry is there.
    expect(service.entries.filter((e) => e.key === key)).toHaveLength(1)
    expect(stagedLeft()).toBe(false)

    // And the runner keeps it: the next run asks neither.
    const cacheRequests = service.requests.length
    expect(await resolveModel(request(url, { sha256 }))).toMatchObject({ source: 'local' })
    expect([files.count(at), service.requests.length]).toEqual([1, cacheRequests])
  })

  it("lets a pinned run take the URL's unverified entry, and an unpinned run a pinned one", async () => {
    const unpinned = serve()
    await resolveModel(request(unpinned.url))
    expect(service.entries.map((e) => e.key)).toContain(keysOf(unpinned.url).primary)

    freshRunner()
    expect(await resolveModel(request(unpinned.url, { sha256 }))).toMatchObject({ source: 'cache', sha256 })
    expect(files.count(unpinned.path)).toBe(1)

    const pinned = serve()
    await resolveModel(request(pinned.url, { sha256 }))
    freshRunner()
    expect(await resolveModel(request(pinned.url))).toMatchObject({ source: 'cache', sha256 })
    expect(files.count(pinned.path)).toBe(1)
  })

  it('never uses a cached file that is not the pinned one: it warns and downloads', async () => {
    const { url, path: at } = serve()
    const other = path.join(work, 'other.gguf')
    fs.writeFileSync(other, Buffer.concat([model, Buffer.from('tampered')]))
    const otherSha = createHash('sha256').update(fs.readFileSync(other)).digest('hex')
    await store.save(keysOf(url).primary, other)

    const resolved = await resolveModel(request(url, { sha256 }))

    expect(resolved).toMatchObject({ source: 'download', sha256 })
    expect(files.count(at)).toBe(1)
    expect(host.warnings).toEqual([`the Actions cache entry ${keysOf(url).primary} holds sha256 ${otherSha}, not the pinned ${sha256}: downloading the model instead`])
    expect(fs.readFileSync(resolved.path).equals(model)).toBe(true)
    expect(fs.readdirSync(path.dirname(resolved.path)).filter((f) => f.endsWith('.part'))).toEqual([])
  })

  it('warns when the cache refuses the save, and still gives the downloaded model', async () => {
    const token = process.env.ACTIONS_RUNTIME_TOKEN
    process.env.ACTIONS_RUNTIME_TOKEN = service.tokenFor([{ scope: 'refs/heads/main', permission: CACHE_READ }])
    try {
      const { url } = serve()

      expect(await resolveModel(request(url, { sha256 }))).toMatchObject({ source: 'download', sha256 })
      expect(host.warnings).toEqual([`could not save the model to the Actions cache (the cache service did not store ${keysOf(url, sha256).primary}): a fresh runner will download it again`])
      expect(stagedLeft()).toBe(false)
    } finally {
      process.env.ACTIONS_RUNTIME_TOKEN = token
    }
  })

  it('downloads as usual where the job has no cache service', async () => {
    const saved = process.env.ACTIONS_RESULTS_URL
    delete process.env.ACTIONS_RESULTS_URL
    try {
      const { url } = serve()

      expect(await resolveModel(request(url, { sha256 }))).toMatchObject({ source: 'download' })
      expect(host.lines).toContainEqual('The model is not in the Actions cache yet')
      expect(host.warnings).toEqual(['could not save the model to the Actions cache (the Actions cache service is not available to this job): a fresh runner will download it again'])
    } finally {
      process.env.ACTIONS_RESULTS_URL = saved
    }
  })
})
