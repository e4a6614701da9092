// The action's run() with `shard` and `mode: merge`, in-process with @actions/core mocked (as in
// main.test.ts): shards post nothing and leave the verdict to the merge; the merge posts one
// comment and one summary, fails the step for them all, and names the best model of a comparison.
import { afterAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as core from '../support/core.js'
import { startFakeGitHub } from '../support/github-api.js'
import { startFixtureServer } from '../support/fixture-server.js'
import type { RunResults } from '../../src/results.js'
import { casesOfShard } from '../../src/shard/select.js'

jest.unstable_mockModule('@actions/core', () => core)

// @actions/github reads the event and the API URL when it loads: set them up first.
const workspace = await mkdtemp(path.join(os.tmpdir(), 'modelgate-shard-action-'))
const api = await startFakeGitHub('acme', 'models', 7)
const server = await startFixtureServer()
const eventPath = path.join(workspace, 'event.json')
await writeFile(eventPath, JSON.stringify({ number: 7, pull_request: { number: 7 } }))
Object.assign(process.env, {
  GITHUB_WORKSPACE: workspace,
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_EVENT_PATH: eventPath,
  GITHUB_REPOSITORY: 'acme/models',
  GITHUB_API_URL: api.url,
  GITHUB_GRAPHQL_URL: `${api.url}/graphql`,
  GITHUB_STEP_SUMMARY: path.join(workspace, 'summary.md')
})
const { run } = await import('../../src/main.js')

const IDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot']
const SUITE = `name: fixture
cases:
${IDS.map((id) => `  - id: ${id}\n    prompt: Case ${id}.\n    assert:\n      - type: contains\n        value: ${id === 'delta' ? 'validateUserStatus(' : 'Result.error(50003'}`).join('\n')}
`

afterAll(async () => {
  await Promise.all([api.close(), server.close()])
})

beforeEach(async () => {
  core.resetCore()
  api.comments.length = 0
  await writeFile(path.join(workspace, 'suite.yml'), SUITE)
  Object.assign(core.inputs, core.connectInputs(server.url), { mode: 'run' })
})

/** Runs every shard of 3 as a matrix job would, each writing where its artifact is downloaded to. */
async function runShards(folder: string, inputs: Record<string, string> = {}): Promise<void> {
  for (let index = 1; index <= 3; index++) {
    core.resetCore()
    Object.assign(core.inputs, { suite: 'suite.yml', server: 'connect', 'base-url': server.url, comment: 'true', 'github-token': 'ghs_testToken0123456789', ...inputs })
    core.inputs.shard = `${index}/3`
    core.inputs['results-file'] = `${folder}/shard-${index}/modelgate-results.json`
    await run()
  }
}

describe('a shard in the action', () => {
  it('writes its results and outputs, posts no comment or summary, and leaves the verdict to the merge', async () => {
    const index = [1, 2, 3].find((k) => casesOfShard([{ id: 'delta' }], { index: k, count: 3 }).length)!
    core.inputs.shard = `${index}/3`
    await run()
    expect(api.comments).toHaveLength(0)
    expect(core.summary.write).not.toHaveBeenCalled()
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.outputs()).toMatchObject({ passed: 'false', 'failure-kind': 'quality' })
    expect(core.info).toHaveBeenCalledWith(`Shard ${index}/3: no job summary or comment; the merge (mode: merge) publishes one for every shard.`)
    expect(core.info).toHaveBeenCalledWith(expect.stringMatching(new RegExp(`^Shard ${index}/3 failed: Failed: delta \\(contains\\) The merge gives the verdict\\.$`)))
    const results = JSON.parse(await readFile(path.join(workspace, 'modelgate-results.json'), 'utf8')) as RunResults
    expect(results.shard).toEqual({ index, count: 3 })
  })

  it('still fails the step on a bad input, and its results file says which shard it was', async () => {
    core.inputs.shard = '2/3'
    core.inputs.concurrency = '0'
    await run()
    expect(core.setFailed).toHaveBeenCalledWith("Invalid input 'concurrency' '0': expected a whole number from 1 to 64.")
    const results = JSON.parse(await readFile(path.join(workspace, 'modelgate-results.json'), 'utf8')) as RunResults
    expect(results).toMatchObject({ passed: false, shard: { index: 2, count: 3 }, failureKind: 'infrastructure' })
  })
})

