// The results file, written the same way by the action and the CLI. It cannot be written (a
// read-only workspace, a path through a file): a warning, and the report still goes everywhere else.
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { RunHost } from './host/types.js'
import type { RunResults } from './results.js'

export async function writeResultsFile(file: string, results: RunResults, workspace: string): Promise<string> {
  const absolute = path.resolve(workspace, file)
  await mkdir(path.dirname(absolute), { recursive: true })
  await writeFile(absolute, `${JSON.stringify(results, null, 2)}\n`)
  return absolute
}

/** Writes the results file, or warns why not; gives its absolute path when it was written. */
export async function saveResultsFile(file: string, results: RunResults, host: RunHost): Promise<string | undefined> {
  try {
    const written = await writeResultsFile(file, results, host.workspace)
    host.info(`Results written to ${written}`)
    return written
  } catch (error) {
    host.warn(`could not write results-file '${file}': ${(error as Error).message}. ${host.reportAlsoIn}`)
    return undefined
  }
}
