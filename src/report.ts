// The one Markdown renderer: the PR comment, the job summary and the CLI all print this. Model
// output and anything a server said is untrusted text: it is fenced or escaped, never markup.
import type { CaseResult, CheckResult, RunResults, SampleResult } from './results.js'
import { formatFigure } from './stats.js'

/** GitHub rejects issue comments longer than this. */
export const GITHUB_COMMENT_LIMIT = 65_536

export interface RenderOptions {
  /** Hidden marker placed first, so the sticky comment can be found again. */
  marker?: string
  maxLength?: number
}

/** Breaks @mentions with a zero-width space so a model cannot ping people from a comment. */
function neutraliseMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9_-])/g, '@\u200b')
}

/** Text that renders as itself in Markdown and in a table cell: no HTML, no links, no markup. */
export function escapeMarkdown(text: string): string {
  const escaped = text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~#!])/g, '\\$1')
    .replace(/\r?\n/g, ' ')
  return neutraliseMentions(escaped)
}

/** A fenced block that the text cannot close: the fence is longer than any backtick run inside. */
export function fence(text: string, language = ''): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length))
  const ticks = '`'.repeat(Math.max(3, longestRun + 1))
  const body = text.endsWith('\n') ? text : `${text}\n`
  return `${ticks}${language}\n${body}${ticks}`
}

function caseVerdict(c: CaseResult): string {
  return c.passed ? '✅ pass' : '❌ fail'
}

function failedChecks(c: CaseResult): CheckResult[] {
  return c.checks.filter((check) => !check.passed)
}

function checkLine(check: CheckResult): string {
  const where = check.line !== undefined ? ` (line ${check.line})` : ''
  return `${check.passed ? '✅' : '❌'} \`${check.type}\`: ${escapeMarkdown(check.message)}${check.message.includes(`line ${check.line}`) ? '' : where}`
}

function lineOfSample(c: CaseResult, check: CheckResult): string | undefined {
  if (check.line === undefined) return undefined
  const sample = c.samples[check.sample ?? 0]
  return sample?.text.split('\n')[check.line - 1]
}

function renderCaseTable(results: RunResults): string {
  const rows = results.cases.map((c) => {
    const failed = failedChecks(c)
      .map((check) => `\`${check.type}\`: ${escapeMarkdown(check.message)}`)
      .join('<br>')
    return `| ${escapeMarkdown(c.id)} | ${caseVerdict(c)} | ${formatFigure(c.tokensPerSecond)} | ${formatFigure(c.ttftMs)} | ${c.samples.length} | ${failed || '–'} |`
  })
  return ['| Case | Result | Decode tokens/s | Time to first token (ms) | Samples | Failed checks |', '|---|---|---:|---:|---:|---|', ...rows].join('\n')
}

function sampleSummary(c: CaseResult, s: SampleResult): string {
  const parts = [
    `${formatFigure(s.tokensPerSecond)} tokens/s${s.tokensPerSecondSource ? ` (${s.tokensPerSecondSource})` : ''}`,
    `first token ${formatFigure(s.ttftMs)} ms`,
    s.usage ? `${s.usage.completionTokens} tokens` : undefined,
    s.finishReason ? `finish: ${escapeMarkdown(s.finishReason)}` : undefined,
    s.error ? '⚠️ request failed' : undefined
  ].filter(Boolean)
  return `${escapeMarkdown(c.id)} · sample ${s.index + 1} — ${parts.join(', ')}`
}

/** How much of each output to show; `null` shows all, 0 shows none. */
type OutputBudget = number | null

function renderOutput(text: string, budget: OutputBudget): string {
  if (budget === null || text.length <= budget) return fence(neutraliseMentions(text))
  const kept = text.slice(0, budget)
  return `${fence(neutraliseMentions(kept))}\n\n_Output trimmed to ${budget} of ${text.length} characters to fit the comment; the results file has all of it._`
}

function renderCaseDetails(c: CaseResult, budget: OutputBudget): string {
  const lines: string[] = [`#### ${c.passed ? '✅' : '❌'} ${escapeMarkdown(c.id)}`, '']
  for (const check of c.checks) {
    lines.push(`- ${checkLine(check)}`)
    const quoted = check.passed ? undefined : lineOfSample(c, check)
    if (quoted !== undefined && budget !== 0) lines.push('', indent(fence(neutraliseMentions(quoted.slice(0, 300))), '  '), '')
  }
  if (budget !== 0) {
    for (const sample of c.samples) {
      lines.push('', '<details>', `<summary>${sampleSummary(c, sample)}</summary>`, '')
      if (sample.error) lines.push(`⚠️ ${escapeMarkdown(sample.error)}`, '')
      // At temperature 0 repeats usually say the same: show the text once.
      const same = c.samples.find((earlier) => earlier.index < sample.index && earlier.text === sample.text && sample.text)
      const output = same ? `_Same output as sample ${same.index + 1}._` : sample.text ? renderOutput(sample.text, budget) : '_No output._'
      lines.push(output, '', '</details>')
    }
  }
  return lines.join('\n')
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n')
}

