// The action's inputs, read through @actions/core into the run options the CLI builds from flags.
import * as core from '@actions/core'
import type { RunHost } from './host/types.js'
import { Input, parseRunOptions, type RunOptions } from './options.js'

export interface ActionInputs extends RunOptions {
  githubToken: string
  comment: boolean
  commentTag: string
}

export function readInputs(host: RunHost): ActionInputs {
  const apiKey = core.getInput(Input.ApiKey)
  // Masked before anything can print it, the token too (the runner masks its own, not a PAT's).
  if (apiKey) host.mask(apiKey)
  const githubToken = core.getInput(Input.GithubToken)
  if (githubToken) host.mask(githubToken)
  // Fails with @actions/core's own message when the one required input is missing.
  core.getInput(Input.Suite, { required: true })
  return {
    ...parseRunOptions((name) => core.getInput(name), host.optionLabel),
    githubToken,
    comment: core.getBooleanInput(Input.Comment),
    commentTag: core.getInput(Input.CommentTag) || 'modelgate'
  }
}
