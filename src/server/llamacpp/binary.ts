// Which llama-server runs, and whether that build knows every flag modelgate passes.
import { execFile } from 'node:child_process'
import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { optionNames } from './flags.js'

const run = promisify(execFile)

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK)
    return (await stat(file)).isFile()
  } catch {
    return false
  }
}

/** The binary the user named, else llama-server on PATH; `ref` names the option in messages. */
export async function findLlamaServer(explicit: string | undefined, ref: (name: string) => string): Promise<string> {
  if (explicit) {
    if (await isExecutable(explicit)) return path.resolve(explicit)
    throw new Error(`llama-server-path '${explicit}' is not an executable file`)
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'llama-server')
    if (await isExecutable(candidate)) return candidate
  }
  throw new Error(`llama-server was not found on PATH: install llama.cpp on the runner or set ${ref('llama-server-path')}`)
}

/** Every option we pass must be one this build knows; an older build would exit on it. Gives the build's version line. */
export async function checkBuildKnows(binary: string, flags: string[]): Promise<string> {
  let help: string
  try {
    const out = await run(binary, ['--help'], { timeout: 20_000, maxBuffer: 8 * 1024 * 1024 })
    help = `${out.stdout}\n${out.stderr}`
  } catch (error) {
    const out = error as { stdout?: string; stderr?: string; message: string }
    help = `${out.stdout ?? ''}\n${out.stderr ?? ''}`
    if (!help.trim()) throw new Error(`${binary} --help failed: ${out.message}`, { cause: error })
  }
  const unknown = [...new Set(optionNames(flags))].filter((flag) => !new RegExp(`(^|[\\s,])${flag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([\\s,=]|$)`, 'm').test(help))
  if (unknown.length > 0) {
    throw new Error(`${binary} is too old or not llama-server: it does not know ${unknown.join(', ')} (modelgate needs a llama.cpp build with --fit and --load-mode)`)
  }
  try {
    const version = await run(binary, ['--version'], { timeout: 20_000 })
    return `${version.stdout}${version.stderr}`.match(/version: .*/)?.[0] ?? ''
  } catch {
    return ''
  }
}
