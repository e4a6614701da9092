// `mode: merge`: gathers the results files of other runs — the shards of one suite, or one run per
// model — into one results object, so one comment, one summary and one verdict speak for them
// all. The files come from the workflow's own download-artifact step (`merge-from`). A shard that
// left no file, or one that stopped early, is named and fails the merge: a merged pass means every
// case of the suite passed. Like the pipeline, it never throws.
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Comparison } from '../compare/types.js'
import { bestOf, comparisonVerdict, verdictOf } from '../gate.js'
import type { RunHost } from '../host/types.js'
import { Input, type RunOptions, type ShardOf } from '../options.js'
import { environmentOf, resultsOfBadInput, speedSourceOf } from '../pipeline.js'
import type { CaseResult, MergeInfo, MergeSource, RunResults } from '../results.js'
import { median } from '../stats.js'
import { displayPathOf, loadSuite, type Suite } from '../suite/index.js'
import { casesOfShard, shardName } from './select.js'

/** One results file as read: where it was, and what it holds. */
interface FoundResults {
  /** Its path under the merge's folder, with forward slashes, as the report shows it. */
  file: string
  results: RunResults
}

const WHOLE_SUITE: ShardOf = { index: 1, count: 1 }
/** A run's name when it has no label and no server report to take the model's from. */
const UNNAMED = 'the model'
const shardOfRun = (results: RunResults): ShardOf => results.shard ?? WHOLE_SUITE
const unique = <T>(items: readonly T[]) => [...new Set(items)]

/** Every `.json` file under `folder`, in a stable order: download-artifact puts each artifact in a folder of its own. */
async function jsonFilesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
}

/** Whether parsed JSON has the shape of a results file, so a stray JSON is named rather than misread. */
function isResults(value: unknown): value is RunResults {
  const v = value as Partial<RunResults> | null
  return typeof v === 'object' && v !== null && v.schemaVersion === 1 && Array.isArray(v.cases) && typeof v.suite?.path === 'string' && Array.isArray(v.errors)
}

/**
 * Reads the results files under the folder; what cannot be used (not JSON, not results, another
 * suite) becomes a problem that fails the merge, named by its file.
 */
async function readResultsFiles(folder: string, files: readonly string[], suite: Suite): Promise<{ read: FoundResults[]; problems: string[] }> {
  const read: FoundResults[] = []
  const problems: string[] = []
  for (const absolute of files) {
    const file = path.relative(folder, absolute).split(path.sep).join('/')
    let parsed: unknown
    try {
      parsed = JSON.parse(await readFile(absolute, 'utf8'))
    } catch (error) {
      problems.push(`${file} could not be read as JSON: ${(error as Error).message}`)
      continue
    }
    if (!isResults(parsed)) problems.push(`${file} is not a modelgate results file`)
    else if (parsed.suite.path !== suite.path) problems.push(`${file} is a run of the suite ${parsed.suite.path}, not of ${suite.path}`)
    else read.push({ file, results: parsed })
  }
  return { read, problems }
}

/**
 * The comparisons of the shards with their baselines, as one: each shard keeps a baseline of its
 * own cases, so their case lists join. Where only some shards found one, theirs is what there is.
 */
function mergeComparisons(runs: readonly RunResults[]): Comparison | undefined {
  const compared = runs.map((run) => run.comparison).filter((c): c is Comparison => c !== undefined)
  const found = compared.filter((c) => c.baseline === 'found')
  if (found.length === 0) return compared[0]
  return {
    baseline: 'found',
    info: found[0]!.info!,
    changes: unique(found.flatMap((c) => c.changes)),
    cases: found.flatMap((c) => c.cases),
    removedCases: unique(found.flatMap((c) => c.removedCases)),
    regressions: found.reduce((n, c) => n + c.regressions, 0),
    inconclusive: found.reduce((n, c) => n + c.inconclusive, 0)
  }
}

interface MergedRun {
  results: RunResults
  sources: MergeSource[]
  missing: MergeInfo['missing']
}

/**
 * The runs that share a label, as one run of the whole suite: one results file per shard, the
 * cases in the suite's order. Missing, doubled and mismatched shards become errors.
 */
