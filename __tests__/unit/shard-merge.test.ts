// `mode: merge` in-process: the shards of a suite, replayed against the fixture server (real
// llama-server transcripts) and written as results files the way download-artifact lays them
// out, merge into what one unsharded run gives; a missing or failed shard is named and fails the
// merge; runs of two models make one comparison table. Asserted is what a user reads.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseRunOptions, type RunOptions } from '../../src/options.js'
import { runPipeline } from '../../src/pipeline.js'
import { renderReport } from '../../src/report.js'
import { writeResultsFile } from '../../src/results-file.js'
import type { RunResults } from '../../src/results.js'
import { mergeRun } from '../../src/shard/merge.js'
import { casesOfShard } from '../../src/shard/select.js'
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js'
import { recordingHost, type RecordingHost } from '../support/host.js'
import { closedPort } from '../support/ports.js'
import { caseResult, repeats, runResults, sample } from '../support/samples.js'

// Ten cases, half of which the fixture's answer fails; names spread over all four shards.
const IDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet']
const SUITE = `name: sharded
server:
  backend: connect
defaults:
  max-tokens: 64
cases:
${IDS.map((id, i) => `  - id: ${id}\n    prompt: Case ${id}.\n    assert:\n      - type: ${i % 2 ? 'not-contains' : 'contains'}\n        value: Result.error(5000${i % 4}`).join('\n')}
`

let server: FixtureServer
let workspace: string

beforeAll(async () => {
  server = await startFixtureServer()
  workspace = await mkdtemp(path.join(os.tmpdir(), 'modelgate-merge-'))
  await writeFile(path.join(workspace, 'suite.yml'), SUITE)
})
afterAll(() => server.close())

function options(values: Record<string, string>): RunOptions {
  const all: Record<string, string> = { suite: 'suite.yml', 'base-url': server.url, ...values }
  return parseRunOptions((name) => all[name] ?? '', (name) => `input '${name}'`)
}

/** Runs shard k of 4 and writes its results where download-artifact would put artifact modelgate-shard-k. */
async function runShard(folder: string, index: number, values: Record<string, string> = {}): Promise<RunResults> {
  const host = recordingHost('action', workspace)
  const results = await runPipeline(options({ shard: `${index}/4`, ...values }), host)
  await writeResultsFile(path.join(folder, `modelgate-shard-${index}`, 'modelgate-results.json'), results, host)
  return results
}

async function merge(folder: string, values: Record<string, string> = {}): Promise<{ results: RunResults; host: RecordingHost; report: string }> {
  const host = recordingHost('action', workspace)
  const results = await mergeRun(options({ mode: 'merge', 'merge-from': folder, 'base-url': '', ...values }), host)
  return { results, host, report: renderReport(results) }
}

/** What a reader compares between two runs: each case's verdict and every check's. */
const judged = (results: RunResults) => results.cases.map((c) => ({ id: c.id, passed: c.passed, checks: c.checks.map(({ type, passed, message }) => ({ type, passed, message })) }))

describe('merging the shards of a suite', () => {
  let whole: RunResults
  beforeAll(async () => {
    whole = await runPipeline(options({}), recordingHost('action', workspace))
    for (let index = 1; index <= 4; index++) await runShard('shards', index)
  })

  it('gives the verdict, cases and checks of one unsharded run', async () => {
    const { results, report, host } = await merge('shards')
    expect(whole.passed).toBe(false)
    expect(results.passed).toBe(whole.passed)
    expect(results.reason).toBe(whole.reason)
    expect(results.failureKind).toBe(whole.failureKind)
    expect(judged(results)).toEqual(judged(whole))
    expect(results.errors).toEqual([])
    expect(results.notRun).toBeUndefined()
    expect(results.merge?.sources.map((s) => [s.file, s.shard, s.cases])).toEqual(
      [1, 2, 3, 4].map((index) => [`modelgate-shard-${index}/modelgate-results.json`, { index, count: 4 }, casesOfShard(IDS.map((id) => ({ id })), { index, count: 4 }).length])
    )
    expect(host.lines[0]).toBe('Merging 4 results files from shards')
    expect(report.split('\n').slice(0, 3)).toEqual(['### ❌ modelgate failed: sharded', '', `**5 of 10 cases passed.** ${whole.reason}`])
    expect(report).toContain('<details>\n<summary>Merged from 4 results files in shards</summary>\n\n| Shard | Cases | Result | Runner | Results file |')
  })

  it('names a shard that left no results file, and fails', async () => {
    const missing = [1, 2, 3, 4].find((index) => casesOfShard(IDS.map((id) => ({ id })), { index, count: 4 }).length > 0)!
    const held = casesOfShard(IDS.map((id) => ({ id })), { index: missing, count: 4 }).map((c) => c.id)
    for (let index = 1; index <= 4; index++) if (index !== missing) await runShard('three-of-four', index)

    const { results, report } = await merge('three-of-four')
    expect(results.passed).toBe(false)
    expect(results.failureKind).toBe('infrastructure')
    expect(results.errors[0]).toBe(`shard ${missing}/4 left no results file (its cases: ${held.join(', ')})`)
    expect(results.reason).toMatch(new RegExp(`^Stopped early: shard ${missing}/4 left no results file \\(its cases: ${held.join(', ')}\\); ${held.length} cases? not run\\. Failed: `))
    expect(results.notRun).toEqual(held)
    expect(results.merge?.missing).toEqual([{ label: 'good.gguf', shard: { index: missing, count: 4 }, cases: held }])
    expect(report).toContain(`Not run: ${held.join(', ')}.`)
    expect(report).toContain('<details open>\n<summary>Merged from 3 results files in three-of-four</summary>')
    expect(report).toContain(`| ${missing}/4 | – | ❌ no results file (its cases: ${held.join(', ')}) | – | – |`)
  })

  it('names a shard that stopped early, and fails', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`
    for (let index = 1; index <= 4; index++) await runShard('one-failed', index, index === 2 ? { 'base-url': dead, 'server-timeout': '1' } : {})
    const { results, report } = await merge('one-failed')
    expect(results.passed).toBe(false)
    expect(results.failureKind).toBe('infrastructure')
    expect(results.errors[0]).toMatch(new RegExp(`^shard 2/4: nothing is listening at ${dead}/v1`))
    expect(results.reason).toMatch(new RegExp(`^Stopped early: shard 2/4: nothing is listening at ${dead}/v1`))
    expect(results.notRun).toEqual(casesOfShard(IDS.map((id) => ({ id })), { index: 2, count: 4 }).map((c) => c.id))
    expect(report).toMatch(/\| 2\/4 \| 0 \| ⚠️ stopped early: nothing is listening at http:\/\/127\.0\.0\.1:\d+\/v1/)
  }, 30_000)

  it('says what it could not use, and fails', async () => {
    const folder = path.join(workspace, 'mixed-up')
    for (let index = 1; index <= 4; index++) await runShard('mixed-up', index)
    await writeFile(path.join(folder, 'notes.json'), '{"hello": "world"}')
    await writeFile(path.join(folder, 'broken.json'), '{"schemaVersion": 1,')
    const other = runResults([], { suite: { path: 'other.yml' } })
    await writeFile(path.join(folder, 'other.json'), JSON.stringify(other))
    const { results } = await merge('mixed-up')
    expect(results.passed).toBe(false)
    expect(results.errors.slice(0, 3)).toEqual([
      expect.stringMatching(/^broken\.json could not be read as JSON: /),
      'notes.json is not a modelgate results file',
      'other.json is a run of the suite other.yml, not of suite.yml'
    ])
    expect(judged(results)).toEqual(judged(whole))
  })

  it('takes the newer of two results files for one shard, and says so', async () => {
    for (let index = 1; index <= 4; index++) await runShard('twice', index)
    const again = await runShard('twice', 1)
    await writeResultsFile(path.join(workspace, 'twice', 'retry', 'modelgate-results.json'), { ...again, finishedAt: new Date(Date.now() + 60_000).toISOString() }, recordingHost('action', workspace))
    const { results } = await merge('twice')
    expect(results.errors).toEqual(['modelgate-shard-1/modelgate-results.json and retry/modelgate-results.json are both shard 1/4; the newer, retry/modelgate-results.json, is merged'])
  })

  it('names a folder that is not there, or holds nothing', async () => {
    expect((await merge('nowhere')).results.reason).toBe("Stopped early: cannot read input 'merge-from' 'nowhere': there is no such folder; did download-artifact run before this step, with that path?")
    await mkdir(path.join(workspace, 'empty'), { recursive: true })
    expect((await merge('empty')).results.reason).toBe("Stopped early: no results files in 'empty': did every run upload its results-file, and download-artifact fetch them all?")
  })
})

describe('a shard with none of the cases', () => {
  it('passes without starting a server, and merges into a pass', async () => {
    await writeFile(path.join(workspace, 'one.yml'), 'name: one\nserver:\n  backend: connect\ncases:\n  - id: only\n    prompt: Go.\n')
    const holder = casesOfShard([{ id: 'only' }], { index: 1, count: 4 }).length ? 1 : [2, 3, 4].find((k) => casesOfShard([{ id: 'only' }], { index: k, count: 4 }).length)!
    const empty = holder === 1 ? 2 : 1
    const host = recordingHost('action', workspace)
    const requests = server.chatRequests.length
    const results = await runPipeline(options({ suite: 'one.yml', shard: `${empty}/4` }), host)
    expect(server.chatRequests.length).toBe(requests)
    expect(results).toMatchObject({ passed: true, reason: `Shard ${empty}/4 holds none of the suite's 1 cases; nothing to run.`, cases: [], shard: { index: empty, count: 4 } })
    expect(host.lines).toEqual([`Shard ${empty}/4: 0 of the suite's 1 cases`])

    await rm(path.join(workspace, 'one'), { recursive: true, force: true })
    for (let index = 1; index <= 4; index++) {
      const shard = await runPipeline(options({ suite: 'one.yml', shard: `${index}/4` }), recordingHost('action', workspace))
      await writeResultsFile(path.join('one', `shard-${index}.json`), shard, host)
    }
    const merged = await mergeRun(options({ suite: 'one.yml', mode: 'merge', 'merge-from': 'one' }), host)
    expect([merged.passed, merged.reason, merged.cases.map((c) => c.id)]).toEqual([true, 'All 1 case passed.', ['only']])
  })
})

