// Preloaded with `node --import` into a process the benchmark measures: at exit it writes the
// process's peak resident memory (VmHWM, in KB) and its CPU time (ms) to
// MODELGATE_BENCH_RSS_DIR, one
// file per process, so a client that starts node children (promptfoo) is measured whole.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/**
 * The peak of this program's own memory. Not getrusage's ru_maxrss: Linux carries that across
 * exec from the process that spawned it, so a child of a 100 MB parent reports at least 100 MB.
 */
function peakKb() {
  const line = readFileSync('/proc/self/status', 'utf8').match(/^VmHWM:\s+(\d+) kB$/m)
  return line ? Number(line[1]) : process.resourceUsage().maxRSS
}

const dir = process.env.MODELGATE_BENCH_RSS_DIR
if (dir) {
  process.on('exit', () => {
    try {
      const usage = process.resourceUsage()
      const maxRssKb = peakKb()
      // With --expose-gc, what the heap still holds once its garbage is collected: what a run keeps.
      globalThis.gc?.()
      const liveHeapKb = globalThis.gc ? process.memoryUsage().heapUsed / 1024 : undefined
      writeFileSync(
        path.join(dir, `${process.pid}.json`),
        JSON.stringify({ maxRssKb, liveHeapKb, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, argv: process.argv.slice(1) })
      )
    } catch {
      // A probe never changes how the measured process ends.
    }
  })
}
