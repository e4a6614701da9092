// A run's environment: the machine it measured on, and the server and model it measured. Two
// runs' figures are comparable only on the same machine; what the change under review changed
// (model, quantisation, settings, server build) is shown beside the comparison, never a reason
// to refuse it: that is what the gate is there to judge.
import { createHash } from 'node:crypto'
import type { ServerReport } from '../results.js'
import type { MachineFacts } from './machine.js'
import { formatParameterCount } from './model.js'

export interface Fingerprint {
  machine: MachineFacts
  /** Hash of what makes speed comparable: GPUs, CPU, cores, memory, platform. */
  machineHash: string
}

const GIB = 1024 ** 3

/** What must be equal for two runs' speed to be compared, in words a reader recognises. */
function comparableParts(machine: MachineFacts): Record<string, string> {
  return {
    GPU: machine.gpus.length ? machine.gpus.map((gpu) => `${gpu.name}${gpu.memoryMiB ? ` ${Math.round(gpu.memoryMiB / 1024)} GiB` : ''}`).join(' + ') : 'none',
    CPU: `${machine.cpu} (${machine.cores} cores)`,
    memory: `${Math.round(machine.memoryBytes / GIB)} GiB`,
    platform: `${machine.platform}-${machine.arch}`
  }
}

export function fingerprintOf(machine: MachineFacts): Fingerprint {
  const hash = createHash('sha256').update(JSON.stringify(comparableParts(machine))).digest('hex')
  return { machine, machineHash: hash.slice(0, 16) }
}

/** Why two machines' runs cannot be compared, one reason per part that differs ("GPU changed from X to Y"). */
export function machineDifferences(before: MachineFacts, now: MachineFacts): string[] {
  const a = comparableParts(before)
  const b = comparableParts(now)
  return Object.keys(a)
    .filter((part) => a[part] !== b[part])
    .map((part) => `${part} changed from ${a[part]} to ${b[part]}`)
}

/** What changed in the server and model between two runs on comparable machines, for the reader. */
export function serverChanges(before: ServerReport | null, now: ServerReport | null): string[] {
  if (!before || !now) return []
  const changes: string[] = []
  const say = (what: string, a: unknown, b: unknown) => {
    if (a !== undefined && b !== undefined && JSON.stringify(a) !== JSON.stringify(b)) changes.push(`${what}: ${String(a)} → ${String(b)}`)
  }
  say('model', before.model, now.model)
  say('model file', before.modelFile?.sha256?.slice(0, 12), now.modelFile?.sha256?.slice(0, 12))
  say('quantisation', before.modelFile?.facts?.quantisation, now.modelFile?.facts?.quantisation)
  const params = (r: ServerReport) => (r.modelFile?.facts?.parameterCount !== undefined ? formatParameterCount(r.modelFile.facts.parameterCount) : undefined)
  say('parameters', params(before), params(now))
  say('server build', before.build, now.build)
  for (const key of new Set([...Object.keys(before.settings), ...Object.keys(now.settings)])) {
    say(`setting ${key}`, before.settings[key] ?? 'default', now.settings[key] ?? 'default')
  }
  return changes
}
