// Getting a model file by URL onto the runner, and keeping it there: the HTTP download (bearer
// token to the URL's own host only, redirects followed by hand, progress every few seconds), the
// sha256 computed while the bytes arrive, and the runner-local models folder, where a file only
// ever appears whole and verified, with a record beside it so a later run need not hash it again.
import { createHash, randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, readdir, readFile, rename, rm, stat, statfs, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { rootCauseOf } from '../errors.js'
import { MODELGATE_VERSION } from '../version.js'
import { ModelFetchError } from './types.js'

/** More hops than Hugging Face's two (repository rename, then the CDN) ever needs. */
const MAX_REDIRECTS = 10
const REDIRECTS = new Set([301, 302, 303, 307, 308])
/** Writes are gathered to this size: one system call per chunk of a fetch body is slow on a big file. */
const WRITE_BATCH_BYTES = 8 * 1024 * 1024
/** A `.part` file this old is no live download's (each one is written to continuously): a killed job's. */
const STALE_PART_MS = 60 * 60 * 1000
const SHA256 = /^[0-9a-f]{64}$/

/** The model options' own names, for messages: the input or flag that would fix the problem. */
type OptionRef = (name: string) => string

/** A URL as a message may show a hop nobody chose: without the query, where a CDN puts its signature. */
function shown(url: URL): string {
  return `${url.origin}${url.pathname}`
}

export function isModelUrl(text: string): boolean {
  return /^https?:\/\//i.test(text)
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i

/** Plain http would let anyone on the path swap the weights; it is allowed only where no one is. */
function allowedScheme(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname))
}

/** Parses the `model` option as a download URL: https, or http to a loopback host (tests, a local mirror). */
export function parseModelUrl(text: string): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new ModelFetchError('option', `model '${text}' is not a valid URL`)
  }
  if (!allowedScheme(url)) throw new ModelFetchError('option', `model '${text}': a model is downloaded over https (http only from a loopback host)`)
  if (!fileNameOf(url)) throw new ModelFetchError('option', `model '${text}' does not end in a file name (…/FILE.gguf)`)
  return url
}

