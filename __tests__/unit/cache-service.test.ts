// The real @actions/cache (twirp client, tar + zstd/gzip, Azure SDK transfers) against the
// loopback cache service, so what the baselines code will meet on GitHub is acted out here.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { BlockBlobClient } from '@azure/storage-blob'
import { CACHE_READ, CACHE_WRITE, cacheVersion, startCacheService, type CacheService } from '../support/cache-service.js'

// The client compresses with zstd when `zstd --version` answers, else gzip
// (cacheUtils.getCompressionMethod); the version hash and the archive's magic bytes follow.
const zstdPresent = spawnSync('zstd', ['--quiet', '--version']).status === 0
const compression = zstdPresent ? 'zstd-without-long' : 'gzip'
const magic = zstdPresent ? Buffer.from([0x28, 0xb5, 0x2f, 0xfd]) : Buffer.from([0x1f, 0x8b])

let service: CacheService
let cache: typeof import('@actions/cache')
let work: string
let stdout = ''
const envBefore = { ...process.env }

beforeAll(async () => {
  service = await startCacheService()
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'modelgate-cache-'))
  fs.mkdirSync(path.join(work, 'runner-temp'))
  Object.assign(process.env, service.env, { RUNNER_TEMP: path.join(work, 'runner-temp'), GITHUB_WORKSPACE: work })
  // @actions/core and @actions/exec write workflow commands and tar's command line to stdout;
  // keep them to assert on instead of flooding the test output.
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true))
  cache = await import('@actions/cache')
})

afterAll(async () => {
  jest.restoreAllMocks()
  for (const name of Object.keys(process.env)) if (!(name in envBefore)) delete process.env[name]
  Object.assign(process.env, envBefore)
  await service.close()
  fs.rmSync(work, { recursive: true, force: true })
})

function writeTree(dir: string, files: Record<string, string>): void {
  fs.rmSync(dir, { recursive: true, force: true })
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), content)
  }
}

function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {}
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[path.relative(dir, path.join(entry.parentPath, entry.name))] = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8')
  }
  return files
}

/** What the client printed while `run` ran. */
async function printed<T>(run: () => Promise<T>): Promise<{ result: T; out: string }> {
  const start = stdout.length
  const result = await run()
  return { result, out: stdout.slice(start) }
}

const requestsSince = (mark: number) => service.requests.slice(mark)

// The client sleeps 3 s, then 4.5-6.75 s and more between twirp attempts
// (cacheTwirpClient.retryableRequest) and 4 s and more between blob attempts (the SDK's
// StorageRetryPolicy). Fake setTimeout alone and run it 50 times fast, so those waits pass in
// well under a second while sockets and child processes keep real time.
async function fastTimers<T>(run: () => Promise<T>): Promise<T> {
  const realSetTimeout = globalThis.setTimeout
  jest.useFakeTimers({
    doNotFake: ['Date', 'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval']
  })
  let done = false
  const pending = run().finally(() => (done = true))
  try {
    while (!done) {
      await new Promise((resolve) => realSetTimeout(resolve, 5))
      jest.advanceTimersByTime(250)
    }
    return await pending
  } finally {
    jest.useRealTimers()
  }
}

const baselineFiles = {
  'results.json': JSON.stringify({ cases: [{ id: 'fizzbuzz', verdict: 'pass', tokensPerSecond: 41.5 }] }),
  'nested/report.md': '# modelgate\n\nall checks passed\n',
  'nested/deeper/empty.txt': ''
}

