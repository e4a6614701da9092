// The run's progress on stderr. On a terminal each case gets one line that updates in place as
// its samples come in (samples done of total, the last decode rate, the time left) and stays
// once the case is done. In a CI log (CI set) or a pipe, the plain lines the action writes to its
// log, one per sample: a log keeps every write, and a line rewritten with \r would be all of them.

/** Where progress goes: process.stderr, or a stand-in in tests. */
export interface ProgressStream {
  write(text: string): unknown
  readonly isTTY?: boolean
  readonly columns?: number
}

/** Takes every finished line the host writes (already cleaned and redacted) and shows it. */
export interface ProgressWriter {
  write(line: string): void
  /** Leaves the terminal on a fresh line, with cases that never finished shown as they stopped. */
  end(): void
}

/** Whether the updating line is shown: only on a terminal a person watches, never in a CI log. */
function isLiveTerminal(stream: ProgressStream, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.CI
}

export function progressWriter(stream: ProgressStream, env: NodeJS.ProcessEnv, now: () => number = Date.now): ProgressWriter {
  if (!isLiveTerminal(stream, env)) return { write: (line) => void stream.write(line), end: () => {} }
  return liveProgress(stream, now)
}

/**
 * A sample's line as the pipeline writes it (sampleProgressLine). Read back from the text because
 * the host is told lines, not samples; a line that does not match is shown as it is, so a change
 * to the format costs only the updating line, never a message.
 */
const SAMPLE_LINE = /^([A-Za-z0-9][A-Za-z0-9._-]*) sample (\d+)\/(\d+): (\S+) tokens\/s(, failed: .*)?\n$/

interface CaseProgress {
  done: number
  total: number
  rate: string
  /** When the case was first seen, and how many of its samples were done before then (more samples for an undecided speed comparison). */
  since: number
  doneBefore: number
}

/** "8s", "2m 05s", "1h 03m". */
function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000))
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`
}

function liveProgress(stream: ProgressStream, now: () => number): ProgressWriter {
  const active = new Map<string, CaseProgress>()
  // A case's first sample took from the line before it (the previous case's last sample, or "Replaying …").
  let lastLineAt = now()
  let shown = false

  const clear = () => {
    if (shown) stream.write('\r\x1b[2K')
    shown = false
  }
  const statusOf = (id: string, c: CaseProgress) => `${id} ${c.done}/${c.total} samples · ${c.rate} tokens/s`
  const etaOf = (c: CaseProgress, at: number) => {
    const perSample = (at - c.since) / Math.max(1, c.done - c.doneBefore)
    return `ETA ${formatDuration(perSample * (c.total - c.done))}`
  }
  // One line, cut to the terminal's width: a line that wraps cannot be taken back with \r.
  const draw = () => {
    clear()
    if (active.size === 0) return
    const at = now()
    const line = [...active].map(([id, c]) => `${statusOf(id, c)} · ${etaOf(c, at)}`).join(' · ')
    const width = Math.max(20, (stream.columns ?? 80) - 1)
    stream.write([...line].length > width ? `${[...line].slice(0, width - 1).join('')}…` : line)
    shown = true
  }
  const permanent = (text: string) => {
    clear()
    stream.write(text)
  }

  return {
    write(line) {
      const at = now()
      const sample = SAMPLE_LINE.exec(line)
      if (!sample) {
        permanent(line)
        lastLineAt = at
        draw()
        return
      }
      const [, id = '', done = '0', total = '0', rate = '', failed] = sample
      const known = active.get(id)
      const c: CaseProgress = known ?? { done: 0, total: 0, rate: '', since: lastLineAt, doneBefore: Number(done) - 1 }
      Object.assign(c, { done: Number(done), total: Number(total), rate })
      active.set(id, c)
      lastLineAt = at
      // A failed sample is said in full and kept: the reason must not be drawn over.
      if (failed) permanent(line)
      if (c.done >= c.total) {
        permanent(`${statusOf(id, c)} · ${formatDuration(at - c.since)}\n`)
        active.delete(id)
      }
      draw()
    },
    end() {
      clear()
      for (const [id, c] of active) stream.write(`${statusOf(id, c)} · stopped\n`)
      active.clear()
    }
  }
}
