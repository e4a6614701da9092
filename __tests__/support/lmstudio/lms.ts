// A fake of LM Studio's CLI, `lms`, in front of the LM Studio stand-in (server.ts). The file it
// writes is a small Node script: it appends its arguments as one JSON line to a log and posts
// them to the stand-in, which answers from its own state through `runLms` below. The commands,
// their flags, their output (JSON on stdout, messages on stderr) and their exit statuses follow
// lms's source (github.com/lmstudio-ai/lms, src/subcommands: server.ts, daemon/*.ts, list.ts,
// load.ts, unload.ts, get.ts, version.ts) and LM Studio's CLI docs; where lms would prompt, the
// fake fails instead and says so.
//
// The stand-in answers from the test's own process, so the script must be run asynchronously
// (execFile, spawn): a synchronous call (execFileSync) blocks the very event loop that would answer.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { CliAnswer, LmStudioStandIn, StandInError } from './server.js'

export interface FakeLms {
  /** The executable `lms`: put its directory on PATH, or give the path itself. */
  path: string
  /** The argument lists of every invocation so far, in order (`[['server', 'status', '--json'], …]`). */
  calls(): string[][]
}

/** What `lms daemon up --json` reports as the daemon's version. */
export const LLMSTER_VERSION = '0.4.4+1'

/** Writes `dir/lms` and makes `standIn` answer it (`standIn.cli`). */
export function writeFakeLms(dir: string, standIn: LmStudioStandIn): FakeLms {
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, 'lms')
  const log = path.join(dir, 'lms-calls.jsonl')
  writeFileSync(log, '')
  writeFileSync(file, script(standIn.cliUrl, log), { mode: 0o755 })
  standIn.cli = (argv) => runLms(standIn, argv)
  return {
    path: file,
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as string[])
  }
}

/**
 * The executable. It uses no `require` and no `import` statement, so it runs the same whether
 * Node takes it for CommonJS or for an ES module (a directory under a `"type": "module"` package).
 */
function script(url: string, log: string): string {
  return `#!/usr/bin/env node
// modelgate's fake of LM Studio's lms (__tests__/support/lmstudio/lms.ts): it logs its arguments
// and prints what the LM Studio stand-in answers to them.
;(async () => {
  const fs = await import('node:fs')
  const argv = process.argv.slice(2)
  fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(argv) + '\\n')
  try {
    const response = await fetch(${JSON.stringify(url)}, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ argv }) })
    const answer = await response.json()
    process.stdout.write(answer.stdout)
    process.stderr.write(answer.stderr)
    process.exitCode = answer.exitCode
  } catch (error) {
    process.stderr.write('lms stand-in: cannot reach the LM Studio stand-in at ${url}: ' + error + '\\n')
    process.exitCode = 1
  }
})()
`
}

interface OptionSpec {
  long: string
  short?: string
  /** The value's placeholder as lms's help shows it (`<port>`); a flag when absent. */
  value?: string
}

interface CommandSpec {
  /** Positional arguments it takes at most. */
  args: number
  options: OptionSpec[]
  /** Whether it connects to LM Studio as lms's createClient does, which wakes the daemon and takes `--host` and `--port`. */
  client?: boolean
  run(command: Command): void | Promise<void>
}

const LOG_OPTIONS: OptionSpec[] = [{ long: '--log-level', value: '<level>' }, { long: '--quiet' }, { long: '--verbose' }]
const CLIENT_OPTIONS: OptionSpec[] = [{ long: '--host', value: '<host>' }, { long: '--port', value: '<port>' }]
const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'none']

