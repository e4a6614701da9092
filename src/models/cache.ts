// Models in the Actions cache, so a fresh runner restores a model from GitHub's cache instead of
// downloading it from the internet again. One entry holds one model file, keyed by the URL's hash
// and the pin; entries are immutable, so a model is saved once per key. The action's entry point
// gives this store to the stages through RunHost.models (src/models/types.ts ModelHost).
import { copyFile, link, mkdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { actionsCache, cacheAvailable } from '../github/actions-cache.js'
import { modelsDirOf } from './fetch.js'
import type { ModelHost, ModelStore } from './types.js'

// Relative to the workspace, where @actions/cache archives from, and the same for every model:
// the cache version is a hash of the path strings, so it then matches on every runner, wherever
// its models folder is. The file is staged here and moved to the models folder.
const STAGED_DIR = '.modelgate/model-cache'
const STAGED_FILE = `${STAGED_DIR}/model.gguf`

/** Moves or links `from` to `to`, copying when they are on different file systems. */
async function place(from: string, to: string, how: 'move' | 'link'): Promise<void> {
  try {
    await (how === 'move' ? rename(from, to) : link(from, to))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error
    await copyFile(from, to)
    if (how === 'move') await rm(from, { force: true })
  }
}

/**
 * The Actions cache as a ModelStore. The @actions/cache client resolves the staged path against
 * the working directory and archives relative to `workspace`: in a workflow step both are
 * GITHUB_WORKSPACE.
 */
export function modelCacheStore(workspace: string): ModelStore {
  const stagedDir = path.join(workspace, STAGED_DIR)
  const staged = path.join(workspace, STAGED_FILE)
  return {
    name: 'the Actions cache',
    async restore(keys, file) {
      if (!(await cacheAvailable())) return undefined
      await rm(stagedDir, { recursive: true, force: true })
      try {
        // restoreCache warns and gives undefined when a download or the extraction fails.
        const matched = await (await actionsCache()).restoreCache([STAGED_FILE], keys.primary, keys.restore)
        if (matched) await place(staged, file, 'move')
        return matched
      } finally {
        await rm(stagedDir, { recursive: true, force: true })
      }
    },
    async save(key, file) {
      if (!(await cacheAvailable())) throw new Error('the Actions cache service is not available to this job')
      await rm(stagedDir, { recursive: true, force: true })
      await mkdir(stagedDir, { recursive: true })
      try {
        // A hard link: the archive is read from it, and a multi-gigabyte copy is not made.
        await place(file, staged, 'link')
        const id = await (await actionsCache()).saveCache([STAGED_FILE], key)
        // saveCache logs and gives -1 rather than throwing when the service refuses (a read-only
        // token, another job saving the same key, an entry over the repository's cache size).
        if (id === -1) throw new Error(`the cache service did not store ${key}`)
        return key
      } finally {
        await rm(stagedDir, { recursive: true, force: true })
      }
    }
  }
}

/** What the action's entry point gives for models: the runner's models folder and the Actions cache. */
export function actionModels(env: NodeJS.ProcessEnv): ModelHost {
  return { dir: modelsDirOf(env, 'action'), store: modelCacheStore(env.GITHUB_WORKSPACE ?? process.cwd()) }
}
