// What the machine was doing while the benchmark measured: /proc/stat's busy time less the CPU
// time of the processes being measured (the client, llama-server, this script) is CPU another
// process took. A run where that exceeds BUSY_SHARE of the machine is reported as busy.
import { readFileSync } from 'node:fs'
import os from 'node:os'

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const TICKS_PER_SECOND = 100
export const BUSY_SHARE = 0.05

function machineBusyMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  const busy = fields.reduce((sum, value, i) => (i === 3 || i === 4 ? sum : sum + value), 0)
  return (busy * 1000) / TICKS_PER_SECOND
}

/** utime + stime of a live process, in ms; 0 once it is gone. */
export function processCpuMs(pid: number | undefined): number {
  if (!pid) return 0
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND
  } catch {
    return 0
  }
}

function selfCpuMs(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

export interface Watch {
  /** Share of the machine's CPU capacity other processes used meanwhile (0–1). */
  stop(clientCpuMs: number): { foreignShare: number; busy: boolean }
}

/** Starts watching; `serverPid` is the model server's process, counted as the measured work. */
export function watchMachine(serverPid?: number): Watch {
  const startedAt = performance.now()
  const busy0 = machineBusyMs()
  const server0 = processCpuMs(serverPid)
  const self0 = selfCpuMs()
  return {
    stop(clientCpuMs) {
      const wallMs = performance.now() - startedAt
      const ours = processCpuMs(serverPid) - server0 + (selfCpuMs() - self0) + clientCpuMs
      // Tick rounding makes a quiet machine look a little busy or a little idle; never below 0.
      const foreign = Math.max(0, machineBusyMs() - busy0 - ours)
      const foreignShare = foreign / (wallMs * os.availableParallelism())
      return { foreignShare, busy: foreignShare > BUSY_SHARE }
    }
  }
}

export function describeMachine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU'
  return `${cpu}, ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`
}

export function loadAverage(): string {
  return os.loadavg().map((v) => v.toFixed(2)).join(' ')
}
