// What the entry point that runs modelgate (the action or the CLI) gives the rest of the code.
// Only the entry points know where they run; the stages below them talk to a RunHost, so a
// message, a secret or a cancelled run is handled once, the way its user expects.

import type { BaselineHost } from '../baseline/types.js'

export interface RunHost {
  /** Where relative paths the user gave (suite, model, results file) are read from. */
  readonly workspace: string
  info(message: string): void
  warn(message: string): void
  /** Hides a secret in everything written from now on. */
  mask(secret: string): void
  /** Keeps a value for the post step; a host without a post step drops it. */
  saveState(name: string, value: string): void
  /** An option as its user wrote it, where a message names it: `input 'model'` or `--model`. */
  optionLabel(name: string): string
  /** The same inside a sentence ("set …"): `the input 'model'` or `--model`. */
  optionRef(name: string): string
  /** What still holds the report when the results file cannot be written, as a sentence. */
  readonly reportAlsoIn: string
  /**
   * Runs `stop` first when the run is cancelled (SIGINT, SIGTERM), before the process exits as
   * the signal meant. Returns the function that withdraws it.
   */
  onCancel(stop: () => void): () => void
  /** Where baselines are kept and whether this run makes one; absent where there are none (the CLI). */
  readonly baselines?: BaselineHost
}
