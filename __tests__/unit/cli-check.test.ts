// `modelgate check` in-process through main(): a case's checks on saved answers (Markdown, a
// plain code file) and on the results file a run wrote, where it must give the run's verdict per
// case, with the fixture server and with the real llama-server on the example's scripted models.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { EXAMPLE_DIR, EXAMPLE_SUITE, writeExampleModels, type ExampleModels } from '../../scripts/example-models.js'
import { main } from '../../src/cli.js'
import type { RunResults } from '../../src/results.js'
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js'
import { captureCliOutput } from '../support/cli-output.js'
import { llamaServerBinary } from '../../scripts/real-parts.js'

const out = captureCliOutput()

let server: FixtureServer
let dir: string
let cwd: string

// The fixture server answers with the Java method of the example's good answer.
const SUITE = `name: fixture
defaults:
  repeat: 2
cases:
  - id: keeps-validation
    prompt: Write updateUserStatus.
    assert:
      - type: contains
        value: Result.error(50002
  - id: guards-codes
    prompt: Write updateUserStatus.
    assert:
      - type: error-codes
        codes: [50001, 50002, 50003]
  - id: wants-require
    prompt: Write updateUserStatus.
    assert:
      - type: contains
        value: Objects.requireNonNull
  - id: too-slow
    prompt: Write updateUserStatus.
    assert:
      - type: tokens-per-second
        min: 1000000000
`
const GOOD = path.join(EXAMPLE_DIR, 'answers', 'good.md')
const REGRESSED = path.join(EXAMPLE_DIR, 'answers', 'regressed.md')

/** What the report's case table says of each case: id → "✅ pass" or "❌ fail". */
function verdictsIn(report: string): Record<string, string> {
  return Object.fromEntries([...report.matchAll(/^\| ([^|]+) \| (✅ pass|❌ fail) \|/gm)].map((m) => [m[1]!.replace(/\\/g, ''), m[2]!]))
}

const check = (...args: string[]) => main(['check', ...args], {})

beforeAll(async () => {
  server = await startFixtureServer()
  dir = await mkdtemp(path.join(os.tmpdir(), 'modelgate-cli-check-'))
  await writeFile(path.join(dir, 'suite.yml'), SUITE)
  cwd = process.cwd()
  process.chdir(dir)
})
afterAll(async () => {
  process.chdir(cwd)
  await server.close()
})

describe('modelgate check on a results file', () => {
  let runReport: string

  beforeAll(async () => {
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((runReport = (runReport ?? '') + String(chunk)), true))
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true)
    expect(await main(['run', '--suite', 'suite.yml', '--base-url', server.url, '--results-file', 'run.json'], {})).toBe(1)
    jest.restoreAllMocks()
  })

  it("gives the run's verdict for every case, and its exit status", async () => {
    expect(verdictsIn(runReport)).toEqual({ 'keeps-validation': '✅ pass', 'guards-codes': '✅ pass', 'wants-require': '❌ fail', 'too-slow': '❌ fail' })
    expect(await check('--suite', 'suite.yml', 'run.json')).toBe(1)
    expect(verdictsIn(out.stdout)).toEqual(verdictsIn(runReport))
    // Speed checks are judged on the figures the run measured.
    expect(out.stdout).toMatch(/- ❌ `tokens-per-second`: median [\d.]+ tokens\/s \(server, 2 samples\) is below the floor of 1000000000 tokens\/s/)
    expect(out.stdout).toContain('**2 of 4 cases passed.** Failed: wants-require (contains); too-slow (tokens-per-second)')
    expect(out.stdout).not.toContain('Speed checks skipped')
  })

  it('checks only --case, and exits 0 when it passes', async () => {
    expect(await check('--suite', 'suite.yml', '--case', 'guards-codes', 'run.json')).toBe(0)
    expect(verdictsIn(out.stdout)).toEqual({ 'guards-codes': '✅ pass' })
    expect(out.stdout.startsWith('### ✅ modelgate passed: fixture\n\n**1 of 1 case passed.**')).toBe(true)
  })

  it("judges the samples with the suite's checks as they are now, and its floor or --min-tokens-per-second", async () => {
    await writeFile(path.join(dir, 'edited.yml'), SUITE.replace('Objects.requireNonNull', 'userMapper.updateById(user)').replace('repeat: 2', 'repeat: 2\n  min-tokens-per-second: 1000000000'))
    expect(await check('--suite', 'edited.yml', '--case', 'wants-require', 'run.json')).toBe(1)
    expect(out.stdout).toContain('✅ `contains`')
    expect(out.stdout).toMatch(/- ❌ `tokens-per-second`: median [\d.]+ tokens\/s .* is below the floor of 1000000000 tokens\/s/)
    expect(await check('--suite', 'suite.yml', '--case', 'keeps-validation', '--min-tokens-per-second', '1e9', 'run.json')).toBe(1)
    expect(out.stdout).toContain('Failed: keeps-validation (tokens-per-second)')
  })

  it('says which cases of the file the suite does not have', async () => {
    await writeFile(path.join(dir, 'fewer.yml'), SUITE.slice(0, SUITE.indexOf('  - id: guards-codes')))
    expect(await check('--suite', 'fewer.yml', 'run.json')).toBe(0)
    expect(verdictsIn(out.stdout)).toEqual({ 'keeps-validation': '✅ pass' })
    expect(out.stderr).toContain('warning: case "wants-require" of results file \'run.json\' is not in fewer.yml; not checked\n')
    expect(await check('--suite', 'fewer.yml', '--case', 'keeps-validation', 'run.json')).toBe(0)
    out.clear()
    expect(await check('--suite', 'suite.yml', '--case', 'nope', 'run.json')).toBe(2)
    expect(out.stderr).toBe('suite.yml has no case "nope" (it has: keeps-validation, guards-codes, wants-require, too-slow)\n')
  })
})

