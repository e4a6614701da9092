// Starts llama-server with the suite's settings, waits until it is ready while watching the
// process, and always stops it. The post step stops it too if the job is cancelled.
import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { constants, createReadStream, createWriteStream, type WriteStream } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import * as core from '@actions/core'
import { readGgufHeader } from '../gguf/reader.js'
import { State } from '../inputs.js'
import { inActions, info } from '../log.js'
import type { ServerReport } from '../results.js'
import { optionNames, settingsToFlags, SettingError, type ModelFacts } from './llamacpp-flags.js'
import { ServerStartError, type ServerSession, type SessionOptions } from './types.js'

const run = promisify(execFile)
const LOG_TAIL_LINES = 40

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK)
    return (await stat(file)).isFile()
  } catch {
    return false
  }
}

export async function findLlamaServer(explicit: string | undefined): Promise<string> {
  if (explicit) {
    if (await isExecutable(explicit)) return path.resolve(explicit)
    throw new Error(`llama-server-path '${explicit}' is not an executable file`)
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'llama-server')
    if (await isExecutable(candidate)) return candidate
  }
  throw new Error("llama-server was not found on PATH: install llama.cpp on the runner or set the input 'llama-server-path'")
}

/** Every option we pass must be one this build knows; an older build would exit on it. */
async function checkBuildKnows(binary: string, flags: string[]): Promise<string> {
  let help: string
  try {
    const out = await run(binary, ['--help'], { timeout: 20_000, maxBuffer: 8 * 1024 * 1024 })
    help = `${out.stdout}\n${out.stderr}`
  } catch (error) {
    const out = error as { stdout?: string; stderr?: string; message: string }
    help = `${out.stdout ?? ''}\n${out.stderr ?? ''}`
    if (!help.trim()) throw new Error(`${binary} --help failed: ${out.message}`, { cause: error })
  }
  const unknown = [...new Set(optionNames(flags))].filter((flag) => !new RegExp(`(^|[\\s,])${flag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([\\s,=]|$)`, 'm').test(help))
  if (unknown.length > 0) {
    throw new Error(`${binary} is too old or not llama-server: it does not know ${unknown.join(', ')} (modelgate needs a llama.cpp build with --fit and --load-mode)`)
  }
  try {
    const version = await run(binary, ['--version'], { timeout: 20_000 })
    return `${version.stdout}${version.stderr}`.match(/version: .*/)?.[0] ?? ''
  } catch {
    return ''
  }
}

function valueOf(args: readonly string[], flag: string): string | undefined {
  const at = args.lastIndexOf(flag)
  return at >= 0 ? args[at + 1] : undefined
}

export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

async function inspectModel(file: string): Promise<ModelFacts & { sizeBytes: number }> {
  const header = await readGgufHeader(file)
  const blocks = header.architecture ? header.metadata[`${header.architecture}.block_count`] : undefined
  return {
    architecture: header.architecture,
    blockCount: typeof blocks === 'number' || typeof blocks === 'bigint' ? Number(blocks) : undefined,
    sizeBytes: (await stat(file)).size
  }
}

/** Keeps the last lines of the server's log in memory and all of it in a file. */
class ServerLog {
  private readonly lines: string[] = []
  private partial = ''
  private readonly file: WriteStream

  constructor(readonly filePath: string) {
    this.file = createWriteStream(filePath)
  }

  write(chunk: Buffer): void {
    this.file.write(chunk)
    const text = this.partial + chunk.toString('utf8')
    const parts = text.split('\n')
    this.partial = parts.pop() ?? ''
    for (const line of parts) this.push(line)
  }

  private push(line: string): void {
    this.lines.push(line.replace(/\r$/, ''))
    if (this.lines.length > LOG_TAIL_LINES) this.lines.shift()
  }

  tail(): string[] {
    return this.partial ? [...this.lines, this.partial].slice(-LOG_TAIL_LINES) : [...this.lines]
  }

  /** The lines llama.cpp marks as errors, else the last few: what a one-line message should quote. */
  reason(): string {
    const errors = this.tail().filter((l) => / E /.test(l) || /error/i.test(l))
    const picked = (errors.length ? errors : this.tail()).slice(-2).map((l) => l.replace(/^\d+\.\d+\.\d+\.\d+ [A-Z] /, '').trim())
    return picked.join(' | ')
  }

  close(): void {
    this.file.end()
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  let timer: NodeJS.Timeout | undefined
  // llama-server's shutdown can wait on a stream that is still in flight; it gets a few seconds.
  const gaveUp = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 5_000)))
  const killed = await Promise.race([exited.then(() => true), gaveUp])
  clearTimeout(timer)
  if (!killed) {
    child.kill('SIGKILL')
    await exited
  }
}

