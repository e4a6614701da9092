// The CLI's main() in-process against the fixture server: `modelgate run` and the bare
// `modelgate --suite …`, what a suite author sees on stdout (the report) and stderr (progress,
// warnings), and the exit status the gate gives. The other commands have files of their own.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { main } from '../../src/cli.js'
import type { RunResults } from '../../src/results.js'
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js'
import { closedPort } from '../support/ports.js'
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

beforeAll(async () => {
  server = await startFixtureServer()
  dir = await mkdtemp(path.join(os.tmpdir(), 'modelgate-cli-unit-'))
  await writeFile(path.join(dir, 'suite.yml'), SUITE)
  await writeFile(path.join(dir, 'fails.yml'), SUITE.replace('Result.error(50002', 'Objects.requireNonNull'))
  cwd = process.cwd()
  process.chdir(dir)
})
afterAll(async () => {
  process.chdir(cwd)
  await server.close()
})

const connect = (...more: string[]) => main(['--suite', 'suite.yml', '--server', 'connect', '--base-url', server.url, ...more], {})

describe('modelgate CLI in-process', () => {
  it('prints the report, writes the results file and exits 0 when the gate passes', async () => {
    expect(await connect()).toBe(0)
    expect(out.stdout.startsWith('### ✅ modelgate passed: fixture\n')).toBe(true)
    expect(out.stderr).toMatch(/^keeps-validation sample 2\/2: [\d.]+ tokens\/s$/m)
    expect(out.stderr).toContain(`Results written to ${path.join(dir, 'modelgate-results.json')}`)
    const results = JSON.parse(await readFile(path.join(dir, 'modelgate-results.json'), 'utf8')) as RunResults
    expect(results.cases[0]!.samples).toHaveLength(2)
  })

  it('runs the same as `modelgate run`', async () => {
    expect(await main(['run', '--suite', 'suite.yml', '--base-url', server.url, '--results-file', 'run.json'], {})).toBe(0)
    expect(out.stdout.startsWith('### ✅ modelgate passed: fixture\n')).toBe(true)
    expect(out.stderr).toMatch(/^keeps-validation sample 2\/2: [\d.]+ tokens\/s$/m)
    expect((JSON.parse(await readFile(path.join(dir, 'run.json'), 'utf8')) as RunResults).passed).toBe(true)
  })

  it('exits 1 when the gate fails, and prints why', async () => {
    expect(await main(['--suite', 'fails.yml', '--base-url', server.url, '--results-file', 'fails.json'], {})).toBe(1)
    expect(out.stdout).toContain('**0 of 1 case passed.** Failed: keeps-validation (contains)')
  })

  it('prints the results JSON with --json', async () => {
    expect(await connect('--json', '--results-file', 'json.json')).toBe(0)
    expect((JSON.parse(out.stdout) as RunResults).passed).toBe(true)
  })

  it('still prints the report when the results file cannot be written', async () => {
    expect(await connect('--results-file', 'suite.yml/results.json')).toBe(0)
    expect(out.stderr).toMatch(/^warning: could not write results-file 'suite\.yml\/results\.json': .*\. The report is still printed\.$/m)
    expect(out.stdout.startsWith('### ✅ modelgate passed')).toBe(true)
  })

  it('names options as flags in what it says, and exits 2 when there is no server to ask', async () => {
    expect(await main(['--suite', 'suite.yml', '--results-file', 'x.json'], {})).toBe(2)
    expect(out.stdout).toContain("server 'connect' needs a base URL: set --base-url or server.base-url in the suite")
  })

  it('exits 2 when the server never comes up: no verdict on the model', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1`
    expect(await main(['--suite', 'suite.yml', '--base-url', url, '--server-timeout', '1', '--results-file', 'down.json'], {})).toBe(2)
    expect(out.stdout).toContain('Failure kind: `infrastructure`')
    expect((JSON.parse(await readFile(path.join(dir, 'down.json'), 'utf8')) as RunResults).failureKind).toBe('infrastructure')
  })

  it('sends MODELGATE_API_KEY and keeps it out of what it prints', async () => {
    const key = 'sk-cli-secret-1234'
    const before = server.chatAuthorizations.length
    expect(await main(['--suite', 'suite.yml', '--base-url', server.url, '--results-file', 'k.json'], { MODELGATE_API_KEY: key })).toBe(0)
    expect(server.chatAuthorizations.slice(before)).toEqual([`Bearer ${key}`, `Bearer ${key}`, `Bearer ${key}`])
    expect(out.stderr + out.stdout).not.toContain(key)
  })

  it('compares with a results file given as --baseline-file, and names a bad one', async () => {
    expect(await connect('--results-file', 'base.json')).toBe(0)
    out.clear()
    expect(await main(['--suite', 'fails.yml', '--base-url', server.url, '--baseline-file', 'base.json', '--results-file', 'now.json'], {})).toBe(1)
    expect(out.stdout).toContain('**Regression against the baseline:**')
    expect(out.stdout).toContain('- ❌ keeps-validation · `contains` newly failing: ')
    expect(out.stdout).toContain('from the baseline file.')
    const results = JSON.parse(await readFile(path.join(dir, 'now.json'), 'utf8')) as RunResults
    expect(results.comparison).toMatchObject({ baseline: 'found', regressions: 1, info: { source: 'file', from: 'base.json' } })
    // A baseline file that is not there is a missing file, not a failing model.
    expect(await main(['--suite', 'suite.yml', '--base-url', server.url, '--baseline-file', 'nope.json', '--results-file', 'x.json'], {})).toBe(2)
    expect(out.stdout).toContain("Stopped early: --baseline-file 'nope.json' cannot be read: ENOENT")
    // The samples were still taken and judged.
    expect((JSON.parse(await readFile(path.join(dir, 'x.json'), 'utf8')) as RunResults).cases[0]!.samples).toHaveLength(2)
  })

  it('exits 2 with the usage on a usage error, and shows every backend option in --help', async () => {
    expect(await main(['--suite', 'suite.yml', '--server', 'ollama'], {})).toBe(2)
    expect(out.stderr.startsWith("Invalid --server 'ollama': expected one of connect, llama.cpp, lmstudio.\n\nUsage: modelgate --suite FILE [options]")).toBe(true)
    out.clear()
    expect(await main(['run', '--suite', 'suite.yml', '--server', 'ollama'], {})).toBe(2)
    expect(out.stderr.startsWith("Invalid --server 'ollama': expected one of connect, llama.cpp, lmstudio.\n\nUsage: modelgate run --suite FILE [options]")).toBe(true)
    expect(await main(['run'], {})).toBe(2)
    expect(out.stderr).toContain('--suite is required')
    out.clear()
    expect(await main(['--nope'], {})).toBe(2)
    expect(out.stderr).toMatch(/^Unknown option '--nope'/)
    expect(await main(['run', '--help'], {})).toBe(0)
    for (const flag of ['--base-url URL', '--llama-server-path PATH', '--extra-args="ARGS"', '--server-timeout SECONDS']) expect(out.stdout).toContain(`  ${flag} `)
    expect(out.stdout).toContain('Example:\n  modelgate run --suite modelgate/suite.yml --server connect --base-url http://127.0.0.1:8080/v1\n')
  })

  it('lists the commands with --help, and exits 2 on no command or an unknown one', async () => {
    expect(await main(['--help'], {})).toBe(0)
    for (const command of ['run', 'check', 'validate', 'compare']) expect(out.stdout).toMatch(new RegExp(`^  ${command} {2,}\\S`, 'm'))
    expect(out.stdout).toContain("'modelgate COMMAND --help' gives a command's options and an example.")
    expect(await main([], {})).toBe(2)
    expect(out.stderr.startsWith('name a command\n\nUsage: modelgate COMMAND [options]\n')).toBe(true)
    out.clear()
    expect(await main(['chek', '--suite', 'suite.yml'], {})).toBe(2)
    expect(out.stderr.startsWith("unknown command 'chek'\n\nUsage: modelgate COMMAND [options]\n")).toBe(true)
  })
})
