// The clients the benchmark times against the same llama-server: modelgate's bundled action (as
// the runner starts it), the Python floor loop, and promptfoo's eval. Each run reports its wall
// time from spawn to exit, its peak memory and CPU time, the server's own time for its requests,
// and whether another process took the machine meanwhile.
import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runAction } from '../../__tests__/support/runner.js'
import type { RunResults } from '../../src/results.js'
import { watchMachine } from './machine.js'
import { PROMPTFOO_PROMPT, promptfooConfig, requestBodies, suiteYaml, type BenchSuite } from './suites.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const PEAK_RSS_PROBE = path.join(here, 'peak-rss.mjs')
export const PROMPTFOO_VERSION = '0.123.1'

export interface ClientRun {
  client: string
  wallMs: number
  maxRssMb: number
  /** The heap after a full collection at exit (modelgate runs with `liveHeap`), in MB. */
  liveHeapMb?: number
  cpuMs: number
  requests: number
  /** The server's prompt + predicted time for this client's measured requests, in ms. */
  serverMs: number
  /** The same from llama-server's /metrics: every request, a warm-up too. */
  metricsMs: number
  foreignShare: number
  busy: boolean
  results?: RunResults
  /** The job summary modelgate wrote, in characters. */
  summaryChars?: number
}

export interface ServerUnderTest {
  baseUrl: string
  model: string
  pid: number | undefined
}

/** llama-server's cumulative prompt and decode seconds (`--metrics`), in ms. */
export async function serverWorkMs(baseUrl: string): Promise<number> {
  const metrics = `${new URL(baseUrl).origin}/metrics`
  const text = await (await fetch(metrics)).text()
  const value = (name: string) => Number(text.match(new RegExp(`^llamacpp:${name} ([0-9.e+-]+)$`, 'm'))?.[1] ?? NaN)
  const total = (value('prompt_seconds_total') + value('tokens_predicted_seconds_total')) * 1000
  if (!Number.isFinite(total)) throw new Error(`${metrics} has no llamacpp:prompt_seconds_total / tokens_predicted_seconds_total: start llama-server with --metrics`)
  return total
}

async function peakOf(dir: string): Promise<{ maxRssMb: number; cpuMs: number; liveHeapMb?: number }> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json'))
  if (files.length === 0) throw new Error(`no peak-memory probe wrote to ${dir}: the measured process did not exit normally`)
  const probes = await Promise.all(
    files.map(async (f) => JSON.parse(await readFile(path.join(dir, f), 'utf8')) as { maxRssKb: number; cpuMs: number; liveHeapKb?: number })
  )
  const live = probes.map((p) => p.liveHeapKb).filter((v): v is number => v !== undefined)
  return {
    maxRssMb: Math.max(...probes.map((p) => p.maxRssKb)) / 1024,
    cpuMs: probes.reduce((n, p) => n + p.cpuMs, 0),
    ...(live.length ? { liveHeapMb: Math.max(...live) / 1024 } : {})
  }
}

function serverMsOf(results: RunResults): { ms: number; requests: number } {
  const samples = results.cases.flatMap((c) => c.samples)
  return { ms: samples.reduce((n, s) => n + (s.server?.ttftMs ?? 0) + (s.server?.predictedMs ?? 0), 0), requests: samples.length }
}

/**
 * Runs one client against the server and brackets it: llama-server's /metrics before and after
 * (its work for everything the client sent), and what else took the machine meanwhile. `run`
 * gives its own CPU time, which counts as measured work.
 */
async function measured<T extends { cpuMs: number }>(server: ServerUnderTest, run: () => Promise<T>): Promise<T & { metricsMs: number; foreignShare: number; busy: boolean }> {
  const metrics0 = await serverWorkMs(server.baseUrl)
  const watch = watchMachine(server.pid)
  const result = await run()
  const machine = watch.stop(result.cpuMs)
  return { ...result, metricsMs: (await serverWorkMs(server.baseUrl)) - metrics0, ...machine }
}

export interface ModelgateRunOptions {
  suite: BenchSuite
  concurrency?: number
  /** Measure peak memory with the probe (a few ms of start-up: off for the start-up figure). */
  probe?: boolean
  /** Also collect the garbage at exit and say what the heap still holds (--expose-gc). */
  liveHeap?: boolean
  entry?: string
}

/** The bundled action in connect mode, with the inputs a workflow would give, in a fresh workspace. */
export async function runModelgate(server: ServerUnderTest, options: ModelgateRunOptions): Promise<ClientRun> {
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'modelgate-bench-run-'))
  const probeDir = path.join(workspace, '.probe')
  await mkdir(probeDir)
  await writeFile(path.join(workspace, 'suite.yml'), suiteYaml(options.suite))
  const { run, metricsMs, foreignShare, busy, ...peak } = await measured(server, async () => {
    const run = await runAction({
      workspace,
      entry: options.entry,
      nodeArgs: options.probe === false ? [] : [...(options.liveHeap ? ['--expose-gc'] : []), '--import', PEAK_RSS_PROBE],
      env: { MODELGATE_BENCH_RSS_DIR: probeDir },
      timeoutMs: 30 * 60_000,
      inputs: {
        suite: 'suite.yml',
        'base-url': server.baseUrl,
        baseline: 'off',
        'github-token': '',
        comment: 'false',
        ...(options.concurrency ? { concurrency: String(options.concurrency) } : {})
      }
    })
    return { run, ...(options.probe === false ? { maxRssMb: NaN, cpuMs: 0 } : await peakOf(probeDir)) }
  })
  const resultsPath = path.join(workspace, 'modelgate-results.json')
  if (!existsSync(resultsPath)) throw new Error(`modelgate wrote no results file (exit ${run.exitCode}):\n${run.stdout.slice(-2000)}`)
  const results = JSON.parse(await readFile(resultsPath, 'utf8')) as RunResults
  if (run.exitCode !== 0 || !results.passed) throw new Error(`modelgate's run failed (exit ${run.exitCode}): ${results.reason}\n${run.stdout.slice(-2000)}`)
  const server_ = serverMsOf(results)
  return { client: 'modelgate', wallMs: run.wallMs, ...peak, requests: server_.requests, serverMs: server_.ms, metricsMs, foreignShare, busy, results, summaryChars: run.summary.length }
}

