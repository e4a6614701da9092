// The model downloader against a loopback file server serving a real (tiny) GGUF: a download is
// verified and kept, the runner's copy is reused without a request, and every way a download goes
// wrong fails before a server starts, says why, and leaves no file behind.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { writeScriptedModel } from '../../scripts/gguf-writer.js'
import { readGgufHeader } from '../../src/gguf/reader.js'
import { modelsDirOf } from '../../src/models/fetch.js'
import { isModelUrl, ModelFetchError, resolveModel, type ModelRequest } from '../../src/models/index.js'
import { startFileServer, type FileServer } from '../support/file-server.js'
import { recordingHost, type RecordingHost } from '../support/host.js'
import { closedPort } from '../support/ports.js'

let server: FileServer
let cdn: FileServer
let work: string
let dir: string
let model: Buffer
let sha256: string
let host: RecordingHost

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'modelgate-models-'))
  const file = path.join(work, 'source.gguf')
  await writeScriptedModel(file, { script: 'def add(a, b):\n    return a + b\n' })
  model = fs.readFileSync(file)
  sha256 = createHash('sha256').update(model).digest('hex')
  server = await startFileServer()
  cdn = await startFileServer()
})

afterAll(async () => {
  await Promise.all([server.close(), cdn.close()])
  fs.rmSync(work, { recursive: true, force: true })
})

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(work, 'models-'))
  host = recordingHost()
})

let routes = 0
/** A fresh path on the server for each test, so request counts and the models folder start at zero. */
function serve(route: Parameters<FileServer['route']>[1], name = 'tiny-coder.Q8_0.gguf', on = server): { url: string; path: string } {
  const at = `/org/repo-${++routes}/resolve/main/${name}`
  return { url: on.route(at, route), path: at }
}

const request = (url: string, more: Partial<ModelRequest> = {}): ModelRequest => ({ url, models: { dir }, host, ...more })

/** Everything in the models folder, recursively: what a failed fetch must not leave. */
function filesIn(folder: string): string[] {
  return fs.readdirSync(folder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(folder, path.join(e.parentPath, e.name)))
}

async function failure(promise: Promise<unknown>): Promise<ModelFetchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(ModelFetchError)
  return error as ModelFetchError
}

