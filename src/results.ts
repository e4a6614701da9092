// The one results type: what replay measured, what the checks decided, and what ran. It is
// written as JSON to `results-file`, rendered to Markdown, and turned into outputs.
import type { Comparison } from './compare/types.js'
import type { Fingerprint } from './environment/fingerprint.js'
import type { ModelFacts } from './environment/model.js'
import type { ShardOf } from './options.js'

/** Where a figure came from: the server's own report, or the client's timing of the stream. */
export type FigureSource = 'server' | 'client'

export interface ServerFigures {
  /** Decode rate, first token excluded (llama.cpp `timings.predicted_per_second`, LM Studio `stats.tokens_per_second`). */
  tokensPerSecond?: number
  /** Time to first token in ms (llama.cpp `timings.prompt_ms`, LM Studio `stats.time_to_first_token`). */
  ttftMs?: number
  promptTokensPerSecond?: number
  predictedTokens?: number
  /** The server's decode time for them, in ms (llama.cpp `timings.predicted_ms`). */
  predictedMs?: number
  promptTokens?: number
  cachedTokens?: number
}

export interface ClientFigures {
  /** Request sent to first content token, in ms. */
  ttftMs: number | null
  /** (completion tokens − 1) / (last token − first token): decode only, as the servers count it. */
  tokensPerSecond: number | null
  totalMs: number
  contentChunks: number
  /** Why `tokensPerSecond` is null: too few tokens, or a stream that did not arrive token by token. */
  unavailable?: string
}

export interface SampleResult {
  /** 0-based repeat index within its case. */
  index: number
  text: string
  finishReason: string | null
  usage: { promptTokens: number; completionTokens: number } | null
  /** The figure the gate uses: the server's when it reported one, else the client's. */
  tokensPerSecond: number | null
  tokensPerSecondSource: FigureSource | null
  ttftMs: number | null
  ttftSource: FigureSource | null
  server: ServerFigures | null
  client: ClientFigures
  /** Set when the request failed; what was received before the failure stays in `text`. */
  error?: string
  /** What kind of failure `error` is: the server or network (timeout, connection, http), a broken or malformed stream, or a cancelled run. */
  errorKind?: 'timeout' | 'connection' | 'http' | 'stream' | 'cancelled'
  /** Attempts that failed with a transient fault (5xx, 503 loading, reset, refused) before this one; its figures are from the last. */
  retries?: number
}

export interface CheckResult {
  type: string
  passed: boolean
  /** What was expected and what was seen. */
  message: string
  /** 0-based sample index the message is about, when it is about one sample. */
  sample?: number
  /** 1-based line in that sample's text the message points at. */
  line?: number
}

export interface CaseResult {
  id: string
  passed: boolean
  checks: CheckResult[]
  samples: SampleResult[]
  /** Median over the case's measured samples of the figure the gate uses. */
  tokensPerSecond: number | null
  ttftMs: number | null
}

export interface ServerReport {
  /** The backend's name in the registry (src/server/registry.ts). */
  backend: string
  /** What answers at the base URL, as detected (llama.cpp, LM Studio, or another OpenAI-compatible server). */
  engine: 'llama.cpp' | 'lmstudio' | 'openai-compatible'
  baseUrl: string
  model: string
  settings: Record<string, unknown>
  build?: string
  /** The GGUF served; for a model fetched by URL, the URL and where this run got the file. */
  modelFile?: { path: string; sizeBytes: number; sha256: string; facts?: ModelFacts; url?: string; source?: 'local' | 'cache' | 'download' }
  flags?: string[]
  /** Settings the backend could not apply, with the reason. Never silently dropped. */
  notApplied?: { setting: string; reason: string }[]
  /** Last lines of the server's log, kept when something failed. */
  logTail?: string[]
  /** LM Studio: each setting as it went into the load config (`contextLength: 8192`). */
  loadConfig?: Record<string, string>
  /** LM Studio: the `lms` commands run, in order. */
  commands?: string[]
  /** LM Studio: the instance as `lms ps` listed it after the load. */
  loadedAs?: { identifier: string; modelKey: string; path?: string; contextLength?: number }
}

/**
 * What kind of failure failed the gate, so a reader tells a bad model from a broken runner:
 * a failing check, a confirmed slowdown, something around the model (server, network, input),
 * or a cancelled run.
 */
export type FailureKind = 'quality' | 'speed' | 'infrastructure' | 'cancelled'

/** How replay shared the server among the cases. */
export interface ReplaySchedule {
  /** Most samples in flight at once for cases without a speed check. */
  concurrency: number
  /** Where that number came from: the `concurrency` option, the server's slots (llama.cpp `/props` `total_slots`), or 1 when neither said. */
  concurrencySource: 'option' | 'server' | 'default'
  /** Cases with a speed or time-to-first-token check: each of their samples ran with nothing else in flight. */
  aloneCases: number
  /** Cases without one, whose samples ran up to `concurrency` at once when that is above 1. */
  sharedCases: number
}

/** One results file a merge read. */
export interface MergeSource {
  /** Its path under the merge's folder. */
  file: string
  /** The run's label (its model, unless the `label` option named it). */
  label: string
  /** Which shard it replayed; 1/1 for a whole-suite run. */
  shard: ShardOf
  /** Cases it judged. */
  cases: number
  passed: boolean
  /** The error that stopped it early, when one did. */
  stopped?: string
  runner?: string
}

/** What a merge gathered, and what it did not find. */
export interface MergeInfo {
  /** The folder it read, as given. */
  from: string
  sources: MergeSource[]
  /** Shards that left no results file, with the suite's cases they hold. */
  missing: { label: string; shard: ShardOf; cases: string[] }[]
}

export interface RunResults {
  schemaVersion: 1
  passed: boolean
  /** One line saying why the gate passed or failed. */
  reason: string
  suite: { path: string; name?: string }
  startedAt: string
  finishedAt: string
  server: ServerReport | null
  cases: CaseResult[]
  /** Median decode rate over all measured samples. */
  tokensPerSecond: number | null
  /** Which source the gate's speed figures came from ("server", "client" or "mixed"). */
  speedSource: FigureSource | 'mixed' | null
  /** Errors that stopped the run early; results measured before them stay in `cases`. */
  errors: string[]
  /** Set when the gate failed. */
  failureKind?: FailureKind
  /** Set when the run was cancelled (SIGINT, SIGTERM): what was measured before is kept. */
  cancelled?: { signal: string; at: string }
  /** Ids of the suite's cases the run never reached (it stopped or was cancelled first). */
  notRun?: string[]
  /** The machine measured on; a baseline from another machine is not comparable. */
  fingerprint?: Fingerprint
  /** This run against the baseline, when one was looked for. */
  comparison?: Comparison
  /** The run's name among others in a merge (the `label` option, else the `model` option). */
  label?: string
  /** Set on a sharded run: the part of the suite it replayed. */
  shard?: ShardOf
  /** How replay was scheduled. */
  schedule?: ReplaySchedule
  /** Set on merged results: what was read from where. */
  merge?: MergeInfo
  /** A merge of runs with different labels (a model comparison): each one's merged results, in the order first read. */
  variants?: RunResults[]
  /** Of a comparison: the label of the fastest (median decode tokens/s) of the runs that passed every case. */
  best?: string
  environment: {
    modelgateVersion: string
    node: string
    platform: string
    arch: string
    runner?: string
    repository?: string
    sha?: string
    ref?: string
    runUrl?: string
  }
}
