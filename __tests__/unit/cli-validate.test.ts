// `modelgate validate` in-process through main(): every problem of every suite on stdout as
// `file:line case "id": …`, what is valid on stderr, and the exit status a script reads.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { EXAMPLE_SUITE } from '../../scripts/example-models.js'
import { main } from '../../src/cli.js'
import { captureCliOutput } from '../support/cli-output.js'

const out = captureCliOutput()

let dir: string
let cwd: string

const BROKEN = `name: broken
cases:
  - id: update-user-status
    prompt: Write updateUserStatus.
    repeat: many
    assert:
      - type: error-codes
        codes: [50001, 1.5]
  - id: chat
    promt: Say hi.
`
const ODD = `cases:
  - id: twice
    prompt: one
  - id: twice
    prompt: two
    assert:
      - type: regex
        value: "("
`

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'modelgate-cli-validate-'))
  await mkdir(path.join(dir, 'suites'))
  await writeFile(path.join(dir, 'suites', 'broken.yml'), BROKEN)
  await writeFile(path.join(dir, 'suites', 'odd.yml'), ODD)
  cwd = process.cwd()
  process.chdir(dir)
})
afterAll(() => {
  process.chdir(cwd)
})

const validate = (...args: string[]) => main(['validate', ...args], {})

describe('modelgate validate', () => {
  it('exits 0 for a valid suite, printing no problem', async () => {
    expect(await validate(EXAMPLE_SUITE)).toBe(0)
    expect(out.stdout).toBe('')
    expect(out.stderr).toBe(`${EXAMPLE_SUITE}: valid, 1 case\n`)
  })

  it('exits 1 and prints every problem of every suite, one a line, as file:line case "id"', async () => {
    expect(await validate(EXAMPLE_SUITE, 'suites/broken.yml', 'suites/odd.yml')).toBe(1)
    expect(out.stdout.split('\n')).toEqual([
      'suites/broken.yml:5 case "update-user-status": repeat must be an integer',
      'suites/broken.yml:8 case "update-user-status": assert[0].codes must be a list of integers or strings',
      'suites/broken.yml:10 case "chat": promt is not a known key (known: id, system, prompt, messages, temperature, seed, max-tokens, top-p, repeat, assert)',
      'suites/odd.yml:4 case "twice": id is used twice (also cases[0])',
      expect.stringMatching(/^suites\/odd\.yml:8 case "twice": assert\[0\]\.value is not a valid regular expression: /),
      ''
    ])
    // The valid suite is still said to be valid.
    expect(out.stderr).toBe(`${EXAMPLE_SUITE}: valid, 1 case\n`)
  })

  it('exits 2 when a suite file is not there, and still checks the others', async () => {
    expect(await validate('suites/nope.yml', 'suites/odd.yml', 'suites')).toBe(2)
    expect(out.stderr).toBe(
      [
        `suite file not found: suites/nope.yml (a suite path is read relative to ${dir})`,
        'suite file is a directory: suites (a suite path names the YAML file itself)',
        ''
      ].join('\n')
    )
    expect(out.stdout).toMatch(/^suites\/odd\.yml:4 case "twice": id is used twice/)
  })

  it('exits 2 with the usage when no suite is named or a flag is unknown, and explains itself with --help', async () => {
    expect(await validate()).toBe(2)
    expect(out.stderr.startsWith('name at least one suite file\n\nUsage: modelgate validate SUITE_FILE...\n')).toBe(true)
    out.clear()
    expect(await validate('--strict', 'suites/odd.yml')).toBe(2)
    expect(out.stderr.startsWith("Unknown option '--strict'")).toBe(true)
    expect(out.stdout).toBe('')
    expect(await validate('--help')).toBe(0)
    expect(out.stdout).toContain('Exit status: 0 when every suite is valid, 1 when one has problems, 2 on a usage error or a\nsuite file that cannot be read.')
    expect(out.stdout).toContain('Example:\n  modelgate validate modelgate/*.yml\n')
  })
})