describe('modelgate check on answer files', () => {
  it('passes the good answer, saying the speed checks were skipped', async () => {
    expect(await check('--suite', EXAMPLE_SUITE, '--case', 'update-user-status', GOOD)).toBe(0)
    expect(out.stdout.startsWith('### ✅ modelgate passed: updateUserStatus keeps its validations\n')).toBe(true)
    expect(out.stdout).toContain(
      '**1 of 1 case passed.** All 1 case passed. Speed checks skipped, as an answer file holds no speed figures: update-user-status (tokens-per-second).'
    )
    for (const type of ['error-codes', 'validation', 'not-regex']) expect(out.stdout).toContain(`- ✅ \`${type}\`: `)
    expect(out.stderr).toContain(`update-user-status sample 1: ${GOOD}\n`)
  })

  it('fails the regressed answer and points at the line', async () => {
    expect(await check('--suite', EXAMPLE_SUITE, '--case', 'update-user-status', GOOD, REGRESSED)).toBe(1)
    expect(out.stdout).toContain('**0 of 1 case passed.** Failed: update-user-status (error-codes, validation). Speed checks skipped')
    expect(out.stdout).toMatch(/- ❌ `error-codes`: sample 2 of 2: 50001 is never raised by a validation guard/)
    expect(out.stdout).toContain('  Line 13 of sample 2:\n\n  ```java\n          log.error("updateUserStatus failed, code 50001", e);\n  ```')
    expect(out.stderr).toContain(`update-user-status sample 2: ${REGRESSED}\n`)
  })

  it('reads a plain code file as the code of an answer', async () => {
    const good = await readFile(GOOD, 'utf8')
    await writeFile(path.join(dir, 'UserService.java'), /```java\n([\s\S]*?)```/.exec(good)![1]!)
    expect(await check('--suite', EXAMPLE_SUITE, '--case', 'update-user-status', 'UserService.java')).toBe(0)
    await writeFile(path.join(dir, 'Broken.java'), 'public Result updateUserStatus(Long userId) {\n  return Result.ok();\n}\n')
    expect(await check('--suite', EXAMPLE_SUITE, '--case', 'update-user-status', 'Broken.java')).toBe(1)
    expect(out.stdout).toContain('❌ `error-codes`')
  })
})

