// Replays the suite's cases against the server through the `openai` SDK, streamed, and times
// each sample twice: as the server reports it and as the client saw the stream.
import OpenAI from 'openai'
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions'
import { rootCauseOf } from './errors.js'
import type { SampleResult, ServerFigures } from './results.js'
import type { Engine } from './server/types.js'
import type { SuiteCase } from './suite/index.js'

export interface ReplayTarget {
  baseUrl: string
  apiKey: string
  model: string
  engine: Engine
  /** Per-request limit in ms. */
  requestTimeoutMs: number
}

/** llama.cpp's `timings`, on the last chunk before [DONE]. */
interface LlamaTimings {
  prompt_n?: number
  prompt_ms?: number
  prompt_per_second?: number
  predicted_n?: number
  predicted_ms?: number
  predicted_per_second?: number
  cache_n?: number
}

/** LM Studio's `stats` (seconds, not ms). */
interface LmStudioStats {
  tokens_per_second?: number
  time_to_first_token?: number
  generation_time?: number
  stop_reason?: string
}

type ChunkWithFigures = ChatCompletionChunk & { timings?: LlamaTimings; stats?: LmStudioStats }

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

export function serverFiguresOf(timings: LlamaTimings | undefined, stats: LmStudioStats | undefined): ServerFigures | null {
  if (timings) {
    return {
      ...(finite(timings.predicted_per_second) && (timings.predicted_n ?? 0) > 1 ? { tokensPerSecond: timings.predicted_per_second } : {}),
      ...(finite(timings.prompt_ms) ? { ttftMs: timings.prompt_ms } : {}),
      ...(finite(timings.prompt_per_second) ? { promptTokensPerSecond: timings.prompt_per_second } : {}),
      ...(finite(timings.predicted_n) ? { predictedTokens: timings.predicted_n } : {}),
      ...(finite(timings.prompt_n) ? { promptTokens: timings.prompt_n } : {}),
      ...(finite(timings.cache_n) ? { cachedTokens: timings.cache_n } : {})
    }
  }
  if (stats) {
    return {
      ...(finite(stats.tokens_per_second) ? { tokensPerSecond: stats.tokens_per_second } : {}),
      ...(finite(stats.time_to_first_token) ? { ttftMs: stats.time_to_first_token * 1000 } : {})
    }
  }
  return null
}

export function createClient(target: ReplayTarget, maxRetries: number): OpenAI {
  return new OpenAI({
    baseURL: target.baseUrl,
    // The SDK insists on a key; local servers mostly take none.
    apiKey: target.apiKey || 'not-needed',
    maxRetries,
    timeout: target.requestTimeoutMs,
    // The SDK would print a broken stream's raw text with console.error: server text reaching the
    // log unescaped. The sample's error already says what broke.
    logLevel: 'off'
  })
}

function requestOf(target: ReplayTarget, suiteCase: SuiteCase, maxTokens = suiteCase.maxTokens): ChatCompletionCreateParamsStreaming {
  return {
    model: target.model,
    messages: suiteCase.messages,
    temperature: suiteCase.temperature,
    max_tokens: maxTokens,
    ...(suiteCase.seed !== undefined ? { seed: suiteCase.seed } : {}),
    ...(suiteCase.topP !== undefined ? { top_p: suiteCase.topP } : {}),
    stream: true,
    stream_options: { include_usage: true },
    // Without this llama-server reuses the previous sample's prompt and its prompt speed is inflated.
    ...(target.engine === 'llama.cpp' ? { cache_prompt: false } : {})
  }
}

/** Why a request failed: `connection` means the server is gone, so later samples would fail alike. */
export type RequestFailureKind = 'timeout' | 'connection' | 'http' | 'stream'

export interface RequestFailure {
  kind: RequestFailureKind
  message: string
}

