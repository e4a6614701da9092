// The workflows README.md shows for scaling out are the files in examples/workflows/, word for
// word; each parses as a workflow whose modelgate steps give only inputs action.yml declares,
// with values the action accepts for every matrix cell; and what one job uploads is what the
// merge job downloads and reads. They end in .yaml: every examples/**/*.yml is a suite to the
// suite fuzzer.
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { parseRunOptions } from '../../src/options.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const DIR = path.join(ROOT, 'examples/workflows')
const FILES = readdirSync(DIR).filter((name) => name.endsWith('.yaml')).sort()
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { required?: boolean; default?: string }> }

interface Step {
  id?: string
  uses?: string
  run?: string
  if?: string
  with?: Record<string, unknown>
}
interface Job {
  needs?: string | string[]
  strategy?: { 'fail-fast'?: boolean; matrix?: Record<string, unknown[]> }
  steps: Step[]
}
interface Workflow {
  on: unknown
  permissions: Record<string, string>
  jobs: Record<string, Job>
}

const workflowOf = (file: string) => parse(readFileSync(path.join(DIR, file), 'utf8')) as Workflow
const isModelgate = (step: Step) => step.uses?.startsWith('modelgate/modelgate@') === true
const stepsOf = (workflow: Workflow, uses: string) => Object.values(workflow.jobs).flatMap((job) => job.steps.filter((step) => step.uses?.startsWith(uses)))

/** The `with:` of a step as one matrix cell gives it: `${{ matrix.x }}` replaced by the cell's value. */
function inCell(values: Record<string, unknown>, cell: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, String(value).replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (_, key: string) => String(cell[key]))]))
}

/** Every cell of a job's matrix; one empty cell for a job without one. */
function cellsOf(job: Job): Record<string, unknown>[] {
  const matrix = job.strategy?.matrix ?? {}
  return Object.entries(matrix).reduce<Record<string, unknown>[]>((cells, [key, values]) => cells.flatMap((cell) => values.map((value) => ({ ...cell, [key]: value }))), [{}])
}

/** The inputs a modelgate step runs with: action.yml's defaults under what the step gives. */
function inputsOf(given: Record<string, string>): Record<string, string> {
  const defaults = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, input.default ?? '']))
  return { ...defaults, 'github-token': '', ...given }
}

/** A download-artifact pattern as the action reads it: `*` stands for any run of characters. */
const matches = (pattern: string, name: string) => new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(name)

describe('the scale-out workflows', () => {
  it('are the three README shows, each word for word', () => {
    expect(FILES).toEqual(['compare-models.yaml', 'sharded.yaml', 'single-runner.yaml'])
    for (const file of FILES) {
      const text = readFileSync(path.join(DIR, file), 'utf8')
      expect([file, readme.includes(`\`\`\`yaml\n${text}\`\`\``)]).toEqual([file, true])
    }
  })

  it('give modelgate only inputs action.yml declares, with values it accepts in every matrix cell', () => {
    const declared = Object.keys(action.inputs)
    const required = declared.filter((name) => action.inputs[name]!.required)
    for (const file of FILES) {
      const workflow = workflowOf(file)
      expect(workflow.permissions['pull-requests']).toBe('write')
      for (const job of Object.values(workflow.jobs)) {
        for (const step of job.steps.filter(isModelgate)) {
          const given = Object.keys(step.with ?? {})
          expect([file, given.filter((name) => !declared.includes(name))]).toEqual([file, []])
          expect([file, required.filter((name) => !given.includes(name))]).toEqual([file, []])
          for (const cell of cellsOf(job)) {
            const inputs = inputsOf(inCell(step.with ?? {}, cell))
            expect(() => parseRunOptions((name) => inputs[name] ?? '', (name) => `input '${name}'`)).not.toThrow()
          }
        }
      }
    }
  })

  it('shard the suite over every shard of the count, and merge what each uploads', () => {
    const workflow = workflowOf('sharded.yaml')
    const job = workflow.jobs.shard!
    expect(job.strategy?.['fail-fast']).toBe(false)
    const shards = cellsOf(job).map((cell) => {
      const run = job.steps.find(isModelgate)!.with!
      const inputs = inputsOf(inCell(run, cell))
      return parseRunOptions((name) => inputs[name] ?? '', (name) => name).shard
    })
    expect(shards).toEqual([1, 2, 3, 4].map((index) => ({ index, count: 4 })))
    expectUploadsMerged(workflow)
  })

  it('compare one labelled run per model, and merge what each uploads', () => {
    const workflow = workflowOf('compare-models.yaml')
    const job = workflow.jobs.model!
    expect(job.strategy?.['fail-fast']).toBe(false)
    const labels = cellsOf(job).map((cell) => inCell(job.steps.find(isModelgate)!.with!, cell).label)
    expect(new Set(labels).size).toBe(cellsOf(job).length)
    expectUploadsMerged(workflow)
  })
})

/** Each matrix cell uploads its own results file under a name the merge job's download takes, into the folder the merge reads. */
function expectUploadsMerged(workflow: Workflow): void {
  const [runJob, mergeJob] = Object.entries(workflow.jobs)
  const [runName, run] = runJob!
  const merge = mergeJob![1]
  expect(merge.needs).toBe(runName)
  const download = merge.steps.find((step) => step.uses?.startsWith('actions/download-artifact@'))!.with!
  const merging = merge.steps.find(isModelgate)!.with!
  expect(merging).toMatchObject({ mode: 'merge', 'merge-from': download.path })
  expect(merging.suite).toBe(run.steps.find(isModelgate)!.with!.suite)
  const names = cellsOf(run).map((cell) => {
    const results = inCell(run.steps.find(isModelgate)!.with!, cell)['results-file']
    const upload = run.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'))!
    expect(upload.if).toBe('always()')
    const uploaded = inCell(upload.with!, cell)
    expect(uploaded.path).toBe(results)
    expect(matches(String(download.pattern), uploaded.name!)).toBe(true)
    return uploaded.name
  })
  expect(new Set(names).size).toBe(names.length)
  expect(stepsOf(workflow, 'actions/upload-artifact@').every((step) => step.with?.overwrite === true)).toBe(true)
}
