// A loopback stand-in for GitHub's cache service v2 — the "results" twirp API that
// @actions/cache 6.x speaks when ACTIONS_CACHE_SERVICE_V2 is set — and for the Azure blob store
// its signed URLs point at. It is built from the client's own code and generated messages
// (node_modules/@actions/cache/lib) and from @azure/storage-blob's operation specs, so the real
// client (twirp JSON client, tar + zstd/gzip, Azure SDK upload and download) runs unchanged.
import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/** Permission bits of a cache scope in the runtime token (CacheScope.permission). */
export const CACHE_READ = 1
export const CACHE_WRITE = 2

export interface CacheScope {
  /** A ref, e.g. `refs/heads/main`. */
  scope: string
  /** CACHE_READ | CACHE_WRITE bits. */
  permission: number
}

/**
 * Where the signed URLs point. `azure`: `http://<account>.blob.core.windows.net/...`, reached
 * through the proxy variables in `env`, because @actions/cache only downloads with the Azure SDK
 * when the host ends in `.blob.core.windows.net` (cacheHttpClient.downloadCache). `loopback`:
 * `http://127.0.0.1:<port>/<account>/...`, which makes the client download with one plain
 * http-client GET instead (downloadUtils.downloadCacheHttpClient). Uploads use the SDK either way.
 */
export type BlobHost = 'azure' | 'loopback'

export interface ServiceFault {
  /** HTTP status to answer with, e.g. 503. */
  status: number
  /** Which half fails; `twirp` unless told. */
  target?: 'twirp' | 'blob' | 'all'
  /** How many matching requests fail before the fault clears itself; every one if unset. */
  times?: number
}

export interface CacheServiceOptions {
  /**
   * The scopes the runtime token carries, in lookup order. Saves go to the first writable one.
   * Default: a feature branch (read + write) falling back to the default branch (read), as a
   * pull-request run gets. `[{ scope: 'refs/heads/main', permission: CACHE_READ }]` acts out a
   * read-only token (lookups succeed, saves are refused).
   */
  scopes?: CacheScope[]
  blobHost?: BlobHost
  fault?: ServiceFault
  /** Storage account name in the signed URLs. */
  account?: string
}

export interface StoredEntry {
  id: number
  key: string
  version: string
  scope: string
  /** Size the client reported when finalizing; 0 until then. */
  size: number
  /** Creation order across the service; the highest matching one is "newest". */
  created: number
  finalized: boolean
  blobName: string
  /** The committed blob (the compressed tar), once uploaded. */
  archive?: Buffer
}

export interface RecordedCacheRequest {
  kind: 'twirp' | 'blob'
  method: string
  /** Path and query as the server saw them (a proxied blob request is shown without its origin). */
  path: string
  /** Twirp method name. */
  rpc?: string
  /** Parsed twirp JSON body. */
  body?: unknown
  /** Byte length of a blob request body. */
  bodyBytes?: number
  /** The request headers tests care about (lower-case names). */
  headers: Record<string, string>
  status: number
  /** True when the request came in absolute-form, i.e. through the proxy variables. */
  viaProxy: boolean
}

export interface CacheService {
  url: string
  /**
   * Variables that point @actions/cache at this service. The caller still owns RUNNER_TEMP
   * (else the client writes under /home/actions/temp) and GITHUB_WORKSPACE (tar's -C root).
   */
  env: Record<string, string>
  entries: StoredEntry[]
  requests: RecordedCacheRequest[]
  /** Fault answered from now on; set undefined to heal. */
  fault?: ServiceFault
  /** A runtime token carrying other scopes, to act out another run (put it in ACTIONS_RUNTIME_TOKEN). */
  tokenFor(scopes: CacheScope[]): string
  close(): Promise<void>
}

const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.CacheService/'
const CONTAINER = 'actions-cache'

/**
 * The version the client sends (cacheUtils.getCacheVersion): sha256 of the path patterns as
 * given, the compression method, `windows-only` on Windows without cross-OS archives, and the
 * salt `1.0`, joined with `|`.
 */
export function cacheVersion(paths: string[], compressionMethod: 'gzip' | 'zstd' | 'zstd-without-long', windowsOnly = false): string {
  const components = [...paths, compressionMethod, ...(windowsOnly ? ['windows-only'] : []), '1.0']
  return crypto.createHash('sha256').update(components.join('|')).digest('hex')
}

