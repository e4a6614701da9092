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