/** Ends a command with an exit status. */
class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`)
  }
}

/** One invocation: its parsed arguments and what it has printed. */
class Command {
  stdout = ''
  stderr = ''
  private level = 1

  constructor(
    readonly standIn: LmStudioStandIn,
    readonly args: string[],
    readonly options: Map<string, string | true>
  ) {}

  flag(name: string): boolean {
    return this.options.has(name)
  }

  value(name: string): string | undefined {
    const value = this.options.get(name)
    return typeof value === 'string' ? value : undefined
  }

  /** lms's `--log-level`, `--quiet` and `--verbose`, of which only one may be given. */
  setLogLevel(): void {
    const given = ['--log-level', '--quiet', '--verbose'].filter((name) => this.flag(name))
    if (given.length > 1) this.fail('Only one of --logLevel, --verbose, or --quiet can be specified.')
    const level = this.flag('--quiet') ? 'none' : this.flag('--verbose') ? 'debug' : (this.value('--log-level') ?? 'info')
    if (!LOG_LEVELS.includes(level)) this.usage(`option '--log-level <level>' argument '${level}' is invalid. Allowed choices are ${LOG_LEVELS.join(', ')}.`)
    this.level = LOG_LEVELS.indexOf(level)
  }

  /** console.info: stdout, whatever the log level. */
  print(text: string): void {
    this.stdout += `${text}\n`
  }

  /** lms's logger writes to stderr. */
  info(text: string): void {
    if (this.level <= 1) this.stderr += `${text}\n`
  }

  warn(text: string): void {
    if (this.level <= 2) this.stderr += `W ${text}\n`
  }

  error(text: string): void {
    if (this.level <= 3) this.stderr += `Error: ${text}\n`
  }

  fail(text: string, code = 1): never {
    this.error(text)
    throw new Exit(code)
  }

  /** Commander's own complaints: no prefix but `error:`, whatever the log level. */
  usage(text: string): never {
    this.stderr += `error: ${text}\n`
    throw new Exit(1)
  }

  /** Where lms would ask the user to choose, which a test cannot answer. */
  wouldPrompt(what: string): never {
    return this.fail(`${what}: lms would prompt here, and the lms stand-in cannot answer a prompt (pass the argument, or -y)`)
  }

  /** An integer flag as lms's refined number parser takes it. */
  integer(name: string, placeholder: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const text = this.value(name)
    if (text === undefined) return undefined
    const number = Number(text)
    if (!Number.isInteger(number) || number < min || number > max) this.usage(`option '${name} ${placeholder}' argument '${text}' is invalid. Expected an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}`)
    return number
  }
}

/** The commands lms has that the fake answers, by their words (`server start`). */
const COMMANDS: Record<string, CommandSpec> = {
  'server start': {
    args: 0,
    options: [{ long: '--port', short: '-p', value: '<port>' }, { long: '--bind', value: '<address>' }, { long: '--cors' }],
    async run(c) {
      c.standIn.startDaemon()
      if (c.flag('--cors')) c.warn('CORS is enabled. This means any website you visit can use the LM Studio server.')
      const bind = c.value('--bind') ?? '127.0.0.1'
      if (bind !== '127.0.0.1') c.warn('Server will accept connections from the network. Only use this if you know what you are doing!')
      const port = c.integer('--port', '<port>', 0, 65535) ?? c.standIn.lastServerPort ?? 1234
      // The stand-in serves only its own port: lms checks the port it asked for and finds nothing.
      if (!(await c.standIn.startServer(port))) c.fail('Failed to verify the server is running. Please try to use another port.')
      c.info(`Success! Server is now running on port ${port}`)
    }
  },
  'server stop': {
    args: 0,
    options: [],
    async run(c) {
      const port = c.standIn.lastServerPort
      if (port === undefined || !serving(c.standIn)) c.fail('The server is not running.')
      await c.standIn.stopServer()
      c.info(`Stopped the server on port ${port}.`)
    }
  },
  'server status': {
    args: 0,
    options: [{ long: '--json' }],
    run(c) {
      // lms reads the port it last started the server on and asks that port; JSON leaves out a port never used.
      const port = c.standIn.lastServerPort
      const running = serving(c.standIn)
      if (c.flag('--json')) c.print(JSON.stringify({ running, port }))
      else c.info(running ? `The server is running on port ${port}.` : 'The server is not running.')
    }
  },
  'daemon up': {
    args: 0,
    options: [{ long: '--json' }],
    run(c) {
      const wasRunning = c.standIn.daemonRunning
      c.standIn.startDaemon()
      if (c.flag('--json')) c.print(JSON.stringify({ status: 'running', pid: process.pid, isDaemon: true, version: LLMSTER_VERSION }))
      else c.print(wasRunning ? `The daemon is already running (PID: ${process.pid}).` : `llmster started (PID: ${process.pid}).`)
    }
  },
  'daemon status': {
    args: 0,
    options: [{ long: '--json' }],
    run(c) {
      const running = c.standIn.daemonRunning
      if (c.flag('--json')) c.print(JSON.stringify(running ? { status: 'running', pid: process.pid, isDaemon: true } : { status: 'not-running' }))
      else c.print(running ? `llmster v${LLMSTER_VERSION} is running (PID: ${process.pid})` : 'LM Studio is not running')
    }
  },
  'daemon down': {
    args: 0,
    options: [],
    async run(c) {
      if (!c.standIn.daemonRunning) {
        c.info('Daemon is not running.')
        throw new Exit(1)
      }
      c.info('Shutting down llmster...')
      await c.standIn.stopDaemon()
      c.info('Done.')
    }
  },
  ls: {
    args: 1,
    client: true,
    options: [{ long: '--llm' }, { long: '--embedding' }, { long: '--json' }, { long: '--detailed' }, { long: '--variants' }],
    run(c) {
      const [modelKey] = c.args
      // The stand-in's models are all LLMs, with no variants.
      const models = c.flag('--embedding') && !c.flag('--llm') ? [] : c.standIn.models.filter((m) => modelKey === undefined || m.modelKey === modelKey)
      if (c.flag('--json')) return c.print(JSON.stringify(models.map((m) => c.standIn.modelInfo(m))))
      if (models.length === 0) return c.print('You have not downloaded any models yet.')
      c.print(`You have ${models.length} models.`)
      for (const model of models) c.print(`${model.modelKey}    ${model.architecture ?? ''}`)
    }
  },
  ps: {
    args: 0,
    client: true,
    options: [{ long: '--json' }],
    run(c) {
      const { standIn } = c
      if (c.flag('--json')) {
        const listed = standIn.instances.map((instance) => {
          // lms leaves out the SDK's handle on the instance.
          const info = standIn.instanceInfo(instance)
          delete info.instanceReference
          return { ...info, status: 'idle', queued: 0, parallel: standIn.restConfig(instance).parallel }
        })
        return c.print(JSON.stringify(listed))
      }
      if (standIn.instances.length === 0) return c.info('No models are currently loaded.\n\nTo load a model, run:\n\n    lms load <model path>')
      for (const instance of standIn.instances) c.print(`${instance.identifier}    ${instance.modelKey}    IDLE    ${instance.contextLength}`)
    }
  },
  load: {
    args: 1,
    client: true,
    options: [
      { long: '--gpu', value: '<offload-ratio>' },
      { long: '--context-length', short: '-c', value: '<length>' },
      { long: '--parallel', value: '<count>' },
      { long: '--ttl', value: '<seconds>' },
      { long: '--identifier', value: '<identifier>' },
      { long: '--exact' },
      { long: '--local' },
      { long: '--yes', short: '-y' }
    ],
    async run(c) {
      const gpu = gpuRatio(c)
      const contextLength = c.integer('--context-length', '<length>', 1)
      const parallel = c.integer('--parallel', '<count>', 1)
      const ttl = c.integer('--ttl', '<seconds>', 1)
      const [modelKey] = c.args
      if (modelKey === undefined) return c.wouldPrompt('no model key given')
      const yes = c.flag('--yes')
      const models = c.standIn.models
      let matches = c.flag('--exact') ? models.filter((m) => m.path === modelKey) : fuzzyMatches(modelKey, models)
      if (matches.length === 0) {
        if (c.flag('--exact')) c.fail(`Model not found\nNo model found with path being exactly "${modelKey}".`)
        if (!yes) c.wouldPrompt(`! Cannot find a model matching the provided model key (${modelKey})`)
        c.fail(`Model not found\nNo model found that matches model key "${modelKey}".\n\nTo see a list of all downloaded models, run:\n\n    lms ls`)
      }
      if (matches.length > 1) {
        if (!yes) c.wouldPrompt('! Multiple models match the provided model key')
        c.warn(`${matches.length} models match the provided model key on the same device. Loading the first one.`)
        matches = matches.slice(0, 1)
      }
      const model = matches[0]!
      // The fields lms's own SDK sends for these flags (lmstudio-js packages/lms-kv-config).
      const config: Record<string, unknown> = {
        ...(contextLength !== undefined ? { 'llm.load.contextLength': contextLength } : {}),
        ...(gpu !== undefined ? { 'llm.load.llama.acceleration.offloadRatio': gpu } : {}),
        ...(parallel !== undefined ? { 'llm.load.numParallelSessions': parallel } : {})
      }
      const identifier = c.value('--identifier')
      const started = Date.now()
      try {
        const instance = await c.standIn.load({
          modelKey: model.modelKey,
          ...(identifier !== undefined ? { identifier } : {}),
          ...(ttl !== undefined ? { ttlMs: ttl * 1000 } : {}),
          config,
          via: 'lms'
        })
        c.info(`Model loaded successfully in ${((Date.now() - started) / 1000).toFixed(2)}s.\n(${model.sizeBytes ?? 0} bytes)`)
        c.info(`To use the model in the API/SDK, use the identifier "${instance.identifier}".`)
      } catch (error) {
        const { title, details } = error as StandInError
        c.fail(details?.cause ? `${title}\n${details.cause}` : title)
      }
    }
  },
  unload: {
    args: 1,
    client: true,
    options: [{ long: '--all', short: '-a' }],
    run(c) {
      const { standIn } = c
      const [identifier] = c.args
      // lms prints these complaints and still exits 0.
      if (c.flag('--all') && identifier !== undefined) return c.info('Invalid Usage\nYou cannot provide [path] when the flag --all is set.')
      if (c.flag('--all')) {
        const all = [...standIn.instances]
        if (all.length === 0) return c.info('No models to unload.')
        for (const instance of all) {
          c.info(`Unloading "${instance.identifier}"...`)
          standIn.unload(instance.identifier)
        }
        return c.info(all.length > 1 ? `Unloaded ${all.length} models.` : 'Unloaded 1 model.')
      }
      if (identifier === undefined) {
        if (standIn.instances.length === 0) {
          c.info('You don\'t have any models loaded. Use "lms load" to load a model.')
          throw new Exit(1)
        }
        if (standIn.instances.length > 1) c.wouldPrompt('no identifier given and several models loaded')
      }
      const target = identifier ?? standIn.instances[0]!.identifier
      if (!standIn.instances.some((i) => i.identifier === target)) {
        return c.info(`Model Not Found\nCannot find a model with the identifier "${target}".\n\nTo see a list of loaded models, run:\n\n    lms ps`)
      }
      standIn.unload(target)
      c.info(`Model "${target}" unloaded.`)
    }
  },
  get: {
    args: 1,
    client: true,
    options: [{ long: '--mlx' }, { long: '--gguf' }, { long: '--yes', short: '-y' }, { long: '--select' }],
    run(c) {
      const [name] = c.args
      if (name === undefined) return c.wouldPrompt('no model given')
      // `KEY@quant` names a variant; the stand-in's models have one each.
      const matches = (m: { modelKey: string }) => m.modelKey === name || m.modelKey === name.split('@')[0]
      const downloaded = c.standIn.models.find(matches)
      if (downloaded) return c.info(`Model already downloaded. To use, run:\n    lms load ${downloaded.modelKey}`)
      // What lms prints while it searches and downloads is its own; the stand-in says only the outcome.
      const offered = c.standIn.catalog.find(matches)
      if (!offered) return c.fail(`No model found for "${name}" (the stand-in's catalog has ${c.standIn.catalog.map((m) => m.modelKey).join(', ') || 'nothing'})`)
      if (!c.flag('--yes')) c.wouldPrompt(`confirm the download of ${offered.modelKey}`)
      c.standIn.models.push(offered)
      c.info(`Downloaded ${offered.modelKey}.`)
    }
  },
  version: {
    args: 0,
    options: [{ long: '--json' }],
    run(c) {
      if (c.flag('--json')) return c.print(JSON.stringify({ version: 'lms-stand-in' }))
      c.print("lms is LM Studio's CLI utility for your models, server, and inference runtime.")
      c.print('CLI commit: lms-stand-in')
    }
  }
}

