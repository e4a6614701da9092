// The orchestration in-process: suite → session → replay → checks → results, in connect mode
// against the fixture server (real llama-server transcripts), and the bad inputs that need no
// llama-server. What is asserted is what a user reads: the results, the reason, the log lines.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { chmod, mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseRunOptions, type RunOptions } from '../../src/options.js'
import { verdictOf } from '../../src/gate.js'
import { runPipeline, sampleProgressLine } from '../../src/pipeline.js'
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js'
import { recordingHost, type RecordingHost } from '../support/host.js'
import { closedPort } from '../support/ports.js'

let server: FixtureServer
let workspace: string

beforeAll(async () => {
  server = await startFixtureServer()
  workspace = await mkdtemp(path.join(os.tmpdir(), 'modelgate-pipeline-'))
})
afterAll(() => server.close())
afterEach(() => {
  server.fault = 'none'
  server.faultAfter = 0
  server.loadingAnswers = 0
})

const SUITE = `name: fixture
server:
  backend: connect
defaults:
  temperature: 0
  max-tokens: 64
cases:
  - id: keeps-validation
    prompt: Write updateUserStatus.
    repeat: 2
    assert:
      - type: contains
        value: Result.error(50001
      - type: tokens-per-second
        min: 1
  - id: forgets-nothing
    prompt: Again.
    assert:
      - type: not-contains
        value: updateUserStatus
`

async function suiteFile(name: string, text: string): Promise<string> {
  await writeFile(path.join(workspace, name), text)
  return name
}

function optionsFor(values: Record<string, string>): RunOptions {
  return parseRunOptions((name) => values[name] ?? '', (name) => `--${name}`)
}

async function run(values: Record<string, string>, style: 'action' | 'cli' = 'cli'): Promise<{ host: RecordingHost; results: Awaited<ReturnType<typeof runPipeline>> }> {
  const host = recordingHost(style, workspace)
  const results = await runPipeline(optionsFor(values), host)
  return { host, results }
}

