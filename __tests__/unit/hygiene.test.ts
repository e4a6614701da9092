// Hostile text and secrets against what modelgate writes: the Actions log (the real @actions/core,
// with stdout captured as the runner reads it), the CLI's lines, and the results file. Whether a
// line is a workflow command is judged by the runner's own rule, written out here.
import { beforeAll, describe, expect, it, jest } from '@jest/globals'
import { mkdtemp, readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createActionHost } from '../../src/host/action.js'
import { createCliHost } from '../../src/host/cli.js'
import { forLog, redactor, secretsInArgs, secretsInUrl, visibleControls } from '../../src/hygiene.js'
import { resultsOfBadInput } from '../../src/pipeline.js'
import { saveResultsFile } from '../../src/results-file.js'
import { splitArgs } from '../../src/server/llamacpp/flags.js'

/**
 * The lines of `output` the runner would read as workflow commands. It splits lines on \r and \n;
 * a line is a command when, after its leading white space, it starts with `::` and has a second
 * `::` (actions/runner ActionCommand.TryParseV2), or holds `##[name]` anywhere (the old TryParse).
 * .NET's culture-aware comparisons can skip default-ignorable characters, so a line is judged
 * with them too and without them.
 */
function commandLines(output: string): string[] {
  return output.split(/\r\n|\r|\n/).filter((line) =>
    [line, line.replace(/\p{Default_Ignorable_Code_Point}/gu, '')].some((form) => {
      const trimmed = form.trimStart()
      return (trimmed.startsWith('::') && trimmed.indexOf('::', 2) >= 0) || /##\[[^\]]*\]/.test(form)
    })
  )
}

