// A RunHost that keeps what the code told it, for tests that call a stage in-process. It names
// options the way the action or the CLI does, so messages read as a user would see them.
import type { RunHost } from '../../src/host/types.js'
import { redactor } from '../../src/hygiene.js'

export interface RecordingHost extends RunHost {
  lines: string[]
  warnings: string[]
  masked: string[]
  state: Record<string, string>
  cancelHandlers: Set<() => void>
  /** Acts out the first SIGINT or SIGTERM: aborts `cancelled` with the signal's name. */
  cancel(signal?: 'SIGINT' | 'SIGTERM'): void
}

export function recordingHost(style: 'action' | 'cli' = 'action', workspace = process.cwd()): RecordingHost {
  const controller = new AbortController()
  // The hosts' own redactor, so a secret is hidden here in the same forms as in a real run.
  const secrets = redactor()
  const host: RecordingHost = {
    cancelled: controller.signal,
    cancel: (signal = 'SIGINT') => controller.abort(signal),
    workspace,
    lines: [],
    warnings: [],
    masked: [],
    state: {},
    cancelHandlers: new Set(),
    // Lines are kept as a user would read them: with every masked secret redacted.
    info: (message) => void host.lines.push(host.redact(message)),
    warn: (message) => void host.warnings.push(host.redact(message)),
    mask: (secret) => {
      if (!secret) return
      host.masked.push(secret)
      secrets.add(secret)
    },
    redact: secrets.redact,
    saveState: (name, value) => void (host.state[name] = value),
    optionLabel: (name) => (style === 'action' ? `input '${name}'` : `--${name}`),
    optionRef: (name) => (style === 'action' ? `the input '${name}'` : `--${name}`),
    reportAlsoIn: style === 'action' ? 'The job summary and the comment still hold the report.' : 'The report is still printed.',
    onCancel: (stop) => {
      host.cancelHandlers.add(stop)
      return () => void host.cancelHandlers.delete(stop)
    }
  }
  return host
}
