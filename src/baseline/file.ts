// A results file used as the baseline (`baseline-file`): a downloaded artifact, a committed file.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { RunResults } from '../results.js'
import type { FoundBaseline } from './types.js'

export class BaselineFileError extends Error {
  override name = 'BaselineFileError'
}

/** Reads a results JSON as a baseline; a file that is not one is an error naming it. */
export async function readBaselineFile(file: string, workspace: string, label: string): Promise<FoundBaseline> {
  const absolute = path.resolve(workspace, file)
  let text: string
  try {
    text = await readFile(absolute, 'utf8')
  } catch (error) {
    throw new BaselineFileError(`${label} '${file}' cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error })
  }
  let results: RunResults
  try {
    results = JSON.parse(text) as RunResults
  } catch (error) {
    throw new BaselineFileError(`${label} '${file}' is not JSON: ${(error as Error).message}`, { cause: error })
  }
  if (results?.schemaVersion !== 1 || !Array.isArray(results.cases)) {
    throw new BaselineFileError(`${label} '${file}' is not a modelgate results file (no schemaVersion 1 and cases)`)
  }
  return { results, info: infoOf(results, 'file', file) }
}

export function infoOf(results: RunResults, source: FoundBaseline['info']['source'], from: string): FoundBaseline['info'] {
  const env = results.environment ?? {}
  return {
    source,
    from,
    ...(env.sha ? { sha: env.sha } : {}),
    ...(env.ref ? { ref: env.ref } : {}),
    ...(env.runUrl ? { runUrl: env.runUrl } : {}),
    finishedAt: results.finishedAt
  }
}
