// The local rerun: the bundled CLI runs the example suite against a real llama-server and prints
// the same report the PR comment carries, with the gate's verdict as its exit status.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { EXAMPLE_SUITE, writeExampleModels, type ExampleModels } from '../../scripts/example-models.js'
import type { RunResults } from '../../src/results.js'
import { node24, ROOT } from '../support/runner.js'

let dir: string
let models: ExampleModels

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'modelgate-cli-'))
  models = await writeExampleModels(dir)
}, 120_000)

function cli(...args: string[]) {
  return spawnSync(node24(), [path.join(ROOT, 'dist/cli/index.js'), ...args], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeout: 120_000 })
}

const gate = (model: string, ...more: string[]) =>
  cli('--suite', EXAMPLE_SUITE, '--server', 'llama.cpp', '--model', model, '--llama-server-path', process.env.LLAMA_SERVER!, '--extra-args=-t 2', ...more)

describe('modelgate CLI', () => {
  it('prints the passing report and exits 0 for the good model', async () => {
    const run = gate(models.good)
    expect(run.status).toBe(0)
    expect(run.stdout.startsWith('### ✅ modelgate passed: updateUserStatus keeps its validations\n')).toBe(true)
    // Progress goes to stderr as plain lines, not workflow commands.
    expect(run.stderr).toMatch(/^update-user-status sample 3\/3: [\d.]+ tokens\/s$/m)
    expect(run.stderr + run.stdout).not.toContain('::')
    const results = JSON.parse(await readFile(path.join(dir, 'modelgate-results.json'), 'utf8')) as RunResults
    expect(results.passed).toBe(true)
  }, 120_000)

  it('exits 1 for the regressed model and says why', () => {
    const run = gate(models.regressed, '--results-file', 'regressed.json')
    expect(run.status).toBe(1)
    expect(run.stdout).toContain('**0 of 1 case passed.** Failed: update-user-status (error-codes, validation)')
  }, 120_000)

  it('prints the results JSON with --json', () => {
    const run = gate(models.good, '--json')
    expect((JSON.parse(run.stdout) as RunResults).cases[0]!.samples).toHaveLength(3)
  }, 120_000)

  it('exits 2 on a usage error, with the usage', () => {
    const run = cli('--suite', EXAMPLE_SUITE, '--server', 'ollama')
    expect(run.status).toBe(2)
    expect(run.stderr.startsWith("Invalid --server 'ollama': expected one of connect, llama.cpp, lmstudio.\n\nUsage: modelgate --suite FILE [options]")).toBe(true)
    expect(cli('--nope').status).toBe(2)
    expect(cli('--help').stdout).toContain('Exit status: 0 when the gate passes, 1 when it fails, 2 on a usage error.')
  })
})
