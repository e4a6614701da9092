// Cancellation, shared by both hosts. A cancelled job sends SIGINT, waits 7.5 s, then SIGTERM and
// kills; a job timeout does the same; Ctrl-C sends SIGINT. The first signal aborts the run's
// AbortSignal: replay stops, what the run started is stopped, and the results measured so far are
// written everywhere, marked as cancelled. If that takes longer than the grace period, or a
// second signal comes, the hard stops run (they kill what was started) and the process exits as
// the signal meant.

type Stop = () => void

/** How long a cancelled run has to write what it measured before it exits anyway: inside the runner's 7.5 s. */
export const CANCEL_GRACE_MS = 6_000

/** A wait that a cancelled run cut short; its message says what was cut, e.g. "cancelled by SIGINT while …". */
export class CancelledError extends Error {
  constructor(signal: AbortSignal, during: string) {
    super(`cancelled by ${String(signal.reason)} ${during}`)
    this.name = 'CancelledError'
  }
}

/** The exit status a shell gives a process ended by the signal. */
export function exitCodeOf(signal: string): number {
  return signal === 'SIGINT' ? 130 : 143
}

export interface Cancellation {
  /** Aborts on the first SIGINT or SIGTERM; its `reason` is the signal's name. Reading it starts the watch. */
  readonly signal: AbortSignal
  /** Registers a hard stop (kill a child process) for the second signal or the end of the grace period. */
  onCancel(stop: Stop): () => void
}

export function cancellation(exit: (code: number) => never = (code) => process.exit(code), graceMs: number = CANCEL_GRACE_MS): Cancellation {
  const controller = new AbortController()
  const stops = new Set<Stop>()
  let installed = false
  const hardStop = (signal: string) => {
    for (const stop of [...stops]) {
      try {
        stop()
      } catch {
        // One failing cleanup must not keep the others from running.
      }
    }
    exit(exitCodeOf(signal))
  }
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) return hardStop(signal)
    controller.abort(signal)
    // Unref'd: a run that finishes writing in time ends on its own.
    setTimeout(() => hardStop(signal), graceMs).unref()
  }
  const install = () => {
    if (installed) return
    installed = true
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, onSignal)
  }
  return {
    get signal() {
      install()
      return controller.signal
    },
    onCancel(stop) {
      install()
      stops.add(stop)
      return () => void stops.delete(stop)
    }
  }
}
