// The GitHub API client publishing talks through. Every request has a deadline and can be
// stopped from outside; a 5xx or a rate limit is retried a bounded number of times after the wait
// GitHub asks for, and no wait is longer than a run can afford. When it gives up, the error says
// which limit and when it resets, so the warning can say it too.
import * as github from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import Bottleneck from 'bottleneck'

export type GitHubClient = ReturnType<typeof github.getOctokit>
type Plugin = NonNullable<Parameters<typeof github.getOctokit>[2]>

/** How long publishing waits for GitHub. The defaults suit github.com; tests shorten them. */
export interface GitHubTiming {
  /** A request not answered in this long is given up and not retried: a silent API holds nothing. */
  requestTimeoutMs: number
  /** Retries of one request, for a 5xx (after 1 s, then 4 s: plugin-retry's backoff) and for a rate limit alike. */
  retries: number
  /** The longest one rate limit is waited out; one that resets later is given up at once. */
  maxRateLimitWaitSeconds: number
  /** How long one second of a retry wait lasts: 1000, except in tests. */
  secondMs: number
}

export const DEFAULT_TIMING: GitHubTiming = { requestTimeoutMs: 10_000, retries: 2, maxRateLimitWaitSeconds: 20, secondMs: 1000 }

export interface GitHubClientOptions {
  /** The API's URL; by default the runner's (GITHUB_API_URL). */
  baseUrl?: string
  timing?: Partial<GitHubTiming>
  /** Once aborted, a request in flight is dropped, none is started and no retry waits. */
  signal?: AbortSignal
}

/** GitHub did not answer in time, or we stopped waiting for it. Never retried. */
export class GitHubUnanswered extends Error {
  constructor(
    readonly kind: 'timeout' | 'stopped',
    message: string
  ) {
    super(message)
    this.name = 'GitHubUnanswered'
  }
}

export interface RateLimit {
  /** `primary`: the token's hourly allowance is used up; `secondary`: too much too fast. */
  kind: 'primary' | 'secondary'
  resetsAt?: Date
}

interface ErrorShape {
  status?: number
  message?: string
  response?: { headers?: Record<string, string | number | undefined> }
  request?: { request?: Record<string, unknown> }
}

/** The rate limit an error from GitHub is, told apart from a 403 that is about permissions. */
export function rateLimitOf(error: unknown): RateLimit | undefined {
  const { status, message = '', response } = error as ErrorShape
  if (status !== 403 && status !== 429) return undefined
  const headers = response?.headers ?? {}
  const reset = Number(headers['x-ratelimit-reset'])
  const retryAfter = Number(headers['retry-after'])
  const resetsAt = reset > 0 ? new Date(reset * 1000) : retryAfter > 0 ? new Date(Date.now() + retryAfter * 1000) : undefined
  if (String(headers['x-ratelimit-remaining']) === '0') return { kind: 'primary', resetsAt }
  // GitHub's docs: every 429 is a rate limit, and a secondary one is named in the message.
  if (status === 429 || /\bsecondary rate\b/i.test(message)) return { kind: 'secondary', resetsAt }
  return undefined
}

/**
 * Our own bounds, innermost so each attempt of a retried request gets its own deadline. A
 * timed-out or stopped request fails without a response, which neither retrying plugin retries.
 * A 429 that names neither limit (plugin-throttling would not retry it) is handed to
 * plugin-retry with the wait its `retry-after` asks for.
 */
function bounds(timing: GitHubTiming, signal: AbortSignal | undefined): Plugin {
  return (octokit) => {
    octokit.hook.wrap('request', async (request, options) => {
      const controller = new AbortController()
      const timer = setTimeout(() => controller.abort(), timing.requestTimeoutMs)
      const stop = () => controller.abort()
      signal?.addEventListener('abort', stop)
      const what = () => {
        const { method, url } = octokit.request.endpoint(options)
        return `${method} ${new URL(url).pathname}`
      }
      try {
        if (signal?.aborted) throw new GitHubUnanswered('stopped', `stopped waiting for GitHub before ${what()}: ${reasonOf(signal)}`)
        // Replaced, not passed: the hooks inside this one read the options object they were given.
        options.request = { ...options.request, signal: controller.signal }
        return await request(options)
      } catch (error) {
        if (signal?.aborted) throw new GitHubUnanswered('stopped', `stopped waiting for GitHub during ${what()}: ${reasonOf(signal)}`)
        if (controller.signal.aborted) throw new GitHubUnanswered('timeout', `GitHub did not answer ${what()} within ${timing.requestTimeoutMs / 1000} s`)
        const { status, message = '', response, request: sent } = error as ErrorShape
        const wait = Number(response?.headers?.['retry-after'])
        const unnamed429 = status === 429 && !/\bsecondary rate\b/i.test(message) && String(response?.headers?.['x-ratelimit-remaining']) !== '0'
        if (unnamed429 && sent && wait > 0 && wait <= timing.maxRateLimitWaitSeconds) sent.request = { ...sent.request, retries: timing.retries, retryAfter: wait }
        throw error
      } finally {
        clearTimeout(timer)
        signal?.removeEventListener('abort', stop)
      }
    })
  }
}

function reasonOf(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : String(signal.reason)
}

/** Statuses plugin-retry leaves alone: the request is wrong, or (429) plugin-throttling's. */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451]

export function createGitHubClient(token: string, options: GitHubClientOptions = {}): GitHubClient {
  const timing = { ...DEFAULT_TIMING, ...options.timing }
  const waitOut = (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) =>
    retryCount < timing.retries && retryAfter <= timing.maxRateLimitWaitSeconds && !options.signal?.aborted
  return github.getOctokit(
    token,
    {
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      retry: { retries: timing.retries, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: timing.secondMs },
      throttle: {
        // Writes one at a time, as GitHub asks, but not the seconds apart the plugin keeps for bulk
        // writers: a run writes a handful of times, and a cancelled run has only seconds.
        write: new Bottleneck.Group({ maxConcurrent: 1 }),
        notifications: new Bottleneck.Group({ maxConcurrent: 1 }),
        retryAfterBaseValue: timing.secondMs,
        onRateLimit: waitOut,
        onSecondaryRateLimit: waitOut
      }
    },
    bounds(timing, options.signal),
    retry,
    throttling
  )
}

/** `work`, or a rejection as soon as `signal` aborts: a retry wait under way does not hold the caller. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(new GitHubUnanswered('stopped', `stopped waiting for GitHub: ${reasonOf(signal)}`))
    if (signal.aborted) stop()
    else signal.addEventListener('abort', stop, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop))
  })
}
