// The run's progress as a person sees it: on a terminal one line per case that updates in place
// (read here through a small terminal that obeys \r and erase-line), and in a CI log or a pipe
// the plain line per sample the action writes.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { main } from '../../src/cli.js'
import { progressWriter } from '../../src/cli/progress.js'
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js'

/** The lines a terminal shows for what was written: \r plus erase-line clears the line the cursor is on. */
function screen(written: string): string[] {
  const lines = ['']
  // eslint-disable-next-line no-control-regex -- the escape the terminal obeys is what this reads
  for (const part of written.split(/(\r\x1b\[2K|\n)/)) {
    if (part === '\n') lines.push('')
    else if (part === '\r\x1b[2K') lines[lines.length - 1] = ''
    else lines[lines.length - 1] += part
  }
  return lines
}

/** A terminal stand-in and a clock the test moves. */
function terminal(columns = 120) {
  let written = ''
  let now = 0
  const stream = { isTTY: true, columns, write: (text: string) => ((written += text), true) }
  return { stream, clock: () => now, at: (ms: number) => void (now = ms), written: () => written }
}

describe('progress on a terminal', () => {
  it('keeps one line per case, updated with samples done and the time left, and leaves it when the case is done', () => {
    const t = terminal()
    const progress = progressWriter(t.stream, {}, t.clock)
    progress.write('Replaying 2 cases against m at http://x/v1\n')
    t.at(2000)
    progress.write('first sample 1/3: 50.00 tokens/s\n')
    expect(screen(t.written())).toEqual(['Replaying 2 cases against m at http://x/v1', 'first 1/3 samples · 50.00 tokens/s · ETA 4s'])
    t.at(4000)
    progress.write('first sample 2/3: 48.00 tokens/s\n')
    expect(screen(t.written()).at(-1)).toBe('first 2/3 samples · 48.00 tokens/s · ETA 2s')
    t.at(6000)
    progress.write('first sample 3/3: 51.00 tokens/s\n')
    t.at(7000)
    progress.write('second sample 1/2: 60.00 tokens/s, failed: request timed out after 600 s\n')
    progress.write('warning: something to say\n')
    progress.end()
    expect(screen(t.written())).toEqual([
      'Replaying 2 cases against m at http://x/v1',
      'first 3/3 samples · 51.00 tokens/s · 6s',
      // A failed sample is kept in full, and a message is never drawn over.
      'second sample 1/2: 60.00 tokens/s, failed: request timed out after 600 s',
      'warning: something to say',
      'second 1/2 samples · 60.00 tokens/s · stopped',
      ''
    ])
  })

  it('takes a case up again when it gets more samples, timing only the new ones', () => {
    const t = terminal()
    const progress = progressWriter(t.stream, {}, t.clock)
    progress.write('speed sample 5/5: 50.00 tokens/s\n')
    t.at(60_000)
    progress.write('speed: speed against the baseline is not decided yet; taking 5 more samples\n')
    t.at(63_000)
    progress.write('speed sample 6/10: 50.00 tokens/s\n')
    expect(screen(t.written()).at(-1)).toBe('speed 6/10 samples · 50.00 tokens/s · ETA 12s')
  })

  it('cuts the line to the width of the terminal, so \\r can take it back', () => {
    const t = terminal(30)
    const progress = progressWriter(t.stream, {}, t.clock)
    progress.write('a-rather-long-case-id sample 1/4: 50.00 tokens/s\n')
    // One column short of the width: a line that fills it leaves some terminals' cursor on the next.
    expect(screen(t.written())).toEqual(['a-rather-long-case-id 1/4 sa…'])
  })

  it('writes the plain lines in a CI log, even on a terminal, and in a pipe', () => {
    for (const [stream, env] of [
      [terminal().stream, { CI: 'true' }],
      [{ ...terminal().stream, isTTY: false }, {}]
    ] as const) {
      let written = ''
      const progress = progressWriter({ ...stream, write: (text: string) => ((written += text), true) }, env)
      progress.write('first sample 1/3: 50.00 tokens/s\n')
      progress.end()
      expect(written).toBe('first sample 1/3: 50.00 tokens/s\n')
    }
  })
})

describe('modelgate run on a terminal', () => {
  let server: FixtureServer
  let dir: string
  let cwd: string
  let stdout: string
  let stderr: string
  const stderrTTY = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY')

  beforeAll(async () => {
    server = await startFixtureServer()
    dir = await mkdtemp(path.join(os.tmpdir(), 'modelgate-cli-progress-'))
    await writeFile(path.join(dir, 'suite.yml'), 'name: fixture\ncases:\n  - id: keeps-validation\n    prompt: Write updateUserStatus.\n    repeat: 3\n    assert:\n      - type: contains\n        value: Result.error(50002\n')
    cwd = process.cwd()
    process.chdir(dir)
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true })
  })
  afterAll(async () => {
    process.chdir(cwd)
    if (stderrTTY) Object.defineProperty(process.stderr, 'isTTY', stderrTTY)
    else delete (process.stderr as { isTTY?: boolean }).isTTY
    await server.close()
  })
  beforeEach(() => {
    stdout = ''
    stderr = ''
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true))
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true))
  })
  afterEach(() => {
    jest.restoreAllMocks()
  })

  it('updates one line for the case, and prints the report as ever', async () => {
    expect(await main(['run', '--suite', 'suite.yml', '--base-url', server.url], {})).toBe(0)
    // eslint-disable-next-line no-control-regex -- the line is taken back with \r and erase-line
    expect(stderr).toMatch(/\r\x1b\[2Kkeeps-validation 2\/3 samples · [\d.]+ tokens\/s · ETA \d+s/)
    const shown = screen(stderr)
    expect(shown.filter((line) => line.startsWith('keeps-validation'))).toEqual([expect.stringMatching(/^keeps-validation 3\/3 samples · [\d.]+ tokens\/s · \d+s$/)])
    expect(shown).toContain(`Results written to ${path.join(dir, 'modelgate-results.json')}`)
    expect(stdout.startsWith('### ✅ modelgate passed: fixture\n')).toBe(true)
  })

  it('writes a line per sample when CI is set', async () => {
    expect(await main(['run', '--suite', 'suite.yml', '--base-url', server.url], { CI: 'true' })).toBe(0)
    expect(stderr).not.toContain('\r')
    expect(stderr).toMatch(/^keeps-validation sample 1\/3: [\d.]+ tokens\/s\nkeeps-validation sample 2\/3: /m)
  })
})