const GROUPS = new Set(['server', 'daemon'])

/** Answers one `lms` invocation from the stand-in's state. */
export async function runLms(standIn: LmStudioStandIn, argv: readonly string[]): Promise<CliAnswer> {
  const [first, second] = argv
  const words = first !== undefined && GROUPS.has(first) ? 2 : 1
  const name = argv.slice(0, words).join(' ')
  const spec = COMMANDS[name]
  const parsing = new Command(standIn, [], new Map())
  let command = parsing
  try {
    if (first === undefined) return parsing.usage('no command given (lms <command>)')
    if (!spec) return parsing.usage(words === 2 && second === undefined ? `missing subcommand for 'lms ${first}'` : `unknown command '${words === 2 ? second : first}'`)
    const options = [...spec.options, ...LOG_OPTIONS, ...(spec.client ? CLIENT_OPTIONS : [])]
    const { args, given } = parseArguments(parsing, argv.slice(words), options)
    if (args.length > spec.args) parsing.usage(`too many arguments for '${name}'. Expected ${spec.args} argument${spec.args === 1 ? '' : 's'} but got ${args.length}.`)
    command = new Command(standIn, args, given)
    command.setLogLevel()
    if (spec.client) connect(command)
    await spec.run(command)
    return { stdout: command.stdout, stderr: command.stderr, exitCode: 0 }
  } catch (error) {
    if (!(error instanceof Exit)) throw error
    return { stdout: command.stdout, stderr: command.stderr, exitCode: error.code }
  }
}