/** The bidi controls and zero-width characters a reader cannot see. */
const BIDI = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c]
const ZERO_WIDTH = [0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x180e]
const INVISIBLE = [...BIDI, ...ZERO_WIDTH]
const shownAs = (code: number) => `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/

/**
 * Hostile text as a model id, a server's error message or an answer could carry it. These are
 * workflow commands as written, or once a colour code or a NUL between the colons is dropped.
 */
const COMMANDS: [string, string][] = [
  ['an error command', '::error::pwned'],
  ['an error command after a model id', 'model id: x\n::error::pwned'],
  ['a warning with a file and line', 'fine\n::warning file=x.js,line=1::y'],
  ['add-mask', 'x\n::add-mask::hidden'],
  ['set-output', 'x\n::set-output name=x::y'],
  ['stop-commands', 'x\n::stop-commands::x'],
  ['a group', '::group::x\n::endgroup::'],
  ['leading spaces', 'x\n    ::error::indented'],
  ['a leading tab', 'x\n\t::error::tab'],
  ['a leading no-break space', 'x\n\u00a0::error::nbsp'],
  ['a line separator', 'x\n\u2028::error::ls'],
  ['a carriage return', 'x\r::error::cr'],
  ['CR LF', 'x\r\n::error::crlf'],
  ['the old ##[ form mid-line', 'answer: ##[error]old form'],
  ['a soft hyphen between the colons', 'x\n:\u00ad:error::shy'],
  ['a zero-width space before the colons', 'x\n\u200b::error::zwsp'],
  ['ANSI between the colons', 'x\n:\x1b[0m:error::split'],
  ['NUL between the colons', ':\x00:error::nul'],
  ...BIDI.map((code): [string, string] => [`bidi ${shownAs(code)}`, `a${String.fromCharCode(code)}b\n::error::x`])
]

/** The whole corpus: the commands above, and escape sequences, controls and invisible characters. */
const HOSTILE: [string, string][] = [
  ...COMMANDS,
  ['an ANSI colour', '\x1b[31mred\x1b[0m'],
  ['an OSC 8 hyperlink', '\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\'],
  ['an OSC title', '\x1b]0;owned title\x07after'],
  ['an unterminated OSC', '\x1b]0;never ends'],
  ['a DCS string', '\x1bPq#0;2;0;0;0\x1b\\after'],
  ['a C1 CSI', '\x9b31mred\x9b0m'],
  ['a terminal reset', 'before\x1bcafter'],
  ['a backspace', 'ok\x08\x08no'],
  ['a sticky-comment marker', '<!-- modelgate:sticky-comment tag="x" -->'],
  ...ZERO_WIDTH.map((code): [string, string] => [`zero-width ${shownAs(code)}`, `a${String.fromCharCode(code)}b`])
]

const ORDINARY = [
  'Replaying 3 cases against qwen2.5-coder-7b at http://127.0.0.1:8080/v1',
  'std::vector<int> v; a :: b',
  'case "keeps-validation": 12.5 tokens/s\tpassed',
  'two\nlines, # and [brackets]',
  'café 日本語 👍'
]

describe('forLog', () => {
  it('leaves ordinary text as it is', () => {
    for (const text of ORDINARY) expect(forLog(text)).toBe(text)
  })

  it.each(COMMANDS)('%s is a command as written: the check below can fail', (_, text) => {
    // eslint-disable-next-line no-control-regex -- what a careless cleaner would drop
    expect(commandLines(text.replace(/\x1b\[[\d;]*m|\x00/g, ''))).not.toEqual([])
  })

  it.each(HOSTILE)('%s: no line is read as a command, no control character is left', (_, text) => {
    const logged = forLog(text)
    expect(commandLines(logged)).toEqual([])
    expect(logged).not.toMatch(CONTROL)
    for (const code of INVISIBLE) expect(logged).not.toContain(String.fromCharCode(code))
  })

  it.each([
    ['model id: x\n::error::pwned', 'model id: x\n\\::error::pwned'],
    ['  ::warning file=x.js,line=1::y', '  \\::warning file=x.js,line=1::y'],
    ['x\r::error::cr', 'x\n\\::error::cr'],
    ['answer: ##[error]old form', 'answer: ##\\[error]old form'],
    ['\x1b[31mred\x1b[0m', 'red'],
    ['\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\', 'click'],
    ['\x1b]0;owned title\x07after', 'after'],
    ['\x1b]0;never ends', '0;never ends'],
    ['\x9b31mred\x9b0m', 'red'],
    [':\x00:error::nul', '\\::error::nul'],
    ['a\u202eb', 'a<U+202E>b']
  ])('%j is logged as %j', (text, logged) => {
    expect(forLog(text)).toBe(logged)
  })
})

describe('visibleControls', () => {
  it.each(INVISIBLE.map((code) => [shownAs(code), code] as const))('%s is shown in prose, a table and a code block', (shown, code) => {
    const char = String.fromCharCode(code)
    const markdown = `a${char}b\n\n| case | answer |\n|---|---|\n| x${char} | y |\n\n\`\`\`ts\nconst ok = "${char}admin"\n\`\`\`\n`
    const visible = visibleControls(markdown)
    expect(visible).not.toContain(char)
    expect(visible.split(shown)).toHaveLength(4)
    expect(visible).toContain(`const ok = "${shown}admin"`)
  })

  it('shows every U+200D, inside an emoji sequence too', () => {
    expect(visibleControls('family 👨\u200d👩\u200d👧')).toBe('family 👨<U+200D>👩<U+200D>👧')
  })

  it.each(HOSTILE)('%s: none of the listed code points remains', (_, text) => {
    const visible = visibleControls(text)
    for (const code of INVISIBLE) {
      expect(visible).not.toContain(String.fromCharCode(code))
      if (text.includes(String.fromCharCode(code))) expect(visible).toContain(shownAs(code))
    }
  })

  it('leaves ordinary text as it is', () => {
    for (const text of ORDINARY) expect(visibleControls(text)).toBe(text)
  })
})

describe('secretsInUrl', () => {
  it('finds the userinfo password and its user, not a user alone', () => {
    expect(secretsInUrl('http://admin:hunter2@models.internal:8080/v1')).toEqual(expect.arrayContaining(['admin', 'hunter2']))
    expect(secretsInUrl('http://admin@models.internal:8080/v1')).toEqual([])
    expect(secretsInUrl('http://127.0.0.1:8080/v1')).toEqual([])
  })

  it.each(['api_key', 'apikey', 'api-key', 'key', 'token', 'access_token', 'auth', 'password', 'secret', 'sig', 'API_KEY', 'x-api-key', 'hf_token'])('finds the value of ?%s=', (name) => {
    expect(secretsInUrl(`http://h:8080/v1?model=qwen&${name}=v4lue-of-it#top`)).toEqual(['v4lue-of-it'])
  })

  it('gives a value both as written and decoded, also in the form the URL parser writes', () => {
    expect(secretsInUrl('http://h/v1?token=tok%2Fen%2B99')).toEqual(expect.arrayContaining(['tok%2Fen%2B99', 'tok/en+99']))
    expect(secretsInUrl('http://u:pa ss@h/v1')).toEqual(expect.arrayContaining(['pa ss', 'pa%20ss']))
  })

  it('searches text that is not a URL, as an error message quotes it', () => {
    expect(secretsInUrl('127.0.0.1:8080/v1?api_key=abcd1234')).toEqual(['abcd1234'])
  })

  it('leaves parameters that are not credentials', () => {
    expect(secretsInUrl('http://h/v1?model=qwen&monkey=banana&keyboard=us')).toEqual([])
  })
})

