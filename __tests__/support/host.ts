// A RunHost that keeps what the code told it, for tests that call a stage in-process. It names
// options the way the action or the CLI does, so messages read as a user would see them.
import type { RunHost } from '../../src/host/types.js'

export interface RecordingHost extends RunHost {
  lines: string[]
  warnings: string[]
  masked: string[]
  state: Record<string, string>
  cancelHandlers: Set<() => void>
}

export function recordingHost(style: 'action' | 'cli' = 'action', workspace = process.cwd()): RecordingHost {
  const host: RecordingHost = {
    workspace,
    lines: [],
    warnings: [],
    masked: [],
    state: {},
    cancelHandlers: new Set(),
    info: (message) => void host.lines.push(message),
    warn: (message) => void host.warnings.push(message),
    mask: (secret) => void host.masked.push(secret),
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
