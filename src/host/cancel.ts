// Cancellation, shared by both hosts: a cancelled job (or Ctrl-C) signals this process; what a
// stage started (a llama-server) must go down with it. The signal handlers are installed only
// while something is registered, so a run with nothing to stop dies on the signal as before.

type Stop = () => void

export function cancellation(exit: (code: number) => never = (code) => process.exit(code)): (stop: Stop) => () => void {
  const stops = new Set<Stop>()
  const onSignal = (signal: NodeJS.Signals) => {
    for (const stop of [...stops]) {
      try {
        stop()
      } catch {
        // One failing cleanup must not keep the others from running.
      }
    }
    exit(signal === 'SIGINT' ? 130 : 143)
  }
  const install = (on: boolean) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      if (on) process.on(signal, onSignal)
      else process.off(signal, onSignal)
    }
  }
  return (stop) => {
    if (stops.size === 0) install(true)
    stops.add(stop)
    return () => {
      if (stops.delete(stop) && stops.size === 0) install(false)
    }
  }
}
