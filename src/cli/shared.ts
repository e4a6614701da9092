// What the CLI's commands share: how they read their arguments, the exit status they give, and
// how they say what went wrong. Each command (run, check, validate, compare) is a file beside this.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { BaselineFileError } from '../baseline/file.js'
import { logLine, markdownFor, redactedResults } from '../hygiene.js'
import type { RunHost } from '../host/types.js'
import { renderReport } from '../report.js'
import type { RunResults } from '../results.js'

/**
 * The exit status of every command: the gate's verdict (pass, fail), or that modelgate could not
 * do what it was asked (a bad flag, a missing file, a server that never came up), which a script
 * must not read as the model failing.
 */
export const Exit = { Pass: 0, Fail: 1, Error: 2 } as const

/** Arguments that do not make a command: said with the command's usage. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** A file the command needs that is missing or is not what it should be: said on its own, since the usage is not the problem. */
export class InputError extends Error {
  override name = 'InputError'
}

/** A command's flags and operands; an unknown flag or a missing value is a usage error. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals: boolean) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

/** A flag's value parsed with the options' own parsers, whose errors ("Invalid --x …") are usage errors here. */
export function parsedFlag<T>(parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

/** A string flag's value, or undefined when it was not given. */
export function flag(values: Record<string, string | boolean | (string | boolean)[] | undefined>, name: string): string | undefined {
  const value = values[name]
  return typeof value === 'string' ? value : undefined
}

/**
 * Runs a command's body and turns the errors it expects into exit status 2 and a line on stderr,
 * cleaned for a terminal as every line of the host is. Anything else is a bug, left to bin.ts.
 */
export async function asCommand(usage: string, host: Pick<RunHost, 'redact'>, body: () => Promise<number>): Promise<number> {
  try {
    return await body()
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${logLine(error.message, host)}\n\n${usage}\n`)
      return Exit.Error
    }
    if (error instanceof InputError || error instanceof BaselineFileError) {
      process.stderr.write(`${logLine(error.message, host)}\n`)
      return Exit.Error
    }
    throw error
  }
}

/** Prints the report of `results` on stdout as the run does: secrets redacted, invisible characters shown, never cut. */
export function printReport(results: RunResults, host: Pick<RunHost, 'redact'>): void {
  process.stdout.write(markdownFor(renderReport(redactedResults(results, host), { maxLength: Number.MAX_SAFE_INTEGER }), host))
}
