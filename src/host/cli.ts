// The host of a local run: plain lines on stderr (stdout carries the report), options named as
// flags, no post step. Secrets are kept out of its own lines, as the runner would mask them.
import { cancellation } from './cancel.js'
import type { RunHost } from './types.js'

export function createCliHost(write: (line: string) => void = (line) => process.stderr.write(line), env: NodeJS.ProcessEnv = process.env): RunHost {
  const secrets = new Set<string>()
  const redact = (text: string) => [...secrets].reduce((out, secret) => out.split(secret).join('***'), text)
  return {
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    info: (message) => write(`${redact(message)}\n`),
    warn: (message) => write(`warning: ${redact(message)}\n`),
    mask: (secret) => {
      if (secret) secrets.add(secret)
    },
    saveState: () => {},
    optionLabel: (name) => `--${name}`,
    optionRef: (name) => `--${name}`,
    reportAlsoIn: 'The report is still printed.',
    onCancel: cancellation()
  }
}
