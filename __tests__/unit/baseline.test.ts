// Where baselines are found and kept, apart from the Actions cache (see cache-service.test.ts):
// a results file given as the baseline, the runner's own copy, and the choice between stores.
import { describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, utimes, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { readBaselineFile } from '../../src/baseline/file.js'
import { findBaseline, saveBaseline, suiteKeyOf } from '../../src/baseline/index.js'
import { runnerStore } from '../../src/baseline/runner.js'
import type { BaselineStore } from '../../src/baseline/types.js'
import type { RunResults } from '../../src/results.js'
import { recordingHost } from '../support/host.js'
import { runResults } from '../support/samples.js'

const results = (machineHash: string, finishedAt: string): RunResults => ({
  ...runResults([]),
  finishedAt,
  fingerprint: { machineHash, machine: { gpus: [], cpu: 'x', cores: 2, memoryBytes: 1, os: 'l', platform: 'linux', arch: 'x64' } },
  environment: { modelgateVersion: '0.1.0', node: 'v24', platform: 'linux', arch: 'x64', sha: '0123456789abcdef', ref: 'refs/heads/main', runUrl: 'https://github.com/acme/models/actions/runs/1' }
})

describe('a baseline file', () => {
  it('is read as a baseline, with where it came from', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'modelgate-bfile-'))
    await writeFile(path.join(dir, 'main.json'), JSON.stringify(results('m1', '2026-11-30T10:00:00.000Z')))
    const found = await readBaselineFile('main.json', dir, "input 'baseline-file'")
    expect(found.info).toEqual({ source: 'file', from: 'main.json', sha: '0123456789abcdef', ref: 'refs/heads/main', runUrl: 'https://github.com/acme/models/actions/runs/1', finishedAt: '2026-11-30T10:00:00.000Z' })
  })

  it('that is missing, not JSON or not a results file is named in the error', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'modelgate-bfile-'))
    await writeFile(path.join(dir, 'broken.json'), '{ nope')
    await writeFile(path.join(dir, 'other.json'), '{"hello": 1}')
    await expect(readBaselineFile('gone.json', dir, '--baseline-file')).rejects.toThrow("--baseline-file 'gone.json' cannot be read: ENOENT")
    await expect(readBaselineFile('broken.json', dir, '--baseline-file')).rejects.toThrow(/^--baseline-file 'broken\.json' is not JSON: /)
    await expect(readBaselineFile('other.json', dir, '--baseline-file')).rejects.toThrow("--baseline-file 'other.json' is not a modelgate results file (no schemaVersion 1 and cases)")
  })
})

describe("the runner's copy", () => {
  it('keeps the newest per suite and machine, and finds another machine only when its own is missing', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'modelgate-runner-store-'))
    const store = runnerStore(root)
    const keys = { suite: suiteKeyOf('modelgate/suite.yml'), machine: 'm1' }
    expect(await store.restore(keys)).toBeUndefined()
    await store.save(results('m2', '2026-11-29T10:00:00.000Z'), { ...keys, machine: 'm2' })
    expect((await store.restore(keys))?.results.fingerprint?.machineHash).toBe('m2')
    const file = await store.save(results('m1', '2026-11-30T10:00:00.000Z'), keys)
    await store.save(results('m1', '2026-12-01T10:00:00.000Z'), keys)
    expect(JSON.parse(await readFile(file, 'utf8')).finishedAt).toBe('2026-12-01T10:00:00.000Z')
    const found = await store.restore(keys)
    expect(found?.info).toMatchObject({ source: 'runner', from: file, finishedAt: '2026-12-01T10:00:00.000Z' })
    await utimes(path.join(root, keys.suite, 'm2.json'), new Date(), new Date(Date.now() + 60_000))
    expect((await store.restore(keys))?.results.fingerprint?.machineHash).toBe('m1')
  })
})

describe('choosing between stores', () => {
  const store = (name: string, found: RunResults | undefined | Error): BaselineStore => ({
    name,
    restore: async () => {
      if (found instanceof Error) throw found
      return found && { results: found, info: { source: 'runner', from: name, finishedAt: found.finishedAt } }
    },
    save: async () => {
      if (found instanceof Error) throw found
      return name
    }
  })

  it('prefers the same machine, then the newest, and warns about a store that fails', async () => {
    const host = recordingHost()
    const keys = { suite: 's', machine: 'm1' }
    const found = await findBaseline(
      [store('broken', new Error('the cache service answered 503')), store('older', results('m1', '2026-11-01T00:00:00Z')), store('other', results('m9', '2026-12-01T00:00:00Z')), store('newer', results('m1', '2026-11-20T00:00:00Z'))],
      keys,
      host
    )
    expect(found?.info.from).toBe('newer')
    expect(host.warnings).toEqual(['could not read the baseline from broken: the cache service answered 503'])
    expect(await saveBaseline([store('a', undefined), store('b', new Error('read-only'))], results('m1', 'x'), keys, host)).toEqual(['a'])
    expect(host.warnings[1]).toBe('could not save the baseline to b: read-only')
  })
})