describe('secretsInArgs', () => {
  it('finds keys in both forms, and each key of a comma-separated list', () => {
    expect(secretsInArgs(['--port', '8081', '--api-key', 'k-two-word'])).toEqual(['k-two-word'])
    expect(secretsInArgs(['--api-key=k-one,k-two'])).toEqual(['k-one,k-two', 'k-one', 'k-two'])
    expect(secretsInArgs(['--hf-token=hf_x1', '-hft', 'hf_x2', '--api_key', 'k-underscore'])).toEqual(['hf_x1', 'hf_x2', 'k-underscore'])
  })

  it('does not take paths or other values for secrets', () => {
    expect(secretsInArgs(['--api-key-file', 'keys.txt', '--ssl-key-file', 'key.pem', '--alias', 'my model', '--api-key'])).toEqual([])
  })
})

describe('redactor', () => {
  it('replaces the longest secret first, so one inside another is hidden whole', () => {
    const secrets = redactor()
    secrets.add('abcd')
    secrets.add('abcdefgh')
    expect(secrets.redact('abcdefgh then abcd')).toBe('*** then ***')
  })

  it('hides the JSON-escaped and URL-encoded forms', () => {
    const secrets = redactor()
    secrets.add('p@ss"w\\rd/9')
    expect(secrets.redact(`raw p@ss"w\\rd/9 json ${JSON.stringify('p@ss"w\\rd/9')} url ${encodeURIComponent('p@ss"w\\rd/9')}`)).toBe('raw *** json "***" url ***')
  })

  it('ignores empty and very short secrets', () => {
    const secrets = redactor()
    secrets.add('')
    secrets.add('abc')
    expect(secrets.redact('abc is no secret')).toBe('abc is no secret')
  })
})

/** A secret as the run gets it (what the code masks) and a message carrying it; `hidden` must not show. */
interface SecretForm {
  secrets: () => string[]
  text: string
  hidden: string[]
}

const QUERY_NAMES = ['api_key', 'apikey', 'api-key', 'key', 'token', 'access_token', 'auth', 'password', 'secret', 'sig']
const QUERY_URL = `http://models.internal:8080/v1?${QUERY_NAMES.map((name, i) => `${name}=q${i}-value-${name}`).join('&')}`

const SECRET_FORMS: [string, SecretForm][] = [
  ['an api key', { secrets: () => ['sk-local-0123456789'], text: 'the model server refused the api-key sk-local-0123456789 (HTTP 401)', hidden: ['sk-local-0123456789'] }],
  [
    'a 401 body echoing the Bearer header',
    { secrets: () => ['sk-echo-abcdef'], text: 'HTTP 401: {"error":{"message":"Invalid Authorization: Bearer sk-echo-abcdef"}}', hidden: ['sk-echo-abcdef'] }
  ],
  [
    'a userinfo password in base-url',
    {
      secrets: () => secretsInUrl('http://admin:hunter2-pw@models.internal:8080/v1'),
      text: 'cannot reach the model server at http://admin:hunter2-pw@models.internal:8080/v1/models: ECONNREFUSED',
      hidden: ['hunter2-pw']
    }
  ],
  ['key-like query names in base-url', { secrets: () => secretsInUrl(QUERY_URL), text: `the model server at ${QUERY_URL} answered HTTP 404`, hidden: QUERY_NAMES.map((name, i) => `q${i}-value-${name}`) }],
  [
    '--api-key=K in extra-args',
    { secrets: () => secretsInArgs(splitArgs('--port 8081 --api-key=sk-eq-form-0123')), text: 'error: invalid argument: --api-key=sk-eq-form-0123', hidden: ['sk-eq-form-0123'] }
  ],
  [
    '--api-key K in extra-args',
    { secrets: () => secretsInArgs(splitArgs('--api-key sk-two-word-0123')), text: 'Starting llama-server --api-key sk-two-word-0123', hidden: ['sk-two-word-0123'] }
  ],
  ['--hf-token=K in extra-args', { secrets: () => secretsInArgs(['--hf-token=hf_abcdefghij']), text: 'download failed with token hf_abcdefghij', hidden: ['hf_abcdefghij'] }],
  [
    'a secret with a quote and a backslash',
    { secrets: () => ['pa"ss\\word-9'], text: 'the server said: bad password pa"ss\\word-9', hidden: ['pa"ss\\word-9', JSON.stringify('pa"ss\\word-9').slice(1, -1)] }
  ],
  [
    'a URL-encoded secret in base-url',
    {
      secrets: () => secretsInUrl('http://h:8080/v1?token=tok%2Fen%2B99'),
      text: 'GET http://h:8080/v1/models?token=tok%2Fen%2B99 failed; the server logged token tok/en+99',
      hidden: ['tok%2Fen%2B99', 'tok/en+99']
    }
  ],
  ['a masked secret written URL-encoded', { secrets: () => ['p@ss/w0rd'], text: 'cannot reach http://u:p%40ss%2Fw0rd@h:8080/v1', hidden: ['p@ss/w0rd', 'p%40ss%2Fw0rd'] }]
]

