// Where a workflow run keeps baselines: the Actions cache, and on a self-hosted runner also a copy
// in its tool cache, which outlives the cache service's seven-day eviction and works without it.
import path from 'node:path'
import type * as github from '@actions/github'
import { cacheStore } from './cache.js'
import { runnerStore } from './runner.js'
import type { BaselineHost, BaselineStore } from './types.js'

export function actionBaselines(env: NodeJS.ProcessEnv, context: typeof github.context): BaselineHost {
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd()
  const stores: BaselineStore[] = [cacheStore(workspace, { id: env.GITHUB_RUN_ID ?? '0', attempt: env.GITHUB_RUN_ATTEMPT ?? '1' })]
  if (env.RUNNER_TOOL_CACHE && env.RUNNER_ENVIRONMENT !== 'github-hosted') stores.push(runnerStore(path.join(env.RUNNER_TOOL_CACHE, 'modelgate-baselines')))
  const defaultBranch = (context.payload.repository as { default_branch?: string } | undefined)?.default_branch
  return { stores, onDefaultBranch: context.eventName === 'push' && defaultBranch !== undefined && context.ref === `refs/heads/${defaultBranch}` }
}