type TwirpCode = 'already_exists' | 'not_found' | 'permission_denied' | 'unauthenticated' | 'invalid_argument' | 'bad_route' | 'malformed' | 'unavailable' | 'internal'
const TWIRP_STATUS: Record<TwirpCode, number> = {
  already_exists: 409,
  not_found: 404,
  permission_denied: 403,
  unauthenticated: 401,
  invalid_argument: 400,
  bad_route: 404,
  malformed: 400,
  unavailable: 503,
  internal: 500
}

interface BlobState {
  committed?: Buffer
  etag: string
  lastModified: Date
  uncommitted: Map<string, Buffer>
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url')

export async function startCacheService(options: CacheServiceOptions = {}): Promise<CacheService> {
  const blobHost = options.blobHost ?? 'azure'
  const account = options.account ?? 'modelgatecache'
  const azureHost = `${account}.blob.core.windows.net`
  const secret = crypto.randomBytes(32)
  const entries: StoredEntry[] = []
  const requests: RecordedCacheRequest[] = []
  const blobs = new Map<string, BlobState>()
  let created = 0
  let nextId = 1

  // The real runtime token is a signed JWT whose `ac` claim lists the cache scopes as a JSON
  // string of { Scope, Permission }; the service, not the client, reads it (the client only sends
  // it as a bearer token). Signing it lets the stand-in refuse a token it did not issue.
  const tokenFor = (scopes: CacheScope[]): string => {
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
    const ac = JSON.stringify(scopes.map((s) => ({ Scope: s.scope, Permission: s.permission })))
    const payload = base64url(JSON.stringify({ ac, iss: 'modelgate-cache-service', exp: Math.floor(Date.now() / 1000) + 6 * 3600 }))
    const signature = crypto.createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')
    return `${header}.${payload}.${signature}`
  }

  const scopesOf = (authorization: string | undefined): CacheScope[] | undefined => {
    const token = authorization?.match(/^Bearer (.+)$/)?.[1]
    const [header, payload, signature] = token?.split('.') ?? []
    if (!header || !payload || !signature) return undefined
    const expected = crypto.createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')
    if (expected !== signature) return undefined
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { ac: string }
    return (JSON.parse(claims.ac) as { Scope: string; Permission: number }[]).map((s) => ({ scope: s.Scope, permission: s.Permission }))
  }

  const blobPath = (blobName: string) => `/${CONTAINER}/${blobName}`
  const sign = (path: string, sp: string, se: string) => crypto.createHmac('sha256', secret).update(`${path}\n${sp}\n${se}`).digest('base64url')
  // Shaped like a service SAS (sv, sr, sp, se, sig): the client masks `sig` (shared/util.maskSigUrl).
  const signedUrl = (blobName: string, sp: 'cw' | 'r') => {
    const path = blobPath(blobName)
    const se = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, 'Z')
    const query = new URLSearchParams({ sv: '2024-11-04', sr: 'b', sp, se, sig: sign(path, sp, se) })
    const origin = blobHost === 'azure' ? `http://${azureHost}` : `${service.url}/${account}`
    return `${origin}${path}?${query.toString()}`
  }

  const service: CacheService = {
    url: '',
    env: {},
    entries,
    requests,
    fault: options.fault,
    tokenFor,
    close: async () => {}
  }

  const takeFault = (kind: 'twirp' | 'blob'): ServiceFault | undefined => {
    const fault = service.fault
    if (!fault || ((fault.target ?? 'twirp') !== kind && fault.target !== 'all')) return undefined
    if (fault.times !== undefined) {
      fault.times -= 1
      if (fault.times <= 0) service.fault = undefined
    }
    return fault
  }

  // Newest finalized entry in a scope whose key equals (or, failing that, starts with) `key`.
  const match = (scope: string, version: string, key: string): StoredEntry | undefined => {
    const candidates = entries.filter((e) => e.finalized && e.scope === scope && e.version === version)
    const newest = (list: StoredEntry[]) => list.reduce<StoredEntry | undefined>((best, e) => (!best || e.created > best.created ? e : best), undefined)
    return newest(candidates.filter((e) => e.key === key)) ?? newest(candidates.filter((e) => e.key.startsWith(key)))
  }