describe('fetching a model by URL', () => {
  it('downloads and verifies it once, then uses the runner copy without a request', async () => {
    const { url, path: at } = serve({ body: model })

    const first = await resolveModel(request(url, { sha256: sha256.toUpperCase() }))

    expect(first).toEqual({ path: expect.stringMatching(/tiny-coder\.Q8_0\.gguf$/), sha256, source: 'download', bytes: model.length })
    expect(first.path.startsWith(dir)).toBe(true)
    expect(fs.readFileSync(first.path).equals(model)).toBe(true)
    expect((await readGgufHeader(first.path)).architecture).toBe('llama')
    expect(server.count(at)).toBe(1)
    expect(host.lines).toContainEqual(expect.stringContaining(`Downloading ${url} (0.1 MB)`))
    expect(host.lines).toContainEqual(`sha256 ${sha256.slice(0, 12)}… matches the input 'model-sha256'`)
    // Only the model and its record: no temporary file.
    expect(filesIn(dir).map((f) => path.basename(f)).sort()).toEqual(['tiny-coder.Q8_0.gguf', 'tiny-coder.Q8_0.gguf.modelgate.json'])

    const second = await resolveModel(request(url, { sha256 }))

    expect(second).toEqual({ ...first, source: 'local' })
    expect(server.count(at)).toBe(1)
    expect(host.lines.at(-1)).toBe(`Using the runner's copy ${first.path} (0.1 MB, sha256 ${sha256.slice(0, 12)}…)`)
  })

  it('without a pin, reports the sha256 to pin, records it, and takes the copy once pinned', async () => {
    const { url, path: at } = serve({ body: model })

    const first = await resolveModel(request(url))

    expect(first).toMatchObject({ sha256, source: 'download' })
    expect(host.lines).toContainEqual(`sha256 ${sha256}: pin it with the input 'model-sha256' so a changed file fails the run`)
    expect(JSON.parse(fs.readFileSync(`${first.path}.modelgate.json`, 'utf8'))).toMatchObject({ sha256, bytes: model.length, pinned: false, url })

    expect(await resolveModel(request(url, { sha256 }))).toMatchObject({ source: 'local', sha256 })
    expect(server.count(at)).toBe(1)
  })

  it('hashes a copy changed since it was recorded: kept when it still matches, fetched again when not', async () => {
    const { url, path: at } = serve({ body: model })
    const { path: file } = await resolveModel(request(url, { sha256 }))

    // Touched only: same bytes, newer mtime.
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000))
    expect(await resolveModel(request(url, { sha256 }))).toMatchObject({ source: 'local' })
    expect(host.lines).toContainEqual(expect.stringMatching(/^Verifying .*tiny-coder\.Q8_0\.gguf \(0\.1 MB\): it changed since it was recorded$/))
    expect(server.count(at)).toBe(1)

    // Changed: same size, one byte flipped.
    const bytes = fs.readFileSync(file)
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1)
    fs.writeFileSync(file, bytes)
    expect(await resolveModel(request(url, { sha256 }))).toMatchObject({ source: 'download', sha256 })
    expect(server.count(at)).toBe(2)
    expect(fs.readFileSync(file).equals(model)).toBe(true)
  })

  it('fails a wrong checksum with both hashes and the URL, and leaves no file', async () => {
    const { url } = serve({ body: model })
    const pinned = 'ab'.repeat(32)

    const error = await failure(resolveModel(request(url, { sha256: pinned })))

    expect(error.kind).toBe('checksum')
    expect(error.message).toContain(url)
    expect(error.message).toContain(`has sha256 ${sha256}`)
    expect(error.message).toContain(`the input 'model-sha256' expects ${pinned}`)
    expect(filesIn(dir)).toEqual([])
  })

  it("keeps the runner's good copy through a mistyped pin", async () => {
    const { url, path: at } = serve({ body: model })
    const { path: file } = await resolveModel(request(url, { sha256 }))

    expect((await failure(resolveModel(request(url, { sha256: 'ef'.repeat(32) })))).kind).toBe('checksum')
    expect(host.lines).toContainEqual(`The runner's copy ${file} has sha256 ${sha256}, not the pinned ${'ef'.repeat(32)}: fetching the model again`)

    expect(await resolveModel(request(url, { sha256 }))).toMatchObject({ source: 'local' })
    expect(server.count(at)).toBe(2)
  })

  it("checks an unpinned download against the sha256 Hugging Face announces", async () => {
    const cdnFile = serve({ body: model }, 'blob', cdn)
    const announced = 'cd'.repeat(32)
    const { url } = serve({ redirect: cdnFile.url, headers: { 'x-linked-etag': `"${announced}"` } })

    const error = await failure(resolveModel(request(url)))

    expect(error.kind).toBe('checksum')
    expect(error.message).toContain(`but the server announced (X-Linked-Etag) ${announced}`)
    expect(filesIn(dir)).toEqual([])
  })

  it('fails a body cut short of its Content-Length, and leaves no file', async () => {
    const { url } = serve({ body: model, cutAfter: 40_000 })

    const error = await failure(resolveModel(request(url)))

    expect(error.kind).toBe('truncated')
    expect(error.message).toMatch(new RegExp(`^the download of ${url} broke off after \\d+ of ${model.length} bytes`))
    expect(filesIn(dir)).toEqual([])
  })

  it('sends the token to the URL host only, not to the host it redirects to', async () => {
    const token = 'hf_gatedRepoToken1234567890'
    const target = serve({ body: model }, 'signed-blob', cdn)
    const { url, path: at } = serve({ token, redirect: `${target.url}?X-Amz-Signature=abc123` })

    const resolved = await resolveModel(request(url, { token, sha256 }))

    expect(resolved).toMatchObject({ source: 'download', sha256 })
    expect(server.requests.filter((r) => r.path === at).map((r) => r.authorization)).toEqual([`Bearer ${token}`])
    expect(cdn.requests.filter((r) => r.path === target.path).map((r) => [r.status, r.authorization])).toEqual([[200, undefined]])
    expect(host.masked).toContain(token)
    expect([...host.lines, ...host.warnings].join('\n')).not.toContain(token)
  })

  it('names a gated repository with the hf-token advice, with and without a token', async () => {
    const { url } = serve({ token: 'hf_theRightToken123', body: model })

    const without = await failure(resolveModel(request(url)))
    expect(without.kind).toBe('auth')
    expect(without.message).toBe(
      `${url} answered 401 Unauthorized: the repository is gated or private: accept its conditions on the model's page and set the input 'hf-token' to a token that can read it (a secret, e.g. \${{ secrets.HF_TOKEN }})`
    )

    const wrong = await failure(resolveModel(request(url, { token: 'hf_aWrongToken456' })))
    expect(wrong.kind).toBe('auth')
    expect(wrong.message).toContain(`${url} answered 401 Unauthorized: the token in the input 'hf-token' was refused`)

    const forbidden = serve({ status: 403 })
    expect((await failure(resolveModel(request(forbidden.url)))).message).toContain(`${forbidden.url} answered 403 Forbidden: the repository is gated`)
    expect(filesIn(dir)).toEqual([])
  })

  it('names a missing file, a server error, too many redirects and a refused connection', async () => {
    const missing = `${server.origin}/org/repo/resolve/main/nothing-here.gguf`
    const notFound = await failure(resolveModel(request(missing)))
    expect([notFound.kind, notFound.message]).toEqual(['not-found', `${missing} answered 404 Not Found: no file at that URL (check the repository, the revision and the file name)`])

    const broken = serve({ status: 502 })
    expect(await failure(resolveModel(request(broken.url)))).toMatchObject({ kind: 'refused', message: `${broken.url} answered 502 Bad Gateway while downloading the model from ${broken.url}` })

    const loopPath = '/org/loop/resolve/main/loop.gguf'
    const loop = server.route(loopPath, { redirect: loopPath })
    const redirects = await failure(resolveModel(request(loop)))
    expect([redirects.kind, redirects.message]).toEqual(['redirects', `${loop} redirected more than 10 times (last to ${loop})`])
    expect(server.count(loopPath)).toBe(11)

    const closed = `http://127.0.0.1:${await closedPort()}/model.gguf`
    const refused = await failure(resolveModel(request(closed)))
    expect([refused.kind, refused.message]).toEqual(['connection', `could not download ${closed}: ECONNREFUSED while connecting to ${new URL(closed).host}`])
    expect(filesIn(dir)).toEqual([])
  })

  it('refuses plain http to another host, a redirect down to it, and a malformed pin', async () => {
    expect(isModelUrl('https://huggingface.co/x/y/resolve/main/m.gguf')).toBe(true)
    expect(isModelUrl('models/m.gguf')).toBe(false)

    const plain = await failure(resolveModel(request('http://huggingface.co/org/repo/resolve/main/m.gguf')))
    expect(plain).toMatchObject({ kind: 'option', message: "model 'http://huggingface.co/org/repo/resolve/main/m.gguf': a model is downloaded over https (http only from a loopback host)" })

    const { url } = serve({ redirect: 'http://example.com/m.gguf' })
    expect(await failure(resolveModel(request(url)))).toMatchObject({ kind: 'redirects', message: `${url} redirected to http://example.com/m.gguf, which is not https` })

    expect(await failure(resolveModel(request(url, { sha256: 'abc123' })))).toMatchObject({ kind: 'option', message: "the input 'model-sha256' must be 64 hexadecimal digits (a sha256), not 'abc123'" })
    expect(await failure(resolveModel(request(`${server.origin}/`)))).toMatchObject({ kind: 'option' })
  })

  it('fails a link that goes silent, and leaves no file', async () => {
    const { url } = serve({ body: model, silent: true })

    const error = await failure(resolveModel(request(url, { stallTimeoutMs: 300 })))

    expect([error.kind, error.message]).toEqual(['stalled', `the download of ${url} stalled: nothing came for 0.3 s while receiving it from 127.0.0.1:${new URL(url).port}`])
    expect(filesIn(dir)).toEqual([])
  })

  it('stops a cancelled download and removes the partial file', async () => {
    const { url } = serve({ body: model, bytesPerSecond: 20_000 })
    const controller = new AbortController()
    const folder = () => filesIn(dir)
    const pending = resolveModel(request(url, { signal: controller.signal }))
    // Until the temporary file holds bytes.
    while (!folder().some((f) => f.endsWith('.part'))) await new Promise((resolve) => setTimeout(resolve, 50))
    await new Promise((resolve) => setTimeout(resolve, 600))
    controller.abort('SIGINT')

    const error = await failure(pending)

    expect([error.kind, error.message]).toEqual(['cancelled', `the download of ${url} was cancelled`])
    expect(folder()).toEqual([])
  })

  it('writes a few progress lines, at most one per 2 s, with percent, MB/s and ETA', async () => {
    // About 6.5 s at this rate.
    const { url } = serve({ body: model, bytesPerSecond: Math.round(model.length / 6.5) })
    const started = Date.now()

    await resolveModel(request(url))

    const elapsed = Date.now() - started
    const progress = host.lines.filter((line) => line.startsWith('tiny-coder.Q8_0.gguf: '))
    expect(progress.length).toBeGreaterThanOrEqual(2)
    expect(progress.length).toBeLessThanOrEqual(Math.floor(elapsed / 2000))
    for (const line of progress) expect(line).toMatch(/^tiny-coder\.Q8_0\.gguf: \d{1,2}% \(0\.\d MB of 0\.1 MB\), \d+\.\d MB\/s, ETA \d+ s$/)
    expect(host.lines).toContainEqual(expect.stringMatching(/^Downloaded 0\.1 MB in [67] s \(0\.0 MB\/s\)$/))
  }, 15_000)
})

