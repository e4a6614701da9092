#!/usr/bin/env node
// The `modelgate` executable (package.json `bin`, bundled to dist/cli/index.js): runs the CLI and
// gives its exit status; an error the CLI did not expect is exit status 2, never a stack trace.
import { keepCompiledCode } from './compile-cache.js'

keepCompiledCode()
// Loaded after the compile cache is on, so the bundle's code is what it keeps.
const { main } = await import('./cli.js')
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`modelgate: ${(error as Error).message}\n`)
    process.exitCode = 2
  }
)
