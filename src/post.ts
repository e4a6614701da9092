// The post step: stops a llama-server the main step started, even when the main step failed or
// the job was cancelled. It only warns; cleanup never fails the job.
import { readFileSync } from 'node:fs'
import * as core from '@actions/core'
import { State } from './inputs.js'

/** A pid is reused once its process is gone: only signal it while it is still llama-server. */
function isLlamaServer(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]!.includes('llama-server')
  } catch {
    return false
  }
}

export async function runPost(): Promise<void> {
  const pid = Number(core.getState(State.ServerPid))
  if (!Number.isInteger(pid) || pid <= 0 || !isLlamaServer(pid)) return
  try {
    process.kill(pid, 'SIGTERM')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return
    core.warning(`could not stop llama-server (pid ${pid}): ${(error as Error).message}`)
    return
  }
  // llama-server's shutdown can wait on a stream that was in flight when the job was cancelled.
  const deadline = Date.now() + 5_000
  while (Date.now() < deadline) {
    if (!isLlamaServer(pid)) {
      core.info(`Stopped llama-server (pid ${pid})`)
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  try {
    process.kill(pid, 'SIGKILL')
    core.info(`Killed llama-server (pid ${pid}) after it ignored SIGTERM`)
  } catch (error) {
    core.warning(`could not kill llama-server (pid ${pid}): ${(error as Error).message}`)
  }
}