function spawnTimed(command: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string }): Promise<{ wallMs: number; code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now()
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ wallMs: performance.now() - startedAt, code, stdout, stderr }))
    child.stdin.end(options.input ?? '')
  })
}

/** The same requests through the 29-line Python streaming loop. */
export async function runFloor(server: ServerUnderTest, suite: BenchSuite): Promise<ClientRun> {
  const bodies = requestBodies(suite, server.model)
  const floor = await measured(server, async () => {
    const run = await spawnTimed('python3', [path.join(here, 'floor.py'), server.baseUrl], { input: JSON.stringify(bodies) })
    if (run.code !== 0) throw new Error(`the Python floor loop failed (exit ${run.code}): ${run.stderr.slice(-2000)}`)
    return { wallMs: run.wallMs, ...(JSON.parse(run.stdout) as { answers: number; cpuMs: number; maxRssKb: number }) }
  })
  // Its requests are all measured ones, so the server's time for them is all of /metrics'.
  const { answers, maxRssKb, ...rest } = floor
  return { client: 'python loop', ...rest, maxRssMb: maxRssKb / 1024, requests: answers, serverMs: floor.metricsMs }
}

/** promptfoo, installed once from its pinned lockfile into the cache, never into the project. */
export function installPromptfoo(node: string): string {
  const dir = path.join(os.homedir(), '.cache', 'modelgate', `promptfoo-${PROMPTFOO_VERSION}`)
  const entry = path.join(dir, 'node_modules', 'promptfoo', 'dist', 'src', 'entrypoint.js')
  if (!existsSync(entry)) {
    process.stderr.write(`installing promptfoo ${PROMPTFOO_VERSION} into ${dir} (npm ci from scripts/bench/promptfoo)\n`)
    mkdirSync(dir, { recursive: true })
    for (const file of ['package.json', 'package-lock.json']) copyFileSync(path.join(here, 'promptfoo', file), path.join(dir, file))
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] })
  }
  const version = execFileSync(node, [entry, '--version'], { encoding: 'utf8', env: promptfooEnv(dir) }).trim()
  if (!version.includes(PROMPTFOO_VERSION)) throw new Error(`promptfoo in ${dir} says ${version}, not ${PROMPTFOO_VERSION}`)
  return entry
}

function promptfooEnv(configDir: string): NodeJS.ProcessEnv {
  // No network here: telemetry and the update check would only wait on it.
  return { ...process.env, PROMPTFOO_CONFIG_DIR: configDir, PROMPTFOO_DISABLE_TELEMETRY: '1', PROMPTFOO_DISABLE_UPDATE: '1', OPENAI_API_KEY: 'not-needed' }
}

/** promptfoo eval of the same cases and repeats: no cache, one request at a time. */
export async function runPromptfoo(server: ServerUnderTest, suite: BenchSuite, node: string, entry: string, configDir: string): Promise<ClientRun> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'modelgate-bench-promptfoo-'))
  const probeDir = path.join(work, '.probe')
  await mkdir(probeDir)
  await writeFile(path.join(work, 'prompt.json'), PROMPTFOO_PROMPT)
  await writeFile(path.join(work, 'promptfooconfig.json'), promptfooConfig(suite, server.baseUrl))
  const args = [entry, 'eval', '-c', 'promptfooconfig.json', '--no-cache', '-j', '1', '--repeat', String(suite.repeat), '--no-progress-bar', '--no-table', '-o', 'out.json']
  const { run, metricsMs, foreignShare, busy, ...peak } = await measured(server, async () => {
    const run = await spawnTimed(node, ['--import', PEAK_RSS_PROBE, ...args], { cwd: work, env: { ...promptfooEnv(configDir), MODELGATE_BENCH_RSS_DIR: probeDir } })
    return { run, ...(await peakOf(probeDir)) }
  })
  const out = existsSync(path.join(work, 'out.json')) ? (JSON.parse(await readFile(path.join(work, 'out.json'), 'utf8')) as { results?: { stats?: { successes?: number; failures?: number; errors?: number } } }) : undefined
  const stats = out?.results?.stats
  const expected = suite.cases * suite.repeat
  if (run.code !== 0 || stats?.successes !== expected) {
    throw new Error(`promptfoo's eval did not pass all ${expected} (exit ${run.code}, ${JSON.stringify(stats)}): ${(run.stderr + run.stdout).slice(-2000)}`)
  }
  return { client: `promptfoo ${PROMPTFOO_VERSION}`, wallMs: run.wallMs, ...peak, requests: expected, serverMs: metricsMs, metricsMs, foreignShare, busy }
}

/** A promptfoo config folder (its database) shared by the measured runs, as on a user's machine. */
export function promptfooConfigDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'modelgate-bench-promptfoo-home-'))
}
