import { describe, expect, it } from '@jest/globals'
import { escapeMarkdown, fence, GITHUB_COMMENT_LIMIT, renderReport } from '../../src/report.js'
import { caseResult, repeats, runResults, sample } from '../support/samples.js'

/** The parts of a body outside fenced blocks: where Markdown and HTML would take effect. */
function outsideFences(body: string): string {
  const out: string[] = []
  let fenceOpen: string | null = null
  for (const line of body.split('\n')) {
    const run = line.trim().match(/^(`{3,})/)?.[1]
    if (fenceOpen === null && run) fenceOpen = run
    else if (fenceOpen !== null && line.trim() === fenceOpen) fenceOpen = null
    else if (fenceOpen === null) out.push(line)
  }
  return out.join('\n')
}

const HOSTILE = 'Done. ```\n</details><img src=x onerror=alert(1)> @octocat please merge\n````\nstill code'

describe('renderReport', () => {
  it('puts the verdict first, then the case table', () => {
    const failing = caseResult('update-user-status', [sample('x')], [{ type: 'error-codes', passed: false, message: '50003 appears only inside catch (line 9)', line: 9 }])
    const body = renderReport(runResults([caseResult('chat', [sample('hi')]), failing], { passed: false, reason: 'Failed: update-user-status (error-codes)' }))
    const lines = body.split('\n')
    expect(lines[0]).toBe('### ❌ modelgate failed: user status')
    expect(lines[2]).toBe('**1 of 2 cases passed.** Failed: update-user-status (error-codes)')
    expect(body).toContain('| update-user-status | ❌ fail | 150.0 | 120.0 | 1 | `error-codes`: 50003 appears only inside catch (line 9) |')
    expect(body).toContain('| chat | ✅ pass | 150.0 | 120.0 | 1 | – |')
    expect(body).toContain("_Speed figures are the server's own (decode only, first token excluded). Median over all measured samples: 150.0 tokens/s._")
  })

  it('fences untrusted output so it cannot close the fence, the details, or ping anyone', () => {
    const body = renderReport(runResults([caseResult('c', [sample(HOSTILE)], [{ type: 'contains', passed: false, message: 'expected "@octocat <b>"; found `x` | y', sample: 0, line: 2 }])]))
    const prose = outsideFences(body)
    expect(prose).not.toContain('<img')
    expect(prose).not.toContain('<b>')
    expect(prose).not.toMatch(/@octocat/)
    expect(body).toContain('`````\nDone. ```\n</details><img src=x onerror=alert(1)> @octocat please merge\n````\nstill code\n`````')
    // The failing line is quoted in a fence of its own.
    expect(body).toContain('```\n</details><img src=x onerror=alert(1)> @octocat please merge\n```')
    expect(body.match(/<details>/g)?.length).toBe(body.match(/<\/details>/g)!.length - 2)
  })

  it('escapes what servers and models say outside fences', () => {
    expect(escapeMarkdown('a|b <script> `x` *y* @team [l](u)\nz')).toBe('a\\|b &lt;script&gt; \\`x\\` \\*y\\* @&#8203;team \\[l\\](u) z')
    expect(fence('no ticks')).toBe('```\nno ticks\n```')
    expect(fence('has ```` four')).toBe('`````\nhas ```` four\n`````')
  })

  it('places the hidden marker first when given', () => {
    const body = renderReport(runResults([caseResult('c', [sample('x')])]), { marker: '<!-- modelgate:sticky-comment tag="gpu" -->' })
    expect(body.startsWith('<!-- modelgate:sticky-comment tag="gpu" -->\n\n### ✅ modelgate passed')).toBe(true)
  })

  it('shows errors that stopped the run, and the server log tail when something failed', () => {
    const errors = ['lost the connection to http://127.0.0.1:8080/v1: ECONNRESET', 'could not stop the server']
    const results = runResults([], { passed: false, reason: `Stopped early: ${errors[0]}`, errors })
    results.server!.logTail = ['E llama_model_load: error loading model @someone']
    const body = renderReport(results)
    expect(body).toContain('**No case was run.** Stopped early: lost the connection to http://127.0.0.1:8080/v1: ECONNRESET\n\n> ⚠️ could not stop the server\n')
    expect(body.match(/ECONNRESET/g)).toHaveLength(1)
    expect(body).toContain('<summary>Server log (last lines)</summary>\n\n```\nE llama_model_load: error loading model @someone\n```')
  })

  it('stays under the limit by trimming outputs first, never the verdict', () => {
    const huge = 'x'.repeat(30_000)
    const cases = Array.from({ length: 5 }, (_, i) => caseResult(`case-${i}`, repeats(sample(huge), sample(huge)), [{ type: 'contains', passed: false, message: 'nope' }]))
    const body = renderReport(runResults(cases, { passed: false, reason: 'Failed: all five' }))
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT)
    expect(body.startsWith('### ❌ modelgate failed: user status\n\n**0 of 5 cases passed.** Failed: all five')).toBe(true)
    expect(body).toContain('| case-4 | ❌ fail |')
    expect(body).toMatch(/_Output trimmed to \d+ of 30000 characters to fit the comment; the results file has all of it\._/)
  })

  it('leaves outputs, then case rows, out when trimming is not enough', () => {
    const cases = Array.from({ length: 3000 }, (_, i) => caseResult(`case-with-a-long-name-${i}`, [sample('y'.repeat(50))], [{ type: 'contains', passed: false, message: 'm'.repeat(40) }]))
    const body = renderReport(runResults(cases, { passed: false, reason: 'Failed: many' }))
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT)
    expect(body).toContain('**0 of 3000 cases passed.** Failed: many')
    expect(body).toContain('_Outputs are left out to fit the comment; the results file has them all._')
    expect(body).toMatch(/_\d+ more cases are left out to fit the comment; the results file has them all\._/)
  })
})

describe('repeats', () => {
  it('shows an output said again by a later repeat once', () => {
    const body = renderReport(runResults([caseResult('c', repeats(sample('same text'), sample('same text'), sample('other text')))]))
    expect(body.match(/same text/g)).toHaveLength(1)
    expect(body).toContain('_Same output as sample 1._')
    expect(body).toContain('```\nother text\n```')
  })
})

describe('the quoted failing line', () => {
  it('names its line and is highlighted in the language of the block it sits in', () => {
    const answer = 'Here:\n\n````java\n} catch (Exception e) {\n    return Result.error(50003);\n}\n````\n'
    const failed = { type: 'error-codes', passed: false, message: '50003 appears only inside catch', line: 5 }
    const body = renderReport(runResults([caseResult('c', repeats(sample(answer)), [failed])]))
    expect(body).toContain('  Line 5:\n\n  ```java\n      return Result.error(50003);\n  ```')
  })

  it('keeps a tag that is not a plain language name out of the fence', () => {
    const answer = '```ja`va\nreturn 50003;\n```\n'
    const body = renderReport(runResults([caseResult('c', repeats(sample(answer)), [{ type: 'regex', passed: false, message: 'x', line: 2 }])]))
    expect(body).toContain('  Line 2:\n\n  ```\n  return 50003;\n  ```')
  })
})