describe('runPipeline in connect mode', () => {
  it('replays every case × repeat, judges each, and says what ran', async () => {
    const suite = await suiteFile('suite.yml', SUITE)
    const { host, results } = await run({ suite, 'base-url': server.url })

    expect(results.passed).toBe(false)
    expect(results.reason).toBe('Failed: forgets-nothing (not-contains)')
    expect(results.cases.map((c) => [c.id, c.passed, c.samples.length])).toEqual([
      ['keeps-validation', true, 2],
      ['forgets-nothing', false, 1]
    ])
    expect(results.server).toMatchObject({ backend: 'connect', engine: 'llama.cpp', baseUrl: `${server.url}/v1`, model: 'good.gguf', build: 'b1-80fb11a' })
    expect(results.speedSource).toBe('server')
    expect(results.tokensPerSecond).toBeGreaterThan(0)
    expect(results.errors).toEqual([])
    // One warm-up and three measured samples, each without llama.cpp's prompt cache.
    expect(server.chatRequests).toHaveLength(4)
    expect(server.chatRequests.every((body) => body.cache_prompt === false && body.stream === true)).toBe(true)

    expect(host.lines[0]).toBe('Starting connect session')
    expect(host.lines).toContain(`Replaying 2 cases against good.gguf at ${server.url}/v1`)
    expect(host.lines.filter((line) => /^keeps-validation sample [12]\/2: [\d.]+ tokens\/s$/.test(line))).toHaveLength(2)
    expect(host.state).toEqual({ backend: 'connect' })
    server.chatRequests.length = 0
  })

  it('takes the floor from the option when a case sets none', async () => {
    const suite = await suiteFile('floor.yml', 'cases:\n  - id: fast\n    prompt: Go.\n')
    const { results } = await run({ suite, 'base-url': server.url, 'min-tokens-per-second': '1000000' })
    expect(results.cases[0]!.checks.map((c) => [c.type, c.passed])).toEqual([['tokens-per-second', false]])
    expect(results.reason).toBe('Failed: fast (tokens-per-second)')
  })

  it('keeps the samples taken before the server went away, and says why it stopped', async () => {
    const suite = await suiteFile('dies.yml', 'cases:\n  - id: long\n    prompt: Go.\n    repeat: 3\n  - id: never-reached\n    prompt: Go.\n')
    // The warm-up and the first sample go through; the second loses its connection.
    server.fault = 'drop-connection'
    server.faultAfter = 2
    const { results } = await run({ suite, 'base-url': server.url })
    expect(results.passed).toBe(false)
    expect(results.errors).toHaveLength(1)
    expect(results.errors[0]).toMatch(/^lost the connection to http:\/\/127\.0\.0\.1:\d+\/v1: /)
    expect(results.reason).toMatch(/^Stopped early: lost the connection to .*\. Failed: long \(request\)$/)
    expect(results.cases.map((c) => c.id)).toEqual(['long'])
    const [taken, broken] = results.cases[0]!.samples
    expect(results.cases[0]!.samples).toHaveLength(2)
    expect(taken!.error).toBeUndefined()
    expect(taken!.text.length).toBeGreaterThan(0)
    expect(broken!.error).toBe(results.errors[0])
  })

  it('goes on after a stream that broke off mid-answer, keeping what arrived', async () => {
    const suite = await suiteFile('breaks.yml', 'cases:\n  - id: long\n    prompt: Go.\n    repeat: 2\n')
    server.fault = 'die-mid-stream'
    server.faultAfter = 2
    const { results } = await run({ suite, 'base-url': server.url })
    const [, broken] = results.cases[0]!.samples
    expect(results.errors).toEqual([])
    expect(broken!.error).toBeDefined()
    expect(broken!.text.length).toBeGreaterThan(0)
    expect(results.reason).toBe('Failed: long (request)')
  })

  it('fails a sample that does not finish within the request timeout, and goes on', async () => {
    const suite = await suiteFile('hangs.yml', 'cases:\n  - id: stalls\n    prompt: Go.\n  - id: next\n    prompt: Go.\n')
    server.fault = 'stall-mid-stream'
    server.faultAfter = 1
    const { host, results } = await run({ suite, 'base-url': server.url, 'request-timeout': '0.5' })
    expect(results.errors).toEqual([])
    expect(results.cases.map((c) => c.id)).toEqual(['stalls', 'next'])
    expect(results.cases[0]!.checks[0]).toMatchObject({ type: 'request', passed: false, message: expect.stringContaining('within the request timeout (0.5 s)') })
    expect(host.lines).toContainEqual(expect.stringMatching(/^stalls sample 1\/1: .* tokens\/s, failed: no answer from /))
  })
})

