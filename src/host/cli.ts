// The host of a local run: plain lines on stderr (stdout carries the report), options named as
// flags, no post step. Secrets are kept out of its own lines, as the runner would mask them, and
// lines are cleaned as for the Actions log: a terminal obeys escape codes, and the CLI may itself
// run in a workflow step, whose stderr the runner reads for commands.
import { logLine, redactor } from '../hygiene.js'
import { cliModels } from '../models/index.js'
import { cancellation } from './cancel.js'
import type { RunHost } from './types.js'

export function createCliHost(write: (line: string) => void = (line) => process.stderr.write(line), env: NodeJS.ProcessEnv = process.env): RunHost {
  const secrets = redactor()
  const cancel = cancellation()
  return {
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    models: cliModels(env),
    info: (message) => write(`${logLine(message, secrets)}\n`),
    warn: (message) => write(`warning: ${logLine(message, secrets)}\n`),
    mask: (secret) => secrets.add(secret),
    redact: secrets.redact,
    saveState: () => {},
    optionLabel: (name) => `--${name}`,
    optionRef: (name) => `--${name}`,
    reportAlsoIn: 'The report is still printed.',
    // A getter: reading the signal is what installs the signal handlers.
    get cancelled() {
      return cancel.signal
    },
    onCancel: cancel.onCancel
  }
}
