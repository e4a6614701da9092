// The action's run() in-process, with @actions/core mocked as GitHub's typescript-action template
// does it; the model server is the fixture server and GitHub the loopback stand-in, so what is
// asserted is what the runner, the PR and the results file would get.
import { afterAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as core from '../support/core.js'
import { startFakeGitHub } from '../support/github-api.js'
import { startFixtureServer } from '../support/fixture-server.js'
import type { RunResults } from '../../src/results.js'

jest.unstable_mockModule('@actions/core', () => core)

// @actions/github reads the event and the API URL when it loads: set them up first.
const workspace = await mkdtemp(path.join(os.tmpdir(), 'modelgate-main-'))
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
const github = await import('@actions/github')
const { run } = await import('../../src/main.js')

const SUITE = `name: fixture
cases:
  - id: keeps-validation
    prompt: Write updateUserStatus.
    assert:
      - type: contains
        value: Result.error(50003
`

afterAll(async () => {
  await Promise.all([api.close(), server.close()])
})

beforeEach(async () => {
  core.resetCore()
  api.comments.length = 0
  await writeFile(path.join(workspace, 'suite.yml'), SUITE)
  Object.assign(core.inputs, core.connectInputs(server.url))
})

const warnings = () => core.warning.mock.calls.map(([message]) => String(message))

describe('the action', () => {
  it('passes, sets every output, writes the results file and posts one sticky comment', async () => {
    await run()
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.info).toHaveBeenCalledWith('All 1 case passed.')
    const outputs = core.outputs()
    expect(outputs).toMatchObject({ passed: 'true', 'cases-passed': '1', 'cases-failed': '0', 'results-file': path.join(workspace, 'modelgate-results.json') })
    expect(Number(outputs['tokens-per-second'])).toBeGreaterThan(0)
    expect(outputs['comment-url']).toBe(api.comments[0]!.html_url)
    const results = JSON.parse(await readFile(path.join(workspace, 'modelgate-results.json'), 'utf8')) as RunResults
    expect(results.passed).toBe(true)
    expect(api.comments).toHaveLength(1)
    expect(api.comments[0]!.body.split('\n').slice(0, 3)).toEqual(['<!-- modelgate:sticky-comment tag="modelgate" -->', '', '### ✅ modelgate passed: fixture'])
    expect(core.summaryText.join('')).toContain('### ✅ modelgate passed: fixture')
    expect(core.saveState).toHaveBeenCalledWith('backend', 'connect')
    expect(core.setSecret).toHaveBeenCalledWith('ghs_testToken0123456789')

    await run()
    expect(api.comments).toHaveLength(1)
  })

  it('fails the step with one line naming the case and check', async () => {
    await writeFile(path.join(workspace, 'suite.yml'), SUITE.replace('Result.error(50003', 'validateUserStatus('))
    await run()
    expect(core.setFailed).toHaveBeenCalledWith('Failed: keeps-validation (contains)')
    expect(core.outputs()).toMatchObject({ passed: 'false', 'cases-passed': '0', 'cases-failed': '1' })
  })

  it('rejects a bad input by its name and the allowed values before anything runs, and still writes the results file', async () => {
    core.inputs.server = 'ollama'
    await run()
    const message = "Invalid input 'server' 'ollama': expected one of connect, llama.cpp, lmstudio."
    expect(core.setFailed).toHaveBeenCalledWith(message)
    const file = path.join(workspace, 'modelgate-results.json')
    expect(core.outputs()).toEqual({ 'results-file': file, passed: 'false', 'failure-kind': 'infrastructure' })
    const results = JSON.parse(await readFile(file, 'utf8')) as RunResults
    expect(results).toMatchObject({ passed: false, errors: [message], cases: [], failureKind: 'infrastructure' })
    expect(api.comments).toHaveLength(0)
  })

  it('needs the suite input', async () => {
    core.inputs.suite = ''
    await run()
    expect(core.setFailed).toHaveBeenCalledWith("Missing input 'suite': the path of the suite YAML, relative to the workspace.")
  })

  it('masks the api-key before anything can print it', async () => {
    core.inputs['api-key'] = 'sk-local-secret'
    await run()
    expect(core.setSecret).toHaveBeenCalledWith('sk-local-secret')
    expect(core.setSecret.mock.invocationCallOrder[0]).toBeLessThan(core.info.mock.invocationCallOrder[0]!)
  })

  it('still writes the summary, outputs and comment when the results file cannot be written', async () => {
    core.inputs['results-file'] = 'suite.yml/results.json'
    await run()
    expect(warnings()).toContainEqual(expect.stringMatching(/^could not write results-file 'suite\.yml\/results\.json': .*\. The job summary and the comment still hold the report\.$/))
    expect(core.outputs()).toMatchObject({ passed: 'true' })
    expect(core.outputs()['results-file']).toBeUndefined()
    expect(api.comments).toHaveLength(1)
  })

  it('reports a stopped run in the comment and fails with the cause', async () => {
    core.inputs['base-url'] = ''
    await run()
    expect(core.setFailed).toHaveBeenCalledWith("Stopped early: server 'connect' needs a base URL: set the input 'base-url' or server.base-url in the suite")
    expect(api.comments[0]!.body).toContain('modelgate failed')
    expect(core.outputs()).toMatchObject({ passed: 'false', 'cases-passed': '0', 'cases-failed': '0' })
  })

  it('warns with the permission to add when the token cannot comment, and keeps the verdict', async () => {
    api.writeStatus = 403
    try {
      await run()
    } finally {
      api.writeStatus = undefined
    }
    expect(warnings()).toContainEqual(expect.stringContaining("Give the job 'permissions: pull-requests: write'"))
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.outputs()).toMatchObject({ passed: 'true' })
  })

  it('posts nothing outside a pull request, or when told not to, or without a token', async () => {
    core.inputs.comment = 'false'
    await run()
    core.inputs.comment = 'true'
    core.inputs['github-token'] = ''
    await run()
    expect(warnings()).toContain('github-token is empty: no comment posted. The job summary and the results file hold the report.')
    const payload = github.context.payload
    github.context.payload = {}
    github.context.eventName = 'push'
    try {
      core.inputs['github-token'] = 'ghs_testToken0123456789'
      await run()
    } finally {
      github.context.payload = payload
      github.context.eventName = 'pull_request'
    }
    expect(core.info).toHaveBeenCalledWith('No pull request in this push event; no comment posted.')
    expect(api.comments).toHaveLength(0)
  })
})