describe('runPipeline against a baseline file', () => {
  it('takes more samples of a speed case while the comparison cannot decide, up to max-repeat', async () => {
    const suite = await suiteFile('speed.yml', 'cases:\n  - id: fast\n    prompt: Go.\n    assert:\n      - type: tokens-per-second\n        min: 1\n')
    const first = await run({ suite, 'base-url': server.url })
    // Without `repeat`, a speed case takes five samples.
    expect(first.results.cases[0]!.samples).toHaveLength(5)
    const rate = first.results.cases[0]!.tokensPerSecond!
    // A baseline whose rates spread so widely that no number of samples can call this run the same.
    const spread = [0.5, 0.8, 1, 1.25, 2].map((factor) => rate * factor)
    const baseline = { ...first.results, cases: [{ ...first.results.cases[0]!, samples: first.results.cases[0]!.samples.map((s, i) => ({ ...s, tokensPerSecond: spread[i]! })) }] }
    await writeFile(path.join(workspace, 'spread.json'), JSON.stringify(baseline))

    const { host, results } = await run({ suite, 'base-url': server.url, 'baseline-file': 'spread.json', 'max-repeat': '12' })
    expect(results.cases[0]!.samples).toHaveLength(12)
    expect(host.lines.filter((line) => line === 'fast: speed against the baseline is not decided yet; taking 5 more samples')).toHaveLength(1)
    expect(host.lines).toContain('fast: speed against the baseline is not decided yet; taking 2 more samples')
    expect(host.lines).toContainEqual(expect.stringMatching(/^fast sample 12\/12: [\d.]+ tokens\/s$/))
    expect(results.comparison!.cases[0]!.tokensPerSecond).toMatchObject({ verdict: 'inconclusive', baselineSamples: 5, currentSamples: 12 })
    expect(results.passed).toBe(true)
    expect(results.reason).toBe('All 1 case passed. 1 speed comparison stayed inconclusive.')

    const strict = await run({ suite, 'base-url': server.url, 'baseline-file': 'spread.json', 'max-repeat': '5', 'fail-on-inconclusive': 'true' })
    expect(strict.results.cases[0]!.samples).toHaveLength(5)
    expect(strict.results.passed).toBe(false)
    expect(strict.results.reason).toMatch(/^Failed: fast \(tokens\/s inconclusive, .*: the interval reaches past ±5%\)$/)
  })
})

describe('runPipeline with bad input', () => {
  it('names a suite file that is not there, as the CLI user wrote the flag', async () => {
    const { results } = await run({ suite: 'missing.yml', 'base-url': server.url })
    expect(results.passed).toBe(false)
    expect(results.errors).toEqual([`suite file not found: missing.yml (--suite is read relative to ${process.cwd()})`])
    expect(results.server).toBeNull()
    expect(results.suite.path).toBe('missing.yml')
  })

  it('reports every problem of a malformed suite with file and line, and runs nothing', async () => {
    const suite = await suiteFile('bad.yml', 'cases:\n  - id: x\n    prompt: Go.\n    assert:\n      - type: tokens-per-second\n        min: fast\n')
    const before = server.chatRequests.length
    const { results } = await run({ suite, 'base-url': server.url })
    expect(results.errors).toEqual(['bad.yml:6 case "x": assert[0].min must be a number'])
    expect(results.reason).toBe('Stopped early: bad.yml:6 case "x": assert[0].min must be a number')
    expect(server.chatRequests.length).toBe(before)
  })

  it('asks for a base URL in the words of each entry point', async () => {
    const suite = await suiteFile('nourl.yml', 'cases:\n  - id: x\n    prompt: Go.\n')
    expect((await run({ suite })).results.errors).toEqual(["server 'connect' needs a base URL: set --base-url or server.base-url in the suite"])
    expect((await run({ suite }, 'action')).results.errors).toEqual(["server 'connect' needs a base URL: set the input 'base-url' or server.base-url in the suite"])
  })

  it('names the URL of a server that is not there', async () => {
    const suite = await suiteFile('closed.yml', 'cases:\n  - id: x\n    prompt: Go.\n')
    const port = await closedPort()
    const { results } = await run({ suite, 'base-url': `http://127.0.0.1:${port}`, 'server-timeout': '0.3' })
    expect(results.errors).toEqual([
      `nothing is listening at http://127.0.0.1:${port}/v1 (connection refused for 0.5 s): is the model server running, and is ${port} its port? ` +
        'With llama.cpp, set --server (or server.backend in the suite) to llama.cpp and modelgate starts llama-server itself.'
    ])
  })

  it('says lmstudio needs a model key, before it runs anything', async () => {
    const suite = await suiteFile('lms.yml', 'server:\n  backend: lmstudio\ncases:\n  - id: x\n    prompt: Go.\n')
    const { results, host } = await run({ suite })
    expect(results.errors).toEqual(["server 'lmstudio' needs a model key: set --model or server.model in the suite (e.g. qwen/qwen3-coder-30b, as lms ls shows it)"])
    expect(host.state).toEqual({ backend: 'lmstudio' })
  })

  it('needs a model for llama.cpp, and a llama-server to run it, before it downloads anything', async () => {
    const suite = await suiteFile('llama.yml', 'server:\n  backend: llama.cpp\ncases:\n  - id: x\n    prompt: Go.\n')
    expect((await run({ suite })).results.errors).toEqual(["server 'llama.cpp' needs a model: set --model or server.model in the suite (a GGUF file)"])
    // A URL is fetched only once there is a llama-server to serve it.
    expect((await run({ suite, model: 'https://example.com/m.gguf', 'llama-server-path': path.join(workspace, 'no-such-llama-server') })).results.errors).toEqual([
      expect.stringMatching(/^llama-server-path '.*no-such-llama-server' /)
    ])
    const notExecutable = path.join(workspace, 'llama-server')
    await writeFile(notExecutable, '')
    await chmod(notExecutable, 0o644)
    expect((await run({ suite, model: 'm.gguf', 'llama-server-path': notExecutable })).results.errors).toEqual([
      `llama-server-path '${notExecutable}' is not an executable file`
    ])
    const path0 = process.env.PATH
    process.env.PATH = workspace
    try {
      expect((await run({ suite, model: 'm.gguf' }, 'action')).results.errors).toEqual([
        "llama-server was not found on PATH: install llama.cpp on the runner or set the input 'llama-server-path'"
      ])
    } finally {
      process.env.PATH = path0
    }
  })

  it('rejects an unknown backend and a bad number, naming the option', () => {
    expect(() => optionsFor({ suite: 's.yml', server: 'ollama' })).toThrow("Invalid --server 'ollama': expected one of connect, llama.cpp, lmstudio.")
    expect(() => optionsFor({ suite: 's.yml', 'server-timeout': '-1' })).toThrow("Invalid --server-timeout '-1': expected a number above 0.")
  })
})

