import { readdirSync, readFileSync } from 'node:fs'

/** Command lines of running processes that mention `needle` (read from /proc, Linux only). */
export function processesMentioning(needle: string): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()
      const status = readFileSync(`/proc/${entry}/status`, 'utf8')
      // A zombie has exited; only its parent has not read its status yet.
      if (cmdline.includes(needle) && !/^State:\s+Z/m.test(status)) found.push({ pid: Number(entry), cmdline })
    } catch {
      // The process ended while we looked.
    }
  }
  return found
}

export function isRunning(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return !/^State:\s+Z/m.test(status)
  } catch {
    return false
  }
}