/** The file's name as the URL's last path segment gives it: llama-server shows it as the model's alias. */
function fileNameOf(url: URL): string {
  let last = url.pathname.split('/').pop() ?? ''
  try {
    last = decodeURIComponent(last)
  } catch {
    // Left encoded: still a usable name.
  }
  return last.replace(/[\\/:*?"<>|]|\p{Cc}/gu, '_').replace(/^\.+/, '')
}

/** The pin as a comparable value: lower-case hex, or an error naming the option. */
export function normalPin(pin: string | undefined, optionRef: OptionRef): string | undefined {
  const value = pin?.trim().toLowerCase()
  if (!value) return undefined
  if (!SHA256.test(value)) throw new ModelFetchError('option', `${optionRef('model-sha256')} must be 64 hexadecimal digits (a sha256), not '${pin}'`)
  return value
}

/**
 * The models folder. A self-hosted runner keeps its tool cache between jobs, so a model
 * downloaded once stays; a GitHub-hosted runner is new each job, so a temporary folder will do
 * (the Actions cache carries the model between jobs there). The CLI keeps models in the user's cache.
 */
export function modelsDirOf(env: NodeJS.ProcessEnv, entry: 'action' | 'cli'): string {
  if (entry === 'cli') return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'modelgate', 'models')
  if (env.RUNNER_TOOL_CACHE && env.RUNNER_ENVIRONMENT !== 'github-hosted') return path.join(env.RUNNER_TOOL_CACHE, 'modelgate-models')
  return path.join(env.RUNNER_TEMP || os.tmpdir(), 'modelgate-models')
}

/** Where one URL's model lives in the models folder, and the record of it. */
export interface LocalPaths {
  /** One folder per URL (its hash), so two URLs naming the same file never meet. */
  folder: string
  file: string
  record: string
}

export function urlHashOf(url: URL): string {
  return createHash('sha256').update(url.href).digest('hex')
}

export function localPathsOf(dir: string, url: URL): LocalPaths {
  const folder = path.join(dir, urlHashOf(url).slice(0, 16))
  const file = path.join(folder, fileNameOf(url))
  return { folder, file, record: `${file}.modelgate.json` }
}

/** What is recorded beside a verified file: enough to trust it next time without reading it. */
interface LocalRecord {
  /** Without its query, which may carry a signature or a token. */
  url: string
  sha256: string
  bytes: number
  mtimeMs: number
  pinned: boolean
}

/**
 * A temporary name beside `target`, so the final rename never crosses file systems. The leading
 * dot keeps it apart from every model's name (fileNameOf strips one).
 */
function partOf(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID().slice(0, 8)}.part`)
}

/** A temporary name for the model while it is written: whole and verified, it is renamed. */
export function partNameOf(paths: LocalPaths): string {
  return partOf(paths.file)
}

/** Makes the folder, and removes what killed jobs left half-written in it. */
export async function prepareFolder(paths: LocalPaths): Promise<void> {
  await mkdir(paths.folder, { recursive: true })
  const now = Date.now()
  for (const name of await readdir(paths.folder)) {
    if (!name.startsWith('.') || !name.endsWith('.part')) continue
    const part = path.join(paths.folder, name)
    const info = await stat(part).catch(() => undefined)
    if (info && now - info.mtimeMs > STALE_PART_MS) await rm(part, { force: true })
  }
}

async function readRecord(file: string): Promise<LocalRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(file, 'utf8')) as Partial<LocalRecord>
    if (typeof record.sha256 === 'string' && typeof record.bytes === 'number' && typeof record.mtimeMs === 'number') return record as LocalRecord
  } catch {
    // Missing or unreadable: the file is then judged by its hash alone.
  }
  return undefined
}

function cancelled(what: string): ModelFetchError {
  return new ModelFetchError('cancelled', `${what} was cancelled`)
}

/** The sha256 of a file on disk, stopping when the run is cancelled. */
export async function hashFile(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256')
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 4 * 1024 * 1024, ...(signal ? { signal } : {}) })) hash.update(chunk as Buffer)
  } catch (error) {
    if (signal?.aborted) throw cancelled(`hashing ${file}`)
    throw error
  }
  return hash.digest('hex')
}

async function writeRecord(paths: LocalPaths, record: LocalRecord): Promise<void> {
  const part = partOf(paths.record)
  try {
    await writeFile(part, `${JSON.stringify(record, null, 2)}\n`)
    await rename(part, paths.record)
  } finally {
    await rm(part, { force: true })
  }
}

function recordOf(url: URL, verified: { sha256: string; pinned: boolean }, info: { size: number; mtimeMs: number }): LocalRecord {
  return { url: shown(url), sha256: verified.sha256, bytes: info.size, mtimeMs: info.mtimeMs, pinned: verified.pinned }
}

/**
 * Makes a verified temporary file the model; gives its size. The record goes first, naming the
 * temporary file's size and mtime (a rename keeps both): if the job dies between the two, the
 * record describes a file that is not there, which counts as no copy at all.
 */
export async function commitFile(part: string, paths: LocalPaths, url: URL, verified: { sha256: string; pinned: boolean }): Promise<number> {
  const info = await stat(part)
  await writeRecord(paths, recordOf(url, verified, info))
  await rename(part, paths.file)
  return info.size
}

async function discard(paths: LocalPaths): Promise<void> {
  await Promise.all([rm(paths.file, { force: true }), rm(paths.record, { force: true })])
}

export interface LocalCopy {
  sha256: string
  bytes: number
}

/**
 * The model already in the folder, if it is the right one. A record whose size and mtime match
 * the file is trusted without reading gigabytes; a file changed since, or never recorded, is
 * hashed against the pin (or the recorded hash), and removed if it fails.
 */
export async function localCopyOf(paths: LocalPaths, url: URL, pin: string | undefined, report: (line: string) => void, signal?: AbortSignal): Promise<LocalCopy | undefined> {
  const [info, record] = await Promise.all([stat(paths.file).catch(() => undefined), readRecord(paths.record)])
  if (!info?.isFile()) return undefined
  if (record && record.bytes === info.size && record.mtimeMs === info.mtimeMs) {
    if (!pin || record.sha256 === pin) return { sha256: record.sha256, bytes: info.size }
    // Still a good copy of the URL's file: kept until a verified one replaces it, so a mistyped
    // pin does not cost the runner its copy.
    report(`The runner's copy ${paths.file} has sha256 ${record.sha256}, not the pinned ${pin}: fetching the model again`)
    return undefined
  }
  const expected = pin ?? record?.sha256
  if (!expected) {
    report(`The runner's copy ${paths.file} has no record of a verified download: fetching the model again`)
    await discard(paths)
    return undefined
  }
  report(`Verifying ${paths.file} (${formatBytes(info.size)}): it changed since it was recorded`)
  const sha256 = await hashFile(paths.file, signal)
  if (sha256 !== expected) {
    report(`The runner's copy ${paths.file} has sha256 ${sha256}, not ${expected}: fetching the model again`)
    await discard(paths)
    return undefined
  }
  await writeRecord(paths, recordOf(url, { sha256, pinned: pin !== undefined }, info))
  return { sha256, bytes: info.size }
}