describe('a model comparison', () => {
  const fast = (text: string, rate: number, ttft: number) => sample(text, { tokensPerSecond: rate, ttftMs: ttft })
  const failing = (id: string) => caseResult(id, [fast('x', 40, 30)], [{ type: 'contains', passed: false, message: 'expected "requireNonNull"' }])

  async function compare(folder: string, runs: RunResults[]): Promise<{ results: RunResults; report: string }> {
    await writeFile(path.join(workspace, 'compare.yml'), 'name: compare\nserver:\n  backend: connect\ncases:\n  - id: guard\n    prompt: Go.\n  - id: status\n    prompt: Go.\n')
    for (const run of runs) await writeResultsFile(path.join(folder, `modelgate-${run.label}`, 'results.json'), run, recordingHost('action', workspace))
    const results = await mergeRun(options({ suite: 'compare.yml', mode: 'merge', 'merge-from': folder }), recordingHost('action', workspace))
    return { results, report: renderReport(results) }
  }
  const suite = { path: 'compare.yml', name: 'compare' }

  it('puts the models side by side and names the fastest that passes every case', async () => {
    const good = runResults([caseResult('guard', repeats(fast('a', 100, 20), fast('a', 120, 24))), caseResult('status', [fast('b', 110, 22)])], { label: 'good.gguf', suite })
    const quick = runResults([caseResult('guard', [fast('a', 400, 8)]), failing('status')], { label: 'quick.gguf', suite, passed: false, reason: 'Failed: status (contains)', failureKind: 'quality' })
    const steady = runResults([caseResult('guard', [fast('a', 60, 40)]), caseResult('status', [fast('b', 50, 44)])], { label: 'steady.gguf', suite })
    const { results, report } = await compare('models', [good, quick, steady])

    expect(results.passed).toBe(false)
    expect(results.best).toBe('good.gguf')
    expect(results.failureKind).toBe('quality')
    expect(results.reason).toBe('1 of 3 models failed. quick.gguf: Failed: status (contains). Best: good.gguf, 110.0 tokens/s.')
    expect(report.split('\n').slice(0, 5)).toEqual([
      '### ❌ modelgate failed: compare',
      '',
      '**3 models compared on 2 cases.** 1 of 3 models failed. quick.gguf: Failed: status (contains). Best: good.gguf, 110.0 tokens/s.',
      '',
      'Failure kind: `quality` — the model\'s answers failed a check.'
    ])
    expect(report).toContain('**Best: good.gguf** — the fastest median decode of the 2 models that pass every case, 110.0 tokens/s.')
    expect(report).toContain(
      [
        '| Case | good.gguf | quick.gguf | steady.gguf |',
        '| --- | --- | --- | --- |',
        '| **Result** | ✅ passed | ❌ failed | ✅ passed |',
        '| **Cases passed** | 2 of 2 | 1 of 2 | 2 of 2 |',
        '| **Median decode tokens/s** | 110.0 | 220.0 | 55.00 |',
        '| **Median time to first token (ms)** | 22.00 | 19.00 | 42.00 |',
        '| guard | ✅ | ✅ | ✅ |',
        '| status | ✅ | ❌ `contains` | ✅ |'
      ].join('\n')
    )
    expect(report).toContain('<summary>❌ quick.gguf: Failed: status (contains)</summary>')
  })

  it('says so when no model passes every case', async () => {
    const a = runResults([failing('guard'), failing('status')], { label: 'a', suite, passed: false, reason: 'Failed: guard (contains); status (contains)', failureKind: 'quality' })
    const b = runResults([caseResult('guard', [fast('a', 90, 10)]), failing('status')], { label: 'b', suite, passed: false, reason: 'Failed: status (contains)', failureKind: 'quality' })
    const { results, report } = await compare('none-pass', [a, b])
    expect(results.best).toBeUndefined()
    expect(results.reason).toBe('2 of 2 models failed. a: Failed: guard (contains); status (contains). b: Failed: status (contains). No model passed every case.')
    expect(report).toContain('**No model passes every case.**')
  })
})
