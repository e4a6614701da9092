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
  FailOnInconclusive: 'fail-on-inconclusive'
} as const

export const Output = {
  Passed: 'passed',
  CasesPassed: 'cases-passed',
  CasesFailed: 'cases-failed',
  TokensPerSecond: 'tokens-per-second',
  ResultsFile: 'results-file',
  CommentUrl: 'comment-url',
  Regressions: 'regressions',
  Baseline: 'baseline'
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
}

export const BASELINE_MODES = ['auto', 'save', 'off'] as const
export type BaselineMode = (typeof BASELINE_MODES)[number]
export const FAIL_ON = ['any', 'new-failures'] as const
export type FailOn = (typeof FAIL_ON)[number]

function parseChoice<T extends string>(value: string, allowed: readonly T[], fallback: T, source: string): T {
  if (value === '') return fallback
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new Error(`Invalid ${source} '${value}': expected one of ${allowed.join(', ')}.`)
}

function parseBoolean(value: string, source: string): boolean {
  if (value === '' || value === 'false') return false
  if (value === 'true') return true
  throw new Error(`Invalid ${source} '${value}': expected true or false.`)
}

function parseWholeNumber(value: string, source: string, fallback: number): number {
  if (value.trim() === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new Error(`Invalid ${source} '${value}': expected a whole number above 0.`)
  return n
}

export function parseBackend(value: string, source: string): Backend | undefined {
  if (value === '') return undefined
  if (isBackend(value)) return value
  throw new Error(`Invalid ${source} '${value}': expected one of ${BACKENDS.join(', ')}.`)
}

export function parsePositiveNumber(value: string, source: string): number | undefined {
  if (value.trim() === '') return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`Invalid ${source} '${value}': expected a number above 0.`)
  return n
}

/**
 * The run options, read by name. `label` names a value the way its user wrote it, for error
 * messages: `input 'server'` in the action, `--server` in the CLI.
 */
export function parseRunOptions(read: (name: string) => string, label: (name: string) => string): RunOptions {
  const seconds = (name: string, fallback: number) => (parsePositiveNumber(read(name), label(name)) ?? fallback) * 1000
  return {
    suitePath: read(Input.Suite),
    backend: parseBackend(read(Input.Server), label(Input.Server)),
    apiKey: read(Input.ApiKey) || undefined,
    model: read(Input.Model) || undefined,
    minTokensPerSecond: parsePositiveNumber(read(Input.MinTokensPerSecond), label(Input.MinTokensPerSecond)),
    serverTimeoutMs: seconds(Input.ServerTimeout, 300),
    requestTimeoutMs: seconds(Input.RequestTimeout, 600),
    resultsFile: read(Input.ResultsFile) || 'modelgate-results.json',
    backends: readBackendOptions(read, label),
    baseline: parseChoice(read(Input.Baseline), BASELINE_MODES, 'auto', label(Input.Baseline)),
    baselineFile: read(Input.BaselineFile) || undefined,
    failOn: parseChoice(read(Input.FailOn), FAIL_ON, 'any', label(Input.FailOn)),
    maxSpeedRegressionPercent: parsePositiveNumber(read(Input.MaxSpeedRegression), label(Input.MaxSpeedRegression)) ?? 5,
    maxRepeat: parseWholeNumber(read(Input.MaxRepeat), label(Input.MaxRepeat), 15),
    failOnInconclusive: parseBoolean(read(Input.FailOnInconclusive), label(Input.FailOnInconclusive))
  }
}
