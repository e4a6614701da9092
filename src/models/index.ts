// A model given by URL, made a verified local file before any server starts: the runner's own
// copy if it has one, else the Actions cache's, else a download (which is then saved to the
// cache). A wrong checksum fails here, with both hashes and the URL, and leaves no file.
import { rm } from 'node:fs/promises'
import { secretsInUrl } from '../hygiene.js'
import { commitFile, download, formatBytes, hashFile, localCopyOf, localPathsOf, modelsDirOf, normalPin, parseModelUrl, partNameOf, prepareFolder, urlHashOf, type LocalPaths } from './fetch.js'
import { ModelFetchError, type ModelCacheKeys, type ModelHost, type ModelRequest, type ResolvedModel } from './types.js'

export { isModelUrl } from './fetch.js'
export { ModelFetchError } from './types.js'
export type { ModelCacheKeys, ModelFetchErrorKind, ModelHost, ModelRequest, ModelSource, ModelStore, ResolvedModel } from './types.js'

const DEFAULT_PROGRESS_EVERY_MS = 3000
const DEFAULT_STALL_TIMEOUT_MS = 60_000

/**
 * The keys of a model in the cache. With a pin, the URL's unverified entry is also taken (it is
 * hashed against the pin); without one, any pinned entry of the URL is as good.
 */
export function modelCacheKeys(url: URL, pin: string | undefined): ModelCacheKeys {
  const prefix = `modelgate-model-v1-${urlHashOf(url)}-`
  return { primary: `${prefix}${pin ?? 'unverified'}`, restore: [pin ? `${prefix}unverified` : prefix] }
}

/** What the CLI gives for models: a folder in the user's cache, and no Actions cache. */
export function cliModels(env: NodeJS.ProcessEnv): ModelHost {
  return { dir: modelsDirOf(env, 'cli') }
}

const short = (sha256: string) => `${sha256.slice(0, 12)}…`

/** Gives a cancelled run's error instead of whatever the step after the cancel did. */
function throwIfCancelled(signal: AbortSignal | undefined, url: URL): void {
  if (signal?.aborted) throw new ModelFetchError('cancelled', `fetching the model ${url.href} was cancelled`)
}

/** The cache's copy, verified and made the local one; undefined when the cache has none (or a bad one). */
async function fromStore(request: ModelRequest, url: URL, pin: string | undefined, paths: LocalPaths): Promise<ResolvedModel | undefined> {
  const { host, signal } = request
  const store = request.models.store
  if (!store) return undefined
  const part = partNameOf(paths)
  const started = Date.now()
  try {
    const matched = await store.restore(modelCacheKeys(url, pin), part)
    throwIfCancelled(signal, url)
    if (!matched) {
      host.info(`The model is not in ${store.name} yet`)
      return undefined
    }
    const sha256 = await hashFile(part, signal)
    if (pin && sha256 !== pin) {
      host.warn(`${store.name} entry ${matched} holds sha256 ${sha256}, not the pinned ${pin}: downloading the model instead`)
      return undefined
    }
    const bytes = await commitFile(part, paths, url, { sha256, pinned: pin !== undefined })
    host.info(`Restored ${paths.file} (${formatBytes(bytes)}, sha256 ${short(sha256)}) from ${store.name} entry ${matched} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    return { path: paths.file, sha256, source: 'cache', bytes }
  } catch (error) {
    if (error instanceof ModelFetchError && error.kind === 'cancelled') throw error
    throwIfCancelled(signal, url)
    host.warn(`could not restore the model from ${store.name}: ${(error as Error).message}`)
    return undefined
  } finally {
    await rm(part, { force: true })
  }
}

/** Downloads, verifies against the pin (or the server's own hash), and keeps the file. */
async function fromUrl(request: ModelRequest, url: URL, pin: string | undefined, paths: LocalPaths): Promise<ResolvedModel> {
  const { host, signal } = request
  const part = partNameOf(paths)
  try {
    const got = await download(url, part, {
      ...(request.token ? { token: request.token } : {}),
      ...(signal ? { signal } : {}),
      report: host.info,
      optionRef: host.optionRef,
      progressEveryMs: request.progressEveryMs ?? DEFAULT_PROGRESS_EVERY_MS,
      stallTimeoutMs: request.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS
    })
    const expected = pin ?? got.announcedSha256
    if (expected && got.sha256 !== expected) {
      const whose = pin ? `${host.optionRef('model-sha256')} expects` : 'the server announced (X-Linked-Etag)'
      throw new ModelFetchError('checksum', `the model downloaded from ${url.href} has sha256 ${got.sha256}, but ${whose} ${expected}; the file was removed. Check the pin, or pin a revision in the URL (resolve/<commit>/…) rather than a branch that moves`)
    }
    const bytes = await commitFile(part, paths, url, { sha256: got.sha256, pinned: pin !== undefined })
    if (pin) host.info(`sha256 ${short(got.sha256)} matches ${host.optionRef('model-sha256')}`)
    else host.info(`sha256 ${got.sha256}: pin it with ${host.optionRef('model-sha256')} so a changed file fails the run`)
    return { path: paths.file, sha256: got.sha256, source: 'download', bytes }
  } finally {
    await rm(part, { force: true })
  }
}

async function saveToStore(request: ModelRequest, url: URL, pin: string | undefined, model: ResolvedModel): Promise<void> {
  const store = request.models.store
  if (!store) return
  const started = Date.now()
  try {
    const key = await store.save(modelCacheKeys(url, pin).primary, model.path)
    request.host.info(`Saved the model to ${store.name} as ${key} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  } catch (error) {
    request.host.warn(`could not save the model to ${store.name} (${(error as Error).message}): a fresh runner will download it again`)
  }
}

/**
 * Makes the model at `request.url` a verified file in the runner's models folder: its copy
 * there, else the cache's, else a download. Throws a ModelFetchError (never a partial file).
 */
export async function resolveModel(request: ModelRequest): Promise<ResolvedModel> {
  const { host, signal } = request
  if (request.token) host.mask(request.token)
  for (const secret of secretsInUrl(request.url)) host.mask(secret)
  const url = parseModelUrl(request.url)
  const pin = normalPin(request.sha256, host.optionRef)
  const paths = localPathsOf(request.models.dir, url)
  await prepareFolder(paths)
  throwIfCancelled(signal, url)

  const local = await localCopyOf(paths, url, pin, host.info, signal)
  if (local) {
    host.info(`Using the runner's copy ${paths.file} (${formatBytes(local.bytes)}, sha256 ${short(local.sha256)})`)
    return { path: paths.file, ...local, source: 'local' }
  }
  const cached = await fromStore(request, url, pin, paths)
  if (cached) return cached
  const downloaded = await fromUrl(request, url, pin, paths)
  throwIfCancelled(signal, url)
  await saveToStore(request, url, pin, downloaded)
  return downloaded
}