describe('@actions/cache against the loopback cache service', () => {
  it('speaks cache service v2: saves an archive through the Azure SDK and restores it by restore-key prefix', async () => {
    const dir = path.join(work, 'baselines')
    writeTree(dir, baselineFiles)
    const key = 'modelgate-baseline-linux-abc123'
    const mark = service.requests.length

    const { result: cacheId, out: saveOut } = await printed(() => cache.saveCache([dir], key))

    expect(cacheId).toBeGreaterThan(0)
    const entry = service.entries.find((e) => e.key === key)!
    expect(entry).toMatchObject({ id: cacheId, version: cacheVersion([dir], compression), scope: 'refs/heads/feature', finalized: true })
    expect(entry.archive!.subarray(0, magic.length)).toEqual(magic)
    expect(entry.size).toBe(entry.archive!.length)
    const saved = requestsSince(mark)
    expect(saved.map((r) => `${r.kind} ${r.method} ${r.rpc ?? ''}`.trim())).toEqual([
      'twirp POST CreateCacheEntry',
      'blob PUT',
      'twirp POST FinalizeCacheEntryUpload'
    ])
    expect(saved[0]!.body).toEqual({ key, version: entry.version })
    expect(saved[0]!.headers.authorization).toBe(`Bearer ${service.env.ACTIONS_RUNTIME_TOKEN}`)
    expect(saved[1]).toMatchObject({ status: 201, viaProxy: true, bodyBytes: entry.size, headers: { 'x-ms-blob-type': 'BlockBlob' } })
    expect(saved[2]!.body).toEqual({ key, version: entry.version, size_bytes: String(entry.size) })
    expect(saveOut).toMatch(/::add-mask::\S+/)
    expect(saveOut).not.toContain('::warning::')

    fs.rmSync(dir, { recursive: true })
    const restoreMark = service.requests.length
    const { result: matched, out: restoreOut } = await printed(() => cache.restoreCache([dir], 'modelgate-baseline-linux-def456', ['modelgate-baseline-linux-']))

    expect(matched).toBe(key)
    expect(readTree(dir)).toEqual(baselineFiles)
    const restored = requestsSince(restoreMark)
    expect(restored[0]).toMatchObject({ rpc: 'GetCacheEntryDownloadURL', body: { key: 'modelgate-baseline-linux-def456', restore_keys: ['modelgate-baseline-linux-'], version: entry.version } })
    // The Azure SDK path (downloadUtils.downloadCacheStorageSDK): properties, then ranged reads.
    expect(restored.slice(1).map((r) => r.method)).toEqual(['HEAD', 'GET'])
    expect(restored[2]).toMatchObject({ status: 206, headers: { 'x-ms-range': `bytes=0-${entry.size - 1}` } })
    expect(restoreOut).toContain(`Cache hit for restore-key: ${key}`)
    expect(restoreOut).toContain('Cache restored successfully')
  })

  it('restores the newest entry a prefix matches, but an exact key before a newer prefix match', async () => {
    const dir = path.join(work, 'newest')
    writeTree(dir, { 'run.txt': 'first' })
    expect(await cache.saveCache([dir], 'newest-run-1')).toBeGreaterThan(0)
    writeTree(dir, { 'run.txt': 'second' })
    expect(await cache.saveCache([dir], 'newest-run-2')).toBeGreaterThan(0)

    fs.rmSync(dir, { recursive: true })
    expect(await cache.restoreCache([dir], 'newest-run-3', ['newest-run-'])).toBe('newest-run-2')
    expect(readTree(dir)).toEqual({ 'run.txt': 'second' })

    fs.rmSync(dir, { recursive: true })
    expect(await cache.restoreCache([dir], 'newest-run-1', ['newest-run-'])).toBe('newest-run-1')
    expect(readTree(dir)).toEqual({ 'run.txt': 'first' })

    // As documented, the primary key itself is tried as a prefix before any restore key.
    expect(await cache.restoreCache([dir], 'newest-run-', ['nothing-'])).toBe('newest-run-2')

    // The version is part of the match: other paths (or another compression) never hit.
    expect(await cache.restoreCache([path.join(work, 'elsewhere')], 'newest-run-2', ['newest-'])).toBeUndefined()
  })

  it('keeps an entry immutable: saving its key again is refused as the client reports a reservation conflict', async () => {
    const dir = path.join(work, 'immutable')
    writeTree(dir, { 'v.txt': 'original' })
    await cache.saveCache([dir], 'immutable-key')
    // Copies, so a change to the stored entry would show.
    const before = service.entries.filter((e) => e.key === 'immutable-key').map((e) => ({ ...e, archive: Buffer.from(e.archive!) }))
    expect(before).toHaveLength(1)

    writeTree(dir, { 'v.txt': 'changed' })
    const mark = service.requests.length
    const { result, out } = await printed(() => cache.saveCache([dir], 'immutable-key'))

    expect(result).toBe(-1)
    expect(requestsSince(mark)).toEqual([expect.objectContaining({ rpc: 'CreateCacheEntry', status: 409 })])
    expect(out).toContain('Failed to save: Unable to reserve cache with key immutable-key, another job may be creating this cache.')
    expect(out).toContain('::debug::Failed to reserve cache: Error: Failed to CreateCacheEntry: Received non-retryable error: Failed request: (409) Conflict: cache entry with the same key, version, and scope already exists')
    expect(out).not.toContain('::warning::')
    expect(service.entries.filter((e) => e.key === 'immutable-key')).toEqual(before)
  })

  it('reads through the token scopes in order and refuses writes to a read-only token', async () => {
    const dir = path.join(work, 'scoped')
    const token = process.env.ACTIONS_RUNTIME_TOKEN
    try {
      process.env.ACTIONS_RUNTIME_TOKEN = service.tokenFor([{ scope: 'refs/heads/main', permission: CACHE_READ | CACHE_WRITE }])
      writeTree(dir, { 'from.txt': 'main' })
      await cache.saveCache([dir], 'scoped-main')
      expect(service.entries.find((e) => e.key === 'scoped-main')?.scope).toBe('refs/heads/main')

      // A pull request's run: its own branch first, then the default branch.
      process.env.ACTIONS_RUNTIME_TOKEN = token
      fs.rmSync(dir, { recursive: true })
      expect(await cache.restoreCache([dir], 'scoped-main')).toBe('scoped-main')
      expect(readTree(dir)).toEqual({ 'from.txt': 'main' })

      // A read-only token (e.g. a run from a fork): lookups succeed, the reservation is denied.
      process.env.ACTIONS_RUNTIME_TOKEN = service.tokenFor([{ scope: 'refs/heads/main', permission: CACHE_READ }])
      const { result, out } = await printed(() => cache.saveCache([dir], 'scoped-fork'))
      expect(result).toBe(-1)
      expect(out).toContain('::warning::Failed to save: Unable to reserve cache with key scoped-fork. More details: cache write denied: token has no writable scopes')
      expect(service.entries.some((e) => e.key === 'scoped-fork')).toBe(false)

      // Nothing the feature branch saved is visible from the default branch.
      expect(await cache.restoreCache([path.join(work, 'baselines')], 'modelgate-baseline-linux-abc123')).toBeUndefined()

      // A token with no readable scope is refused, and the client calls that a miss.
      process.env.ACTIONS_RUNTIME_TOKEN = service.tokenFor([])
      const denied = await printed(() => cache.restoreCache([dir], 'scoped-main'))
      expect(denied.result).toBeUndefined()
      expect(denied.out).toContain('::warning::Failed to restore: Failed to GetCacheEntryDownloadURL: Received non-retryable error: Failed request: (403) Forbidden: cache read denied: token has no readable scopes')
    } finally {
      process.env.ACTIONS_RUNTIME_TOKEN = token
    }
  })

  it('acts out an outage: five attempts each, then a save that logs a reservation failure and a restore that is a miss', async () => {
    const dir = path.join(work, 'outage')
    writeTree(dir, { 'a.txt': 'a' })
    service.fault = { status: 503 }
    try {
      const mark = service.requests.length
      const saved = await printed(() => fastTimers(() => cache.saveCache([dir], 'outage-key')))
      const restored = await printed(() => fastTimers(() => cache.restoreCache([dir], 'outage-key', ['outage-'])))

      // Neither call throws: the save returns -1 and, oddly, blames "another job".
      expect(saved.result).toBe(-1)
      expect(saved.out).toContain('Failed to save: Unable to reserve cache with key outage-key, another job may be creating this cache.')
      expect(saved.out).toContain('Attempt 4 of 5 failed with error: Failed request: (503) Service Unavailable: the cache service is unavailable.')
      expect(restored.result).toBeUndefined()
      expect(restored.out).toContain('::warning::Failed to restore: Failed to GetCacheEntryDownloadURL: Failed to make request after 5 attempts: Failed request: (503) Service Unavailable: the cache service is unavailable')
      expect(requestsSince(mark).map((r) => `${r.rpc} ${r.status}`)).toEqual([...Array(5).fill('CreateCacheEntry 503'), ...Array(5).fill('GetCacheEntryDownloadURL 503')])
      expect(service.entries.some((e) => e.key === 'outage-key')).toBe(false)
    } finally {
      service.fault = undefined
    }
  })

  it('rides out one failed reservation attempt', async () => {
    const dir = path.join(work, 'blip')
    writeTree(dir, { 'a.txt': 'a' })
    service.fault = { status: 502, times: 1 }
    const mark = service.requests.length
    const { result, out } = await printed(() => fastTimers(() => cache.saveCache([dir], 'blip-key')))
    expect(result).toBeGreaterThan(0)
    expect(out).toContain('Attempt 1 of 5 failed with error: Failed request: (502) Bad Gateway: the cache service is unavailable. Retrying request in 3000 ms...')
    expect(requestsSince(mark).map((r) => `${r.rpc ?? r.method} ${r.status}`)).toEqual(['CreateCacheEntry 502', 'CreateCacheEntry 200', 'PUT 201', 'FinalizeCacheEntryUpload 200'])
  })

  it('acts out a storage outage on download: the SDK retries, the restore is a miss with an empty warning', async () => {
    const dir = path.join(work, 'baselines')
    service.fault = { status: 503, target: 'blob' }
    try {
      const mark = service.requests.length
      const { result, out } = await printed(() => fastTimers(() => cache.restoreCache([dir], 'modelgate-baseline-linux-abc123')))
      expect(result).toBeUndefined()
      const heads = requestsSince(mark).filter((r) => r.kind === 'blob')
      // The SDK's StorageRetryPolicy tries four times; a HEAD error has no body, so the
      // RestError the client logs has an empty message.
      expect(heads.map((r) => `${r.method} ${r.status}`)).toEqual(Array(4).fill('HEAD 503'))
      expect(out).toContain('::warning::Failed to restore: \n')
    } finally {
      service.fault = undefined
    }
  })

  it('assembles a blob from Put Block + Put Block List, as the SDK uploads archives over 128 MiB', async () => {
    // The client only stages blocks above maxSingleShotSize (128 MiB, uploadUtils); drive the
    // same SDK call with a small threshold, then restore the assembled blob with the real client.
    const dir = path.join(work, 'blocks')
    // Random text, so the compressed archive still spans many blocks.
    const big = crypto.randomBytes(48 * 1024).toString('base64')
    writeTree(dir, { 'big.txt': big, 'small.txt': 'y' })
    await cache.saveCache([dir], 'blocks-source')
    const source = service.entries.find((e) => e.key === 'blocks-source')!
    const archivePath = path.join(work, 'runner-temp', 'blocks-archive')
    fs.writeFileSync(archivePath, source.archive!)

    const twirp = async (rpc: string, body: unknown) => {
      const res = await fetch(`${service.url}/twirp/github.actions.results.api.v1.CacheService/${rpc}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${process.env.ACTIONS_RUNTIME_TOKEN}` },
        body: JSON.stringify(body)
      })
      return (await res.json()) as Record<string, string>
    }
    const created = await twirp('CreateCacheEntry', { key: 'blocks-staged', version: source.version })
    const mark = service.requests.length
    await new BlockBlobClient(created.signed_upload_url!).uploadFile(archivePath, { maxSingleShotSize: 16 * 1024, blockSize: 16 * 1024, concurrency: 4 })
    const puts = requestsSince(mark)
    expect(source.size).toBeGreaterThan(3 * 16 * 1024)
    expect(puts.filter((r) => new URL(r.path, service.url).searchParams.get('comp') === 'block').length).toBe(Math.ceil(source.size / (16 * 1024)))
    expect(puts.at(-1)).toMatchObject({ method: 'PUT', status: 201, path: expect.stringContaining('comp=blocklist') })
    expect(await twirp('FinalizeCacheEntryUpload', { key: 'blocks-staged', version: source.version, size_bytes: String(source.size) })).toMatchObject({ ok: true })

    fs.rmSync(dir, { recursive: true })
    expect(await cache.restoreCache([dir], 'blocks-staged')).toBe('blocks-staged')
    expect(readTree(dir)).toEqual({ 'big.txt': big, 'small.txt': 'y' })
  })
})

describe('the loopback blob host', () => {
  it('makes the client download with one plain GET instead of the Azure SDK', async () => {
    const loopback = await startCacheService({ blobHost: 'loopback' })
    const env = { ...process.env }
    Object.assign(process.env, loopback.env)
    for (const name of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy']) delete process.env[name]
    try {
      const dir = path.join(work, 'loopback')
      writeTree(dir, { 'a.txt': 'loopback' })
      expect(await cache.saveCache([dir], 'loopback-key')).toBeGreaterThan(0)
      fs.rmSync(dir, { recursive: true })
      expect(await cache.restoreCache([dir], 'loopback-key')).toBe('loopback-key')
      expect(readTree(dir)).toEqual({ 'a.txt': 'loopback' })
      const blobRequests = loopback.requests.filter((r) => r.kind === 'blob')
      expect(blobRequests.map((r) => `${r.method} ${r.status} ${r.headers['x-ms-range'] ?? r.headers.range ?? 'whole'}`)).toEqual(['PUT 201 whole', 'GET 200 whole'])
      expect(blobRequests.every((r) => !r.viaProxy)).toBe(true)
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in env)) delete process.env[name]
      Object.assign(process.env, env)
      await loopback.close()
    }
  })
})