  type TwirpAnswer = { status: number; body: unknown }
  const twirpError = (code: TwirpCode, msg: string, status = TWIRP_STATUS[code]): TwirpAnswer => ({ status, body: { code, msg } })
  const field = (body: Record<string, unknown>, snake: string, camel: string) => body[snake] ?? body[camel]

  const twirp = (rpc: string, body: Record<string, unknown>, scopes: CacheScope[]): TwirpAnswer => {
    const key = String(field(body, 'key', 'key') ?? '')
    const version = String(field(body, 'version', 'version') ?? '')
    if (!key || !version) return twirpError('invalid_argument', 'key and version are required')
    const writable = scopes.find((s) => s.permission & CACHE_WRITE)
    // Message and shape of a read-only token's refusal: cache.js CACHE_WRITE_DENIED_PREFIX, which
    // the client looks for in an ok:false reservation response.
    const writeDenied = { status: 200, body: { ok: false, signed_upload_url: '', message: 'cache write denied: token has no writable scopes' } }

    switch (rpc) {
      case 'CreateCacheEntry': {
        if (!writable) return writeDenied
        if (entries.some((e) => e.key === key && e.version === version && e.scope === writable.scope)) {
          return twirpError('already_exists', 'cache entry with the same key, version, and scope already exists')
        }
        const id = nextId++
        const entry: StoredEntry = { id, key, version, scope: writable.scope, size: 0, created: ++created, finalized: false, blobName: `${crypto.randomUUID()}` }
        entries.push(entry)
        return { status: 200, body: { ok: true, signed_upload_url: signedUrl(entry.blobName, 'cw'), message: '' } }
      }
      case 'FinalizeCacheEntryUpload': {
        if (!writable) return { status: 200, body: { ok: false, entry_id: '0', message: writeDenied.body.message } }
        const entry = entries.find((e) => e.key === key && e.version === version && e.scope === writable.scope)
        if (!entry) return twirpError('not_found', 'cache entry not found')
        if (entry.finalized) return twirpError('already_exists', 'cache entry with the same key, version, and scope already exists')
        const archive = blobs.get(entry.blobName)?.committed
        const size = Number(field(body, 'size_bytes', 'sizeBytes') ?? 0)
        if (!archive) return twirpError('invalid_argument', 'no blob was uploaded for this cache entry')
        if (archive.length !== size) return twirpError('invalid_argument', `size_bytes ${size} does not match the uploaded blob (${archive.length} bytes)`)
        Object.assign(entry, { finalized: true, size, archive })
        return { status: 200, body: { ok: true, entry_id: String(entry.id), message: '' } }
      }
      case 'GetCacheEntryDownloadURL': {
        const readable = scopes.filter((s) => s.permission & CACHE_READ)
        if (readable.length === 0) return twirpError('permission_denied', 'cache read denied: token has no readable scopes')
        const restoreKeys = (field(body, 'restore_keys', 'restoreKeys') ?? []) as string[]
        // Documented order ("Matching a cache key"): in each scope, the key exactly, then the key as
        // a prefix, then each restore key (exact, then prefix); the current branch before the default.
        for (const { scope } of readable) {
          for (const candidate of [key, ...restoreKeys]) {
            const hit = match(scope, version, candidate)
            if (hit) return { status: 200, body: { ok: true, signed_download_url: signedUrl(hit.blobName, 'r'), matched_key: hit.key } }
          }
        }
        return { status: 200, body: { ok: false, signed_download_url: '', matched_key: '' } }
      }
      default:
        return twirpError('bad_route', `no handler for path "${TWIRP_PREFIX}${rpc}"`)
    }
  }

  type BlobAnswer = { status: number; headers?: Record<string, string>; body?: Buffer }
  const storageError = (status: number, code: string, message: string): BlobAnswer => ({
    status,
    headers: { 'x-ms-error-code': code, 'content-type': 'application/xml' },
    body: Buffer.from(`<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`)
  })
  const blobHeaders = (state: BlobState): Record<string, string> => ({ etag: state.etag, 'last-modified': state.lastModified.toUTCString() })
  const touch = (state: BlobState) => {
    state.etag = `"0x${crypto.randomBytes(8).toString('hex').toUpperCase()}"`
    state.lastModified = new Date()
  }

