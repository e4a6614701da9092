#!/usr/bin/env node
// The `modelgate` executable (package.json `bin`, bundled to dist/cli/index.js): runs the CLI and
// gives its exit status; an error the CLI did not expect is exit status 2, never a stack trace.
import { main } from './cli.js'

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`modelgate: ${(error as Error).message}\n`)
    process.exitCode = 2
  }
)
