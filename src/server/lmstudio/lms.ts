// LM Studio's own CLI, `lms`: found where LM Studio puts it, run with an argument list (never a
// shell), its JSON read back. Every command is kept, so the report shows what was run.
import { execFile } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** How long one `lms` command may take; `server start` and `daemon up` wait for LM Studio itself. */
const LMS_TIMEOUT_MS = 120_000

export interface LmsResult {
  stdout: string
  stderr: string
}

export interface Lms {
  readonly path: string
  /** The commands run so far, as the user would type them (`lms server status --json`). */
  readonly commands: string[]
  run(args: readonly string[]): Promise<LmsResult>
  /** Runs a `--json` command and parses its output; names the command when the output is not JSON. */
  json<T>(args: readonly string[]): Promise<T>
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Finds `lms`: the path the user gave, else on PATH, else where LM Studio installs it
 * (~/.lmstudio/bin/lms). The error says every place it looked.
 */
export function findLms(given: string | undefined, env: NodeJS.ProcessEnv, label: string): string {
  if (given) {
    if (isExecutable(given)) return given
    throw new Error(`lms not found at ${given} (${label}): no executable file there`)
  }
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean)
  for (const dir of dirs) {
    const candidate = path.join(dir, 'lms')
    if (isExecutable(candidate)) return candidate
  }
  const home = path.join(env.HOME ?? os.homedir(), '.lmstudio', 'bin', 'lms')
  if (isExecutable(home)) return home
  throw new Error(
    `lms not found: looked on PATH (${dirs.join(path.delimiter) || 'empty'}) and at ${home}. ` +
      `Install LM Studio and run it once (it installs lms), or set ${label} to the lms executable`
  )
}

export function createLms(file: string): Lms {
  const commands: string[] = []
  const run = (args: readonly string[]) =>
    new Promise<LmsResult>((resolve, reject) => {
      commands.push(['lms', ...args].join(' '))
      execFile(file, [...args], { timeout: LMS_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) {
          const said = (stderr || stdout).trim().split('\n').slice(-3).join(' ').trim()
          const why = error.killed ? `did not finish within ${LMS_TIMEOUT_MS / 1000} s` : `failed${said ? `: ${said}` : ` (${error.message})`}`
          reject(new Error(`\`lms ${args.join(' ')}\` ${why}`, { cause: error }))
        } else resolve({ stdout, stderr })
      })
    })
  return {
    path: file,
    commands,
    run,
    async json<T>(args: readonly string[]): Promise<T> {
      const { stdout } = await run(args)
      try {
        return JSON.parse(stdout) as T
      } catch {
        throw new Error(`\`lms ${args.join(' ')}\` did not print JSON: ${stdout.trim().slice(0, 200) || '(nothing)'}`)
      }
    }
  }
}
