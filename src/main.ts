// The action: inputs → run (or merge) → publish → verdict. Any error ends in one readable line,
// and the results file is written in every outcome, a bad input and a cancelled run included. A
// shard leaves the verdict to the merge, so one matrix job failing does not cancel the others.
import * as core from '@actions/core'
import * as github from '@actions/github'
import { actionBaselines } from './baseline/action.js'
import { createActionHost } from './host/action.js'
import { actionModels } from './models/cache.js'
import { exitCodeOf } from './host/cancel.js'
import { logLine } from './hygiene.js'
import { partOfMerge, readInputs } from './inputs.js'
import { Input, Output } from './options.js'
import { resultsOfBadInput, runPipeline } from './pipeline.js'
import { publishResults } from './publish.js'
import { describeFailureKind } from './report.js'
import { saveResultsFile } from './results-file.js'
import { mergeRun } from './shard/merge.js'
import { shardName } from './shard/select.js'

/** What a cancelled run may still spend on the comment: the rest of its grace period, less a margin for the summary. */
const CANCELLED_PUBLISH_MS = 4_000

export async function run(): Promise<void> {
  const host = createActionHost(process.env, actionBaselines(process.env, github.context), actionModels(process.env))
  try {
    let inputs: ReturnType<typeof readInputs>
    try {
      inputs = readInputs(host)
    } catch (error) {
      const message = (error as Error).message
      const bad = resultsOfBadInput(core.getInput(Input.Suite), message, partOfMerge())
      const saved = await saveResultsFile(core.getInput(Input.ResultsFile) || 'modelgate-results.json', bad, host)
      if (saved) core.setOutput(Output.ResultsFile, saved)
      core.setOutput(Output.Passed, 'false')
      core.setOutput(Output.FailureKind, 'infrastructure')
      core.setFailed(logLine(message, host))
      return
    }
    const results = inputs.mode === 'merge' ? await mergeRun(inputs, host) : await runPipeline(inputs, host)
    // Cancelled before or while publishing: the comment gets what is left of the grace period.
    const publishing = new AbortController()
    const cutShort = () => setTimeout(() => publishing.abort(), CANCELLED_PUBLISH_MS).unref()
    if (host.cancelled.aborted) cutShort()
    else host.cancelled.addEventListener('abort', cutShort, { once: true })
    await publishResults(results, { ...inputs, signal: publishing.signal }, host)
    if (results.shard) host.info(`Shard ${shardName(results.shard)} ${results.passed ? 'passed' : 'failed'}: ${results.reason} The merge gives the verdict.`)
    else if (!results.passed) {
      // Said before the error line, so a reader of the log tells a bad model from a broken runner.
      if (results.failureKind) host.info(`Failure kind: ${results.failureKind} (${describeFailureKind(results.failureKind)})`)
      core.setFailed(logLine(results.reason, host))
    }
    else host.info(results.reason)
    if (results.cancelled) process.exitCode = exitCodeOf(results.cancelled.signal)
  } catch (error) {
    core.setFailed(logLine((error as Error).message, host))
  }
}
