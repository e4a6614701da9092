// Where a run's report goes: the sticky PR comment, the job summary, the results file and the
// step outputs. A comment that cannot be posted is a warning; the other places still get the
// report, so a result is never lost. A shard's report is the merge's to publish: a shard writes
// only its results file and outputs.
import * as core from '@actions/core'
import * as github from '@actions/github'
import { createGitHubClient, GitHubUnanswered, rateLimitOf, untilAborted, type GitHubTiming, type RateLimit } from './github/client.js'
import { markerFor, upsertComment, type CommentTarget } from './github/comment.js'
import type { RunHost } from './host/types.js'
import { Output } from './options.js'
import { markdownFor, redactedResults } from './hygiene.js'
import { renderReport } from './report.js'
import { saveResultsFile } from './results-file.js'
import type { RunResults } from './results.js'
import { shardName } from './shard/select.js'
import { formatFigure } from './stats.js'

export function pullRequestOf(context: typeof github.context): CommentTarget | undefined {
  const number = context.payload.pull_request?.number
  if (typeof number !== 'number') return undefined
  return { owner: context.repo.owner, repo: context.repo.repo, issueNumber: number }
}

/** When a rate limit lifts, as a reader can act on: a clock time and how long from now. */
function whenItResets(limit: RateLimit): string {
  if (!limit.resetsAt) return 'GitHub gave no reset time; it asks to wait at least a minute'
  const seconds = Math.max(0, Math.round((limit.resetsAt.getTime() - Date.now()) / 1000))
  const wait = seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`
  return `it resets at ${limit.resetsAt.toISOString().slice(11, 19)} UTC, in ${wait}`
}

function describeCommentError(error: unknown, target: CommentTarget): string {
  const status = (error as { status?: number }).status
  const message = (error as Error).message
  const where = `${target.owner}/${target.repo}#${target.issueNumber}`
  const limit = rateLimitOf(error)
  if (limit) {
    const name = limit.kind === 'primary' ? "GitHub's API rate limit for this token" : "GitHub's secondary rate limit (too many requests too fast)"
    return `commenting on ${where} hit ${name}; ${whenItResets(limit)}, longer than a run waits. The job summary and the results file still hold the report.`
  }
  if (error instanceof GitHubUnanswered) return `commenting on ${where} was given up: ${message}. The job summary and the results file still hold the report.`
  if (status === 403 || status === 404 || status === 401) {
    return (
      `cannot comment on ${where} with the given github-token (HTTP ${status}: ${message}). ` +
      "Give the job 'permissions: pull-requests: write'; pull requests from forks get a read-only token. " +
      'The job summary and the results file still hold the report.'
    )
  }
  return `commenting on ${where} failed: ${message}. The job summary and the results file still hold the report.`
}

export interface PublishOptions {
  githubToken: string
  comment: boolean
  commentTag: string
  resultsFile: string
  /**
   * Abort it when the run is cancelled: the runner kills a cancelled job a few seconds later, so
   * the comment is given up at once rather than cut off mid-way. The results file and the summary
   * are written before the comment is tried, so they are never what is lost.
   */
  signal?: AbortSignal
  /** How long to wait for GitHub; the defaults suit github.com, tests shorten them. */
  githubTiming?: Partial<GitHubTiming>
}

/** The longest the comment may take altogether, retries and rate limits included. */
const COMMENT_BUDGET_MS = 60_000

/** Publishes everywhere it can; each place failing alone is a warning, never a lost result. */
export async function publishResults(results: RunResults, options: PublishOptions, host: RunHost): Promise<void> {
  const resultsPath = await saveResultsFile(options.resultsFile, results, host)
  if (resultsPath) core.setOutput(Output.ResultsFile, resultsPath)
  const shown = redactedResults(results, host)

  // A comparison counts every model's cases.
  const cases = results.variants ? results.variants.flatMap((run) => run.cases) : results.cases
  core.setOutput(Output.Passed, String(results.passed))
  core.setOutput(Output.CasesPassed, String(cases.filter((c) => c.passed).length))
  core.setOutput(Output.CasesFailed, String(cases.filter((c) => !c.passed).length))
  core.setOutput(Output.TokensPerSecond, results.tokensPerSecond === null ? '' : formatFigure(results.tokensPerSecond))
  core.setOutput(Output.Regressions, String(results.comparison?.regressions ?? 0))
  // No comparison was asked for (baseline: off) or possible: as good as no baseline.
  core.setOutput(Output.Baseline, results.comparison?.baseline ?? 'missing')
  core.setOutput(Output.FailureKind, results.failureKind ?? '')
  if (results.best !== undefined) core.setOutput(Output.Best, results.best)

  if (results.shard) {
    host.info(`Shard ${shardName(results.shard)}: no job summary or comment; the merge (mode: merge) publishes one for every shard.`)
    return
  }

  try {
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdownFor(renderReport(shown, { maxLength: 1024 * 1024 - 1024 }), host)).write()
  } catch (error) {
    host.warn(`could not write the job summary: ${(error as Error).message}`)
  }

  const target = pullRequestOf(github.context)
  if (!options.comment) return
  if (!target) {
    host.info(`No pull request in this ${github.context.eventName} event; no comment posted.`)
    return
  }
  if (!options.githubToken) {
    host.warn('github-token is empty: no comment posted. The job summary and the results file hold the report.')
    return
  }
  const marker = markerFor(options.commentTag)
  const stop = new AbortController()
  const budget = setTimeout(() => stop.abort(new Error(`posting took longer than ${COMMENT_BUDGET_MS / 1000} s`)), COMMENT_BUDGET_MS)
  const cancelled = () => stop.abort(new Error('the run was cancelled'))
  if (options.signal?.aborted) cancelled()
  options.signal?.addEventListener('abort', cancelled)
  try {
    const octokit = createGitHubClient(options.githubToken, { timing: options.githubTiming, signal: stop.signal })
    const body = markdownFor(renderReport(shown, { marker }), host)
    const { url, action } = await untilAborted(upsertComment(octokit, target, marker, body), stop.signal)
    host.info(`Comment ${action}: ${url}`)
    core.setOutput(Output.CommentUrl, url)
  } catch (error) {
    host.warn(describeCommentError(error, target))
  } finally {
    clearTimeout(budget)
    options.signal?.removeEventListener('abort', cancelled)
    // What is still under way (an identity lookup after the listing failed) ends with publishing.
    stop.abort(new Error('publishing is over'))
  }
}