describe('mode: merge in the action', () => {
  it('posts one comment and one summary for every shard, and fails the step with the merged reason', async () => {
    await runShards('shards')
    expect(api.comments).toHaveLength(0)
    core.resetCore()
    Object.assign(core.inputs, { suite: 'suite.yml', mode: 'merge', 'merge-from': 'shards', comment: 'true', 'github-token': 'ghs_testToken0123456789', 'comment-tag': 'modelgate', 'results-file': 'merged.json' })
    await run()
    expect(core.setFailed).toHaveBeenCalledWith('Failed: delta (contains)')
    expect(core.outputs()).toMatchObject({ passed: 'false', 'cases-passed': '5', 'cases-failed': '1', 'failure-kind': 'quality' })
    expect(api.comments).toHaveLength(1)
    expect(api.comments[0]!.body.split('\n').slice(0, 5)).toEqual(['<!-- modelgate:sticky-comment tag="modelgate" -->', '', '### ❌ modelgate failed: fixture', '', '**5 of 6 cases passed.** Failed: delta (contains)'])
    expect(core.summaryText.join('')).toContain('<summary>Merged from 3 results files in shards</summary>')
    const merged = JSON.parse(await readFile(path.join(workspace, 'merged.json'), 'utf8')) as RunResults
    expect(merged.cases.map((c) => c.id)).toEqual(IDS)
  })

  it('fails naming the shard that left nothing', async () => {
    await runShards('gone')
    const index = [1, 2, 3].find((k) => casesOfShard(IDS.map((id) => ({ id })), { index: k, count: 3 }).length)!
    await rm(path.join(workspace, 'gone', `shard-${index}`), { recursive: true })
    core.resetCore()
    Object.assign(core.inputs, { suite: 'suite.yml', mode: 'merge', 'merge-from': 'gone', comment: 'false', 'results-file': 'merged.json' })
    await run()
    expect(core.setFailed).toHaveBeenCalledWith(expect.stringMatching(new RegExp(`^Stopped early: shard ${index}/3 left no results file \\(its cases: `)))
    expect(core.outputs()).toMatchObject({ passed: 'false', 'failure-kind': 'infrastructure' })
  })

  it('compares runs with two labels and names the best in an output', async () => {
    for (const label of ['first', 'second']) {
      core.resetCore()
      Object.assign(core.inputs, { suite: 'suite.yml', server: 'connect', 'base-url': server.url, comment: 'false', label, 'results-file': `models/${label}/modelgate-results.json` })
      await run()
    }
    core.resetCore()
    Object.assign(core.inputs, { suite: 'suite.yml', mode: 'merge', 'merge-from': 'models', comment: 'true', 'github-token': 'ghs_testToken0123456789', 'comment-tag': 'compare', 'results-file': 'merged.json' })
    await run()
    // The fixture answers both alike: both fail delta, so neither is best.
    expect(core.outputs()).toMatchObject({ passed: 'false', 'cases-passed': '10', 'cases-failed': '2' })
    expect(core.outputs().best).toBeUndefined()
    const body = api.comments.find((c) => c.body.includes('tag="compare"'))!.body
    expect(body).toContain('**2 models compared on 6 cases.** 2 of 2 models failed. first: Failed: delta (contains). second: Failed: delta (contains). No model passed every case.')
    expect(body).toContain('| Case | first | second |')
    expect(body).toContain('| delta | ❌ `contains` | ❌ `contains` |')
  })

  it('needs merge-from, and takes no shard', async () => {
    core.inputs.mode = 'merge'
    await run()
    expect(core.setFailed).toHaveBeenCalledWith("Missing input 'merge-from': with mode 'merge', the folder the runs' results files were downloaded to.")
    core.resetCore()
    Object.assign(core.inputs, { suite: 'suite.yml', mode: 'merge', 'merge-from': 'shards', shard: '1/2' })
    await run()
    expect(core.setFailed).toHaveBeenCalledWith("input 'shard' is for mode 'run': a merge reads every shard.")
  })
})
