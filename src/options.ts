// The run's options and every name users see, in one place: action.yml, the code and the README
// spell them so. The action reads them as inputs, the CLI as flags (same names, defaults and
// checks); each backend reads its own (registry.ts).
import { BACKENDS, isBackend, readBackendOptions, type Backend, type BackendOptions } from './server/registry.js'

export const Input = {
  Suite: 'suite',
  Server: 'server',
  ApiKey: 'api-key',
  Model: 'model',
  MinTokensPerSecond: 'min-tokens-per-second',
  GithubToken: 'github-token',
  Comment: 'comment',
  CommentTag: 'comment-tag',
  ResultsFile: 'results-file',
  ServerTimeout: 'server-timeout',
  RequestTimeout: 'request-timeout',
  Baseline: 'baseline',
  BaselineFile: 'baseline-file',
  FailOn: 'fail-on',
  MaxSpeedRegression: 'max-speed-regression',
  MaxRepeat: 'max-repeat',
  FailOnInconclusive: 'fail-on-inconclusive',
  Concurrency: 'concurrency',
  Shard: 'shard',
  Mode: 'mode',
  MergeFrom: 'merge-from',
  Label: 'label'
} as const

export const Output = {
  Passed: 'passed',
  CasesPassed: 'cases-passed',
  CasesFailed: 'cases-failed',
  TokensPerSecond: 'tokens-per-second',
  ResultsFile: 'results-file',
  CommentUrl: 'comment-url',
  Regressions: 'regressions',
  Baseline: 'baseline',
  FailureKind: 'failure-kind',
  Best: 'best'
} as const

/** State the main step leaves for the post step; each backend keeps its own names beside it. */
export const State = {
  Backend: 'backend'
} as const

/** What a run needs, whether it came from action inputs or CLI flags. */
export interface RunOptions {
  suitePath: string
  /** Overrides the suite's `server.backend`. */
  backend?: Backend
  apiKey?: string
  model?: string
  minTokensPerSecond?: number
  serverTimeoutMs: number
  requestTimeoutMs: number
  resultsFile: string
  /** Each backend's own options (base-url, llama-server-path, extra-args, …). */
  backends: BackendOptions
  /** `auto`: compare with the baseline, and save one on the default branch; `save`: always save; `off`. */
  baseline: BaselineMode
  /** A results JSON to compare with instead of the stored baselines. */
  baselineFile?: string
  /** `any`: every failing check fails the gate; `new-failures`: only those the baseline passed. */
  failOn: FailOn
  /** A confirmed drop beyond this many percent is a speed regression. */
  maxSpeedRegressionPercent: number
  /** Most samples a speed case takes while its comparison is inconclusive. */
  maxRepeat: number
  failOnInconclusive: boolean
  /**
   * Most samples in flight at once for cases without a speed check; unset: the server's slot
   * count (llama.cpp's `total_slots`), else 1. Speed cases always run alone.
   */
  concurrency?: number
  /** Run only this part of the suite (`2/4`), for a later `merge` to gather. */
  shard?: ShardOf
  /** `run` replays the suite; `merge` gathers the results files of other runs (shards, models) into one report. */
  mode: RunMode
  /** The folder `merge` reads results files from (download-artifact's `path`). */
  mergeFrom?: string
  /** Names this run among others in a merge: a model comparison's column. Default: the model input. */
  label?: string
}

export const BASELINE_MODES = ['auto', 'save', 'off'] as const
export type BaselineMode = (typeof BASELINE_MODES)[number]
export const FAIL_ON = ['any', 'new-failures'] as const
export type FailOn = (typeof FAIL_ON)[number]
export const RUN_MODES = ['run', 'merge'] as const
export type RunMode = (typeof RUN_MODES)[number]

/** Shard `index` of `count` (1-based): the cases whose id hashes there (src/shard/select.ts). */
export interface ShardOf {
  index: number
  count: number
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/**
 * A value as the user gave it, for a message: quoted, on one line and short, so a pasted
 * multi-line value cannot make one error span lines.
 */
function shown(value: string): string {
  const chars = [...value]
  const short = chars.length > 60 ? `${chars.slice(0, 57).join('')}…` : value
  return `'${short.replace(/[\p{Cc}\u2028\u2029]/gu, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`
}

function parseChoice<T extends string>(value: string, allowed: readonly T[], fallback: T, source: string): T {
  const given = value.trim()
  if (given === '') return fallback
  if ((allowed as readonly string[]).includes(given)) return given as T
  throw new Error(`Invalid ${source} ${shown(value)}: expected one of ${allowed.join(', ')}.`)
}

/** The spellings @actions/core's getBooleanInput takes (YAML 1.2's), so an input reads the same either way. */
const TRUE = ['true', 'True', 'TRUE']
const FALSE = ['false', 'False', 'FALSE']

export function parseBoolean(value: string, source: string, fallback = false): boolean {
  const given = value.trim()
  if (given === '') return fallback
  if (TRUE.includes(given)) return true
  if (FALSE.includes(given)) return false
  throw new Error(`Invalid ${source} ${shown(value)}: expected true or false.`)
}

/**
 * A number as a person writes one. `Number` alone also takes `0x1f`, `0b11` and `Infinity`,
 * which nobody means as seconds or percent.
 */
function decimal(value: string): number {
  return /^\+?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value.trim()) ? Number(value) : Number.NaN
}

