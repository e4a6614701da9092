import type { BaselineInfo } from '../compare/types.js'
import type { RunResults } from '../results.js'

/** Which baselines a run may be compared with: the same suite, ideally on the same machine. */
export interface BaselineKeys {
  /** Stable for a suite across changes to it: a hash of its path in the repository. */
  suite: string
  /** The fingerprint's machine hash. */
  machine: string
}

export interface FoundBaseline {
  results: RunResults
  info: BaselineInfo
}

/**
 * A place baselines are kept. `restore` gives the newest for the suite on the same machine, else
 * the newest for the suite on any machine (which the comparison reports as not comparable).
 */
export interface BaselineStore {
  /** For messages: "the Actions cache", "the runner's copy". */
  readonly name: string
  restore(keys: BaselineKeys): Promise<FoundBaseline | undefined>
  /** Keeps `results` as the newest baseline; gives where (a cache key, a path). */
  save(results: RunResults, keys: BaselineKeys): Promise<string>
}

/** What the entry point knows about baselines: where they are kept, and whether this run makes one. */
export interface BaselineHost {
  stores: BaselineStore[]
  /** A push to the default branch: in `baseline: auto`, this run saves the baseline PRs compare with. */
  onDefaultBranch: boolean
}
