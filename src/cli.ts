// Runs a suite locally, as the action would, and prints the same report to stdout.
//   modelgate --suite examples/suite.yml --server connect --base-url http://127.0.0.1:8080/v1
import { parseArgs } from 'node:util'
import { parseRunOptions, type RunOptions } from './inputs.js'
import { info } from './log.js'
import { runPipeline } from './pipeline.js'
import { writeResultsFile } from './publish.js'
import { renderReport } from './report.js'
import { formatFigure } from './stats.js'

const USAGE = `Usage: modelgate --suite FILE [options]

Replays a modelgate suite against a model server and prints the report (Markdown) to stdout.
Exit status: 0 when the gate passes, 1 when it fails, 2 on a usage error.

Options (the action's inputs, same names):
  --suite FILE                   suite YAML (required)
  --server connect|llama.cpp|lmstudio
  --base-url URL                 OpenAI-compatible URL for connect (e.g. http://127.0.0.1:8080/v1)
  --api-key KEY                  or set MODELGATE_API_KEY
  --model MODEL                  overrides the suite's model
  --min-tokens-per-second N      overrides the suite's floor
  --results-file FILE            default modelgate-results.json
  --llama-server-path PATH       llama-server binary (default: found on PATH)
  --extra-args="ARGS"            extra llama-server arguments (with =, as they start with -)
  --server-timeout SECONDS       default 300
  --request-timeout SECONDS      default 600
  --json                         print the results JSON instead of Markdown
  -h, --help`

export async function main(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: argv,
      options: {
        suite: { type: 'string' },
        server: { type: 'string' },
        'base-url': { type: 'string' },
        'api-key': { type: 'string' },
        model: { type: 'string' },
        'min-tokens-per-second': { type: 'string' },
        'results-file': { type: 'string' },
        'llama-server-path': { type: 'string' },
        'extra-args': { type: 'string' },
        'server-timeout': { type: 'string' },
        'request-timeout': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      }
    }).values
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`)
    return 2
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '')
  let options: RunOptions
  try {
    if (!text('suite')) throw new Error('--suite is required')
    const flags = parseRunOptions(text, (name) => `--${name}`)
    options = { ...flags, apiKey: flags.apiKey ?? process.env.MODELGATE_API_KEY }
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`)
    return 2
  }

  const results = await runPipeline(options, {
    log: info,
    onSample: (suiteCase, sample) =>
      info(`${suiteCase.id} sample ${sample.index + 1}/${suiteCase.repeat}: ${formatFigure(sample.tokensPerSecond)} tokens/s${sample.error ? `, failed: ${sample.error}` : ''}`)
  })
  const file = await writeResultsFile(options.resultsFile, results)
  process.stdout.write(values.json ? `${JSON.stringify(results, null, 2)}\n` : renderReport(results, { maxLength: Number.MAX_SAFE_INTEGER }))
  info(`Results written to ${file}`)
  return results.passed ? 0 : 1
}