/** Commander's reading of the words after the command: `--name value`, `--name=value`, `-c 2048`, `-c2048`. */
function parseArguments(command: Command, words: string[], options: OptionSpec[]): { args: string[]; given: Map<string, string | true> } {
  const args: string[] = []
  const given = new Map<string, string | true>()
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!
    if (word === '--') {
      args.push(...words.slice(i + 1))
      break
    }
    if (!word.startsWith('-') || word === '-') {
      args.push(word)
      continue
    }
    const long = word.startsWith('--')
    const [name, inline] = long ? [word.split('=')[0]!, word.includes('=') ? word.slice(word.indexOf('=') + 1) : undefined] : [word.slice(0, 2), word.length > 2 ? word.slice(2) : undefined]
    const option = options.find((o) => (long ? o.long === name : o.short === name))
    if (!option) command.usage(`unknown option '${word}'`)
    if (option.value === undefined) {
      given.set(option.long, true)
      continue
    }
    const value = inline ?? words[++i]
    if (value === undefined) command.usage(`option '${option.short ? `${option.short}, ` : ''}${option.long} ${option.value}' argument missing`)
    given.set(option.long, value)
  }
  return { args, given }
}

/**
 * lms's createClient: `--host` would reach another machine, which the stand-in is not; `--port`
 * connects straight to a running server there; without either, lms finds the daemon and wakes it.
 */
