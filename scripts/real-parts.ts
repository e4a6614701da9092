// The real parts the demo, the measuring scripts and the tests run against, each made by the
// project's own script and cached outside the checkout, so only the first run on a machine pays:
// a llama-server built from the llama.cpp source node-llama-cpp ships, and the Node 24 that
// GitHub runs `node24` actions on. LLAMA_SERVER and MODELGATE_NODE24 name ones already at hand.
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Runs a script that prepares a binary (its progress on stderr) and takes the path it prints last. */
function preparedBy(script: string): string {
  const out = execFileSync('bash', [script], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  return out.trim().split('\n').pop() ?? ''
}

export function llamaServerBinary(): string {
  return process.env.LLAMA_SERVER ?? preparedBy('scripts/build-llama-server.sh')
}

export function node24Binary(): string {
  return process.env.MODELGATE_NODE24 ?? preparedBy('scripts/fetch-node24.sh')
}