/** What the runner shows of stdout: a command's data unescaped, as it does (%0D, %0A, %25). */
function asShown(stdout: string): string {
  return stdout.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

/** Everything written to stdout while `act` runs: what @actions/core gives the runner. */
function stdoutOf(act: () => void): string {
  const chunks: string[] = []
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array) => {
    chunks.push(String(chunk))
    return true
  }) as typeof process.stdout.write)
  try {
    act()
  } finally {
    spy.mockRestore()
  }
  return chunks.join('')
}

describe('the action host', () => {
  it('logs info("model id: x\\n::error::pwned") with no line the runner reads as a command', () => {
    const stdout = stdoutOf(() => createActionHost({}).info('model id: x\n::error::pwned'))
    expect(stdout).toBe(`model id: x\n\\::error::pwned${os.EOL}`)
    expect(commandLines(stdout)).toEqual([])
  })

  it.each(HOSTILE)('info with %s: no command, no control character', (_, text) => {
    const stdout = stdoutOf(() => createActionHost({}).info(text))
    expect(commandLines(stdout)).toEqual([])
    expect(stdout).not.toMatch(CONTROL)
  })

  it('gives a warning as one command of its own, its message cleaned', () => {
    const stdout = stdoutOf(() => createActionHost({}).warn('server says \x1b[31mno\x1b[0m\n::error::pwned'))
    expect(commandLines(stdout)).toEqual(['::warning::server says no%0A\\::error::pwned'])
  })

  it('hides a secret that escape codes had split', () => {
    const host = createActionHost({})
    const stdout = stdoutOf(() => {
      host.mask('sk-colour-0123')
      host.info('key sk-col\x1b[1mour-0123 in the server log')
    })
    expect(stdout).toBe(`::add-mask::sk-colour-0123${os.EOL}key *** in the server log${os.EOL}`)
  })
})

describe('the CLI host', () => {
  it.each(HOSTILE)('writes %s without commands or control characters', (_, text) => {
    const lines: string[] = []
    const host = createCliHost((line) => lines.push(line), {})
    host.info(text)
    host.warn(text)
    expect(commandLines(lines.join(''))).toEqual([])
    expect(lines.join('')).not.toMatch(CONTROL)
  })
})

describe.each(SECRET_FORMS)('%s', (_, form) => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'modelgate-hygiene-'))
  })

  it('is hidden in the Actions log, in lines and warnings', () => {
    const host = createActionHost({ GITHUB_WORKSPACE: dir })
    const stdout = stdoutOf(() => {
      for (const secret of form.secrets()) host.mask(secret)
      host.info(form.text)
      host.warn(form.text)
    })
    const logged = stdout.split(os.EOL).filter((line) => line && !line.startsWith('::add-mask::'))
    expect(logged).toHaveLength(2)
    for (const line of logged) {
      expect(line).toContain('***')
      for (const secret of form.hidden) expect(asShown(line)).not.toContain(secret)
    }
  })

  it("is hidden in the CLI's lines", () => {
    const lines: string[] = []
    const host = createCliHost((line) => lines.push(line), { GITHUB_WORKSPACE: dir })
    for (const secret of form.secrets()) host.mask(secret)
    host.info(form.text)
    host.warn(form.text)
    expect(lines).toHaveLength(2)
    for (const line of lines) {
      expect(line).toContain('***')
      for (const secret of form.hidden) expect(line).not.toContain(secret)
    }
  })

  it('is hidden in the results file', async () => {
    const host = createCliHost(() => {}, { GITHUB_WORKSPACE: dir })
    for (const secret of form.secrets()) host.mask(secret)
    const written = await saveResultsFile('results.json', resultsOfBadInput('suite.yml', form.text), host)
    const text = await readFile(written!, 'utf8')
    for (const secret of form.hidden) expect(text).not.toContain(secret)
    expect((JSON.parse(text) as { reason: string }).reason).toMatch(/^Stopped early: .*\*\*\*/)
  })
})
