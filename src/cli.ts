// The modelgate CLI: the action's engine on a suite author's machine. `run` replays a suite as the
// action does; `check`, `validate` and `compare` need no model. Each command is a file in cli/.
//   modelgate run --suite examples/suite.yml --server connect --base-url http://127.0.0.1:8080/v1
//   modelgate check --suite examples/suite.yml --case update-user-status answer.md
import { checkCommand } from './cli/check.js'
import { compareCommand } from './cli/compare.js'
import { runCommand } from './cli/run.js'
import { Exit } from './cli/shared.js'
import { validateCommand } from './cli/validate.js'
import { forLog } from './hygiene.js'

const USAGE = `Usage: modelgate COMMAND [options]
       modelgate --suite FILE [options]       the same as modelgate run

Commands:
  run        replay a suite against a model server and gate on the answers and the speed
  check      run a case's checks on saved answers or a results file, without a model
  validate   report every problem in suite files, without a server
  compare    the regressions between two results files

'modelgate COMMAND --help' gives a command's options and an example.
Exit status: 0 when the gate passes, 1 when it fails, 2 on a usage or infrastructure error
(a bad flag, a missing file, a server that never came up), 130/143 when a run is cancelled.`

const COMMANDS: Record<string, (argv: string[], env: NodeJS.ProcessEnv) => Promise<number>> = {
  run: (argv, env) => runCommand(argv, env),
  check: (argv) => checkCommand(argv),
  validate: (argv) => validateCommand(argv),
  compare: (argv) => compareCommand(argv)
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [first, ...rest] = argv
  if (first === undefined) {
    process.stderr.write(`name a command\n\n${USAGE}\n`)
    return Exit.Error
  }
  if (first === '--help' || first === '-h') {
    process.stdout.write(`${USAGE}\n`)
    return Exit.Pass
  }
  const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined
  if (command) return command(rest, env)
  // Flags first: the form from before there were commands, kept as it was.
  if (first.startsWith('-')) return runCommand(argv, env, 'modelgate')
  process.stderr.write(`${forLog(`unknown command '${first}'`)}\n\n${USAGE}\n`)
  return Exit.Error
}
