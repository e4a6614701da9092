// The bundled action sharded over a matrix and merged, as examples/workflows/sharded.yaml runs it,
// against a real llama-server: four shard runs and one `mode: merge` run give the verdict, cases
// and check results of one unsharded run, in one comment; a missing shard is named and fails the
// merge; and runs of two models merge into one comparison that names the faster. Artifacts are
// laid out as download-artifact lays them: one folder per artifact under `merge-from`.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { SLOW_MODEL_OPTIONS, writeScriptedModel } from '../../scripts/gguf-writer.js'
import { createCliHost } from '../../src/host/cli.js'
import type { RunResults } from '../../src/results.js'
import { startLlamaServer } from '../../src/server/llamacpp/driver.js'
import type { ServerSession } from '../../src/server/types.js'
import { casesOfShard } from '../../src/shard/select.js'
import { startFakeGitHub, type FakeGitHub } from '../support/github-api.js'
import { pullRequestEvent, runAction, type ActionRun } from '../support/runner.js'

const ANSWER = 'Check `Objects.requireNonNull(userId)` first, then return Result.error(50003) from the guard.\n'
const IDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet']
// Every third case fails; one case is held to a speed floor, so it runs alone in its shard.
const SUITE = `name: sharded smoke
defaults:
  max-tokens: 64
cases:
${IDS.map((id, i) => `  - id: ${id}\n    prompt: Case ${id}.\n    assert:\n      - type: ${i % 3 === 2 ? 'contains' : 'not-contains'}\n        value: printStackTrace`).join('\n')}
  - id: decode
    prompt: Decode.
    assert:
      - type: contains
        value: requireNonNull
      - type: tokens-per-second
        min: 1
`
const ALL_IDS = [...IDS, 'decode']
const PASSING = `name: comparison smoke
defaults:
  max-tokens: 64
cases:
${['guard', 'status', 'null-check'].map((id) => `  - id: ${id}\n    prompt: Case ${id}.\n    assert:\n      - type: contains\n        value: requireNonNull`).join('\n')}
`

let workspace: string
let server: ServerSession
let github: FakeGitHub

beforeAll(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'modelgate-shard-e2e-'))
  await writeScriptedModel(path.join(workspace, 'good.gguf'), { script: ANSWER, name: 'good' })
  await writeScriptedModel(path.join(workspace, 'slow.gguf'), { script: ANSWER, name: 'slow', ...SLOW_MODEL_OPTIONS })
  await writeFile(path.join(workspace, 'suite.yml'), SUITE)
  await writeFile(path.join(workspace, 'passing.yml'), PASSING)
  server = await startLlamaServer({
    host: createCliHost(() => {}),
    options: { llamaServerPath: process.env.LLAMA_SERVER, extraArgs: [] },
    server: { settings: { 'context-length': 2048, 'cpu-threads': 2 }, extraArgs: [] },
    model: 'good.gguf',
    readyTimeoutMs: 60_000,
    modelBaseDir: workspace,
    suitePath: 'suite.yml'
  })
  github = await startFakeGitHub('acme', 'models', 7)
}, 120_000)
afterAll(async () => {
  await server?.stop()
  await github?.close()
})

const run = (inputs: Record<string, string>): Promise<ActionRun> =>
  runAction({ workspace, apiUrl: github.url, event: pullRequestEvent(7), inputs: { suite: 'suite.yml', server: 'connect', 'base-url': server.baseUrl, ...inputs } })

const readResults = async (file: string) => JSON.parse(await readFile(path.join(workspace, file), 'utf8')) as RunResults

/** What a reader compares: each case's verdict and checks; a speed check's message holds this run's figure, so only its verdict. */
const judged = (results: RunResults) =>
  results.cases.map((c) => ({ id: c.id, passed: c.passed, checks: c.checks.map(({ type, passed, message }) => ({ type, passed, ...(type === 'tokens-per-second' ? {} : { message }) })) }))

/** Runs shard 1..4 as the matrix does; each uploads its results file as artifact modelgate-shard-K. */
async function runShards(folder: string): Promise<ActionRun[]> {
  const runs: ActionRun[] = []
  for (let index = 1; index <= 4; index++) {
    const result = await run({ shard: `${index}/4`, 'results-file': `modelgate-shard-${index}.json` })
    await mkdir(path.join(workspace, folder, `modelgate-shard-${index}`), { recursive: true })
    await rename(path.join(workspace, `modelgate-shard-${index}.json`), path.join(workspace, folder, `modelgate-shard-${index}`, `modelgate-shard-${index}.json`))
    runs.push(result)
  }
  return runs
}