describe('the run options', () => {
  it('have defaults, and give each backend its own', () => {
    const options = optionsFor({ suite: 's.yml', 'extra-args': '-t 2 --log-disable "a b"', 'base-url': 'http://x' })
    expect(options).toEqual({
      suitePath: 's.yml',
      backend: undefined,
      apiKey: undefined,
      model: undefined,
      minTokensPerSecond: undefined,
      serverTimeoutMs: 300_000,
      requestTimeoutMs: 600_000,
      resultsFile: 'modelgate-results.json',
      backends: { connect: { baseUrl: 'http://x' }, 'llama.cpp': { llamaServerPath: undefined, extraArgs: ['-t', '2', '--log-disable', 'a b'] }, lmstudio: {} },
      baseline: 'auto',
      baselineFile: undefined,
      failOn: 'any',
      maxSpeedRegressionPercent: 5,
      maxRepeat: 15,
      failOnInconclusive: false,
      mode: 'run'
    })
  })
})

describe('the verdict and the progress line', () => {
  it('says what failed, and what stopped the run first', () => {
    const failed = { id: 'a', passed: false, checks: [{ type: 'regex', passed: false, message: '' }, { type: 'regex', passed: false, message: '' }], samples: [], tokensPerSecond: null, ttftMs: null }
    const reasonOf = (cases: (typeof failed)[], errors: string[]) => verdictOf(cases, errors, undefined, { failOn: 'any', failOnInconclusive: false }).reason
    expect(reasonOf([failed], [])).toBe('Failed: a (regex)')
    expect(reasonOf([], ['boom', 'later'])).toBe('Stopped early: boom')
    expect(reasonOf([{ ...failed, passed: true, checks: [] }], [])).toBe('All 1 case passed.')
  })

  it('gives one line per sample with its rate, and the failure when there was one', () => {
    const suiteCase = { id: 'c', repeat: 3 } as Parameters<typeof sampleProgressLine>[0]
    const sample = { index: 1, tokensPerSecond: 148.78, error: undefined } as unknown as Parameters<typeof sampleProgressLine>[1]
    expect(sampleProgressLine(suiteCase, sample)).toBe('c sample 2/3: 148.8 tokens/s')
    expect(sampleProgressLine(suiteCase, { ...sample, tokensPerSecond: null, error: 'lost it' })).toBe('c sample 2/3: – tokens/s, failed: lost it')
  })
})

