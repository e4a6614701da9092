// Every backend a suite or the `server` input may name, and the one place that knows them:
// adding a backend is its driver file plus one line here.
import { connectDriver } from './connect.js'
import { llamaCppDriver } from './llamacpp/driver.js'
import { lmStudioDriver } from './lmstudio/driver.js'
import type { BackendDriver } from './types.js'

const DRIVERS = {
  connect: connectDriver,
  'llama.cpp': llamaCppDriver,
  lmstudio: lmStudioDriver
} as const

export type Backend = keyof typeof DRIVERS

export const BACKENDS = Object.keys(DRIVERS) as Backend[]

/** The options of each backend, as its driver read them from inputs or flags. */
export type BackendOptions = { [B in Backend]: (typeof DRIVERS)[B] extends BackendDriver<infer Options> ? Options : never }

export function isBackend(name: string): name is Backend {
  return Object.hasOwn(DRIVERS, name)
}

// The table's entries differ in their options type; each is only ever given its own.
export function driverOf<B extends Backend>(backend: B): BackendDriver<BackendOptions[B]> {
  return DRIVERS[backend] as unknown as BackendDriver<BackendOptions[B]>
}

/** Every backend's own options, read by its driver. */
export function readBackendOptions(read: (name: string) => string, label: (name: string) => string): BackendOptions {
  return Object.fromEntries(BACKENDS.map((backend) => [backend, driverOf(backend).readOptions(read, label)])) as BackendOptions
}

/** The options all backends add, for the CLI's flags and usage. */
export function backendOptionList(): { backend: Backend; name: string; value: string; description: string }[] {
  return BACKENDS.flatMap((backend) => driverOf(backend).options.map((option) => ({ backend, ...option })))
}