function connect(c: Command): void {
  const host = c.value('--host')
  if (host !== undefined) c.fail(`the lms stand-in reaches only the LM Studio stand-in, not a remote LM Studio (--host ${host})`)
  const port = c.value('--port')
  if (port === undefined) return c.standIn.startDaemon()
  if (Number(port) !== c.standIn.port || !c.standIn.serverRunning) {
    c.fail(`The server does not appear to be running at 127.0.0.1:${port}. Please make sure the server is running and accessible at the specified address.`)
  }
}

/** Whether the port lms last started the server on answers. */
function serving(standIn: LmStudioStandIn): boolean {
  return standIn.serverRunning && standIn.lastServerPort === standIn.port
}

/** lms load's `--gpu`: `off` (0), `max` (1) or a ratio from 0 to 1. */
function gpuRatio(c: Command): number | undefined {
  const text = c.value('--gpu')
  if (text === undefined) return undefined
  const word = text.trim().toLowerCase()
  if (word === 'off') return 0
  if (word === 'max') return 1
  const ratio = Number(word)
  if (Number.isNaN(ratio)) c.usage(`option '--gpu <offload-ratio>' argument '${text}' is invalid. Not a number`)
  if (ratio < 0 || ratio > 1) c.usage(`option '--gpu <offload-ratio>' argument '${text}' is invalid. Number out of range, must be between 0 and 1`)
  return ratio
}

/**
 * The models `lms load KEY` takes KEY to mean: lms filters the model keys with the `fuzzy`
 * package, which keeps every key holding KEY's characters in order, whatever their case. The
 * exact key comes first; the rest keep LM Studio's order (fuzzy ranks them by score, which the
 * stand-in does not reproduce).
 */
function fuzzyMatches<T extends { modelKey: string }>(pattern: string, models: T[]): T[] {
  const wanted = pattern.toLowerCase()
  const holds = (key: string) => {
    let at = 0
    for (const char of key.toLowerCase()) if (char === wanted[at]) at++
    return at === wanted.length
  }
  const exact = models.filter((m) => m.modelKey === pattern)
  return [...exact, ...models.filter((m) => m.modelKey !== pattern && holds(m.modelKey))]
}
