// A copy of the newest baseline on the runner itself. A self-hosted GPU runner keeps its tool
// cache between jobs, so a baseline survives there without the cache service (GHES without it,
// or a cache entry evicted after seven days unused).
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { RunResults } from '../results.js'
import { infoOf } from './file.js'
import type { BaselineKeys, BaselineStore, FoundBaseline } from './types.js'

export function runnerStore(root: string): BaselineStore {
  const fileOf = (keys: BaselineKeys, machine = keys.machine) => path.join(root, keys.suite, `${machine}.json`)
  const read = async (file: string): Promise<FoundBaseline | undefined> => {
    try {
      const results = JSON.parse(await readFile(file, 'utf8')) as RunResults
      return { results, info: infoOf(results, 'runner', file) }
    } catch {
      return undefined
    }
  }
  return {
    name: "the runner's copy",
    async restore(keys) {
      const same = await read(fileOf(keys))
      if (same) return same
      // Another machine's baseline only serves to say why it cannot be compared.
      const names = await readdir(path.join(root, keys.suite)).catch(() => [] as string[])
      const others = await Promise.all(
        names.filter((name) => name.endsWith('.json')).map(async (name) => ({ file: path.join(root, keys.suite, name), at: (await stat(path.join(root, keys.suite, name))).mtimeMs }))
      )
      const newest = others.sort((a, b) => b.at - a.at)[0]
      return newest ? read(newest.file) : undefined
    },
    async save(results, keys) {
      const file = fileOf(keys)
      await mkdir(path.dirname(file), { recursive: true })
      // Written whole, then moved: a job cancelled mid-write leaves the previous baseline intact.
      await writeFile(`${file}.tmp`, `${JSON.stringify(results)}\n`)
      await rename(`${file}.tmp`, file)
      return file
    }
  }
}