  // The operations @azure/storage-blob sends on the paths @actions/cache takes
  // (generated/src/operations/blockBlob.js and blob.js): Put Blob, Put Block, Put Block List,
  // Get Blob Properties (HEAD) and Get Blob with x-ms-range; plus a plain GET with no range.
  const blob = (method: string, url: URL, headers: http.IncomingHttpHeaders, body: Buffer): BlobAnswer => {
    const prefix = `/${CONTAINER}/`
    if (!url.pathname.startsWith(prefix)) return storageError(404, 'ContainerNotFound', 'The specified container does not exist.')
    const blobName = decodeURIComponent(url.pathname.slice(prefix.length))
    const sp = url.searchParams.get('sp') ?? ''
    const se = url.searchParams.get('se') ?? ''
    const sig = url.searchParams.get('sig') ?? ''
    if (!sig || sig !== sign(url.pathname, sp, se)) {
      return storageError(403, 'AuthenticationFailed', 'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.')
    }
    if (Date.parse(se) < Date.now()) return storageError(403, 'AuthenticationFailed', 'Signed expiry time has passed.')
    const writing = method === 'PUT'
    if (writing ? !sp.includes('w') : !sp.includes('r')) {
      return storageError(403, 'AuthorizationPermissionMismatch', 'This request is not authorized to perform this operation using this permission.')
    }
    const comp = url.searchParams.get('comp')
    const requestId = { 'x-ms-request-id': crypto.randomUUID(), 'x-ms-version': String(headers['x-ms-version'] ?? '2025-11-05') }
    const state = blobs.get(blobName) ?? { etag: '', lastModified: new Date(), uncommitted: new Map<string, Buffer>() }

    if (writing) {
      blobs.set(blobName, state)
      const md5 = crypto.createHash('md5').update(body).digest('base64')
      if (comp === 'block') {
        const blockId = url.searchParams.get('blockid')
        if (!blockId) return storageError(400, 'InvalidQueryParameterValue', 'Value for one of the query parameters specified in the request URI is invalid.')
        state.uncommitted.set(blockId, body)
        return { status: 201, headers: { ...requestId, 'content-md5': md5, 'x-ms-request-server-encrypted': 'true' } }
      }
      if (comp === 'blocklist') {
        const parts: Buffer[] = []
        for (const [, list, id] of body.toString('utf8').matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g)) {
          const block = list === 'Committed' ? undefined : state.uncommitted.get(id!)
          if (!block) return storageError(400, 'InvalidBlockList', 'The specified block list is invalid.')
          parts.push(block)
        }
        state.committed = Buffer.concat(parts)
        state.uncommitted.clear()
        touch(state)
        return { status: 201, headers: { ...requestId, ...blobHeaders(state), 'x-ms-request-server-encrypted': 'true' } }
      }
      if (comp) return storageError(400, 'UnsupportedQueryParameter', `The stand-in does not answer comp=${comp}.`)
      if (headers['x-ms-blob-type'] !== 'BlockBlob') return storageError(400, 'MissingRequiredHeader', 'An HTTP header that is mandatory for this request is not specified.')
      state.committed = body
      touch(state)
      return { status: 201, headers: { ...requestId, ...blobHeaders(state), 'content-md5': md5, 'x-ms-request-server-encrypted': 'true' } }
    }

