// What a run looks like beside its baseline. Written into the results file and rendered in the
// report, so its shape is part of what users read.
import type { SpeedComparison } from './speed.js'

/** Where a baseline came from and what it was. */
export interface BaselineInfo {
  source: 'cache' | 'runner' | 'file'
  /** The cache key, or the file's path. */
  from: string
  sha?: string
  ref?: string
  runUrl?: string
  finishedAt: string
}

export type CheckDelta = 'new-failure' | 'fixed' | 'known-failure' | 'passing' | 'new-check'

/** A speed figure of this run against the baseline's: the verdict of speed.ts. */
export type SpeedDelta = SpeedComparison

export interface CaseComparison {
  id: string
  /** The case did not exist in the baseline. */
  isNew: boolean
  checks: { type: string; delta: CheckDelta; message: string }[]
  tokensPerSecond?: SpeedDelta & { baseline: number | null }
  ttft?: SpeedDelta & { baseline: number | null }
  /** Whether the first sample's answer differs from the baseline's; the unified diff when it does. */
  answer?: { changed: boolean; diff?: string }
}

export interface Comparison {
  baseline: 'found' | 'missing' | 'not-comparable'
  /** Why there is nothing to compare with, in a sentence ("no baseline for this suite and environment yet"). */
  note?: string
  info?: BaselineInfo
  /** What changed in the server and model since the baseline ("quantisation: Q4_K_M → Q3_K_S"). */
  changes: string[]
  cases: CaseComparison[]
  /** Cases the baseline had that this run does not. */
  removedCases: string[]
  /** Newly failing checks plus speed regressions. */
  regressions: number
  /** Speed comparisons that stayed inconclusive after the most samples allowed. */
  inconclusive: number
}