function parseWholeNumber(value: string, source: string, fallback: number, most: number): number {
  if (value.trim() === '') return fallback
  const n = decimal(value)
  if (!Number.isInteger(n) || n < 1 || n > most) throw new Error(`Invalid ${source} ${shown(value)}: expected a whole number from 1 to ${most}.`)
  return n
}

export function parseBackend(value: string, source: string): Backend | undefined {
  const given = value.trim()
  if (given === '') return undefined
  if (isBackend(given)) return given
  throw new Error(`Invalid ${source} ${shown(value)}: expected one of ${BACKENDS.join(', ')}.`)
}

export function parsePositiveNumber(value: string, source: string): number | undefined {
  if (value.trim() === '') return undefined
  const n = decimal(value)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`Invalid ${source} ${shown(value)}: expected a number above 0.`)
  return n
}

/** The longest wait a timer can hold, in whole seconds: Node fires a longer one at once. */
const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000)

function parseTimeoutMs(value: string, source: string, fallbackSeconds: number): number {
  const seconds = parsePositiveNumber(value, source) ?? fallbackSeconds
  if (seconds > MAX_TIMEOUT_SECONDS) throw new Error(`Invalid ${source} ${shown(value)}: expected at most ${MAX_TIMEOUT_SECONDS} seconds (about 24 days).`)
  return seconds * 1000
}

/** Most samples a speed case may take, as a case's `repeat` may ask for at most. */
const MAX_REPEAT = 100
/** Most requests in flight at once: far above the slots a local server has. */
const MAX_CONCURRENCY = 64
/** A matrix has at most 256 jobs, so no more shards than that. */
const MAX_SHARDS = 256

/** `2/4`: the second of four shards. */
export function parseShard(value: string, source: string): ShardOf | undefined {
  if (value.trim() === '') return undefined
  const match = value.trim().match(/^(\d+)\s*\/\s*(\d+)$/)
  const index = Number(match?.[1])
  const count = Number(match?.[2])
  if (!match || index < 1 || count < 1 || index > count || count > MAX_SHARDS) {
    throw new Error(`Invalid ${source} ${shown(value)}: expected K/N, the K-th of N shards (1 ≤ K ≤ N ≤ ${MAX_SHARDS}), e.g. 2/4.`)
  }
  return { index, count }
}

/**
 * The run options, read by name. `label` names a value the way its user wrote it, for error
 * messages: `input 'server'` in the action, `--server` in the CLI.
 */
export function parseRunOptions(read: (name: string) => string, label: (name: string) => string): RunOptions {
  const mode = parseChoice(read(Input.Mode), RUN_MODES, 'run', label(Input.Mode))
  const shard = parseShard(read(Input.Shard), label(Input.Shard))
  const mergeFrom = read(Input.MergeFrom).trim() || undefined
  if (mode === 'merge' && !mergeFrom) throw new Error(`Missing ${label(Input.MergeFrom)}: with mode 'merge', the folder the runs' results files were downloaded to.`)
  if (mode === 'merge' && shard) throw new Error(`${label(Input.Shard)} is for mode 'run': a merge reads every shard.`)
  if (mode === 'run' && mergeFrom) throw new Error(`${label(Input.MergeFrom)} is for mode 'merge': set mode: merge to gather results files.`)
  const concurrency = read(Input.Concurrency).trim() === '' ? undefined : parseWholeNumber(read(Input.Concurrency), label(Input.Concurrency), 1, MAX_CONCURRENCY)
  return {
    suitePath: read(Input.Suite),
    backend: parseBackend(read(Input.Server), label(Input.Server)),
    apiKey: read(Input.ApiKey) || undefined,
    model: read(Input.Model) || undefined,
    minTokensPerSecond: parsePositiveNumber(read(Input.MinTokensPerSecond), label(Input.MinTokensPerSecond)),
    serverTimeoutMs: parseTimeoutMs(read(Input.ServerTimeout), label(Input.ServerTimeout), 300),
    requestTimeoutMs: parseTimeoutMs(read(Input.RequestTimeout), label(Input.RequestTimeout), 600),
    resultsFile: read(Input.ResultsFile) || 'modelgate-results.json',
    backends: readBackendOptions(read, label),
    baseline: parseChoice(read(Input.Baseline), BASELINE_MODES, 'auto', label(Input.Baseline)),
    baselineFile: read(Input.BaselineFile) || undefined,
    failOn: parseChoice(read(Input.FailOn), FAIL_ON, 'any', label(Input.FailOn)),
    maxSpeedRegressionPercent: parsePositiveNumber(read(Input.MaxSpeedRegression), label(Input.MaxSpeedRegression)) ?? 5,
    maxRepeat: parseWholeNumber(read(Input.MaxRepeat), label(Input.MaxRepeat), 15, MAX_REPEAT),
    failOnInconclusive: parseBoolean(read(Input.FailOnInconclusive), label(Input.FailOnInconclusive)),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(shard ? { shard } : {}),
    mode,
    ...(mergeFrom ? { mergeFrom } : {}),
    ...(read(Input.Label).trim() || read(Input.Model).trim() ? { label: read(Input.Label).trim() || read(Input.Model).trim() } : {})
  }
}
