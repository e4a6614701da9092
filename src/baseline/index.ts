// The baseline stage: find the run this one is compared with, and keep this one as the next
// baseline when it is the default branch's. Every store failing alone is a warning: a run without
// a baseline is still judged by its absolute checks.
import { createHash } from 'node:crypto'
import type { RunHost } from '../host/types.js'
import type { BaselineKeys, BaselineStore, FoundBaseline } from './types.js'

export type { BaselineHost, BaselineKeys, BaselineStore, FoundBaseline } from './types.js'

export function suiteKeyOf(suitePath: string): string {
  return createHash('sha256').update(suitePath).digest('hex').slice(0, 12)
}

/** The newest baseline any store has for these keys, preferring one from the same machine. */
export async function findBaseline(stores: readonly BaselineStore[], keys: BaselineKeys, host: RunHost): Promise<FoundBaseline | undefined> {
  const found: FoundBaseline[] = []
  for (const store of stores) {
    try {
      const baseline = await store.restore(keys)
      if (baseline) found.push(baseline)
    } catch (error) {
      host.warn(`could not read the baseline from ${store.name}: ${(error as Error).message}`)
    }
  }
  const sameMachine = (b: FoundBaseline) => b.results.fingerprint?.machineHash === keys.machine
  return found.sort((a, b) => Number(sameMachine(b)) - Number(sameMachine(a)) || b.results.finishedAt.localeCompare(a.results.finishedAt))[0]
}

/** Saves to every store; gives where it was kept. */
export async function saveBaseline(stores: readonly BaselineStore[], results: Parameters<BaselineStore['save']>[0], keys: BaselineKeys, host: RunHost): Promise<string[]> {
  const saved: string[] = []
  for (const store of stores) {
    try {
      saved.push(await store.save(results, keys))
    } catch (error) {
      host.warn(`could not save the baseline to ${store.name}: ${(error as Error).message}`)
    }
  }
  return saved
}