async function waitUntilReady(origin: string, child: ChildProcess, log: ServerLog, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let exit: string | undefined
  child.once('exit', (code, signal) => (exit = signal ? `was killed by ${signal}` : `exited with code ${code}`))
  let lastStatus = 'no answer'
  while (Date.now() < deadline) {
    if (exit) throw new Error(`llama-server ${exit} before it was ready: ${log.reason() || 'it printed nothing'}`)
    try {
      const response = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2000) })
      if (response.status === 200) return
      lastStatus = response.status === 503 ? 'still loading the model (503)' : `HTTP ${response.status}`
    } catch {
      lastStatus = 'not listening yet'
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  if (exit) throw new Error(`llama-server ${exit} before it was ready: ${log.reason() || 'it printed nothing'}`)
  throw new Error(`llama-server was not ready after ${Math.round(timeoutMs / 1000)} s (${lastStatus} at ${origin}/health); raise the input 'server-timeout' for a large model`)
}

export async function startLlamaServer(options: SessionOptions): Promise<ServerSession> {
  if (!options.model) throw new Error("server 'llama.cpp' needs a model: set the input 'model' or server.model in the suite (a GGUF file)")
  if (/^https?:\/\//.test(options.model)) {
    throw new Error(`model '${options.model}' is a URL; server 'llama.cpp' needs a local GGUF file (download it in an earlier step)`)
  }
  const binary = await findLlamaServer(options.llamaServerPath)
  const modelPath = path.resolve(options.modelBaseDir, options.model)
  const facts = await inspectModel(modelPath)
  let settingFlags: string[]
  try {
    settingFlags = settingsToFlags(options.settings, facts)
  } catch (error) {
    if (error instanceof SettingError) throw new Error(`${options.suitePath}: ${error.message}`, { cause: error })
    throw error
  }
  // A port or host the user chose in extra-args is the one to talk to; else a free loopback port.
  const userPort = valueOf(options.extraArgs, '--port')
  const userHost = valueOf(options.extraArgs, '--host')
  const port = userPort !== undefined ? Number(userPort) : await freePort()
  const host = userHost ?? '127.0.0.1'
  const alias = path.basename(modelPath)
  const flags = [
    '-m', modelPath, '--alias', alias,
    ...(userHost === undefined ? ['--host', host] : []),
    ...(userPort === undefined ? ['--port', String(port)] : []),
    '-np', '1', '--no-webui', ...settingFlags, ...options.extraArgs
  ]
  const version = await checkBuildKnows(binary, flags)
  const hashing = sha256Of(modelPath)
  hashing.catch(() => undefined)

  const logPath = path.join(process.env.RUNNER_TEMP ?? os.tmpdir(), `modelgate-llama-server-${port}.log`)
  const log = new ServerLog(logPath)
  // A key given to llama-server in extra-args is what the client must send, and a secret: it is
  // masked in the workflow log and shown as *** in the report.
  const serverKey = valueOf(options.extraArgs, '--api-key')
  if (serverKey && inActions()) core.setSecret(serverKey)
  const shownFlags = [binary, ...flags.map((flag, i) => (flags[i - 1] === '--api-key' ? '***' : flag))]
  info(`Starting ${shownFlags.join(' ')}`)
  const child = spawn(binary, flags, { stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout?.on('data', (chunk: Buffer) => log.write(chunk))
  child.stderr?.on('data', (chunk: Buffer) => log.write(chunk))
  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined))
    child.once('error', resolve)
  })
  if (spawned) throw new Error(`could not start ${binary}: ${spawned.message}`)
  if (inActions()) {
    core.saveState(State.ServerPid, String(child.pid))
    core.saveState(State.ServerLog, logPath)
  }

  const origin = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`
  // A cancelled job signals this process first: take the server down with it, then go as the
  // signal meant (the post step is the second line of defence). SIGKILL, because llama-server's
  // own shutdown waits for a stream in flight, and this process cannot wait.
  const onSignal = (signal: NodeJS.Signals) => {
    child.kill('SIGKILL')
    process.exit(signal === 'SIGINT' ? 130 : 143)
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)

  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await stopProcess(child)
    log.close()
    if (inActions()) core.saveState(State.ServerPid, '')
  }

  const reportSoFar = (): ServerReport => ({
    backend: 'llama.cpp',
    engine: 'llama.cpp',
    baseUrl: `${origin}/v1`,
    model: alias,
    settings: { ...options.settings },
    ...(version ? { build: version } : {}),
    flags: shownFlags,
    logTail: log.tail()
  })
  try {
    await waitUntilReady(origin, child, log, options.readyTimeoutMs)
  } catch (error) {
    await stop()
    throw new ServerStartError((error as Error).message, reportSoFar())
  }

  const props = (await fetch(`${origin}/props`).then((r) => r.json()).catch(() => ({}))) as { build_info?: string }
  const sha256 = await hashing
  return {
    backend: 'llama.cpp',
    engine: 'llama.cpp',
    baseUrl: `${origin}/v1`,
    apiKey: serverKey ?? options.apiKey ?? '',
    model: alias,
    report: () => ({ ...reportSoFar(), build: props.build_info ?? version, modelFile: { path: modelPath, sizeBytes: facts.sizeBytes, sha256 } }),
    stop
  }
}
