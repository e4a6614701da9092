// Where a run's report goes: the sticky PR comment, the job summary, the results file and the
// step outputs. A comment that cannot be posted is a warning; the other places still get the
// report, so a result is never lost.
import * as core from '@actions/core'
import * as github from '@actions/github'
import type { RunHost } from './host/types.js'
import { Output } from './options.js'
import { renderReport } from './report.js'
import { saveResultsFile } from './results-file.js'
import type { RunResults } from './results.js'
import { formatFigure } from './stats.js'

type Octokit = ReturnType<typeof github.getOctokit>

/** The hidden marker a sticky comment is found by; the tag keeps matrix cells apart. */
export function markerFor(tag: string): string {
  // No '>' and no '--': the tag can neither end the HTML comment nor make it invalid.
  const safe = tag.replace(/[^A-Za-z0-9._:/ -]/g, '_').replace(/-{2,}/g, '-')
  return `<!-- modelgate:sticky-comment tag="${safe}" -->`
}

export interface CommentTarget {
  owner: string
  repo: string
  issueNumber: number
}

/** The login the token acts as, to touch only our own comments; undefined when it cannot tell. */
async function viewerLogin(octokit: Octokit): Promise<string | undefined> {
  try {
    const result = await octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }')
    return result.viewer.login
  } catch {
    return undefined
  }
}

/**
 * Creates the comment that carries `marker`, or updates it in place. Every page of comments is
 * searched, so a long discussion never gets a second report.
 */
export async function upsertComment(octokit: Octokit, target: CommentTarget, marker: string, body: string): Promise<{ url: string; action: 'created' | 'updated' }> {
  const params = { owner: target.owner, repo: target.repo, issue_number: target.issueNumber }
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...params, per_page: 100 })
  const login = await viewerLogin(octokit)
  const ours = comments.find((c) => c.body?.includes(marker) && (login === undefined || c.user?.login === login))
  if (ours) {
    const { data } = await octokit.rest.issues.updateComment({ owner: target.owner, repo: target.repo, comment_id: ours.id, body })
    return { url: data.html_url, action: 'updated' }
  }
  const { data } = await octokit.rest.issues.createComment({ ...params, body })
  return { url: data.html_url, action: 'created' }
}

export function pullRequestOf(context: typeof github.context): CommentTarget | undefined {
  const number = context.payload.pull_request?.number
  if (typeof number !== 'number') return undefined
  return { owner: context.repo.owner, repo: context.repo.repo, issueNumber: number }
}

function describeCommentError(error: unknown, target: CommentTarget): string {
  const status = (error as { status?: number }).status
  const message = (error as Error).message
  const where = `${target.owner}/${target.repo}#${target.issueNumber}`
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
}

/** Publishes everywhere it can; each place failing alone is a warning, never a lost result. */
export async function publishResults(results: RunResults, options: PublishOptions, host: RunHost): Promise<void> {
  const resultsPath = await saveResultsFile(options.resultsFile, results, host)
  if (resultsPath) core.setOutput(Output.ResultsFile, resultsPath)

  core.setOutput(Output.Passed, String(results.passed))
  core.setOutput(Output.CasesPassed, String(results.cases.filter((c) => c.passed).length))
  core.setOutput(Output.CasesFailed, String(results.cases.filter((c) => !c.passed).length))
  core.setOutput(Output.TokensPerSecond, results.tokensPerSecond === null ? '' : formatFigure(results.tokensPerSecond))
  core.setOutput(Output.Regressions, String(results.comparison?.regressions ?? 0))
  // No comparison was asked for (baseline: off) or possible: as good as no baseline.
  core.setOutput(Output.Baseline, results.comparison?.baseline ?? 'missing')

  try {
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderReport(results, { maxLength: 1024 * 1024 - 1024 })).write()
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
  try {
    const octokit = github.getOctokit(options.githubToken)
    const { url, action } = await upsertComment(octokit, target, marker, renderReport(results, { marker }))
    host.info(`Comment ${action}: ${url}`)
    core.setOutput(Output.CommentUrl, url)
  } catch (error) {
    host.warn(describeCommentError(error, target))
  }
}
