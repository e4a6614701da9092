// Text hygiene: what a model or a server says (answers, model ids, error messages, response
// bodies) is written into the Actions log, a Markdown comment and a JSON file, and any of it can
// be hostile. These pure functions find the secrets a run was given, hide them, and make text
// safe for the place it is written to; the hosts and the writers of each output apply them.
import type { RunResults } from './results.js'

/**
 * Shorter secrets are not redacted: replacing every "abc" would garble answers, numbers and
 * tables all through the report, and a value this short is found by trying anyway.
 */
const MIN_SECRET_LENGTH = 4

/** Query (or fragment) parameter names whose value is a credential, compared with `-` read as `_`. */
const SECRET_PARAMS = new Set(['api_key', 'apikey', 'key', 'token', 'access_token', 'auth', 'password', 'passwd', 'pwd', 'secret', 'sig', 'signature'])

/**
 * llama-server flags whose value is a secret. `--api-key-file` and `--ssl-key-file` take paths:
 * the path is no secret, and masking it would hide where the key is read from.
 */
const SECRET_FLAGS = new Set(['--api-key', '--hf-token', '-hft'])

function decoded(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function isSecretParam(name: string): boolean {
  const normal = decoded(name).toLowerCase().replace(/-/g, '_')
  // `x_api_key`, `hf_token`, `client_secret`: a known name after a prefix is one too.
  return SECRET_PARAMS.has(normal) || [...SECRET_PARAMS].some((secret) => normal.endsWith(`_${secret}`))
}

/**
 * The secrets written into a base URL: the userinfo's password (and its username, when there is
 * a password: `user:pass` is a credential pair) and the values of key-like query or fragment
 * parameters. Each both as written and URL-decoded, and as the URL parser re-encodes it, since
 * messages show the URL in any of these forms.
 */
export function secretsInUrl(url: string): string[] {
  const found = new Set<string>()
  const add = (value: string) => {
    for (const form of [value, decoded(value)]) if (form) found.add(form)
  }
  const forms = [url]
  try {
    forms.push(new URL(url).href)
  } catch {
    // Not a URL: its text, as an error message would quote it, is all there is to search.
  }
  for (const text of forms) {
    // The authority runs to the first / ? # (or \, which the parser reads as /); userinfo to its last @.
    const userinfo = /^[a-z][a-z\d+.-]*:\/\/([^/?#\\]*)@/i.exec(text)?.[1]
    const colon = userinfo?.indexOf(':') ?? -1
    if (userinfo !== undefined && colon >= 0) {
      add(userinfo.slice(0, colon))
      add(userinfo.slice(colon + 1))
    }
    for (const [, name = '', value = ''] of text.matchAll(/[?&;#]([^=&;#]*)=([^&;#]*)/g)) if (isSecretParam(name)) add(value)
  }
  return [...found]
}

/** A flag as llama-server looks it up: a long one with `_` read as `-`. */
function flagName(arg: string): string {
  return arg.startsWith('--') ? arg.replace(/_/g, '-') : arg
}

/**
 * The secrets in llama-server arguments, from `--api-key KEY` and `--api-key=KEY` (and the same
 * for `--hf-token`/`-hft`). llama-server reads `--api-key` as a comma-separated list, so each key
 * in it is a secret as well as the whole.
 */
export function secretsInArgs(args: readonly string[]): string[] {
  const found = new Set<string>()
  args.forEach((arg, i) => {
    const equals = arg.startsWith('-') ? arg.indexOf('=') : -1
    const name = flagName(equals >= 0 ? arg.slice(0, equals) : arg)
    if (!SECRET_FLAGS.has(name)) return
    const value = equals >= 0 ? arg.slice(equals + 1) : args[i + 1]
    if (!value) return
    found.add(value)
    if (name === '--api-key') for (const key of value.split(',')) if (key) found.add(key)
  })
  return [...found]
}

/**
 * Terminal escape sequences: CSI (ESC [ or U+009B, up to a final byte: colours, cursor moves);
 * OSC, DCS, SOS, PM and APC strings up to BEL or ST (titles, OSC 8 hyperlinks, whose link text
 * stays), never past a line end; and any other ESC sequence. An unterminated string loses its
 * introducer, and its payload stays as visible text.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const ESCAPE_SEQUENCE = /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)|\x1b[\x20-\x2f]*[\x30-\x7e]/g

/** C0 controls but tab and new line, DEL and C1 controls: what is left after the sequences go. */
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g

/**
 * Characters a reader cannot see, or that reorder what they see: bidi embeddings, overrides,
 * isolates and marks (U+061C, U+200E/F, U+202A–E, U+2066–9), zero-width characters (U+180E,
 * U+200B–D, U+2060–4, U+FEFF and the deprecated format characters up to U+206F), Unicode tags
 * (U+E0000–7F, which spell hidden ASCII), and C0/C1 controls but tab and line ends. Every U+200D
 * is shown, also inside an emoji sequence: a joiner in an emoji cannot be told from one hidden in
 * an identifier without guessing, and a visible `<U+200D>` in an emoji costs only looks.
 */
// eslint-disable-next-line no-control-regex -- control characters are among what this matches
const INVISIBLE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\u{e0000}-\u{e007f}]/gu

/**
 * Text with every invisible or reordering character (see INVISIBLE) replaced by its visible
 * `<U+202E>` form, everywhere: prose, table cells and code blocks alike, since a reviewer reads
 * the code block too and a bidi override there is the "Trojan source" trick.
 */
export function visibleControls(text: string): string {
  return text.replace(INVISIBLE, (char) => `<U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`)
}

/**
 * A line the runner reads as a command: after its leading white space (.NET `TrimStart`), it
 * starts with `::`. The runner's culture-aware `StartsWith` may skip default-ignorable
 * characters (ICU collation ignores a soft hyphen, a variation selector), so those may sit
 * between the colons.
 */
const COMMAND_START = /^([\s\p{Default_Ignorable_Code_Point}]*)(?=:\p{Default_Ignorable_Code_Point}*:)/u
/** The runner's older form, `##[command]`, is a command wherever it stands in the line. */
const OLD_COMMAND = /#(\p{Default_Ignorable_Code_Point}*)#(\p{Default_Ignorable_Code_Point}*)\[/gu

/**
 * What may be written to the Actions log (and a terminal): escape sequences and control
 * characters removed (a lone \r becomes a line end, as the runner splits lines on it), invisible
 * characters shown as `<U+…>`, and every line the runner would read as a workflow command made
 * inert by a backslash: `\::error::x`, and the old form, found anywhere in a line, as `##\[error]x`.
 * Escaping, rather than wrapping messages in `::stop-commands::TOKEN`, because it is a pure
 * function of the text, the same in every host and in tests, with no token to keep unguessable;
 * and a warning is itself a `::warning::` command, which a wrap would switch off. Text with none
 * of these passes unchanged.
 */
export function forLog(text: string): string {
  const plain = text.replace(/\r\n?/g, '\n').replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '')
  return visibleControls(plain)
    .split('\n')
    .map((line) => line.replace(COMMAND_START, '$1\\').replace(OLD_COMMAND, '#$1#$2\\['))
    .join('\n')
}

export interface Redactor {
  /** Hides `secret` in everything redacted from now on; empty and very short ones are ignored (see MIN_SECRET_LENGTH). */
  add(secret: string): void
  /** `text` with every added secret replaced by `***`, also in its JSON-escaped and URL-encoded forms. */
  redact(text: string): string
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The forms a secret is written in: as given, inside a JSON string (the results file), URL-encoded. */
function formsOf(secret: string): string[] {
  const forms = [secret, JSON.stringify(secret).slice(1, -1)]
  try {
    forms.push(encodeURIComponent(secret))
  } catch {
    // A lone surrogate has no URL-encoded form, and so cannot be written in one.
  }
  return forms
}

/**
 * Keeps the secrets of a run and hides them. All forms are replaced in one pass, longest first,
 * so a secret that contains another is hidden whole and no `***` is matched again.
 */
export function redactor(): Redactor {
  const forms = new Set<string>()
  let pattern: RegExp | undefined
  return {
    add(secret) {
      if (secret.length < MIN_SECRET_LENGTH) return
      for (const form of formsOf(secret)) forms.add(form)
      pattern = undefined
    },
    redact(text) {
      if (forms.size === 0) return text
      pattern ??= new RegExp([...forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g')
      return text.replace(pattern, '***')
    }
  }
}

/**
 * A message as a host writes it to the log or a terminal. Redacted before forLog, where a
 * secret is found as given (forLog could escape one that looks like a command), and after, where
 * one that escape codes had split is whole again.
 */
export function logLine(message: string, secrets: Pick<Redactor, 'redact'>): string {
  return secrets.redact(forLog(secrets.redact(message)))
}

/**
 * Markdown as it is written to the comment or the summary: every secret redacted, and bidi and
 * zero-width characters shown where they are, inside code too.
 */
export function markdownFor(markdown: string, host: Pick<Redactor, 'redact'>): string {
  return visibleControls(host.redact(markdown))
}

/**
 * The results with every secret redacted in their text, before any of it is rendered: Markdown
 * escaping would change a secret with `_` or `*` in it past what `redact` recognises.
 */
export function redactedResults(results: RunResults, host: Pick<Redactor, 'redact'>): RunResults {
  return JSON.parse(host.redact(JSON.stringify(results))) as RunResults
}
