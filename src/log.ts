import * as core from '@actions/core'

// In a workflow, messages go through @actions/core so they become annotations; run locally
// (the CLI), they are plain lines on stderr, leaving stdout to the report.
export const inActions = () => process.env.GITHUB_ACTIONS === 'true'

export function warn(message: string): void {
  if (inActions()) core.warning(message)
  else process.stderr.write(`warning: ${message}\n`)
}

export function info(message: string): void {
  if (inActions()) core.info(message)
  else process.stderr.write(`${message}\n`)
}
