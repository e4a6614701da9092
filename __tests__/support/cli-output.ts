// What the CLI writes when a test runs it in-process through main(): stdout and stderr kept for
// the test's assertions, and stderr not a terminal, so progress comes as plain lines, as in a
// pipe, whether or not jest itself runs on one. Call at the top of a test file: it installs the
// hooks that set this up around every test and undo it after the last.
import { afterAll, afterEach, beforeAll, beforeEach, jest } from '@jest/globals'

export interface CliOutput {
  /** What the CLI wrote to stdout since the test (or the last `clear`) began. */
  readonly stdout: string
  readonly stderr: string
  clear(): void
}

export function captureCliOutput(): CliOutput {
  const output = { stdout: '', stderr: '', clear: () => void ((output.stdout = ''), (output.stderr = '')) }
  const stderrTTY = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY')
  beforeAll(() => {
    Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true })
  })
  afterAll(() => {
    if (stderrTTY) Object.defineProperty(process.stderr, 'isTTY', stderrTTY)
    else delete (process.stderr as { isTTY?: boolean }).isTTY
  })
  beforeEach(() => {
    output.clear()
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((output.stdout += String(chunk)), true))
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((output.stderr += String(chunk)), true))
  })
  afterEach(() => {
    jest.restoreAllMocks()
  })
  return output
}