describe('modelgate check, what it cannot do', () => {
  it('exits 2 with the usage on a usage error', async () => {
    const usage = '\n\nUsage: modelgate check --suite FILE [--case ID] ANSWER_FILE...\n'
    for (const [args, message] of [
      [['--case', 'x', GOOD], '--suite is required'],
      [['--suite', 'suite.yml'], 'name at least one answer file or results file'],
      [['--suite', 'suite.yml', GOOD], '--case is required with answer files: name the case whose checks to run'],
      [['--suite', 'suite.yml', '--case', 'keeps-validation', GOOD, 'run.json'], 'name answer files or one results file (.json), not both'],
      [['--suite', 'suite.yml', '--min-tokens-per-second', 'fast', 'run.json'], "Invalid --min-tokens-per-second 'fast': expected a number above 0."],
      [['--suite', 'suite.yml', '--nope', 'run.json'], "Unknown option '--nope'"]
    ] as const) {
      out.clear()
      expect(await check(...args)).toBe(2)
      expect(out.stderr.startsWith(message)).toBe(true)
      expect(out.stderr).toContain(usage)
    }
  })

  it('exits 2 naming a file it cannot use, without the usage', async () => {
    await writeFile(path.join(dir, 'notes.json'), '{"hello": "world"}')
    await writeFile(path.join(dir, 'broken.yml'), 'cases:\n  - id: a\n    promt: hi\n  - id: b\n    prompt: hi\n    repeat: many\n')
    for (const [args, said] of [
      [['--suite', 'suite.yml', '--case', 'keeps-validation', 'nope.md'], "answer file 'nope.md' cannot be read: ENOENT\n"],
      [['--suite', 'suite.yml', 'notes.json'], "results file 'notes.json' is not a modelgate results file (no schemaVersion 1 and cases)\n"],
      [['--suite', 'suite.yml', 'suite.yml.json'], "results file 'suite.yml.json' cannot be read: ENOENT\n"],
      [['--suite', 'nope.yml', 'run.json'], `suite file not found: nope.yml (--suite is read relative to ${dir})\n`],
      [['--suite', 'broken.yml', '--case', 'a', GOOD], 'broken.yml: 2 problems\nbroken.yml:3 case "a": promt is not a known key (known: id, system, prompt, messages, temperature, seed, max-tokens, top-p, repeat, assert)\nbroken.yml:6 case "b": repeat must be an integer\n']
    ] as const) {
      out.clear()
      expect(await check(...args)).toBe(2)
      expect(out.stderr.slice(0, said.length)).toBe(said)
      expect(out.stderr).not.toContain('Usage:')
    }
    expect(out.stdout).toBe('')
  })

  it('explains itself with --help, with an example', async () => {
    expect(await check('--help')).toBe(0)
    expect(out.stdout).toContain('Exit status: 0 when every case checked passes, 1 when one fails, 2 on a usage error')
    expect(out.stdout).toContain('Examples:\n  modelgate check --suite modelgate/suite.yml --case update-user-status answer.md\n')
  })
})


describe('modelgate check against a run on the real llama-server', () => {
  let models: ExampleModels
  let llamaServer: string

  beforeAll(async () => {
    models = await writeExampleModels(dir)
    llamaServer = llamaServerBinary()
  }, 120_000)

  it.each([
    ['good', 0],
    ['regressed', 1]
  ] as const)("gives the gate's verdict again from the results file of the %s model", async (name, status) => {
    const run = ['run', '--suite', EXAMPLE_SUITE, '--server', 'llama.cpp', '--model', models[name], '--llama-server-path', llamaServer, '--extra-args=-t 2']
    expect(await main([...run, '--results-file', `${name}.json`], {})).toBe(status)
    const gate = out.stdout
    out.clear()
    expect(await check('--suite', EXAMPLE_SUITE, `${name}.json`)).toBe(status)
    expect(verdictsIn(out.stdout)).toEqual(verdictsIn(gate))
    const results = JSON.parse(await readFile(path.join(dir, `${name}.json`), 'utf8')) as RunResults
    expect(verdictsIn(out.stdout)).toEqual({ 'update-user-status': results.cases[0]!.passed ? '✅ pass' : '❌ fail' })
    // The check lines are the gate's, word for word; the speed floor too, on the figures the run measured.
    const checkLines = (report: string) => report.split('\n').filter((line) => /^- [✅❌] `/.test(line))
    expect(checkLines(out.stdout)).toEqual(checkLines(gate))
  }, 120_000)
})
