// `modelgate compare`: two results files side by side, as the action compares a run with its
// baseline: what newly fails, what got slower, and what changed, in the same report. The exit
// status is whether the newer run regressed, not whether it passed on its own.
import { readBaselineFile } from '../baseline/file.js'
import { compareRuns } from '../compare/index.js'
import { SPEED_DEFAULTS } from '../compare/speed.js'
import type { Comparison } from '../compare/types.js'
import { verdictOf } from '../gate.js'
import { createCliHost } from '../host/cli.js'
import { Input, parsePositiveNumber } from '../options.js'
import type { RunResults } from '../results.js'
import { asCommand, Exit, flag, parseCommandArgs, parsedFlag, printReport, UsageError } from './shared.js'

const COMPARE_USAGE = `Usage: modelgate compare BASE.json NEW.json [options]

Compares two results files as the action compares a run with its baseline, and prints the new
run's report with the regressions first (Markdown) to stdout: checks that newly fail, and speed
that is confirmed slower. Speed is compared only between runs on the same machine.
Exit status: 0 when NEW has no regression against BASE, 1 when it has, 2 on a usage error or a
file that is not a results file.

Options:
  --max-speed-regression PERCENT a confirmed drop beyond this is a regression (default 5)
  --fail-on-inconclusive         an undecided speed comparison counts as one too
  -h, --help

Example:
  modelgate compare main-results.json modelgate-results.json`

export async function compareCommand(argv: string[]): Promise<number> {
  const host = createCliHost()
  return asCommand(COMPARE_USAGE, host, async () => {
    const { values, positionals } = parseCommandArgs(
      argv,
      { [Input.MaxSpeedRegression]: { type: 'string' }, [Input.FailOnInconclusive]: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      true
    )
    if (values.help) {
      process.stdout.write(`${COMPARE_USAGE}\n`)
      return Exit.Pass
    }
    if (positionals.length !== 2) throw new UsageError(`name two results files, the baseline and the new run (got ${positionals.length})`)
    const [baseFile = '', newFile = ''] = positionals
    const maxSpeedRegressionPercent = parsedFlag(() => parsePositiveNumber(flag(values, Input.MaxSpeedRegression) ?? '', `--${Input.MaxSpeedRegression}`)) ?? SPEED_DEFAULTS.maxRegressionPercent
    const base = await readBaselineFile(baseFile, host.workspace, 'baseline')
    const { results: newer } = await readBaselineFile(newFile, host.workspace, 'new results')
    const comparison = compareRuns(newer, base.results, base.info, { maxSpeedRegressionPercent })
    const shown = againstBaseline(newer, comparison, values[Input.FailOnInconclusive] === true)
    printReport(shown, host)
    return shown.passed ? Exit.Pass : Exit.Fail
  })
}

/**
 * The new run with the comparison in it, its verdict drawn from the comparison alone: a check
 * that failed in the baseline too is known, not a regression, as with `fail-on: new-failures`.
 */
function againstBaseline(newer: RunResults, comparison: Comparison, failOnInconclusive: boolean): RunResults {
  // The new run's own failure kind says why it failed on its own; here only the comparison decides.
  const rest: RunResults = { ...newer }
  delete rest.failureKind
  const stopped = newer.errors.length ? ` The new run stopped early: ${newer.errors[0]}` : ''
  if (comparison.baseline !== 'found') {
    return { ...rest, comparison, passed: true, reason: `Not compared, so no regression can be found: ${comparison.note ?? 'no baseline'}.${stopped}` }
  }
  const verdict = verdictOf(newer.cases, [], comparison, { failOn: 'new-failures', failOnInconclusive })
  const count = comparison.regressions
  const head = count === 0 ? 'No regression against the baseline.' : `${count === 1 ? 'One regression' : `${count} regressions`} against the baseline.`
  return {
    ...rest,
    comparison,
    passed: verdict.passed,
    reason: `${head} ${verdict.reason}${stopped}`,
    ...(verdict.failureKind ? { failureKind: verdict.failureKind } : {})
  }
}
