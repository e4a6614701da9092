import { describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import type { Assertion } from '../../src/checks/index.js'
import type { ServerSettings } from '../../src/server/settings.js'
import { loadSuite, parseSuite, SuiteError, type ChatMessage, type Suite } from '../../src/suite/index.js'
import { suiteSchema, type RawCase, type RawSuite } from '../../src/suite/schema.js'

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/suites/${name}`, import.meta.url))

function problemsOf(yaml: string): string[] {
  try {
    parseSuite(yaml, 'suite.yml')
  } catch (error) {
    if (error instanceof SuiteError) return error.problems
    throw error
  }
  throw new Error('the suite was accepted')
}

const oneCase = (assertYaml: string) => `cases:
  - id: update-user-status
    prompt: Write it.
    assert:
${assertYaml}`

describe('the suite schema', () => {
  // The loader compiles it without the meta-schema check, to start quickly: this is that check.
  it('is a valid JSON schema, with every check\'s fields', () => {
    const ajv = new Ajv({ strict: false, discriminator: true })
    expect(ajv.validateSchema(suiteSchema())).toBe(true)
    expect(ajv.errors ?? null).toBeNull()
  })
})

describe('loadSuite', () => {
  it('reads the contract example into typed cases', async () => {
    const suite = await loadSuite(fixture('good.yml'), 'good.yml')
    expect(suite.name).toBe('user status')
    expect(suite.server.backend).toBe('llama.cpp')
    expect(suite.server.settings['gpu-offload']).toBe('max')
    expect(suite.server.settings.seed).toBe('off')
    expect(suite.server.settings['flash-attention']).toBe(false)
    expect(suite.minTokensPerSecond).toBe(100)
    const [status, chat] = suite.cases
    expect(status).toMatchObject({
      id: 'update-user-status',
      repeat: 3,
      temperature: 0,
      seed: 42,
      maxTokens: 1024,
      line: 27,
      messages: [
        { role: 'system', content: 'You are a senior Java developer.' },
        { role: 'user', content: 'Write updateUserStatus(userId, ActiveFlag, SystemDeleteFlag) ...' }
      ]
    })
    expect(status!.assertions.map((a) => a.type)).toEqual(['contains', 'not-regex', 'tokens-per-second'])
    expect(chat).toMatchObject({ id: 'chat', repeat: 1, maxTokens: 64, messages: [{ role: 'system' }, { role: 'user', content: 'Say hi.' }] })
  })

  it('names the file when it does not exist', async () => {
    await expect(loadSuite('/nonexistent/suite.yml', 'suite.yml')).rejects.toThrow(/^suite file not found: suite\.yml/)
  })

  it('names the suite option as its caller spells it', async () => {
    await expect(loadSuite('/nonexistent/suite.yml', 'suite.yml')).rejects.toThrow("(input 'suite' is read relative to ")
    await expect(loadSuite('/nonexistent/suite.yml', 'suite.yml', { optionLabel: '--suite' })).rejects.toThrow('(--suite is read relative to ')
  })
})

describe('parseSuite rejects bad files with file, line, case and field', () => {
  it.each([
    [
      'a list of codes that is not a list of integers',
      oneCase('      - type: tokens-per-second\n        min: fast\n'),
      ['suite.yml:6 case "update-user-status": assert[0].min must be a number']
    ],
    [
      'an unknown check type',
      oneCase('      - type: contains\n        value: x\n      - type: containz\n        value: x\n'),
      [expect.stringMatching(/^suite\.yml:7 case "update-user-status": assert\[1\]\.type "containz" is not a known check \(known: contains, not-contains, regex, not-regex, tokens-per-second, ttft/)]
    ],
    [
      'an unknown key in a check',
      oneCase('      - type: contains\n        value: x\n        vaule: y\n'),
      ['suite.yml:7 case "update-user-status": assert[0].vaule is not a known key (known: type, value)']
    ],
    [
      'a missing field of a check',
      oneCase('      - type: regex\n'),
      ['suite.yml:5 case "update-user-status": assert[0].value is required']
    ],
    [
      'a regex that does not compile',
      oneCase('      - type: regex\n        value: "foo("\n'),
      [expect.stringMatching(/^suite\.yml:6 case "update-user-status": assert\[0\]\.value is not a valid regular expression: /)]
    ],
    [
      'an unknown top-level key',
      'cases:\n  - id: a\n    prompt: p\ncase:\n  - id: b\n',
      ['suite.yml:4 case is not a known key (known: name, description, server, defaults, cases)']
    ],
    [
      'a misspelt setting',
      'server:\n  settings:\n    gpu-ofload: max\ncases:\n  - id: a\n    prompt: p\n',
      [expect.stringMatching(/^suite\.yml:3 server\.settings\.gpu-ofload is not a known key \(known: context-length, gpu-offload, /)]
    ],
    [
      'a setting of the wrong kind',
      'server:\n  settings:\n    gpu-offload: all\n    k-cache-quantization: q9\ncases:\n  - id: a\n    prompt: p\n',
      [
        'suite.yml:3 server.settings.gpu-offload must be one of "max", "off" or an integer',
        'suite.yml:4 server.settings.k-cache-quantization must be one of "off", "f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "iq4_nl", "q5_0", "q5_1"'
      ]
    ],
    [
      'values of the wrong type, in the settings and in a case',
      'server:\n  settings:\n    context-length: lots\n    try-mmap: 3\ncases:\n  - id: a\n    prompt: p\n    temperature: hot\n    max-tokens: "64"\n    assert: contains\n',
      [
        'suite.yml:3 server.settings.context-length must be an integer',
        'suite.yml:4 server.settings.try-mmap must be true or false',
        'suite.yml:8 case "a": temperature must be a number',
        'suite.yml:9 case "a": max-tokens must be an integer',
        'suite.yml:10 case "a": assert must be a list'
      ]
    ],
    [
      'an unknown backend',
      'server:\n  backend: ollama\ncases:\n  - id: a\n    prompt: p\n',
      ['suite.yml:2 server.backend must be one of "connect", "llama.cpp", "lmstudio"']
    ],
    [
      'two cases with one id',
      'cases:\n  - id: a\n    prompt: p\n  - id: a\n    prompt: q\n',
      ['suite.yml:4 case "a": id is used twice (also cases[0])']
    ],
    [
      'a case with neither prompt nor messages',
      'cases:\n  - id: a\n    system: s\n',
      ['suite.yml:2 case "a" needs a prompt (or messages)']
    ],
    [
      'a case with both prompt and messages',
      'cases:\n  - id: a\n    prompt: p\n    messages:\n      - role: user\n        content: hi\n',
      ['suite.yml:5 case "a": messages cannot be given with prompt or system']
    ],
    [
      'a message with a bad role',
      'cases:\n  - id: a\n    messages:\n      - role: robot\n        content: hi\n',
      ['suite.yml:4 case "a": messages[0].role must be one of "system", "user", "assistant"']
    ],
    ['no cases', 'cases: []\n', ['suite.yml:1 cases needs at least 1 item']],
    ['not a mapping', '- a\n- b\n', ['suite.yml:1 must be a mapping with the keys server, defaults and cases']],
    [
      'YAML that does not parse',
      'cases:\n  - id: a\n   prompt: [\n',
      [
        'suite.yml:3 is not valid YAML: Sequence item without - indicator',
        'suite.yml:4 is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'
      ]
    ],
    [
      'a repeated key',
      'cases:\n  - id: a\n    prompt: p\n    prompt: q\n',
      [expect.stringMatching(/^suite\.yml:4 is not valid YAML: Map keys must be unique/)]
    ]
  ])('%s', (_name, yaml, expected) => {
    expect(problemsOf(yaml)).toEqual(expected)
  })

  it('reports every problem at once, in file order', () => {
    const problems = problemsOf('defaults:\n  temperature: hot\ncases:\n  - id: a\n    prompt: p\n    repeat: 0\n')
    expect(problems).toEqual([
      'suite.yml:2 defaults.temperature must be a number',
      'suite.yml:6 case "a": repeat must be >= 1'
    ])
  })

  it('puts all problems in the error message, one a line', () => {
    expect(() => parseSuite('cases:\n  - id: a\n    prompt: p\n    repeat: 0\n    top: 1\n', 'suite.yml')).toThrow(
      'suite.yml: 2 problems\nsuite.yml:4 case "a": repeat must be >= 1\nsuite.yml:5 case "a": top is not a known key'
    )
  })
})

/** True only when A and B are the same type, not merely assignable one way. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false

describe('the types derived from the schema', () => {
  it('describe the contract example as the schema reads it', async () => {
    // The fixture written out: `satisfies` makes the compiler hold the derived types to the file.
    const settings = {
      'context-length': 8192,
      'gpu-offload': 'max',
      'cpu-threads': 9,
      'eval-batch-size': 512,
      'rope-frequency-base': 'auto',
      'rope-frequency-scale': 'auto',
      'offload-kv-cache-to-gpu': true,
      'keep-model-in-memory': true,
      'try-mmap': true,
      seed: 'off',
      experts: 6,
      'force-expert-weights-on-cpu': false,
      'flash-attention': false,
      'k-cache-quantization': 'off',
      'v-cache-quantization': 'off'
    } satisfies ServerSettings
    const raw = {
      name: 'user status',
      server: { backend: 'llama.cpp', model: 'models/DeepSeek-Coder-V2-Lite-Instruct-Q4_K_M.gguf', settings },
      defaults: { temperature: 0, seed: 42, 'max-tokens': 1024, 'min-tokens-per-second': 100 },
      cases: [
        {
          id: 'update-user-status',
          system: 'You are a senior Java developer.',
          prompt: 'Write updateUserStatus(userId, ActiveFlag, SystemDeleteFlag) ...',
          repeat: 3,
          assert: [
            { type: 'contains', value: '50001' },
            { type: 'not-regex', value: 'catch \\(.*\\) \\{\\s*return Result\\.error\\(50003' },
            { type: 'tokens-per-second', min: 120 }
          ]
        },
        {
          id: 'chat',
          'max-tokens': 64,
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'Say hi.' }
          ],
          assert: [{ type: 'ttft', max: 500 }]
        }
      ]
    } satisfies RawSuite
    expect(parse(await readFile(fixture('good.yml'), 'utf8'))).toEqual(raw)

    const suite = await loadSuite(fixture('good.yml'), 'good.yml')
    expect(suite.server).toEqual({ backend: 'llama.cpp', model: raw.server.model, settings, extraArgs: [] } satisfies Suite['server'])
    expect(suite.cases.map((c) => c.assertions)).toEqual(raw.cases.map((c) => c.assert))
    expect(suite.cases[1]!.messages).toEqual(raw.cases[1]!.messages)
  })

  it('give the built suite what it passes through unchanged', () => {
    // Built fields typed apart from the raw ones must still be the same types.
    const settingsPassThrough: Equal<NonNullable<NonNullable<RawSuite['server']>['settings']>, Suite['server']['settings']> = true
    const assertionsPassThrough: Equal<NonNullable<RawCase['assert']>[number], Assertion> = true
    const messagesPassThrough: Equal<NonNullable<RawCase['messages']>[number], ChatMessage> = true
    const backendPassThrough: Equal<NonNullable<RawSuite['server']>['backend'], Suite['server']['backend']> = true
    expect([settingsPassThrough, assertionsPassThrough, messagesPassThrough, backendPassThrough]).toEqual([true, true, true, true])
  })
})
