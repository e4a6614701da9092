// The shapes of fetching a model by URL: what a run asks for, where it keeps models, the Actions
// cache behind an interface (so src/server/ reaches it without importing @actions/*), and the
// typed failure a driver turns into its own error.
import type { RunHost } from '../host/types.js'

/** Where the model the server loads came from on this run. */
export type ModelSource = 'local' | 'cache' | 'download'

export interface ResolvedModel {
  /** The verified file, named as the URL names it, in the runner's models folder. */
  path: string
  /** Lower-case hex: the pin when one was given (and matched), else what the file hashed to. */
  sha256: string
  source: ModelSource
  bytes: number
}

/** The cache keys of one model: the URL's hash, then the pin or `unverified`. */
export interface ModelCacheKeys {
  /** `modelgate-model-v1-<sha256 of URL>-<sha256 or 'unverified'>`: what a save uses. */
  primary: string
  /**
   * Also acceptable on restore, in order: a pinned run takes the URL's unverified entry (and
   * checks it against the pin), an unpinned run takes any pinned entry of the URL.
   */
  restore: string[]
}

/**
 * A store that outlives the runner, in practice the Actions cache. Entries are immutable and
 * hold one file; the caller verifies what a restore gives before it counts as the model.
 */
export interface ModelStore {
  /** For messages: "the Actions cache". */
  readonly name: string
  /** Writes the entry's file to `file` (a temporary name the caller owns); gives the key it matched. */
  restore(keys: ModelCacheKeys, file: string): Promise<string | undefined>
  /** Keeps `file` under `key`; gives the key. Throws when the store refuses. */
  save(key: string, file: string): Promise<string>
}

/** What an entry point gives for models, as it gives baselines: the folder, and a store if it has one. */
export interface ModelHost {
  /** The runner-local models folder: persistent on a self-hosted runner and for the CLI. */
  dir: string
  store?: ModelStore
}

export interface ModelRequest {
  /** https://, or http:// to a loopback host. */
  url: string
  /** The `model-sha256` option: 64 hex digits, any case. */
  sha256?: string
  /** The `hf-token` option: sent as a bearer token to the URL's own host only. */
  token?: string
  models: ModelHost
  /** Progress and outcome lines, secrets it was given masked; option names as its user writes them. */
  host: Pick<RunHost, 'info' | 'warn' | 'mask' | 'optionRef'>
  /** Stops the fetch; what was partly written is removed. */
  signal?: AbortSignal
  /** How often a progress line is written while bytes arrive; 3 s unless told. */
  progressEveryMs?: number
  /** A download that receives nothing for this long fails; 60 s unless told. */
  stallTimeoutMs?: number
}

/**
 * Why a model could not be fetched. `option`: the URL or the pin is unusable; `auth`: 401/403
 * from the URL's host (gated or private); `refused`: any other HTTP status; `checksum`: the file
 * is not the one pinned (or announced); `truncated`: the body ended before its length; `stalled`:
 * nothing arrived for the stall timeout; `disk`: no room for it, or a write failed.
 */
export type ModelFetchErrorKind =
  | 'option'
  | 'auth'
  | 'not-found'
  | 'refused'
  | 'redirects'
  | 'connection'
  | 'truncated'
  | 'stalled'
  | 'checksum'
  | 'disk'
  | 'cancelled'

export class ModelFetchError extends Error {
  constructor(
    readonly kind: ModelFetchErrorKind,
    message: string,
    options?: ErrorOptions
  ) {
    super(message, options)
    this.name = 'ModelFetchError'
  }
}
