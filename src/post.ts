// The post step: asks the backend that started the run to clean up what the main step may have
// left (a llama-server after a cancelled job). It only warns; cleanup never fails the job.
import * as core from '@actions/core'
import { createActionHost } from './host/action.js'
import { State } from './options.js'
import { driverOf, isBackend } from './server/registry.js'

export async function runPost(): Promise<void> {
  const backend = core.getState(State.Backend)
  if (!isBackend(backend)) return
  const host = createActionHost()
  try {
    await driverOf(backend).cleanup?.((name) => core.getState(name), host)
  } catch (error) {
    host.warn(`cleanup after ${backend} failed: ${(error as Error).message}`)
  }
}