describe('a cancelled run', () => {
  afterEach(() => {
    server.eventIntervalMs = 0
  })

  it('stops replay at once and keeps every sample measured before, marked cancelled, with the cases not reached listed', async () => {
    await suiteFile('cancel.yml', SUITE.replace('repeat: 2', 'repeat: 6'))
    const host = recordingHost('cli', workspace)
    // About 20 events 30 ms apart: each sample takes some 600 ms, so the signal lands mid-sample.
    server.eventIntervalMs = 30
    const pending = runPipeline(optionsFor({ suite: 'cancel.yml', 'base-url': server.url }), host)
    const started = Date.now()
    while (!host.lines.some((l) => l.startsWith('keeps-validation sample 2/6'))) {
      if (Date.now() - started > 20_000) throw new Error(`no second sample: ${host.lines.join('\n')}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const signalledAt = Date.now()
    host.cancel('SIGTERM')
    const results = await pending
    expect(Date.now() - signalledAt).toBeLessThan(1_500)
    expect(results.cancelled?.signal).toBe('SIGTERM')
    expect(results.failureKind).toBe('cancelled')
    expect(results.passed).toBe(false)
    const kept = results.cases[0]!.samples
    expect(kept).toHaveLength(2)
    expect(kept.every((s) => !s.error && s.text.includes('Result.error(50001'))).toBe(true)
    expect(results.notRun).toEqual(['forgets-nothing'])
    expect(results.errors).toEqual(['cancelled by SIGTERM after 2 of 7 samples; what was measured is kept'])
    expect(results.reason).toBe('Cancelled by SIGTERM after 2 of 7 samples; what was measured is kept; 1 case not run')
  }, 30_000)

  it('cancelled before anything ran: no case judged, all listed as not run', async () => {
    const host = recordingHost('cli', workspace)
    host.cancel('SIGINT')
    const results = await runPipeline(optionsFor({ suite: await suiteFile('early.yml', SUITE), 'base-url': server.url }), host)
    expect(results.cases).toEqual([])
    expect(results.notRun).toEqual(['keeps-validation', 'forgets-nothing'])
    expect(results.failureKind).toBe('cancelled')
    expect(results.errors[0]).toMatch(/^cancelled by SIGINT/)
  })
})

describe('the kind of failure', () => {
  it('tells a failing check from a slow model from a server that failed', async () => {
    const PASSING = SUITE.replace('value: updateUserStatus', 'value: no such word')
    const quality = await run({ suite: await suiteFile('kind-q.yml', PASSING.replace('Result.error(50001', 'no such text')), 'base-url': server.url })
    expect(quality.results.failureKind).toBe('quality')
    const speed = await run({ suite: await suiteFile('kind-s.yml', PASSING.replace('min: 1', 'min: 1000000000')), 'base-url': server.url })
    expect(speed.results.failureKind).toBe('speed')
    // Every measured request answers 500 (the warm-up passes): each sample is tried 4 times, then fails.
    server.fault = 'server-error'
    server.faultAfter = 1
    const infrastructure = await run({ suite: await suiteFile('kind-i.yml', PASSING), 'base-url': server.url })
    expect(infrastructure.results.failureKind).toBe('infrastructure')
    expect(infrastructure.results.cases[0]!.samples[0]).toMatchObject({ retries: 3, errorKind: 'http' })
    server.fault = 'none'
    const passing = await run({ suite: await suiteFile('kind-p.yml', PASSING), 'base-url': server.url })
    expect(passing.results.passed).toBe(true)
    expect(passing.results.failureKind).toBeUndefined()
  }, 60_000)
})