function mergeShards(suite: Suite, label: string, files: readonly FoundResults[], options: RunOptions, problems: readonly string[]): MergedRun {
  const errors = [...problems]
  const name = label || files.find((f) => f.results.server)?.results.server?.model || UNNAMED
  // The count most files agree on; a file of another count is named, not merged.
  const counts = files.map((f) => shardOfRun(f.results).count)
  const count = [...new Set(counts)].sort((a, b) => counts.filter((c) => c === b).length - counts.filter((c) => c === a).length || a - b)[0]!
  const byShard = new Map<number, FoundResults>()
  for (const f of files) {
    const shard = shardOfRun(f.results)
    if (shard.count !== count) {
      errors.push(`${f.file} is shard ${shardName(shard)}, but the other results are of ${count} shards`)
      continue
    }
    const other = byShard.get(shard.index)
    // A re-run job that uploaded beside its first attempt: the later run is the one that counts.
    const newer = other && other.results.finishedAt > f.results.finishedAt ? other : f
    if (other) errors.push(`${other.file} and ${f.file} are both shard ${shardName(shard)}; the newer, ${newer.file}, is merged`)
    byShard.set(shard.index, newer)
  }
  const missing: MergeInfo['missing'] = []
  const kept: FoundResults[] = []
  for (let index = 1; index <= count; index++) {
    const shard = { index, count }
    const f = byShard.get(index)
    const expected = casesOfShard(suite.cases, shard).map((c) => c.id)
    const which = count > 1 ? `shard ${shardName(shard)}` : 'the run'
    if (!f) {
      missing.push({ label: name, shard, cases: expected })
      errors.push(`${which} left no results file (${expected.length ? `its cases: ${expected.join(', ')}` : 'it holds no case'})`)
      continue
    }
    kept.push(f)
    const prefix = count > 1 ? `${which}: ` : ''
    errors.push(...f.results.errors.map((error) => `${prefix}${error}`))
    const accounted = new Set([...f.results.cases.map((c) => c.id), ...(f.results.notRun ?? [])])
    const skipped = expected.filter((id) => !accounted.has(id))
    if (skipped.length) errors.push(`${which} (${f.file}) did not replay ${skipped.join(', ')}: was it run on another version of the suite?`)
  }
  const ran = new Map<string, CaseResult>()
  for (const f of kept) for (const c of f.results.cases) if (!ran.has(c.id)) ran.set(c.id, c)
  const cases = suite.cases.flatMap((c) => (ran.has(c.id) ? [ran.get(c.id)!] : []))
  const notRun = suite.cases.filter((c) => !ran.has(c.id)).map((c) => c.id)
  const runs = kept.map((f) => f.results)
  const samples = cases.flatMap((c) => c.samples.filter((s) => !s.error))
  const machines = unique(runs.map((run) => run.fingerprint?.machineHash))
  const comparison = mergeComparisons(runs)
  const results: RunResults = {
    schemaVersion: 1,
    passed: false,
    reason: '',
    suite: { path: suite.path, ...(suite.name ? { name: suite.name } : {}) },
    startedAt: runs.map((run) => run.startedAt).sort()[0] ?? new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    server: runs.find((run) => run.server)?.server ?? null,
    cases,
    tokensPerSecond: median(samples.map((s) => s.tokensPerSecond)),
    speedSource: speedSourceOf(samples),
    errors,
    ...(notRun.length ? { notRun } : {}),
    // One machine's facts only when every shard ran on it.
    ...(machines.length === 1 && runs[0]?.fingerprint ? { fingerprint: runs[0].fingerprint } : {}),
    ...(comparison ? { comparison } : {}),
    // A comparison names each run; a plain shard merge keeps the label the runs had, if any.
    ...(label ? { label } : {}),
    environment: environmentOf()
  }
  const verdict = verdictOf(cases, errors, comparison, options, { notRun: notRun.length })
  results.passed = verdict.passed
  results.reason = verdict.reason
  if (verdict.failureKind) results.failureKind = verdict.failureKind
  const sources = files.map((f) => ({
    file: f.file,
    label: name,
    shard: shardOfRun(f.results),
    cases: f.results.cases.length,
    passed: f.results.passed,
    ...(f.results.errors[0] ? { stopped: f.results.errors[0] } : {}),
    ...(f.results.environment?.runner ? { runner: f.results.environment.runner } : {})
  }))
  return { results, sources, missing }
}

/** Stopped before anything was merged: the suite, the folder or every file in it could not be read. */
function stoppedMerge(suitePath: string, messages: string[], merge?: MergeInfo): RunResults {
  return { ...resultsOfBadInput(suitePath, messages[0]!), errors: messages, ...(merge ? { merge } : {}) }
}