function renderServer(results: RunResults): string {
  const server = results.server
  if (!server) return ''
  const rows: [string, string][] = [
    ['Backend', server.backend === 'connect' ? `connect (${server.engine})` : server.backend],
    ['Server', server.baseUrl],
    ['Model', server.model]
  ]
  if (server.build) rows.push(['Build', server.build])
  if (server.modelFile) rows.push(['Model file', `${server.modelFile.path} (${server.modelFile.sizeBytes} bytes, sha256 ${server.modelFile.sha256})`])
  for (const [name, value] of Object.entries(server.settings)) rows.push([`\`${name}\``, String(value)])
  const table = ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k.startsWith('`') ? k : escapeMarkdown(k)} | ${escapeMarkdown(v)} |`)]
  const parts = ['<details>', '<summary>Server, model and settings</summary>', '', ...table]
  if (server.flags?.length) parts.push('', 'Flags:', '', fence(server.flags.join(' ')))
  if (server.notApplied?.length) {
    parts.push('', 'Not applied:', '', ...server.notApplied.map((n) => `- \`${n.setting}\`: ${escapeMarkdown(n.reason)}`))
  }
  parts.push('', '</details>')
  return parts.join('\n')
}

function renderLogTail(results: RunResults): string {
  const tail = results.server?.logTail
  if (!tail?.length || (results.passed && results.errors.length === 0)) return ''
  return ['<details>', '<summary>Server log (last lines)</summary>', '', fence(neutraliseMentions(tail.join('\n'))), '', '</details>'].join('\n')
}

function speedNote(results: RunResults): string {
  const source = results.speedSource
  if (!source) return ''
  const said = {
    server: "Speed figures are the server's own (decode only, first token excluded).",
    client: "Speed figures are the client's timing of the stream (the server reported none).",
    mixed: "Speed figures are the server's where it reported them, else the client's timing of the stream."
  }[source]
  return `_${said} Median over all measured samples: ${formatFigure(results.tokensPerSecond)} tokens/s._`
}

export function renderVerdict(results: RunResults): string {
  const passed = results.cases.filter((c) => c.passed).length
  const icon = results.passed ? '✅' : '❌'
  const title = `### ${icon} modelgate ${results.passed ? 'passed' : 'failed'}${results.suite.name ? `: ${escapeMarkdown(results.suite.name)}` : ''}`
  const count = results.cases.length === 0 ? 'No case was run' : `${passed} of ${results.cases.length} case${results.cases.length === 1 ? '' : 's'} passed`
  return `${title}\n\n**${count}.** ${escapeMarkdown(results.reason)}`
}

function compose(results: RunResults, options: RenderOptions, budget: OutputBudget, caseRows: number): string {
  const parts: string[] = []
  if (options.marker) parts.push(options.marker)
  parts.push(renderVerdict(results))
  // The reason under the verdict already names the first error.
  const moreErrors = results.errors.slice(1)
  if (moreErrors.length) parts.push(moreErrors.map((e) => `> ⚠️ ${escapeMarkdown(e)}`).join('\n>\n'))
  const shown = { ...results, cases: results.cases.slice(0, caseRows) }
  if (results.cases.length) parts.push(renderCaseTable(shown))
  if (caseRows < results.cases.length) parts.push(`_${results.cases.length - caseRows} more cases are left out to fit the comment; the results file has them all._`)
  parts.push(speedNote(results))
  if (budget !== 0) parts.push(...shown.cases.map((c) => renderCaseDetails(c, budget)))
  else if (results.cases.length) parts.push('_Outputs are left out to fit the comment; the results file has them all._')
  parts.push(renderServer(results), renderLogTail(results))
  return parts.filter(Boolean).join('\n\n') + '\n'
}

/**
 * Renders the run. When the body would pass `maxLength`, outputs are trimmed first, then left
 * out, then case rows; the verdict is never cut.
 */
export function renderReport(results: RunResults, options: RenderOptions = {}): string {
  const limit = options.maxLength ?? GITHUB_COMMENT_LIMIT
  const all = results.cases.length
  let body = compose(results, options, null, all)
  if (body.length <= limit) return body
  const samples = Math.max(1, results.cases.reduce((n, c) => n + c.samples.length, 0))
  for (const budget of [4000, 2000, 1000, 400, 100].filter((b) => b * samples < limit)) {
    body = compose(results, options, budget, all)
    if (body.length <= limit) return body
  }
  body = compose(results, options, 0, all)
  for (let rows = all; body.length > limit && rows > 0; rows = Math.floor(rows / 2)) {
    body = compose(results, options, 0, rows)
  }
  return body.length <= limit ? body : `${body.slice(0, limit - 200)}\n\n_Cut to fit GitHub's limit; the results file has the whole report._\n`
}
