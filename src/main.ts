import * as core from '@actions/core'
import { readInputs } from './inputs.js'
import { runPipeline } from './pipeline.js'
import { publishResults } from './publish.js'
import { formatFigure } from './stats.js'

export async function run(): Promise<void> {
  try {
    const inputs = readInputs()
    const results = await runPipeline(inputs, {
      log: (message) => core.info(message),
      onSample: (suiteCase, sample) =>
        core.info(
          `${suiteCase.id} sample ${sample.index + 1}/${suiteCase.repeat}: ${formatFigure(sample.tokensPerSecond)} tokens/s (${sample.tokensPerSecondSource ?? 'none'}), ` +
            `first token ${formatFigure(sample.ttftMs)} ms${sample.error ? `, failed: ${sample.error}` : ''}`
        )
    })
    await publishResults(results, inputs)
    if (!results.passed) core.setFailed(results.reason)
    else core.info(results.reason)
  } catch (error) {
    core.setFailed((error as Error).message)
  }
}
