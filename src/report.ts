// The one Markdown renderer: the PR comment, the job summary and the CLI all print this. Model
// output and anything a server said is untrusted text: it is fenced or escaped, never markup.
import type { CaseComparison, Comparison, SpeedDelta } from './compare/types.js'
import { extractCodeBlocks } from './checks/code/extract.js'
import { formatParameterCount } from './environment/model.js'
import type { CaseResult, CheckResult, FailureKind, RunResults, SampleResult } from './results.js'
import { shardName } from './shard/select.js'
import { formatFigure, median } from './stats.js'

/** GitHub rejects issue comments longer than this. */
export const GITHUB_COMMENT_LIMIT = 65_536

export interface RenderOptions {
  /** Hidden marker placed first, so the sticky comment can be found again. */
  marker?: string
  maxLength?: number
}

/**
 * Breaks @mentions outside code so a model cannot ping people from a comment: a zero-width space
 * written as an entity (as Renovate does), so the text itself holds no invisible character. Code
 * blocks need nothing: GitHub never links or notifies a mention inside code.
 */
function neutraliseMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9_-])/g, '@&#8203;')
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

/** The line a failed check points at, and the tag of the code block it sits in (for highlighting). */
function lineOfSample(c: CaseResult, check: CheckResult): { text: string; language: string } | undefined {
  if (check.line === undefined) return undefined
  const answer = c.samples[check.sample ?? 0]?.text
  const text = answer?.split('\n')[check.line - 1]
  if (text === undefined) return undefined
  const line = check.line
  const block = extractCodeBlocks(answer!).find((b) => b.startLine <= line && line < b.startLine + b.code.split('\n').length)
  // The tag is the model's text: only a plain language name goes into the fence's info string.
  return { text, language: block?.tag && /^[\w#+.-]{1,20}$/.test(block.tag) ? block.tag : '' }
}

/** A run's URL as a Markdown link target, only when it is a plain https URL. */
function runLink(url: string | undefined, label: string): string | undefined {
  return url && /^https:\/\/[^\s()]+$/.test(url) ? `[${label}](${url})` : undefined
}

/** `−9.8% vs baseline, p = 0.002`, marked when it is a regression. */
function deltaText(delta: SpeedDelta | undefined): string {
  if (!delta) return ''
  const sign = delta.changePercent > 0 ? '+' : delta.changePercent < 0 ? '−' : '±'
  const change = `${sign}${Math.abs(delta.changePercent).toFixed(1)}%`
  const p = delta.p < 0.001 ? 'p < 0.001' : `p = ${delta.p.toFixed(3)}`
  const mark = delta.verdict === 'slower' ? ' ❌' : delta.verdict === 'inconclusive' ? ' ❔' : ''
  return ` (${change} vs baseline, ${p}${mark})`
}

/** The range of a case's decode rates beside its median, so a reader sees how noisy the figure is. */
function spreadOf(c: CaseResult): string {
  const rates = c.samples.filter((s) => !s.error && s.tokensPerSecond !== null).map((s) => s.tokensPerSecond!)
  if (rates.length < 2) return ''
  return ` (${formatFigure(Math.min(...rates))}–${formatFigure(Math.max(...rates))})`
}

function qualityDelta(compared: CaseComparison | undefined): string {
  if (!compared) return '–'
  if (compared.isNew) return 'new case'
  const count = (delta: string) => compared.checks.filter((check) => check.delta === delta).length
  const parts = [
    count('new-failure') && `❌ ${count('new-failure')} newly failing`,
    count('fixed') && `✅ ${count('fixed')} fixed`,
    count('known-failure') && `${count('known-failure')} still failing`
  ].filter(Boolean)
  const drift = compared.answer?.changed ? 'answer changed' : ''
  return [...parts, drift].filter(Boolean).join(', ') || 'same'
}

function renderCaseTable(results: RunResults): string {
  const comparison = results.comparison?.baseline === 'found' ? results.comparison : undefined
  const byId = new Map(comparison?.cases.map((c) => [c.id, c]))
  const rows = results.cases.map((c) => {
    const failed = failedChecks(c)
      .map((check) => `\`${check.type}\`: ${escapeMarkdown(check.message)}`)
      .join('<br>')
    const compared = byId.get(c.id)
    const speed = `${formatFigure(c.tokensPerSecond)}${spreadOf(c)}${deltaText(compared?.tokensPerSecond)}`
    const ttft = `${formatFigure(c.ttftMs)}${deltaText(compared?.ttft)}`
    const cells = [escapeMarkdown(c.id), caseVerdict(c), speed, ttft, String(c.samples.length), ...(comparison ? [qualityDelta(compared)] : []), failed || '–']
    return `| ${cells.join(' | ')} |`
  })
  const head = comparison
    ? ['| Case | Result | Decode tokens/s | Time to first token (ms) | Samples | Against the baseline | Failed checks |', '|---|---|---:|---:|---:|---|---|']
    : ['| Case | Result | Decode tokens/s | Time to first token (ms) | Samples | Failed checks |', '|---|---|---:|---:|---:|---|']
  return [...head, ...rows].join('\n')
}

/** What got worse, before anything else: newly failing checks and confirmed slowdowns. */
function renderRegressions(comparison: Comparison): string {
  const lines: string[] = []
  for (const c of comparison.cases) {
    for (const check of c.checks.filter((k) => k.delta === 'new-failure')) lines.push(`- ❌ ${escapeMarkdown(c.id)} · \`${check.type}\` newly failing: ${escapeMarkdown(check.message)}`)
    if (c.tokensPerSecond?.verdict === 'slower') lines.push(`- ❌ ${escapeMarkdown(c.id)} · decode tokens/s ${escapeMarkdown(c.tokensPerSecond.reason)}`)
    if (c.ttft?.verdict === 'slower') lines.push(`- ❌ ${escapeMarkdown(c.id)} · time to first token ${escapeMarkdown(c.ttft.reason)}`)
  }
  return lines.length ? [`**${lines.length === 1 ? 'Regression' : `${lines.length} regressions`} against the baseline:**`, '', ...lines].join('\n') : ''
}

function shortSha(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : 'unknown commit'
}

function renderBaseline(results: RunResults): string {
  const comparison = results.comparison
  if (!comparison) return ''
  if (comparison.baseline !== 'found') return `_${escapeMarkdown(capitalised(comparison.note ?? 'no baseline'))}; the absolute checks decide._`
  const info = comparison.info!
  const ref = info.ref?.replace(/^refs\/heads\//, '')
  const commit = `\`${shortSha(info.sha)}\``
  const link = runLink(info.runUrl, 'run')
  const run = link ? ` (${link})` : ''
  const from = { cache: 'the Actions cache', runner: "the runner's copy", file: 'the baseline file' }[info.source]
  const parts = [`Compared with ${ref ? `${escapeMarkdown(ref)} at ` : ''}${commit}, ${escapeMarkdown(info.finishedAt.slice(0, 16).replace('T', ' '))} UTC${run}, from ${from}.`]
  if (comparison.changes.length) parts.push(`Changed since then: ${comparison.changes.map(escapeMarkdown).join('; ')}.`)
  if (comparison.removedCases.length) parts.push(`No longer in the suite: ${comparison.removedCases.map(escapeMarkdown).join(', ')}.`)
  return parts.join(' ')
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** A chart GitHub draws from the comment itself: baseline tokens/s as bars, this run's as a line. */
function renderChart(results: RunResults): string {
  const comparison = results.comparison
  if (comparison?.baseline !== 'found') return ''
  const rows = comparison.cases.filter((c) => c.tokensPerSecond?.baseline != null)
  const now = new Map(results.cases.map((c) => [c.id, c.tokensPerSecond]))
  if (rows.length === 0) return ''
  const value = (n: number | null | undefined) => (n === null || n === undefined ? 0 : Number(n.toFixed(1)))
  // Case ids are letters, digits, dots, dashes and underscores (the suite schema): safe in quotes.
  const labels = rows.map((c) => JSON.stringify(c.id)).join(', ')
  return [
    '<details>',
    '<summary>Decode tokens/s per case: baseline (bars) and this run (line)</summary>',
    '',
    '```mermaid',
    'xychart-beta',
    '    title "Decode tokens/s: baseline (bars), this run (line)"',
    `    x-axis [${labels}]`,
    '    y-axis "tokens/s"',
    `    bar [${rows.map((c) => value(c.tokensPerSecond!.baseline)).join(', ')}]`,
    `    line [${rows.map((c) => value(now.get(c.id))).join(', ')}]`,
    '```',
    '',
    '</details>'
  ].join('\n')
}

function renderDrift(compared: CaseComparison | undefined, budget: OutputBudget): string[] {
  if (!compared?.answer?.changed || !compared.answer.diff || budget === 0) return []
  const diff = budget !== null && compared.answer.diff.length > budget ? `${compared.answer.diff.slice(0, budget)}\n…` : compared.answer.diff
  return ['', '<details>', '<summary>The answer changed from the baseline\'s</summary>', '', fence(diff, 'diff'), '', '</details>']
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
  if (budget === null || text.length <= budget) return fence(text)
  const kept = text.slice(0, budget)
  return `${fence(kept)}\n\n_Output trimmed to ${budget} of ${text.length} characters to fit the comment; the results file has all of it._`
}

function renderCaseDetails(c: CaseResult, budget: OutputBudget, compared?: CaseComparison): string {
  const lines: string[] = [`#### ${c.passed ? '✅' : '❌'} ${escapeMarkdown(c.id)}`, '']
  for (const check of c.checks) {
    lines.push(`- ${checkLine(check)}`)
    const quoted = check.passed ? undefined : lineOfSample(c, check)
    if (quoted !== undefined && budget !== 0) {
      const where = `  Line ${check.line}${c.samples.length > 1 ? ` of sample ${(check.sample ?? 0) + 1}` : ''}:`
      lines.push('', where, '', indent(fence(quoted.text.slice(0, 300), quoted.language), '  '), '')
    }
  }
  lines.push(...renderDrift(compared, budget))
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
  const facts = server.modelFile?.facts
  if (facts) {
    const described = [
      facts.architecture,
      facts.parameterCount !== undefined ? `${formatParameterCount(facts.parameterCount)} parameters` : undefined,
      facts.quantisation,
      facts.trainedContext !== undefined ? `trained context ${facts.trainedContext}` : undefined,
      facts.experts ? `${facts.experts.count} experts${facts.experts.used !== undefined ? `, ${facts.experts.used} used` : ''}` : undefined
    ].filter(Boolean)
    if (described.length) rows.push(['Model', described.join(', ')])
  }
  const machine = results.fingerprint?.machine
  if (machine) {
    const gpus = machine.gpus.map((gpu) => `${gpu.name}${gpu.memoryMiB ? ` (${gpu.memoryMiB} MiB)` : ''}${gpu.driver ? `, driver ${gpu.driver}` : ''}`)
    rows.push(['GPU', gpus.length ? `${gpus.join('; ')}${machine.cuda ? `, CUDA ${machine.cuda}` : ''}` : 'none'])
    rows.push(['CPU', `${machine.cpu}, ${machine.cores} cores, ${(machine.memoryBytes / 1024 ** 3).toFixed(1)} GiB RAM`])
    rows.push(['OS', `${machine.os} (${machine.platform}-${machine.arch})`])
  }
  if (server.loadedAs) {
    const loaded = server.loadedAs
    rows.push(['Loaded as', `${loaded.identifier} (${loaded.modelKey}${loaded.contextLength ? `, context ${loaded.contextLength}` : ''}${loaded.path ? `, ${loaded.path}` : ''})`])
  }
  // Where a backend maps the settings to its own load config, the row says what each became.
  for (const [name, value] of Object.entries(server.settings)) rows.push([`\`${name}\``, server.loadConfig?.[name] ? `${String(value)} → ${server.loadConfig[name]}` : String(value)])
  const table = ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k.startsWith('`') ? k : escapeMarkdown(k)} | ${escapeMarkdown(v)} |`)]
  const parts = ['<details>', '<summary>Server, model, machine and settings</summary>', '', ...table]
  if (server.flags?.length) parts.push('', 'Flags:', '', fence(server.flags.join(' ')))
  if (server.commands?.length) parts.push('', 'Commands:', '', fence(server.commands.join('\n')))
  if (server.notApplied?.length) {
    parts.push('', 'Not applied:', '', ...server.notApplied.map((n) => `- \`${n.setting}\`: ${escapeMarkdown(n.reason)}`))
  }
  parts.push('', '</details>')
  return parts.join('\n')
}

