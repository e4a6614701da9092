// `modelgate validate`: suite files checked as the run loads them, without a server. Every problem
// goes to stdout as `file:line case "id": field message`, one a line, as a linter writes them, so
// an editor or a problem matcher can point at each; what is valid is said on stderr.
import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import path from 'node:path'
import { createCliHost } from '../host/cli.js'
import { logLine } from '../hygiene.js'
import { displayPathOf, loadSuite, SuiteError } from '../suite/index.js'
import { asCommand, Exit, parseCommandArgs, UsageError } from './shared.js'

const VALIDATE_USAGE = `Usage: modelgate validate SUITE_FILE...

Loads each suite as a run would, without starting a server, and prints every problem it has on
stdout, one a line: file:line case "id": field message.
Exit status: 0 when every suite is valid, 1 when one has problems, 2 on a usage error or a
suite file that cannot be read.

Options:
  -h, --help

Example:
  modelgate validate modelgate/*.yml`

/** Whether the file is there to be read: one that is not is a missing file (2), not a suite with problems (1). */
async function readable(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false
    await access(file, constants.R_OK)
    return true
  } catch {
    return false
  }
}

export async function validateCommand(argv: string[]): Promise<number> {
  const host = createCliHost()
  return asCommand(VALIDATE_USAGE, host, async () => {
    const { values, positionals: files } = parseCommandArgs(argv, { help: { type: 'boolean', short: 'h' } }, true)
    if (values.help) {
      process.stdout.write(`${VALIDATE_USAGE}\n`)
      return Exit.Pass
    }
    if (files.length === 0) throw new UsageError('name at least one suite file')
    let status: number = Exit.Pass
    for (const file of files) {
      const absolute = path.resolve(host.workspace, file)
      const shown = displayPathOf(absolute, host.workspace)
      const canRead = await readable(absolute)
      try {
        const suite = await loadSuite(absolute, shown, { optionLabel: 'a suite path' })
        host.info(`${shown}: valid, ${suite.cases.length} case${suite.cases.length === 1 ? '' : 's'}`)
      } catch (error) {
        if (!(error instanceof SuiteError)) throw error
        // A suite's problems are what the command reports, on stdout; a file that is not there is an error, on stderr.
        const lines = error.problems.map((problem) => `${logLine(problem, host)}\n`).join('')
        if (canRead) process.stdout.write(lines)
        else process.stderr.write(lines)
        status = Math.max(status, canRead ? Exit.Fail : Exit.Error)
      }
    }
    return status
  })
}
