// The scripted GGUF models answer their script word for word when the real llama-server serves
// them, and the slow variant is measurably slower; other end-to-end tests rely on both.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { SLOW_MODEL_OPTIONS, writeScriptedModel } from '../../scripts/gguf-writer.js'

const LLAMA_SERVER =
  process.env.LLAMA_SERVER ?? join(homedir(), '.cache/modelgate/llama-server-nlc-3.21.1/bin/llama-server')
const STARTUP_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 10_000
const TEST_TIMEOUT_MS = 180_000
// The default model answers a short script in a few milliseconds, so single timings are noisy on
// a shared 2-core machine; the best of several requests is what each model can do.
const SPEED_SAMPLES = 3

const JAVA_ANSWER = [
  'The greeting ignored a missing name. Here is the fix:',
  '',
  '```java',
  'public class Greeter {',
  '    private final String greeting;',
  '',
  '    public Greeter(String greeting) {',
  '        this.greeting = greeting;',
  '    }',
  '',
  '    public String greet(String name) {',
  '        if (name == null || name.isBlank()) {',
  '            return greeting + ", world!";',
  '        }',
  '        char mark = \'!\';',
  '        return greeting + ", " + name + mark;',
  '    }',
  '}',
  '```',
  '',
  '`new Greeter("Hello").greet(null)` now returns "Hello, world!".',
  ''
].join('\n')

const REVIEW_COMMENT =
  'Thanks @octocat! 🎉 The loop now stops at <b>n − 1</b>, so ünïcödé names like 日本語 and Ωmega pass.\n' +
  '\t<b>Note:</b> ping @maintainers/reviewers — “smart quotes” & emoji 👍🏽 survive too.'

const MESSAGES = [
  { role: 'system', content: 'You are a careful senior engineer.' },
  { role: 'user', content: 'Fix the bug in Greeter.java and explain the change.' }
]

interface ChatCompletion {
  choices: Array<{ message: { content: string }; finish_reason: string }>
  timings: { predicted_per_second: number }
}

interface ChatAnswer {
  text: string
  finishReason: string
  tokensPerSecond: number
}

class LlamaServer {
  private output = ''
  private spawnError: Error | undefined

  private constructor(
    private readonly child: ChildProcess,
    private readonly baseUrl: string
  ) {
    const keepTail = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString('utf8')).slice(-4000)
    }
    child.stdout?.on('data', keepTail)
    child.stderr?.on('data', keepTail)
    child.on('error', (error) => {
      this.spawnError = error
    })
  }

  static async start(modelPath: string): Promise<LlamaServer> {
    const port = await freePort()
    const args = ['-m', modelPath, '--host', '127.0.0.1', '--port', String(port), '-c', '2048', '-t', '2', '-fit', 'off']
    const server = new LlamaServer(spawn(LLAMA_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] }), `http://127.0.0.1:${port}`)
    running.add(server)
    await server.waitUntilHealthy()
    return server
  }

  async chat(): Promise<ChatAnswer> {
    const response = await fetch(`${this.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: MESSAGES, temperature: 0, cache_prompt: false })
    })
    if (!response.ok) throw new Error(`llama-server answered ${response.status}: ${await response.text()}`)
    const completion = (await response.json()) as ChatCompletion
    const choice = completion.choices[0]
    if (choice === undefined) throw new Error('llama-server answered without a choice')
    return {
      text: choice.message.content,
      finishReason: choice.finish_reason,
      tokensPerSecond: completion.timings.predicted_per_second
    }
  }

  async bestTokensPerSecond(): Promise<number> {
    let best = 0
    for (let sample = 0; sample < SPEED_SAMPLES; sample++) best = Math.max(best, (await this.chat()).tokensPerSecond)
    return best
  }

  async stop(): Promise<void> {
    running.delete(this)
    if (this.spawnError !== undefined || this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = once(this.child, 'exit')
    this.child.kill('SIGTERM')
    const stopped = await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS, false, { ref: false })])
    if (!stopped) {
      this.child.kill('SIGKILL')
      await exited
    }
  }

  private async waitUntilHealthy(): Promise<void> {
    const deadline = Date.now() + STARTUP_TIMEOUT_MS
    while (Date.now() < deadline) {
      if (this.spawnError !== undefined) throw new Error(`cannot start ${LLAMA_SERVER}: ${this.spawnError.message}`)
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`llama-server exited before it was healthy:\n${this.output}`)
      }
      try {
        if ((await fetch(`${this.baseUrl}/health`)).status === 200) return
      } catch {
        // Not listening yet.
      }
      await sleep(200)
    }
    throw new Error(`llama-server was not healthy within ${STARTUP_TIMEOUT_MS} ms:\n${this.output}`)
  }
}

const running = new Set<LlamaServer>()

async function freePort(): Promise<number> {
  const probe = createServer()
  probe.listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const address = probe.address()
  probe.close()
  if (address === null || typeof address === 'string') throw new Error('could not find a free port')
  return address.port
}

async function withServer<T>(modelPath: string, use: (server: LlamaServer) => Promise<T>): Promise<T> {
  const server = await LlamaServer.start(modelPath)
  try {
    return await use(server)
  } finally {
    await server.stop()
  }
}

let directory: string

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'modelgate-scripted-'))
})

afterAll(async () => {
  await Promise.all([...running].map((server) => server.stop()))
  await rm(directory, { recursive: true, force: true })
})

describe('scripted models under the real llama-server', () => {
  it(
    'answers a Java fix with repeated lines, fences and quotes word for word',
    async () => {
      const model = await writeScriptedModel(join(directory, 'java.gguf'), { script: JAVA_ANSWER })

      const answer = await withServer(model.path, (server) => server.chat())

      expect(answer.text).toBe(JAVA_ANSWER)
      expect(answer.finishReason).toBe('stop')
    },
    TEST_TIMEOUT_MS
  )

  it(
    'answers unicode, @mentions and HTML word for word',
    async () => {
      const model = await writeScriptedModel(join(directory, 'review.gguf'), { script: REVIEW_COMMENT })

      const answer = await withServer(model.path, (server) => server.chat())

      expect(answer.text).toBe(REVIEW_COMMENT)
    },
    TEST_TIMEOUT_MS
  )

  it(
    'the slow model answers the same text with fewer tokens per second',
    async () => {
      const fast = await writeScriptedModel(join(directory, 'fast.gguf'), { script: JAVA_ANSWER })
      const slow = await writeScriptedModel(join(directory, 'slow.gguf'), { ...SLOW_MODEL_OPTIONS, script: JAVA_ANSWER })

      const fastTokensPerSecond = await withServer(fast.path, (server) => server.bestTokensPerSecond())
      const [slowAnswer, slowTokensPerSecond] = await withServer(slow.path, async (server) => {
        return [await server.chat(), await server.bestTokensPerSecond()] as const
      })

      expect(slowAnswer.text).toBe(JAVA_ANSWER)
      expect(slowTokensPerSecond).toBeLessThan(fastTokensPerSecond)
    },
    TEST_TIMEOUT_MS
  )
})