function renderLogTail(results: RunResults): string {
  const tail = results.server?.logTail
  if (!tail?.length || (results.passed && results.errors.length === 0)) return ''
  return ['<details>', '<summary>Server log (last lines)</summary>', '', fence(tail.join('\n')), '', '</details>'].join('\n')
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

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** How replay shared the server, in one line: which figures were taken with nothing else in flight. */
function renderSchedule(results: RunResults): string {
  const schedule = results.schedule
  if (!schedule) return ''
  const { concurrency, sharedCases, aloneCases } = schedule
  const why = {
    option: 'as `concurrency` asks',
    server: `the server's ${concurrency === 1 ? 'one slot' : `${concurrency} slots`}`,
    default: 'the server reports no slot count'
  }[schedule.concurrencySource]
  if (concurrency === 1) return `_Samples ran one at a time (concurrency 1: ${why})._`
  if (sharedCases === 0) return `_Samples ran one at a time: every case has a speed check, and those run alone (concurrency ${concurrency}, ${why}, is for cases without one)._`
  const alone = aloneCases ? `; each sample of the ${plural(aloneCases, 'speed case')} ran alone, with nothing else in flight` : ''
  return `_Up to ${concurrency} samples ran at once (${why}) for the ${plural(sharedCases, 'case')} without a speed check, whose figures were taken sharing the server${alone}._`
}

/** The results files a merge read, and the shards it found none for; open when one is missing or failed. */
function renderMergeSources(results: RunResults): string {
  const merge = results.merge
  if (!merge) return ''
  const comparing = Boolean(results.variants?.length)
  const part = (shard: { index: number; count: number }) => (shard.count > 1 ? shardName(shard) : 'whole suite')
  const rows = [
    ...merge.sources.map((source) => {
      const result = source.stopped ? `⚠️ stopped early: ${escapeMarkdown(source.stopped)}` : source.passed ? '✅ passed' : '❌ failed'
      return { ...source, cells: [part(source.shard), String(source.cases), result, escapeMarkdown(source.runner ?? '–'), escapeMarkdown(source.file)] }
    }),
    ...merge.missing.map((gone) => {
      const held = gone.cases.length ? `its cases: ${gone.cases.map(escapeMarkdown).join(', ')}` : 'it holds no case'
      return { ...gone, cells: [part(gone.shard), '–', `❌ no results file (${held})`, '–', '–'] }
    })
  ]
    // In the order of the matrix: by model, then by shard.
    .sort((a, b) => a.label.localeCompare(b.label) || a.shard.index - b.shard.index)
    .map((row) => `| ${[...(comparing ? [escapeMarkdown(row.label)] : []), ...row.cells].join(' | ')} |`)
  const head = comparing ? ['| Model | Shard | Cases | Result | Runner | Results file |', '|---|---|---:|---|---|---|'] : ['| Shard | Cases | Result | Runner | Results file |', '|---|---:|---|---|---|']
  const trouble = merge.missing.length > 0 || merge.sources.some((source) => source.stopped)
  const files = plural(merge.sources.length, 'results file')
  return [trouble ? '<details open>' : '<details>', `<summary>Merged from ${files} in ${escapeMarkdown(merge.from)}</summary>`, '', ...head, ...rows, '', '</details>'].join('\n')
}

/** What a failure kind tells the reader to look at, as the comment says it. */
export function describeFailureKind(kind: FailureKind): string {
  return FAILURE_KINDS[kind].replace(/\.$/, '')
}

/** What each failure kind tells the reader to look at. */
const FAILURE_KINDS: Record<FailureKind, string> = {
  quality: "the model's answers failed a check.",
  speed: 'the model was slower than the floor or than the baseline.',
  infrastructure: 'the server, the network or the input failed, not the model: the figures are incomplete.',
  cancelled: 'the run was cancelled; the figures are what was measured before.'
}

export function renderVerdict(results: RunResults): string {
  const passed = results.cases.filter((c) => c.passed).length
  const icon = results.passed ? '✅' : '❌'
  const outcome = results.cancelled ? 'was cancelled' : results.passed ? 'passed' : 'failed'
  const title = `### ${results.cancelled ? '⏹️' : icon} modelgate ${outcome}${results.suite.name ? `: ${escapeMarkdown(results.suite.name)}` : ''}`
  const notRun = results.notRun?.length ?? 0
  const total = results.cases.length + notRun
  const count =
    results.cases.length === 0
      ? 'No case was run'
      : `${passed} of ${total} case${total === 1 ? '' : 's'} passed${notRun ? `, ${notRun} not run` : ''}`
  const env = results.environment
  const link = runLink(env?.runUrl, 'this workflow run')
  const judged = env?.sha ? `Judged \`${shortSha(env.sha)}\`${link ? ` in ${link}` : ''}.` : ''
  const kind = results.failureKind ? `\n\nFailure kind: \`${results.failureKind}\` — ${FAILURE_KINDS[results.failureKind]}` : ''
  const missing = notRun ? `\n\nNot run: ${results.notRun!.map((id) => escapeMarkdown(id)).join(', ')}.` : ''
  return `${title}\n\n**${count}.** ${escapeMarkdown(results.reason)}${kind}${missing}${judged ? `\n\n${judged}` : ''}`
}

function compose(results: RunResults, options: RenderOptions, budget: OutputBudget, caseRows: number): string {
  const parts: string[] = []
  if (options.marker) parts.push(options.marker)
  parts.push(renderVerdict(results))
  // The reason under the verdict already names the first error.
  const moreErrors = results.errors.slice(1)
  if (moreErrors.length) parts.push(moreErrors.map((e) => `> ⚠️ ${escapeMarkdown(e)}`).join('\n>\n'))
  const comparison = results.comparison
  parts.push(renderBaseline(results))
  if (comparison?.baseline === 'found') parts.push(renderRegressions(comparison))
  const shown = { ...results, cases: results.cases.slice(0, caseRows) }
  if (results.cases.length) parts.push(renderCaseTable(shown))
  if (caseRows < results.cases.length) parts.push(`_${results.cases.length - caseRows} more cases are left out to fit the comment; the results file has them all._`)
  parts.push(speedNote(results), renderSchedule(results), renderChart(shown))
  const compared = new Map(comparison?.cases.map((c) => [c.id, c]))
  if (budget !== 0) parts.push(...shown.cases.map((c) => renderCaseDetails(c, budget, compared.get(c.id))))
  else if (results.cases.length) parts.push('_Outputs are left out to fit the comment; the results file has them all._')
  parts.push(renderMergeSources(results), renderServer(results), renderLogTail(results))
  return parts.filter(Boolean).join('\n\n') + '\n'
}

/** A compared run's name in a table: its label, which the merge always sets. */
const runName = (run: RunResults) => escapeMarkdown(run.label ?? run.server?.model ?? 'model')

/** The cell of one case in one compared run: its verdict and the checks it failed. */
function comparedCell(run: RunResults, id: string): string {
  const c = run.cases.find((r) => r.id === id)
  if (!c) return 'not run'
  if (c.passed) return '✅'
  return `❌ ${[...new Set(failedChecks(c).map((check) => `\`${check.type}\``))].join(', ')}`
}

/** Models as columns: each one's verdict and medians, then each case's result. */
function renderComparisonTable(results: RunResults): string {
  const runs = results.variants!
  const ids = [...new Set([...runs.flatMap((run) => run.cases.map((c) => c.id)), ...runs.flatMap((run) => run.notRun ?? [])])]
  const measured = (run: RunResults) => run.cases.flatMap((c) => c.samples.filter((s) => !s.error))
  const row = (label: string, cells: string[]) => `| ${label} | ${cells.join(' | ')} |`
  return [
    row('Case', runs.map(runName)),
    row('---', runs.map(() => '---')),
    row('**Result**', runs.map((run) => (run.passed ? '✅ passed' : '❌ failed'))),
    row('**Cases passed**', runs.map((run) => `${run.cases.filter((c) => c.passed).length} of ${run.cases.length + (run.notRun?.length ?? 0)}`)),
    row('**Median decode tokens/s**', runs.map((run) => formatFigure(run.tokensPerSecond))),
    row('**Median time to first token (ms)**', runs.map((run) => formatFigure(median(measured(run).map((s) => s.ttftMs))))),
    ...ids.map((id) => row(escapeMarkdown(id), runs.map((run) => comparedCell(run, id))))
  ].join('\n')
}

function renderComparisonVerdict(results: RunResults): string {
  const runs = results.variants!
  const outcome = results.passed ? 'passed' : 'failed'
  const title = `### ${results.passed ? '✅' : '❌'} modelgate ${outcome}${results.suite.name ? `: ${escapeMarkdown(results.suite.name)}` : ''}`
  const total = Math.max(...runs.map((run) => run.cases.length + (run.notRun?.length ?? 0)))
  const kind = results.failureKind ? `\n\nFailure kind: \`${results.failureKind}\` — ${FAILURE_KINDS[results.failureKind]}` : ''
  const best = runs.find((run) => run.label === results.best)
  const passing = runs.filter((run) => run.passed).length
  const bestLine = best
    ? `**Best: ${runName(best)}** — ${passing === 1 ? 'the only model that passes every case' : `the fastest median decode of the ${passing} models that pass every case`}, ${formatFigure(best.tokensPerSecond)} tokens/s.`
    : '**No model passes every case.**'
  const env = results.environment
  const link = runLink(env?.runUrl, 'this workflow run')
  const judged = env?.sha ? `\n\nJudged \`${shortSha(env.sha)}\`${link ? ` in ${link}` : ''}.` : ''
  return `${title}\n\n**${plural(runs.length, 'model')} compared on ${plural(total, 'case')}.** ${escapeMarkdown(results.reason)}${kind}\n\n${bestLine}${judged}`
}

