// `npm run bench`: what modelgate itself costs beside the model it measures. Figures are printed
// with the target each is held to; a target is a ratio or an absolute bound checked within this
// one run, since these machines are shared and noisy. Not part of `npm test`.
import { execFileSync } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCheck } from '../src/checks/index.js'
import { replayCases } from '../src/replay.js'
import { renderReport } from '../src/report.js'
import type { CaseResult, RunResults, SampleResult } from '../src/results.js'
import { median } from '../src/stats.js'
import { loadSuite } from '../src/suite/index.js'
import { createCliHost } from '../src/host/cli.js'
import { EXAMPLE_SUITE, exampleAnswer, startMeasuredServer, writeExampleModels } from './example-models.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const rows: { what: string; value: string; target: string; ok: boolean }[] = []
const record = (what: string, value: string, target: string, ok: boolean) => rows.push({ what, value, target, ok })
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6

// 1. Replay overhead: the client's view of the stream against the server's own timing, same samples.
const llamaServer =
  process.env.LLAMA_SERVER ??
  execFileSync('bash', [path.join(root, 'scripts/build-llama-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop()!
const dir = await mkdtemp(path.join(os.tmpdir(), 'modelgate-bench-'))
const models = await writeExampleModels(dir)
const suite = await loadSuite(EXAMPLE_SUITE)
const benchCase = { ...suite.cases[0]!, repeat: 30 }
for (const [label, model] of [['slow', models.slow], ['fast', models.good]] as const) {
  const session = await startMeasuredServer(model, llamaServer, createCliHost())
  const { samples } = await replayCases({ baseUrl: session.baseUrl, apiKey: '', model: session.model, engine: session.engine, requestTimeoutMs: 60_000 }, [benchCase])
  await session.stop()
  const taken = samples.get(benchCase.id)!.filter((s) => !s.error)
  const ratio = median(taken.map((s) => (s.client.tokensPerSecond ?? 0) / (s.server?.tokensPerSecond ?? Infinity)))!
  const serverMs = (s: SampleResult) => (s.server?.ttftMs ?? 0) + ((s.usage?.completionTokens ?? 1) - 1) / ((s.server?.tokensPerSecond ?? 1) / 1000)
  const overhead = median(taken.map((s) => s.client.totalMs - serverMs(s)))!
  record(`${label} model: decode tokens/s, server (median of ${taken.length})`, String(Math.round(median(taken.map((s) => s.server?.tokensPerSecond))!)), 'reported', true)
  record(`${label} model: client/server decode-rate ratio`, ratio.toFixed(3), label === 'slow' ? '≥ 0.80' : 'reported (a few ms per sample: timer-bound)', label === 'slow' ? ratio >= 0.8 : true)
  record(`${label} model: client wall time beyond the server's own, per sample`, `${overhead.toFixed(1)} ms`, '≤ 25 ms', overhead <= 25)
}

// 2. Code checks: the first call loads tree-sitter and the grammar; later calls reuse them.
const answers = [await exampleAnswer('good'), await exampleAnswer('regressed')]
const sampleOf = (text: string, index = 0): SampleResult => ({
  index, text, finishReason: 'stop', usage: null, tokensPerSecond: null, tokensPerSecondSource: null, ttftMs: null, ttftSource: null, server: null,
  client: { ttftMs: null, tokensPerSecond: null, totalMs: 0, contentChunks: 0 }
})
const errorCodes = { type: 'error-codes', codes: [50001, 50002, 50003] }
let start = process.hrtime.bigint()
await runCheck(errorCodes, [sampleOf(answers[0]!)])
const cold = ms(start)
const rounds = 200
start = process.hrtime.bigint()
for (let i = 0; i < rounds; i++) {
  await runCheck(errorCodes, [sampleOf(answers[i % 2]!)])
  await runCheck({ type: 'validation', code: 50003, params: ['ActiveFlag', 'SystemDeleteFlag'] }, [sampleOf(answers[i % 2]!)])
}
const warm = ms(start) / rounds
record('code checks: first call (load tree-sitter + Java grammar)', `${cold.toFixed(0)} ms`, '≤ 2000 ms', cold <= 2000)
record('code checks: error-codes + validation per answer, warm', `${warm.toFixed(2)} ms`, '≤ 20 ms', warm <= 20)

// 3. The report for a large suite, cut to GitHub's comment limit.
const bigCases: CaseResult[] = Array.from({ length: 50 }, (_, i) => ({
  id: `case-${i}`, passed: i % 3 !== 0, tokensPerSecond: 150, ttftMs: 100,
  checks: [{ type: 'contains', passed: i % 3 !== 0, message: 'expected the output to contain "50003"; it does not' }],
  samples: [0, 1, 2].map((n) => sampleOf(`${answers[0]!}\n// variant ${i}-${n}\n`.repeat(4), n))
}))
const results: RunResults = {
  schemaVersion: 1, passed: false, reason: 'Failed: many', suite: { path: 'suite.yml' }, startedAt: '', finishedAt: '', server: null,
  cases: bigCases, tokensPerSecond: 150, speedSource: 'server', errors: [],
  environment: { modelgateVersion: '0', node: process.version, platform: process.platform, arch: process.arch }
}
start = process.hrtime.bigint()
const body = renderReport(results)
const renderMs = ms(start)
record('report: 50 cases × 3 samples × 4 KB, rendered and trimmed', `${renderMs.toFixed(0)} ms, ${body.length} chars`, '≤ 500 ms and ≤ 65536 chars', renderMs <= 500 && body.length <= 65_536)

// 4. Memory of the whole run above.
const maxRssMb = process.resourceUsage().maxRSS / 1024
record('peak resident memory of this process', `${maxRssMb.toFixed(0)} MB`, '≤ 400 MB', maxRssMb <= 400)

const width = Math.max(...rows.map((r) => r.what.length))
for (const r of rows) process.stdout.write(`${r.ok ? 'ok  ' : 'MISS'}  ${r.what.padEnd(width)}  ${r.value.padStart(18)}   target ${r.target}\n`)
process.exitCode = rows.every((r) => r.ok) ? 0 : 1
