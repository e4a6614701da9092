// Replays the suite's cases against the server through the `openai` SDK, streamed, and times
// each sample twice: as the server reports it and as the client saw the stream. Cases whose
// figures are not checked may share the server, up to its slots; the others never do.
import OpenAI from 'openai'
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions'
import { badPortMessage, isPassingConnectionFault, rootCauseOf } from './errors.js'
import type { ClientFigures, SampleResult, ServerFigures } from './results.js'
import { originOf, WAIT_NOTICE_EVERY_MS } from './server/probe.js'
import type { Engine } from './server/types.js'
import type { SuiteCase } from './suite/index.js'

export interface ReplayTarget {
  baseUrl: string
  apiKey: string
  model: string
  engine: Engine
  /** Per-request limit in ms. */
  requestTimeoutMs: number
  /** How long the warm-up waits while the server answers 503 (still loading its model), in ms: the server timeout. */
  readyTimeoutMs?: number
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
      // Kept so anyone can recompute the figures from the results file: predicted_n over predicted_ms.
      ...(finite(timings.predicted_ms) ? { predictedMs: timings.predicted_ms } : {}),
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

/** server-timeout's default, for a target that does not give its own. */
const DEFAULT_READY_TIMEOUT_MS = 300_000

/**
 * The waits before each new try of a fault that may pass (5xx, a reset, a refused or dropped
 * connection): 3.5 s in all, time for a server to get over a hiccup. One that stays away fails
 * the sample with its last error.
 */
const RETRY_DELAYS_MS = [500, 1000, 2000]

/** How often the warm-up asks again while the server loads its model. */
const LOADING_POLL_MS = 1000

/** How long the slot count may take to read: a server that is up answers /props at once. */
const PROPS_TIMEOUT_MS = 5000

/** How much of an answer that is not an event stream its error quotes. */
const QUOTED_CHARS = 200

/** What the client saw of a response body, watched below the SDK, which keeps [DONE] to itself. */
interface BodyWatch {
  /** Body chunks the network has delivered so far. */
  reads: number
  /** A `data: [DONE]` line arrived. */
  done: boolean
  /** The body's first characters, to say what arrived when it was not an event stream. */
  head: string
}

const watches = new WeakMap<Response, BodyWatch>()

/**
 * fetch, with each successful answer's body read through a watch. The body is pulled only when
 * the SDK asks for more (high-water mark 0), so while the SDK hands out the chunks of one read,
 * `reads` is that read's number.
 */
async function watchedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init)
  if (!response.ok || !response.body || response.status === 204 || response.status === 205) return response
  const watch: BodyWatch = { reads: 0, done: false, head: '' }
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let partialLine = ''
  const sawDone = (lines: string[]) => lines.some((line) => /^data: ?\[DONE\]/.test(line))
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read()
        if (done) {
          if (sawDone([partialLine])) watch.done = true
          return controller.close()
        }
        watch.reads++
        const text = decoder.decode(value, { stream: true })
        if (watch.head.length < QUOTED_CHARS * 2) watch.head += text.slice(0, QUOTED_CHARS * 2 - watch.head.length)
        const lines = (partialLine + text).split(/\r\n|\r|\n/)
        // Only a line's start can make it [DONE]: a long one is not kept whole.
        partialLine = (lines.pop() ?? '').slice(0, 16)
        if (sawDone(lines)) watch.done = true
        controller.enqueue(value)
      },
      cancel: (reason) => reader.cancel(reason)
    },
    { highWaterMark: 0 }
  )
  const watched = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
  watches.set(watched, watch)
  return watched
}

/**
 * The SDK client for a target. `ownConnections` sends every request on a connection of its own
 * (`Connection: close`): with several streams in flight llama-server closes kept-alive
 * connections as soon as a response ends, and a request sent on one as it closes fails with
 * "other side closed" (measured: 5 of 40 samples, each then retried half a second later).
 * llama-server closes a streamed response's connection even one request at a time, so against it
 * every request has its own: reaching for the closed one cost 0.7 ms a request (BENCHMARKS.md).
 */
