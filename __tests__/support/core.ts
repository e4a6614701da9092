// A typed stand-in for @actions/core, as GitHub's typescript-action template writes it: tests
// load it with jest.unstable_mockModule and then import the code under test. Inputs and state
// come from the maps below; what the action told the runner is recorded by the jest.fn()s.
import { jest } from '@jest/globals'
import type * as core from '@actions/core'

export const inputs: Record<string, string> = {}
export const state: Record<string, string> = {}
export const summaryText: string[] = []

export const getInput = jest.fn<typeof core.getInput>((name, options) => {
  const value = inputs[name] ?? ''
  if (options?.required && !value) throw new Error(`Input required and not supplied: ${name}`)
  return value
})
export const getBooleanInput = jest.fn<typeof core.getBooleanInput>((name) => {
  const value = inputs[name] ?? ''
  if (value === 'true') return true
  if (value === 'false') return false
  throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}`)
})
export const getState = jest.fn<typeof core.getState>((name) => state[name] ?? '')
export const saveState = jest.fn<typeof core.saveState>()
export const setOutput = jest.fn<typeof core.setOutput>()
export const setFailed = jest.fn<typeof core.setFailed>()
export const setSecret = jest.fn<typeof core.setSecret>()
export const info = jest.fn<typeof core.info>()
export const warning = jest.fn<typeof core.warning>()
export const error = jest.fn<typeof core.error>()
export const debug = jest.fn<typeof core.debug>()
export const startGroup = jest.fn<typeof core.startGroup>()
export const endGroup = jest.fn<typeof core.endGroup>()
export const summary = {
  addRaw: jest.fn((text: string) => {
    summaryText.push(text)
    return summary
  }),
  write: jest.fn(async () => summary)
}

/** Clears what the last test recorded, and its inputs and state. */
export function resetCore(): void {
  for (const map of [inputs, state]) for (const key of Object.keys(map)) delete map[key]
  summaryText.length = 0
  jest.clearAllMocks()
}

/** The outputs the action set, by name. */
export function outputs(): Record<string, string> {
  return Object.fromEntries(setOutput.mock.calls.map(([name, value]) => [name, String(value)]))
}

/** The inputs of a connect-mode run against `baseUrl`, as a workflow step in the tests gives them. */
export function connectInputs(baseUrl: string): Record<string, string> {
  return {
    suite: 'suite.yml',
    server: 'connect',
    'base-url': baseUrl,
    'github-token': 'ghs_testToken0123456789',
    comment: 'true',
    'comment-tag': 'modelgate',
    'results-file': 'modelgate-results.json',
    'server-timeout': '5',
    'request-timeout': '30'
  }
}
