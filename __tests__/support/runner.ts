// Runs a bundled entry point the way the GitHub runner does: inputs as INPUT_* (defaults from
// action.yml), the event payload in a file, and the command files for outputs, state and the
// job summary. It runs under Node 24, as `runs.using: node24` does on GitHub.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface ActionRun {
  exitCode: number | null
  /** From just before the spawn to the child's exit, in ms. */
  wallMs: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
  workspace: string
}

export interface RunActionOptions {
  inputs: Record<string, string>
  workspace: string
  apiUrl?: string
  event?: { name: string; payload: object }
  /** State saved by the main step, for the post step. */
  state?: Record<string, string>
  entry?: string
  /** Node's own flags, before the entry point (the benchmark's peak-memory probe). */
  nodeArgs?: string[]
  /** Arguments after the entry point (the CLI's). */
  args?: string[]
  env?: Record<string, string>
  timeoutMs?: number
  /** Sees stdout as it arrives, to act in the middle of a run. */
  onStdout?(text: string, child: ChildProcess): void
  /** Sees the child once started, e.g. to cancel it. */
  onStart?(child: ChildProcess, files: { state: string }): void
}

export const GITHUB_TOKEN = 'ghs_fakeTokenForTests0123456789'

/** The node binary GitHub would use for `node24` (fetched by the e2e global setup). */
export function node24(): string {
  const bin = process.env.MODELGATE_NODE24
  if (!bin) throw new Error('MODELGATE_NODE24 is not set: the e2e global setup (scripts/fetch-node24.sh) did not run')
  return bin
}

async function actionDefaults(): Promise<Record<string, string>> {
  const action = parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> }
  const defaults: Record<string, string> = {}
  for (const [name, input] of Object.entries(action.inputs)) {
    defaults[name] = (input.default ?? '').replace('${{ github.token }}', GITHUB_TOKEN)
  }
  return defaults
}

/** Parses the runner's command-file format: `name=value` lines and `name<<DELIM` heredocs. */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const heredoc = line.match(/^([^=]+)<<(.+)$/)
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1)
      values[heredoc[1]!] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (line.includes('=')) {
      values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return values
}

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'modelgate-runner-'))
  const files = { output: path.join(dir, 'output'), state: path.join(dir, 'state'), summary: path.join(dir, 'summary'), event: path.join(dir, 'event.json') }
  await Promise.all([writeFile(files.output, ''), writeFile(files.state, ''), writeFile(files.summary, '')])
  const event = options.event ?? { name: 'push', payload: {} }
  await writeFile(files.event, JSON.stringify(event.payload))

  const inputs = { ...(await actionDefaults()), ...options.inputs }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: 'acme/models',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/pull/7/merge',
    GITHUB_RUN_ID: '42',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: options.apiUrl ?? 'http://127.0.0.1:9',
    GITHUB_GRAPHQL_URL: `${options.apiUrl ?? 'http://127.0.0.1:9'}/graphql`,
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: dir,
    RUNNER_NAME: 'test-runner',
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value])),
    ...Object.fromEntries(Object.entries(options.state ?? {}).map(([name, value]) => [`STATE_${name}`, value])),
    ...options.env
  }

  const spawnedAt = performance.now()
  const child = spawn(node24(), [...(options.nodeArgs ?? []), path.resolve(ROOT, options.entry ?? 'dist/index.js'), ...(options.args ?? [])], { cwd: options.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  options.onStart?.(child, files)
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString()
    options.onStdout?.(stdout, child)
  })
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve))
  const wallMs = performance.now() - spawnedAt
  clearTimeout(timer)

  return {
    exitCode,
    wallMs,
    stdout,
    stderr,
    outputs: parseCommandFile(await readFile(files.output, 'utf8')),
    state: parseCommandFile(await readFile(files.state, 'utf8')),
    summary: await readFile(files.summary, 'utf8'),
    workspace: options.workspace
  }
}

export function pullRequestEvent(number = 7): { name: string; payload: object } {
  return {
    name: 'pull_request',
    payload: { action: 'synchronize', number, pull_request: { number, head: { sha: 'abc' } }, repository: { name: 'models', owner: { login: 'acme' } } }
  }
}