describe('a suite sharded over four jobs', () => {
  it('merges into the verdict, cases and checks of one unsharded run, in one comment', async () => {
    const whole = await run({ 'comment-tag': 'whole', 'results-file': 'whole.json' })
    expect(whole.exitCode).toBe(1)
    const unsharded = await readResults('whole.json')
    const before = github.comments.length

    const shards = await runShards('shards')
    for (const [i, shard] of shards.entries()) {
      // A shard leaves the verdict to the merge: its job passes, and it posts nothing.
      expect([i + 1, shard.exitCode, shard.summary]).toEqual([i + 1, 0, ''])
      expect(shard.stdout).toContain(`Shard ${i + 1}/4: no job summary or comment; the merge (mode: merge) publishes one for every shard.`)
      expect(shard.stdout).not.toContain('::error::')
    }
    expect(github.comments).toHaveLength(before)

    const merge = await run({ mode: 'merge', 'merge-from': 'shards', 'base-url': '', server: '', 'results-file': 'merged.json' })
    const merged = await readResults('merged.json')
    expect(merge.exitCode).toBe(whole.exitCode)
    expect(merged.passed).toBe(unsharded.passed)
    expect(merged.reason).toBe(unsharded.reason)
    expect(judged(merged)).toEqual(judged(unsharded))
    expect(merge.outputs).toMatchObject({ passed: 'false', 'failure-kind': whole.outputs['failure-kind']!, 'cases-passed': whole.outputs['cases-passed']!, 'cases-failed': whole.outputs['cases-failed']! })
    expect(merge.stdout).toContain(`::error::${unsharded.reason}`)

    expect(github.comments).toHaveLength(before + 1)
    const body = github.comments.find((c) => c.body.includes('tag="modelgate"'))!.body
    expect(body).toContain(`### ❌ modelgate failed: sharded smoke\n\n**8 of 11 cases passed.** ${unsharded.reason}`)
    expect(body).toContain('<summary>Merged from 4 results files in shards</summary>')
    expect(merge.summary).toContain('### ❌ modelgate failed: sharded smoke')
  }, 300_000)

  it('names a shard that left no results file, and fails', async () => {
    await runShards('three')
    const missing = [1, 2, 3, 4].find((index) => casesOfShard(ALL_IDS.map((id) => ({ id })), { index, count: 4 }).length > 0)!
    const held = casesOfShard(ALL_IDS.map((id) => ({ id })), { index: missing, count: 4 }).map((c) => c.id)
    await rm(path.join(workspace, 'three', `modelgate-shard-${missing}`), { recursive: true })

    const merge = await run({ mode: 'merge', 'merge-from': 'three', 'base-url': '', server: '', 'comment-tag': 'three', 'results-file': 'three.json' })
    expect(merge.exitCode).toBe(1)
    expect(merge.outputs['failure-kind']).toBe('infrastructure')
    expect(merge.stdout).toContain(`::error::Stopped early: shard ${missing}/4 left no results file (its cases: ${held.join(', ')})`)
    const body = github.comments.find((c) => c.body.includes('tag="three"'))!.body
    expect(body).toContain(`Not run: ${held.join(', ')}.`)
    expect(body).toContain(`| ${missing}/4 | – | ❌ no results file (its cases: ${held.join(', ')}) | – | – |`)
    expect((await readResults('three.json')).notRun).toEqual(held)
  }, 300_000)
})

describe('a comparison of two models', () => {
  it('puts them side by side in one comment and names the faster of those that pass', async () => {
    for (const label of ['good', 'slow']) {
      const result = await run({
        suite: 'passing.yml',
        server: 'llama.cpp',
        'base-url': '',
        model: `${label}.gguf`,
        'llama-server-path': process.env.LLAMA_SERVER!,
        label,
        comment: 'false',
        baseline: 'off',
        'results-file': `models/modelgate-${label}/modelgate-${label}.json`
      })
      expect([label, result.exitCode]).toEqual([label, 0])
    }
    const compare = await run({ suite: 'passing.yml', mode: 'merge', 'merge-from': 'models', 'base-url': '', server: '', 'comment-tag': 'comparison', 'results-file': 'comparison.json' })
    expect(compare.exitCode).toBe(0)
    expect(compare.outputs).toMatchObject({ passed: 'true', best: 'good', 'cases-passed': '6', 'cases-failed': '0' })
    const body = github.comments.find((c) => c.body.includes('tag="comparison"'))!.body
    expect(body).toMatch(/\*\*2 models compared on 3 cases\.\*\* All 2 models passed every case\. Best: good, [\d.]+ tokens\/s\./)
    expect(body).toMatch(/\*\*Best: good\*\* — the fastest median decode of the 2 models that pass every case, [\d.]+ tokens\/s\./)
    const table = body.slice(body.indexOf('| Case | good | slow |'))
    expect(table.split('\n').slice(0, 9)).toEqual([
      '| Case | good | slow |',
      '| --- | --- | --- |',
      '| **Result** | ✅ passed | ✅ passed |',
      '| **Cases passed** | 3 of 3 | 3 of 3 |',
      expect.stringMatching(/^\| \*\*Median decode tokens\/s\*\* \| [\d.]+ \| [\d.]+ \|$/),
      expect.stringMatching(/^\| \*\*Median time to first token \(ms\)\*\* \| [\d.]+ \| [\d.]+ \|$/),
      '| guard | ✅ | ✅ |',
      '| status | ✅ | ✅ |',
      '| null-check | ✅ | ✅ |'
    ])
    const results = await readResults('comparison.json')
    const [good, slow] = results.variants!
    expect(good!.tokensPerSecond!).toBeGreaterThan(slow!.tokensPerSecond!)
  }, 300_000)
})
