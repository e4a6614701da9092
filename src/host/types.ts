// What the entry point that runs modelgate (the action or the CLI) gives the rest of the code.
// Only the entry points know where they run; the stages below them talk to a RunHost, so a
// message, a secret or a cancelled run is handled once, the way its user expects.

import type { BaselineHost } from '../baseline/types.js'
import type { ModelHost } from '../models/types.js'

export interface RunHost {
  /** Where relative paths the user gave (suite, model, results file) are read from. */
  readonly workspace: string
  info(message: string): void
  warn(message: string): void
  /**
   * A sample's progress line. A host that folds each case's lines into one group of its log (the
   * action) is told the case and whether the line is its last; without it the line goes to `info`.
   */
  sampleLine?(caseId: string, line: string, last: boolean): void
  /** Hides a secret in everything written from now on. */
  mask(secret: string): void
  /**
   * Every secret given to `mask` replaced by `***`: what the results file, the comment, the
   * summary and the CLI's report pass through at the point of writing. `info` and `warn` apply it
   * themselves.
   */
  redact(text: string): string
  /** Keeps a value for the post step; a host without a post step drops it. */
  saveState(name: string, value: string): void
  /** An option as its user wrote it, where a message names it: `input 'model'` or `--model`. */
  optionLabel(name: string): string
  /** The same inside a sentence ("set …"): `the input 'model'` or `--model`. */
  optionRef(name: string): string
  /** What still holds the report when the results file cannot be written, as a sentence. */
  readonly reportAlsoIn: string
  /**
   * Aborts when the run is cancelled (the first SIGINT or SIGTERM; `reason` is the signal's
   * name): the stages stop what they do and the run writes what it measured, marked cancelled.
   */
  readonly cancelled: AbortSignal
  /**
   * Registers a hard stop (kill a process that was started) for when a cancelled run runs out of
   * time or a second signal comes, before the process exits as the signal meant. Returns the
   * function that withdraws it.
   */
  onCancel(stop: () => void): () => void
  /** Where baselines are kept and whether this run makes one; absent where there are none (the CLI). */
  readonly baselines?: BaselineHost
  /** Where models fetched by URL are kept (and, in the action, the Actions cache). */
  readonly models?: ModelHost
}
