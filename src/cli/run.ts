// `modelgate run` (and `modelgate --suite …`, the form from before there were commands): replays
// a suite against a model server, as the action does, and prints the same report to stdout.
import { exitCodeOf } from '../host/cancel.js'
import { createCliHost } from '../host/cli.js'
import { logLine } from '../hygiene.js'
import { Input, parseRunOptions, type RunOptions } from '../options.js'
import { resultsOfBadInput, runPipeline } from '../pipeline.js'
import { saveResultsFile } from '../results-file.js'
import { backendOptionList } from '../server/registry.js'
import { progressWriter } from './progress.js'
import { Exit, parseCommandArgs, printReport } from './shared.js'

/** The usage, named as it was invoked: `modelgate run` or the bare `modelgate`. */
function runUsage(invocation = 'modelgate run'): string {
  const backendLines = backendOptionList().map((option) => `  ${`--${option.name}${option.value}`.padEnd(31)}${option.description}`)
  return `Usage: ${invocation} --suite FILE [options]

Replays a modelgate suite against a model server and prints the report (Markdown) to stdout.
Exit status: 0 when the gate passes, 1 when it fails, 2 on a usage or infrastructure error (a bad
flag, a missing file, a server that never came up), 130/143 when cancelled by SIGINT/SIGTERM
(the report of what was measured is still printed).

Options (the action's inputs, same names):
  --suite FILE                   suite YAML (required)
  --server connect|llama.cpp|lmstudio
  --api-key KEY                  or set MODELGATE_API_KEY
  --model MODEL                  overrides the suite's model
  --min-tokens-per-second N      overrides the suite's floor
  --results-file FILE            default modelgate-results.json
  --server-timeout SECONDS       default 300
  --request-timeout SECONDS      default 600
  --baseline-file FILE           a results JSON to compare with (e.g. from a run on main)
  --fail-on any|new-failures     with a baseline, fail only on checks it passed (default any)
  --max-speed-regression PERCENT a confirmed drop beyond this fails (default 5)
  --max-repeat N                 most samples while a speed comparison is undecided (default 15)
  --fail-on-inconclusive         an undecided speed comparison fails too
  --concurrency N                samples of quality-only cases in flight at once (default: the server's slots)
  --shard K/N                    run the K-th of N deterministic parts of the suite
  --label NAME                   this run's name in a model comparison (default: the model)
${backendLines.join('\n')}
  --json                         print the results JSON instead of Markdown
  -h, --help

Example:
  ${invocation} --suite modelgate/suite.yml --server connect --base-url http://127.0.0.1:8080/v1`
}

const COMMON_FLAGS = [
  Input.Suite, Input.Server, Input.ApiKey, Input.Model, Input.MinTokensPerSecond, Input.ResultsFile, Input.ServerTimeout, Input.RequestTimeout,
  Input.BaselineFile, Input.FailOn, Input.MaxSpeedRegression, Input.MaxRepeat, Input.Concurrency, Input.Shard, Input.Label
]

export async function runCommand(argv: string[], env: NodeJS.ProcessEnv, invocation = 'modelgate run'): Promise<number> {
  const progress = progressWriter(process.stderr, env)
  const host = createCliHost((line) => progress.write(line))
  const usage = runUsage(invocation)
  const stringFlags = [...COMMON_FLAGS, ...backendOptionList().map((option) => option.name)]
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseCommandArgs(
      argv,
      {
        ...Object.fromEntries(stringFlags.map((name) => [name, { type: 'string' as const }])),
        [Input.FailOnInconclusive]: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      },
      false
    ).values
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usage}\n`)
    return Exit.Error
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`)
    return Exit.Pass
  }
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : values[name] === true ? 'true' : '')
  let options: RunOptions
  try {
    if (!text(Input.Suite)) throw new Error('--suite is required')
    const flags = parseRunOptions(text, host.optionLabel)
    options = { ...flags, apiKey: flags.apiKey ?? env.MODELGATE_API_KEY }
  } catch (error) {
    const message = (error as Error).message
    process.stderr.write(`${logLine(message, host)}\n\n${usage}\n`)
    // A value that is wrong still leaves a results file, as in the action; a missing --suite is only a usage error.
    if (text(Input.Suite)) await saveResultsFile(text(Input.ResultsFile) || 'modelgate-results.json', resultsOfBadInput(text(Input.Suite), message), host)
    return Exit.Error
  }
  if (options.apiKey) host.mask(options.apiKey)
  // A token from the environment stays out of the process list.
  const llama = options.backends['llama.cpp']
  if (!llama.hfToken && env.HF_TOKEN) llama.hfToken = env.HF_TOKEN
  if (llama.hfToken) host.mask(llama.hfToken)

  const results = await runPipeline(options, host)
  progress.end()
  await saveResultsFile(options.resultsFile, results, host)
  // Redacted at the point of writing, and invisible characters shown, as in the comment.
  if (values.json) process.stdout.write(host.redact(`${JSON.stringify(results, null, 2)}\n`))
  else printReport(results, host)
  if (results.cancelled) return exitCodeOf(results.cancelled.signal)
  if (results.passed) return Exit.Pass
  // A server that never came up, a file that could not be read: not the model's failure.
  return results.failureKind === 'infrastructure' ? Exit.Error : Exit.Fail
}
