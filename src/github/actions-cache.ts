// @actions/cache and the Azure storage client it brings are a third of the action's bundle, and a
// run without a cache service never uses them: they are loaded on first use, in a chunk of their
// own, so start-up does not pay for them (BENCHMARKS.md, start-up).
type ActionsCache = typeof import('@actions/cache')

let loaded: Promise<ActionsCache> | undefined

/** The module, loaded once. */
export function actionsCache(): Promise<ActionsCache> {
  return (loaded ??= import('@actions/cache'))
}

/**
 * Whether the job has a cache service; the module's own test, asked only when the runner set one
 * of the variables it reads (ACTIONS_CACHE_URL, or ACTIONS_RESULTS_URL for the v2 service).
 */
export async function cacheAvailable(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (!env.ACTIONS_CACHE_URL && !env.ACTIONS_RESULTS_URL) return false
  return (await actionsCache()).isFeatureAvailable()
}