export function classifyRequestError(error: unknown, baseUrl: string): RequestFailure {
  if (error instanceof OpenAI.APIConnectionTimeoutError) return { kind: 'timeout', message: `no answer from ${baseUrl} within the request timeout` }
  if (error instanceof OpenAI.APIConnectionError) {
    return { kind: 'connection', message: `lost the connection to ${baseUrl}: ${rootCauseOf(error)}` }
  }
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    return { kind: 'http', message: `${baseUrl} answered HTTP ${error.status}: ${error.message.replace(/^\d+\s*/, '')}` }
  }
  const message = (error as Error)?.message ?? String(error)
  return { kind: 'stream', message: `the stream from ${baseUrl} broke off: ${message}` }
}

export function describeRequestError(error: unknown, baseUrl: string): string {
  return classifyRequestError(error, baseUrl).message
}

/**
 * Decode tokens/s as the client saw the stream: tokens after the first, over the time from the
 * first to the last content chunk. The servers count the end-of-generation token, which is never
 * streamed, so an answer that stopped by itself had one token fewer in that window.
 */
export function clientDecodeRate(stream: { counted: number | undefined; finishReason: string | null; contentChunks: number; firstAt: number | null; lastAt: number | null }): number | null {
  const { counted, finishReason, contentChunks, firstAt, lastAt } = stream
  const streamed = counted === undefined ? contentChunks : finishReason === 'stop' ? counted - 1 : counted
  const windowMs = firstAt !== null && lastAt !== null ? lastAt - firstAt : 0
  return streamed > 1 && windowMs > 0 ? ((streamed - 1) * 1000) / windowMs : null
}

/** One measured request. Never throws: a failure is kept on the sample with what arrived before it. */
export async function replaySample(client: OpenAI, target: ReplayTarget, suiteCase: SuiteCase, index: number): Promise<SampleResult> {
  return (await measureSample(client, target, suiteCase, index)).sample
}

async function measureSample(client: OpenAI, target: ReplayTarget, suiteCase: SuiteCase, index: number): Promise<{ sample: SampleResult; failure?: RequestFailure }> {
  let text = ''
  let finishReason: string | null = null
  let usage: SampleResult['usage'] = null
  let timings: LlamaTimings | undefined
  let stats: LmStudioStats | undefined
  let firstAt: number | null = null
  let lastAt: number | null = null
  let contentChunks = 0
  let failure: RequestFailure | undefined
  let deadline: NodeJS.Timeout | undefined
  let cutOff = false
  const timeoutMessage = `no answer from ${target.baseUrl} within the request timeout (${target.requestTimeoutMs / 1000} s)`
  // Nothing aborts a request but the time limit, so a failure as it runs out is the timeout,
  // whichever class the SDK made of the abort.
  const sentAt = performance.now()
  try {
    const stream = await client.chat.completions.create(requestOf(target, suiteCase))
    // The SDK's timeout ends once headers arrive; a stream that then stalls is cut here, so the
    // request timeout bounds the whole sample.
    const remaining = Math.max(0, target.requestTimeoutMs - (performance.now() - sentAt))
    deadline = setTimeout(() => {
      cutOff = true
      stream.controller.abort()
    }, remaining)
    for await (const raw of stream) {
      const chunk = raw as ChunkWithFigures
      const now = performance.now()
      const choice = chunk.choices?.[0]
      const content = choice?.delta?.content
      if (content) {
        firstAt ??= now
        lastAt = now
        contentChunks++
        text += content
      }
      if (choice?.finish_reason) finishReason = choice.finish_reason
      if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens }
      if (chunk.timings) timings = chunk.timings
      if (chunk.stats) stats = chunk.stats
    }
  } catch (caught) {
    const timedOut = cutOff || (caught instanceof OpenAI.APIConnectionError && performance.now() - sentAt >= target.requestTimeoutMs * 0.95)
    failure = timedOut ? { kind: 'timeout', message: timeoutMessage } : classifyRequestError(caught, target.baseUrl)
  } finally {
    clearTimeout(deadline)
  }
  // An aborted stream ends its iteration quietly.
  if (cutOff) failure = { kind: 'timeout', message: timeoutMessage }
  const totalMs = performance.now() - sentAt
  const clientFigures = {
    ttftMs: firstAt !== null ? firstAt - sentAt : null,
    // The first token is excluded, as the servers count decode speed.
    tokensPerSecond: clientDecodeRate({ counted: usage?.completionTokens ?? timings?.predicted_n, finishReason, contentChunks, firstAt, lastAt }),
    totalMs,
    contentChunks
  }
  const server = serverFiguresOf(timings, stats)
  const serverRate = server?.tokensPerSecond
  const serverTtft = server?.ttftMs
  const sample: SampleResult = {
    index,
    text,
    finishReason,
    usage,
    tokensPerSecond: serverRate ?? clientFigures.tokensPerSecond,
    tokensPerSecondSource: serverRate !== undefined ? 'server' : clientFigures.tokensPerSecond !== null ? 'client' : null,
    // One rule for both figures: the server's own when it reports one, else the client's.
    ttftMs: serverTtft ?? clientFigures.ttftMs,
    ttftSource: serverTtft !== undefined ? 'server' : clientFigures.ttftMs !== null ? 'client' : null,
    server,
    client: clientFigures,
    ...(failure ? { error: failure.message } : {})
  }
  return { sample, ...(failure ? { failure } : {}) }
}

