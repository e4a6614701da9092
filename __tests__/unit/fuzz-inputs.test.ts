// Fuzzes the action's inputs (issue 9): environments of INPUT_* variables, set as the runner sets
// them and read by the real @actions/core. Whatever they hold, the action gets options it can run
// with, or one line naming the input as the action's user wrote it (`input 'request-timeout'`):
// never a TypeError, a stack trace, `undefined` or NaN. The seed is fixed, so a CI failure replays.
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { readInputs, type ActionInputs } from '../../src/inputs.js'
import { BASELINE_MODES, FAIL_ON, Input } from '../../src/options.js'
import { backendOptionList, BACKENDS } from '../../src/server/registry.js'
import { recordingHost, type RecordingHost } from '../support/host.js'

const SEED = 9_2024
const NAMES = [...new Set([...Object.values(Input), ...backendOptionList().map((option) => option.name)])]
const CRASH_WORDS = ['TypeError', 'RangeError', '\n    at ', 'undefined', '[object Object]', 'NaN']
/** The longest a Node timer waits, in ms; a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

type Env = Partial<Record<string, string>>

/** The variable @actions/core reads an input from. */
const variableOf = (name: string) => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`

/** readInputs with exactly these inputs set, and process.env as it was afterwards. */
function readWith(env: Env): { host: RecordingHost; outcome: unknown } {
  const saved = Object.fromEntries(NAMES.map((name) => [variableOf(name), process.env[variableOf(name)]]))
  for (const name of NAMES) delete process.env[variableOf(name)]
  for (const [name, value] of Object.entries(env)) if (value !== undefined) process.env[variableOf(name)] = value
  const host = recordingHost('action')
  try {
    return { host, outcome: readInputs(host) }
  } catch (error) {
    return { host, outcome: error }
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
}

/** A plain Error of one line that names an input the environment set (or the one it must set). */
function expectNamedInput(outcome: unknown, env: Env): void {
  if (!(outcome instanceof Error) || outcome.constructor !== Error) throw new Error(`not a plain Error: ${outcome instanceof Error ? outcome.stack : String(outcome)}`)
  const message = outcome.message
  expect(message).not.toMatch(/[\n\r]/)
  const named = /input '([^']+)'/.exec(message)?.[1] ?? ''
  const given = (env[named] ?? '').trim()
  expect({ message, names: NAMES.includes(named) && (given !== '' || named === Input.Suite) }).toEqual({ message, names: true })
  const said = Object.values(env).join('\n')
  for (const word of CRASH_WORDS) if (!said.includes(word)) expect(message).not.toContain(word)
}

/** Options the run can use as they stand, read as they were given. */
function expectUsableOptions(outcome: ActionInputs, env: Env, host: RecordingHost): void {
  const given = (name: string) => (env[name] ?? '').trim()
  expect(outcome.suitePath).toBe(given(Input.Suite))
  expect(outcome.suitePath).not.toBe('')
  for (const [ms, name, fallback] of [[outcome.serverTimeoutMs, Input.ServerTimeout, 300], [outcome.requestTimeoutMs, Input.RequestTimeout, 600]] as const) {
    expect(ms > 0 && ms <= MAX_TIMER_MS).toBe(true)
    expect(ms).toBeCloseTo((given(name) ? Number(given(name)) : fallback) * 1000)
  }
  expect(outcome.minTokensPerSecond === undefined || (Number.isFinite(outcome.minTokensPerSecond) && outcome.minTokensPerSecond > 0)).toBe(true)
  expect(Number.isFinite(outcome.maxSpeedRegressionPercent) && outcome.maxSpeedRegressionPercent > 0).toBe(true)
  expect(Number.isInteger(outcome.maxRepeat) && outcome.maxRepeat >= 1 && outcome.maxRepeat <= 100).toBe(true)
  expect(BASELINE_MODES).toContain(outcome.baseline)
  expect(FAIL_ON).toContain(outcome.failOn)
  expect(outcome.backend === undefined || BACKENDS.includes(outcome.backend)).toBe(true)
  expect(typeof outcome.comment).toBe('boolean')
  expect(typeof outcome.failOnInconclusive).toBe('boolean')
  expect(outcome.commentTag).toBe(given(Input.CommentTag) || 'modelgate')
  for (const secret of [given(Input.ApiKey), given(Input.GithubToken)]) if (secret) expect(host.masked).toContain(secret)
}

/** What a workflow author might type into any input; NUL cannot reach a process's environment. */
const anyValue: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(
      '', ' ', '\t', '0', '-1', '-0', '5', '1.5', '.5', '5.', '+3', '1e3', '1e10', '1e400', '1e-400', '2147483', '2147484', '100', '101', 'NaN', 'nan',
      'Infinity', '-Infinity', '0x10', '0b11', '1_000', ' 7 ', '٣', '５', 'true', 'True', 'TRUE', 'yes', 'on', '1', 'false', 'FALSE', 'no', 'auto', 'save',
      'off', 'any', 'new-failures', 'connect', 'llama.cpp', 'lmstudio', 'ollama', 'undefined', 'null', '[object Object]', 'line\nbreak', 'é'.repeat(100)
    ),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.string({ unit: 'grapheme', maxLength: 10 }),
    fc.integer().map(String),
    fc.double().map(String)
  )
  .map((value) => value.replace(/\0/g, ''))

/** Values the action documents as valid, in every spelling it takes. */
const validEnv: fc.Arbitrary<Env> = fc.record(
  {
    [Input.Suite]: fc.constantFrom('suite.yml', 'examples/user-status/suite.yml', ' suite.yml '),
    [Input.Server]: fc.constantFrom('', ...BACKENDS),
    [Input.MinTokensPerSecond]: fc.oneof(fc.constant(''), fc.double({ min: 0.01, max: 1e6, noNaN: true }).map(String)),
    [Input.ServerTimeout]: fc.oneof(fc.constant(''), fc.integer({ min: 1, max: 2_147_483 }).map(String), fc.constantFrom('0.5', '1e3')),
    [Input.RequestTimeout]: fc.oneof(fc.constant(''), fc.integer({ min: 1, max: 2_147_483 }).map(String)),
    [Input.Baseline]: fc.constantFrom('', ...BASELINE_MODES),
    [Input.FailOn]: fc.constantFrom('', ...FAIL_ON),
    [Input.MaxSpeedRegression]: fc.oneof(fc.constant(''), fc.double({ min: 0.1, max: 500, noNaN: true }).map(String)),
    [Input.MaxRepeat]: fc.oneof(fc.constant(''), fc.integer({ min: 1, max: 100 }).map(String)),
    [Input.FailOnInconclusive]: fc.constantFrom('', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE'),
    [Input.Comment]: fc.constantFrom('', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE'),
    [Input.CommentTag]: fc.oneof(fc.constant(''), fc.string({ minLength: 1, maxLength: 20 })),
    [Input.ApiKey]: fc.oneof(fc.constant(''), fc.string({ minLength: 1, maxLength: 20 })),
    [Input.GithubToken]: fc.oneof(fc.constant(''), fc.string({ minLength: 1, maxLength: 20 }))
  },
  { requiredKeys: [Input.Suite] }
)

/**
 * A documented environment with one to three inputs set to anything, so every input's parser is
 * reached (the first bad input stops the rest), or every input set to anything at once.
 */
const anyEnv: fc.Arbitrary<Env> = fc.oneof(
  fc.tuple(validEnv, fc.dictionary(fc.constantFrom(...NAMES), anyValue, { minKeys: 1, maxKeys: 3 })).map(([valid, fuzzed]) => ({ ...valid, ...fuzzed })),
  fc.record(Object.fromEntries(NAMES.map((name) => [name, anyValue])), { requiredKeys: [] })
)

describe('the action inputs under fuzzing', () => {
  it('give usable options or one line naming the input, for 500 environments of anything', () => {
    fc.assert(
      fc.property(anyEnv, (env) => {
        const { host, outcome } = readWith(env)
        if (outcome instanceof Error) expectNamedInput(outcome, env)
        else expectUsableOptions(outcome as ActionInputs, env, host)
      }),
      { numRuns: 500, seed: SEED }
    )
  })

  it('take every documented value, in each spelling, for 200 environments', () => {
    fc.assert(
      fc.property(validEnv, (env) => {
        const { host, outcome } = readWith(env)
        if (outcome instanceof Error) throw outcome
        expectUsableOptions(outcome as ActionInputs, env, host)
      }),
      { numRuns: 200, seed: SEED }
    )
  })
})

describe('what the fuzzing found, one example each', () => {
  const failure = (env: Env) => {
    const { outcome } = readWith(env)
    return outcome instanceof Error ? `${outcome.constructor.name}: ${outcome.message}` : 'accepted'
  }

  it('a comment that is not true or false is named, not a TypeError about YAML 1.2', () => {
    expect(failure({ suite: 's.yml', comment: 'yes' })).toBe("Error: Invalid input 'comment' 'yes': expected true or false.")
  })

  it('comment defaults to true and fail-on-inconclusive takes TRUE, as @actions/core spells booleans', () => {
    const { outcome } = readWith({ suite: 's.yml', 'fail-on-inconclusive': 'TRUE' })
    expect(outcome).toMatchObject({ comment: true, failOnInconclusive: true })
    expect(readWith({ suite: 's.yml', comment: 'False' }).outcome).toMatchObject({ comment: false })
  })

  it('a missing suite names the input the way the action does', () => {
    expect(failure({})).toBe("Error: Missing input 'suite': the path of the suite YAML, relative to the workspace.")
    expect(failure({ suite: '   ' })).toBe("Error: Missing input 'suite': the path of the suite YAML, relative to the workspace.")
  })

  it('a timeout longer than a timer holds is refused, not fired at once', () => {
    expect(failure({ suite: 's.yml', 'request-timeout': '1e10' })).toBe("Error: Invalid input 'request-timeout' '1e10': expected at most 2147483 seconds (about 24 days).")
    expect(readWith({ suite: 's.yml', 'server-timeout': '2147483' }).outcome).toMatchObject({ serverTimeoutMs: 2_147_483_000 })
  })

  it('numbers are read as decimals: hex, Infinity and NaN are refused', () => {
    expect(failure({ suite: 's.yml', 'server-timeout': '0x10' })).toBe("Error: Invalid input 'server-timeout' '0x10': expected a number above 0.")
    expect(failure({ suite: 's.yml', 'min-tokens-per-second': 'Infinity' })).toBe("Error: Invalid input 'min-tokens-per-second' 'Infinity': expected a number above 0.")
    expect(failure({ suite: 's.yml', 'max-speed-regression': 'NaN' })).toBe("Error: Invalid input 'max-speed-regression' 'NaN': expected a number above 0.")
  })

  it('max-repeat is bounded as a case repeat is', () => {
    expect(failure({ suite: 's.yml', 'max-repeat': '1e20' })).toBe("Error: Invalid input 'max-repeat' '1e20': expected a whole number from 1 to 100.")
    expect(readWith({ suite: 's.yml', 'max-repeat': '100' }).outcome).toMatchObject({ maxRepeat: 100 })
  })

  it('a value with a line break or a page of text is shown on one short line', () => {
    expect(failure({ suite: 's.yml', baseline: 'auto\nsave' })).toBe("Error: Invalid input 'baseline' 'auto\\nsave': expected one of auto, save, off.")
    expect(failure({ suite: 's.yml', 'fail-on': 'x'.repeat(500) })).toBe(`Error: Invalid input 'fail-on' '${'x'.repeat(57)}…': expected one of any, new-failures.`)
  })
})