    const data = state.committed
    if (!data) return storageError(404, 'BlobNotFound', 'The specified blob does not exist.')
    const ifMatch = headers['if-match']
    if (ifMatch && ifMatch !== state.etag) return storageError(412, 'ConditionNotMet', 'The condition specified using HTTP conditional header(s) is not met.')
    const properties = {
      ...requestId,
      ...blobHeaders(state),
      'content-type': 'application/octet-stream',
      'accept-ranges': 'bytes',
      'x-ms-blob-type': 'BlockBlob',
      'x-ms-server-encrypted': 'true'
    }
    if (method === 'HEAD') return { status: 200, headers: { ...properties, 'content-length': String(data.length) } }
    const range = String(headers['x-ms-range'] ?? headers.range ?? '').match(/^bytes=(\d+)-(\d*)$/)
    if (!range) return { status: 200, headers: { ...properties, 'content-length': String(data.length) }, body: data }
    const start = Number(range[1])
    const end = Math.min(range[2] ? Number(range[2]) : data.length - 1, data.length - 1)
    if (start >= data.length) return storageError(416, 'InvalidRange', 'The range specified is invalid for the current size of the resource.')
    const slice = data.subarray(start, end + 1)
    return { status: 206, headers: { ...properties, 'content-length': String(slice.length), 'content-range': `bytes ${start}-${end}/${data.length}` }, body: slice }
  }

  const RECORDED_HEADERS = ['authorization', 'content-type', 'content-length', 'x-ms-blob-type', 'x-ms-range', 'range', 'if-match', 'user-agent']
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const raw = Buffer.concat(chunks)
      const method = req.method ?? 'GET'
      const target = req.url ?? '/'
      const viaProxy = /^https?:\/\//.test(target)
      const url = new URL(target, 'http://127.0.0.1')
      const headers: Record<string, string> = {}
      for (const name of RECORDED_HEADERS) if (req.headers[name] !== undefined) headers[name] = String(req.headers[name])
      const record: RecordedCacheRequest = { kind: 'blob', method, path: url.pathname + url.search, headers, status: 0, viaProxy }
      requests.push(record)

      const answerBlob = (blobUrl: URL) => {
        record.bodyBytes = raw.length
        const fault = takeFault('blob')
        const answer = !fault
          ? blob(method, blobUrl, req.headers, raw)
          : fault.status === 500
            ? storageError(500, 'InternalError', 'The server encountered an internal error. Please retry the request.')
            : storageError(fault.status, 'ServerBusy', 'The server is busy.')
        record.status = answer.status
        res.writeHead(answer.status, { 'x-ms-client-request-id': String(req.headers['x-ms-client-request-id'] ?? ''), ...answer.headers })
        res.end(method === 'HEAD' ? undefined : answer.body)
      }

      if (viaProxy) {
        // Only the fake storage host is "proxied": anything else means a real request escaped.
        if (url.host !== azureHost) {
          record.status = 502
          res.writeHead(502, { 'content-type': 'text/plain' })
          return res.end(`the cache stand-in proxies only ${azureHost}, not ${url.host}`)
        }
        return answerBlob(url)
      }
      if (url.pathname.startsWith(`/${account}/`)) {
        return answerBlob(new URL(url.pathname.slice(account.length + 1) + url.search, 'http://127.0.0.1'))
      }

      record.kind = 'twirp'
      const send = (answer: TwirpAnswer) => {
        record.status = answer.status
        res.writeHead(answer.status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(answer.body))
      }
      if (!url.pathname.startsWith(TWIRP_PREFIX) || method !== 'POST') {
        return send(twirpError('bad_route', `no handler for ${method} ${url.pathname}`))
      }
      record.rpc = url.pathname.slice(TWIRP_PREFIX.length)
      const fault = takeFault('twirp')
      if (fault) return send(twirpError(fault.status === 500 ? 'internal' : 'unavailable', 'the cache service is unavailable', fault.status))
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return send(twirpError('bad_route', 'the stand-in speaks JSON twirp only'))
      }
      let body: Record<string, unknown>
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>
      } catch {
        return send(twirpError('malformed', 'the request body is not JSON'))
      }
      record.body = body
      const scopes = scopesOf(req.headers.authorization)
      if (!scopes) return send(twirpError('unauthenticated', 'the runtime token is missing or was not issued by this service'))
      send(twirp(record.rpc, body, scopes))
    })
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  service.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const scopes = options.scopes ?? [
    { scope: 'refs/heads/feature', permission: CACHE_READ | CACHE_WRITE },
    { scope: 'refs/heads/main', permission: CACHE_READ }
  ]
  service.env = {
    ACTIONS_CACHE_SERVICE_V2: 'true',
    ACTIONS_RESULTS_URL: `${service.url}/`,
    ACTIONS_RUNTIME_TOKEN: tokenFor(scopes),
    // v2 is refused on GHES (config.isGhes reads this), and a runner's own cache mode must not leak in.
    GITHUB_SERVER_URL: 'https://github.com',
    ACTIONS_CACHE_MODE: '',
    // The Azure SDK prefers HTTPS_PROXY even for http URLs; http-client reads the lower-case
    // names first and never proxies loopback, so the twirp calls still go straight here.
    ...(blobHost === 'azure'
      ? { HTTP_PROXY: service.url, http_proxy: service.url, HTTPS_PROXY: service.url, https_proxy: service.url, NO_PROXY: '', no_proxy: '' }
      : {})
  }
  service.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return service
}
