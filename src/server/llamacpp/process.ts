// The llama-server process: its log, waiting until it is ready while watching it, and stopping it
// (from the main step, or from the post step by a saved pid).
import type { ChildProcess } from 'node:child_process'
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs'
import net from 'node:net'
import { CancelledError } from '../../host/cancel.js'

const LOG_TAIL_LINES = 40

export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Keeps the last lines of the server's log in memory and all of it in a file. */
export class ServerLog {
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

// llama-server's shutdown can wait on a stream that is still in flight; it gets a few seconds.
const STOP_GRACE_MS = 5_000

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  let timer: NodeJS.Timeout | undefined
  const gaveUp = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), STOP_GRACE_MS)))
  const killed = await Promise.race([exited.then(() => true), gaveUp])
  clearTimeout(timer)
  if (!killed) {
    child.kill('SIGKILL')
    await exited
  }
}

export async function waitUntilReady(
  origin: string,
  child: ChildProcess,
  log: ServerLog,
  timeoutMs: number,
  ref: (name: string) => string,
  cancelled?: AbortSignal
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let exit: string | undefined
  child.once('exit', (code, signal) => (exit = signal ? `was killed by ${signal}` : `exited with code ${code}`))
  let lastStatus = 'no answer'
  while (Date.now() < deadline) {
    if (cancelled?.aborted) throw new CancelledError(cancelled, 'while llama-server was loading the model')
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
  throw new Error(`llama-server was not ready after ${Math.round(timeoutMs / 1000)} s (${lastStatus} at ${origin}/health); raise ${ref('server-timeout')} for a large model`)
}

/** A pid is reused once its process is gone: only signal it while it is still llama-server. */
export function isLlamaServer(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]!.includes('llama-server')
  } catch {
    return false
  }
}

/** Stops a llama-server by pid, as the post step does: SIGTERM, then SIGKILL if it ignores it. */
export async function stopByPid(pid: number, host: { info(message: string): void; warn(message: string): void }): Promise<void> {
  if (!Number.isInteger(pid) || pid <= 0 || !isLlamaServer(pid)) return
  try {
    process.kill(pid, 'SIGTERM')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return
    host.warn(`could not stop llama-server (pid ${pid}): ${(error as Error).message}`)
    return
  }
  const deadline = Date.now() + STOP_GRACE_MS
  while (Date.now() < deadline) {
    if (!isLlamaServer(pid)) {
      host.info(`Stopped llama-server (pid ${pid})`)
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  try {
    process.kill(pid, 'SIGKILL')
    host.info(`Killed llama-server (pid ${pid}) after it ignored SIGTERM`)
  } catch (error) {
    host.warn(`could not kill llama-server (pid ${pid}): ${(error as Error).message}`)
  }
}
