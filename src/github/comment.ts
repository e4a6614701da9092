// The sticky PR comment: one per tag, found again by the marker on its first line and only among
// the comments the token itself wrote, so a quote, a person's comment or a model's answer inside
// a report never gets edited. Two runs posting at once converge on one comment.
import type { GitHubClient } from './client.js'

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

/** Who GITHUB_TOKEN writes as. Its installation token cannot look itself up. */
export const GITHUB_TOKEN_LOGIN = 'github-actions[bot]'

interface IssueComment {
  id: number
  body?: string
  html_url: string
  user: { login: string } | null
}

/** The login the token writes as: GraphQL `viewer`, else REST `GET /user`, else GITHUB_TOKEN's. */
async function identityOf(octokit: GitHubClient): Promise<string> {
  const viewer = await octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }').then(
    (result) => result.viewer.login,
    () => undefined
  )
  if (viewer) return viewer
  const user = await octokit.rest.users.getAuthenticated().then(
    (result) => result.data.login,
    () => undefined
  )
  return user ?? GITHUB_TOKEN_LOGIN
}

/** Ours: written by `login`, with the marker as the first line, as the report starts. */
function oursOldestFirst(comments: IssueComment[], marker: string, login: string): IssueComment[] {
  return comments.filter((c) => c.user?.login === login && (c.body ?? '').split(/\r?\n/, 1)[0]!.trimEnd() === marker).sort((a, b) => a.id - b.id)
}

const statusOf = (error: unknown) => (error as { status?: number }).status

/** Every page of comments, so a long discussion never gets a second report. */
async function listComments(octokit: GitHubClient, target: CommentTarget): Promise<IssueComment[]> {
  return octokit.paginate(octokit.rest.issues.listComments, { owner: target.owner, repo: target.repo, issue_number: target.issueNumber, per_page: 100 })
}

/** The comment with `body`, or undefined when it was deleted since it was listed. */
async function updateComment(octokit: GitHubClient, target: CommentTarget, id: number, body: string): Promise<IssueComment | undefined> {
  try {
    return (await octokit.rest.issues.updateComment({ owner: target.owner, repo: target.repo, comment_id: id, body })).data
  } catch (error) {
    if (statusOf(error) === 404) return undefined
    throw error
  }
}

/**
 * Deletes twins of the kept comment. Best effort: a 404 means another run deleted it first, and a
 * twin left by any other failure is found and deleted by the next run.
 */
async function deleteTwins(octokit: GitHubClient, target: CommentTarget, twins: IssueComment[]): Promise<void> {
  for (const twin of twins) await octokit.rest.issues.deleteComment({ owner: target.owner, repo: target.repo, comment_id: twin.id }).catch(() => undefined)
}

/**
 * Puts `body` into the oldest of `ours` older than `before` that still exists, and deletes the
 * rest of `ours`; undefined when there is none.
 */
async function keepOldest(octokit: GitHubClient, target: CommentTarget, ours: IssueComment[], body: string, before = Infinity): Promise<IssueComment | undefined> {
  for (const comment of ours.filter((c) => c.id < before)) {
    const kept = await updateComment(octokit, target, comment.id, body)
    if (kept) {
      await deleteTwins(octokit, target, ours.filter((c) => c.id !== comment.id))
      return kept
    }
  }
  return undefined
}

/**
 * Creates the comment that carries `marker`, or updates it in place. Runs at once both create
 * when neither sees the other's comment yet; so after creating, a run lists again, keeps the
 * oldest of ours (the lowest id) with its own report and deletes the rest. Ids grow with time, so
 * the run that created a newer one sees the oldest when it lists again and deletes its own; no
 * run deletes the oldest: exactly one is left, whatever the order.
 */
export async function upsertComment(octokit: GitHubClient, target: CommentTarget, marker: string, body: string): Promise<{ url: string; action: 'created' | 'updated' }> {
  const [login, comments] = await Promise.all([identityOf(octokit), listComments(octokit, target)])
  const updated = await keepOldest(octokit, target, oursOldestFirst(comments, marker, login), body)
  if (updated) return { url: updated.html_url, action: 'updated' }

  const { data: created } = await octokit.rest.issues.createComment({ owner: target.owner, repo: target.repo, issue_number: target.issueNumber, body })
  // What we just wrote says for certain who we are, whatever the identity lookups made of it.
  const ours = oursOldestFirst(await listComments(octokit, target), marker, created.user?.login ?? login)
  const older = await keepOldest(octokit, target, ours, body, created.id)
  if (older) return { url: older.html_url, action: 'updated' }
  await deleteTwins(octokit, target, ours.filter((c) => c.id > created.id))
  return { url: created.html_url, action: 'created' }
}
