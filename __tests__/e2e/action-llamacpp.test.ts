// The bundled action, run as the GitHub runner runs it (Node 24, INPUT_*, event file, command
// files), starting a real llama-server on scripted models of the example suite.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { EXAMPLE_SUITE, writeExampleModels } from '../../scripts/example-models.js'
import type { RunResults } from '../../src/results.js'
import { startFakeGitHub, type FakeGitHub } from '../support/github-api.js'
import { processesMentioning } from '../support/processes.js'
import { parseCommandFile, pullRequestEvent, runAction, type ActionRun, type RunActionOptions } from '../support/runner.js'

let workspace: string
let github: FakeGitHub

beforeAll(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'modelgate-ws-'))
  // good.gguf, regressed.gguf and slow.gguf, named as the inputs below name them.
  await writeExampleModels(workspace)
  // The example's settings are the GPU runner's; nine threads on this 2-core machine would only
  // measure the oversubscription.
  const suite = (await readFile(EXAMPLE_SUITE, 'utf8')).replace('cpu-threads: 9', 'cpu-threads: 2')
  await writeFile(path.join(workspace, 'suite.yml'), suite)
  github = await startFakeGitHub('acme', 'models', 7)
}, 120_000)
afterAll(() => github.close())

async function gate(model: string, inputs: Record<string, string> = {}): Promise<ActionRun & { results: RunResults }> {
  const run = await runAction({
    workspace,
    apiUrl: github.url,
    event: pullRequestEvent(7),
    inputs: { suite: 'suite.yml', server: 'llama.cpp', model, 'llama-server-path': process.env.LLAMA_SERVER!, 'comment-tag': 'cpu', ...inputs }
  })
  const results = JSON.parse(await readFile(path.join(workspace, 'modelgate-results.json'), 'utf8')) as RunResults
  return { ...run, results }
}

function commentBodies(): string[] {
  return github.comments.map((c) => c.body)
}

describe('server: llama.cpp, the example suite', () => {
  it('passes the model that keeps the validations, and says so in one PR comment', async () => {
    const run = await gate('good.gguf')
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ passed: 'true', 'cases-passed': '1', 'cases-failed': '0', 'results-file': path.join(workspace, 'modelgate-results.json') })
    expect(Number(run.outputs['tokens-per-second'])).toBeGreaterThan(148.78)
    expect(run.outputs['comment-url']).toBe(github.comments[0]!.html_url)
    expect(commentBodies()).toHaveLength(1)
    const body = commentBodies()[0]!
    expect(body.startsWith('<!-- modelgate:sticky-comment tag="cpu" -->\n\n### ✅ modelgate passed: updateUserStatus keeps its validations\n\n**1 of 1 case passed.** All 1 case passed.')).toBe(true)
    expect(body).toContain('| update-user-status | ✅ pass |')
    expect(body).toContain('| Build | b1-80fb11a |')
    expect(body).toMatch(/\| Model file \| .*good\.gguf \(\d+ bytes, sha256 [0-9a-f]{64}\) \|/)
    expect(body).toContain('-c 8192 -ngl all -t 2 -b 512 -kvo --load-mode mmap+mlock -s -1 --override-kv llama.expert_used_count=int:6 -fa off -ctk f16 -ctv f16 -fit off')
    expect(run.summary).toContain('### ✅ modelgate passed')
    expect(run.results.cases[0]!.samples).toHaveLength(3)
    // The log folds the case's sample lines, with their figures, into one group.
    expect(run.stdout).toMatch(/^::group::update-user-status\nupdate-user-status sample 1\/3: [\d.]+ tokens\/s\nupdate-user-status sample 2\/3: [\d.]+ tokens\/s\nupdate-user-status sample 3\/3: [\d.]+ tokens\/s\n::endgroup::$/m)
    expect(run.results.server).toMatchObject({ backend: 'llama.cpp', engine: 'llama.cpp', model: 'good.gguf', build: 'b1-80fb11a' })
    expect(run.state['llama-server-pid']).toBe('')
    expect(processesMentioning(workspace)).toEqual([])
  }, 120_000)

  it('fails the model that regressed like the hand run, updating the same comment', async () => {
    const run = await gate('regressed.gguf')
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Failed: update-user-status \(error-codes, validation\)$/m)
    expect(run.stdout).toMatch(/^Failure kind: quality \(the model's answers failed a check\)$/m)
    expect(run.outputs).toMatchObject({ passed: 'false', 'cases-passed': '0', 'cases-failed': '1' })
    expect(commentBodies()).toHaveLength(1)
    const body = commentBodies()[0]!
    expect(body).toContain('### ❌ modelgate failed: updateUserStatus keeps its validations')
    expect(body).toMatch(/50003 appears only inside catch \(line \d+\)/)
    expect(run.results.passed).toBe(false)
    expect(processesMentioning(workspace)).toEqual([])
  }, 120_000)

  it('fails a model too slow for the floor, with the rate it saw', async () => {
    const run = await gate('slow.gguf', { 'min-tokens-per-second': '2500', 'comment-tag': 'slow' })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Failed: update-user-status \(tokens-per-second\)$/m)
    const slowComment = github.comments.find((c) => c.body.includes('tag="slow"'))!
    expect(slowComment.body).toMatch(/`tokens-per-second`: median \d+(\.\d+)? tokens\/s \(server, 3 samples\) is below the floor of 2500 tokens\/s/)
    expect(github.comments).toHaveLength(2)
    expect(processesMentioning(workspace)).toEqual([])
  }, 180_000)
})

