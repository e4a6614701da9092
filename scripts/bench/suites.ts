// The benchmark's suites: `cases` variants of the example's task, each asking for the same
// updateUserStatus, so the scripted models answer every one. `code: true` keeps the example's
// code checks (tree-sitter, Java); otherwise a case checks text only, as promptfoo's `contains`.
export interface BenchSuite {
  cases: number
  repeat: number
  code: boolean
  maxTokens?: number
}

export const SYSTEM_PROMPT = 'You are a senior Java developer. Answer with one Java code block.'
export const promptOf = (i: number) =>
  `Write the service method updateUserStatus(Long userId, Integer ActiveFlag, Integer SystemDeleteFlag), variant ${i}. ` +
  'Validate userId (50001), the user lookup (50002) and both flags (50003) before the update.'

const CODE_CHECKS = `      - type: error-codes
        function: updateUserStatus(userId, ActiveFlag, SystemDeleteFlag)
        codes: [50001, 50002, 50003]
      - type: validation
        function: updateUserStatus(userId, ActiveFlag, SystemDeleteFlag)
        guards:
          - { code: 50001, params: [userId] }
          - { code: 50002, lookup: userId }
          - { code: 50003, params: [ActiveFlag, SystemDeleteFlag] }
      - type: not-regex
        value: e\\.printStackTrace\\(\\)`

export function suiteYaml({ cases, repeat, code, maxTokens = 1024 }: BenchSuite): string {
  const lines = [
    `name: bench ${cases} cases × ${repeat}${code ? ' with code checks' : ''}`,
    'server:',
    '  backend: connect',
    'defaults:',
    '  temperature: 0',
    '  seed: 42',
    `  max-tokens: ${maxTokens}`,
    'cases:'
  ]
  for (let i = 0; i < cases; i++) {
    lines.push(`  - id: case-${i}`, `    system: ${SYSTEM_PROMPT}`, `    prompt: ${JSON.stringify(promptOf(i))}`, `    repeat: ${repeat}`, '    assert:')
    lines.push('      - type: contains', '        value: "50003"')
    if (code) lines.push(CODE_CHECKS)
  }
  return `${lines.join('\n')}\n`
}

/** The request bodies modelgate sends for a suite (the floor client replays these). */
export function requestBodies({ cases, repeat, maxTokens = 1024 }: BenchSuite, model: string): object[] {
  return Array.from({ length: cases * repeat }, (_, n) => ({
    model,
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: promptOf(Math.floor(n / repeat)) }
    ],
    temperature: 0,
    max_tokens: maxTokens,
    seed: 42,
    stream: true,
    stream_options: { include_usage: true },
    cache_prompt: false
  }))
}

/** The same cases as a promptfoo config: a chat prompt, the OpenAI provider at the server, `contains`. */
export function promptfooConfig({ cases, maxTokens = 1024 }: BenchSuite, baseUrl: string): string {
  const tests = Array.from({ length: cases }, (_, i) => ({ vars: { system: SYSTEM_PROMPT, prompt: promptOf(i) }, assert: [{ type: 'contains', value: '50003' }] }))
  return JSON.stringify(
    {
      description: `bench ${cases} cases`,
      prompts: ['file://prompt.json'],
      providers: [{ id: 'openai:chat:scripted', config: { apiBaseUrl: baseUrl, apiKey: 'not-needed', temperature: 0, max_tokens: maxTokens, seed: 42 } }],
      tests
    },
    null,
    2
  )
}

export const PROMPTFOO_PROMPT = '[{"role": "system", "content": {{ system | dump }}}, {"role": "user", "content": {{ prompt | dump }}}]\n'
