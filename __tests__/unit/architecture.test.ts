// Holds the shape ARCHITECTURE.md describes: the stages never reach for GitHub Actions, the post
// step stays light, and every file the document names exists.
import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * What a source file imports at run time: type-only imports are erased. Dynamic imports count
 * unless `loadedOnStart` is asked for: they load only when the code that holds them runs (the
 * bundle keeps them in a chunk of their own).
 */
function importsOf(file: string, loadedOnStart = false): string[] {
  const text = readFileSync(file, 'utf8')
  const statements = /(?:^|\n)\s*(?:import|export)\s(?!type\s)[^'"]*?from\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'|import\('([^']+)'\)/g
  return [...text.matchAll(statements)].filter((m) => !loadedOnStart || m[3] === undefined).map((m) => m[1] ?? m[2] ?? m[3]!)
}

function resolveLocal(from: string, specifier: string): string {
  return path.resolve(path.dirname(from), specifier.replace(/\.js$/, '.ts'))
}

/** Every module reachable from `entry`: local files, and the packages they import. */
function graphOf(entry: string, loadedOnStart = false): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>()
  const packages = new Set<string>()
  const pending = [path.join(ROOT, entry)]
  while (pending.length > 0) {
    const file = pending.pop()!
    if (files.has(file)) continue
    files.add(file)
    for (const specifier of importsOf(file, loadedOnStart)) {
      if (specifier.startsWith('.')) pending.push(resolveLocal(file, specifier))
      else packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!)
    }
  }
  return { files, packages }
}

const relative = (files: Iterable<string>) => [...files].map((file) => path.relative(ROOT, file)).sort()

describe('the architecture', () => {
  it('keeps GitHub Actions out of the stages: only the entry points and publishing know it', () => {
    for (const stage of ['src/pipeline.ts', 'src/replay.ts', 'src/server/registry.ts', 'src/checks/index.ts']) {
      const { files, packages } = graphOf(stage)
      expect([stage, [...packages].filter((p) => p.startsWith('@actions/'))]).toEqual([stage, []])
      for (const file of files) expect([path.relative(ROOT, file), readFileSync(file, 'utf8').includes('GITHUB_ACTIONS')]).toEqual([path.relative(ROOT, file), false])
    }
  })

  it('keeps the post step free of the suite loader, its parsers and the model client', () => {
    // The LM Studio SDK is imported where the driver loads a model, which the post step never does.
    const { files, packages } = graphOf('src/post-entry.ts', true)
    expect([...packages].filter((name) => !name.startsWith('node:')).sort()).toEqual(['@actions/core'])
    expect(relative(files).filter((file) => file.startsWith('src/suite/') || file.startsWith('src/checks/'))).toEqual([])
  })

  it('names only files that exist', () => {
    const text = readFileSync(path.join(ROOT, 'ARCHITECTURE.md'), 'utf8')
    const named = [...text.matchAll(/`((?:src|__tests__|scripts)\/[^`*\s]+)`/g)].map((m) => m[1]!)
    expect(named.length).toBeGreaterThan(20)
    expect(named.filter((file) => !existsSync(path.join(ROOT, file)))).toEqual([])
  })
})
