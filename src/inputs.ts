import * as core from '@actions/core'
import { BACKENDS, type Backend } from './suite.js'

/** Every input name in one place: action.yml, the code and the README spell them so. */
export const Input = {
  Suite: 'suite',
  Server: 'server',
  BaseUrl: 'base-url',
  ApiKey: 'api-key',
  Model: 'model',
  MinTokensPerSecond: 'min-tokens-per-second',
  GithubToken: 'github-token',
  Comment: 'comment',
  CommentTag: 'comment-tag',
  ResultsFile: 'results-file',
  LlamaServerPath: 'llama-server-path',
  ExtraArgs: 'extra-args',
  ServerTimeout: 'server-timeout',
  RequestTimeout: 'request-timeout'
} as const

export const Output = {
  Passed: 'passed',
  CasesPassed: 'cases-passed',
  CasesFailed: 'cases-failed',
  TokensPerSecond: 'tokens-per-second',
  ResultsFile: 'results-file',
  CommentUrl: 'comment-url'
} as const

export const State = {
  ServerPid: 'llama-server-pid',
  ServerLog: 'llama-server-log'
} as const

/** What a run needs, whether it came from action inputs or CLI flags. */
export interface RunOptions {
  suitePath: string
  /** Overrides the suite's `server.backend`. */
  backend?: Backend
  baseUrl?: string
  apiKey?: string
  model?: string
  minTokensPerSecond?: number
  llamaServerPath?: string
  extraArgs: string[]
  serverTimeoutMs: number
  requestTimeoutMs: number
  resultsFile: string
}

export interface ActionInputs extends RunOptions {
  githubToken: string
  comment: boolean
  commentTag: string
}

export function parseBackend(value: string, source: string): Backend | undefined {
  if (value === '') return undefined
  if ((BACKENDS as readonly string[]).includes(value)) return value as Backend
  throw new Error(`Invalid ${source} '${value}': expected one of ${BACKENDS.join(', ')}.`)
}

export function parsePositiveNumber(value: string, source: string): number | undefined {
  if (value.trim() === '') return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`Invalid ${source} '${value}': expected a number above 0.`)
  return n
}

/** Splits extra arguments the way a user writes them in YAML: on whitespace and new lines, honouring quotes. */
export function splitArgs(value: string): string[] {
  const args: string[] = []
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g
  for (const match of value.matchAll(pattern)) args.push(match[1] ?? match[2] ?? match[3] ?? '')
  return args
}

/**
 * The run options, read by name: the action's inputs and the CLI's flags share names, defaults
 * and checks. `label` names a value the way its user wrote it, for error messages.
 */
export function parseRunOptions(read: (name: string) => string, label: (name: string) => string): RunOptions {
  const seconds = (name: string, fallback: number) => (parsePositiveNumber(read(name), label(name)) ?? fallback) * 1000
  return {
    suitePath: read(Input.Suite),
    backend: parseBackend(read(Input.Server), label(Input.Server)),
    baseUrl: read(Input.BaseUrl) || undefined,
    apiKey: read(Input.ApiKey) || undefined,
    model: read(Input.Model) || undefined,
    minTokensPerSecond: parsePositiveNumber(read(Input.MinTokensPerSecond), label(Input.MinTokensPerSecond)),
    llamaServerPath: read(Input.LlamaServerPath) || undefined,
    extraArgs: splitArgs(read(Input.ExtraArgs)),
    serverTimeoutMs: seconds(Input.ServerTimeout, 300),
    requestTimeoutMs: seconds(Input.RequestTimeout, 600),
    resultsFile: read(Input.ResultsFile) || 'modelgate-results.json'
  }
}

export function readInputs(): ActionInputs {
  const apiKey = core.getInput(Input.ApiKey)
  // Masked before anything can print it, the token too (the runner masks its own, not a PAT's).
  if (apiKey) core.setSecret(apiKey)
  const githubToken = core.getInput(Input.GithubToken)
  if (githubToken) core.setSecret(githubToken)
  // Fails with @actions/core's own message when the one required input is missing.
  core.getInput(Input.Suite, { required: true })
  return {
    ...parseRunOptions(
      (name) => core.getInput(name),
      (name) => `input '${name}'`
    ),
    githubToken,
    comment: core.getBooleanInput(Input.Comment),
    commentTag: core.getInput(Input.CommentTag) || 'modelgate'
  }
}
