// What a user sees when the input is wrong: one clear line naming the file, field or URL, from
// the bundled action, and a results file in every outcome.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { writeScriptedModel } from '../../scripts/gguf-writer.js'
import type { RunResults } from '../../src/results.js'
import { processesMentioning } from '../support/processes.js'
import { runAction, type ActionRun } from '../support/runner.js'

let workspace: string

const SUITE = (settings = '') => `server:
  backend: llama.cpp
  model: ok.gguf
  settings:
    cpu-threads: 2
${settings}
cases:
  - id: hello
    prompt: Say hello.
    assert:
      - type: contains
        value: hello
`

beforeAll(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'modelgate-bad-'))
  await writeScriptedModel(path.join(workspace, 'ok.gguf'), { script: 'hello there\n' })
  await writeFile(path.join(workspace, 'not-a-model.gguf'), 'just some text, not a model\n')
  await writeFile(path.join(workspace, 'suite.yml'), SUITE())
}, 60_000)
afterAll(() => {
  expect(processesMentioning(workspace)).toEqual([])
})

async function gate(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun & { results: RunResults }> {
  const run = await runAction({ workspace, inputs: { suite: 'suite.yml', 'llama-server-path': process.env.LLAMA_SERVER!, comment: 'false', ...inputs }, env })
  const results = JSON.parse(await readFile(path.join(workspace, 'modelgate-results.json'), 'utf8')) as RunResults
  return { ...run, results }
}

function errorLine(run: ActionRun): string {
  return run.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? ''
}

describe('bad input fails the step with one line that names the cause', () => {
  it('passes on good input, so the failures below are about the input', async () => {
    const run = await gate({})
    expect(errorLine(run)).toBe('')
    expect(run.exitCode).toBe(0)
  }, 60_000)

  it('a missing model file', async () => {
    const run = await gate({ model: 'missing.gguf' })
    expect(run.exitCode).toBe(1)
    expect(errorLine(run)).toBe(`::error::Stopped early: model file not found: ${path.join(workspace, 'missing.gguf')}`)
    expect(run.results.errors).toEqual([`model file not found: ${path.join(workspace, 'missing.gguf')}`])
    expect(run.summary).toContain('### ❌ modelgate failed')
  }, 60_000)

  it('a file that is not a GGUF', async () => {
    const run = await gate({ model: 'not-a-model.gguf' })
    expect(errorLine(run)).toMatch(new RegExp(`^::error::Stopped early: ${path.join(workspace, 'not-a-model.gguf').replace(/[.]/g, '\\.')} is not a GGUF file \\(it starts with 0x[0-9a-f]+\\)$`))
  }, 60_000)

  it('a malformed suite, with file, line and field', async () => {
    await writeFile(path.join(workspace, 'bad.yml'), SUITE('    gpu-offload: all\n    flash-atention: true'))
    const run = await gate({ suite: 'bad.yml' })
    expect(run.exitCode).toBe(1)
    expect(run.results.errors).toEqual([
      'bad.yml: 2 problems\nbad.yml:6 server.settings.gpu-offload must be one of "max", "off" or an integer\nbad.yml:7 server.settings.flash-atention is not a known key (known: context-length, gpu-offload, cpu-threads, eval-batch-size, rope-frequency-base, rope-frequency-scale, offload-kv-cache-to-gpu, keep-model-in-memory, try-mmap, seed, experts, force-expert-weights-on-cpu, flash-attention, k-cache-quantization, v-cache-quantization)'
    ])
    expect(run.stdout).toContain('::error::Stopped early: bad.yml: 2 problems%0Abad.yml:6 server.settings.gpu-offload must be one of')
  }, 60_000)

  it('settings llama.cpp cannot run together', async () => {
    await writeFile(path.join(workspace, 'vcache.yml'), SUITE('    flash-attention: false\n    v-cache-quantization: q8_0'))
    const run = await gate({ suite: 'vcache.yml' })
    expect(errorLine(run)).toBe('::error::Stopped early: vcache.yml: server.settings.v-cache-quantization q8_0 needs flash-attention (llama.cpp cannot quantise the V cache without it)')
  }, 60_000)

  it('no llama-server on PATH', async () => {
    const run = await gate({ 'llama-server-path': '' }, { PATH: '/usr/bin:/bin' })
    expect(errorLine(run)).toBe("::error::Stopped early: llama-server was not found on PATH: install llama.cpp on the runner or set the input 'llama-server-path'")
  }, 60_000)

  it('a llama-server too old for the flags the suite needs', async () => {
    const old = path.join(workspace, 'old-llama-server')
    await writeFile(old, '#!/bin/sh\necho "-m, --model FNAME  model path"\necho "-c, --ctx-size N"\necho "version: 1 (b1000)"\n')
    await chmod(old, 0o755)
    const run = await gate({ 'llama-server-path': old })
    expect(errorLine(run)).toBe(`::error::Stopped early: ${old} is too old or not llama-server: it does not know --alias, --host, --port, -np, --no-webui, -t, -fit (modelgate needs a llama.cpp build with --fit and --load-mode)`)
  }, 60_000)

  it('a port already in use, with the reason from the server log', async () => {
    const blocker = net.createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as net.AddressInfo).port
    try {
      const run = await gate({ 'extra-args': `--port ${port}` })
      expect(errorLine(run)).toMatch(/^::error::Stopped early: llama-server exited with code 1 before it was ready: .*(bind|address)/i)
      expect(run.results.server?.logTail?.length).toBeGreaterThan(0)
      expect(run.summary).toContain('<summary>Server log (last lines)</summary>')
    } finally {
      blocker.close()
    }
  }, 60_000)

  it('a server that never gets ready, named with its URL', async () => {
    const stuck = path.join(workspace, 'stuck-llama-server')
    // Answers --help like the real one, then never listens: a server stuck loading.
    await writeFile(stuck, `#!/bin/sh\nfor a in "$@"; do [ "$a" = --help ] || [ "$a" = --version ] && exec "${process.env.LLAMA_SERVER}" "$@"; done\nexec sleep 600\n`)
    await chmod(stuck, 0o755)
    const run = await gate({ 'llama-server-path': stuck, 'server-timeout': '2' })
    expect(errorLine(run)).toMatch(/^::error::Stopped early: llama-server was not ready after 2 s \(not listening yet at http:\/\/127\.0\.0\.1:\d+\/health\); raise the input 'server-timeout' for a large model$/)
    expect(processesMentioning(stuck)).toEqual([])
  }, 60_000)

  it('a results file that cannot be written still leaves the summary, and the verdict stands', async () => {
    const run = await runAction({ workspace, inputs: { suite: 'suite.yml', 'llama-server-path': process.env.LLAMA_SERVER!, comment: 'false', 'results-file': 'suite.yml/results.json' } })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/^::warning::could not write results-file 'suite\.yml\/results\.json': EEXIST: file already exists, mkdir '.*\/suite\.yml'\. The job summary and the comment still hold the report\.$/m)
    expect(run.summary).toContain('### ✅ modelgate passed')
    expect(run.outputs.passed).toBe('true')
  }, 60_000)

  it('a bad input value, named with the allowed values, still leaves a results file with the error', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ server: 'ollama' }, "Invalid input 'server' 'ollama': expected one of connect, llama.cpp, lmstudio."],
      [{ 'request-timeout': 'abc' }, ''],
      [{ 'min-tokens-per-second': '-3' }, '']
    ]
    for (const [inputs, expected] of cases) {
      const file = `bad-${Object.keys(inputs)[0]}.json`
      const run = await runAction({ workspace, inputs: { suite: 'suite.yml', 'llama-server-path': process.env.LLAMA_SERVER!, comment: 'false', 'results-file': file, ...inputs } })
      const line = errorLine(run)
      expect(run.exitCode).toBe(1)
      if (expected) expect(line).toBe(`::error::${expected}`)
      // The message names the input, whatever its wording.
      expect(line).toContain(`input '${Object.keys(inputs)[0]}'`)
      const results = JSON.parse(await readFile(path.join(workspace, file), 'utf8')) as RunResults
      expect(results).toMatchObject({ passed: false, failureKind: 'infrastructure', cases: [], suite: { path: 'suite.yml' } })
      expect(`::error::${results.errors[0]}`).toBe(line)
      expect(run.outputs).toMatchObject({ passed: 'false', 'failure-kind': 'infrastructure', 'results-file': path.join(workspace, file) })
    }
  }, 60_000)
})
