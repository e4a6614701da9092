// Reads a failed network call the way a user needs it said: its real cause, and whether trying
// again can help.
interface Caused {
  cause?: unknown
  code?: unknown
  message?: unknown
}

/**
 * Why a network call failed, in the words of its innermost cause: fetch wraps the real reason
 * ("fetch failed" around ECONNREFUSED, or around undici's "other side closed"). An errno code
 * reads best; undici's own codes (UND_ERR_…) do not, so their message is used instead.
 */
export function rootCauseOf(error: unknown): string {
  let current = error as Caused | undefined
  for (let depth = 0; depth < 8 && current?.cause && typeof current.cause === 'object'; depth++) current = current.cause as Caused
  const code = typeof current?.code === 'string' ? current.code : undefined
  const message = typeof current?.message === 'string' ? current.message : String(error)
  return code && /^E[A-Z0-9]+$/.test(code) ? code : message
}

/**
 * Causes that a server restarting, reloading or briefly overloaded gives, and that a moment later
 * may not: reset, refused, or closed before it answered ("socket hang up" in Node's http,
 * "other side closed" in undici's fetch).
 */
const PASSING_CAUSES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'socket hang up', 'other side closed'])

/** Whether the connection failed in a way that trying again may mend. */
export function isPassingConnectionFault(error: unknown): boolean {
  return PASSING_CAUSES.has(rootCauseOf(error))
}

export function isConnectionRefused(error: unknown): boolean {
  return rootCauseOf(error) === 'ECONNREFUSED'
}

/**
 * Node's fetch refuses, before it connects, the ports the fetch standard blocks (9, 6000,
 * 6665–6669, …), with the bare cause "bad port": said plainly, since no wait can change it.
 */
export function badPortMessage(error: unknown, url: string): string | undefined {
  if (rootCauseOf(error) !== 'bad port') return undefined
  return `port ${new URL(url).port} is on the fetch standard's list of bad ports, which Node's fetch refuses to connect to; run the server on another port`
}