/**
 * Merges the results files under `options.mergeFrom`. Runs with one label are the shards of one
 * run and merge into its results; several labels (a matrix over models) make a comparison: one
 * merged run per label in `variants`, and the best of them.
 */
export async function mergeRun(options: RunOptions, host: RunHost): Promise<RunResults> {
  const absoluteSuite = path.resolve(host.workspace, options.suitePath)
  let suite: Suite
  try {
    suite = await loadSuite(absoluteSuite, displayPathOf(absoluteSuite, host.workspace), { optionLabel: host.optionLabel(Input.Suite) })
  } catch (error) {
    return stoppedMerge(options.suitePath, [(error as Error).message])
  }
  const given = options.mergeFrom ?? ''
  const folder = path.resolve(host.workspace, given)
  let files: string[]
  try {
    // This merge's own results file may sit in the folder from an earlier attempt: it is not a run.
    const own = path.resolve(host.workspace, options.resultsFile)
    files = (await jsonFilesUnder(folder)).filter((file) => file !== own)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'there is no such folder' : code === 'ENOTDIR' ? 'it is a file, not a folder' : (error as Error).message
    return stoppedMerge(suite.path, [`cannot read ${host.optionLabel(Input.MergeFrom)} '${given}': ${why}; did download-artifact run before this step, with that path?`])
  }
  const info: MergeInfo = { from: given, sources: [], missing: [] }
  if (files.length === 0) return stoppedMerge(suite.path, [`no results files in '${given}': did every run upload its results-file, and download-artifact fetch them all?`], info)
  host.info(`Merging ${files.length} results ${files.length === 1 ? 'file' : 'files'} from ${given}`)
  const { read, problems } = await readResultsFiles(folder, files, suite)
  for (const problem of problems) host.warn(problem)

  const byLabel = new Map<string, FoundResults[]>()
  for (const f of read) byLabel.set(f.results.label ?? '', [...(byLabel.get(f.results.label ?? '') ?? []), f])
  if (byLabel.size === 0) return stoppedMerge(suite.path, problems, info)
  // Files that could not be used fail a shard merge with its own errors, and a comparison as a whole.
  const comparing = byLabel.size > 1
  const merged = [...byLabel].map(([label, group]) => mergeShards(suite, comparing ? label || group.find((f) => f.results.server)?.results.server?.model || UNNAMED : label, group, options, comparing ? [] : problems))
  info.sources = merged.flatMap((m) => m.sources)
  info.missing = merged.flatMap((m) => m.missing)
  for (const source of info.sources) {
    const part = source.shard.count > 1 ? ` shard ${shardName(source.shard)}` : ''
    host.info(`${source.file}: ${source.label}${part}, ${source.cases} cases, ${source.passed ? 'passed' : 'failed'}`)
  }
  if (!comparing) return { ...merged[0]!.results, merge: info }

  const variants = merged.map((m) => m.results)
  const compared = variants.map((v) => ({ label: v.label!, passed: v.passed, reason: v.reason, tokensPerSecond: v.tokensPerSecond, ...(v.failureKind ? { failureKind: v.failureKind } : {}) }))
  const verdict = comparisonVerdict(compared)
  const best = bestOf(compared)
  const bestRun = variants.find((v) => v.label === best?.label)
  return {
    schemaVersion: 1,
    passed: verdict.passed && problems.length === 0,
    reason: problems.length ? `Stopped early: ${problems[0]}. ${verdict.reason}` : verdict.reason,
    suite: { path: suite.path, ...(suite.name ? { name: suite.name } : {}) },
    startedAt: variants.map((v) => v.startedAt).sort()[0]!,
    finishedAt: new Date().toISOString(),
    server: null,
    // Each compared run holds its own cases; the comparison's figures are the best run's.
    cases: [],
    tokensPerSecond: bestRun?.tokensPerSecond ?? null,
    speedSource: bestRun?.speedSource ?? null,
    errors: [...problems, ...variants.flatMap((v) => v.errors.map((error) => `${v.label}: ${error}`))],
    ...(problems.length ? { failureKind: 'infrastructure' as const } : verdict.failureKind ? { failureKind: verdict.failureKind } : {}),
    variants,
    ...(best ? { best: best.label } : {}),
    merge: info,
    environment: environmentOf()
  }
}
