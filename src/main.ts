// The action: inputs → run → publish → verdict. Any error ends in one readable line.
import * as core from '@actions/core'
import * as github from '@actions/github'
import { actionBaselines } from './baseline/action.js'
import { createActionHost } from './host/action.js'
import { readInputs } from './inputs.js'
import { runPipeline } from './pipeline.js'
import { publishResults } from './publish.js'

export async function run(): Promise<void> {
  try {
    const host = createActionHost(process.env, actionBaselines(process.env, github.context))
    const inputs = readInputs(host)
    const results = await runPipeline(inputs, host)
    await publishResults(results, inputs, host)
    if (!results.passed) core.setFailed(results.reason)
    else core.info(results.reason)
  } catch (error) {
    core.setFailed((error as Error).message)
  }
}
