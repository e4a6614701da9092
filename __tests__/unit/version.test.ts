import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { MODELGATE_VERSION } from '../../src/version.js'

describe('MODELGATE_VERSION', () => {
  it("is package.json's version, as the results file reports it", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(MODELGATE_VERSION).toBe(pkg.version)
  })
})
