// Baselines in the Actions cache. Entries are immutable, so each save is a new key ending in the
// run id; a restore takes the newest entry by key prefix: the same suite on the same machine,
// else the same suite anywhere (to say why it is not comparable). A pull request can restore
// entries saved on its base branch and on the default branch, not those of other pull requests.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { actionsCache, cacheAvailable } from '../github/actions-cache.js'
import type { RunResults } from '../results.js'
import { infoOf } from './file.js'
import type { BaselineKeys, BaselineStore } from './types.js'

// Relative to the workspace, where @actions/cache archives from: the same path string on every
// runner, so the cache version (a hash of the paths) matches across them.
const CACHED_DIR = '.modelgate/baseline'
const RESULTS_NAME = 'results.json'

export function baselineKeyPrefix(keys: BaselineKeys): string {
  return `modelgate-baseline-v1-${keys.suite}-`
}

export function cacheStore(workspace: string, run: { id: string; attempt: string }): BaselineStore {
  const dir = path.join(workspace, CACHED_DIR)
  return {
    name: 'the Actions cache',
    async restore(keys) {
      if (!(await cacheAvailable())) return undefined
      const sameMachine = `${baselineKeyPrefix(keys)}${keys.machine}-`
      await rm(dir, { recursive: true, force: true })
      const key = await (await actionsCache()).restoreCache([CACHED_DIR], sameMachine, [sameMachine, baselineKeyPrefix(keys)])
      if (!key) return undefined
      const results = JSON.parse(await readFile(path.join(dir, RESULTS_NAME), 'utf8')) as RunResults
      return { results, info: infoOf(results, 'cache', key) }
    },
    async save(results, keys) {
      if (!(await cacheAvailable())) throw new Error('the Actions cache service is not available to this job')
      const key = `${baselineKeyPrefix(keys)}${keys.machine}-${run.id}-${run.attempt}`
      await rm(dir, { recursive: true, force: true })
      await mkdir(dir, { recursive: true })
      await writeFile(path.join(dir, RESULTS_NAME), `${JSON.stringify(results)}\n`)
      const id = await (await actionsCache()).saveCache([CACHED_DIR], key)
      // saveCache warns and gives -1 rather than throwing when the service refuses.
      if (id === -1) throw new Error(`the cache service did not store ${key}`)
      return key
    }
  }
}
