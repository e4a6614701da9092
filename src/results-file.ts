// The results file, written the same way by the action and the CLI. It cannot be written (a
// read-only workspace, a path through a file): a warning, and the report still goes everywhere else.
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { RunHost } from './host/types.js'
import type { RunResults } from './results.js'

/**
 * Writes `results` as JSON under the host's workspace. The text is redacted right before it is
 * written: model ids, server flags, error messages and answers can all carry a masked secret,
 * and in the JSON one with a quote or backslash appears escaped (the redactor knows that form).
 */
export async function writeResultsFile(file: string, results: RunResults, host: Pick<RunHost, 'workspace' | 'redact'>): Promise<string> {
  const absolute = path.resolve(host.workspace, file)
  await mkdir(path.dirname(absolute), { recursive: true })
  await writeFile(absolute, host.redact(`${JSON.stringify(results, null, 2)}\n`))
  return absolute
}

/** Writes the results file, or warns why not; gives its absolute path when it was written. */
export async function saveResultsFile(file: string, results: RunResults, host: RunHost): Promise<string | undefined> {
  try {
    const written = await writeResultsFile(file, results, host)
    host.info(`Results written to ${written}`)
    return written
  } catch (error) {
    host.warn(`could not write results-file '${file}': ${(error as Error).message}. ${host.reportAlsoIn}`)
    return undefined
  }
}
