// Prepares the real parts the end-to-end tests run against: a llama-server built from the
// llama.cpp source node-llama-cpp ships, and the Node 24 that GitHub runs `node24` actions on.
// Both are cached outside the checkout, so only the first run on a machine pays for them.
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))

// The same as scripts/real-parts.ts, which the rest of the tests import: jest loads its global
// setup outside its module mapping, where that file's `.js` import path does not resolve.
function lastLineOf(script: string): string {
  const out = execFileSync('bash', [script], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  return out.trim().split('\n').pop() ?? ''
}

export default function globalSetup(): void {
  process.env.LLAMA_SERVER ??= lastLineOf('scripts/build-llama-server.sh')
  process.env.MODELGATE_NODE24 ??= lastLineOf('scripts/fetch-node24.sh')
}