/** A short request that loads caches and kernels before anything is measured; not counted. */
export async function warmUp(client: OpenAI, target: ReplayTarget, suiteCase: SuiteCase): Promise<void> {
  const stream = await client.chat.completions.create(requestOf(target, suiteCase, Math.min(16, suiteCase.maxTokens)))
  // Drained to the end: the server must be idle again before anything is measured.
  for await (const chunk of stream) void chunk
}

export interface ReplayProgress {
  onSample?(suiteCase: SuiteCase, sample: SampleResult): void
}

export interface ReplayOutcome {
  samples: Map<string, SampleResult[]>
  abortedBy?: string
}

/** Takes `count` more samples of one case, numbered from `fromIndex`; stops when the server is gone. */
export async function replayMore(
  target: ReplayTarget,
  suiteCase: SuiteCase,
  fromIndex: number,
  count: number,
  progress: ReplayProgress = {}
): Promise<{ samples: SampleResult[]; abortedBy?: string }> {
  const client = createClient(target, 0)
  const samples: SampleResult[] = []
  for (let index = fromIndex; index < fromIndex + count; index++) {
    const { sample, failure } = await measureSample(client, target, suiteCase, index)
    samples.push(sample)
    progress.onSample?.(suiteCase, sample)
    if (failure?.kind === 'connection') return { samples, abortedBy: failure.message }
  }
  return { samples }
}

/**
 * Replays every case × repeat one at a time (speed is measured, so samples must not share the
 * server). Stops early when the server is gone: a connection failure makes every later sample
 * fail the same way, and the samples already taken are kept.
 */
export async function replayCases(
  target: ReplayTarget,
  cases: readonly SuiteCase[],
  progress: ReplayProgress = {},
  repeatOf: (suiteCase: SuiteCase) => number = (suiteCase) => suiteCase.repeat
): Promise<ReplayOutcome> {
  const samples = new Map<string, SampleResult[]>(cases.map((c) => [c.id, []]))
  if (cases[0]) {
    try {
      await warmUp(createClient(target, 2), target, cases[0])
    } catch (error) {
      return { samples, abortedBy: `warm-up request failed: ${describeRequestError(error, target.baseUrl)}` }
    }
  }
  for (const suiteCase of cases) {
    const taken = await replayMore(target, suiteCase, 0, repeatOf(suiteCase), progress)
    samples.set(suiteCase.id, taken.samples)
    if (taken.abortedBy) return { samples, abortedBy: taken.abortedBy }
  }
  return { samples }
}
