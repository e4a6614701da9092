// The host of a workflow step: messages through @actions/core (warnings become annotations),
// secrets masked by the runner, state kept for the post step, options named as inputs. Every
// line is redacted and made safe for the log first: the runner reads stdout for commands.
import * as core from '@actions/core'
import type { BaselineHost } from '../baseline/types.js'
import type { ModelHost } from '../models/types.js'
import { logLine, redactor } from '../hygiene.js'
import { cancellation } from './cancel.js'
import type { RunHost } from './types.js'

export function createActionHost(env: NodeJS.ProcessEnv = process.env, baselines?: BaselineHost, models?: ModelHost): RunHost {
  const secrets = redactor()
  const cancel = cancellation()
  // The case whose log group is open: each case's sample lines fold into one group of the log.
  let group: string | undefined
  return {
    ...(baselines ? { baselines } : {}),
    ...(models ? { models } : {}),
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    info: (message) => core.info(logLine(message, secrets)),
    sampleLine: (caseId, line, last) => {
      if (group !== caseId) {
        if (group !== undefined) core.endGroup()
        core.startGroup(logLine(caseId, secrets))
        group = caseId
      }
      core.info(logLine(line, secrets))
      if (last) {
        core.endGroup()
        group = undefined
      }
    },
    // core.warning escapes line ends into the command's data; logLine still strips escape codes.
    warn: (message) => core.warning(logLine(message, secrets)),
    mask: (secret) => {
      if (!secret) return
      secrets.add(secret)
      // The runner too, even with one too short for redact: it masks the log itself, JSON and URL forms included.
      core.setSecret(secret)
    },
    redact: secrets.redact,
    saveState: (name, value) => core.saveState(name, value),
    optionLabel: (name) => `input '${name}'`,
    optionRef: (name) => `the input '${name}'`,
    reportAlsoIn: 'The job summary and the comment still hold the report.',
    // A getter: reading the signal is what installs the signal handlers.
    get cancelled() {
      return cancel.signal
    },
    onCancel: cancel.onCancel
  }
}