describe('the models folder', () => {
  it('is the tool cache on a self-hosted runner, a temporary folder on a hosted one, the user cache for the CLI', () => {
    expect(modelsDirOf({ RUNNER_TOOL_CACHE: '/opt/tools', RUNNER_ENVIRONMENT: 'self-hosted', RUNNER_TEMP: '/tmp/r' }, 'action')).toBe('/opt/tools/modelgate-models')
    expect(modelsDirOf({ RUNNER_TOOL_CACHE: '/opt/hostedtoolcache', RUNNER_ENVIRONMENT: 'github-hosted', RUNNER_TEMP: '/tmp/r' }, 'action')).toBe('/tmp/r/modelgate-models')
    expect(modelsDirOf({ XDG_CACHE_HOME: '/home/u/.xdg' }, 'cli')).toBe('/home/u/.xdg/modelgate/models')
    expect(modelsDirOf({}, 'cli')).toBe(path.join(os.homedir(), '.cache', 'modelgate', 'models'))
  })

  it('removes what a killed job left half-written, but not a download in progress', async () => {
    const { url } = serve({ body: model })
    const { path: file } = await resolveModel(request(url, { sha256 }))
    const stale = path.join(path.dirname(file), '.tiny-coder.Q8_0.gguf.dead0000.part')
    const live = path.join(path.dirname(file), '.tiny-coder.Q8_0.gguf.live0000.part')
    fs.writeFileSync(stale, 'half')
    fs.writeFileSync(live, 'half')
    fs.utimesSync(stale, new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000))

    await resolveModel(request(url, { sha256 }))

    expect(fs.existsSync(stale)).toBe(false)
    expect(fs.existsSync(live)).toBe(true)
  })
})
