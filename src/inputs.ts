// The action's inputs, read through @actions/core into the run options the CLI builds from flags.
import * as core from '@actions/core'
import type { RunHost } from './host/types.js'
import { Input, parseBoolean, parseRunOptions, parseShard, type RunOptions } from './options.js'
import type { RunResults } from './results.js'

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
  const hfToken = core.getInput('hf-token')
  if (hfToken) host.mask(hfToken)
  // Checked here, not by @actions/core: its message names the input without saying it is one.
  if (!core.getInput(Input.Suite)) throw new Error(`Missing ${host.optionLabel(Input.Suite)}: the path of the suite YAML, relative to the workspace.`)
  return {
    ...parseRunOptions((name) => core.getInput(name), host.optionLabel),
    githubToken,
    // Spelt as getBooleanInput takes it, whose TypeError would name neither the input nor the value.
    comment: parseBoolean(core.getInput(Input.Comment), host.optionLabel(Input.Comment), true),
    commentTag: core.getInput(Input.CommentTag) || 'modelgate'
  }
}

/**
 * The label and shard of a run whose inputs were wrong, read as far as they can be: its results
 * file then tells the merge which shard failed, rather than leaving it missing.
 */
export function partOfMerge(): Pick<RunResults, 'label' | 'shard'> {
  const label = core.getInput(Input.Label).trim() || core.getInput(Input.Model).trim()
  let shard: RunResults['shard']
  try {
    shard = parseShard(core.getInput(Input.Shard), Input.Shard)
  } catch {
    shard = undefined
  }
  return { ...(label ? { label } : {}), ...(shard ? { shard } : {}) }
}