/** Each compared run's own case table and server, folded, so the table above stays the summary. */
function renderComparedRun(run: RunResults): string {
  const body = [run.cases.length ? renderCaseTable(run) : '', speedNote(run), renderServer(run)].filter(Boolean).join('\n\n')
  return ['<details>', `<summary>${run.passed ? '✅' : '❌'} ${runName(run)}: ${escapeMarkdown(run.reason)}</summary>`, '', body, '', '</details>'].join('\n')
}

/** A comparison: the verdict and the best model, the table, then each model folded; the folds go first when it is too long. */
function renderComparison(results: RunResults, options: RenderOptions, limit: number): string {
  const compose = (details: boolean) => {
    const parts = [options.marker ?? '', renderComparisonVerdict(results)]
    if (results.errors.length) parts.push(results.errors.map((e) => `> ⚠️ ${escapeMarkdown(e)}`).join('\n>\n'))
    parts.push(renderComparisonTable(results))
    if (details) parts.push(...results.variants!.map(renderComparedRun))
    else parts.push("_Each model's cases and server are left out to fit the comment; the results file has them all._")
    parts.push(renderMergeSources(results))
    return parts.filter(Boolean).join('\n\n') + '\n'
  }
  const body = compose(true)
  if (body.length <= limit) return body
  const short = compose(false)
  return short.length <= limit ? short : `${short.slice(0, limit - 200)}\n\n_Cut to fit GitHub's limit; the results file has the whole report._\n`
}

/**
 * Renders the run. When the body would pass `maxLength`, outputs are trimmed first, then left
 * out, then case rows; the verdict is never cut. A model comparison (merged results with
 * `variants`) has a layout of its own: models as columns.
 */
export function renderReport(results: RunResults, options: RenderOptions = {}): string {
  const limit = options.maxLength ?? GITHUB_COMMENT_LIMIT
  if (results.variants?.length) return renderComparison(results, options, limit)
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
