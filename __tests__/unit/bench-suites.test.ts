// The benchmark compares modelgate with a Python loop and promptfoo on "the same suite": these
// hold it to that. The suite it writes is a valid modelgate suite, and the floor loop's request
// bodies are, field for field, what modelgate's replay sends for it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { requestBodies, suiteYaml, type BenchSuite } from '../../scripts/bench/suites.js'
import { replayCases } from '../../src/replay.js'
import { parseSuite } from '../../src/suite/index.js'
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js'
import { fixtureTarget } from '../support/samples.js'

let server: FixtureServer
beforeAll(async () => {
  server = await startFixtureServer()
})
afterAll(() => server.close())

describe('the benchmark suites', () => {
  it('writes a suite modelgate loads: its cases, repeats and checks', () => {
    const suite = parseSuite(suiteYaml({ cases: 3, repeat: 2, code: true }), 'bench.yml')
    expect(suite.cases.map((c) => [c.id, c.repeat])).toEqual([
      ['case-0', 2],
      ['case-1', 2],
      ['case-2', 2]
    ])
    expect(suite.cases[0]!.assertions.map((a) => a.type)).toEqual(['contains', 'error-codes', 'validation', 'not-regex'])
    const textOnly = parseSuite(suiteYaml({ cases: 1, repeat: 1, code: false }), 'bench.yml')
    expect(textOnly.cases[0]!.assertions.map((a) => a.type)).toEqual(['contains'])
  })

  it("gives the floor loop the very request bodies modelgate's replay sends", async () => {
    const bench: BenchSuite = { cases: 2, repeat: 2, code: false, maxTokens: 300 }
    const suite = parseSuite(suiteYaml(bench), 'bench.yml')
    const target = fixtureTarget(server.url)
    server.chatRequests.length = 0
    const outcome = await replayCases(target, suite.cases)
    expect(outcome.abortedBy).toBeUndefined()
    // The first is the warm-up, which the floor does not send (it is counted as modelgate's overhead).
    expect(server.chatRequests.slice(1)).toEqual(requestBodies(bench, target.model))
  })
})