export function formatBytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  return minutes < 60 ? `${minutes} min ${String(seconds % 60).padStart(2, '0')} s` : `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`
}

function rate(bytes: number, ms: number): string {
  return `${(bytes / 1e6 / Math.max(ms / 1000, 0.001)).toFixed(1)} MB/s`
}

export interface DownloadOptions {
  /** Sent as `Authorization: Bearer` to the first URL's origin, and to no other. */
  token?: string
  signal?: AbortSignal
  report: (line: string) => void
  optionRef: OptionRef
  progressEveryMs: number
  stallTimeoutMs: number
}

export interface Downloaded {
  sha256: string
  bytes: number
  /**
   * The sha256 the server vouched for: Hugging Face sends an LFS file's in `X-Linked-Etag` on
   * the answer that redirects to its CDN, so an unpinned download is checked all the same.
   */
  announcedSha256?: string
}

function announcedSha256(headers: Headers): string | undefined {
  const etag = headers.get('x-linked-etag')?.replace(/^W\//, '').replace(/"/g, '').toLowerCase()
  return etag && SHA256.test(etag) ? etag : undefined
}

function statusError(status: number, statusText: string, at: URL, first: URL, token: string | undefined, optionRef: OptionRef): ModelFetchError {
  const answered = `${at.origin === first.origin ? first.href : shown(at)} answered ${status}${statusText ? ` ${statusText}` : ''}`
  if ((status === 401 || status === 403) && at.origin === first.origin) {
    const advice = token
      ? `the token in ${optionRef('hf-token')} was refused or cannot read this repository: for a gated model, accept its conditions on the model's page with the token's account, and give the token read access`
      : `the repository is gated or private: accept its conditions on the model's page and set ${optionRef('hf-token')} to a token that can read it (a secret, e.g. \${{ secrets.HF_TOKEN }})`
    return new ModelFetchError('auth', `${answered}: ${advice}`)
  }
  if (status === 404) return new ModelFetchError('not-found', `${answered}: no file at that URL (check the repository, the revision and the file name)`)
  return new ModelFetchError('refused', `${answered} while downloading the model from ${first.href}`)
}

/**
 * Downloads `url` to `to`, which it creates and fsyncs, computing the sha256 as the bytes
 * arrive. Redirects are followed by hand so the token never leaves the URL's origin (Hugging
 * Face answers with a signed CDN URL that needs none). The caller removes `to` if this throws.
 */
export async function download(url: URL, to: string, options: DownloadOptions): Promise<Downloaded> {
  const { token, signal, report, optionRef } = options
  const stop = new AbortController()
  let stalled = false
  let stallTimer: NodeJS.Timeout | undefined
  const armStallTimer = () => {
    clearTimeout(stallTimer)
    stallTimer = setTimeout(() => {
      stalled = true
      stop.abort()
    }, options.stallTimeoutMs)
  }
  const onAbort = () => stop.abort()
  signal?.addEventListener('abort', onAbort, { once: true })
  const failure = (error: unknown, phase: 'connecting to' | 'receiving it from', at: URL): ModelFetchError => {
    if (error instanceof ModelFetchError) return error
    if (signal?.aborted) return cancelled(`the download of ${url.href}`)
    if (stalled) return new ModelFetchError('stalled', `the download of ${url.href} stalled: nothing came for ${options.stallTimeoutMs / 1000} s while ${phase} ${at.host}`, { cause: error })
    return new ModelFetchError('connection', `could not download ${url.href}: ${rootCauseOf(error)} while ${phase} ${at.host}`, { cause: error })
  }

  const file = await open(to, 'wx')
  try {
    if (signal?.aborted) throw cancelled(`the download of ${url.href}`)
    let target = url
    let announced: string | undefined
    let response: Response
    for (let hops = 0; ; hops++) {
      const headers: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': `modelgate/${MODELGATE_VERSION}` }
      if (token && target.origin === url.origin) headers.authorization = `Bearer ${token}`
      armStallTimer()
      try {
        response = await fetch(target, { headers, redirect: 'manual', signal: stop.signal })
      } catch (error) {
        throw failure(error, 'connecting to', target)
      }
      if (!REDIRECTS.has(response.status)) break
      await response.body?.cancel()
      announced ??= announcedSha256(response.headers)
      const location = response.headers.get('location')
      if (!location) throw new ModelFetchError('refused', `${shown(target)} answered ${response.status} without a Location to follow`)
      if (hops + 1 > MAX_REDIRECTS) throw new ModelFetchError('redirects', `${url.href} redirected more than ${MAX_REDIRECTS} times (last to ${shown(new URL(location, target))})`)
      const next = new URL(location, target)
      if (!allowedScheme(next)) throw new ModelFetchError('redirects', `${url.href} redirected to ${shown(next)}, which is not https`)
      target = next
    }
    if (!response.ok) {
      await response.body?.cancel()
      throw statusError(response.status, response.statusText, target, url, token, optionRef)
    }
    announced ??= announcedSha256(response.headers)
    // A body the server compressed anyway is measured after decoding, so its length says nothing.
    const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity'
    const length = encoded ? undefined : Number(response.headers.get('content-length') ?? Number.NaN)
    const total = length !== undefined && Number.isFinite(length) ? length : undefined
    if (total !== undefined) {
      const space = await statfs(path.dirname(to))
      const free = space.bavail * space.bsize
      if (total > free) {
        await response.body?.cancel()
        throw new ModelFetchError('disk', `the model is ${formatBytes(total)} but ${path.dirname(to)} has ${formatBytes(free)} free`)
      }
    }
    report(`Downloading ${url.href}${total !== undefined ? ` (${formatBytes(total)})` : ''} into ${path.dirname(to)}`)

    const hash = createHash('sha256')
    const started = Date.now()
    let received = 0
    let lastLine = started
    let batch: Buffer[] = []
    let batchBytes = 0
    const flush = async () => {
      if (batchBytes === 0) return
      try {
        await file.writev(batch)
      } catch (error) {
        throw new ModelFetchError('disk', `could not write the model to ${to}: ${rootCauseOf(error)}`, { cause: error })
      }
      batch = []
      batchBytes = 0
    }
    try {
      for await (const chunk of response.body ?? []) {
        armStallTimer()
        const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
        hash.update(bytes)
        batch.push(bytes)
        batchBytes += bytes.length
        received += bytes.length
        if (batchBytes >= WRITE_BATCH_BYTES) await flush()
        const now = Date.now()
        if (now - lastLine >= options.progressEveryMs) {
          lastLine = now
          report(progressLine(fileNameOf(url), received, total, now - started))
        }
      }
    } catch (error) {
      if (!(error instanceof ModelFetchError) && !signal?.aborted && !stalled && total !== undefined && received < total) {
        throw new ModelFetchError('truncated', `the download of ${url.href} broke off after ${received} of ${total} bytes (${rootCauseOf(error)})`, { cause: error })
      }
      throw failure(error, 'receiving it from', target)
    }
    if (total !== undefined && received !== total) {
      throw new ModelFetchError('truncated', `the download of ${url.href} ended after ${received} of the ${total} bytes its Content-Length announced`)
    }
    await flush()
    await file.sync()
    const elapsed = Date.now() - started
    report(`Downloaded ${formatBytes(received)} in ${formatDuration(elapsed)} (${rate(received, elapsed)})`)
    return { sha256: hash.digest('hex'), bytes: received, ...(announced ? { announcedSha256: announced } : {}) }
  } finally {
    clearTimeout(stallTimer)
    signal?.removeEventListener('abort', onAbort)
    await file.close()
  }
}

/** `model.gguf: 41% (512.0 MB of 1.25 GB), 88.2 MB/s, ETA 8 s`: what a few-seconds line says. */
function progressLine(name: string, received: number, total: number | undefined, elapsedMs: number): string {
  const speed = rate(received, elapsedMs)
  if (total === undefined || total === 0) return `${name}: ${formatBytes(received)} so far, ${speed}`
  const left = ((total - received) / Math.max(received, 1)) * elapsedMs
  return `${name}: ${Math.floor((received / total) * 100)}% (${formatBytes(received)} of ${formatBytes(total)}), ${speed}, ETA ${formatDuration(left)}`
}