describe('cancellation', () => {
  const slowModel = () => path.join(workspace, 'slow.gguf')
  // Long enough that the step is still replaying when the test cuts it short.
  const runLong = (hooks: Pick<RunActionOptions, 'onStart' | 'onStdout'>) =>
    runAction({
      workspace,
      inputs: { suite: 'long.yml', server: 'llama.cpp', model: 'slow.gguf', 'llama-server-path': process.env.LLAMA_SERVER!, comment: 'false' },
      ...hooks
    })

  beforeAll(async () => {
    await writeFile(path.join(workspace, 'long.yml'), 'cases:\n  - id: long\n    prompt: go\n    repeat: 100\n')
    await writeFile(path.join(workspace, 'fifteen.yml'), 'cases:\n  - id: long\n    prompt: go\n    repeat: 15\n  - id: never-reached\n    prompt: go\n')
  })

  it('stops llama-server in the post step when the main step is killed mid-run', async () => {
    const main = await runLong({
      onStart: (child, files) => {
        const watch = setInterval(() => {
          // As a runner that kills the step: it dies once its llama-server is up and recorded.
          const pid = parseCommandFile(readFileSync(files.state, 'utf8'))['llama-server-pid']
          if (pid && processesMentioning(slowModel()).length > 0) {
            clearInterval(watch)
            child.kill('SIGKILL')
          }
        }, 50)
        child.on('exit', () => clearInterval(watch))
      }
    })
    expect(main.exitCode).toBeNull()
    const pid = Number(main.state['llama-server-pid'])
    expect(processesMentioning(slowModel()).map((p) => p.pid)).toEqual([pid])

    const post = await runAction({ workspace, entry: 'dist/post/index.js', inputs: {}, state: main.state })
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toContain(`Stopped llama-server (pid ${pid})`)
    expect(processesMentioning(slowModel())).toEqual([])
  }, 120_000)

  // As the runner cancels a job: SIGINT, then (7.5 s later) SIGTERM, then a kill. Each signal alone
  // must leave the results file, the summary, the outputs and the comment, marked cancelled.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`keeps what it measured when cancelled by ${signal} after 13 of 15 samples, and leaves no llama-server`, async () => {
      let signalledAt = 0
      const tag = `cancel-${signal}`
      const main = await runAction({
        workspace,
        apiUrl: github.url,
        event: pullRequestEvent(7),
        inputs: { suite: 'fifteen.yml', server: 'llama.cpp', model: 'slow.gguf', 'llama-server-path': process.env.LLAMA_SERVER!, 'comment-tag': tag, 'results-file': 'cancelled.json' },
        onStdout: (text, child) => {
          if (!signalledAt && text.includes('long sample 13/15')) {
            signalledAt = performance.now()
            child.kill(signal)
          }
        }
      })
      const tookMs = performance.now() - signalledAt
      expect(signalledAt).toBeGreaterThan(0)
      expect(main.exitCode).toBe(signal === 'SIGINT' ? 130 : 143)
      expect(tookMs).toBeLessThan(6_000)
      const results = JSON.parse(await readFile(path.join(workspace, 'cancelled.json'), 'utf8')) as RunResults
      expect(results.cancelled?.signal).toBe(signal)
      expect(results.failureKind).toBe('cancelled')
      expect(results.passed).toBe(false)
      // The 13 samples announced, and perhaps the one that finished as the signal arrived.
      const kept = results.cases[0]!.samples
      expect(kept.length).toBeGreaterThanOrEqual(13)
      expect(kept.every((s) => !s.error && (s.tokensPerSecond ?? 0) > 0)).toBe(true)
      expect(results.errors[0]).toMatch(new RegExp(`^cancelled by ${signal} after 1[34] of 16 samples; what was measured is kept$`))
      expect(results.notRun).toEqual(['never-reached'])
      expect(main.outputs).toMatchObject({ passed: 'false', 'failure-kind': 'cancelled', 'results-file': path.join(workspace, 'cancelled.json') })
      expect(main.summary).toContain('### ⏹️ modelgate was cancelled')
      const comment = github.comments.find((c) => c.body.startsWith(`<!-- modelgate:sticky-comment tag="${tag}" -->`))
      expect(comment?.body).toContain('Failure kind: `cancelled`')
      expect(comment?.body).toContain('**1 of 2 cases passed, 1 not run.**')
      expect(comment?.body).toContain('Not run: never-reached.')
      expect(main.stdout).toMatch(new RegExp(`^::error::Cancelled by ${signal} after 1[34] of 16 samples`, 'm'))
      // No post step needed: the server is gone already.
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect(processesMentioning(slowModel())).toEqual([])
    }, 120_000)
  }

  it('a second signal ends the step at once, and takes llama-server down with it', async () => {
    let signals = 0
    const main = await runLong({
      onStdout: (text, child) => {
        if (signals === 0 && text.includes('long sample 1/100')) {
          signals++
          child.kill('SIGINT')
          child.kill('SIGINT')
        }
      }
    })
    expect(main.exitCode).toBe(130)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(processesMentioning(slowModel())).toEqual([])
  }, 120_000)

  it('leaves alone a pid that is no longer llama-server', async () => {
    const post = await runAction({ workspace, entry: 'dist/post/index.js', inputs: {}, state: { 'llama-server-pid': String(process.pid) } })
    expect(post.exitCode).toBe(0)
    expect(post.stdout).not.toContain('Stopped')
  }, 60_000)
})