export function createClient(target: ReplayTarget, { ownConnections = target.engine === 'llama.cpp' } = {}): OpenAI {
  return new OpenAI({
    baseURL: target.baseUrl,
    // The SDK insists on a key; local servers mostly take none.
    apiKey: target.apiKey || 'not-needed',
    // Replay tries again itself: only faults that may pass, and it counts the tries on the sample.
    maxRetries: 0,
    timeout: target.requestTimeoutMs,
    // The SDK would print a broken stream's raw text with console.error: server text reaching the
    // log unescaped. The sample's error already says what broke.
    logLevel: 'off',
    fetch: watchedFetch,
    ...(ownConnections ? { defaultHeaders: { connection: 'close' } } : {})
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
export type RequestFailureKind = NonNullable<SampleResult['errorKind']>

export interface RequestFailure {
  kind: RequestFailureKind
  message: string
  /** The status of an HTTP error answer. */
  status?: number
  /** The fault may pass (5xx, a reset, a refused or dropped connection): worth another try. */
  transient?: true
}

const CANCELLED: RequestFailure = { kind: 'cancelled', message: 'cancelled' }

export function classifyRequestError(error: unknown, baseUrl: string): RequestFailure {
  if (error instanceof OpenAI.APIConnectionTimeoutError) return { kind: 'timeout', message: `no answer from ${baseUrl} within the request timeout` }
  const transient = isPassingConnectionFault(error) ? { transient: true as const } : {}
  if (error instanceof OpenAI.APIConnectionError) {
    return { kind: 'connection', message: badPortMessage(error, baseUrl) ?? `lost the connection to ${baseUrl}: ${rootCauseOf(error)}`, ...transient }
  }
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    return {
      kind: 'http',
      message: `${baseUrl} answered HTTP ${error.status}: ${error.message.replace(/^\d+\s*/, '')}`,
      status: error.status,
      ...(error.status >= 500 ? { transient: true as const } : {})
    }
  }
  // The answer had begun, so the server was there: the run goes on, and a reset is still worth another try.
  return { kind: 'stream', message: `the stream from ${baseUrl} broke off: ${rootCauseOf(error)}`, ...transient }
}

/**
 * Decode tokens/s as the client saw the stream: tokens after the first, over the time from the
 * first to the last content chunk. The servers count the end-of-generation token, which is never
 * streamed, so an answer that stopped by itself had one token fewer in that window.
 *
 * That times decoding only if the tokens arrived as they were made. llama-server sends one token
 * per event as it decodes it (its transcripts in __tests__/fixtures/llama-server: 20 content
 * events for 21 predicted tokens, the 21st the end of generation), merging a few only while it
 * holds back a split UTF-8 character or a possible stop word. A proxy or a server that buffers
 * delivers many tokens per network read, and the window then times the network, not the model:
 * 20 tokens read within 0.2 ms would be 95,000 tokens/s. So the rule: a figure only when the
 * content came in at least one network read per two tokens streamed.
 */
export function clientDecodeRate(stream: {
  counted: number | undefined
  finishReason: string | null
  contentChunks: number
  contentReads: number
  firstAt: number | null
  lastAt: number | null
}): Pick<ClientFigures, 'tokensPerSecond' | 'unavailable'> {
  const { counted, finishReason, contentChunks, contentReads, firstAt, lastAt } = stream
  const streamed = counted === undefined ? contentChunks : finishReason === 'stop' ? counted - 1 : counted
  if (streamed < 2) return { tokensPerSecond: null, unavailable: 'fewer than two tokens streamed' }
  const windowMs = firstAt !== null && lastAt !== null ? lastAt - firstAt : 0
  if (contentReads * 2 < streamed || windowMs <= 0) {
    return { tokensPerSecond: null, unavailable: `${streamed} tokens arrived in ${contentReads} network ${contentReads === 1 ? 'read' : 'reads'}: the stream was buffered on the way` }
  }
  return { tokensPerSecond: ((streamed - 1) * 1000) / windowMs }
}

/** What one request brought back, before it is read as a sample. */
interface Answer {
  text: string
  finishReason: string | null
  usage: SampleResult['usage']
  timings?: LlamaTimings
  stats?: LmStudioStats
  /** Chunks the SDK parsed, with content or not. */
  chunks: number
  contentChunks: number
  /** Network reads that carried content. */
  contentReads: number
  sentAt: number
  firstAt: number | null
  lastAt: number | null
  totalMs: number
  failure?: RequestFailure
}

/** Server text in a message: on one line, and no more than QUOTED_CHARS of it. */
function quoted(text: string): string {
  const flat = text.replace(/[\p{Cc}\s]+/gu, ' ').trim()
  if (!flat) return '(an empty body)'
  return flat.length > QUOTED_CHARS ? `${flat.slice(0, QUOTED_CHARS)}…` : flat
}

/**
 * A 200 answer that still brought no finished stream: a server that ignored `stream: true` (a
 * JSON chat completion), a proxy's page, or a stream cut between two chunks, which the SDK ends as
 * quietly as a finished one. A finish reason or [DONE], either, says the answer was complete.
 */
function unfinished(answer: Answer, watch: BodyWatch | undefined, contentType: string | null, baseUrl: string): RequestFailure | undefined {
  const done = watch?.done ?? false
  if (answer.chunks === 0 && !done) {
    const ignored = /json/i.test(contentType ?? '') ? ' (the server ignored stream: true)' : ''
    return {
      kind: 'stream',
      message: `the answer from ${baseUrl} is not an event stream${ignored}: content-type ${contentType ?? '(none)'}, starting ${quoted(watch?.head ?? '')}`
    }
  }
  if (!done && answer.finishReason === null) {
    // On a connection of its own a body may end by the connection's close, so a server dying
    // mid-stream looks like this rather than a reset: a fault that may pass, like the reset.
    return {
      kind: 'stream',
      message: `the stream from ${baseUrl} ended after ${answer.chunks} ${answer.chunks === 1 ? 'chunk' : 'chunks'} without a finish reason or [DONE]: the server may have died or a proxy cut it off`,
      transient: true
    }
  }
  return undefined
}

/** One request, streamed to its end. Never throws: a failure is kept with what arrived before it. */
async function sendRequest(client: OpenAI, target: ReplayTarget, body: ChatCompletionCreateParamsStreaming, signal: AbortSignal | undefined): Promise<Answer> {
  let watch: BodyWatch | undefined
  let contentType: string | null = null
  let deadline: NodeJS.Timeout | undefined
  let cutOff = false
  const timeoutMessage = `no answer from ${target.baseUrl} within the request timeout (${target.requestTimeoutMs / 1000} s)`
  // The run's cancel and the time limit both end the request through one controller of its own;
  // the SDK's listener then hangs on it, not on the run's signal, which would gather one per sample.
  const stop = new AbortController()
  const cancel = () => stop.abort()
  signal?.addEventListener('abort', cancel, { once: true })
  if (signal?.aborted) stop.abort()
  const answer: Answer = { text: '', finishReason: null, usage: null, chunks: 0, contentChunks: 0, contentReads: 0, sentAt: performance.now(), firstAt: null, lastAt: null, totalMs: 0 }
  try {
    const { data: stream, response } = await client.chat.completions.create(body, { signal: stop.signal }).withResponse()
    watch = watches.get(response)
    contentType = response.headers.get('content-type')
    // The SDK's timeout ends once headers arrive; a stream that then stalls is cut here, so the
    // request timeout bounds the whole sample.
    const remaining = Math.max(0, target.requestTimeoutMs - (performance.now() - answer.sentAt))
    deadline = setTimeout(() => {
      cutOff = true
      stop.abort()
    }, remaining)
    let lastRead = -1
    for await (const raw of stream) {
      const chunk = raw as ChunkWithFigures
      const now = performance.now()
      answer.chunks++
      const choice = chunk.choices?.[0]
      const content = choice?.delta?.content
      if (content) {
        answer.firstAt ??= now
        answer.lastAt = now
        answer.contentChunks++
        answer.text += content
        if (watch && watch.reads !== lastRead) {
          answer.contentReads++
          lastRead = watch.reads
        }
      }
      if (choice?.finish_reason) answer.finishReason = choice.finish_reason
      if (chunk.usage) answer.usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens }
      if (chunk.timings) answer.timings = chunk.timings
      if (chunk.stats) answer.stats = chunk.stats
    }
  } catch (caught) {
    // Nothing else aborts a request as the time limit runs out, so a failure then is the timeout,
    // whichever class the SDK made of it.
    const timedOut = cutOff || (caught instanceof OpenAI.APIConnectionError && performance.now() - answer.sentAt >= target.requestTimeoutMs * 0.95)
    answer.failure = timedOut ? { kind: 'timeout', message: timeoutMessage } : classifyRequestError(caught, target.baseUrl)
  } finally {
    clearTimeout(deadline)
    signal?.removeEventListener('abort', cancel)
  }
  answer.totalMs = performance.now() - answer.sentAt
  // An aborted stream ends its iteration quietly; a cancelled run outranks whatever else broke.
  if (signal?.aborted) answer.failure = CANCELLED
  else if (cutOff) answer.failure = { kind: 'timeout', message: timeoutMessage }
  else answer.failure ??= unfinished(answer, watch, contentType, target.baseUrl)
  return answer
}

/** The sample one answer makes; a cancelled one has no figures, since nothing was timed to its end. */
function sampleOf(answer: Answer, index: number, retries: number): SampleResult {
  const { failure } = answer
  const cancelled = failure?.kind === 'cancelled'
  const client: ClientFigures = {
    ttftMs: !cancelled && answer.firstAt !== null ? answer.firstAt - answer.sentAt : null,
    // The first token is excluded, as the servers count decode speed.
    ...(cancelled
      ? { tokensPerSecond: null }
      : clientDecodeRate({ ...answer, counted: answer.usage?.completionTokens ?? answer.timings?.predicted_n })),
    totalMs: answer.totalMs,
    contentChunks: answer.contentChunks
  }
  const server = cancelled ? null : serverFiguresOf(answer.timings, answer.stats)
  const serverRate = server?.tokensPerSecond
  const serverTtft = server?.ttftMs
  return {
    index,
    text: answer.text,
    finishReason: answer.finishReason,
    usage: answer.usage,
    tokensPerSecond: serverRate ?? client.tokensPerSecond,
    tokensPerSecondSource: serverRate !== undefined ? 'server' : client.tokensPerSecond !== null ? 'client' : null,
    // One rule for both figures: the server's own when it reports one, else the client's.
    ttftMs: serverTtft ?? client.ttftMs,
    ttftSource: serverTtft !== undefined ? 'server' : client.ttftMs !== null ? 'client' : null,
    server,
    client,
    ...(failure ? { error: failure.message, errorKind: failure.kind } : {}),
    ...(retries > 0 ? { retries } : {})
  }
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false)
    const onAbort = () => {
      clearTimeout(timer)
      resolve(false)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve(true)
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`

/**
 * One measured sample, tried again after each of RETRY_DELAYS_MS while its fault may pass. Never
 * on a timeout, which would cost another full request timeout, nor on a 4xx, which would only
 * repeat. Only the last try is timed.
 */
async function measureSample(
  client: OpenAI,
  target: ReplayTarget,
  suiteCase: SuiteCase,
  index: number,
  signal?: AbortSignal
): Promise<{ sample: SampleResult; failure?: RequestFailure }> {
  for (let retries = 0; ; retries++) {
    const answer = await sendRequest(client, target, requestOf(target, suiteCase), signal)
    const delay = answer.failure?.transient ? RETRY_DELAYS_MS[retries] : undefined
    if (delay === undefined) return { sample: sampleOf(answer, index, retries), failure: answer.failure }
    if (!(await pause(delay, signal))) return { sample: sampleOf({ ...answer, failure: CANCELLED }, index, retries), failure: CANCELLED }
  }
}

/** One measured request. Never throws: a failure is kept on the sample with what arrived before it. */
export async function replaySample(client: OpenAI, target: ReplayTarget, suiteCase: SuiteCase, index: number): Promise<SampleResult> {
  return (await measureSample(client, target, suiteCase, index)).sample
}

export interface ReplayProgress {
  onSample?(suiteCase: SuiteCase, sample: SampleResult): void
  /** Told when the warm-up starts waiting for the server to load its model, and every 15 s while it waits. */
  onWait?(message: string): void
  /** Aborts the request in flight and starts no other; what was measured before is kept. */
  signal?: AbortSignal
}

/**
 * A short request that loads caches and kernels before anything is measured; not counted. A
 * server that answers 503 is still loading its model (llama-server's "Loading model", even once
 * its model list answers): that is waited for, up to the server timeout.
 */
async function warmUp(client: OpenAI, target: ReplayTarget, suiteCase: SuiteCase, progress: ReplayProgress): Promise<RequestFailure | undefined> {
  const readyTimeoutMs = target.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS
  const startedAt = performance.now()
  let retries = 0
  let noticedAt: number | undefined
  for (;;) {
    // Drained to the end: the server must be idle again before anything is measured.
    const { failure } = await sendRequest(client, target, requestOf(target, suiteCase, Math.min(16, suiteCase.maxTokens)), progress.signal)
    if (!failure || failure.kind === 'cancelled') return failure
    const now = performance.now()
    const waited = now - startedAt
    let delay: number | undefined
    if (failure.status === 503) {
      if (waited >= readyTimeoutMs) return { ...failure, message: `${failure.message}, still after ${seconds(readyTimeoutMs)} of waiting for the model to load` }
      if (noticedAt === undefined || now - noticedAt >= WAIT_NOTICE_EVERY_MS) {
        const still = noticedAt === undefined ? 'waiting up to' : `waited ${seconds(waited)} of up to`
        progress.onWait?.(`${failure.message}; ${still} ${seconds(readyTimeoutMs)} for the model to load`)
        noticedAt = now
      }
      delay = Math.min(LOADING_POLL_MS, readyTimeoutMs - waited)
    } else if (failure.transient) delay = RETRY_DELAYS_MS[retries++]
    if (delay === undefined) return failure
    if (!(await pause(delay, progress.signal))) return CANCELLED
  }
}

export interface ReplayOutcome {
  samples: Map<string, SampleResult[]>
  abortedBy?: string
  /** The run's signal aborted: the sample in flight is marked cancelled, and no other started. */
  cancelled?: true
}

/** Takes `count` more samples of one case, numbered from `fromIndex`; stops when the server is gone or the run is cancelled. */
export async function replayMore(
  target: ReplayTarget,
  suiteCase: SuiteCase,
  fromIndex: number,
  count: number,
  progress: ReplayProgress = {}
): Promise<{ samples: SampleResult[]; abortedBy?: string; cancelled?: true }> {
  const client = createClient(target)
  const samples: SampleResult[] = []
  for (let index = fromIndex; index < fromIndex + count; index++) {
    if (progress.signal?.aborted) return { samples, cancelled: true }
    const { sample, failure } = await measureSample(client, target, suiteCase, index, progress.signal)
    samples.push(sample)
    progress.onSample?.(suiteCase, sample)
    if (failure?.kind === 'cancelled') return { samples, cancelled: true }
    if (failure?.kind === 'connection') return { samples, abortedBy: failure.message }
  }
  return { samples }
}

/** How replayCases shares the server among the cases. */
export interface ReplaySharing {
  /** Most samples in flight at once for the cases that need not run alone. */
  concurrency: number
  /** Whether a case's figures are checked: each of its samples then runs with nothing else in flight. */
  runsAlone(suiteCase: SuiteCase): boolean
}

/** A run that shares nothing: every sample alone, in the suite's order. */
const ONE_AT_A_TIME: ReplaySharing = { concurrency: 1, runsAlone: () => true }

/**
 * Replays every case × repeat. With concurrency 1 (the default) one sample at a time, in the
 * suite's order. Above it, the cases that run alone go first, each sample with nothing else in
 * flight, so their speed figures are the server's alone; then the others, up to `concurrency`
 * samples at once. Stops early when the server is gone: a connection failure makes every later
 * sample fail the same way, and the samples already taken are kept; so does a cancelled run.
 */
export async function replayCases(
  target: ReplayTarget,
  cases: readonly SuiteCase[],
  progress: ReplayProgress = {},
  repeatOf: (suiteCase: SuiteCase) => number = (suiteCase) => suiteCase.repeat,
  sharing: ReplaySharing = ONE_AT_A_TIME
): Promise<ReplayOutcome> {
  const samples = new Map<string, SampleResult[]>(cases.map((c) => [c.id, []]))
  if (cases[0]) {
    const failure = await warmUp(createClient(target), target, cases[0], progress)
    if (failure?.kind === 'cancelled') return { samples, cancelled: true }
    if (failure) return { samples, abortedBy: `warm-up request failed: ${failure.message}` }
  }
  const shares = sharing.concurrency > 1
  const alone = shares ? cases.filter((c) => sharing.runsAlone(c)) : cases
  for (const suiteCase of alone) {
    const taken = await replayMore(target, suiteCase, 0, repeatOf(suiteCase), progress)
    samples.set(suiteCase.id, taken.samples)
    if (taken.cancelled) return { samples, cancelled: true }
    if (taken.abortedBy) return { samples, abortedBy: taken.abortedBy }
  }
  if (!shares) return { samples }
  const together = cases.filter((c) => !sharing.runsAlone(c))
  return { samples, ...(await replayTogether(target, together, progress, repeatOf, sharing.concurrency, samples)) }
}

/**
 * Every sample of `cases`, up to `concurrency` in flight at once, started in the suite's order.
 * Once a sample finds the server gone, or the run is cancelled, no other starts; those in flight
 * finish (a cancelled one at once) and are kept, so each case keeps its first samples.
 */
async function replayTogether(
  target: ReplayTarget,
  cases: readonly SuiteCase[],
  progress: ReplayProgress,
  repeatOf: (suiteCase: SuiteCase) => number,
  concurrency: number,
  samples: Map<string, SampleResult[]>
): Promise<Omit<ReplayOutcome, 'samples'>> {
  const client = createClient(target, { ownConnections: true })
  const queue = cases.flatMap((suiteCase) => Array.from({ length: repeatOf(suiteCase) }, (_, index) => ({ suiteCase, index })))
  let next = 0
  let abortedBy: string | undefined
  let cancelled = false
  const worker = async () => {
    while (next < queue.length && abortedBy === undefined && !cancelled && !progress.signal?.aborted) {
      const { suiteCase, index } = queue[next++]!
      const { sample, failure } = await measureSample(client, target, suiteCase, index, progress.signal)
      samples.get(suiteCase.id)!.push(sample)
      progress.onSample?.(suiteCase, sample)
      if (failure?.kind === 'cancelled') cancelled = true
      else if (failure?.kind === 'connection') abortedBy ??= failure.message
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker))
  // Samples finish in any order; a case's are kept in the order they were asked for.
  for (const suiteCase of cases) samples.get(suiteCase.id)!.sort((a, b) => a.index - b.index)
  if (cancelled || progress.signal?.aborted) return { cancelled: true }
  return abortedBy === undefined ? {} : { abortedBy }
}

/**
 * The requests a llama-server answers at once: its slots (`/props` `total_slots`, set by
 * `-np`). Undefined for another engine, or when the server does not say.
 */
export async function serverSlots(target: Pick<ReplayTarget, 'baseUrl' | 'apiKey' | 'engine'>): Promise<number | undefined> {
  if (target.engine !== 'llama.cpp') return undefined
  try {
    const response = await fetch(`${originOf(target.baseUrl)}/props`, {
      headers: target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {},
      signal: AbortSignal.timeout(PROPS_TIMEOUT_MS)
    })
    if (!response.ok) return undefined
    const slots = ((await response.json()) as { total_slots?: unknown }).total_slots
    return typeof slots === 'number' && Number.isInteger(slots) && slots >= 1 ? slots : undefined
  } catch {
    return undefined
  }
}
