// `modelgate compare` in-process through main(): results files the pipeline wrote from the
// fixture server (a passing baseline, a run where a check newly fails), a slowdown in results
// files made to measure, and files that are not results files, named as such.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { main } from '../../src/cli.js'
import type { RunResults } from '../../src/results.js'
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js'
import { caseResult, repeats, runResults, sample } from '../support/samples.js'
import { captureCliOutput } from '../support/cli-output.js'

const out = captureCliOutput()

let server: FixtureServer
let dir: string
let cwd: string

const SUITE = `name: fixture
cases:
  - id: keeps-validation
    prompt: Write updateUserStatus.
    repeat: 2
    assert:
      - type: contains
        value: Result.error(50002
`

const compare = (...args: string[]) => main(['compare', ...args], {})
const read = async (file: string) => JSON.parse(await readFile(path.join(dir, file), 'utf8')) as RunResults
const write = (file: string, results: RunResults) => writeFile(path.join(dir, file), JSON.stringify(results))

beforeAll(async () => {
  server = await startFixtureServer()
  dir = await mkdtemp(path.join(os.tmpdir(), 'modelgate-cli-compare-'))
  await writeFile(path.join(dir, 'suite.yml'), SUITE)
  await writeFile(path.join(dir, 'fails.yml'), SUITE.replace('Result.error(50002', 'Objects.requireNonNull'))
  cwd = process.cwd()
  process.chdir(dir)
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true)
  const run = (suite: string, file: string) => main(['run', '--suite', suite, '--base-url', server.url, '--results-file', file], {})
  expect([await run('suite.yml', 'base.json'), await run('suite.yml', 'again.json'), await run('fails.yml', 'now.json'), await run('fails.yml', 'still.json')]).toEqual([0, 0, 1, 1])
  jest.restoreAllMocks()
})
afterAll(async () => {
  process.chdir(cwd)
  await server.close()
})

describe('modelgate compare', () => {
  it('exits 1 and puts the regression first when a check newly fails', async () => {
    expect(await compare('base.json', 'now.json')).toBe(1)
    expect(out.stdout.startsWith('### ❌ modelgate failed: fixture\n\n**0 of 1 case passed.** One regression against the baseline. Failed: keeps-validation (contains)\n')).toBe(true)
    expect(out.stdout).toContain('**Regression against the baseline:**\n\n- ❌ keeps-validation · `contains` newly failing: ')
    expect(out.stdout).toContain('from the baseline file.')
    expect(out.stdout).toContain('| Case | Result | Decode tokens/s | Time to first token (ms) | Samples | Against the baseline | Failed checks |')
  })

  it('exits 0 when nothing got worse, a check that failed in the baseline too included', async () => {
    expect(await compare('base.json', 'again.json')).toBe(0)
    expect(out.stdout).toContain('### ✅ modelgate passed: fixture\n\n**1 of 1 case passed.** No regression against the baseline. All 1 case passed.\n')
    expect(out.stdout).not.toContain('against the baseline:**')
    out.clear()
    expect(await compare('now.json', 'still.json')).toBe(0)
    expect(out.stdout).toContain('No regression against the baseline. No new failures. Known failures, also failing in the baseline: keeps-validation (contains).')
    // What the new run fixed is no regression either.
    expect(await compare('now.json', 'base.json')).toBe(0)
  })

  it('exits 1 on a confirmed slowdown, and takes --max-speed-regression', async () => {
    const speedCase = (rate: number) => {
      const samples = repeats(...Array.from({ length: 8 }, (_, i) => sample('same answer', { tokensPerSecond: rate + i * 0.1 })))
      return caseResult('fast-enough', samples, [{ type: 'tokens-per-second', passed: true, message: `median ${rate} tokens/s ≥ floor 10` }])
    }
    await write('speed-base.json', runResults([speedCase(150)]))
    await write('speed-now.json', runResults([speedCase(120)]))
    expect(await compare('speed-base.json', 'speed-now.json')).toBe(1)
    expect(out.stdout).toContain('One regression against the baseline. Failed: fast-enough (tokens/s −')
    expect(out.stdout).toMatch(/^- ❌ fast-enough · decode tokens\/s −20\.0% .*slower/m)
    expect(out.stdout).toContain('Failure kind: `speed`')
    out.clear()
    expect(await compare('--max-speed-regression', '30', 'speed-base.json', 'speed-now.json')).toBe(0)
    expect(out.stdout).toContain('No regression against the baseline.')
  })

  it('says when the runs are from different machines, whose speed cannot be compared', async () => {
    const other = await read('again.json')
    other.fingerprint = { ...other.fingerprint!, machine: { ...other.fingerprint!.machine, cpu: 'Another CPU' } }
    await write('elsewhere.json', other)
    expect(await compare('base.json', 'elsewhere.json')).toBe(0)
    expect(out.stdout).toMatch(/\*\*1 of 1 case passed\.\*\* Not compared, so no regression can be found: not comparable: CPU changed from .* to Another CPU \(\d+ cores\)\./)
  })

  it('exits 2 naming a file that is not a results file', async () => {
    await writeFile(path.join(dir, 'notes.json'), '[1, 2]')
    for (const [args, said] of [
      [['nope.json', 'now.json'], "baseline 'nope.json' cannot be read: ENOENT\n"],
      [['base.json', 'suite.yml'], "new results 'suite.yml' is not JSON: "],
      [['base.json', 'notes.json'], "new results 'notes.json' is not a modelgate results file (no schemaVersion 1 and cases)\n"]
    ] as const) {
      out.clear()
      expect(await compare(...args)).toBe(2)
      expect(out.stderr.slice(0, said.length)).toBe(said)
      expect(out.stderr).not.toContain('Usage:')
    }
    expect(out.stdout).toBe('')
  })

  it('exits 2 with the usage on a usage error, and explains itself with --help', async () => {
    const usage = '\n\nUsage: modelgate compare BASE.json NEW.json [options]\n'
    for (const [args, said] of [
      [['base.json'], 'name two results files, the baseline and the new run (got 1)'],
      [['base.json', 'now.json', 'again.json'], 'name two results files, the baseline and the new run (got 3)'],
      [['--max-speed-regression', 'lots', 'base.json', 'now.json'], "Invalid --max-speed-regression 'lots': expected a number above 0."],
      [['--fail-on', 'any', 'base.json', 'now.json'], "Unknown option '--fail-on'"]
    ] as const) {
      out.clear()
      expect(await compare(...args)).toBe(2)
      expect(out.stderr.startsWith(said)).toBe(true)
      expect(out.stderr).toContain(usage)
    }
    expect(await compare('--help')).toBe(0)
    expect(out.stdout).toContain('Exit status: 0 when NEW has no regression against BASE, 1 when it has, 2 on a usage error')
    expect(out.stdout).toContain('Example:\n  modelgate compare main-results.json modelgate-results.json\n')
  })
})
