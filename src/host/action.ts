// The host of a workflow step: messages through @actions/core (warnings become annotations),
// secrets masked by the runner, state kept for the post step, options named as inputs.
import * as core from '@actions/core'
import type { BaselineHost } from '../baseline/types.js'
import { cancellation } from './cancel.js'
import type { RunHost } from './types.js'

export function createActionHost(env: NodeJS.ProcessEnv = process.env, baselines?: BaselineHost): RunHost {
  return {
    ...(baselines ? { baselines } : {}),
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    info: (message) => core.info(message),
    warn: (message) => core.warning(message),
    mask: (secret) => core.setSecret(secret),
    saveState: (name, value) => core.saveState(name, value),
    optionLabel: (name) => `input '${name}'`,
    optionRef: (name) => `the input '${name}'`,
    reportAlsoIn: 'The job summary and the comment still hold the report.',
    onCancel: cancellation()
  }
}
