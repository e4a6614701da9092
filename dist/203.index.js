export const id = 203;
export const ids = [203];
export const modules = {

/***/ 4203:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ main_run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 21 modules
var github = __webpack_require__(1758);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./src/github/actions-cache.ts
let loaded;
/** The module, loaded once. */
function actionsCache() {
    return (loaded ??= __webpack_require__.e(/* import() */ 691).then(__webpack_require__.bind(__webpack_require__, 1691)));
}
/**
 * Whether the job has a cache service; the module's own test, asked only when the runner set one
 * of the variables it reads (ACTIONS_CACHE_URL, or ACTIONS_RESULTS_URL for the v2 service).
 */
async function cacheAvailable(env = process.env) {
    if (!env.ACTIONS_CACHE_URL && !env.ACTIONS_RESULTS_URL)
        return false;
    return (await actionsCache()).isFeatureAvailable();
}

;// CONCATENATED MODULE: ./src/baseline/file.ts
// A results file used as the baseline (`baseline-file`): a downloaded artifact, a committed file.


class BaselineFileError extends Error {
    name = 'BaselineFileError';
}
/** Reads a results JSON as a baseline; a file that is not one is an error naming it. */
async function readBaselineFile(file, workspace, label) {
    const absolute = external_node_path_default().resolve(workspace, file);
    let text;
    try {
        text = await (0,promises_.readFile)(absolute, 'utf8');
    }
    catch (error) {
        throw new BaselineFileError(`${label} '${file}' cannot be read: ${error.code ?? error.message}`, { cause: error });
    }
    let results;
    try {
        results = JSON.parse(text);
    }
    catch (error) {
        throw new BaselineFileError(`${label} '${file}' is not JSON: ${error.message}`, { cause: error });
    }
    if (results?.schemaVersion !== 1 || !Array.isArray(results.cases)) {
        throw new BaselineFileError(`${label} '${file}' is not a modelgate results file (no schemaVersion 1 and cases)`);
    }
    return { results, info: infoOf(results, 'file', file) };
}
function infoOf(results, source, from) {
    const env = results.environment ?? {};
    return {
        source,
        from,
        ...(env.sha ? { sha: env.sha } : {}),
        ...(env.ref ? { ref: env.ref } : {}),
        ...(env.runUrl ? { runUrl: env.runUrl } : {}),
        finishedAt: results.finishedAt
    };
}

;// CONCATENATED MODULE: ./src/baseline/cache.ts
// Baselines in the Actions cache. Entries are immutable, so each save is a new key ending in the
// run id; a restore takes the newest entry by key prefix: the same suite on the same machine,
// else the same suite anywhere (to say why it is not comparable). A pull request can restore
// entries saved on its base branch and on the default branch, not those of other pull requests.




// Relative to the workspace, where @actions/cache archives from: the same path string on every
// runner, so the cache version (a hash of the paths) matches across them.
const CACHED_DIR = '.modelgate/baseline';
const RESULTS_NAME = 'results.json';
function baselineKeyPrefix(keys) {
    return `modelgate-baseline-v1-${keys.suite}-`;
}
function cacheStore(workspace, run) {
    const dir = external_node_path_default().join(workspace, CACHED_DIR);
    return {
        name: 'the Actions cache',
        async restore(keys) {
            if (!(await cacheAvailable()))
                return undefined;
            const sameMachine = `${baselineKeyPrefix(keys)}${keys.machine}-`;
            await (0,promises_.rm)(dir, { recursive: true, force: true });
            const key = await (await actionsCache()).restoreCache([CACHED_DIR], sameMachine, [sameMachine, baselineKeyPrefix(keys)]);
            if (!key)
                return undefined;
            const results = JSON.parse(await (0,promises_.readFile)(external_node_path_default().join(dir, RESULTS_NAME), 'utf8'));
            return { results, info: infoOf(results, 'cache', key) };
        },
        async save(results, keys) {
            if (!(await cacheAvailable()))
                throw new Error('the Actions cache service is not available to this job');
            const key = `${baselineKeyPrefix(keys)}${keys.machine}-${run.id}-${run.attempt}`;
            await (0,promises_.rm)(dir, { recursive: true, force: true });
            await (0,promises_.mkdir)(dir, { recursive: true });
            await (0,promises_.writeFile)(external_node_path_default().join(dir, RESULTS_NAME), `${JSON.stringify(results)}\n`);
            const id = await (await actionsCache()).saveCache([CACHED_DIR], key);
            // saveCache warns and gives -1 rather than throwing when the service refuses.
            if (id === -1)
                throw new Error(`the cache service did not store ${key}`);
            return key;
        }
    };
}

;// CONCATENATED MODULE: ./src/baseline/runner.ts
// A copy of the newest baseline on the runner itself. A self-hosted GPU runner keeps its tool
// cache between jobs, so a baseline survives there without the cache service (GHES without it,
// or a cache entry evicted after seven days unused).



function runnerStore(root) {
    const fileOf = (keys, machine = keys.machine) => external_node_path_default().join(root, keys.suite, `${machine}.json`);
    const read = async (file) => {
        try {
            const results = JSON.parse(await (0,promises_.readFile)(file, 'utf8'));
            return { results, info: infoOf(results, 'runner', file) };
        }
        catch {
            return undefined;
        }
    };
    return {
        name: "the runner's copy",
        async restore(keys) {
            const same = await read(fileOf(keys));
            if (same)
                return same;
            // Another machine's baseline only serves to say why it cannot be compared.
            const names = await (0,promises_.readdir)(external_node_path_default().join(root, keys.suite)).catch(() => []);
            const others = await Promise.all(names.filter((name) => name.endsWith('.json')).map(async (name) => ({ file: external_node_path_default().join(root, keys.suite, name), at: (await (0,promises_.stat)(external_node_path_default().join(root, keys.suite, name))).mtimeMs })));
            const newest = others.sort((a, b) => b.at - a.at)[0];
            return newest ? read(newest.file) : undefined;
        },
        async save(results, keys) {
            const file = fileOf(keys);
            await (0,promises_.mkdir)(external_node_path_default().dirname(file), { recursive: true });
            // Written whole, then moved: a job cancelled mid-write leaves the previous baseline intact.
            await (0,promises_.writeFile)(`${file}.tmp`, `${JSON.stringify(results)}\n`);
            await (0,promises_.rename)(`${file}.tmp`, file);
            return file;
        }
    };
}

;// CONCATENATED MODULE: ./src/baseline/action.ts
// Where a workflow run keeps baselines: the Actions cache, and on a self-hosted runner also a copy
// in its tool cache, which outlives the cache service's seven-day eviction and works without it.



function actionBaselines(env, context) {
    const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
    const stores = [cacheStore(workspace, { id: env.GITHUB_RUN_ID ?? '0', attempt: env.GITHUB_RUN_ATTEMPT ?? '1' })];
    if (env.RUNNER_TOOL_CACHE && env.RUNNER_ENVIRONMENT !== 'github-hosted')
        stores.push(runnerStore(external_node_path_default().join(env.RUNNER_TOOL_CACHE, 'modelgate-baselines')));
    const defaultBranch = context.payload.repository?.default_branch;
    return { stores, onDefaultBranch: context.eventName === 'push' && defaultBranch !== undefined && context.ref === `refs/heads/${defaultBranch}` };
}

;// CONCATENATED MODULE: ./src/hygiene.ts
/**
 * Shorter secrets are not redacted: replacing every "abc" would garble answers, numbers and
 * tables all through the report, and a value this short is found by trying anyway.
 */
const MIN_SECRET_LENGTH = 4;
/** Query (or fragment) parameter names whose value is a credential, compared with `-` read as `_`. */
const SECRET_PARAMS = new Set(['api_key', 'apikey', 'key', 'token', 'access_token', 'auth', 'password', 'passwd', 'pwd', 'secret', 'sig', 'signature']);
/**
 * llama-server flags whose value is a secret. `--api-key-file` and `--ssl-key-file` take paths:
 * the path is no secret, and masking it would hide where the key is read from.
 */
const SECRET_FLAGS = new Set(['--api-key', '--hf-token', '-hft']);
function decoded(text) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return text;
    }
}
function isSecretParam(name) {
    const normal = decoded(name).toLowerCase().replace(/-/g, '_');
    // `x_api_key`, `hf_token`, `client_secret`: a known name after a prefix is one too.
    return SECRET_PARAMS.has(normal) || [...SECRET_PARAMS].some((secret) => normal.endsWith(`_${secret}`));
}
/**
 * The secrets written into a base URL: the userinfo's password (and its username, when there is
 * a password: `user:pass` is a credential pair) and the values of key-like query or fragment
 * parameters. Each both as written and URL-decoded, and as the URL parser re-encodes it, since
 * messages show the URL in any of these forms.
 */
function secretsInUrl(url) {
    const found = new Set();
    const add = (value) => {
        for (const form of [value, decoded(value)])
            if (form)
                found.add(form);
    };
    const forms = [url];
    try {
        forms.push(new URL(url).href);
    }
    catch {
        // Not a URL: its text, as an error message would quote it, is all there is to search.
    }
    for (const text of forms) {
        // The authority runs to the first / ? # (or \, which the parser reads as /); userinfo to its last @.
        const userinfo = /^[a-z][a-z\d+.-]*:\/\/([^/?#\\]*)@/i.exec(text)?.[1];
        const colon = userinfo?.indexOf(':') ?? -1;
        if (userinfo !== undefined && colon >= 0) {
            add(userinfo.slice(0, colon));
            add(userinfo.slice(colon + 1));
        }
        for (const [, name = '', value = ''] of text.matchAll(/[?&;#]([^=&;#]*)=([^&;#]*)/g))
            if (isSecretParam(name))
                add(value);
    }
    return [...found];
}
/** A flag as llama-server looks it up: a long one with `_` read as `-`. */
function flagName(arg) {
    return arg.startsWith('--') ? arg.replace(/_/g, '-') : arg;
}
/**
 * The secrets in llama-server arguments, from `--api-key KEY` and `--api-key=KEY` (and the same
 * for `--hf-token`/`-hft`). llama-server reads `--api-key` as a comma-separated list, so each key
 * in it is a secret as well as the whole.
 */
function secretsInArgs(args) {
    const found = new Set();
    args.forEach((arg, i) => {
        const equals = arg.startsWith('-') ? arg.indexOf('=') : -1;
        const name = flagName(equals >= 0 ? arg.slice(0, equals) : arg);
        if (!SECRET_FLAGS.has(name))
            return;
        const value = equals >= 0 ? arg.slice(equals + 1) : args[i + 1];
        if (!value)
            return;
        found.add(value);
        if (name === '--api-key')
            for (const key of value.split(','))
                if (key)
                    found.add(key);
    });
    return [...found];
}
/**
 * Terminal escape sequences: CSI (ESC [ or U+009B, up to a final byte: colours, cursor moves);
 * OSC, DCS, SOS, PM and APC strings up to BEL or ST (titles, OSC 8 hyperlinks, whose link text
 * stays), never past a line end; and any other ESC sequence. An unterminated string loses its
 * introducer, and its payload stays as visible text.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const ESCAPE_SEQUENCE = /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)|\x1b[\x20-\x2f]*[\x30-\x7e]/g;
/** C0 controls but tab and new line, DEL and C1 controls: what is left after the sequences go. */
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
/**
 * Characters a reader cannot see, or that reorder what they see: bidi embeddings, overrides,
 * isolates and marks (U+061C, U+200E/F, U+202A–E, U+2066–9), zero-width characters (U+180E,
 * U+200B–D, U+2060–4, U+FEFF and the deprecated format characters up to U+206F), Unicode tags
 * (U+E0000–7F, which spell hidden ASCII), and C0/C1 controls but tab and line ends. Every U+200D
 * is shown, also inside an emoji sequence: a joiner in an emoji cannot be told from one hidden in
 * an identifier without guessing, and a visible `<U+200D>` in an emoji costs only looks.
 */
// eslint-disable-next-line no-control-regex -- control characters are among what this matches
const INVISIBLE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\u{e0000}-\u{e007f}]/gu;
/**
 * Text with every invisible or reordering character (see INVISIBLE) replaced by its visible
 * `<U+202E>` form, everywhere: prose, table cells and code blocks alike, since a reviewer reads
 * the code block too and a bidi override there is the "Trojan source" trick.
 */
function visibleControls(text) {
    return text.replace(INVISIBLE, (char) => `<U+${char.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}>`);
}
/**
 * A line the runner reads as a command: after its leading white space (.NET `TrimStart`), it
 * starts with `::`. The runner's culture-aware `StartsWith` may skip default-ignorable
 * characters (ICU collation ignores a soft hyphen, a variation selector), so those may sit
 * between the colons.
 */
const COMMAND_START = /^([\s\p{Default_Ignorable_Code_Point}]*)(?=:\p{Default_Ignorable_Code_Point}*:)/u;
/** The runner's older form, `##[command]`, is a command wherever it stands in the line. */
const OLD_COMMAND = /#(\p{Default_Ignorable_Code_Point}*)#(\p{Default_Ignorable_Code_Point}*)\[/gu;
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
function forLog(text) {
    const plain = text.replace(/\r\n?/g, '\n').replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
    return visibleControls(plain)
        .split('\n')
        .map((line) => line.replace(COMMAND_START, '$1\\').replace(OLD_COMMAND, '#$1#$2\\['))
        .join('\n');
}
function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
/** The forms a secret is written in: as given, inside a JSON string (the results file), URL-encoded. */
function formsOf(secret) {
    const forms = [secret, JSON.stringify(secret).slice(1, -1)];
    try {
        forms.push(encodeURIComponent(secret));
    }
    catch {
        // A lone surrogate has no URL-encoded form, and so cannot be written in one.
    }
    return forms;
}
/**
 * Keeps the secrets of a run and hides them. All forms are replaced in one pass, longest first,
 * so a secret that contains another is hidden whole and no `***` is matched again.
 */
function redactor() {
    const forms = new Set();
    let pattern;
    return {
        add(secret) {
            if (secret.length < MIN_SECRET_LENGTH)
                return;
            for (const form of formsOf(secret))
                forms.add(form);
            pattern = undefined;
        },
        redact(text) {
            if (forms.size === 0)
                return text;
            pattern ??= new RegExp([...forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
            return text.replace(pattern, '***');
        }
    };
}
/**
 * A message as a host writes it to the log or a terminal. Redacted before forLog, where a
 * secret is found as given (forLog could escape one that looks like a command), and after, where
 * one that escape codes had split is whole again.
 */
function logLine(message, secrets) {
    return secrets.redact(forLog(secrets.redact(message)));
}
/**
 * Markdown as it is written to the comment or the summary: every secret redacted, and bidi and
 * zero-width characters shown where they are, inside code too.
 */
function markdownFor(markdown, host) {
    return visibleControls(host.redact(markdown));
}
/**
 * The results with every secret redacted in their text, before any of it is rendered: Markdown
 * escaping would change a secret with `_` or `*` in it past what `redact` recognises.
 */
function redactedResults(results, host) {
    return JSON.parse(host.redact(JSON.stringify(results)));
}

;// CONCATENATED MODULE: ./src/host/cancel.ts
// Cancellation, shared by both hosts. A cancelled job sends SIGINT, waits 7.5 s, then SIGTERM and
// kills; a job timeout does the same; Ctrl-C sends SIGINT. The first signal aborts the run's
// AbortSignal: replay stops, what the run started is stopped, and the results measured so far are
// written everywhere, marked as cancelled. If that takes longer than the grace period, or a
// second signal comes, the hard stops run (they kill what was started) and the process exits as
// the signal meant.
/** How long a cancelled run has to write what it measured before it exits anyway: inside the runner's 7.5 s. */
const CANCEL_GRACE_MS = 6_000;
/** A wait that a cancelled run cut short; its message says what was cut, e.g. "cancelled by SIGINT while …". */
class CancelledError extends Error {
    constructor(signal, during) {
        super(`cancelled by ${String(signal.reason)} ${during}`);
        this.name = 'CancelledError';
    }
}
/** The exit status a shell gives a process ended by the signal. */
function exitCodeOf(signal) {
    return signal === 'SIGINT' ? 130 : 143;
}
function cancellation(exit = (code) => process.exit(code), graceMs = CANCEL_GRACE_MS) {
    const controller = new AbortController();
    const stops = new Set();
    let installed = false;
    const hardStop = (signal) => {
        for (const stop of [...stops]) {
            try {
                stop();
            }
            catch {
                // One failing cleanup must not keep the others from running.
            }
        }
        exit(exitCodeOf(signal));
    };
    const onSignal = (signal) => {
        if (controller.signal.aborted)
            return hardStop(signal);
        controller.abort(signal);
        // Unref'd: a run that finishes writing in time ends on its own.
        setTimeout(() => hardStop(signal), graceMs).unref();
    };
    const install = () => {
        if (installed)
            return;
        installed = true;
        for (const signal of ['SIGINT', 'SIGTERM'])
            process.on(signal, onSignal);
    };
    return {
        get signal() {
            install();
            return controller.signal;
        },
        onCancel(stop) {
            install();
            stops.add(stop);
            return () => void stops.delete(stop);
        }
    };
}

;// CONCATENATED MODULE: ./src/host/action.ts
// The host of a workflow step: messages through @actions/core (warnings become annotations),
// secrets masked by the runner, state kept for the post step, options named as inputs. Every
// line is redacted and made safe for the log first: the runner reads stdout for commands.



function createActionHost(env = process.env, baselines, models) {
    const secrets = redactor();
    const cancel = cancellation();
    // The case whose log group is open: each case's sample lines fold into one group of the log.
    let group;
    return {
        ...(baselines ? { baselines } : {}),
        ...(models ? { models } : {}),
        workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
        info: (message) => core/* info */.pq(logLine(message, secrets)),
        sampleLine: (caseId, line, last) => {
            if (group !== caseId) {
                if (group !== undefined)
                    core/* endGroup */.N4();
                core/* startGroup */.Oh(logLine(caseId, secrets));
                group = caseId;
            }
            core/* info */.pq(logLine(line, secrets));
            if (last) {
                core/* endGroup */.N4();
                group = undefined;
            }
        },
        // core.warning escapes line ends into the command's data; logLine still strips escape codes.
        warn: (message) => core/* warning */.$e(logLine(message, secrets)),
        mask: (secret) => {
            if (!secret)
                return;
            secrets.add(secret);
            // The runner too, even with one too short for redact: it masks the log itself, JSON and URL forms included.
            core/* setSecret */.Pq(secret);
        },
        redact: secrets.redact,
        saveState: (name, value) => core/* saveState */.LZ(name, value),
        optionLabel: (name) => `input '${name}'`,
        optionRef: (name) => `the input '${name}'`,
        reportAlsoIn: 'The job summary and the comment still hold the report.',
        // A getter: reading the signal is what installs the signal handlers.
        get cancelled() {
            return cancel.signal;
        },
        onCancel: cancel.onCancel
    };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
;// CONCATENATED MODULE: ./src/errors.ts
/**
 * Why a network call failed, in the words of its innermost cause: fetch wraps the real reason
 * ("fetch failed" around ECONNREFUSED, or around undici's "other side closed"). An errno code
 * reads best; undici's own codes (UND_ERR_…) do not, so their message is used instead.
 */
function rootCauseOf(error) {
    let current = error;
    for (let depth = 0; depth < 8 && current?.cause && typeof current.cause === 'object'; depth++)
        current = current.cause;
    const code = typeof current?.code === 'string' ? current.code : undefined;
    const message = typeof current?.message === 'string' ? current.message : String(error);
    return code && /^E[A-Z0-9]+$/.test(code) ? code : message;
}
/**
 * Causes that a server restarting, reloading or briefly overloaded gives, and that a moment later
 * may not: reset, refused, or closed before it answered ("socket hang up" in Node's http,
 * "other side closed" in undici's fetch).
 */
const PASSING_CAUSES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'socket hang up', 'other side closed']);
/** Whether the connection failed in a way that trying again may mend. */
function isPassingConnectionFault(error) {
    return PASSING_CAUSES.has(rootCauseOf(error));
}
function isConnectionRefused(error) {
    return rootCauseOf(error) === 'ECONNREFUSED';
}
/**
 * Node's fetch refuses, before it connects, the ports the fetch standard blocks (9, 6000,
 * 6665–6669, …), with the bare cause "bad port": said plainly, since no wait can change it.
 */
function badPortMessage(error, url) {
    if (rootCauseOf(error) !== 'bad port')
        return undefined;
    return `port ${new URL(url).port} is on the fetch standard's list of bad ports, which Node's fetch refuses to connect to; run the server on another port`;
}

;// CONCATENATED MODULE: ./src/version.ts
// Kept equal to package.json's version by a unit test; reading package.json at run time would
// make the bundler ship a copy of it in dist/.
const MODELGATE_VERSION = '0.1.0';

;// CONCATENATED MODULE: ./src/models/types.ts
class ModelFetchError extends Error {
    kind;
    constructor(kind, message, options) {
        super(message, options);
        this.kind = kind;
        this.name = 'ModelFetchError';
    }
}

;// CONCATENATED MODULE: ./src/models/fetch.ts
// Getting a model file by URL onto the runner, and keeping it there: the HTTP download (bearer
// token to the URL's own host only, redirects followed by hand, progress every few seconds), the
// sha256 computed while the bytes arrive, and the runner-local models folder, where a file only
// ever appears whole and verified, with a record beside it so a later run need not hash it again.








/** More hops than Hugging Face's two (repository rename, then the CDN) ever needs. */
const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Writes are gathered to this size: one system call per chunk of a fetch body is slow on a big file. */
const WRITE_BATCH_BYTES = 8 * 1024 * 1024;
/** A `.part` file this old is no live download's (each one is written to continuously): a killed job's. */
const STALE_PART_MS = 60 * 60 * 1000;
const SHA256 = /^[0-9a-f]{64}$/;
/** A URL as a message may show a hop nobody chose: without the query, where a CDN puts its signature. */
function shown(url) {
    return `${url.origin}${url.pathname}`;
}
function isModelUrl(text) {
    return /^https?:\/\//i.test(text);
}
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
/** Plain http would let anyone on the path swap the weights; it is allowed only where no one is. */
function allowedScheme(url) {
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname));
}
/** Parses the `model` option as a download URL: https, or http to a loopback host (tests, a local mirror). */
function parseModelUrl(text) {
    let url;
    try {
        url = new URL(text);
    }
    catch {
        throw new ModelFetchError('option', `model '${text}' is not a valid URL`);
    }
    if (!allowedScheme(url))
        throw new ModelFetchError('option', `model '${text}': a model is downloaded over https (http only from a loopback host)`);
    if (!fileNameOf(url))
        throw new ModelFetchError('option', `model '${text}' does not end in a file name (…/FILE.gguf)`);
    return url;
}
/** The file's name as the URL's last path segment gives it: llama-server shows it as the model's alias. */
function fileNameOf(url) {
    let last = url.pathname.split('/').pop() ?? '';
    try {
        last = decodeURIComponent(last);
    }
    catch {
        // Left encoded: still a usable name.
    }
    return last.replace(/[\\/:*?"<>|]|\p{Cc}/gu, '_').replace(/^\.+/, '');
}
/** The pin as a comparable value: lower-case hex, or an error naming the option. */
function normalPin(pin, optionRef) {
    const value = pin?.trim().toLowerCase();
    if (!value)
        return undefined;
    if (!SHA256.test(value))
        throw new ModelFetchError('option', `${optionRef('model-sha256')} must be 64 hexadecimal digits (a sha256), not '${pin}'`);
    return value;
}
/**
 * The models folder. A self-hosted runner keeps its tool cache between jobs, so a model
 * downloaded once stays; a GitHub-hosted runner is new each job, so a temporary folder will do
 * (the Actions cache carries the model between jobs there). The CLI keeps models in the user's cache.
 */
function fetch_modelsDirOf(env, entry) {
    if (entry === 'cli')
        return external_node_path_default().join(env.XDG_CACHE_HOME || external_node_path_default().join(external_node_os_default().homedir(), '.cache'), 'modelgate', 'models');
    if (env.RUNNER_TOOL_CACHE && env.RUNNER_ENVIRONMENT !== 'github-hosted')
        return external_node_path_default().join(env.RUNNER_TOOL_CACHE, 'modelgate-models');
    return external_node_path_default().join(env.RUNNER_TEMP || external_node_os_default().tmpdir(), 'modelgate-models');
}
function urlHashOf(url) {
    return (0,external_node_crypto_.createHash)('sha256').update(url.href).digest('hex');
}
function localPathsOf(dir, url) {
    const folder = external_node_path_default().join(dir, urlHashOf(url).slice(0, 16));
    const file = external_node_path_default().join(folder, fileNameOf(url));
    return { folder, file, record: `${file}.modelgate.json` };
}
/**
 * A temporary name beside `target`, so the final rename never crosses file systems. The leading
 * dot keeps it apart from every model's name (fileNameOf strips one).
 */
function partOf(target) {
    return external_node_path_default().join(external_node_path_default().dirname(target), `.${external_node_path_default().basename(target)}.${(0,external_node_crypto_.randomUUID)().slice(0, 8)}.part`);
}
/** A temporary name for the model while it is written: whole and verified, it is renamed. */
function partNameOf(paths) {
    return partOf(paths.file);
}
/** Makes the folder, and removes what killed jobs left half-written in it. */
async function prepareFolder(paths) {
    await (0,promises_.mkdir)(paths.folder, { recursive: true });
    const now = Date.now();
    for (const name of await (0,promises_.readdir)(paths.folder)) {
        if (!name.startsWith('.') || !name.endsWith('.part'))
            continue;
        const part = external_node_path_default().join(paths.folder, name);
        const info = await (0,promises_.stat)(part).catch(() => undefined);
        if (info && now - info.mtimeMs > STALE_PART_MS)
            await (0,promises_.rm)(part, { force: true });
    }
}
async function readRecord(file) {
    try {
        const record = JSON.parse(await (0,promises_.readFile)(file, 'utf8'));
        if (typeof record.sha256 === 'string' && typeof record.bytes === 'number' && typeof record.mtimeMs === 'number')
            return record;
    }
    catch {
        // Missing or unreadable: the file is then judged by its hash alone.
    }
    return undefined;
}
function cancelled(what) {
    return new ModelFetchError('cancelled', `${what} was cancelled`);
}
/** The sha256 of a file on disk, stopping when the run is cancelled. */
async function hashFile(file, signal) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    try {
        for await (const chunk of (0,external_node_fs_.createReadStream)(file, { highWaterMark: 4 * 1024 * 1024, ...(signal ? { signal } : {}) }))
            hash.update(chunk);
    }
    catch (error) {
        if (signal?.aborted)
            throw cancelled(`hashing ${file}`);
        throw error;
    }
    return hash.digest('hex');
}
async function writeRecord(paths, record) {
    const part = partOf(paths.record);
    try {
        await (0,promises_.writeFile)(part, `${JSON.stringify(record, null, 2)}\n`);
        await (0,promises_.rename)(part, paths.record);
    }
    finally {
        await (0,promises_.rm)(part, { force: true });
    }
}
function recordOf(url, verified, info) {
    return { url: shown(url), sha256: verified.sha256, bytes: info.size, mtimeMs: info.mtimeMs, pinned: verified.pinned };
}
/**
 * Makes a verified temporary file the model; gives its size. The record goes first, naming the
 * temporary file's size and mtime (a rename keeps both): if the job dies between the two, the
 * record describes a file that is not there, which counts as no copy at all.
 */
async function commitFile(part, paths, url, verified) {
    const info = await (0,promises_.stat)(part);
    await writeRecord(paths, recordOf(url, verified, info));
    await (0,promises_.rename)(part, paths.file);
    return info.size;
}
async function discard(paths) {
    await Promise.all([(0,promises_.rm)(paths.file, { force: true }), (0,promises_.rm)(paths.record, { force: true })]);
}
/**
 * The model already in the folder, if it is the right one. A record whose size and mtime match
 * the file is trusted without reading gigabytes; a file changed since, or never recorded, is
 * hashed against the pin (or the recorded hash), and removed if it fails.
 */
async function localCopyOf(paths, url, pin, report, signal) {
    const [info, record] = await Promise.all([(0,promises_.stat)(paths.file).catch(() => undefined), readRecord(paths.record)]);
    if (!info?.isFile())
        return undefined;
    if (record && record.bytes === info.size && record.mtimeMs === info.mtimeMs) {
        if (!pin || record.sha256 === pin)
            return { sha256: record.sha256, bytes: info.size };
        // Still a good copy of the URL's file: kept until a verified one replaces it, so a mistyped
        // pin does not cost the runner its copy.
        report(`The runner's copy ${paths.file} has sha256 ${record.sha256}, not the pinned ${pin}: fetching the model again`);
        return undefined;
    }
    const expected = pin ?? record?.sha256;
    if (!expected) {
        report(`The runner's copy ${paths.file} has no record of a verified download: fetching the model again`);
        await discard(paths);
        return undefined;
    }
    report(`Verifying ${paths.file} (${formatBytes(info.size)}): it changed since it was recorded`);
    const sha256 = await hashFile(paths.file, signal);
    if (sha256 !== expected) {
        report(`The runner's copy ${paths.file} has sha256 ${sha256}, not ${expected}: fetching the model again`);
        await discard(paths);
        return undefined;
    }
    await writeRecord(paths, recordOf(url, { sha256, pinned: pin !== undefined }, info));
    return { sha256, bytes: info.size };
}
function formatBytes(bytes) {
    return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
function formatDuration(ms) {
    const seconds = Math.round(ms / 1000);
    if (seconds < 60)
        return `${seconds} s`;
    const minutes = Math.floor(seconds / 60);
    return minutes < 60 ? `${minutes} min ${String(seconds % 60).padStart(2, '0')} s` : `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
function rate(bytes, ms) {
    return `${(bytes / 1e6 / Math.max(ms / 1000, 0.001)).toFixed(1)} MB/s`;
}
function announcedSha256(headers) {
    const etag = headers.get('x-linked-etag')?.replace(/^W\//, '').replace(/"/g, '').toLowerCase();
    return etag && SHA256.test(etag) ? etag : undefined;
}
function statusError(status, statusText, at, first, token, optionRef) {
    const answered = `${at.origin === first.origin ? first.href : shown(at)} answered ${status}${statusText ? ` ${statusText}` : ''}`;
    if ((status === 401 || status === 403) && at.origin === first.origin) {
        const advice = token
            ? `the token in ${optionRef('hf-token')} was refused or cannot read this repository: for a gated model, accept its conditions on the model's page with the token's account, and give the token read access`
            : `the repository is gated or private: accept its conditions on the model's page and set ${optionRef('hf-token')} to a token that can read it (a secret, e.g. \${{ secrets.HF_TOKEN }})`;
        return new ModelFetchError('auth', `${answered}: ${advice}`);
    }
    if (status === 404)
        return new ModelFetchError('not-found', `${answered}: no file at that URL (check the repository, the revision and the file name)`);
    return new ModelFetchError('refused', `${answered} while downloading the model from ${first.href}`);
}
/**
 * Downloads `url` to `to`, which it creates and fsyncs, computing the sha256 as the bytes
 * arrive. Redirects are followed by hand so the token never leaves the URL's origin (Hugging
 * Face answers with a signed CDN URL that needs none). The caller removes `to` if this throws.
 */
async function download(url, to, options) {
    const { token, signal, report, optionRef } = options;
    const stop = new AbortController();
    let stalled = false;
    let stallTimer;
    const armStallTimer = () => {
        clearTimeout(stallTimer);
        stallTimer = setTimeout(() => {
            stalled = true;
            stop.abort();
        }, options.stallTimeoutMs);
    };
    const onAbort = () => stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const failure = (error, phase, at) => {
        if (error instanceof ModelFetchError)
            return error;
        if (signal?.aborted)
            return cancelled(`the download of ${url.href}`);
        if (stalled)
            return new ModelFetchError('stalled', `the download of ${url.href} stalled: nothing came for ${options.stallTimeoutMs / 1000} s while ${phase} ${at.host}`, { cause: error });
        return new ModelFetchError('connection', `could not download ${url.href}: ${rootCauseOf(error)} while ${phase} ${at.host}`, { cause: error });
    };
    const file = await (0,promises_.open)(to, 'wx');
    try {
        if (signal?.aborted)
            throw cancelled(`the download of ${url.href}`);
        let target = url;
        let announced;
        let response;
        for (let hops = 0;; hops++) {
            const headers = { 'accept-encoding': 'identity', 'user-agent': `modelgate/${MODELGATE_VERSION}` };
            if (token && target.origin === url.origin)
                headers.authorization = `Bearer ${token}`;
            armStallTimer();
            try {
                response = await fetch(target, { headers, redirect: 'manual', signal: stop.signal });
            }
            catch (error) {
                throw failure(error, 'connecting to', target);
            }
            if (!REDIRECTS.has(response.status))
                break;
            await response.body?.cancel();
            announced ??= announcedSha256(response.headers);
            const location = response.headers.get('location');
            if (!location)
                throw new ModelFetchError('refused', `${shown(target)} answered ${response.status} without a Location to follow`);
            if (hops + 1 > MAX_REDIRECTS)
                throw new ModelFetchError('redirects', `${url.href} redirected more than ${MAX_REDIRECTS} times (last to ${shown(new URL(location, target))})`);
            const next = new URL(location, target);
            if (!allowedScheme(next))
                throw new ModelFetchError('redirects', `${url.href} redirected to ${shown(next)}, which is not https`);
            target = next;
        }
        if (!response.ok) {
            await response.body?.cancel();
            throw statusError(response.status, response.statusText, target, url, token, optionRef);
        }
        announced ??= announcedSha256(response.headers);
        // A body the server compressed anyway is measured after decoding, so its length says nothing.
        const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
        const length = encoded ? undefined : Number(response.headers.get('content-length') ?? Number.NaN);
        const total = length !== undefined && Number.isFinite(length) ? length : undefined;
        if (total !== undefined) {
            const space = await (0,promises_.statfs)(external_node_path_default().dirname(to));
            const free = space.bavail * space.bsize;
            if (total > free) {
                await response.body?.cancel();
                throw new ModelFetchError('disk', `the model is ${formatBytes(total)} but ${external_node_path_default().dirname(to)} has ${formatBytes(free)} free`);
            }
        }
        report(`Downloading ${url.href}${total !== undefined ? ` (${formatBytes(total)})` : ''} into ${external_node_path_default().dirname(to)}`);
        const hash = (0,external_node_crypto_.createHash)('sha256');
        const started = Date.now();
        let received = 0;
        let lastLine = started;
        let batch = [];
        let batchBytes = 0;
        const flush = async () => {
            if (batchBytes === 0)
                return;
            try {
                await file.writev(batch);
            }
            catch (error) {
                throw new ModelFetchError('disk', `could not write the model to ${to}: ${rootCauseOf(error)}`, { cause: error });
            }
            batch = [];
            batchBytes = 0;
        };
        try {
            for await (const chunk of response.body ?? []) {
                armStallTimer();
                const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
                hash.update(bytes);
                batch.push(bytes);
                batchBytes += bytes.length;
                received += bytes.length;
                if (batchBytes >= WRITE_BATCH_BYTES)
                    await flush();
                const now = Date.now();
                if (now - lastLine >= options.progressEveryMs) {
                    lastLine = now;
                    report(progressLine(fileNameOf(url), received, total, now - started));
                }
            }
        }
        catch (error) {
            if (!(error instanceof ModelFetchError) && !signal?.aborted && !stalled && total !== undefined && received < total) {
                throw new ModelFetchError('truncated', `the download of ${url.href} broke off after ${received} of ${total} bytes (${rootCauseOf(error)})`, { cause: error });
            }
            throw failure(error, 'receiving it from', target);
        }
        if (total !== undefined && received !== total) {
            throw new ModelFetchError('truncated', `the download of ${url.href} ended after ${received} of the ${total} bytes its Content-Length announced`);
        }
        await flush();
        await file.sync();
        const elapsed = Date.now() - started;
        report(`Downloaded ${formatBytes(received)} in ${formatDuration(elapsed)} (${rate(received, elapsed)})`);
        return { sha256: hash.digest('hex'), bytes: received, ...(announced ? { announcedSha256: announced } : {}) };
    }
    finally {
        clearTimeout(stallTimer);
        signal?.removeEventListener('abort', onAbort);
        await file.close();
    }
}
/** `model.gguf: 41% (512.0 MB of 1.25 GB), 88.2 MB/s, ETA 8 s`: what a few-seconds line says. */
function progressLine(name, received, total, elapsedMs) {
    const speed = rate(received, elapsedMs);
    if (total === undefined || total === 0)
        return `${name}: ${formatBytes(received)} so far, ${speed}`;
    const left = ((total - received) / Math.max(received, 1)) * elapsedMs;
    return `${name}: ${Math.floor((received / total) * 100)}% (${formatBytes(received)} of ${formatBytes(total)}), ${speed}, ETA ${formatDuration(left)}`;
}

;// CONCATENATED MODULE: ./src/models/cache.ts
// Models in the Actions cache, so a fresh runner restores a model from GitHub's cache instead of
// downloading it from the internet again. One entry holds one model file, keyed by the URL's hash
// and the pin; entries are immutable, so a model is saved once per key. The action's entry point
// gives this store to the stages through RunHost.models (src/models/types.ts ModelHost).




// Relative to the workspace, where @actions/cache archives from, and the same for every model:
// the cache version is a hash of the path strings, so it then matches on every runner, wherever
// its models folder is. The file is staged here and moved to the models folder.
const STAGED_DIR = '.modelgate/model-cache';
const STAGED_FILE = `${STAGED_DIR}/model.gguf`;
/** Moves or links `from` to `to`, copying when they are on different file systems. */
async function place(from, to, how) {
    try {
        await (how === 'move' ? (0,promises_.rename)(from, to) : (0,promises_.link)(from, to));
    }
    catch (error) {
        if (error.code !== 'EXDEV')
            throw error;
        await (0,promises_.copyFile)(from, to);
        if (how === 'move')
            await (0,promises_.rm)(from, { force: true });
    }
}
/**
 * The Actions cache as a ModelStore. The @actions/cache client resolves the staged path against
 * the working directory and archives relative to `workspace`: in a workflow step both are
 * GITHUB_WORKSPACE.
 */
function modelCacheStore(workspace) {
    const stagedDir = external_node_path_default().join(workspace, STAGED_DIR);
    const staged = external_node_path_default().join(workspace, STAGED_FILE);
    return {
        name: 'the Actions cache',
        async restore(keys, file) {
            if (!(await cacheAvailable()))
                return undefined;
            await (0,promises_.rm)(stagedDir, { recursive: true, force: true });
            try {
                // restoreCache warns and gives undefined when a download or the extraction fails.
                const matched = await (await actionsCache()).restoreCache([STAGED_FILE], keys.primary, keys.restore);
                if (matched)
                    await place(staged, file, 'move');
                return matched;
            }
            finally {
                await (0,promises_.rm)(stagedDir, { recursive: true, force: true });
            }
        },
        async save(key, file) {
            if (!(await cacheAvailable()))
                throw new Error('the Actions cache service is not available to this job');
            await (0,promises_.rm)(stagedDir, { recursive: true, force: true });
            await (0,promises_.mkdir)(stagedDir, { recursive: true });
            try {
                // A hard link: the archive is read from it, and a multi-gigabyte copy is not made.
                await place(file, staged, 'link');
                const id = await (await actionsCache()).saveCache([STAGED_FILE], key);
                // saveCache logs and gives -1 rather than throwing when the service refuses (a read-only
                // token, another job saving the same key, an entry over the repository's cache size).
                if (id === -1)
                    throw new Error(`the cache service did not store ${key}`);
                return key;
            }
            finally {
                await (0,promises_.rm)(stagedDir, { recursive: true, force: true });
            }
        }
    };
}
/** What the action's entry point gives for models: the runner's models folder and the Actions cache. */
function actionModels(env) {
    return { dir: fetch_modelsDirOf(env, 'action'), store: modelCacheStore(env.GITHUB_WORKSPACE ?? process.cwd()) };
}

;// CONCATENATED MODULE: ./src/server/probe.ts
// What answers at a base URL, read off the endpoints each engine alone has: llama-server's
// /props (with `build_info`) and LM Studio's /api/v0/models.


/** The server answered, and what it said ends the wait: no retry can change it. */
class ServerAnswerError extends Error {
    name = 'ServerAnswerError';
}
/** `http://host:1234` or `http://host:1234/` becomes `http://host:1234/v1`; a given path is kept. */
function normaliseBaseUrl(raw) {
    let url;
    try {
        url = new URL(raw);
    }
    catch {
        throw new Error(`base-url '${raw}' is not a URL (expected e.g. http://127.0.0.1:8080/v1)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new Error(`base-url '${raw}' must be http:// or https://`);
    const trimmed = url.pathname.replace(/\/+$/, '');
    url.pathname = trimmed === '' ? '/v1' : trimmed;
    return url.toString().replace(/\/$/, '');
}
/** The server's root: the base URL without its trailing /v1. */
function originOf(baseUrl) {
    return baseUrl.replace(/\/v1$/, '');
}
async function getJson(url, apiKey, timeoutMs) {
    const response = await fetch(url, {
        headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : {},
        signal: AbortSignal.timeout(timeoutMs)
    });
    const text = await response.text();
    try {
        return { status: response.status, body: JSON.parse(text) };
    }
    catch {
        return { status: response.status, body: undefined };
    }
}
function describeFetchError(url, error) {
    return `cannot reach the model server at ${url}: ${rootCauseOf(error)}`;
}
/**
 * How long a refused connection is tried again. llama-server and LM Studio listen before they
 * load a model (and answer 503 meanwhile), so a port still refusing after this has no server
 * starting behind it, and the rest of server-timeout would be spent for nothing.
 */
const REFUSED_GIVE_UP_MS = 30_000;
/** How often a wait says it is still waiting. */
const WAIT_NOTICE_EVERY_MS = 15_000;
const seconds = (ms) => (ms < 950 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);
/**
 * Waits until the server answers its model list, then tells which engine it is. llama-server
 * answers 503 on every path while it loads the model, so 503 means "not yet", not "broken".
 */
async function probeServer(baseUrl, apiKey, timeoutMs, waits = {}) {
    const modelsUrl = `${baseUrl}/models`;
    const startedAt = Date.now();
    const deadline = startedAt + timeoutMs;
    const refusedGiveUpMs = Math.min(waits.refusedGiveUpMs ?? REFUSED_GIVE_UP_MS, timeoutMs);
    let refusedSince;
    // What the wait last said: a new reason to wait is said at once, the same one every WAIT_NOTICE_EVERY_MS.
    let noticed;
    const notice = (reason, message) => {
        const now = Date.now();
        if (noticed?.reason === reason && now - noticed.at < WAIT_NOTICE_EVERY_MS)
            return;
        waits.onWait?.(message);
        noticed = { reason, at: now };
    };
    let models;
    for (;;) {
        if (waits.signal?.aborted)
            throw new CancelledError(waits.signal, `while waiting for the model server at ${baseUrl}`);
        try {
            models = await getJson(modelsUrl, apiKey, Math.max(1000, Math.min(10_000, deadline - Date.now())));
            refusedSince = undefined;
            if (models.status !== 503)
                break;
            const waited = Date.now() - startedAt;
            if (waited >= timeoutMs)
                throw new ServerAnswerError(`the model server at ${baseUrl} was still loading after ${seconds(timeoutMs)} (503 from ${modelsUrl})`);
            const still = waited < 1000 ? 'is loading its model' : `is still loading its model after ${seconds(waited)}`;
            notice('loading', `the model server at ${baseUrl} ${still} (503 from ${modelsUrl}); waiting up to ${seconds(timeoutMs)}`);
        }
        catch (error) {
            if (error instanceof ServerAnswerError)
                throw error;
            const badPort = badPortMessage(error, modelsUrl);
            if (badPort)
                throw new Error(badPort, { cause: error });
            const now = Date.now();
            if (isConnectionRefused(error)) {
                refusedSince ??= now;
                if (now - refusedSince >= refusedGiveUpMs) {
                    const { port, protocol } = new URL(baseUrl);
                    const advice = waits.refusedAdvice ? ` ${waits.refusedAdvice}` : '';
                    throw new Error(`nothing is listening at ${baseUrl} (connection refused for ${seconds(now - refusedSince)}): is the model server running, and is ${port || (protocol === 'https:' ? 443 : 80)} its port?${advice}`, { cause: error });
                }
                notice('refused', `nothing is listening at ${baseUrl} yet (connection refused); waiting up to ${seconds(refusedGiveUpMs)} for a server to start there`);
            }
            else if (now >= deadline)
                throw new Error(describeFetchError(modelsUrl, error), { cause: error });
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
    if (models.status === 401 || models.status === 403) {
        throw new Error(`the model server at ${baseUrl} refused the api-key (HTTP ${models.status} from ${modelsUrl})`);
    }
    if (models.status !== 200)
        throw new Error(`the model server at ${baseUrl} answered HTTP ${models.status} for ${modelsUrl}; is this an OpenAI-compatible /v1 URL?`);
    const data = models.body?.data;
    if (!Array.isArray(data))
        throw new Error(`the model server at ${baseUrl} answered ${modelsUrl} without a model list; is this an OpenAI-compatible /v1 URL?`);
    const listed = data.map((m) => m.id).filter((id) => typeof id === 'string');
    const origin = originOf(baseUrl);
    const props = await getJson(`${origin}/props`, apiKey, 5000).catch(() => undefined);
    const buildInfo = props?.body?.build_info;
    if (props?.status === 200 && typeof buildInfo === 'string') {
        return { engine: 'llama.cpp', build: buildInfo, loadedModels: listed };
    }
    // LM Studio 0.4's REST API lists each model with its loaded instances; 0.3's lists a state.
    const lmRest = await getJson(`${origin}/api/v1/models`, apiKey, 5000).catch(() => undefined);
    const restModels = lmRest?.body?.models;
    if (lmRest?.status === 200 && Array.isArray(restModels) && restModels.every((m) => typeof m.key === 'string' && Array.isArray(m.loaded_instances))) {
        return { engine: 'lmstudio', loadedModels: restModels.flatMap((m) => m.loaded_instances.map((i) => String(i.id))) };
    }
    const lmModels = await getJson(`${origin}/api/v0/models`, apiKey, 5000).catch(() => undefined);
    const lmData = lmModels?.body?.data;
    if (lmModels?.status === 200 && Array.isArray(lmData)) {
        const loaded = lmData.filter((m) => m.state === 'loaded').map((m) => String(m.id));
        return { engine: 'lmstudio', loadedModels: loaded };
    }
    return { engine: 'openai-compatible', loadedModels: listed };
}

;// CONCATENATED MODULE: ./src/server/connect.ts


/** The connect driver; tests shorten how long a refused port is tried again. */
function makeConnectDriver(waits = {}) {
    return {
        options: [{ name: 'base-url', value: ' URL', description: 'OpenAI-compatible URL for connect (e.g. http://127.0.0.1:8080/v1)' }],
        readOptions: (read) => ({ baseUrl: read('base-url') || undefined }),
        start: (request) => startConnect(request, waits)
    };
}
const connectDriver = makeConnectDriver();
async function startConnect({ host, options, server, model: requested, apiKey, readyTimeoutMs }, waits) {
    const given = options.baseUrl ?? server.baseUrl;
    if (!given)
        throw new Error(`server 'connect' needs a base URL: set ${host.optionRef('base-url')} or server.base-url in the suite`);
    // A key in the URL (user:pass@, ?api_key=) is hidden before any message can quote the URL.
    for (const secret of secretsInUrl(given))
        host.mask(secret);
    const baseUrl = normaliseBaseUrl(given);
    // Waits are said through the host; nothing at the port is most often a server never started.
    const info = await probeServer(baseUrl, apiKey, readyTimeoutMs, {
        ...waits,
        onWait: (message) => host.info(message),
        signal: host.cancelled,
        refusedAdvice: `With llama.cpp, set ${host.optionRef('server')} (or server.backend in the suite) to llama.cpp and modelgate starts llama-server itself.`
    });
    const model = chooseModel(host, requested, info.loadedModels, info.engine, baseUrl);
    const notApplied = Object.keys(server.settings).map((setting) => ({
        setting,
        reason: 'connect mode uses the server as it is running; start it with these settings or use server llama.cpp/lmstudio'
    }));
    if (notApplied.length > 0)
        host.warn(`connect mode does not apply server.settings (${notApplied.map((n) => n.setting).join(', ')})`);
    // LM Studio adds its own figures (`stats`) only on its /api/v0 variant of the OpenAI API.
    const replayUrl = info.engine === 'lmstudio' ? baseUrl.replace(/\/v1$/, '/api/v0') : baseUrl;
    const report = {
        backend: 'connect',
        engine: info.engine,
        baseUrl: replayUrl,
        model,
        settings: { ...server.settings },
        ...(info.build ? { build: info.build } : {}),
        ...(notApplied.length ? { notApplied } : {})
    };
    return {
        backend: 'connect',
        engine: info.engine,
        baseUrl: replayUrl,
        apiKey: apiKey ?? '',
        model,
        report: () => report,
        stop: async () => { }
    };
}
function chooseModel(host, requested, loaded, engine, baseUrl) {
    if (requested) {
        if (!loaded.includes(requested)) {
            if (engine === 'llama.cpp' && loaded.length > 0) {
                // llama-server ignores the request's model field: say which model really answers.
                host.warn(`llama-server at ${baseUrl} serves ${loaded.join(', ')}, not '${requested}'; the results are for ${loaded[0]}`);
                return loaded[0];
            }
            if (engine === 'lmstudio') {
                host.warn(`'${requested}' is not loaded in LM Studio at ${baseUrl}; it will load it just in time with its default settings`);
            }
        }
        return requested;
    }
    if (loaded.length === 1)
        return loaded[0];
    const choose = `${host.optionRef('model')} or server.model in the suite`;
    if (loaded.length === 0)
        throw new Error(`the model server at ${baseUrl} has no model loaded; set ${choose}`);
    throw new Error(`the model server at ${baseUrl} serves several models (${loaded.join(', ')}); choose one with ${choose}`);
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./src/environment/model.ts
// llama.cpp's enum llama_ftype (include/llama.h); gaps are types it removed.
const FILE_TYPES = {
    0: 'F32', 1: 'F16', 2: 'Q4_0', 3: 'Q4_1', 7: 'Q8_0', 8: 'Q5_0', 9: 'Q5_1', 10: 'Q2_K', 11: 'Q3_K_S', 12: 'Q3_K_M',
    13: 'Q3_K_L', 14: 'Q4_K_S', 15: 'Q4_K_M', 16: 'Q5_K_S', 17: 'Q5_K_M', 18: 'Q6_K', 19: 'IQ2_XXS', 20: 'IQ2_XS',
    21: 'Q2_K_S', 22: 'IQ3_XS', 23: 'IQ3_XXS', 24: 'IQ1_S', 25: 'IQ4_NL', 26: 'IQ3_S', 27: 'IQ3_M', 28: 'IQ2_S',
    29: 'IQ2_M', 30: 'IQ4_XS', 31: 'IQ1_M', 32: 'BF16', 36: 'TQ1_0', 37: 'TQ2_0', 38: 'MXFP4_MOE'
};
function integer(value) {
    if (typeof value === 'number' && Number.isInteger(value))
        return value;
    if (typeof value === 'bigint')
        return Number(value);
    return undefined;
}
function modelFactsOf(header) {
    const arch = header.architecture;
    const key = (name) => (arch ? header.metadata[`${arch}.${name}`] : undefined);
    const fileType = integer(header.metadata['general.file_type']);
    const name = header.metadata['general.name'];
    const expertCount = integer(key('expert_count'));
    const expertsUsed = integer(key('expert_used_count'));
    const facts = {
        ...(arch ? { architecture: arch } : {}),
        ...(typeof name === 'string' ? { name } : {}),
        ...(header.parameterCount !== undefined ? { parameterCount: header.parameterCount } : {}),
        ...(fileType !== undefined ? { quantisation: FILE_TYPES[fileType] ?? `file type ${fileType}` } : {}),
        ...(integer(key('context_length')) !== undefined ? { trainedContext: integer(key('context_length')) } : {}),
        ...(integer(key('block_count')) !== undefined ? { blockCount: integer(key('block_count')) } : {}),
        ...(expertCount ? { experts: { count: expertCount, ...(expertsUsed !== undefined ? { used: expertsUsed } : {}) } } : {})
    };
    return facts;
}
/** 15.7B, 236M, 62.4K: how model cards write a parameter count. */
function formatParameterCount(count) {
    for (const [unit, size] of [['T', 1e12], ['B', 1e9], ['M', 1e6], ['K', 1e3]]) {
        if (count >= size)
            return `${(count / size).toFixed(count >= size * 100 ? 0 : 1)}${unit}`;
    }
    return String(count);
}

;// CONCATENATED MODULE: ./src/models/index.ts
// A model given by URL, made a verified local file before any server starts: the runner's own
// copy if it has one, else the Actions cache's, else a download (which is then saved to the
// cache). A wrong checksum fails here, with both hashes and the URL, and leaves no file.






const DEFAULT_PROGRESS_EVERY_MS = 3000;
const DEFAULT_STALL_TIMEOUT_MS = 60_000;
/**
 * The keys of a model in the cache. With a pin, the URL's unverified entry is also taken (it is
 * hashed against the pin); without one, any pinned entry of the URL is as good.
 */
function modelCacheKeys(url, pin) {
    const prefix = `modelgate-model-v1-${urlHashOf(url)}-`;
    return { primary: `${prefix}${pin ?? 'unverified'}`, restore: [pin ? `${prefix}unverified` : prefix] };
}
/** What the CLI gives for models: a folder in the user's cache, and no Actions cache. */
function cliModels(env) {
    return { dir: modelsDirOf(env, 'cli') };
}
const models_short = (sha256) => `${sha256.slice(0, 12)}…`;
/** Gives a cancelled run's error instead of whatever the step after the cancel did. */
function throwIfCancelled(signal, url) {
    if (signal?.aborted)
        throw new ModelFetchError('cancelled', `fetching the model ${url.href} was cancelled`);
}
/** The cache's copy, verified and made the local one; undefined when the cache has none (or a bad one). */
async function fromStore(request, url, pin, paths) {
    const { host, signal } = request;
    const store = request.models.store;
    if (!store)
        return undefined;
    const part = partNameOf(paths);
    const started = Date.now();
    try {
        const matched = await store.restore(modelCacheKeys(url, pin), part);
        throwIfCancelled(signal, url);
        if (!matched) {
            host.info(`The model is not in ${store.name} yet`);
            return undefined;
        }
        const sha256 = await hashFile(part, signal);
        if (pin && sha256 !== pin) {
            host.warn(`${store.name} entry ${matched} holds sha256 ${sha256}, not the pinned ${pin}: downloading the model instead`);
            return undefined;
        }
        const bytes = await commitFile(part, paths, url, { sha256, pinned: pin !== undefined });
        host.info(`Restored ${paths.file} (${formatBytes(bytes)}, sha256 ${models_short(sha256)}) from ${store.name} entry ${matched} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return { path: paths.file, sha256, source: 'cache', bytes };
    }
    catch (error) {
        if (error instanceof ModelFetchError && error.kind === 'cancelled')
            throw error;
        throwIfCancelled(signal, url);
        host.warn(`could not restore the model from ${store.name}: ${error.message}`);
        return undefined;
    }
    finally {
        await (0,promises_.rm)(part, { force: true });
    }
}
/** Downloads, verifies against the pin (or the server's own hash), and keeps the file. */
async function fromUrl(request, url, pin, paths) {
    const { host, signal } = request;
    const part = partNameOf(paths);
    try {
        const got = await download(url, part, {
            ...(request.token ? { token: request.token } : {}),
            ...(signal ? { signal } : {}),
            report: host.info,
            optionRef: host.optionRef,
            progressEveryMs: request.progressEveryMs ?? DEFAULT_PROGRESS_EVERY_MS,
            stallTimeoutMs: request.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS
        });
        const expected = pin ?? got.announcedSha256;
        if (expected && got.sha256 !== expected) {
            const whose = pin ? `${host.optionRef('model-sha256')} expects` : 'the server announced (X-Linked-Etag)';
            throw new ModelFetchError('checksum', `the model downloaded from ${url.href} has sha256 ${got.sha256}, but ${whose} ${expected}; the file was removed. Check the pin, or pin a revision in the URL (resolve/<commit>/…) rather than a branch that moves`);
        }
        const bytes = await commitFile(part, paths, url, { sha256: got.sha256, pinned: pin !== undefined });
        if (pin)
            host.info(`sha256 ${models_short(got.sha256)} matches ${host.optionRef('model-sha256')}`);
        else
            host.info(`sha256 ${got.sha256}: pin it with ${host.optionRef('model-sha256')} so a changed file fails the run`);
        return { path: paths.file, sha256: got.sha256, source: 'download', bytes };
    }
    finally {
        await (0,promises_.rm)(part, { force: true });
    }
}
async function saveToStore(request, url, pin, model) {
    const store = request.models.store;
    if (!store)
        return;
    const started = Date.now();
    try {
        const key = await store.save(modelCacheKeys(url, pin).primary, model.path);
        request.host.info(`Saved the model to ${store.name} as ${key} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    catch (error) {
        request.host.warn(`could not save the model to ${store.name} (${error.message}): a fresh runner will download it again`);
    }
}
/**
 * Makes the model at `request.url` a verified file in the runner's models folder: its copy
 * there, else the cache's, else a download. Throws a ModelFetchError (never a partial file).
 */
async function resolveModel(request) {
    const { host, signal } = request;
    if (request.token)
        host.mask(request.token);
    for (const secret of secretsInUrl(request.url))
        host.mask(secret);
    const url = parseModelUrl(request.url);
    const pin = normalPin(request.sha256, host.optionRef);
    const paths = localPathsOf(request.models.dir, url);
    await prepareFolder(paths);
    throwIfCancelled(signal, url);
    const local = await localCopyOf(paths, url, pin, host.info, signal);
    if (local) {
        host.info(`Using the runner's copy ${paths.file} (${formatBytes(local.bytes)}, sha256 ${models_short(local.sha256)})`);
        return { path: paths.file, ...local, source: 'local' };
    }
    const cached = await fromStore(request, url, pin, paths);
    if (cached)
        return cached;
    const downloaded = await fromUrl(request, url, pin, paths);
    throwIfCancelled(signal, url);
    await saveToStore(request, url, pin, downloaded);
    return downloaded;
}

;// CONCATENATED MODULE: ./src/gguf/reader.ts
// Reads the metadata of a GGUF model file (llama.cpp's format) without loading the model: real
// models are many GB, so the file is read in small chunks and only the header is visited.

/** Longer arrays are skipped: vocabularies have 32k-260k entries nobody here needs. */
const MAX_STORED_ARRAY_LENGTH = 1000;
// Indexed by the type id stored in the file (enum gguf_type in ggml/include/gguf.h).
const VALUE_TYPES = [
    'uint8',
    'int8',
    'uint16',
    'int16',
    'uint32',
    'int32',
    'float32',
    'bool',
    'string',
    'array',
    'uint64',
    'int64',
    'float64'
];
const FIXED_SIZES = {
    uint8: 1,
    int8: 1,
    bool: 1,
    uint16: 2,
    int16: 2,
    uint32: 4,
    int32: 4,
    float32: 4,
    uint64: 8,
    int64: 8,
    float64: 8
};
const GGUF_MAGIC = Buffer.from('GGUF', 'latin1');
// Version 1 stored counts and lengths as 32-bit; 2 and 3 share the little-endian layout read here.
const SUPPORTED_VERSIONS = [2, 3];
const CHUNK_SIZE = 64 * 1024;
class HeaderTruncatedError extends Error {
}
/** Sequential little-endian reads over a file handle, buffering one chunk at a time. */
class ChunkedFileReader {
    file;
    fileSize;
    buffer = Buffer.alloc(0);
    bufferOffset = 0;
    filePosition = 0;
    constructor(file, fileSize) {
        this.file = file;
        this.fileSize = fileSize;
    }
    async bytes(length) {
        await this.ensureBuffered(length);
        const bytes = this.buffer.subarray(this.bufferOffset, this.bufferOffset + length);
        this.bufferOffset += length;
        return bytes;
    }
    async skip(length) {
        const buffered = this.buffer.length - this.bufferOffset;
        if (length <= buffered) {
            this.bufferOffset += length;
            return;
        }
        const target = this.filePosition + (length - buffered);
        if (target > this.fileSize)
            throw new HeaderTruncatedError();
        this.filePosition = target;
        this.buffer = Buffer.alloc(0);
        this.bufferOffset = 0;
    }
    async uint32() {
        return (await this.bytes(4)).readUInt32LE(0);
    }
    async uint64() {
        return (await this.bytes(8)).readBigUInt64LE(0);
    }
    async int32() {
        return (await this.bytes(4)).readInt32LE(0);
    }
    /** A u64 count or length; beyond 2^53 it cannot describe anything in a real file. */
    async length() {
        const value = (await this.bytes(8)).readBigUInt64LE(0);
        if (value > BigInt(this.fileSize))
            throw new HeaderTruncatedError();
        return Number(value);
    }
    async string() {
        const length = await this.length();
        return (await this.bytes(length)).toString('utf8');
    }
    async ensureBuffered(length) {
        const buffered = this.buffer.length - this.bufferOffset;
        if (length <= buffered)
            return;
        const missing = length - buffered;
        if (this.filePosition + missing > this.fileSize)
            throw new HeaderTruncatedError();
        const readLength = Math.max(missing, CHUNK_SIZE);
        const chunk = Buffer.alloc(Math.min(readLength, this.fileSize - this.filePosition));
        const { bytesRead } = await this.file.read(chunk, 0, chunk.length, this.filePosition);
        if (bytesRead < missing)
            throw new HeaderTruncatedError();
        this.filePosition += bytesRead;
        this.buffer = Buffer.concat([this.buffer.subarray(this.bufferOffset), chunk.subarray(0, bytesRead)]);
        this.bufferOffset = 0;
    }
}
async function readGgufHeader(path) {
    let file;
    try {
        file = await (0,promises_.open)(path, 'r');
    }
    catch (error) {
        if (isErrnoException(error) && error.code === 'ENOENT')
            throw new Error(`model file not found: ${path}`, { cause: error });
        throw error;
    }
    try {
        const { size } = await file.stat();
        return await readHeader(new ChunkedFileReader(file, size), path, size);
    }
    catch (error) {
        if (error instanceof HeaderTruncatedError)
            throw new Error(`${path}: GGUF header is truncated`, { cause: error });
        if (isErrnoException(error) && error.code === 'EISDIR') {
            throw new Error(`${path} is not a GGUF file (it is a directory)`, { cause: error });
        }
        throw error;
    }
    finally {
        await file.close();
    }
}
async function readHeader(reader, path, fileSize) {
    if (fileSize === 0)
        throw new Error(`${path} is not a GGUF file (it is empty)`);
    const start = await reader.bytes(Math.min(fileSize, GGUF_MAGIC.length));
    if (!GGUF_MAGIC.subarray(0, start.length).equals(start)) {
        throw new Error(`${path} is not a GGUF file (it starts with 0x${start.toString('hex')})`);
    }
    if (start.length < GGUF_MAGIC.length)
        throw new HeaderTruncatedError();
    const version = await reader.uint32();
    if (!SUPPORTED_VERSIONS.includes(version)) {
        throw new Error(`${path}: unsupported GGUF version ${version} (supported: ${SUPPORTED_VERSIONS.join(', ')})`);
    }
    const tensorCount = await reader.length();
    const metadataCount = await reader.length();
    const metadata = {};
    for (let index = 0; index < metadataCount; index++) {
        const key = await reader.string();
        const type = await readValueType(reader, path, key);
        metadata[key] = await readValue(reader, type, path, key);
    }
    const architecture = metadata['general.architecture'];
    return {
        version,
        tensorCount,
        metadata,
        architecture: typeof architecture === 'string' ? architecture : undefined,
        parameterCount: await readParameterCount(reader, tensorCount)
    };
}
/** The tensor table follows the metadata: name, dimension count, dimensions, type, offset. */
async function readParameterCount(reader, tensorCount) {
    let total = 0n;
    try {
        for (let index = 0; index < tensorCount; index++) {
            await reader.string();
            const dimensions = await reader.uint32();
            let elements = 1n;
            for (let d = 0; d < dimensions; d++)
                elements *= await reader.uint64();
            await reader.skip(4 + 8);
            total += elements;
        }
    }
    catch (error) {
        // The metadata is what the caller came for; a cut-off tensor table only loses the count.
        if (error instanceof HeaderTruncatedError)
            return undefined;
        throw error;
    }
    return Number(total);
}
async function readValueType(reader, path, key) {
    const id = await reader.int32();
    const type = VALUE_TYPES[id];
    if (type === undefined)
        throw new Error(`${path}: GGUF metadata key "${key}" has unknown value type ${id}`);
    return type;
}
async function readValue(reader, type, path, key) {
    switch (type) {
        case 'string':
            return reader.string();
        case 'array':
            return readArray(reader, path, key);
        default:
            return decodeFixedSize(type, await reader.bytes(FIXED_SIZES[type]));
    }
}
async function readArray(reader, path, key) {
    const itemType = await readValueType(reader, path, key);
    const length = await reader.length();
    if (length > MAX_STORED_ARRAY_LENGTH) {
        await skipItems(reader, itemType, length, path, key);
        return { itemType, length, items: undefined };
    }
    const items = [];
    for (let index = 0; index < length; index++)
        items.push(await readValue(reader, itemType, path, key));
    return { itemType, length, items };
}
async function skipItems(reader, itemType, length, path, key) {
    if (itemType === 'string') {
        for (let index = 0; index < length; index++)
            await reader.skip(await reader.length());
    }
    else if (itemType === 'array') {
        for (let index = 0; index < length; index++)
            await readArray(reader, path, key);
    }
    else {
        await reader.skip(length * FIXED_SIZES[itemType]);
    }
}
function decodeFixedSize(type, bytes) {
    switch (type) {
        case 'uint8':
            return bytes.readUInt8(0);
        case 'int8':
            return bytes.readInt8(0);
        case 'bool':
            return bytes.readUInt8(0) !== 0;
        case 'uint16':
            return bytes.readUInt16LE(0);
        case 'int16':
            return bytes.readInt16LE(0);
        case 'uint32':
            return bytes.readUInt32LE(0);
        case 'int32':
            return bytes.readInt32LE(0);
        case 'float32':
            return bytes.readFloatLE(0);
        case 'uint64':
            return bytes.readBigUInt64LE(0);
        case 'int64':
            return bytes.readBigInt64LE(0);
        case 'float64':
            return bytes.readDoubleLE(0);
    }
}
// Not `instanceof Error`: errors from node's own modules come from another realm under jest's VM.
function isErrnoException(error) {
    return typeof error === 'object' && error !== null && 'code' in error;
}

;// CONCATENATED MODULE: ./src/server/types.ts
/** A server that failed to start still says what was tried and what it printed. */
class ServerStartError extends Error {
    report;
    constructor(message, report, options) {
        super(message, options);
        this.report = report;
        this.name = 'ServerStartError';
    }
}

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
;// CONCATENATED MODULE: ./src/server/llamacpp/flags.ts
class SettingError extends Error {
}
function loadModeOf(settings) {
    const keep = settings['keep-model-in-memory'];
    const mmap = settings['try-mmap'];
    if (keep === undefined && mmap === undefined)
        return undefined;
    // LM Studio turns both on unless told otherwise.
    const mlock = keep ?? true;
    const mapped = mmap ?? true;
    if (mapped && mlock)
        return 'mmap+mlock';
    if (mapped)
        return 'mmap';
    if (mlock)
        return 'mlock';
    return 'none';
}
function settingsToFlags(settings, model) {
    const flags = [];
    const add = (...args) => flags.push(...args.map(String));
    if (settings['context-length'] !== undefined)
        add('-c', settings['context-length']);
    const offload = settings['gpu-offload'];
    if (offload === 'max')
        add('-ngl', 'all');
    else if (offload === 'off')
        add('-ngl', 0);
    // LM Studio counts repeating layers; llama.cpp's count includes the output layer, so all of
    // LM Studio's layers is llama.cpp's "all".
    else if (typeof offload === 'number')
        add('-ngl', model.blockCount !== undefined && offload >= model.blockCount ? 'all' : offload);
    if (settings['cpu-threads'] !== undefined)
        add('-t', settings['cpu-threads']);
    if (settings['eval-batch-size'] !== undefined)
        add('-b', settings['eval-batch-size']);
    const ropeBase = settings['rope-frequency-base'];
    if (typeof ropeBase === 'number')
        add('--rope-freq-base', ropeBase);
    const ropeScale = settings['rope-frequency-scale'];
    if (typeof ropeScale === 'number')
        add('--rope-freq-scale', ropeScale);
    if (settings['offload-kv-cache-to-gpu'] !== undefined)
        add(settings['offload-kv-cache-to-gpu'] ? '-kvo' : '-nkvo');
    const loadMode = loadModeOf(settings);
    if (loadMode)
        add('--load-mode', loadMode);
    const seed = settings.seed;
    if (seed !== undefined)
        add('-s', seed === 'off' ? -1 : seed);
    if (settings.experts !== undefined) {
        if (!model.architecture)
            throw new SettingError('server.settings.experts needs the model architecture, and the GGUF has no general.architecture');
        add('--override-kv', `${model.architecture}.expert_used_count=int:${settings.experts}`);
    }
    if (settings['force-expert-weights-on-cpu'])
        add('--cpu-moe');
    const flash = settings['flash-attention'];
    if (flash !== undefined)
        add('-fa', flash === 'auto' ? 'auto' : flash ? 'on' : 'off');
    const k = settings['k-cache-quantization'];
    const v = settings['v-cache-quantization'];
    if (k !== undefined)
        add('-ctk', k === 'off' ? 'f16' : k);
    if (v !== undefined) {
        if (v !== 'off' && v !== 'f16' && v !== 'f32' && v !== 'bf16' && flash === false) {
            throw new SettingError(`server.settings.v-cache-quantization ${v} needs flash-attention (llama.cpp cannot quantise the V cache without it)`);
        }
        add('-ctv', v === 'off' ? 'f16' : v);
    }
    add('-fit', 'off');
    return flags;
}
const FLAG = /^--?[a-zA-Z]/;
/** The long or short option names in `flags` (values, also after `=`, left out), to check against --help. */
function optionNames(flags) {
    return flags.filter((f) => FLAG.test(f)).map((f) => f.replace(/=.*$/s, ''));
}
/**
 * `--flag=value` as the two words `--flag value`; other arguments as they are. llama-server
 * knows no `=` form (it rejects `--api-key=KEY` as an invalid argument), while users write it
 * out of habit: so it means what the two-word form does, and a key in it is found and masked.
 */
function twoWordArgs(args) {
    return args.flatMap((arg) => {
        const equals = FLAG.test(arg) ? arg.indexOf('=') : -1;
        return equals >= 0 ? [arg.slice(0, equals), arg.slice(equals + 1)] : [arg];
    });
}
/**
 * Splits extra arguments the way a user writes them in YAML: on whitespace and new lines,
 * honouring quotes as a shell does, also inside a word (`--alias="my model"`); `--flag=value`
 * becomes two words (see twoWordArgs). A quote without its pair is kept as a character.
 */
function splitArgs(value) {
    const words = value.match(/(?:[^\s"']+|"[^"]*"|'[^']*'|["'])+/g) ?? [];
    return twoWordArgs(words.map((word) => word.replace(/"([^"]*)"|'([^']*)'/g, '$1$2')));
}

;// CONCATENATED MODULE: ./src/server/llamacpp/binary.ts
// Which llama-server runs, and whether that build knows every flag modelgate passes.






const run = (0,external_node_util_.promisify)(external_node_child_process_.execFile);
async function isExecutable(file) {
    try {
        await (0,promises_.access)(file, external_node_fs_.constants.X_OK);
        return (await (0,promises_.stat)(file)).isFile();
    }
    catch {
        return false;
    }
}
/** The binary the user named, else llama-server on PATH; `ref` names the option in messages. */
async function findLlamaServer(explicit, ref) {
    if (explicit) {
        if (await isExecutable(explicit))
            return external_node_path_default().resolve(explicit);
        throw new Error(`llama-server-path '${explicit}' is not an executable file`);
    }
    for (const dir of (process.env.PATH ?? '').split((external_node_path_default()).delimiter).filter(Boolean)) {
        const candidate = external_node_path_default().join(dir, 'llama-server');
        if (await isExecutable(candidate))
            return candidate;
    }
    throw new Error(`llama-server was not found on PATH: install llama.cpp on the runner or set ${ref('llama-server-path')}`);
}
/** Every option we pass must be one this build knows; an older build would exit on it. Gives the build's version line. */
async function checkBuildKnows(binary, flags) {
    let help;
    try {
        const out = await run(binary, ['--help'], { timeout: 20_000, maxBuffer: 8 * 1024 * 1024 });
        help = `${out.stdout}\n${out.stderr}`;
    }
    catch (error) {
        const out = error;
        help = `${out.stdout ?? ''}\n${out.stderr ?? ''}`;
        if (!help.trim())
            throw new Error(`${binary} --help failed: ${out.message}`, { cause: error });
    }
    const unknown = [...new Set(optionNames(flags))].filter((flag) => !new RegExp(`(^|[\\s,])${flag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([\\s,=]|$)`, 'm').test(help));
    if (unknown.length > 0) {
        throw new Error(`${binary} is too old or not llama-server: it does not know ${unknown.join(', ')} (modelgate needs a llama.cpp build with --fit and --load-mode)`);
    }
    try {
        const version = await run(binary, ['--version'], { timeout: 20_000 });
        return `${version.stdout}${version.stderr}`.match(/version: .*/)?.[0] ?? '';
    }
    catch {
        return '';
    }
}

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
var external_node_net_default = /*#__PURE__*/__webpack_require__.n(external_node_net_);
;// CONCATENATED MODULE: ./src/server/llamacpp/process.ts



const LOG_TAIL_LINES = 40;
async function freePort() {
    const server = external_node_net_default().createServer();
    await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    await new Promise((resolve) => server.close(resolve));
    return port;
}
/** Keeps the last lines of the server's log in memory and all of it in a file. */
class ServerLog {
    filePath;
    lines = [];
    partial = '';
    file;
    constructor(filePath) {
        this.filePath = filePath;
        this.file = (0,external_node_fs_.createWriteStream)(filePath);
    }
    write(chunk) {
        this.file.write(chunk);
        const text = this.partial + chunk.toString('utf8');
        const parts = text.split('\n');
        this.partial = parts.pop() ?? '';
        for (const line of parts)
            this.push(line);
    }
    push(line) {
        this.lines.push(line.replace(/\r$/, ''));
        if (this.lines.length > LOG_TAIL_LINES)
            this.lines.shift();
    }
    tail() {
        return this.partial ? [...this.lines, this.partial].slice(-LOG_TAIL_LINES) : [...this.lines];
    }
    /** The lines llama.cpp marks as errors, else the last few: what a one-line message should quote. */
    reason() {
        const errors = this.tail().filter((l) => / E /.test(l) || /error/i.test(l));
        const picked = (errors.length ? errors : this.tail()).slice(-2).map((l) => l.replace(/^\d+\.\d+\.\d+\.\d+ [A-Z] /, '').trim());
        return picked.join(' | ');
    }
    close() {
        this.file.end();
    }
}
// llama-server's shutdown can wait on a stream that is still in flight; it gets a few seconds.
const STOP_GRACE_MS = 5_000;
async function stopProcess(child) {
    if (child.exitCode !== null || child.signalCode !== null)
        return;
    const exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    let timer;
    const gaveUp = new Promise((resolve) => (timer = setTimeout(() => resolve(false), STOP_GRACE_MS)));
    const killed = await Promise.race([exited.then(() => true), gaveUp]);
    clearTimeout(timer);
    if (!killed) {
        child.kill('SIGKILL');
        await exited;
    }
}
async function waitUntilReady(origin, child, log, timeoutMs, ref, cancelled) {
    const deadline = Date.now() + timeoutMs;
    let exit;
    child.once('exit', (code, signal) => (exit = signal ? `was killed by ${signal}` : `exited with code ${code}`));
    let lastStatus = 'no answer';
    while (Date.now() < deadline) {
        if (cancelled?.aborted)
            throw new CancelledError(cancelled, 'while llama-server was loading the model');
        if (exit)
            throw new Error(`llama-server ${exit} before it was ready: ${log.reason() || 'it printed nothing'}`);
        try {
            const response = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2000) });
            if (response.status === 200)
                return;
            lastStatus = response.status === 503 ? 'still loading the model (503)' : `HTTP ${response.status}`;
        }
        catch {
            lastStatus = 'not listening yet';
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (exit)
        throw new Error(`llama-server ${exit} before it was ready: ${log.reason() || 'it printed nothing'}`);
    throw new Error(`llama-server was not ready after ${Math.round(timeoutMs / 1000)} s (${lastStatus} at ${origin}/health); raise ${ref('server-timeout')} for a large model`);
}
/** A pid is reused once its process is gone: only signal it while it is still llama-server. */
function isLlamaServer(pid) {
    try {
        return (0,external_node_fs_.readFileSync)(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0].includes('llama-server');
    }
    catch {
        return false;
    }
}
/** Stops a llama-server by pid, as the post step does: SIGTERM, then SIGKILL if it ignores it. */
async function stopByPid(pid, host) {
    if (!Number.isInteger(pid) || pid <= 0 || !isLlamaServer(pid))
        return;
    try {
        process.kill(pid, 'SIGTERM');
    }
    catch (error) {
        if (error.code === 'ESRCH')
            return;
        host.warn(`could not stop llama-server (pid ${pid}): ${error.message}`);
        return;
    }
    const deadline = Date.now() + STOP_GRACE_MS;
    while (Date.now() < deadline) {
        if (!isLlamaServer(pid)) {
            host.info(`Stopped llama-server (pid ${pid})`);
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
    try {
        process.kill(pid, 'SIGKILL');
        host.info(`Killed llama-server (pid ${pid}) after it ignored SIGTERM`);
    }
    catch (error) {
        host.warn(`could not kill llama-server (pid ${pid}): ${error.message}`);
    }
}

;// CONCATENATED MODULE: ./src/server/llamacpp/driver.ts
// `server: llama.cpp`: starts llama-server with the suite's settings, waits until it is ready
// while watching the process, and always stops it. If the job is cancelled, the host's
// cancellation and then the post step (by the saved pid) take it down.














/** What the post step needs to stop a server the main step could not. */
const LlamaCppState = {
    ServerPid: 'llama-server-pid',
    ServerLog: 'llama-server-log'
};
function driver_valueOf(args, flag) {
    const at = args.lastIndexOf(flag);
    return at >= 0 ? args[at + 1] : undefined;
}
async function sha256Of(file) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    for await (const chunk of (0,external_node_fs_.createReadStream)(file))
        hash.update(chunk);
    return hash.digest('hex');
}
async function inspectModel(file) {
    const header = await readGgufHeader(file);
    return { facts: modelFactsOf(header), sizeBytes: (await (0,promises_.stat)(file)).size };
}
async function startLlamaServer(request) {
    const { host, options, server } = request;
    const ref = (name) => host.optionRef(name);
    const model = request.model;
    if (!model)
        throw new Error(`server 'llama.cpp' needs a model: set ${ref('model')} or server.model in the suite (a GGUF file)`);
    // The binary first: a missing llama-server fails before a download of gigabytes.
    const binary = await findLlamaServer(options.llamaServerPath, ref);
    let modelPath = external_node_path_default().resolve(request.modelBaseDir, model);
    let fetched;
    if (isModelUrl(model)) {
        if (!host.models)
            throw new Error(`model '${model}' is a URL, but this run has nowhere to keep a model`);
        fetched = await resolveModel({ url: model, sha256: options.modelSha256, token: options.hfToken, models: host.models, host, signal: host.cancelled });
        modelPath = fetched.path;
    }
    else if (options.modelSha256) {
        throw new Error(`${ref('model-sha256')} pins a model fetched from a URL; '${model}' is a local file`);
    }
    const { facts, sizeBytes } = await inspectModel(modelPath);
    let settingFlags;
    try {
        settingFlags = settingsToFlags(server.settings, facts);
    }
    catch (error) {
        if (error instanceof SettingError)
            throw new Error(`${request.suitePath}: ${error.message}`, { cause: error });
        throw error;
    }
    // llama-server knows only `--flag value`; the suite's list never went through splitArgs.
    const extraArgs = twoWordArgs([...server.extraArgs, ...options.extraArgs]);
    for (const secret of secretsInArgs(extraArgs))
        host.mask(secret);
    // A port or host the user chose in extra-args is the one to talk to; else a free loopback port.
    const userPort = driver_valueOf(extraArgs, '--port');
    const userHost = driver_valueOf(extraArgs, '--host');
    const port = userPort !== undefined ? Number(userPort) : await freePort();
    const bindHost = userHost ?? '127.0.0.1';
    const alias = external_node_path_default().basename(modelPath);
    const flags = [
        '-m', modelPath, '--alias', alias,
        ...(userHost === undefined ? ['--host', bindHost] : []),
        ...(userPort === undefined ? ['--port', String(port)] : []),
        '-np', '1', '--no-webui', ...settingFlags, ...extraArgs
    ];
    const version = await checkBuildKnows(binary, flags);
    // A fetched model was hashed as it arrived (or checked against its record): not hashed twice.
    const hashing = fetched ? Promise.resolve(fetched.sha256) : sha256Of(modelPath);
    hashing.catch(() => undefined);
    const logPath = external_node_path_default().join(process.env.RUNNER_TEMP ?? external_node_os_default().tmpdir(), `modelgate-llama-server-${port}.log`);
    const log = new ServerLog(logPath);
    // A key given to llama-server in extra-args is what the client must send, and a secret: it is
    // masked in the log and shown as *** in the report.
    // llama-server takes a comma-separated list of keys; the client sends the first.
    const serverKey = driver_valueOf(extraArgs, '--api-key')?.split(',')[0];
    const shownFlags = [binary, ...flags.map((flag, i) => (flags[i - 1] === '--api-key' ? '***' : flag))];
    host.info(`Starting ${shownFlags.join(' ')}`);
    const child = (0,external_node_child_process_.spawn)(binary, flags, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk) => log.write(chunk));
    child.stderr?.on('data', (chunk) => log.write(chunk));
    const spawned = await new Promise((resolve) => {
        child.once('spawn', () => resolve(undefined));
        child.once('error', resolve);
    });
    if (spawned)
        throw new Error(`could not start ${binary}: ${spawned.message}`);
    host.saveState(LlamaCppState.ServerPid, String(child.pid));
    host.saveState(LlamaCppState.ServerLog, logPath);
    const origin = `http://${bindHost === '0.0.0.0' ? '127.0.0.1' : bindHost}:${port}`;
    // SIGKILL, because llama-server's own shutdown waits for a stream in flight, and a cancelled
    // process cannot wait.
    const withdrawCancel = host.onCancel(() => child.kill('SIGKILL'));
    let stopped = false;
    const stop = async () => {
        if (stopped)
            return;
        stopped = true;
        withdrawCancel();
        // A cancelled run has seconds left to write its results: no grace for llama-server's shutdown.
        if (host.cancelled.aborted)
            child.kill('SIGKILL');
        await stopProcess(child);
        log.close();
        host.saveState(LlamaCppState.ServerPid, '');
    };
    const reportSoFar = () => ({
        backend: 'llama.cpp',
        engine: 'llama.cpp',
        baseUrl: `${origin}/v1`,
        model: alias,
        settings: { ...server.settings },
        ...(version ? { build: version } : {}),
        flags: shownFlags,
        logTail: log.tail()
    });
    try {
        await waitUntilReady(origin, child, log, request.readyTimeoutMs, ref, host.cancelled);
    }
    catch (error) {
        await stop();
        throw new ServerStartError(error.message, reportSoFar(), { cause: error });
    }
    const props = (await fetch(`${origin}/props`).then((r) => r.json()).catch(() => ({})));
    const sha256 = await hashing;
    return {
        backend: 'llama.cpp',
        engine: 'llama.cpp',
        baseUrl: `${origin}/v1`,
        apiKey: serverKey ?? request.apiKey ?? '',
        model: alias,
        report: () => ({ ...reportSoFar(), build: props.build_info ?? version, modelFile: { path: modelPath, sizeBytes, sha256, facts, ...(fetched ? { url: model, source: fetched.source } : {}) } }),
        stop
    };
}
const llamaCppDriver = {
    options: [
        { name: 'llama-server-path', value: ' PATH', description: 'llama-server binary (default: found on PATH)' },
        { name: 'extra-args', value: '="ARGS"', description: 'extra llama-server arguments (with =, as they start with -)' },
        { name: 'model-sha256', value: ' HEX', description: 'sha256 a model fetched from a URL must have (64 hex digits)' },
        { name: 'hf-token', value: ' TOKEN', description: 'Hugging Face token for a gated model URL, sent to that host only (CLI: or HF_TOKEN)' }
    ],
    readOptions: (read) => ({
        llamaServerPath: read('llama-server-path') || undefined,
        extraArgs: splitArgs(read('extra-args')),
        modelSha256: read('model-sha256').trim() || undefined,
        hfToken: read('hf-token') || undefined
    }),
    start: startLlamaServer,
    cleanup: (saved, host) => stopByPid(Number(saved(LlamaCppState.ServerPid)), host)
};

;// CONCATENATED MODULE: ./src/server/lmstudio/config.ts
// LM Studio's default for "Offload KV cache to GPU memory": on.
const LMSTUDIO_OFFLOADS_KV_CACHE = true;
function loadPlanOf(settings) {
    const config = {};
    const applied = {};
    const notApplied = [];
    const apply = (setting, field, value) => void (applied[setting] = `${field}: ${JSON.stringify(value)}`);
    const gpu = {};
    const s = settings;
    if (s['context-length'] !== undefined)
        apply('context-length', 'contextLength', (config.contextLength = s['context-length']));
    const offload = s['gpu-offload'];
    if (offload === 'max' || offload === 'off')
        apply('gpu-offload', 'gpu.ratio', (gpu.ratio = offload));
    else if (offload === 0)
        apply('gpu-offload', 'gpu.ratio', (gpu.ratio = 'off'));
    else if (offload !== undefined) {
        notApplied.push({ setting: 'gpu-offload', reason: `LM Studio's load config takes a GPU offload ratio (max, off or 0–1), not ${offload} layers; give max or off` });
    }
    if (s['cpu-threads'] !== undefined) {
        notApplied.push({ setting: 'cpu-threads', reason: "in LM Studio CPU threads are a setting of each prediction (cpuThreads), which its OpenAI-compatible endpoints do not take; LM Studio's own choice applies" });
    }
    if (s['eval-batch-size'] !== undefined)
        apply('eval-batch-size', 'evalBatchSize', (config.evalBatchSize = s['eval-batch-size']));
    // `auto` is what LM Studio does when the field is left out.
    for (const [setting, field] of [['rope-frequency-base', 'ropeFrequencyBase'], ['rope-frequency-scale', 'ropeFrequencyScale']]) {
        const value = s[setting];
        if (value === 'auto')
            applied[setting] = `${field}: left to LM Studio (auto)`;
        else if (value !== undefined)
            apply(setting, field, (config[field] = value));
    }
    const kv = s['offload-kv-cache-to-gpu'];
    if (kv === LMSTUDIO_OFFLOADS_KV_CACHE)
        applied['offload-kv-cache-to-gpu'] = "offloadKVCacheToGpu: true (LM Studio's default)";
    else if (kv !== undefined) {
        notApplied.push({ setting: 'offload-kv-cache-to-gpu', reason: '@lmstudio/sdk 1.5.0 accepts offloadKVCacheToGpu but never sends it, so LM Studio keeps its default (on)' });
    }
    if (s['keep-model-in-memory'] !== undefined)
        apply('keep-model-in-memory', 'keepModelInMemory', (config.keepModelInMemory = s['keep-model-in-memory']));
    if (s['try-mmap'] !== undefined)
        apply('try-mmap', 'tryMmap', (config.tryMmap = s['try-mmap']));
    if (s.seed === 'off')
        applied.seed = 'seed: left to LM Studio (random)';
    else if (s.seed !== undefined)
        apply('seed', 'seed', (config.seed = s.seed));
    if (s.experts !== undefined)
        apply('experts', 'numExperts', (config.numExperts = s.experts));
    // SDK 1.5.0's validator strips gpu.numCpuExpertLayersRatio before sending (seen against the
    // stand-in built from its source): only LM Studio's default, off, can be claimed as applied.
    const forceExperts = s['force-expert-weights-on-cpu'];
    if (forceExperts === false)
        applied['force-expert-weights-on-cpu'] = "numCpuExpertLayersRatio: off (LM Studio's default)";
    else if (forceExperts === true) {
        notApplied.push({ setting: 'force-expert-weights-on-cpu', reason: "@lmstudio/sdk 1.5.0 drops gpu.numCpuExpertLayersRatio before sending it, so LM Studio keeps its default (off)" });
    }
    const flash = s['flash-attention'];
    if (flash === 'auto')
        applied['flash-attention'] = 'flashAttention: left to LM Studio (auto)';
    else if (flash !== undefined)
        apply('flash-attention', 'flashAttention', (config.flashAttention = flash));
    for (const [setting, field] of [['k-cache-quantization', 'llamaKCacheQuantizationType'], ['v-cache-quantization', 'llamaVCacheQuantizationType']]) {
        const value = s[setting];
        if (value === undefined)
            continue;
        if (value === 'off')
            apply(setting, field, (config[field] = false));
        else if (value === 'bf16')
            notApplied.push({ setting, reason: 'LM Studio has no bf16 cache type (f32, f16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1)' });
        else
            apply(setting, field, (config[field] = value));
    }
    if (Object.keys(gpu).length > 0)
        config.gpu = gpu;
    return { config, applied, notApplied };
}

;// CONCATENATED MODULE: ./src/server/lmstudio/lms.ts
// LM Studio's own CLI, `lms`: found where LM Studio puts it, run with an argument list (never a
// shell), its JSON read back. Every command is kept, so the report shows what was run.




/** How long one `lms` command may take; `server start` and `daemon up` wait for LM Studio itself. */
const LMS_TIMEOUT_MS = 120_000;
function lms_isExecutable(file) {
    try {
        (0,external_node_fs_.accessSync)(file, external_node_fs_.constants.X_OK);
        return true;
    }
    catch {
        return false;
    }
}
/**
 * Finds `lms`: the path the user gave, else on PATH, else where LM Studio installs it
 * (~/.lmstudio/bin/lms). The error says every place it looked.
 */
function findLms(given, env, label) {
    if (given) {
        if (lms_isExecutable(given))
            return given;
        throw new Error(`lms not found at ${given} (${label}): no executable file there`);
    }
    const dirs = (env.PATH ?? '').split((external_node_path_default()).delimiter).filter(Boolean);
    for (const dir of dirs) {
        const candidate = external_node_path_default().join(dir, 'lms');
        if (lms_isExecutable(candidate))
            return candidate;
    }
    const home = external_node_path_default().join(env.HOME ?? external_node_os_default().homedir(), '.lmstudio', 'bin', 'lms');
    if (lms_isExecutable(home))
        return home;
    throw new Error(`lms not found: looked on PATH (${dirs.join((external_node_path_default()).delimiter) || 'empty'}) and at ${home}. ` +
        `Install LM Studio and run it once (it installs lms), or set ${label} to the lms executable`);
}
function createLms(file) {
    const commands = [];
    const run = (args) => new Promise((resolve, reject) => {
        commands.push(['lms', ...args].join(' '));
        (0,external_node_child_process_.execFile)(file, [...args], { timeout: LMS_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
            if (error) {
                const said = (stderr || stdout).trim().split('\n').slice(-3).join(' ').trim();
                const why = error.killed ? `did not finish within ${LMS_TIMEOUT_MS / 1000} s` : `failed${said ? `: ${said}` : ` (${error.message})`}`;
                reject(new Error(`\`lms ${args.join(' ')}\` ${why}`, { cause: error }));
            }
            else
                resolve({ stdout, stderr });
        });
    });
    return {
        path: file,
        commands,
        run,
        async json(args) {
            const { stdout } = await run(args);
            try {
                return JSON.parse(stdout);
            }
            catch {
                throw new Error(`\`lms ${args.join(' ')}\` did not print JSON: ${stdout.trim().slice(0, 200) || '(nothing)'}`);
            }
        }
    };
}

;// CONCATENATED MODULE: ./src/server/lmstudio/driver.ts
// `server: lmstudio`: LM Studio brought up with the suite's load settings. `lms` finds or starts
// the server (the headless daemon where no app runs), @lmstudio/sdk loads the model under an
// identifier unique to the run, `lms ps` confirms what was loaded, and replay goes to
// `/api/v0/chat/completions`, which adds LM Studio's own figures (`stats`). The session (and the
// post step, if the main step never got to it) unloads that instance and stops only what
// modelgate started: a server the user already had running stays up.






/** What the post step needs to undo what the main step did, if the main step could not. */
const LmStudioState = {
    Lms: 'lmstudio-lms',
    Identifier: 'lmstudio-identifier',
    StartedServer: 'lmstudio-started-server',
    StartedDaemon: 'lmstudio-started-daemon'
};
const DEFAULT_PORT = 1234;
function readPort(value, label) {
    if (value === '')
        return undefined;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new Error(`${label} must be a port number (1–65535), got '${value}'`);
    return port;
}
async function ensureServer(lms, port, host) {
    const status = await lms.json(['server', 'status', '--json']);
    if (status.running) {
        host.info(`LM Studio's server is already running on port ${status.port ?? port}; modelgate leaves it running`);
        return { port: status.port ?? port, startedServer: false, startedDaemon: false };
    }
    // Where no desktop app runs, the server needs LM Studio's headless daemon first.
    const daemon = await lms.json(['daemon', 'status', '--json']).catch(() => ({ status: 'unknown' }));
    let startedDaemon = false;
    if (daemon.status !== 'running') {
        host.info('Starting LM Studio\'s headless daemon (lms daemon up)');
        await lms.json(['daemon', 'up', '--json']);
        startedDaemon = true;
    }
    host.info(`Starting LM Studio's server on port ${port} (lms server start)`);
    await lms.run(['server', 'start', '--port', String(port)]);
    return { port, startedServer: true, startedDaemon };
}
/** Stops what a run started, in the reverse order; each step only warns. */
async function undo(lms, state, host) {
    const steps = [
        [Boolean(state.identifier), ['unload', state.identifier ?? ''], `Unloaded ${state.identifier} from LM Studio`],
        [state.startedServer, ['server', 'stop'], "Stopped LM Studio's server"],
        [state.startedDaemon, ['daemon', 'down'], "Stopped LM Studio's daemon"]
    ];
    for (const [needed, args, done] of steps) {
        if (!needed)
            continue;
        try {
            await lms.run(args);
            host.info(done);
        }
        catch (error) {
            host.warn(error.message);
        }
    }
}
async function startLmStudio(request) {
    const { host, options, server } = request;
    const modelKey = request.model;
    if (!modelKey)
        throw new Error(`server 'lmstudio' needs a model key: set ${host.optionRef('model')} or server.model in the suite (e.g. qwen/qwen3-coder-30b, as lms ls shows it)`);
    const lms = createLms(findLms(options.lmsPath, process.env, host.optionLabel('lms-path')));
    host.saveState(LmStudioState.Lms, lms.path);
    const plan = loadPlanOf(server.settings);
    const identifier = `modelgate-${(0,external_node_crypto_.randomUUID)().slice(0, 8)}`;
    const state = { startedServer: false, startedDaemon: false };
    let port = options.port ?? DEFAULT_PORT;
    const reportSoFar = () => ({
        backend: 'lmstudio',
        engine: 'lmstudio',
        baseUrl: `http://127.0.0.1:${port}/api/v0`,
        model: identifier,
        settings: { ...server.settings },
        loadConfig: plan.applied,
        commands: [...lms.commands],
        ...(plan.notApplied.length ? { notApplied: plan.notApplied } : {})
    });
    // A cancelled run that runs out of time: unload what it loaded, without waiting.
    const withdrawCancel = host.onCancel(() => {
        if (state.identifier)
            (0,external_node_child_process_.spawn)(lms.path, ['unload', state.identifier], { stdio: 'ignore', detached: true }).unref();
    });
    // What the session's stop and a failed start both do: undo it all, and leave the post step nothing.
    const undoAll = async () => {
        withdrawCancel();
        await undo(lms, state, host);
        for (const name of Object.values(LmStudioState))
            host.saveState(name, '');
    };
    try {
        const up = await ensureServer(lms, port, host);
        port = up.port;
        state.startedServer = up.startedServer;
        state.startedDaemon = up.startedDaemon;
        host.saveState(LmStudioState.StartedServer, String(up.startedServer));
        host.saveState(LmStudioState.StartedDaemon, String(up.startedDaemon));
        // The model list answers once the server is up; 503 and refusals are waited for.
        await probeServer(`http://127.0.0.1:${port}/v1`, request.apiKey, request.readyTimeoutMs, { onWait: (m) => host.info(m), signal: host.cancelled });
        const downloaded = await lms.json(['ls', '--json']);
        if (!downloaded.some((m) => m.modelKey === modelKey)) {
            const near = downloaded.map((m) => m.modelKey).filter((k) => k.includes(modelKey) || modelKey.includes(k));
            throw new Error(`'${modelKey}' is not downloaded in LM Studio: run \`lms get ${modelKey}\` first${near.length ? ` (downloaded: ${near.join(', ')})` : ''}`);
        }
        for (const { setting, reason } of plan.notApplied)
            host.warn(`LM Studio: ${setting} not applied: ${reason}`);
        host.info(`Loading ${modelKey} in LM Studio as ${identifier}`);
        // Saved before the load, so a step killed while loading still has it unloaded in the post step.
        state.identifier = identifier;
        host.saveState(LmStudioState.Identifier, identifier);
        // Imported here: the SDK is large, and neither the post step nor the other backends need it.
        const { loadWithSdk } = await Promise.all(/* import() */[__webpack_require__.e(223), __webpack_require__.e(845)]).then(__webpack_require__.bind(__webpack_require__, 5845));
        await loadWithSdk(port, modelKey, identifier, plan.config, host.cancelled);
        const loaded = (await lms.json(['ps', '--json'])).find((m) => m.identifier === identifier);
        if (!loaded)
            throw new Error(`LM Studio reported ${identifier} loaded, but \`lms ps\` does not list it`);
        if (loaded.modelKey !== undefined && loaded.modelKey !== modelKey)
            throw new Error(`LM Studio loaded ${loaded.modelKey} as ${identifier}, not ${modelKey}`);
        const wanted = server.settings['context-length'];
        if (wanted !== undefined && loaded.contextLength !== undefined && loaded.contextLength !== wanted) {
            throw new Error(`LM Studio loaded ${modelKey} with a context length of ${loaded.contextLength}, not the ${wanted} the suite asks for`);
        }
        const report = {
            ...reportSoFar(),
            loadedAs: { identifier, modelKey: loaded.modelKey ?? modelKey, ...(loaded.path ? { path: loaded.path } : {}), ...(loaded.contextLength ? { contextLength: loaded.contextLength } : {}) }
        };
        let stopped = false;
        return {
            backend: 'lmstudio',
            engine: 'lmstudio',
            // LM Studio's OpenAI-compatible API that adds `stats` to each answer.
            baseUrl: `http://127.0.0.1:${port}/api/v0`,
            apiKey: request.apiKey ?? '',
            model: identifier,
            report: () => ({ ...report, commands: [...lms.commands] }),
            stop: async () => {
                if (stopped)
                    return;
                stopped = true;
                await undoAll();
            }
        };
    }
    catch (error) {
        await undoAll();
        throw new ServerStartError(error.message, reportSoFar(), { cause: error });
    }
}
const lmStudioDriver = {
    options: [
        { name: 'lms-path', value: ' PATH', description: "LM Studio's lms CLI (default: on PATH, else ~/.lmstudio/bin/lms)" },
        { name: 'lmstudio-port', value: ' PORT', description: "port to start LM Studio's server on when it is not running (default 1234)" }
    ],
    readOptions: (read, label) => {
        const port = readPort(read('lmstudio-port').trim(), label('lmstudio-port'));
        return { lmsPath: read('lms-path') || undefined, ...(port !== undefined ? { port } : {}) };
    },
    start: startLmStudio,
    cleanup: async (saved, host) => {
        const lmsPath = saved(LmStudioState.Lms);
        const identifier = saved(LmStudioState.Identifier);
        const startedServer = saved(LmStudioState.StartedServer) === 'true';
        const startedDaemon = saved(LmStudioState.StartedDaemon) === 'true';
        if (!lmsPath || (!identifier && !startedServer && !startedDaemon))
            return;
        await undo(createLms(lmsPath), { ...(identifier ? { identifier } : {}), startedServer, startedDaemon }, host);
    }
};

;// CONCATENATED MODULE: ./src/server/registry.ts
// Every backend a suite or the `server` input may name, and the one place that knows them:
// adding a backend is its driver file plus one line here.



const DRIVERS = {
    connect: connectDriver,
    'llama.cpp': llamaCppDriver,
    lmstudio: lmStudioDriver
};
const BACKENDS = Object.keys(DRIVERS);
function isBackend(name) {
    return Object.hasOwn(DRIVERS, name);
}
// The table's entries differ in their options type; each is only ever given its own.
function driverOf(backend) {
    return DRIVERS[backend];
}
/** Every backend's own options, read by its driver. */
function readBackendOptions(read, label) {
    return Object.fromEntries(BACKENDS.map((backend) => [backend, driverOf(backend).readOptions(read, label)]));
}
/** The options all backends add, for the CLI's flags and usage. */
function backendOptionList() {
    return BACKENDS.flatMap((backend) => driverOf(backend).options.map((option) => ({ backend, ...option })));
}

;// CONCATENATED MODULE: ./src/options.ts
// The run's options and every name users see, in one place: action.yml, the code and the README
// spell them so. The action reads them as inputs, the CLI as flags (same names, defaults and
// checks); each backend reads its own (registry.ts).

const Input = {
    Suite: 'suite',
    Server: 'server',
    ApiKey: 'api-key',
    Model: 'model',
    MinTokensPerSecond: 'min-tokens-per-second',
    GithubToken: 'github-token',
    Comment: 'comment',
    CommentTag: 'comment-tag',
    ResultsFile: 'results-file',
    ServerTimeout: 'server-timeout',
    RequestTimeout: 'request-timeout',
    Baseline: 'baseline',
    BaselineFile: 'baseline-file',
    FailOn: 'fail-on',
    MaxSpeedRegression: 'max-speed-regression',
    MaxRepeat: 'max-repeat',
    FailOnInconclusive: 'fail-on-inconclusive',
    Concurrency: 'concurrency',
    Shard: 'shard',
    Mode: 'mode',
    MergeFrom: 'merge-from',
    Label: 'label'
};
const Output = {
    Passed: 'passed',
    CasesPassed: 'cases-passed',
    CasesFailed: 'cases-failed',
    TokensPerSecond: 'tokens-per-second',
    ResultsFile: 'results-file',
    CommentUrl: 'comment-url',
    Regressions: 'regressions',
    Baseline: 'baseline',
    FailureKind: 'failure-kind',
    Best: 'best'
};
/** State the main step leaves for the post step; each backend keeps its own names beside it. */
const State = {
    Backend: 'backend'
};
const BASELINE_MODES = ['auto', 'save', 'off'];
const FAIL_ON = ['any', 'new-failures'];
const RUN_MODES = ['run', 'merge'];
const ESCAPES = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
/**
 * A value as the user gave it, for a message: quoted, on one line and short, so a pasted
 * multi-line value cannot make one error span lines.
 */
function options_shown(value) {
    const chars = [...value];
    const short = chars.length > 60 ? `${chars.slice(0, 57).join('')}…` : value;
    return `'${short.replace(/[\p{Cc}\u2028\u2029]/gu, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}
function parseChoice(value, allowed, fallback, source) {
    const given = value.trim();
    if (given === '')
        return fallback;
    if (allowed.includes(given))
        return given;
    throw new Error(`Invalid ${source} ${options_shown(value)}: expected one of ${allowed.join(', ')}.`);
}
/** The spellings @actions/core's getBooleanInput takes (YAML 1.2's), so an input reads the same either way. */
const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];
function parseBoolean(value, source, fallback = false) {
    const given = value.trim();
    if (given === '')
        return fallback;
    if (TRUE.includes(given))
        return true;
    if (FALSE.includes(given))
        return false;
    throw new Error(`Invalid ${source} ${options_shown(value)}: expected true or false.`);
}
/**
 * A number as a person writes one. `Number` alone also takes `0x1f`, `0b11` and `Infinity`,
 * which nobody means as seconds or percent.
 */
function decimal(value) {
    return /^\+?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value.trim()) ? Number(value) : Number.NaN;
}
function parseWholeNumber(value, source, fallback, most) {
    if (value.trim() === '')
        return fallback;
    const n = decimal(value);
    if (!Number.isInteger(n) || n < 1 || n > most)
        throw new Error(`Invalid ${source} ${options_shown(value)}: expected a whole number from 1 to ${most}.`);
    return n;
}
function parseBackend(value, source) {
    const given = value.trim();
    if (given === '')
        return undefined;
    if (isBackend(given))
        return given;
    throw new Error(`Invalid ${source} ${options_shown(value)}: expected one of ${BACKENDS.join(', ')}.`);
}
function parsePositiveNumber(value, source) {
    if (value.trim() === '')
        return undefined;
    const n = decimal(value);
    if (!Number.isFinite(n) || n <= 0)
        throw new Error(`Invalid ${source} ${options_shown(value)}: expected a number above 0.`);
    return n;
}
/** The longest wait a timer can hold, in whole seconds: Node fires a longer one at once. */
const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
function parseTimeoutMs(value, source, fallbackSeconds) {
    const seconds = parsePositiveNumber(value, source) ?? fallbackSeconds;
    if (seconds > MAX_TIMEOUT_SECONDS)
        throw new Error(`Invalid ${source} ${options_shown(value)}: expected at most ${MAX_TIMEOUT_SECONDS} seconds (about 24 days).`);
    return seconds * 1000;
}
/** Most samples a speed case may take, as a case's `repeat` may ask for at most. */
const MAX_REPEAT = 100;
/** Most requests in flight at once: far above the slots a local server has. */
const MAX_CONCURRENCY = 64;
/** A matrix has at most 256 jobs, so no more shards than that. */
const MAX_SHARDS = 256;
/** `2/4`: the second of four shards. */
function parseShard(value, source) {
    if (value.trim() === '')
        return undefined;
    const match = value.trim().match(/^(\d+)\s*\/\s*(\d+)$/);
    const index = Number(match?.[1]);
    const count = Number(match?.[2]);
    if (!match || index < 1 || count < 1 || index > count || count > MAX_SHARDS) {
        throw new Error(`Invalid ${source} ${options_shown(value)}: expected K/N, the K-th of N shards (1 ≤ K ≤ N ≤ ${MAX_SHARDS}), e.g. 2/4.`);
    }
    return { index, count };
}
/**
 * The run options, read by name. `label` names a value the way its user wrote it, for error
 * messages: `input 'server'` in the action, `--server` in the CLI.
 */
function parseRunOptions(read, label) {
    const mode = parseChoice(read(Input.Mode), RUN_MODES, 'run', label(Input.Mode));
    const shard = parseShard(read(Input.Shard), label(Input.Shard));
    const mergeFrom = read(Input.MergeFrom).trim() || undefined;
    if (mode === 'merge' && !mergeFrom)
        throw new Error(`Missing ${label(Input.MergeFrom)}: with mode 'merge', the folder the runs' results files were downloaded to.`);
    if (mode === 'merge' && shard)
        throw new Error(`${label(Input.Shard)} is for mode 'run': a merge reads every shard.`);
    if (mode === 'run' && mergeFrom)
        throw new Error(`${label(Input.MergeFrom)} is for mode 'merge': set mode: merge to gather results files.`);
    const concurrency = read(Input.Concurrency).trim() === '' ? undefined : parseWholeNumber(read(Input.Concurrency), label(Input.Concurrency), 1, MAX_CONCURRENCY);
    return {
        suitePath: read(Input.Suite),
        backend: parseBackend(read(Input.Server), label(Input.Server)),
        apiKey: read(Input.ApiKey) || undefined,
        model: read(Input.Model) || undefined,
        minTokensPerSecond: parsePositiveNumber(read(Input.MinTokensPerSecond), label(Input.MinTokensPerSecond)),
        serverTimeoutMs: parseTimeoutMs(read(Input.ServerTimeout), label(Input.ServerTimeout), 300),
        requestTimeoutMs: parseTimeoutMs(read(Input.RequestTimeout), label(Input.RequestTimeout), 600),
        resultsFile: read(Input.ResultsFile) || 'modelgate-results.json',
        backends: readBackendOptions(read, label),
        baseline: parseChoice(read(Input.Baseline), BASELINE_MODES, 'auto', label(Input.Baseline)),
        baselineFile: read(Input.BaselineFile) || undefined,
        failOn: parseChoice(read(Input.FailOn), FAIL_ON, 'any', label(Input.FailOn)),
        maxSpeedRegressionPercent: parsePositiveNumber(read(Input.MaxSpeedRegression), label(Input.MaxSpeedRegression)) ?? 5,
        maxRepeat: parseWholeNumber(read(Input.MaxRepeat), label(Input.MaxRepeat), 15, MAX_REPEAT),
        failOnInconclusive: parseBoolean(read(Input.FailOnInconclusive), label(Input.FailOnInconclusive)),
        ...(concurrency !== undefined ? { concurrency } : {}),
        ...(shard ? { shard } : {}),
        mode,
        ...(mergeFrom ? { mergeFrom } : {}),
        ...(read(Input.Label).trim() || read(Input.Model).trim() ? { label: read(Input.Label).trim() || read(Input.Model).trim() } : {})
    };
}

;// CONCATENATED MODULE: ./src/inputs.ts
// The action's inputs, read through @actions/core into the run options the CLI builds from flags.


function readInputs(host) {
    const apiKey = core/* getInput */.V4(Input.ApiKey);
    // Masked before anything can print it, the token too (the runner masks its own, not a PAT's).
    if (apiKey)
        host.mask(apiKey);
    const githubToken = core/* getInput */.V4(Input.GithubToken);
    if (githubToken)
        host.mask(githubToken);
    const hfToken = core/* getInput */.V4('hf-token');
    if (hfToken)
        host.mask(hfToken);
    // Checked here, not by @actions/core: its message names the input without saying it is one.
    if (!core/* getInput */.V4(Input.Suite))
        throw new Error(`Missing ${host.optionLabel(Input.Suite)}: the path of the suite YAML, relative to the workspace.`);
    return {
        ...parseRunOptions((name) => core/* getInput */.V4(name), host.optionLabel),
        githubToken,
        // Spelt as getBooleanInput takes it, whose TypeError would name neither the input nor the value.
        comment: parseBoolean(core/* getInput */.V4(Input.Comment), host.optionLabel(Input.Comment), true),
        commentTag: core/* getInput */.V4(Input.CommentTag) || 'modelgate'
    };
}
/**
 * The label and shard of a run whose inputs were wrong, read as far as they can be: its results
 * file then tells the merge which shard failed, rather than leaving it missing.
 */
function partOfMerge() {
    const label = core/* getInput */.V4(Input.Label).trim() || core/* getInput */.V4(Input.Model).trim();
    let shard;
    try {
        shard = parseShard(core/* getInput */.V4(Input.Shard), Input.Shard);
    }
    catch {
        shard = undefined;
    }
    return { ...(label ? { label } : {}), ...(shard ? { shard } : {}) };
}

;// CONCATENATED MODULE: ./src/baseline/index.ts
// The baseline stage: find the run this one is compared with, and keep this one as the next
// baseline when it is the default branch's. Every store failing alone is a warning: a run without
// a baseline is still judged by its absolute checks.

function suiteKeyOf(suitePath) {
    return (0,external_node_crypto_.createHash)('sha256').update(suitePath).digest('hex').slice(0, 12);
}
/** The newest baseline any store has for these keys, preferring one from the same machine. */
async function findBaseline(stores, keys, host) {
    const found = [];
    for (const store of stores) {
        try {
            const baseline = await store.restore(keys);
            if (baseline)
                found.push(baseline);
        }
        catch (error) {
            host.warn(`could not read the baseline from ${store.name}: ${error.message}`);
        }
    }
    const sameMachine = (b) => b.results.fingerprint?.machineHash === keys.machine;
    return found.sort((a, b) => Number(sameMachine(b)) - Number(sameMachine(a)) || b.results.finishedAt.localeCompare(a.results.finishedAt))[0];
}
/** Saves to every store; gives where it was kept. */
async function saveBaseline(stores, results, keys, host) {
    const saved = [];
    for (const store of stores) {
        try {
            saved.push(await store.save(results, keys));
        }
        catch (error) {
            host.warn(`could not save the baseline to ${store.name}: ${error.message}`);
        }
    }
    return saved;
}

;// CONCATENATED MODULE: ./src/checks/text.ts
/** 1-based line of a character offset in `text`. */
function lineAt(text, offset) {
    let line = 1;
    for (let i = 0; i < offset && i < text.length; i++)
        if (text.charCodeAt(i) === 10)
            line++;
    return line;
}
/** Shortens what a message quotes, so a long needle does not swamp the report. */
function quote(value, max = 80) {
    const cut = value.length > max ? `${value.slice(0, max)}…` : value;
    return JSON.stringify(cut);
}
/**
 * Decides a per-sample check over every sample of a case: it passes only when every sample
 * passes, and otherwise reports the first sample that failed.
 */
function everySample(samples, decide) {
    if (samples.length === 0)
        return { passed: false, message: 'no sample was measured' };
    const outcomes = samples.map((sample) => ({ sample, outcome: decide(sample) }));
    const failed = outcomes.filter((o) => !o.outcome.passed);
    if (failed.length === 0) {
        return { passed: true, message: outcomes[0].outcome.message };
    }
    const first = failed[0];
    const prefix = samples.length > 1 ? `sample ${first.sample.index + 1} of ${samples.length}: ` : '';
    const others = failed.length > 1 ? ` (${failed.length} of ${samples.length} samples failed)` : '';
    return { ...first.outcome, sample: first.sample.index, message: `${prefix}${first.outcome.message}${others}` };
}
function compilePattern(assertion) {
    const flags = typeof assertion.flags === 'string' ? assertion.flags : '';
    return new RegExp(String(assertion.value), flags.includes('g') ? flags : `${flags}g`);
}
function validatePattern(assertion) {
    try {
        compilePattern(assertion);
        return undefined;
    }
    catch (error) {
        return { field: 'value', message: `is not a valid regular expression: ${error.message}` };
    }
}
const valueField = { value: { type: 'string', minLength: 1 } };
const patternFields = { ...valueField, flags: { type: 'string', pattern: '^[imsu]*$' } };
const findText = (assertion, text) => {
    const index = text.indexOf(String(assertion.value));
    return index < 0 ? null : { index, matched: String(assertion.value) };
};
const findPattern = (assertion, text) => {
    const match = compilePattern(assertion).exec(text);
    return match ? { index: match.index, matched: match[0] } : null;
};
/**
 * One check that wants its text or pattern present in every sample (`wanted`), or absent from
 * every sample; what it says names the needle as the user wrote it.
 */
function presenceCheck(type, summary, find, wanted) {
    const isPattern = find === findPattern;
    const needle = (a) => (isPattern ? `/${String(a.value)}/` : quote(String(a.value)));
    return {
        type,
        summary,
        properties: isPattern ? patternFields : valueField,
        required: ['value'],
        ...(isPattern ? { validate: validatePattern } : {}),
        evaluate: (assertion, samples) => everySample(samples, ({ text }) => {
            const found = find(assertion, text);
            const verb = isPattern ? 'match' : 'contain';
            if (found === null) {
                return wanted
                    ? { passed: false, message: `expected the output to ${verb} ${needle(assertion)}; it does not` }
                    : { passed: true, message: `does not ${verb} ${needle(assertion)}` };
            }
            const line = lineAt(text, found.index);
            if (wanted)
                return { passed: true, message: `${verb}${isPattern ? 'es' : 's'} ${needle(assertion)} (line ${line})`, line };
            const what = isPattern ? `matched ${quote(found.matched, 40)} at line ${line}` : `found at line ${line}`;
            return { passed: false, message: `expected the output not to ${verb} ${needle(assertion)}; ${what}`, line };
        })
    };
}
const contains = presenceCheck('contains', 'every sample contains `value`', findText, true);
const notContains = presenceCheck('not-contains', 'no sample contains `value`', findText, false);
const regex = presenceCheck('regex', 'every sample matches the regular expression `value` (optional `flags`)', findPattern, true);
const notRegex = presenceCheck('not-regex', 'no sample matches the regular expression `value` (optional `flags`)', findPattern, false);

;// CONCATENATED MODULE: ./src/checks/code/languages/shared.ts
/** Spring and Bean Validation annotations: Java, and Kotlin on the JVM. */
const JVM_ANNOTATIONS = [/@(Override|Autowired|Service|RestController|Transactional|Data|Component|Valid|NotNull)\b/, 2];
/** Bean Validation runs a parameter's constraints only when it is marked so: Java, and Kotlin on the JVM. */
const BEAN_VALIDATION = /@(Valid|Validated)\b/;
/** jest's and vitest's calls that take tests: `describe`, `it.each(…)`, `test.skip`. */
const TEST_SUITE_CALLS = /^(describe|it|test|suite|context|beforeEach|afterEach|beforeAll|afterAll|before|after)$/;
/** `public class X`: Java and C#. */
const VISIBLE_CLASS = [/\b(public|private|protected)\s+(static\s+)?(final\s+)?class\s+\w+/, 1];
/** `throw new X`: Java, C#, JavaScript and TypeScript. */
const THROW_NEW = [/\bthrow\s+new\s+\w+/, 1];
/** What JavaScript and TypeScript both write. */
const SCRIPT_CLUES = [
    [/\b(const|let)\s+[\w{[]/, 2],
    [/\bfunction\s*\w*\s*\(|=>\s*[{(\w]/, 2],
    [/\bconsole\.\w+\(|\brequire\(['"]|\bmodule\.exports\b|===|!==|\bundefined\b/, 3],
    [/^\s*import\s+.*\s+from\s+['"]|^\s*export\s+(default|const|function|class|async|interface|type)\b/m, 3]
];
/**
 * Answers often show class members alone (a NestJS handler, a method with decorators), which the
 * script grammars accept only inside a class.
 */
const CLASS_MEMBER_WRAPPER = ['class Snippet { ', '\n}'];

;// CONCATENATED MODULE: ./src/checks/code/languages/spec.ts
// What the code checks know about one language. The tracer names no node type itself: it asks the
// spec of the grammar that parsed a node (see parser.ts, languageOf). Each list holds only types
// its grammar has (__tests__/unit/code-languages.test.ts checks this), so one grammar's name for
// a shape never reaches another grammar that uses the name for something else.
/** Declares a spec, keeping its id's literal type so the table can derive LanguageId. */
function defineLanguage(spec) {
    return spec;
}
/**
 * Every node type a spec names, split into named types and anonymous tokens (operators), for
 * checking them against the grammar. Callee names are words in code, not node types.
 */
function nodeTypesNamed(spec) {
    const named = new Set();
    const tokens = new Set();
    const visit = (value, key) => {
        if (typeof value === 'string') {
            if (key === 'operator')
                tokens.add(value);
            else if (key !== 'callee')
                named.add(value);
        }
        else if (Array.isArray(value))
            for (const item of value)
                visit(item, key);
        else if (value && typeof value === 'object')
            for (const [field, item] of Object.entries(value))
                visit(item, field);
    };
    visit(spec.syntax, 'syntax');
    return { named: [...named], tokens: [...tokens] };
}

;// CONCATENATED MODULE: ./src/checks/code/languages/csharp.ts


const csharp = defineLanguage({
    id: 'csharp',
    label: 'c#',
    grammarFile: 'tree-sitter-c_sharp.wasm',
    aliases: ['csharp', 'c#', 'cs', 'c-sharp', 'dotnet'],
    clues: [
        VISIBLE_CLASS,
        THROW_NEW,
        [/\busing\s+System\b|^\s*namespace\s+[\w.]+/m, 4],
        [/\{\s*get;\s*(private\s+|init;\s*|set;\s*)*\}/, 4],
        [/\b(async\s+)?Task(<[^>]*>)?\s+[A-Z]\w*\s*\(|\bI?ActionResult\b|\bnameof\(|\bConsole\.Write/, 3],
        [/\b(public|private|protected|internal)\s+(static\s+)?(async\s+)?[\w<>[\]?]+\s+[A-Z]\w*\s*\(/, 2],
        [/\b(string|bool)\s+\w+\s*[=;,)]|\b(int|long)\?\s+\w+/, 2]
    ],
    syntax: {
        comments: ['comment'],
        strings: ['string_literal', 'verbatim_string_literal', 'interpolated_string_expression', 'character_literal'],
        functions: {
            declared: ['method_declaration', 'constructor_declaration', 'local_function_statement', 'accessor_declaration'],
            lambdas: ['lambda_expression', 'anonymous_method_expression'],
            parameterLists: ['parameter_list']
        },
        calls: {
            types: ['invocation_expression', 'object_creation_expression', 'implicit_object_creation_expression'],
            argumentLists: ['argument_list']
        },
        // `attribute` is C#'s annotation, not a member access; it is here because one list once served
        // every grammar and Python names its member access so. No callee or binding target is one.
        memberAccess: ['member_access_expression', 'attribute'],
        classes: ['class_declaration', 'record_declaration', 'struct_declaration', 'interface_declaration'],
        annotations: { types: ['attribute'], lists: ['attribute_list'] },
        handlers: { catch: ['catch_clause'], finally: ['finally_clause'] },
        exits: { types: ['throw_statement', 'throw_expression', 'return_statement'] },
        conditionals: {
            byCondition: ['if_statement'],
            byMiddleOperand: ['conditional_expression'],
            expressions: ['conditional_expression', 'switch_expression_arm'],
            nullishGuard: { expression: 'binary_expression', operator: '??' }
        },
        switches: {
            types: ['switch_expression', 'switch_statement'],
            cases: ['switch_section', 'switch_expression_arm'],
            labels: ['case_switch_label', 'case_pattern_switch_label', 'default_switch_label', 'when_clause'],
            valueArms: ['switch_expression_arm'],
            subjectFirst: ['switch_expression']
        },
        constraints: {
            annotations: ['attribute'],
            bracketed: true,
            modifierLists: ['attribute_list'],
            namedHolders: ['parameter', 'property_declaration'],
            fieldHolders: ['field_declaration'],
            fieldDeclarators: ['variable_declarator']
        },
        bindings: {
            shapes: {
                declarator: ['variable_declarator'],
                'left-right': ['assignment_expression', 'for_each_statement'],
                for: ['for_statement'],
                'name-value': ['enum_member_declaration'],
                'declared-property': ['property_declaration']
            },
            valueClauses: ['equals_value_clause'],
            declaredVariables: ['variable_declaration'],
            objectInitializers: ['initializer_expression']
        },
        imports: ['using_directive']
    }
});

;// CONCATENATED MODULE: ./src/checks/code/languages/go.ts

const go = defineLanguage({
    id: 'go',
    label: 'go',
    grammarFile: 'tree-sitter-go.wasm',
    aliases: ['go', 'golang'],
    clues: [
        [/^\s*package\s+\w+\s*$/m, 4],
        [/\bfunc\s+(\([^)]*\)\s*)?\w+\s*\(/, 5],
        [/:=/, 3],
        [/\berr\s*!=\s*nil\b|\btype\s+\w+\s+struct\b|\bfmt\.\w+/, 4]
    ],
    tests: { functionNames: /^(Test|Benchmark|Fuzz)([A-Z_\d]|$)/, functionParameters: /\*testing\.[TBF]\b/ },
    syntax: {
        comments: ['comment'],
        strings: ['interpreted_string_literal', 'raw_string_literal'],
        functions: {
            declared: ['method_declaration', 'function_declaration'],
            lambdas: ['func_literal'],
            namedByFirstIdentifier: ['function_declaration'],
            parameterLists: ['parameter_list'],
            multiNameParameters: ['parameter_declaration']
        },
        calls: {
            types: ['call_expression', 'composite_literal'],
            calleeFirst: ['call_expression'],
            bodyArguments: ['composite_literal'],
            argumentLists: ['argument_list']
        },
        memberAccess: ['selector_expression'],
        classes: [],
        handlers: { defer: ['defer_statement'] },
        exits: {
            types: ['return_statement'],
            calls: [{ call: 'call_expression', callee: 'panic' }]
        },
        conditionals: {
            byCondition: ['if_statement'],
            expressions: []
        },
        switches: {
            types: ['expression_switch_statement'],
            cases: ['expression_case', 'default_case'],
            labels: []
        },
        bindings: {
            shapes: {
                'left-right': ['assignment_statement', 'short_var_declaration', 'range_clause'],
                for: ['for_statement'],
                'name-value': ['var_spec', 'const_spec']
            }
        },
        imports: ['import_declaration', 'import_spec', 'import_spec_list']
    }
});

;// CONCATENATED MODULE: ./src/checks/code/languages/java.ts


const java = defineLanguage({
    id: 'java',
    label: 'java',
    grammarFile: 'tree-sitter-java.wasm',
    aliases: ['java'],
    clues: [
        [/\bimport\s+java\.|^\s*package\s+[\w.]+;/m, 4],
        [/\bSystem\.(out|err)\.print/, 3],
        JVM_ANNOTATIONS,
        [/\bString\s+\w+\s*[=;,)]/, 2],
        [/\bthrows\s+[A-Z]\w*/, 2],
        [/\b(public|private|protected)\s+(static\s+)?(final\s+)?[\w<>[\],\s]+?\s+[a-z]\w*\s*\(/, 2],
        [/\bboolean\b|\bfinal\s+[A-Z]?\w+\s+\w+\s*=|\.equals\(/, 1],
        VISIBLE_CLASS,
        THROW_NEW
    ],
    declarative: { parameterMarker: BEAN_VALIDATION },
    syntax: {
        comments: ['line_comment', 'block_comment'],
        strings: ['string_literal', 'character_literal'],
        functions: {
            declared: ['method_declaration', 'constructor_declaration'],
            lambdas: ['lambda_expression'],
            parameterLists: ['formal_parameters']
        },
        calls: {
            types: ['method_invocation', 'object_creation_expression'],
            methodInvocations: ['method_invocation'],
            argumentLists: ['argument_list']
        },
        memberAccess: ['field_access'],
        classes: ['class_declaration', 'record_declaration', 'enum_declaration', 'interface_declaration'],
        annotations: { types: ['annotation', 'marker_annotation'], lists: ['modifiers'] },
        handlers: { catch: ['catch_clause'], finally: ['finally_clause'] },
        exits: { types: ['throw_statement', 'return_statement'] },
        conditionals: {
            byCondition: ['if_statement', 'ternary_expression'],
            expressions: ['ternary_expression', 'switch_rule']
        },
        // The grammar reads a switch statement as a switch_expression too.
        switches: {
            types: ['switch_expression'],
            cases: ['switch_block_statement_group', 'switch_rule'],
            labels: ['switch_label'],
            subjectFirst: ['switch_expression']
        },
        constraints: {
            annotations: ['annotation'],
            modifierLists: ['modifiers'],
            namedHolders: ['formal_parameter'],
            fieldHolders: ['field_declaration'],
            fieldDeclarators: ['variable_declarator']
        },
        bindings: {
            shapes: {
                declarator: ['variable_declarator'],
                'left-right': ['assignment_expression'],
                for: ['for_statement'],
                'name-value': ['enhanced_for_statement'],
                'name-arguments': ['enum_constant']
            }
        },
        imports: ['import_declaration']
    }
});

;// CONCATENATED MODULE: ./src/checks/code/languages/javascript.ts


const javascript = defineLanguage({
    id: 'javascript',
    label: 'javascript',
    grammarFile: 'tree-sitter-javascript.wasm',
    aliases: ['javascript', 'js', 'jsx', 'mjs', 'cjs', 'node', 'nodejs'],
    clues: [THROW_NEW, ...SCRIPT_CLUES],
    snippetWrapper: CLASS_MEMBER_WRAPPER,
    tests: { suiteCalls: TEST_SUITE_CALLS },
    syntax: {
        comments: ['comment'],
        strings: ['string', 'template_string'],
        // A directive such as "use strict" is a string statement too.
        docStrings: { string: 'string', statement: 'expression_statement' },
        functions: {
            declared: ['function_declaration', 'method_definition', 'generator_function_declaration'],
            lambdas: ['arrow_function', 'function_expression'],
            namedByFirstIdentifier: ['function_declaration'],
            parameterLists: ['formal_parameters']
        },
        calls: {
            types: ['call_expression', 'new_expression'],
            calleeFirst: ['call_expression']
        },
        memberAccess: ['member_expression'],
        classes: ['class_declaration', 'class'],
        handlers: { catch: ['catch_clause'], finally: ['finally_clause'] },
        exits: {
            types: ['throw_statement', 'return_statement'],
            // Not JavaScript's: panic was matched in every grammar's call_expression, and still is.
            calls: [{ call: 'call_expression', callee: 'panic' }]
        },
        conditionals: {
            byCondition: ['if_statement', 'ternary_expression'],
            expressions: ['ternary_expression'],
            nullishGuard: { expression: 'binary_expression', operator: '??' }
        },
        switches: {
            types: ['switch_statement'],
            cases: ['switch_case', 'switch_default'],
            labels: []
        },
        bindings: {
            shapes: {
                declarator: ['variable_declarator'],
                'left-right': ['assignment_expression', 'for_in_statement'],
                for: ['for_statement'],
                'property-value': ['field_definition'],
                'key-value': ['pair']
            },
            declaredVariables: ['variable_declaration']
        },
        imports: ['import', 'import_attribute', 'import_clause', 'import_specifier', 'import_statement', 'named_imports', 'namespace_import']
    }
});

;// CONCATENATED MODULE: ./src/checks/code/languages/kotlin.ts


// The grammar names no fields: callees, conditions and binding parts are read by position.
const kotlin = defineLanguage({
    id: 'kotlin',
    label: 'kotlin',
    grammarFile: 'tree-sitter-kotlin.wasm',
    aliases: ['kotlin', 'kt', 'kts'],
    clues: [
        JVM_ANNOTATIONS,
        [/\bfun\s+[\w.<>]+\s*\(/, 5],
        [/\bval\s+\w+\s*[:=]|\bdata\s+class\b|\bcompanion\s+object\b|\bimport\s+kotlin/, 3],
        [/\bwhen\s*(\([^)]*\))?\s*\{|\?:|!!/, 2],
        [/:\s*(String|Int|Long|Boolean)\??\s*[,)=]/, 2]
    ],
    declarative: { parameterMarker: BEAN_VALIDATION },
    syntax: {
        comments: ['line_comment', 'multiline_comment'],
        strings: ['string_literal', 'character_literal'],
        functions: {
            declared: ['function_declaration', 'secondary_constructor'],
            lambdas: ['lambda_literal', 'anonymous_function'],
            namedByFirstIdentifier: ['function_declaration'],
            parameterLists: ['function_value_parameters', 'lambda_parameters']
        },
        calls: {
            types: ['call_expression'],
            calleeFirst: ['call_expression'],
            argumentLists: ['call_suffix'],
            argumentWrappers: ['value_arguments', 'call_suffix'],
            trailingLambdas: ['annotated_lambda']
        },
        memberAccess: ['navigation_expression'],
        classes: ['class_declaration', 'object_declaration', 'companion_object'],
        annotations: { types: ['annotation'], lists: ['modifiers'] },
        handlers: { catch: ['catch_block'], finally: ['finally_block'] },
        exits: {
            types: [],
            jumps: ['jump_expression'],
            // Not Kotlin's: panic was matched in every grammar's call_expression, and still is.
            calls: [{ call: 'call_expression', callee: 'panic' }]
        },
        conditionals: {
            byCondition: [],
            byFirstOperand: ['if_expression', 'elvis_expression'],
            expressions: ['if_expression', 'elvis_expression', 'when_entry']
        },
        switches: {
            types: ['when_expression'],
            cases: ['when_entry'],
            labels: ['when_condition'],
            subjects: ['when_subject']
        },
        constraints: {
            annotations: ['annotation'],
            modifierLists: ['modifiers'],
            precedingModifiers: ['parameter_modifiers'],
            namedHolders: ['parameter', 'class_parameter'],
            fieldHolders: ['property_declaration'],
            fieldDeclarators: ['variable_declaration']
        },
        bindings: {
            shapes: {
                assignment: ['assignment'],
                for: ['for_statement'],
                'enum-entry': ['enum_entry'],
                'declared-property': ['property_declaration']
            },
            declaredVariables: ['variable_declaration'],
            entryArguments: ['value_arguments']
        },
        imports: ['import_alias', 'import_header', 'import_list', 'wildcard_import']
    }
});

;// CONCATENATED MODULE: ./src/checks/code/languages/python.ts

const python = defineLanguage({
    id: 'python',
    label: 'python',
    grammarFile: 'tree-sitter-python.wasm',
    aliases: ['python', 'py', 'python3', 'py3'],
    clues: [
        [/^\s*(async\s+)?def\s+\w+\s*\(.*\)\s*(->\s*[^:]+)?:\s*$/m, 5],
        [/^\s*class\s+\w+(\([^)]*\))?:\s*$/m, 4],
        [/^\s*(raise\s+\w+|except\b.*:\s*$|elif\b)/m, 3],
        [/\bNone\b|\bself\.|^\s*from\s+[\w.]+\s+import\s+\w+/m, 2]
    ],
    tests: { functionNames: /^test/, classNames: /^Test/ },
    declarative: { validatesOnConstruction: true, validatorDecorators: /^(field_validator|validator|model_validator|root_validator)$/ },
    syntax: {
        comments: ['comment'],
        strings: ['string', 'concatenated_string'],
        docStrings: { string: 'string', statement: 'expression_statement' },
        functions: {
            declared: ['function_definition'],
            lambdas: ['lambda'],
            parameterLists: ['parameters', 'lambda_parameters']
        },
        calls: {
            types: ['call'],
            argumentLists: ['argument_list']
        },
        memberAccess: ['attribute'],
        classes: ['class_definition'],
        annotations: { types: ['decorator'], wrappers: ['decorated_definition'] },
        assertStatements: ['assert_statement'],
        handlers: { except: ['except_clause', 'except_group_clause'], finally: ['finally_clause'] },
        exits: { types: ['return_statement', 'raise_statement'] },
        conditionals: {
            byCondition: ['if_statement', 'elif_clause'],
            byMiddleOperand: ['conditional_expression'],
            expressions: ['conditional_expression']
        },
        switches: {
            types: ['match_statement'],
            cases: ['case_clause'],
            labels: ['case_pattern', 'if_clause']
        },
        bindings: {
            shapes: {
                assignment: ['assignment'],
                for: ['for_statement'],
                'name-value': ['named_expression'],
                'key-value': ['pair']
            }
        },
        imports: [
            'aliased_import', 'future_import_statement', 'import_from_statement', 'import_prefix', 'import_statement', 'relative_import',
            'wildcard_import'
        ]
    }
});

;// CONCATENATED MODULE: ./src/checks/code/languages/typescript.ts



const typescript = defineLanguage({
    id: 'typescript',
    label: 'typescript',
    grammarFile: 'tree-sitter-typescript.wasm',
    aliases: ['typescript', 'ts', 'mts', 'cts'],
    clues: [
        THROW_NEW,
        ...SCRIPT_CLUES,
        [/:\s*(string|number|boolean|void|any|unknown|never)\b|\binterface\s+\w+\s*(extends\s+[\w, ]+)?\{/, 3],
        [/\btype\s+\w+\s*=|\bPromise<|\bas\s+(const|string|number)\b|\breadonly\s+\w+/, 2]
    ],
    supersetOf: 'javascript',
    snippetWrapper: CLASS_MEMBER_WRAPPER,
    tests: javascript.tests,
    // TypeScript's grammar extends JavaScript's: the same shapes, plus enums, typed class fields and
    // `import x = require(…)`. JavaScript's class fields (`field_definition`) are not in this grammar.
    syntax: {
        ...javascript.syntax,
        classes: ['class_declaration', 'class', 'abstract_class_declaration'],
        bindings: {
            ...javascript.syntax.bindings,
            shapes: {
                declarator: ['variable_declarator'],
                'left-right': ['assignment_expression', 'for_in_statement'],
                for: ['for_statement'],
                'name-value': ['enum_assignment', 'public_field_definition'],
                'key-value': ['pair']
            }
        },
        imports: [...javascript.syntax.imports, 'import_alias', 'import_require_clause']
    }
});

;// CONCATENATED MODULE: ./src/checks/code/languages/tsx.ts


// TypeScript's grammar plus JSX. It has no clues of its own: untagged TSX is read as TypeScript.
const tsx = defineLanguage({
    id: 'tsx',
    label: 'tsx',
    grammarFile: 'tree-sitter-tsx.wasm',
    aliases: ['tsx'],
    clues: [],
    snippetWrapper: typescript.snippetWrapper,
    tests: typescript.tests,
    syntax: typescript.syntax
});

;// CONCATENATED MODULE: ./src/checks/code/languages/index.ts
// The languages the code checks parse. Adding one is a spec file, imported and listed here; its
// grammar then ships with the bundle through grammars.ts. The order is the order the grammar files are listed
// in, and how detect.ts breaks ties between equal scores.








const LANGUAGE_SPECS = [java, csharp, kotlin, go, python, typescript, tsx, javascript];
const LANGUAGE_IDS = LANGUAGE_SPECS.map((spec) => spec.id);
const LANGUAGES = Object.fromEntries(LANGUAGE_SPECS.map((spec) => [spec.id, spec]));
/** The names a suite may give under `language:`: each language's id and label (`csharp`, `c#`). */
const LANGUAGE_NAMES = [...new Set(LANGUAGE_IDS.flatMap((id) => [id, LANGUAGES[id].label]))];
const byAlias = new Map(LANGUAGE_SPECS.flatMap((spec) => spec.aliases.map((alias) => [alias, spec.id])));
/** The language a fence tag or a `language:` value names, if it is one the checks parse. */
function languageNamed(name) {
    return byAlias.get(name.trim().toLowerCase());
}

;// CONCATENATED MODULE: ./src/checks/code/detect.ts

// Each clue counts once per block. Weights favour what only one language writes; clues that
// several share only break ties, and the parse decides between the best candidates. A clue is
// tested once, however many specs list it; ties between equal scores go to the language whose
// first matching clue comes first in the table's order.
const CLUES = (() => {
    const byClue = new Map();
    for (const spec of LANGUAGE_SPECS) {
        for (const clue of spec.clues) {
            const key = `${clue[0].source}/${clue[0].flags}/${clue[1]}`;
            const entry = byClue.get(key) ?? { clue, languages: [] };
            byClue.set(key, entry);
            entry.languages.push(spec.id);
        }
    }
    return [...byClue.values()];
})();
/** Candidate languages for untagged code, most likely first; empty when it does not look like code. */
function rankLanguages(code) {
    const scores = new Map();
    for (const { clue: [pattern, weight], languages } of CLUES) {
        if (!pattern.test(code))
            continue;
        for (const language of languages)
            scores.set(language, (scores.get(language) ?? 0) + weight);
    }
    // A superset (TypeScript of JavaScript) lists its base's clues too: it wins only on its own.
    for (const spec of LANGUAGE_SPECS) {
        const base = spec.supersetOf;
        if (base === undefined)
            continue;
        if ((scores.get(spec.id) ?? 0) > (scores.get(base) ?? 0))
            scores.delete(base);
        else
            scores.delete(spec.id);
    }
    return [...scores.entries()]
        .filter(([, score]) => score >= 2)
        .sort((a, b) => b[1] - a[1])
        .map(([language]) => language);
}

;// CONCATENATED MODULE: ./src/checks/code/extract.ts

// Tags that say nothing about the language: the content decides.
const NEUTRAL_TAGS = new Set(['', 'text', 'plaintext', 'plain', 'txt', 'code', 'none']);
const OPENING_FENCE = /^([ \t]*)(`{3,}|~{3,})(.*)$/;
function splitLines(text) {
    return text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}
function tagOf(info) {
    const word = info.trim().split(/[\s,;:{}]+/).find((part) => part.length > 0) ?? '';
    return word.replace(/^\.|^language-/i, '').toLowerCase();
}
/** Removes up to `width` columns of the fence's own indentation, as a list item indents both. */
function unindent(line, width) {
    let cut = 0;
    while (cut < width && (line[cut] === ' ' || line[cut] === '\t'))
        cut++;
    return line.slice(cut);
}
/**
 * The fenced code blocks of a Markdown answer (``` or ~~~, any fence length, indented or not,
 * an unclosed last fence running to the end), or the whole answer as one unfenced block when it
 * has no fence. Line numbers point into the answer.
 */
function extractCodeBlocks(answer) {
    const lines = splitLines(answer);
    const blocks = [];
    for (let i = 0; i < lines.length; i++) {
        const opening = OPENING_FENCE.exec(lines[i]);
        if (!opening)
            continue;
        const [, indent = '', fence = '', info = ''] = opening;
        // A backtick fence's info string cannot hold a backtick: ```x``` on one line is inline code.
        if (fence.startsWith('`') && info.includes('`'))
            continue;
        const closing = new RegExp(`^[ \\t]*${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
        let end = i + 1;
        while (end < lines.length && !closing.test(lines[end]))
            end++;
        const tag = tagOf(info);
        const taggedLanguage = languageNamed(tag);
        blocks.push({
            code: lines.slice(i + 1, end).map((line) => unindent(line, indent.length)).join('\n'),
            ...(NEUTRAL_TAGS.has(tag) ? {} : { tag }),
            ...(taggedLanguage ? { taggedLanguage } : {}),
            startLine: i + 2,
            fenced: true,
            closed: end < lines.length
        });
        i = end;
    }
    if (blocks.length > 0 || answer.trim() === '')
        return blocks;
    return [{ code: lines.join('\n'), startLine: 1, fenced: false, closed: true }];
}

// EXTERNAL MODULE: external "node:module"
var external_node_module_ = __webpack_require__(8995);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./src/checks/code/grammars.ts





/** web-tree-sitter's script, loaded at run time rather than bundled (see parser.ts). */
const RUNTIME_SCRIPT = 'tree-sitter.cjs';
/** web-tree-sitter's wasm runtime, which every grammar needs. */
const RUNTIME_FILE = 'tree-sitter.wasm';
/** The grammar files the code checks load. */
const GRAMMAR_FILES = LANGUAGE_IDS.map((id) => LANGUAGES[id].grammarFile);
/** Everything a bundle ships in its grammars/ directory: the runtime and the grammars. */
const SHIPPED_FILES = [RUNTIME_SCRIPT, RUNTIME_FILE, ...GRAMMAR_FILES];
function shippedIn(dir, source, what) {
    const missing = [RUNTIME_SCRIPT, RUNTIME_FILE].filter((file) => !(0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, file)));
    if (missing.length > 0)
        throw new Error(`${what} (${dir}) holds no ${missing.join(' or ')}`);
    return { runtimeScript: (0,external_node_path_.join)(dir, RUNTIME_SCRIPT), runtimeFile: (0,external_node_path_.join)(dir, RUNTIME_FILE), grammarDir: dir, source };
}
/**
 * Finds the runtime and the grammars: `MODELGATE_GRAMMARS_DIR` first (one directory holding
 * SHIPPED_FILES), then `grammars/` next to the running bundle, then the npm packages, where they
 * live in two different directories.
 */
function locateGrammars(env = process.env) {
    const fromEnv = env.MODELGATE_GRAMMARS_DIR;
    if (fromEnv)
        return shippedIn(fromEnv, 'MODELGATE_GRAMMARS_DIR', 'MODELGATE_GRAMMARS_DIR');
    // dist/index.js finds dist/grammars/ beside it; the CLI bundle in dist/cli/ finds it one level
    // up. The paths are joined at run time: ncc rewrites a literal `new URL('./grammars/',
    // import.meta.url)` into a require() of the directory, which fails.
    const bundleDir = (0,external_node_path_.dirname)((0,external_node_url_.fileURLToPath)(import.meta.url));
    const besideBundle = [[bundleDir, 'grammars'], [bundleDir, '..', 'grammars']].map((parts) => (0,external_node_path_.join)(...parts));
    const shipped = besideBundle.find((dir) => (0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, RUNTIME_FILE)));
    if (shipped)
        return shippedIn(shipped, 'bundle', 'the bundled grammars directory');
    const require = (0,external_node_module_.createRequire)(import.meta.url);
    try {
        return {
            runtimeScript: require.resolve('web-tree-sitter'),
            runtimeFile: require.resolve(`web-tree-sitter/${RUNTIME_FILE}`),
            grammarDir: (0,external_node_path_.join)((0,external_node_path_.dirname)(require.resolve('tree-sitter-wasms/package.json')), 'out'),
            source: 'node_modules'
        };
    }
    catch (error) {
        throw new Error(`cannot find the tree-sitter grammars: set MODELGATE_GRAMMARS_DIR, ship them in ${besideBundle[0]}, ` +
            `or install web-tree-sitter and tree-sitter-wasms (${error.message})`, { cause: error });
    }
}

;// CONCATENATED MODULE: ./src/checks/code/parser.ts




// The runtime starts once per process and each grammar compiles once, on first use: a suite
// that only checks Java never pays for the Kotlin grammar.
let runtime;
const grammars = new Map();
// What has finished loading, for compiling queries synchronously (a suite's validate is synchronous).
let started;
const ready = new Map();
// A node reaches its grammar through its tree; the grammar leads to the spec that reads it.
const specs = new WeakMap();
/**
 * Loads web-tree-sitter from where the grammars are, unbundled. ncc breaks both of its builds:
 * the ESM one's `await import("module")` loses createRequire, and the CommonJS one reads
 * __dirname, which an ESM bundle lacks. Loaded as published, it works (and ncc leaves
 * createRequire alone).
 */
function loadTreeSitter(location) {
    return (0,external_node_module_.createRequire)(import.meta.url)(location.runtimeScript);
}
function startRuntime() {
    runtime ??= (async () => {
        const location = locateGrammars();
        const treeSitter = loadTreeSitter(location);
        await treeSitter.Parser.init({ locateFile: () => location.runtimeFile });
        started = { treeSitter, location, parser: new treeSitter.Parser() };
        return started;
    })().catch((error) => {
        runtime = undefined;
        throw new Error(`cannot start tree-sitter: ${error.message}`, { cause: error });
    });
    return runtime;
}
function loadGrammar(id) {
    let grammar = grammars.get(id);
    if (!grammar) {
        grammar = startRuntime().then(({ treeSitter, location }) => treeSitter.Language.load((0,external_node_path_.join)(location.grammarDir, LANGUAGES[id].grammarFile)).then((language) => {
            specs.set(language, LANGUAGES[id]);
            ready.set(id, language);
            return language;
        }, (error) => {
            grammars.delete(id);
            throw new Error(`cannot load the ${LANGUAGES[id].label} grammar from ${location.grammarDir}: ${error.message}`, {
                cause: error
            });
        }));
        grammars.set(id, grammar);
    }
    return grammar;
}
/** Loads the grammars of `languages` (cached across calls) and returns a parser for them. */
async function loadParser(languages) {
    const { parser } = await startRuntime();
    const loaded = new Map();
    for (const id of new Set(languages))
        loaded.set(id, await loadGrammar(id));
    return {
        parse(source, language) {
            const grammar = loaded.get(language);
            if (!grammar)
                throw new Error(`the ${LANGUAGES[language].label} grammar was not loaded`);
            parser.setLanguage(grammar);
            const tree = parser.parse(source);
            if (!tree)
                throw new Error(`tree-sitter returned no tree for ${LANGUAGES[language].label}`);
            return tree;
        }
    };
}
/** Loads a language's grammar (cached), so that compileQuery can compile queries in it. */
async function loadLanguage(id) {
    await loadGrammar(id);
}
/**
 * Compiles a tree-sitter query in a language whose grammar has loaded (by loadLanguage or a
 * parse); undefined while it has not. Throws web-tree-sitter's error for a query that does not
 * compile.
 */
function compileQuery(id, source) {
    const language = ready.get(id);
    return started && language ? new started.treeSitter.Query(language, source) : undefined;
}
/** The spec of the language a node was parsed as. */
function languageOf(node) {
    const spec = specs.get(node.tree.language);
    if (!spec)
        throw new Error(`a ${node.type} node from a grammar loadParser did not load`);
    return spec;
}

;// CONCATENATED MODULE: ./src/checks/code/syntax.ts

function syntaxOf(node) {
    return languageOf(node).syntax;
}
function isOneOf(node, types) {
    return types !== undefined && types.includes(node.type);
}
function namedChildren(node) {
    const { comments } = syntaxOf(node);
    return node.namedChildren.filter((child) => child !== null && !comments.includes(child.type));
}
/** Whether `inner` lies within `outer` (or is it). */
function encloses(outer, inner) {
    return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}
function isComment(node) {
    return isOneOf(node, syntaxOf(node).comments);
}
function isStringLiteral(node) {
    return isOneOf(node, syntaxOf(node).strings);
}
/** A string literal's text without its quotes and prefixes (f"", @"", $"", r``…). */
function stringContent(node) {
    return node.text.replace(/^[a-zA-Z@$]*("""|'''|"|'|`)/, '').replace(/("""|'''|"|'|`)$/, '');
}
/** A Python docstring: a bare string statement, which documents rather than computes. */
function isDocString(node) {
    const docStrings = syntaxOf(node).docStrings;
    return node.type === docStrings?.string && node.parent?.type === docStrings.statement && node.parent.namedChildCount === 1;
}
// Every grammar names its identifiers …identifier; a type's name is not a value's.
function isIdentifier(node) {
    return node.isNamed && node.childCount === 0 && node.type.endsWith('identifier') && node.type !== 'type_identifier';
}
/** The identifiers within a node, in source order. */
function identifiersIn(node) {
    if (isIdentifier(node))
        return [node];
    return namedChildren(node).flatMap(identifiersIn);
}
function isFunction(node) {
    const { functions } = syntaxOf(node);
    return isOneOf(node, functions.declared) || isOneOf(node, functions.lambdas);
}
function isLambda(node) {
    return isOneOf(node, syntaxOf(node).functions.lambdas);
}
/** Whether a node handles a failure rather than validating input: a catch, except, finally or Go defer. */
function handlerKind(node) {
    const { handlers } = syntaxOf(node);
    return Object.keys(handlers).find((kind) => isOneOf(node, handlers[kind]));
}
/** Calls, and constructions (`new X(…)`, Go's `&X{…}`), which take arguments the same way. */
function isCall(node) {
    return isOneOf(node, syntaxOf(node).calls.types);
}
function calleeNode(call) {
    return (call.childForFieldName('function') ??
        call.childForFieldName('constructor') ??
        call.childForFieldName('type') ??
        (isOneOf(call, syntaxOf(call).calls.calleeFirst) ? namedChildren(call)[0] : undefined) ??
        undefined);
}
function isMethodInvocation(call) {
    return isOneOf(call, syntaxOf(call).calls.methodInvocations);
}
/**
 * The call a trailing lambda continues: Kotlin reads `require(ok) { "50001" }` as a call of the
 * call `require(ok)`, which callers see as one call of `require` with both arguments.
 */
function continuedCall(call) {
    const { trailingLambdas } = syntaxOf(call).calls;
    if (!trailingLambdas)
        return undefined;
    const callee = calleeNode(call);
    const list = argumentsNode(call);
    return callee && isCall(callee) && list && namedChildren(list).every((child) => isOneOf(child, trailingLambdas)) ? callee : undefined;
}
/** What a call calls, as written without spaces (`log.error`, `Result.fail`, `BizException`). */
function calleeText(call) {
    const continued = continuedCall(call);
    if (continued)
        return calleeText(continued);
    if (isMethodInvocation(call)) {
        const object = call.childForFieldName('object');
        const name = call.childForFieldName('name')?.text ?? '';
        return (object ? `${object.text}.${name}` : name).replace(/\s+/g, '');
    }
    return (calleeNode(call)?.text ?? '').replace(/\s+/g, '');
}
/** The last name of a callee: `this.validator.checkFlag` → `checkFlag`. */
function calleeName(call) {
    const segments = calleeText(call).replace(/<[^<>]*>/g, '').split(/\?\.|\.|::|->/);
    return segments[segments.length - 1] ?? '';
}
function argumentsNode(call) {
    const { calls } = syntaxOf(call);
    return (call.childForFieldName('arguments') ??
        (isOneOf(call, calls.bodyArguments) ? call.childForFieldName('body') : undefined) ??
        namedChildren(call).find((child) => isOneOf(child, calls.argumentLists)) ??
        undefined);
}
/** The arguments of a call, in order (Kotlin's trailing lambda last). */
function callArguments(call) {
    const list = argumentsNode(call);
    if (!list)
        return [];
    const { argumentWrappers } = syntaxOf(call).calls;
    const own = namedChildren(list).flatMap((child) => (isOneOf(child, argumentWrappers) ? namedChildren(child) : [child]));
    const continued = continuedCall(call);
    return continued ? [...callArguments(continued), ...own] : own;
}
function isMemberAccess(node) {
    return isOneOf(node, syntaxOf(node).memberAccess);
}
/** What a method is called on: `Stream.of(a, b)` in `Stream.of(a, b).forEach(…)`. */
function callReceiver(call) {
    const continued = continuedCall(call);
    if (continued)
        return callReceiver(continued);
    if (isMethodInvocation(call))
        return call.childForFieldName('object') ?? undefined;
    const callee = calleeNode(call);
    return callee && isMemberAccess(callee) ? namedChildren(callee)[0] : undefined;
}
/** The call a lambda is passed to, if it is an argument (`list.forEach(f -> …)`). */
function callTakingLambda(lambda) {
    let node = lambda.parent;
    for (let depth = 0; node && depth < 4; depth++, node = node.parent) {
        if (isCall(node))
            return argumentsNode(node) && encloses(argumentsNode(node), lambda) ? node : undefined;
    }
    return undefined;
}
/** A statement that leaves the function: return, throw, raise, Kotlin's jump expressions, Go's panic. */
function isExit(node) {
    const { exits } = syntaxOf(node);
    if (isOneOf(node, exits.types))
        return true;
    if (isOneOf(node, exits.jumps))
        return /^(throw|return)\b/.test(node.text);
    return (exits.calls ?? []).some(({ call, callee }) => node.type === call && calleeText(node) === callee);
}
/** Whether a branch leaves the function somewhere in its own code (not in a nested function). */
function containsExit(branch) {
    if (isExit(branch))
        return true;
    return namedChildren(branch).some((child) => !isFunction(child) && containsExit(child));
}
// Statement-level nodes (by the grammars' naming) bound how far an expression's context reaches.
const STATEMENT_LIKE = /(statement|declaration|block|body|clause|statements|program|module|source_file|compilation_unit)$/;
/** Whether an expression is what a return/throw hands back (`return x ? ok : fail(…)`). */
function isExitValue(expression) {
    for (let node = expression.parent; node && !isFunction(node); node = node.parent) {
        if (isExit(node))
            return true;
        if (STATEMENT_LIKE.test(node.type))
            return false;
    }
    return false;
}
function isCase(node) {
    return isOneOf(node, syntaxOf(node).switches.cases);
}
function caseLabels(caseNode) {
    const { switches } = syntaxOf(caseNode);
    if (isOneOf(caseNode, switches.valueArms))
        return namedChildren(caseNode).slice(0, -1);
    const labels = [];
    for (let i = 0; i < caseNode.childCount; i++) {
        const child = caseNode.child(i);
        const field = caseNode.fieldNameForChild(i);
        if (child?.isNamed && (isOneOf(child, switches.labels) || field === 'value' || field === 'pattern'))
            labels.push(child);
    }
    return labels;
}
function switchSubject(caseNode) {
    const { switches } = syntaxOf(caseNode);
    let node = caseNode.parent;
    for (let depth = 0; node && depth < 3 && !isOneOf(node, switches.types); depth++)
        node = node.parent;
    if (!node || !isOneOf(node, switches.types))
        return undefined;
    return (node.childForFieldName('condition') ??
        node.childForFieldName('value') ??
        node.childForFieldName('subject') ??
        namedChildren(node).find((child) => isOneOf(child, switches.subjects)) ??
        (isOneOf(node, switches.subjectFirst) ? namedChildren(node)[0] : undefined));
}
function isNullishGuard(node) {
    return node.type === syntaxOf(node).conditionals.nullishGuard?.expression;
}
function conditionsOf(node) {
    const { conditionals } = syntaxOf(node);
    const byMiddleOperand = isOneOf(node, conditionals.byMiddleOperand);
    if (byMiddleOperand || isOneOf(node, conditionals.byCondition)) {
        const condition = node.childForFieldName('condition') ?? (byMiddleOperand ? namedChildren(node)[1] : undefined);
        const initializer = node.childForFieldName('initializer');
        return [condition, initializer].filter((part) => part !== null && part !== undefined);
    }
    if (isOneOf(node, conditionals.byFirstOperand))
        return namedChildren(node).slice(0, 1);
    if (isNullishGuard(node)) {
        // Only `a ?? throw …` guards; the expression's other operators merely compute.
        const left = node.childForFieldName('left');
        return node.children.some((child) => child?.type === conditionals.nullishGuard?.operator) && left ? [left] : undefined;
    }
    if (!isCase(node))
        return undefined;
    const subject = switchSubject(node);
    return [...(subject ? [subject] : []), ...caseLabels(node)];
}
/**
 * The name a constraint annotation validates: `@Range(…) Integer activeFlag` in Java, C#'s
 * `[Range(…)] public int ActiveFlag`. Frameworks reject the request before the method runs, so
 * such an annotation is a guard on that parameter, field or property. Annotations elsewhere
 * (a method's `@ApiResponse(code = 50002)`) document rather than validate.
 */
function constrainedName(annotation) {
    const { constraints } = syntaxOf(annotation);
    if (!constraints || !isOneOf(annotation, constraints.annotations))
        return undefined;
    let holder = annotation.parent;
    if (holder && isOneOf(holder, constraints.precedingModifiers))
        holder = holder.nextNamedSibling;
    else if (holder && isOneOf(holder, constraints.modifierLists))
        holder = holder.parent;
    if (!holder)
        return undefined;
    if (isOneOf(holder, constraints.namedHolders))
        return holder.childForFieldName('name') ?? namedChildren(holder).find(isIdentifier);
    if (!isOneOf(holder, constraints.fieldHolders))
        return undefined;
    const declarator = holder.childForFieldName('declarator') ?? holder.descendantsOfType([...(constraints.fieldDeclarators ?? [])])[0];
    return declarator ? (declarator.childForFieldName('name') ?? namedChildren(declarator)[0]) : undefined;
}
function isConstraint(node) {
    return isOneOf(node, syntaxOf(node).constraints?.annotations);
}
/** The annotations, attributes and decorators on a declaration, wherever its grammar keeps them. */
function annotationsOf(declaration) {
    const annotations = syntaxOf(declaration).annotations;
    if (!annotations)
        return [];
    const found = [];
    const take = (holder) => {
        for (const child of namedChildren(holder)) {
            if (isOneOf(child, annotations.types))
                found.push(child);
            else if (isOneOf(child, annotations.lists))
                take(child);
        }
    };
    take(declaration);
    if (declaration.parent && isOneOf(declaration.parent, annotations.wrappers))
        take(declaration.parent);
    return found;
}
/** An annotation's simple name: `@org.junit.Test` → Test, `@field:NotNull(…)` → NotNull, `[Fact]` → Fact. */
function annotationName(annotation) {
    const written = annotation.text.replace(/^[@\s]+/, '').replace(/^\w+:(?!:)/, '');
    return written.split('(')[0].trim().split('.').pop() ?? '';
}
/** The arguments an annotation or decorator is given: `@field_validator("active_flag")` → the string. */
function annotationArguments(annotation) {
    const call = isCall(annotation) ? annotation : namedChildren(annotation).find(isCall);
    return call ? callArguments(call) : [];
}
function isClass(node) {
    return isOneOf(node, syntaxOf(node).classes);
}
/** A class's name, if it has one (a companion object need not). */
function className(node) {
    return (node.childForFieldName('name') ?? namedChildren(node).find((child) => child.childCount === 0 && child.type.endsWith('identifier')))?.text;
}
function isDeclaredFunction(node) {
    return isOneOf(node, syntaxOf(node).functions.declared);
}
function isAssertStatement(node) {
    return isOneOf(node, syntaxOf(node).assertStatements);
}
/** A conditional's deciding part as a message quotes it: `userId == null`, `switch (activeFlag) … default`. */
function describeCondition(conditional, conditions) {
    const flatText = (text) => text.replace(/\s+/g, ' ').trim();
    const flat = (node) => flatText(node.text);
    if (isConstraint(conditional)) {
        const annotation = syntaxOf(conditional).constraints?.bracketed ? `[${flat(conditional)}]` : flat(conditional);
        return `${annotation} ${conditions.map(flat).join(' ')}`;
    }
    if (handlerKind(conditional)) {
        // A not-found handler: `except User.DoesNotExist`, `catch (EntityNotFoundException e)`.
        const body = namedChildren(conditional).at(-1);
        return flatText(body ? conditional.text.slice(0, body.startIndex - conditional.startIndex) : conditional.text).replace(/:$/, '');
    }
    if (isCase(conditional)) {
        const subject = switchSubject(conditional);
        const labels = caseLabels(conditional).map((label) => flat(label).replace(/:$/, '')).join(' ') || 'default';
        return subject ? `switch ${flat(subject)} … ${labels}` : labels;
    }
    return conditions.map(flat).join('; ').replace(/^\((.*)\)$/, '$1');
}
/** The role `node` plays for its `child` on the path to a code, when `node` is a conditional. */
function conditionalRole(node, child) {
    const conditions = conditionsOf(node);
    if (!conditions)
        return undefined;
    const role = conditions.some((condition) => encloses(condition, child)) ? 'condition' : 'branch';
    const expression = isOneOf(node, syntaxOf(node).conditionals.expressions) || isNullishGuard(node);
    return { role, conditions, expression };
}
/** Reads the bound target and value of a declaration, assignment, enum constant, map entry or for-each loop. */
function bindingParts(node) {
    const { bindings } = syntaxOf(node);
    const shape = Object.keys(bindings.shapes).find((candidate) => isOneOf(node, bindings.shapes[candidate]));
    if (!shape)
        return undefined;
    const field = (name) => node.childForFieldName(name) ?? undefined;
    const children = () => namedChildren(node);
    const childOf = (types) => children().find((child) => isOneOf(child, types));
    const pair = (target, value) => target && value ? { target, value, shape } : undefined;
    switch (shape) {
        case 'declarator': {
            const equals = childOf(bindings.valueClauses);
            return pair(field('name') ?? children()[0], field('value') ?? (equals ? namedChildren(equals)[0] : undefined));
        }
        case 'assignment':
            // Python names its fields; Kotlin gives target then value.
            return pair(field('left') ?? children()[0], field('right') ?? children()[1]);
        case 'left-right':
            return pair(field('left'), field('right'));
        case 'for':
            // Python's for has fields; Kotlin's is `for (variable_declaration in expression)`.
            return field('left') ? pair(field('left'), field('right')) : pair(childOf(bindings.declaredVariables), children()[1]);
        case 'name-value':
            return pair(field('name'), field('value'));
        case 'property-value':
            return pair(field('property'), field('value'));
        case 'name-arguments':
            return pair(field('name'), field('arguments'));
        case 'enum-entry':
            return pair(children()[0], childOf(bindings.entryArguments));
        case 'declared-property': {
            const declared = childOf(bindings.declaredVariables);
            const value = children().at(-1);
            return value !== declared ? pair(declared, value) : undefined;
        }
        case 'key-value':
            return pair(field('key'), field('value'));
    }
}
/** Whether a node builds a value field by field (C#'s `new E { Code = 50001 }`). */
function isObjectInitializer(node) {
    return isOneOf(node, syntaxOf(node).bindings.objectInitializers);
}
/** Whether a node is an import or part of one. */
function isImportPart(node) {
    return isOneOf(node, syntaxOf(node).imports);
}
/** The names a binding target declares: `x`, `self.x` → x, `(a, b)` → a and b. */
function targetNames(target) {
    if (isStringLiteral(target))
        return [target];
    if (isMemberAccess(target))
        return identifiersIn(target).slice(-1);
    return identifiersIn(target);
}
function nameOf(node) {
    return isStringLiteral(node) ? stringContent(node) : node.text;
}
/** A function's name: declared, or the variable an arrow function or lambda is assigned to. */
function functionName(fn) {
    const { functions } = syntaxOf(fn);
    const declared = fn.childForFieldName('name') ?? (isOneOf(fn, functions.namedByFirstIdentifier) ? namedChildren(fn).find(isIdentifier) : undefined);
    if (declared)
        return declared.text;
    const holder = fn.parent ? bindingParts(fn.parent) : undefined;
    return holder && holder.value.equals(fn) ? targetNames(holder.target)[0]?.text : undefined;
}
// Python's receivers, which callers do not pass. Dropped in every language, as they always were:
// a Java parameter named `self` is as rare as it is legal.
const RECEIVER_PARAMETERS = ['self', 'cls'];
function parameterList(fn) {
    const { functions } = syntaxOf(fn);
    return (fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter') ?? namedChildren(fn).find((child) => isOneOf(child, functions.parameterLists)));
}
/**
 * Each parameter of a function as written, with the annotations a grammar keeps beside it
 * (Kotlin's parameter_modifiers), for reading its type and markers: `@Valid @RequestBody Req r`.
 */
function parameterTexts(fn) {
    const list = parameterList(fn);
    if (!list || isIdentifier(list))
        return [];
    const preceding = syntaxOf(fn).constraints?.precedingModifiers;
    const texts = [];
    let pending = '';
    for (const child of namedChildren(list)) {
        if (isOneOf(child, preceding))
            pending += `${child.text} `;
        else {
            texts.push(pending + child.text);
            pending = '';
        }
    }
    return texts;
}
/** A function's parameter names in order, without Python's `self`/`cls`. */
function parameterNames(fn) {
    const { functions, constraints } = syntaxOf(fn);
    const list = parameterList(fn);
    if (!list)
        return [];
    if (isIdentifier(list))
        return [list.text];
    const names = namedChildren(list).filter((child) => !isOneOf(child, constraints?.precedingModifiers)).flatMap((parameter) => {
        if (isIdentifier(parameter))
            return [parameter.text];
        // Go declares several names with one type: `a, b int`.
        const goNames = isOneOf(parameter, functions.multiNameParameters) ? parameter.childrenForFieldName('name') : [];
        if (goNames.length > 1)
            return goNames.map((name) => name?.text ?? '');
        const named = parameter.childForFieldName('name') ?? parameter.childForFieldName('pattern') ?? parameter.childForFieldName('left');
        return [(named ? identifiersIn(named)[0] : identifiersIn(parameter)[0])?.text ?? ''];
    });
    return RECEIVER_PARAMETERS.includes(names[0] ?? '') ? names.slice(1) : names;
}
/** The first syntax error within a node, for pointing at it. */
function firstSyntaxError(node) {
    if (node.isError || node.isMissing)
        return node;
    if (!node.hasError)
        return undefined;
    for (const child of node.children) {
        const error = child ? firstSyntaxError(child) : undefined;
        if (error)
            return error;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/checks/code/unit.ts

function indexUnit(block, language, tree) {
    const unit = { block, language, tree, comments: [], strings: [], leaves: [], leavesByText: new Map(), calls: [], bindings: [], declaredIds: new Set() };
    const byText = (text, node) => {
        const list = unit.leavesByText.get(text);
        if (list)
            list.push(node);
        else
            unit.leavesByText.set(text, [node]);
    };
    const visit = (node) => {
        if (isComment(node))
            unit.comments.push(node);
        else if (isStringLiteral(node))
            unit.strings.push(node);
        else if (node.childCount === 0 && node.isNamed) {
            unit.leaves.push(node);
            const text = node.text;
            byText(text, node);
            const digits = numberDigits(text);
            if (digits !== undefined && digits !== text)
                byText(digits, node);
        }
        if (isComment(node) || isStringLiteral(node) || node.childCount === 0)
            return;
        if (isCall(node))
            unit.calls.push(node);
        const parts = bindingParts(node);
        if (parts) {
            unit.bindings.push({ node, parts });
            for (const name of targetNames(parts.target))
                unit.declaredIds.add(name.id);
        }
        for (const child of node.children)
            if (child)
                visit(child);
    };
    visit(tree.rootNode);
    return unit;
}
/** A number literal's digits without `_` separators and a type suffix (1_000L: 1000), else undefined. */
function numberDigits(text) {
    const digits = text.replace(/_/g, '').replace(/[lLuU]+$/, '');
    return /^\d+$/.test(digits) ? digits : undefined;
}
/** The answer's line a node starts on. */
function lineOf(unit, node) {
    return unit.block.startLine + node.startPosition.row;
}
function scopeOf(node, unit) {
    const lambdaBindings = [];
    for (let at = node.parent; at; at = at.parent) {
        if (!isFunction(at))
            continue;
        const call = isLambda(at) ? callTakingLambda(at) : undefined;
        if (!call)
            return { node: at, lambdaBindings };
        const receiver = callReceiver(call);
        const parameters = parameterNames(at);
        // Kotlin's implicit lambda parameter.
        if (receiver)
            lambdaBindings.push({ names: parameters.length > 0 ? parameters : ['it'], value: receiver });
    }
    return { node: unit.tree.rootNode, lambdaBindings };
}

;// CONCATENATED MODULE: ./src/checks/code/read.ts






// When more than this share of a block's lines hold tokens the parser could not place, the block
// is not code in that language at all; below it, errors are judged where they touch the code
// being traced.
const BROKEN_SHARE = 0.5;
function candidatesFor(block, forced) {
    // An answer without fences is code only if it reads like code, whatever the suite expects.
    if (!block.fenced && rankLanguages(block.code).length === 0)
        return [];
    if (forced)
        return block.tag === undefined || block.taggedLanguage === forced ? [forced] : [];
    if (block.taggedLanguage)
        return [block.taggedLanguage];
    if (block.tag !== undefined)
        return [];
    return rankLanguages(block.code).slice(0, 3);
}
/**
 * Counts the lines holding tokens the parser could not place. An ERROR node often wraps code that
 * parsed well (a function whose closing brace never came): its complete children are judged on
 * their own, and only its loose tokens count.
 */
function attempt(tree, language) {
    const rows = new Set();
    const mark = (node) => {
        for (let row = node.startPosition.row; row <= node.endPosition.row; row++)
            rows.add(row);
    };
    const visit = (node) => {
        if (node.isMissing || (node.isError && node.childCount === 0))
            return mark(node);
        if (!node.hasError)
            return;
        for (const child of node.children) {
            if (child && node.isError && child.childCount === 0)
                mark(child);
            else if (child)
                visit(child);
        }
    };
    visit(tree.rootNode);
    const first = firstSyntaxError(tree.rootNode);
    return { tree, language, brokenRows: rows.size, ...(first ? { errorRow: first.startPosition.row } : {}) };
}
function isBroken(parse, code) {
    const lines = code.split('\n').filter((line) => line.trim() !== '').length;
    return parse.tree.rootNode.isError || parse.brokenRows > lines * BROKEN_SHARE;
}
/** Parses a block as each candidate (and wrapped, where its spec wraps snippets) and keeps the fewest broken lines. */
async function parseBlock(block, candidates) {
    const parser = await loadParser(candidates);
    let best;
    const consider = (next) => {
        if (!best || next.brokenRows < best.brokenRows) {
            best?.tree.delete();
            best = next;
        }
        else
            next.tree.delete();
    };
    for (const language of candidates) {
        consider(attempt(parser.parse(block.code, language), language));
        const wrapper = LANGUAGES[language].snippetWrapper;
        if (best.brokenRows > 0 && wrapper)
            consider(attempt(parser.parse(`${wrapper[0]}${block.code}${wrapper[1]}`, language), language));
        if (best.brokenRows === 0)
            break;
    }
    return best;
}
/** A block tagged as the wrong language (```java around Kotlin) is read as what it is. */
async function readMistagged(block, tagged) {
    const others = rankLanguages(block.code).filter((language) => language !== tagged.language);
    if (others.length === 0)
        return tagged;
    const retry = await parseBlock(block, others);
    if (isBroken(retry, block.code)) {
        retry.tree.delete();
        return tagged;
    }
    tagged.tree.delete();
    return retry;
}
function describe(block) {
    return `${block.tag ?? 'an untagged block'} at line ${block.startLine - (block.fenced ? 1 : 0)}`;
}
/**
 * Reads the code of an answer and hands it to `use`; the parse trees live only for that call.
 * `forced` parses every block not tagged as another language as that language.
 */
async function withAnswerCode(answer, forced, use) {
    const blocks = extractCodeBlocks(answer);
    const code = { answer, units: [], broken: [], skipped: [] };
    try {
        for (const block of blocks) {
            const candidates = candidatesFor(block, forced);
            if (candidates.length === 0) {
                code.skipped.push(block);
                continue;
            }
            let parse = await parseBlock(block, candidates);
            if (isBroken(parse, block.code) && !forced && block.taggedLanguage)
                parse = await readMistagged(block, parse);
            if (isBroken(parse, block.code)) {
                code.broken.push({ block, language: parse.language, errorLine: block.startLine + (parse.errorRow ?? 0) });
                parse.tree.delete();
            }
            else
                code.units.push(indexUnit(block, parse.language, parse.tree));
        }
        if (code.units.length === 0)
            code.problem = problemOf(code, blocks, forced);
        return use(code);
    }
    finally {
        for (const unit of code.units)
            unit.tree.delete();
    }
}
function problemOf(code, blocks, forced) {
    const broken = code.broken[0];
    if (broken) {
        return { message: `the code does not parse as ${LANGUAGES[broken.language].label} (line ${broken.errorLine})`, line: broken.errorLine };
    }
    const fenced = blocks.filter((block) => block.fenced);
    if (fenced.length === 0)
        return { message: 'the answer holds no code block' };
    const what = forced ? `${LANGUAGES[forced].label} code` : 'code in a checked language';
    const found = fenced.slice(0, 3).map(describe).join(', ');
    return { message: `the answer holds no ${what} (found ${found}${fenced.length > 3 ? ', …' : ''})`, line: fenced[0].startLine - 1 };
}

;// CONCATENATED MODULE: ./src/checks/code/names.ts
// How the names a suite writes meet the names an answer writes: in any style (ActiveFlag,
// active_flag, getActiveFlag), and for a renamed parameter, abbreviated (sysDelFlag).
/** Lower case, letters and digits only, so ActiveFlag, activeFlag, active_flag and ACTIVE_FLAG meet. */
function squash(name) {
    return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
// A guard that tests `getActiveFlag()` tests activeFlag: accessors read the field they name.
const ACCESSOR_PREFIX = /^(get|is|has|Get|Is|Has)(?=[A-Z_])/;
/** The keys a name matches by: itself, and as an accessor (`getActiveFlag`, `isActiveFlag`, `get_active_flag`). */
function nameKeys(name) {
    return [squash(name), squash(name.replace(ACCESSOR_PREFIX, ''))];
}
/** Whether two names are the same parameter written in different styles (activeFlag, ACTIVE_FLAG, getActiveFlag). */
function sameName(a, b) {
    const keys = new Set(nameKeys(a));
    return nameKeys(b).some((key) => keys.has(key));
}
/** A name's words, lower case: SystemDeleteFlag and system_delete_flag → system, delete, flag. */
function words(name) {
    return name
        .replace(/([a-z\d])([A-Z])/g, '$1 $2')
        .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
        .toLowerCase()
        .split(/[^a-z\d]+/)
        .filter((word) => word.length > 0);
}
/**
 * Whether `short` is made of prefixes of `long`'s words, in order, with some words left out:
 * sysDelFlag and sdf abbreviate SystemDeleteFlag, uid and id abbreviate userId.
 */
function abbreviates(short, long) {
    const letters = squash(short);
    const parts = words(long);
    const failed = new Set();
    const fits = (at, word) => {
        if (at === letters.length)
            return true;
        if (word === parts.length || failed.has(`${at}:${word}`))
            return false;
        const part = parts[word];
        for (let length = 1; length <= part.length && letters[at + length - 1] === part[length - 1]; length++) {
            if (fits(at + length, word + 1))
                return true;
        }
        if (fits(at, word + 1))
            return true;
        failed.add(`${at}:${word}`);
        return false;
    };
    return letters.length >= 2 && fits(0, 0);
}
/** Whether one name abbreviates the other: sysDelFlag ↔ SystemDeleteFlag, activeFlag ↔ activeFlagValue. */
function looselyNamed(a, b) {
    return abbreviates(a, b) || abbreviates(b, a);
}

;// CONCATENATED MODULE: ./src/checks/code/tests.ts


/** Annotations and attributes that make a function part of a test (its setup and teardown too). */
const TEST_MARKER = /^(Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate|Fact|Theory|TestMethod|DataTestMethod|TestCase|TestCaseSource|Before|After|BeforeEach|AfterEach|BeforeAll|AfterAll|BeforeClass|AfterClass|BeforeTest|AfterTest|SetUp|TearDown)$/;
/** Test frameworks' assertion functions: `assertEquals`, `assertThat`, `assert_called_with`, `assertFailsWith`. */
const ASSERTION = /^(assert|assert(Equals?|NotEquals?|That|True|False|Null|NotNull|None|IsNone|IsNotNone|Same|NotSame|Throws\w*|DoesNotThrow|Raises\w*|In|NotIn|Is|IsNot|IsInstance|Greater\w*|Less\w*|AlmostEqual|\w+Equals?|All|Fails\w*|Contains|CountEqual|Timeout)|assert_\w+)$/;
/** Where a chain of matchers starts: `expect(x).toBe(…)`, `assertThat(x).isEqualTo(…)`. */
const MATCHER_ROOT = /^(expect|assertThat|assertk)$/;
function isTestAssertion(call) {
    const name = calleeName(call);
    if (ASSERTION.test(name))
        return true;
    const receiver = calleeText(call).slice(0, -name.length).replace(/[.?:>-]+$/, '');
    // xUnit's Assert.Equal, NUnit's Assert.AreEqual; Spring's Assert.isTrue is a guard.
    if (/(^|\.)(Assert|Assertions|CollectionAssert|StringAssert)$/.test(receiver) && /^[A-Z]/.test(name))
        return true;
    // Node's assert.strictEqual, testify's assert.Equal and require.Equal.
    if (receiver === 'assert' || (receiver === 'require' && /^[A-Z]/.test(name)))
        return true;
    for (let inner = callReceiver(call); inner; inner = isCall(inner) ? callReceiver(inner) : namedChildren(inner)[0]) {
        if (isCall(inner) && MATCHER_ROOT.test(calleeName(inner)))
            return true;
        if (!isCall(inner) && namedChildren(inner).length === 0)
            break;
    }
    return false;
}
function isTestFunction(fn) {
    if (annotationsOf(fn).some((annotation) => TEST_MARKER.test(annotationName(annotation))))
        return true;
    const tests = languageOf(fn).tests;
    const name = functionName(fn);
    if (!tests?.functionNames || name === undefined || !tests.functionNames.test(name))
        return false;
    return !tests.functionParameters || parameterTexts(fn).some((text) => tests.functionParameters.test(text));
}
function isTestClass(node) {
    const pattern = languageOf(node).tests?.classNames;
    const name = className(node);
    if (pattern && name !== undefined && pattern.test(name))
        return true;
    const holdsTest = (at) => namedChildren(at).some((child) => (isFunction(child) && !isLambda(child) ? isTestFunction(child) : !isClass(child) && holdsTest(child)));
    return holdsTest(node);
}
function isSuiteCall(call) {
    const pattern = languageOf(call).tests?.suiteCalls;
    return pattern !== undefined && pattern.test(calleeText(call).split(/[.(]/)[0] ?? '');
}
/** Whether a node lies in test code: a test function or class, a suite's callback, or an assertion. */
function isTestCode(node) {
    for (let at = node; at; at = at.parent) {
        if (isAssertStatement(at))
            return true;
        if (isCall(at) && at !== node) {
            const list = argumentsNode(at);
            const inArguments = list !== undefined && encloses(list, node);
            if (inArguments && (isTestAssertion(at) || isSuiteCall(at)))
                return true;
        }
        if (isFunction(at) && !isLambda(at) && isTestFunction(at))
            return true;
        if (isClass(at) && isTestClass(at))
            return true;
    }
    return false;
}

;// CONCATENATED MODULE: ./src/checks/code/target.ts




/** The function a check names: `updateUserStatus`, or with its parameters `updateUserStatus(userId, ActiveFlag)`. */
const FUNCTION_FIELD = /^\s*([A-Za-z_$][\w$]*)\s*(?:\(([^()]*)\))?\s*$/;
// Words a prompt's signature writes for types, not names: `Long userId`, `user_id: int`, `userID int64`.
const TYPE_WORDS = /^(int|long|short|byte|float|double|bool|boolean|char|string|str|number|integer|bigint|decimal|object|any|void|int8|int16|int32|int64|uint|uint32|uint64|float32|float64|u?int\d*)$/i;
// A name in a prompt, unless it is a member of something else (`Result.error`, `userMapper.update`).
const PROMPT_NAME = /(?<![\w$.])[A-Za-z_$][\w$]{2,}/g;
/**
 * Whether a prompt writes a name as code rather than as a word: camelCase or snake_case, called,
 * or in backticks. "Validate the parameters" names no function `validate`.
 */
function writtenAsCode(match, prompt) {
    const end = match.index + match[0].length;
    return /[a-z\d][A-Z]|_/.test(match[0]) || /^\s*\(/.test(prompt.slice(end)) || (prompt[match.index - 1] === '`' && prompt[end] === '`');
}
/** Whether `function:` is well formed, for the suite loader. */
function validFunctionField(value) {
    return FUNCTION_FIELD.test(value);
}
/** The names in a written parameter list: `Long userId, Integer ActiveFlag` or `user_id: int` → userId…, user_id. */
function signatureNames(list) {
    return list
        .split(',')
        .map((part) => {
        const words = (part.includes(':') ? part.split(':')[0] : part).match(/[A-Za-z_$][\w$]*/g) ?? [];
        const names = words.filter((word) => !TYPE_WORDS.test(word));
        return part.includes(':') ? (names[0] ?? '') : (names[names.length - 1] ?? '');
    })
        .filter((name) => name !== '');
}
function labelOf(node, name) {
    for (let at = node.parent; at; at = at.parent) {
        const owner = isClass(at) ? className(at) : undefined;
        if (owner)
            return `${owner}.${name}`;
    }
    return name;
}
/** The function a node runs in: a declared one, or a lambda given a name; lambdas passed to calls run in theirs. */
function enclosingFunction(node, byNode) {
    for (let at = node.parent; at; at = at.parent) {
        const declared = isFunction(at) ? byNode.get(at.id) : undefined;
        if (declared)
            return declared;
    }
    return undefined;
}
function enclosingClass(node) {
    for (let at = node.parent; at; at = at.parent)
        if (isClass(at) && className(at))
            return at;
    return undefined;
}
function declaredFunctions(answer) {
    const found = [];
    for (const unit of answer.units) {
        const visit = (node) => {
            if (isFunction(node) && (isDeclaredFunction(node) || (isLambda(node) && !callTakingLambda(node)))) {
                const name = functionName(node);
                if (name)
                    found.push({ node, unit, name, label: labelOf(node, name) });
            }
            for (const child of node.namedChildren)
                if (child)
                    visit(child);
        };
        visit(unit.tree.rootNode);
    }
    return found;
}
/** Maps the suite's names to the answer's parameters: the same name, a loose one, then by position. */
function renamedParameters(suiteNames, signature, parameters) {
    const matched = new Map();
    const taken = new Set();
    const take = (suite, answer) => {
        matched.set(suite, answer);
        taken.add(answer);
    };
    for (const suite of suiteNames) {
        const same = parameters.find((parameter) => sameName(suite, parameter));
        if (same)
            take(suite, same);
    }
    const open = () => suiteNames.filter((suite) => !matched.has(suite));
    for (const suite of open()) {
        const loose = parameters.filter((parameter) => !taken.has(parameter) && looselyNamed(suite, parameter));
        const [only] = loose;
        if (loose.length === 1 && only && !open().some((other) => other !== suite && looselyNamed(other, only)))
            take(suite, only);
    }
    if (signature.length === parameters.length) {
        signature.forEach((suite, index) => {
            const parameter = parameters[index];
            if (!matched.has(suite) && !taken.has(parameter))
                take(suite, parameter);
        });
    }
    return new Map([...matched].filter(([suite, answer]) => !sameName(suite, answer)));
}
/** What the functions under test are called, and the parameters the suite or prompt writes for them. */
function wanted(field, context, defined) {
    if (field !== undefined) {
        const [, name = '', list] = FUNCTION_FIELD.exec(field) ?? [];
        return { names: [name], signature: list === undefined ? [] : signatureNames(list), explicit: true };
    }
    const prompt = (context?.messages ?? []).filter((message) => message.role !== 'assistant').map((message) => message.content).join('\n');
    const mentioned = new Set([...prompt.matchAll(PROMPT_NAME)].filter((match) => writtenAsCode(match, prompt)).map((match) => squash(match[0])));
    const names = [...new Set(defined.map((fn) => fn.name).filter((name) => mentioned.has(squash(name))))];
    const call = [...prompt.matchAll(/([A-Za-z_$][\w$]*)\s*\(([^()]*)\)/g)].find((match) => names.some((name) => squash(name) === squash(match[1])));
    return { names, signature: call ? signatureNames(call[2]) : [], explicit: false };
}
/**
 * Finds the functions under test and what they reach. `suiteNames` are the parameter names the
 * check speaks of, which renamed parameters are matched to. An answer that lacks the function a
 * check names has failed.
 */
function findTarget(answer, field, context, suiteNames = []) {
    const defined = declaredFunctions(answer).filter((fn) => !isTestCode(fn.node));
    const { names, signature, explicit } = wanted(field, context, defined);
    const entries = defined.filter((fn) => names.some((name) => squash(name) === squash(fn.name)));
    if (entries.length === 0 && explicit) {
        const others = [...new Set(defined.map((fn) => fn.label))];
        const found = others.length > 0 ? ` (it defines ${others.slice(0, 3).map((label) => `\`${label}\``).join(', ')}${others.length > 3 ? ', …' : ''})` : '';
        return { failure: `the answer defines no function \`${names[0]}\`${found}` };
    }
    if (entries.length === 0)
        return { target: { renamed: new Map(), unreached: () => undefined, isTest: isTestCode } };
    const byNode = new Map(defined.map((fn) => [fn.node.id, fn]));
    const byName = new Map();
    for (const fn of defined) {
        byName.set(fn.name, [...(byName.get(fn.name) ?? []), fn]);
        // Naming a class reaches its constructors: `new UserValidator()`, `UserValidator(…)`, `__init__`.
        const owner = enclosingClass(fn.node);
        const ownerName = owner ? className(owner) : undefined;
        if (ownerName && (fn.name === ownerName || /^(__init__|constructor|init)$/.test(fn.name)))
            byName.set(ownerName, [...(byName.get(ownerName) ?? []), fn]);
    }
    const reached = new Set();
    const pending = [...entries];
    while (pending.length > 0) {
        const fn = pending.pop();
        if (reached.has(fn))
            continue;
        reached.add(fn);
        const { startIndex, endIndex } = fn.node;
        for (const leaf of fn.unit.leaves) {
            if (leaf.startIndex < startIndex || leaf.endIndex > endIndex)
                continue;
            for (const callee of byName.get(leaf.text) ?? [])
                if (!reached.has(callee))
                    pending.push(callee);
        }
    }
    const validated = (cls) => {
        const name = className(cls);
        const { declarative } = languageOf(cls);
        const mentions = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`);
        return [...reached].some((fn) => parameterTexts(fn.node).some((text) => mentions.test(text) && (!declarative?.parameterMarker || declarative.parameterMarker.test(text))) ||
            (declarative?.validatesOnConstruction === true &&
                fn.unit.leaves.some((leaf) => leaf.text === name && leaf.startIndex >= fn.node.startIndex && leaf.endIndex <= fn.node.endIndex)));
    };
    const isValidatorOf = (fn) => {
        const decorators = languageOf(fn.node).declarative?.validatorDecorators;
        const cls = enclosingClass(fn.node);
        return decorators && cls && annotationsOf(fn.node).some((annotation) => decorators.test(annotationName(annotation))) ? cls : undefined;
    };
    const label = [...new Set(entries.map((fn) => `\`${fn.name}\``))].join(' or ');
    const parameters = [...new Set(entries.flatMap((fn) => parameterNames(fn.node)))];
    const suite = [...new Set([...signature, ...suiteNames])];
    return {
        target: {
            label,
            renamed: renamedParameters(suite, signature, parameters),
            isTest: isTestCode,
            unreached(site) {
                const fn = enclosingFunction(site, byNode);
                if (fn) {
                    if (reached.has(fn))
                        return undefined;
                    const model = isValidatorOf(fn);
                    if (model && validated(model))
                        return undefined;
                    return { where: `in \`${fn.label}\``, never: 'calls' };
                }
                const cls = enclosingClass(site);
                if (cls && validated(cls))
                    return undefined;
                return cls ? { where: `by constraints on \`${className(cls)}\``, never: 'validates' } : { where: 'outside any function', never: 'runs' };
            }
        }
    };
}

;// CONCATENATED MODULE: ./src/checks/code/code-check.ts




/** The schema of an error code as a suite writes it: 50001 or "E_FLAG". */
const codeSchema = { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', minLength: 1, pattern: '^\\S+$' }] };
/** The schema of `function:`, the function under test; validateFunction says what a bad one lacks. */
const functionSchema = { type: 'string', minLength: 1 };
const languageSchema = { type: 'string', enum: LANGUAGE_NAMES };
/** Checks `function:` as the schema cannot say it: a name, optionally with its parameters. */
function validateFunction(assertion) {
    if (typeof assertion.function !== 'string' || validFunctionField(assertion.function))
        return undefined;
    return {
        field: 'function',
        message: 'must be a function name, optionally with its parameters: updateUserStatus or updateUserStatus(userId, ActiveFlag, SystemDeleteFlag)'
    };
}
/**
 * Makes a check definition from a code check: it reads every sample's code (asynchronously:
 * grammars load on first use), then decides per sample; samples with the same text share one
 * reading and one verdict.
 */
function codeCheck({ type, summary, properties, required, validate, prepare, judge }) {
    return {
        type,
        summary,
        properties: { ...properties, language: languageSchema },
        required,
        ...(validate ? { validate } : {}),
        ...(prepare ? { prepare } : {}),
        evaluate: async (assertion, samples, context) => {
            const forced = typeof assertion.language === 'string' ? languageNamed(assertion.language) : undefined;
            const decide = (answer) => (answer.problem ? { passed: false, ...answer.problem } : judge(assertion, answer, context));
            // A case's samples often say the same (temperature 0): one answer is read and judged once.
            const byText = new Map();
            const outcomes = new Map();
            for (const sample of samples) {
                let outcome = byText.get(sample.text);
                if (!outcome)
                    byText.set(sample.text, (outcome = await withAnswerCode(sample.text, forced, decide)));
                outcomes.set(sample, outcome);
            }
            return everySample(samples, (sample) => outcomes.get(sample));
        }
    };
}

;// CONCATENATED MODULE: ./src/checks/code/calls.ts

// Calls that change state. What a condition passes to one is not tested: `if (!repo.update(flag))`
// checks that a write worked, not that the input was valid.
const WRITE = /^(update|save|insert|delete|remove|exec|persist|send|write|modify|create|upsert|patch|commit|store|apply|change|mark|perform|process|handle|do(?=[A-Z_]))/i;
/** Names that say the call checks what it is given: `isValidFlag(x)`, `validateID(id)`, `Objects.requireNonNull(x)`. */
const VALIDATOR = /^(is|check|validat|verif|ensure|assert|require)|valid/i;
// Names that fetch by what they are given: `findById(id)`, `selectById`, `FindAsync`, `get(id)`.
const LOOKUP = /^(find|get|select|load|fetch|query|lookup|read|retrieve|search|first|single|one|count)/i;
// An existence check is a lookup however it is named: `isUserExists(id)`, `existsById(id)`.
const EXISTS = /exist/i;
// What data is kept in, by the name of what the call is made on: `userMapper.byId(id)`, `_db.Users.Find(id)`.
const DATA_SOURCE = /(repo|repository|mapper|dao|db|database|store|session|client|cache|entitymanager|objects|query|table|collection|service|api|users)$/i;
function isWriteCall(call) {
    return WRITE.test(calleeName(call));
}
/**
 * Whether a call looks something up by its arguments, so that what it returns is another value
 * (the user) rather than the arguments themselves: a lookup-like name, an existence check, or a
 * call on a repository, mapper, session or the like that is neither a write nor a validator.
 */
function isLookupCall(call) {
    const name = calleeName(call);
    if (WRITE.test(name))
        return false;
    if (EXISTS.test(name))
        return true;
    if (VALIDATOR.test(name))
        return false;
    const receiver = calleeText(call).slice(0, -name.length).replace(/[.?:>-]+$/, '').split(/\?\.|\.|::|->/).pop() ?? '';
    return LOOKUP.test(name) || DATA_SOURCE.test(receiver);
}

;// CONCATENATED MODULE: ./src/checks/code/placement.ts



// The conventions below are names and text, not node types: a Kotlin answer prints with
// System.out, a TypeScript one tests `err`, so they hold for every language alike.
const ERROR_VALUE = /error|exception|fail|invalid|reject|bad|abort|panic|raise|throw|deny|forbid|problem|unprocessable|conflict/i;
const PROMISE_CATCH = /\.(catch|onFailure|exceptionally|onErrorResume|recover)$/;
function isLogCall(callee) {
    const segments = callee.split('.');
    const method = segments.pop() ?? '';
    const receiver = segments.join('.').replace(/^(this|self)\./, '');
    if (receiver === '')
        return /^(print|println|printf|puts)$/.test(method);
    if (/^(System\.(out|err)|Console|Debug|Trace)$/.test(receiver))
        return true;
    if (receiver === 'fmt')
        return /^F?Print/.test(method);
    return /(^|\.)_?(log|logger|logging|console|slog)$/i.test(receiver);
}
function isAssertion(call) {
    const name = calleeName(call);
    const receiver = calleeText(call).slice(0, -name.length);
    return /^(assert|check|require|ensure|verify|validate|precondition|orElseThrow)/i.test(name) || /(assert|precondition|guard|validat)/i.test(receiver);
}
// `err != nil`, `updateErr != nil`, `error !== null`, or a bare `err` / `error` as a callback tests it.
const ERROR_TEST = /^(?:(err|error|e|ex|\w+Err|\w+Error)\s*!==?\s*(?:nil|null|undefined)|(err|error))$/;
function callsValidator(node) {
    if (isCall(node) && VALIDATOR.test(calleeName(node)))
        return true;
    return namedChildren(node).some(callsValidator);
}
/**
 * Whether a conditional handles an error some call returned (`if err != nil`, `if (err)`): Go's and
 * callbacks' catch. An error from a validator (`if err := validateFlags(…); err != nil`) is validation.
 */
function handlesError(conditional, unit) {
    const condition = conditional.childForFieldName('condition')?.text.replace(/\s+/g, ' ').replace(/^\((.*)\)$/, '$1').trim();
    const tested = condition ? ERROR_TEST.exec(condition) : null;
    if (!tested)
        return false;
    const name = tested[1] ?? tested[2];
    const scope = scopeOf(conditional, unit).node;
    const sources = unit.bindings.filter((binding) => encloses(scope, binding.node) && targetNames(binding.parts.target).some((target) => target.text === name));
    return !sources.some((binding) => callsValidator(binding.parts.value));
}
// Exceptions that say a lookup found nothing: Django's DoesNotExist, JPA's EntityNotFoundException,
// Java's NoSuchElementException (Optional.get), SQLAlchemy's NoResultFound, Python's KeyError.
const NOT_FOUND = /DoesNotExist|NotFound|NoSuchElement|NoResult|EmptyResult|Missing|KeyError|LookupError/;
/**
 * A catch or except that handles only a lookup finding nothing: the not-found branch of the
 * lookups its try runs, which are what it tests. A catch of anything broader is a catch.
 */
function notFoundHandler(handler, unit) {
    const kind = handlerKind(handler);
    if (kind !== 'catch' && kind !== 'except')
        return undefined;
    const caught = namedChildren(handler).slice(0, -1);
    if (!caught.some((part) => NOT_FOUND.test(part.text)))
        return undefined;
    const attempt = handler.parent?.childForFieldName('body') ?? (handler.parent ? namedChildren(handler.parent)[0] : undefined);
    if (!attempt || encloses(attempt, handler))
        return undefined;
    const lookups = unit.calls.filter((call) => encloses(attempt, call) && isLookupCall(call));
    return lookups.length > 0 ? { caught, lookups } : undefined;
}
function collectFacts(site, unit) {
    let handler;
    let broken;
    let inLog = false;
    let inCondition = false;
    let raisedHere = false;
    let guard;
    const conditions = [];
    // Walking up from the code, the first conditional, assertion or constraint annotation that
    // decides is its guard. What lies between the code and the guard says whether the code is
    // raised; what lies above adds only conditions.
    let child = site;
    for (let node = site.parent; node; child = node, node = node.parent) {
        // Only a syntax error between the code and its guard makes the guard doubtful; one around
        // the guard (a function cut off by max-tokens) leaves it intact.
        if (node.isError && !guard)
            broken ??= node;
        const notFound = guard || handler ? undefined : notFoundHandler(node, unit);
        if (notFound) {
            guard = { conditional: node, branch: child, own: notFound.caught, expression: false, byConditional: false };
            conditions.push(...notFound.lookups);
        }
        else
            handler ??= handlerKind(node);
        const args = isCall(node) ? argumentsNode(node) : undefined;
        if (args && encloses(args, site)) {
            const callee = calleeText(node);
            if (isLogCall(callee))
                inLog = true;
            else if (PROMISE_CATCH.test(callee))
                handler ??= 'catch';
            else if (!guard && !inCondition && isAssertion(node)) {
                const passed = callArguments(node);
                const branch = passed.find((argument) => encloses(argument, site)) ?? args;
                const own = [...passed, callReceiver(node)].filter((part) => part !== undefined && !encloses(part, site));
                guard = { conditional: node, branch, own, expression: false, byConditional: false };
                conditions.push(...own);
                raisedHere = true;
            }
            if (!guard && ERROR_VALUE.test(callee))
                raisedHere = true;
        }
        if (!guard && isExit(node))
            raisedHere = true;
        const constrained = guard || inCondition ? undefined : constrainedName(node);
        if (constrained) {
            guard = { conditional: node, branch: child, own: [constrained], expression: false, byConditional: false };
            conditions.push(constrained);
            raisedHere = true;
        }
        const role = conditionalRole(node, child);
        if (role?.role === 'condition' && !guard)
            inCondition = true;
        if (role?.role === 'branch' && !inCondition) {
            guard ??= { conditional: node, branch: child, own: role.conditions, expression: role.expression, byConditional: true };
            conditions.push(...role.conditions);
        }
        // A lambda passed to a call runs as part of the code around it; a declared function does not.
        if (isFunction(node) && !(isLambda(node) && callTakingLambda(node)))
            break;
    }
    const syntaxError = broken ? (firstSyntaxError(broken) ?? broken) : guard && firstSyntaxError(guard.conditional);
    return {
        handler,
        inLog,
        inCondition,
        guard: guard && {
            conditional: guard.conditional,
            branch: guard.branch,
            own: guard.own,
            handlesError: guard.byConditional && handlesError(guard.conditional, unit),
            leaves: raisedHere || containsExit(guard.branch) || (guard.expression && isExitValue(guard.conditional))
        },
        conditions,
        raisedHere,
        syntaxErrorLine: syntaxError ? lineOf(unit, syntaxError) : undefined
    };
}
/**
 * What decides a code's place when several facts hold: the first rule that applies. Code in a
 * handler runs only after a failure, whatever encloses it; an error check is Go's and callbacks'
 * catch; a log call and a condition use the code rather than raise it. Then a syntax error makes
 * the rest doubtful. Only past these does the guard count: none at all, one whose branch goes on,
 * or one that raises.
 */
const PRECEDENCE = [
    { place: 'handler', decide: ({ handler }) => (handler ? { kind: handler } : undefined) },
    { place: 'error-check', decide: ({ guard }) => (guard?.handlesError ? { kind: 'error-check' } : undefined) },
    { place: 'log', decide: ({ inLog }) => (inLog ? { kind: 'log' } : undefined) },
    { place: 'condition', decide: ({ inCondition }) => (inCondition ? { kind: 'condition' } : undefined) },
    { place: 'unparsed', decide: ({ syntaxErrorLine: line }) => (line !== undefined ? { kind: 'unparsed', line } : undefined) },
    { place: 'unconditional', decide: ({ guard, raisedHere }) => (!guard && raisedHere ? { kind: 'unconditional' } : undefined) },
    { place: 'stray', decide: ({ guard, raisedHere }) => (!guard && !raisedHere ? { kind: 'stray' } : undefined) },
    { place: 'no-exit', decide: ({ guard }) => (guard && !guard.leaves ? { kind: 'no-exit' } : undefined) },
    {
        place: 'guard',
        decide: ({ guard, conditions }) => (guard?.leaves ? { kind: 'guard', conditional: guard.conditional, conditions, own: guard.own } : undefined)
    }
];
/** Decides what the code at `site` is: raised by a guard, or why not. */
function placeSite(site, unit) {
    const facts = collectFacts(site, unit);
    for (const { decide } of PRECEDENCE) {
        const placement = decide(facts);
        if (placement)
            return placement;
    }
    throw new Error('no placement rule applied');
}
// Places that say more about a message holding a code than that it is a message.
const MESSAGE_KEEPS = new Set(['catch', 'except', 'finally', 'defer', 'error-check', 'log']);
/** A code inside a message keeps where the message is when that says more: in a catch, a log, an error check. */
function messagePlace(placement) {
    return placement.kind !== 'guard' && MESSAGE_KEEPS.has(placement.kind) ? placement.kind : 'message';
}

;// CONCATENATED MODULE: ./src/checks/code/trace.ts







// Field names that say "a code" rather than which one: `{ code: 50001 }` is an error value, not a
// constant named `code`.
const GENERIC_FIELDS = new Set(['code', 'errorcode', 'errcode', 'errno', 'status', 'statuscode', 'value', 'id', 'key', 'type', 'message', 'msg']);
function isIdentifierLike(text) {
    return /^[A-Za-z_$][\w$]*$/.test(text);
}
/** The name a code's value is declared under (`USER_ID_INVALID = 50001`, `INVALID_FLAG(50003, …)`), if any. */
function declaredName(site) {
    for (let node = site.parent; node; node = node.parent) {
        const parts = bindingParts(node);
        if (parts && encloses(parts.value, site)) {
            const [name, ...more] = targetNames(parts.target);
            // A field of an error value (`{ code: 50001 }`, `resp.code = 50001`, C#'s `new E { Code = 50001 }`)
            // is not a constant; the value it belongs to may be.
            const inInitializer = node.parent ? isObjectInitializer(node.parent) : false;
            const genericField = (parts.shape === 'key-value' || !isIdentifier(parts.target)) && GENERIC_FIELDS.has(squash(name ? nameOf(name) : ''));
            if (name && more.length === 0 && !inInitializer && !genericField)
                return name;
        }
        if (isExit(node) || isFunction(node) || /(statement|block|body|statements)$/.test(node.type))
            return undefined;
    }
    return undefined;
}
const noNames = () => ({ direct: new Set(), lookup: new Set() });
/**
 * The names a piece of code reads, leaving out what it passes to writes; what it passes to a
 * lookup is read through the lookup. A key (`req["active_flag"]`, `data.get("activeFlag")`) names
 * the field it reads, however it is read.
 */
function collectNames(node, into, mode) {
    if (isComment(node))
        return;
    if (isIdentifier(node)) {
        into[mode].add(node.text);
        return;
    }
    if (isStringLiteral(node)) {
        const content = stringContent(node);
        if (isIdentifierLike(content))
            into.direct.add(content);
        return;
    }
    if (isCall(node) && isWriteCall(node))
        return;
    const looksUp = mode === 'direct' && isCall(node) && isLookupCall(node);
    const list = looksUp ? argumentsNode(node) : undefined;
    for (const child of namedChildren(node))
        collectNames(child, into, list && child.equals(list) ? 'lookup' : mode);
}
/** Adds what the local variables among `names` were computed from, until nothing new appears. */
function followBindings(names, scope, unit) {
    const bindings = [
        ...unit.bindings
            .filter((binding) => encloses(scope.node, binding.node))
            .map((binding) => ({ names: targetNames(binding.parts.target).map(nameOf), value: binding.parts.value })),
        ...scope.lambdaBindings
    ];
    const modes = ['direct', 'lookup'];
    const pending = modes.flatMap((mode) => [...names[mode]].map((name) => ({ name, mode })));
    while (pending.length > 0) {
        const { name, mode } = pending.pop();
        for (const binding of bindings) {
            if (!binding.names.includes(name))
                continue;
            const found = noNames();
            collectNames(binding.value, found, mode);
            for (const next of modes) {
                for (const source of found[next]) {
                    if (names[next].has(source))
                        continue;
                    names[next].add(source);
                    pending.push({ name: source, mode: next });
                }
            }
        }
    }
}
/** The fields a pydantic validator checks: the names its decorator is given (`@field_validator("active_flag")`). */
function validatedFields(fn) {
    const decorators = languageOf(fn).declarative?.validatorDecorators;
    if (!decorators)
        return [];
    return annotationsOf(fn)
        .filter((annotation) => decorators.test(annotationName(annotation)))
        .flatMap(annotationArguments)
        .filter(isStringLiteral)
        .map(stringContent);
}
/** Traces one code through every parsed block of an answer, counting only what `target` runs. */
function traceCode(code, units, target) {
    const trace = { guards: [], sightings: [] };
    const pattern = codePattern(code);
    const followedNames = new Set();
    const usesOf = (name) => units.flatMap((unit) => [...unit.leaves.filter(isIdentifier), ...unit.strings]
        .filter((node) => nameOf(node) === name && !unit.declaredIds.has(node.id) && !isImport(node))
        .map((node) => ({ node, unit })));
    const testedBy = (placement, unit) => {
        const names = noNames();
        for (const condition of placement.conditions)
            collectNames(condition, names, 'direct');
        const scope = scopeOf(placement.conditional, unit);
        followBindings(names, scope, unit);
        // A guard inside a validator helper tests what its callers pass for the parameters it tests.
        const helper = isFunction(scope.node) ? functionName(scope.node) : undefined;
        if (helper) {
            for (const field of validatedFields(scope.node))
                names.direct.add(field);
            const parameters = parameterNames(scope.node);
            for (const caller of units) {
                for (const call of caller.calls) {
                    if (calleeName(call) !== helper || encloses(scope.node, call))
                        continue;
                    const passed = noNames();
                    callArguments(call).forEach((argument, index) => {
                        for (const mode of ['direct', 'lookup'])
                            if (names[mode].has(parameters[index] ?? ''))
                                collectNames(argument, passed, mode);
                    });
                    followBindings(passed, scopeOf(call, caller), caller);
                    for (const mode of ['direct', 'lookup'])
                        for (const name of passed[mode])
                            names[mode].add(name);
                }
            }
        }
        return { direct: new Set([...names.direct].flatMap(nameKeys)), lookup: new Set([...names.lookup].flatMap(nameKeys)) };
    };
    const follow = (site, unit, via, depth) => {
        if (target?.isTest(site)) {
            trace.sightings.push({ kind: 'test', line: lineOf(unit, site), ...(via ? { via } : {}) });
            return;
        }
        const placement = placeSite(site, unit);
        if (placement.kind === 'guard') {
            const unreached = target?.unreached(site);
            if (unreached) {
                trace.sightings.push({ kind: 'unreached', line: lineOf(unit, site), unreached, ...(via ? { via } : {}) });
                return;
            }
            const condition = describeCondition(placement.conditional, placement.own);
            trace.guards.push({ line: lineOf(unit, site), condition, tested: testedBy(placement, unit) });
            return;
        }
        const declared = depth < 3 ? declaredName(site) : undefined;
        if (declared) {
            const name = nameOf(declared);
            if (followedNames.has(name))
                return;
            followedNames.add(name);
            const uses = usesOf(name);
            if (uses.length === 0)
                trace.sightings.push({ kind: 'declared', line: lineOf(unit, site), via: name });
            for (const use of uses)
                follow(use.node, use.unit, name, depth + 1);
            return;
        }
        trace.sightings.push({
            kind: placement.kind,
            line: placement.line ?? lineOf(unit, site),
            ...(via ? { via } : {}),
            ...(placement.kind === 'unparsed' ? { language: LANGUAGES[unit.language].label } : {})
        });
    };
    for (const unit of units) {
        // Javadoc and text blocks span lines: point at the line holding the code.
        const lineWithin = (node, at) => lineOf(unit, node) + node.text.slice(0, at).split('\n').length - 1;
        for (const comment of unit.comments) {
            const match = pattern.exec(comment.text);
            if (match)
                trace.sightings.push({ kind: 'comment', line: lineWithin(comment, match.index) });
        }
        for (const string of unit.strings) {
            const match = pattern.exec(string.text);
            if (stringContent(string).trim() === code)
                follow(string, unit, undefined, 0);
            else if (match) {
                const kind = isDocString(string) ? 'comment' : target?.isTest(string) ? 'test' : messagePlace(placeSite(string, unit));
                trace.sightings.push({ kind, line: lineWithin(string, match.index) });
            }
        }
        for (const leaf of unit.leavesByText.get(code) ?? [])
            follow(leaf, unit, undefined, 0);
    }
    return trace;
}
/** Finds a code as a whole word in text: 50001 but not 150001 or 50001.5. */
function codePattern(code) {
    return new RegExp(`(?<![\\w$.])${code.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w$]|\\.\\d)`);
}
function isImport(node) {
    for (let at = node.parent; at; at = at.parent)
        if (isImportPart(at))
            return true;
    return false;
}

;// CONCATENATED MODULE: ./src/checks/code/guards.ts
// The guards raising a code, or, when there is none, the message that says why: the most telling
// place the code was seen, with its lines.


/**
 * How a message says where a code was seen: alone ("appears only …") and in a list of places. A
 * guard the functions under test never run says where it is and what they never do with it
 * (see place()).
 */
const PLACES = {
    catch: { only: 'appears only inside catch', among: 'inside catch' },
    except: { only: 'appears only inside except', among: 'inside except' },
    finally: { only: 'appears only inside finally', among: 'inside finally' },
    defer: { only: 'appears only inside defer', among: 'inside defer' },
    'error-check': { only: 'appears only where an error is handled', among: 'where an error is handled' },
    unparsed: { only: 'is only in code that does not parse as', among: 'in code that does not parse as' },
    unconditional: { only: 'is raised without a condition', among: 'raised without a condition' },
    'no-exit': { only: 'is only set in a branch that neither returns nor throws', among: 'in a branch that neither returns nor throws' },
    stray: { only: 'is used outside any validation guard', among: 'outside any guard' },
    test: { only: 'appears only in test code', among: 'in test code' },
    condition: { only: 'appears only in a condition', among: 'in a condition' },
    log: { only: 'appears only in a log call', among: 'in a log call' },
    message: { only: 'appears only in a message string', among: 'in a message string' },
    declared: { only: 'is declared but never used', among: 'declared but never used' },
    comment: { only: 'appears only in a comment', among: 'in a comment' }
};
/** Lists every sighting kind; leaving one out fails to compile, since it would never be reported. */
function everyKind(kinds) {
    return kinds;
}
// The most telling place first: a guard the method never runs is the one the author meant to
// write, a code raised in a catch is the seed's failure, one in a comment merely a mention.
const PRIORITY = everyKind([
    'unreached', 'catch', 'except', 'finally', 'defer', 'error-check', 'unparsed', 'unconditional', 'no-exit', 'stray', 'test', 'condition', 'log',
    'message', 'declared', 'comment'
]);
/** `line 6` or `lines 6, 10, 14, …`. */
function lineList(values) {
    const distinct = [...new Set(values)].sort((a, b) => a - b);
    const shown = distinct.slice(0, 3).join(', ') + (distinct.length > 3 ? ', …' : '');
    return `${distinct.length > 1 ? 'lines' : 'line'} ${shown}`;
}
function list(items, conjunction) {
    return items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}
/**
 * Where a code was seen, with its lines: `inside catch (line 9)`; for guards never run,
 * `raised only in \`UserValidator.check\`, which \`updateUserStatus\` never calls (line 31)`.
 */
function guards_place(kind, seen, alone, label) {
    const vias = new Set(seen.map((sighting) => sighting.via));
    const via = vias.size === 1 && seen[0].via ? `, as ${seen[0].via}` : '';
    const lines = `(${lineList(seen.map((sighting) => sighting.line))}${via})`;
    if (kind === 'unreached') {
        const wheres = [...new Set(seen.map((sighting) => sighting.unreached.where))];
        const nevers = [...new Set(seen.map((sighting) => sighting.unreached.never))];
        return `${alone ? 'is raised only' : 'raised'} ${list(wheres, 'and')}, which ${label} never ${list(nevers, 'or')} ${lines}`;
    }
    const language = kind === 'unparsed' ? ` ${seen[0].language}` : '';
    return `${alone ? PLACES[kind].only : PLACES[kind].among}${language} ${lines}`;
}
/** Says why a code with no guard is not raised by one, pointing at the most telling place. */
function explainUnguarded(code, sightings, answer, label) {
    if (sightings.length === 0)
        return explainAbsent(code, answer);
    const inOrder = [...sightings].sort((a, b) => a.line - b.line);
    const byKind = PRIORITY.map((kind) => ({ kind, seen: inOrder.filter((sighting) => sighting.kind === kind) })).filter((group) => group.seen.length > 0);
    const first = byKind[0];
    const line = first.seen[0].line;
    if (byKind.length === 1)
        return { message: `${code} ${guards_place(first.kind, first.seen, true, label)}`, line };
    const places = byKind.map((group) => guards_place(group.kind, group.seen.slice(0, 1), false, label));
    return { message: `${code} is never raised by a validation guard: ${places.join(', ')}`, line };
}
/** For a code the parsed code never mentions: is it in a block that did not parse, another block, or the prose? */
function explainAbsent(code, answer) {
    const pattern = codePattern(code);
    const answerLines = answer.answer.split('\n');
    const spans = (start, text) => [start, start + text.split('\n').length - 1];
    const at = (first, last) => {
        for (let line = first; line <= last; line++)
            if (pattern.test(answerLines[line - 1] ?? ''))
                return line;
        return undefined;
    };
    for (const broken of answer.broken) {
        if (at(...spans(broken.block.startLine, broken.block.code)) !== undefined) {
            return { message: `${code} is only in code that does not parse as ${LANGUAGES[broken.language].label} (line ${broken.errorLine})`, line: broken.errorLine };
        }
    }
    for (const block of answer.skipped) {
        const line = at(...spans(block.startLine, block.code));
        if (line !== undefined) {
            const where = block.tag ? `a ${block.tag} block` : 'a block that is not code';
            return { message: `${code} is not in the code (only in ${where}, line ${line})`, line };
        }
    }
    const inCode = new Set([...answer.units.map((unit) => unit.block), ...answer.broken.map((broken) => broken.block), ...answer.skipped].flatMap((block) => {
        const [first, last] = spans(block.startLine, block.code);
        return Array.from({ length: last - first + 1 }, (_, i) => first + i);
    }));
    const prose = answerLines.findIndex((text, i) => !inCode.has(i + 1) && pattern.test(text));
    return prose >= 0
        ? { message: `${code} is not in the code (only in the prose, line ${prose + 1})`, line: prose + 1 }
        : { message: `${code} is not in the code` };
}
/** The guards raising a code in what `target` runs of an answer, or why there is none. */
function guardsOf(code, answer, target) {
    const trace = traceCode(code, answer.units, target);
    if (trace.guards.length > 0)
        return { guards: trace.guards };
    return { guards: [], failure: explainUnguarded(code, trace.sightings, answer, target?.label) };
}

;// CONCATENATED MODULE: ./src/checks/code/error-codes.ts
// `error-codes`: each listed code is raised by a validation guard that the function under test
// runs (target.ts), not in a catch, a comment, a log line or a test; why not, when it is not.



const errorCodes = codeCheck({
    type: 'error-codes',
    summary: 'every code in `codes` is raised by a validation guard that the function under test (`function`, else the one the prompt names) runs, not in a catch, comment, log or test',
    properties: {
        codes: { type: 'array', minItems: 1, uniqueItems: true, items: codeSchema },
        function: functionSchema
    },
    required: ['codes'],
    validate: validateFunction,
    judge: (assertion, answer, context) => {
        const found = findTarget(answer, assertion.function, context);
        if ('failure' in found)
            return { passed: false, message: found.failure };
        const codes = assertion.codes.map(String);
        const judged = codes.map((code) => ({ code, ...guardsOf(code, answer, found.target) }));
        const failures = judged.flatMap((entry) => (entry.failure ? [entry.failure] : []));
        if (failures.length > 0) {
            const line = failures.find((failure) => failure.line !== undefined)?.line;
            return { passed: false, message: failures.map((failure) => failure.message).join('; '), ...(line !== undefined ? { line } : {}) };
        }
        const raised = judged.map((entry) => `${entry.code} (${lineList(entry.guards.map((guard) => guard.line))})`);
        const where = found.target.label ? ` that ${found.target.label} runs` : '';
        return { passed: true, message: `each code is raised by a validation guard${where}: ${raised.join(', ')}`, line: judged[0].guards[0].line };
    }
});

;// CONCATENATED MODULE: ./src/checks/code/query.ts





// The capture given to patterns that capture nothing; a dot keeps it clear of the suite's own names.
const WHOLE = 'modelgate.match';
// What web-tree-sitter runs; any other predicate it would leave to the caller, so a typo such as
// `#equal?` would quietly match everything.
const KNOWN_PREDICATES = ['eq?', 'not-eq?', 'any-eq?', 'any-not-eq?', 'match?', 'not-match?', 'any-match?', 'any-not-match?', 'any-of?', 'not-any-of?', 'is?', 'is-not?', 'set!'];
const isQueryError = (error) => error instanceof Error && typeof error.kind === 'number' && typeof error.index === 'number';
/** `line 2 of the query, column 5`, for a character offset into it. */
function placeIn(source, index) {
    const before = source.slice(0, index).split('\n');
    return `line ${before.length} of the query, column ${before[before.length - 1].length + 1}`;
}
/** Where an operator such as `#eq?` first appears, for errors that do not say. */
function operatorPlace(source, operator) {
    const index = source.indexOf(`#${operator}`);
    return index >= 0 ? ` (${placeIn(source, index)})` : '';
}
/** Says why a query does not compile, in the suite's terms. */
function describeError(error, source, label) {
    if (isQueryError(error)) {
        const word = /'([^']*)'/.exec(error.message)?.[1] ?? '';
        const at = placeIn(source, error.index);
        switch (error.kind) {
            case 2:
                return `has no node type "${word}" in the ${label} grammar (${at})`;
            case 3:
                return `has no field "${word}" in the ${label} grammar (${at})`;
            case 4:
                return `uses a capture no pattern defines (${at})`;
            case 5:
                return `has a pattern the ${label} grammar cannot match: a child where the grammar allows none (${at})`;
            default:
                return `is not a valid query: bad syntax (${at})`;
        }
    }
    const message = error.message;
    if (error instanceof SyntaxError)
        return `has a #match? pattern that is not a regular expression: ${message}${operatorPlace(source, 'match?')}`;
    const operator = /#([\w-]+[?!])/.exec(message)?.[1];
    return `has a bad predicate: ${message.replace(/`/g, '')}${operator ? operatorPlace(source, operator) : ''}`;
}
/** A query whose every pattern captures something: one that captures nothing is given WHOLE. */
function withCaptures(query, source) {
    const bytes = Buffer.from(source, 'utf8');
    const ends = [];
    for (let pattern = 0; pattern < query.patternCount(); pattern++) {
        const captures = query.captureQuantifiers[pattern] ?? [];
        if (captures.every((quantifier) => quantifier === 0))
            ends.push(query.endIndexForPattern(pattern));
    }
    let rewritten = '';
    let from = 0;
    for (const end of ends) {
        rewritten += `${bytes.subarray(from, end).toString('utf8')} @${WHOLE}`;
        from = end;
    }
    return rewritten + bytes.subarray(from).toString('utf8');
}
// Compiled once per language and source; a suite holds few queries, and each lives for the run.
const compiled = new Map();
/** The query compiled in its language, or why it does not compile; undefined while the grammar has not loaded. */
function compile(language, source) {
    const key = `${language}\n${source}`;
    const known = compiled.get(key);
    if (known)
        return known;
    let result;
    try {
        const query = compileQuery(language, source);
        if (!query)
            return undefined;
        const unknown = query.predicates.flat().find((predicate) => !KNOWN_PREDICATES.includes(predicate.operator));
        if (unknown) {
            query.delete();
            result = {
                problem: `uses #${unknown.operator}, which tree-sitter does not run (it runs ${KNOWN_PREDICATES.map((name) => `#${name}`).join(', ')})${operatorPlace(source, unknown.operator)}`
            };
        }
        else {
            const complete = withCaptures(query, source);
            if (complete !== source)
                query.delete();
            result = { query: complete === source ? query : compileQuery(language, complete) };
        }
    }
    catch (error) {
        result = { problem: describeError(error, source, LANGUAGES[language].label) };
    }
    compiled.set(key, result);
    return result;
}
const languageOfAssertion = (assertion) => languageNamed(String(assertion.language));
/** The smallest node a match captured: what the message points at. */
function pointOf(match) {
    return match.captures.map((capture) => capture.node).sort((a, b) => a.endIndex - a.startIndex - (b.endIndex - b.startIndex))[0];
}
function queryCheck(type, wanted) {
    return codeCheck({
        type,
        summary: wanted
            ? 'the tree-sitter `query` matches the answer’s code in `language` (captures and predicates such as #eq? and #match?)'
            : 'the tree-sitter `query` matches nothing in the answer’s code in `language`',
        properties: { query: { type: 'string', minLength: 1 } },
        required: ['query', 'language'],
        prepare: (assertion) => loadLanguage(languageOfAssertion(assertion)),
        validate: (assertion) => {
            const result = compile(languageOfAssertion(assertion), String(assertion.query));
            return result && 'problem' in result ? { field: 'query', message: result.problem } : undefined;
        },
        judge: (assertion, answer) => {
            const language = languageOfAssertion(assertion);
            const { label } = LANGUAGES[language];
            // The answer's code was parsed as `language`, so its grammar has loaded.
            const result = compile(language, String(assertion.query));
            if ('problem' in result)
                return { passed: false, message: `the query ${result.problem}` };
            const lines = answer.units
                .filter((unit) => unit.language === language)
                .flatMap((unit) => result.query.matches(unit.tree.rootNode).map((match) => lineOf(unit, pointOf(match))));
            const distinct = [...new Set(lines)].sort((a, b) => a - b);
            if (distinct.length === 0) {
                const message = `the query matches nothing in the ${label} code`;
                return wanted ? { passed: false, message } : { passed: true, message };
            }
            const line = distinct[0];
            const text = quote(answer.answer.split('\n')[line - 1]?.replace(/\r$/, '').trim() ?? '');
            const more = distinct.length > 1 ? ` (and ${distinct.length === 2 ? 'line' : 'lines'} ${distinct.slice(1, 4).join(', ')}${distinct.length > 4 ? ', …' : ''})` : '';
            return wanted
                ? { passed: true, message: `the query matches at line ${line}: ${text}${more}`, line }
                : { passed: false, message: `expected the query to match nothing; it matches at line ${line}: ${text}${more}`, line };
        }
    });
}
const treeSitterQuery = queryCheck('tree-sitter-query', true);
const notTreeSitterQuery = queryCheck('not-tree-sitter-query', false);

;// CONCATENATED MODULE: ./src/checks/code/validation.ts
// What the guard raising each code must test: one code's (`code` with `params` and/or `lookup`),
// or several codes' at once, each written the same way under `guards`:
//
//   guards:
//     - { code: 50001, params: [userId] }                      # userId itself
//     - { code: 50002, lookup: userId }                        # what looking the user up by userId returned
//     - { code: 50003, params: [ActiveFlag, SystemDeleteFlag] }  # both flags, by one guard or several
//
// A parameter is tested when a guard's condition reads it, not only what a lookup by it
// returned (trace.ts). Every guard raising the code must test one of what its condition names,
// and together they must test all of it: 50001 raised once for a bad userId and again for an
// unknown user is raised for the wrong reason.





const nameSchema = { type: 'string', minLength: 1 };
const paramsSchema = { type: 'array', minItems: 1, items: nameSchema };
/** One code and what its guard must test, as `guards:` lists them: the fields of the one-code form. */
const guardSchema = {
    type: 'object',
    additionalProperties: false,
    required: ['code'],
    properties: { code: codeSchema, params: paramsSchema, lookup: nameSchema }
};
/** Each code and its condition, from either form. */
function validation_conditionsOf(assertion) {
    const written = assertion.guards ?? [assertion];
    return written.map(({ code, params, lookup }) => ({ code: String(code), condition: { params: params ?? [], ...(lookup !== undefined ? { lookup } : {}) } }));
}
/** What `guards` lacks that its schema cannot say: each code once, and something to test. */
function validateGuards(guards) {
    const seen = new Set();
    for (const { code, params, lookup } of guards) {
        if (params === undefined && lookup === undefined)
            return { field: 'guards', message: `needs params or lookup for code ${code}` };
        if (seen.has(String(code)))
            return { field: 'guards', message: `lists code ${code} twice` };
        seen.add(String(code));
    }
    return undefined;
}
function validation_list(names, conjunction) {
    return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} ${conjunction} ${names[names.length - 1]}`;
}
const lookupOf = (name) => `what a lookup by ${name} returns`;
/** Says what a condition asks for: `ActiveFlag and SystemDeleteFlag`, `what a lookup by userId returns`. */
function asked({ params, lookup }, conjunction) {
    return validation_list([...(params.length > 0 ? [validation_list(params, conjunction)] : []), ...(lookup !== undefined ? [lookupOf(lookup)] : [])], conjunction);
}
/** Judges one code's guards against its condition, reading renamed parameters as the suite's names. */
function judgeCode(code, condition, answer, target) {
    const { guards, failure } = guardsOf(code, answer, target);
    if (failure)
        return { passed: false, failure };
    const keysOf = (name) => [...nameKeys(name), ...(target.renamed.has(name) ? nameKeys(target.renamed.get(name)) : [])];
    const reads = (guard, name, mode) => keysOf(name).some((key) => guard.tested[mode].has(key));
    const { params, lookup } = condition;
    const meets = (guard) => params.some((param) => reads(guard, param, 'direct')) || (lookup !== undefined && reads(guard, lookup, 'lookup'));
    const missing = {
        params: params.filter((param) => !guards.some((guard) => reads(guard, param, 'direct'))),
        ...(lookup !== undefined && !guards.some((guard) => reads(guard, lookup, 'lookup')) ? { lookup } : {})
    };
    // What guards lack, said plainly; a parameter they read only through a lookup is said so.
    const lacking = (lacked, among) => lacked.lookup === undefined && lacked.params.every((param) => among.some((guard) => reads(guard, param, 'lookup')))
        ? `${validation_list(lacked.params, 'or')} itself, only what a lookup by it returns`
        : asked(lacked, 'or');
    const line = guards[0].line;
    const where = lineList(guards.map((guard) => guard.line));
    if (missing.params.length > 0 || missing.lookup !== undefined) {
        const message = guards.length === 1
            ? `the guard raising ${code} (${where}) does not test ${lacking(missing, guards)}; its condition is ${quote(guards[0].condition)}`
            : `the guards raising ${code} (${where}) do not test ${lacking(missing, guards)}`;
        return { passed: false, failure: { message, line } };
    }
    const astray = guards.find((guard) => !meets(guard));
    if (astray) {
        const message = `${code} is also raised by a guard that does not test ${lacking(condition, [astray])} (line ${astray.line}); its condition is ${quote(astray.condition)}`;
        return { passed: false, failure: { message, line: astray.line } };
    }
    return { passed: true, asked: asked(condition, 'and'), line, where };
}
/** `; sysDelFlag taken for SystemDeleteFlag`, for the names a message speaks of that the answer renamed. */
function renames(target, names) {
    const taken = [...new Set(names)].filter((name) => target.renamed.has(name)).map((name) => `${target.renamed.get(name)} taken for ${name}`);
    return taken.length > 0 ? `; ${taken.join(', ')}` : '';
}
const validation = codeCheck({
    type: 'validation',
    summary: 'the guards raising `code` test every parameter in `params` (or what a `lookup` by one returned); `guards` lists that for several codes',
    properties: {
        code: codeSchema,
        params: paramsSchema,
        lookup: nameSchema,
        guards: { type: 'array', minItems: 1, items: guardSchema },
        function: functionSchema
    },
    required: [],
    validate: (assertion) => {
        const single = assertion.code !== undefined || assertion.params !== undefined || assertion.lookup !== undefined;
        if (assertion.guards !== undefined && single) {
            return { field: assertion.code !== undefined ? 'code' : assertion.params !== undefined ? 'params' : 'lookup', message: 'cannot be given with guards' };
        }
        if (assertion.guards === undefined && assertion.code === undefined) {
            return single ? { field: 'code', message: 'is required with params or lookup' } : { field: 'guards', message: 'is required (or code with params or lookup)' };
        }
        if (assertion.guards === undefined && assertion.params === undefined && assertion.lookup === undefined) {
            return { field: 'params', message: 'is required with code (or lookup)' };
        }
        return (assertion.guards ? validateGuards(assertion.guards) : undefined) ?? validateFunction(assertion);
    },
    judge: (assertion, answer, context) => {
        const conditions = validation_conditionsOf(assertion);
        const names = conditions.flatMap(({ condition }) => [...condition.params, ...(condition.lookup !== undefined ? [condition.lookup] : [])]);
        const found = findTarget(answer, assertion.function, context, names);
        if ('failure' in found)
            return { passed: false, message: found.failure };
        const { target } = found;
        const judged = conditions.map(({ code, condition }) => ({ code, condition, ...judgeCode(code, condition, answer, target) }));
        const failures = judged.flatMap((entry) => (entry.passed ? [] : [entry.failure]));
        if (failures.length > 0) {
            const line = failures.find((failure) => failure.line !== undefined)?.line;
            const failed = judged.filter((entry) => !entry.passed).flatMap(({ condition }) => condition.params);
            return { passed: false, message: failures.map((failure) => failure.message).join('; ') + renames(target, failed), ...(line !== undefined ? { line } : {}) };
        }
        const passed = judged.filter((entry) => entry.passed);
        const renamed = renames(target, names);
        if (!assertion.guards) {
            const only = passed[0];
            return { passed: true, message: `${only.code} is raised by a guard that tests ${only.asked} (${only.where}${renamed})`, line: only.line };
        }
        const each = passed.map((entry) => `${entry.code} tests ${entry.asked} (${entry.where})`);
        return { passed: true, message: `each code is raised by a guard that tests what it should: ${each.join(', ')}${renamed}`, line: passed[0].line };
    }
});

;// CONCATENATED MODULE: ./src/checks/code/index.ts



/**
 * Checks that read the generated code as code; see placement.ts for what counts as a guard, and
 * query.ts for the structural checks a suite writes itself. Adding one is a file that calls
 * codeCheck (code-check.ts), listed here.
 */
const codeChecks = [errorCodes, validation, treeSitterQuery, notTreeSitterQuery];

;// CONCATENATED MODULE: ./src/stats.ts
/** Median of the finite numbers given, or null when there are none. */
function median(values) {
    const sorted = values
        .filter((v) => typeof v === 'number' && Number.isFinite(v))
        .sort((a, b) => a - b);
    if (sorted.length === 0)
        return null;
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
/** A rate or duration as people read it: 148.78 → "148.8", 6114.3 → "6114". */
function formatFigure(value) {
    if (value === null || value === undefined || !Number.isFinite(value))
        return '–';
    if (Math.abs(value) >= 1000)
        return Math.round(value).toString();
    if (Math.abs(value) >= 100)
        return value.toFixed(1);
    return value.toFixed(2);
}

;// CONCATENATED MODULE: ./src/checks/speed.ts

/**
 * A bound on the median over the case's samples, so one sample slowed by a noisy neighbour on
 * the runner does not fail the gate on its own.
 */
function medianBoundCheck(spec) {
    const floor = spec.bound === 'min';
    return {
        type: spec.type,
        summary: spec.summary,
        properties: { [spec.bound]: { type: 'number', exclusiveMinimum: 0 } },
        required: [spec.bound],
        evaluate: (assertion, samples) => {
            const limit = Number(assertion[spec.bound]);
            const limitText = `${floor ? 'floor' : 'ceiling'} ${formatFigure(limit)} ${spec.unit}`;
            const measured = samples.filter((s) => spec.value(s) !== null);
            const value = median(measured.map(spec.value));
            if (value === null)
                return { passed: false, message: `no sample reported a ${spec.figure} (${limitText})` };
            const sources = [...new Set(measured.map(spec.source).filter((s) => s !== null))].sort();
            const count = `${measured.length} sample${measured.length === 1 ? '' : 's'}`;
            const seen = `median ${spec.medianOf}${formatFigure(value)} ${spec.unit} (${sources.join('+') || 'none'}, ${count})`;
            const passed = floor ? value >= limit : value <= limit;
            if (passed)
                return { passed, message: `${seen} ${floor ? '≥' : '≤'} ${floor ? 'floor' : 'ceiling'} ${formatFigure(limit)}${floor ? '' : ` ${spec.unit}`}` };
            return { passed, message: `${seen} is ${floor ? 'below' : 'above'} the ${floor ? 'floor' : 'ceiling'} of ${formatFigure(limit)} ${spec.unit}` };
        }
    };
}
const tokensPerSecond = medianBoundCheck({
    type: 'tokens-per-second',
    summary: 'median decode tokens/s over the samples is at least `min`',
    bound: 'min',
    figure: 'decode rate',
    medianOf: '',
    unit: 'tokens/s',
    value: (s) => s.tokensPerSecond,
    source: (s) => s.tokensPerSecondSource
});
const ttft = medianBoundCheck({
    type: 'ttft',
    summary: 'median time to first token over the samples is at most `max` ms',
    bound: 'max',
    figure: 'time to first token',
    medianOf: 'time to first token ',
    unit: 'ms',
    value: (s) => s.ttftMs,
    source: (s) => s.ttftSource
});

;// CONCATENATED MODULE: ./src/checks/index.ts



/** Every check a suite may name under `assert:`, by its `type`. */
const checkRegistry = new Map([contains, notContains, regex, notRegex, tokensPerSecond, ttft, ...codeChecks].map((d) => [d.type, d]));
async function runCheck(assertion, samples, context) {
    const definition = checkRegistry.get(assertion.type);
    if (!definition)
        return { type: assertion.type, passed: false, message: `unknown check type "${assertion.type}"` };
    try {
        return { type: assertion.type, ...(await definition.evaluate(assertion, samples, context)) };
    }
    catch (error) {
        // A check that throws on odd model output must fail that check, not the whole run.
        return { type: assertion.type, passed: false, message: `check failed to run: ${error.message}` };
    }
}
/**
 * Decides a case: every assertion over its samples, plus one failed check per sample that errored.
 * `context` carries what the checks may read of the case itself (its messages).
 */
async function judgeCase(id, assertions, samples, context) {
    const checks = [];
    for (const sample of samples) {
        if (sample.error) {
            checks.push({ type: 'request', passed: false, sample: sample.index, message: `sample ${sample.index + 1}: ${sample.error}` });
        }
    }
    for (const assertion of assertions)
        checks.push(await runCheck(assertion, samples, context));
    return { id, passed: checks.every((c) => c.passed), checks, samples };
}

// EXTERNAL MODULE: ./node_modules/diff/libesm/patch/create.js + 2 modules
var create = __webpack_require__(7291);
;// CONCATENATED MODULE: ./src/environment/fingerprint.ts
// A run's environment: the machine it measured on, and the server and model it measured. Two
// runs' figures are comparable only on the same machine; what the change under review changed
// (model, quantisation, settings, server build) is shown beside the comparison, never a reason
// to refuse it: that is what the gate is there to judge.


const GIB = 1024 ** 3;
/** What must be equal for two runs' speed to be compared, in words a reader recognises. */
function comparableParts(machine) {
    return {
        GPU: machine.gpus.length ? machine.gpus.map((gpu) => `${gpu.name}${gpu.memoryMiB ? ` ${Math.round(gpu.memoryMiB / 1024)} GiB` : ''}`).join(' + ') : 'none',
        CPU: `${machine.cpu} (${machine.cores} cores)`,
        memory: `${Math.round(machine.memoryBytes / GIB)} GiB`,
        platform: `${machine.platform}-${machine.arch}`
    };
}
function fingerprintOf(machine) {
    const hash = (0,external_node_crypto_.createHash)('sha256').update(JSON.stringify(comparableParts(machine))).digest('hex');
    return { machine, machineHash: hash.slice(0, 16) };
}
/** Why two machines' runs cannot be compared, one reason per part that differs ("GPU changed from X to Y"). */
function machineDifferences(before, now) {
    const a = comparableParts(before);
    const b = comparableParts(now);
    return Object.keys(a)
        .filter((part) => a[part] !== b[part])
        .map((part) => `${part} changed from ${a[part]} to ${b[part]}`);
}
/** What changed in the server and model between two runs on comparable machines, for the reader. */
function serverChanges(before, now) {
    if (!before || !now)
        return [];
    const changes = [];
    const say = (what, a, b) => {
        if (a !== undefined && b !== undefined && JSON.stringify(a) !== JSON.stringify(b))
            changes.push(`${what}: ${String(a)} → ${String(b)}`);
    };
    say('model', before.model, now.model);
    say('model file', before.modelFile?.sha256?.slice(0, 12), now.modelFile?.sha256?.slice(0, 12));
    say('quantisation', before.modelFile?.facts?.quantisation, now.modelFile?.facts?.quantisation);
    const params = (r) => (r.modelFile?.facts?.parameterCount !== undefined ? formatParameterCount(r.modelFile.facts.parameterCount) : undefined);
    say('parameters', params(before), params(now));
    say('server build', before.build, now.build);
    for (const key of new Set([...Object.keys(before.settings), ...Object.keys(now.settings)])) {
        say(`setting ${key}`, before.settings[key] ?? 'default', now.settings[key] ?? 'default');
    }
    return changes;
}

// EXTERNAL MODULE: ./node_modules/simple-statistics/dist/simple-statistics.mjs
var simple_statistics = __webpack_require__(5521);
;// CONCATENATED MODULE: ./src/compare/speed.ts
// The noise-aware speed verdict of a run against its base branch's run: a rank test says whether
// the two batches of samples differ at all, a bootstrap interval of the ratio of medians says by
// how much, and only both together may call a change a regression. Pure: no I/O, no clock.


const SPEED_DEFAULTS = { maxRegressionPercent: 5, alpha: 0.01, maxRepeat: 15, resamples: 2000, confidence: 0.95 };
/**
 * Below this many samples on a side a verdict is never given, whatever the p-value: with 2
 * samples one busy moment of the runner is half the evidence.
 */
const MIN_SAMPLES_PER_SIDE = 3;
/**
 * Up to this many samples on each side, and without ties, the U test uses its exact null
 * distribution; past it the normal approximation is already within a few percent of the exact
 * p-value at the levels that matter, and the exact counts would outgrow exact doubles (C(40, 20)
 * ≈ 1.4e11 is still far below 2^53).
 */
const EXACT_LIMIT = 20;
// Any fixed value does: it makes the interval a function of the samples alone.
const DEFAULT_SEED = 0x6d67_5eed;
// ---------------------------------------------------------------------------------------------
// Mann–Whitney U
/**
 * Counts of U over all C(m+n, m) orderings of m values against n, for u = 0 … m·n.
 * The largest pooled value is either one of the m (it beats all n: u − n remains for the rest)
 * or one of the n (it beats none): f(m, n, u) = f(m − 1, n, u − n) + f(m, n − 1, u).
 */
const exactCounts = new Map();
function uDistribution(m, n) {
    const key = `${m},${n}`;
    const cached = exactCounts.get(key);
    if (cached)
        return cached;
    // rows[i][j] is the distribution for sizes (i, j); only the previous i is needed.
    let previous = Array.from({ length: n + 1 }, () => Float64Array.of(1));
    for (let i = 1; i <= m; i++) {
        const row = [Float64Array.of(1)];
        for (let j = 1; j <= n; j++) {
            const counts = new Float64Array(i * j + 1);
            const withoutLargestOfM = previous[j];
            const withoutLargestOfN = row[j - 1];
            for (let u = 0; u < counts.length; u++) {
                counts[u] = (u - j >= 0 && u - j < withoutLargestOfM.length ? withoutLargestOfM[u - j] : 0) + (u < withoutLargestOfN.length ? withoutLargestOfN[u] : 0);
            }
            row.push(counts);
        }
        previous = row;
    }
    const result = previous[n];
    exactCounts.set(key, result);
    return result;
}
function exactTwoSidedP(u, m, n) {
    const counts = uDistribution(m, n);
    // The null distribution is symmetric about m·n/2, so the two tails are the same size.
    const tail = Math.min(u, m * n - u);
    let inTail = 0;
    let total = 0;
    for (let k = 0; k < counts.length; k++) {
        total += counts[k];
        if (k <= tail)
            inTail += counts[k];
    }
    return Math.min(1, (2 * inTail) / total);
}
/** Standard normal upper tail, P(Z > z), from simple-statistics' erf (absolute error < 1.2e-7). */
function normalUpperTail(z) {
    return 0.5 * (1 - (0,simple_statistics/* errorFunction */.T7)(z / Math.SQRT2));
}
/** Σ (t³ − t) over groups of equal values in the pooled samples: what ties take from U's variance. */
function tieTerm(pooled) {
    const sorted = [...pooled].sort((x, y) => x - y);
    let term = 0;
    for (let i = 0; i < sorted.length;) {
        let j = i + 1;
        while (j < sorted.length && sorted[j] === sorted[i])
            j++;
        const t = j - i;
        term += t * t * t - t;
        i = j;
    }
    return term;
}
function normalTwoSidedP(u, m, n, ties) {
    const total = m + n;
    const mean = (m * n) / 2;
    const variance = ((m * n) / 12) * (total + 1 - ties / (total * (total - 1)));
    // Every value equal: nothing to tell the samples apart.
    if (!(variance > 0))
        return 1;
    // Continuity correction: U moves in steps of 1/2 at most, the normal curve does not.
    const z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
    return Math.min(1, 2 * normalUpperTail(z));
}
/**
 * Two-sided Mann–Whitney U test (Wilcoxon rank-sum). `u` is a's statistic: the number of pairs
 * in which a's value is the larger, ties counting one half. Exact when both samples have at most
 * EXACT_LIMIT values and no value repeats; otherwise the normal approximation with the tie
 * correction of the variance and a continuity correction (as scipy's `mannwhitneyu` does).
 */
function mannWhitneyU(a, b) {
    const m = a.length;
    const n = b.length;
    if (m === 0 || n === 0)
        throw new RangeError('mannWhitneyU needs at least one value in each sample');
    if (![...a, ...b].every(Number.isFinite))
        throw new RangeError('mannWhitneyU takes finite numbers only');
    // simple-statistics ranks the pooled values with midranks for ties.
    const u = (0,simple_statistics/* wilcoxonRankSum */.Lm)(a, b) - (m * (m + 1)) / 2;
    const ties = tieTerm([...a, ...b]);
    if (ties === 0 && m <= EXACT_LIMIT && n <= EXACT_LIMIT)
        return { u, p: exactTwoSidedP(u, m, n), method: 'exact' };
    return { u, p: normalTwoSidedP(u, m, n, ties), method: 'normal' };
}
/**
 * The smallest two-sided p the U test can give for these sizes: the samples entirely apart, no
 * ties. When it is above alpha no batch of that size can show a change, however large.
 */
function smallestPossibleP(m, n) {
    if (m === 0 || n === 0)
        return 1;
    if (m <= EXACT_LIMIT && n <= EXACT_LIMIT)
        return exactTwoSidedP(0, m, n);
    return normalTwoSidedP(0, m, n, 0);
}
// ---------------------------------------------------------------------------------------------
// Bootstrap
// Looked up once: a global's lookup in the hot loop costs more than the arithmetic in some hosts
// (Jest's VM context, about ten times).
const { imul, floor } = Math;
/** mulberry32: a small, fast 32-bit PRNG; plenty for resampling indices, and seedable. */
function mulberry32(seed) {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = imul(t ^ (t >>> 15), t | 1);
        t ^= t + imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
/** Median of a resample, sorting it in place; insertion sort, since resamples are small. */
function medianInPlace(values) {
    if (values.length > 64)
        values.sort();
    else {
        for (let i = 1; i < values.length; i++) {
            const v = values[i];
            let j = i - 1;
            while (j >= 0 && values[j] > v) {
                values[j + 1] = values[j];
                j--;
            }
            values[j + 1] = v;
        }
    }
    const mid = values.length >> 1;
    return values.length % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}
function resampleInto(target, source, random) {
    for (let i = 0; i < target.length; i++)
        target[i] = source[floor(random() * source.length)];
}
/**
 * Percentile bootstrap interval of median(current) / median(baseline): each side is resampled
 * with replacement on its own, as the two runs are independent. Seeded, so the same samples
 * always give the same interval (a verdict must not flip on a re-render). 2,000 resamples of
 * 15 + 15 values take one to two milliseconds.
 */
function bootstrapRatioOfMedians(baseline, current, options = {}) {
    const resamples = options.resamples ?? SPEED_DEFAULTS.resamples;
    const confidence = options.confidence ?? SPEED_DEFAULTS.confidence;
    if (baseline.length === 0 || current.length === 0)
        throw new RangeError('bootstrapRatioOfMedians needs at least one value on each side');
    if (![...baseline, ...current].every((v) => Number.isFinite(v) && v > 0)) {
        throw new RangeError('bootstrapRatioOfMedians takes positive finite figures only (a rate or a duration)');
    }
    if (!Number.isInteger(resamples) || resamples < 1)
        throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
    if (!(confidence > 0 && confidence < 1))
        throw new RangeError(`confidence must be between 0 and 1, got ${confidence}`);
    const random = mulberry32(options.seed ?? DEFAULT_SEED);
    const baseResample = new Float64Array(baseline.length);
    const currentResample = new Float64Array(current.length);
    const ratios = new Float64Array(resamples);
    for (let r = 0; r < resamples; r++) {
        resampleInto(baseResample, baseline, random);
        resampleInto(currentResample, current, random);
        ratios[r] = medianInPlace(currentResample) / medianInPlace(baseResample);
    }
    ratios.sort();
    const sorted = Array.from(ratios);
    return {
        ratio: median(current) / median(baseline),
        low: (0,simple_statistics/* quantileSorted */.Z4)(sorted, (1 - confidence) / 2),
        high: (0,simple_statistics/* quantileSorted */.Z4)(sorted, (1 + confidence) / 2)
    };
}
// ---------------------------------------------------------------------------------------------
// Verdict
const MINUS = '\u2212';
function percent(value) {
    const rounded = Math.round(value * 10) / 10;
    return `${rounded < 0 ? MINUS : '+'}${Math.abs(rounded).toFixed(1)}%`;
}
function formatP(p) {
    if (!Number.isFinite(p))
        return 'p = –';
    // Two significant digits, so 0.0095 and 0.011 stay apart around alpha = 0.01.
    return p < 0.0001 ? 'p < 0.0001' : `p = ${Number(p.toPrecision(2))}`;
}
function positiveFinite(values) {
    return values.filter((v) => Number.isFinite(v) && v > 0);
}
/**
 * The verdict. `slower` needs both a change in the bad direction larger than
 * `maxRegressionPercent` — the whole bootstrap interval of the ratio of medians past it — and a
 * rank test that tells the batches apart at `alpha`; `faster` is the same in the good direction;
 * `same` needs the whole interval inside ± the threshold; anything else is `inconclusive`, and
 * the caller takes more samples.
 * Samples that are not positive finite figures are left out (a failed sample has none).
 */
function compareSamples(baselineSamples, currentSamples, options) {
    const threshold = options.maxRegressionPercent;
    const alpha = options.alpha ?? SPEED_DEFAULTS.alpha;
    const lowerIsBetter = options.lowerIsBetter ?? false;
    if (!(threshold > 0 && threshold < 100))
        throw new RangeError(`maxRegressionPercent must be between 0 and 100, got ${threshold}`);
    if (!(alpha > 0 && alpha < 1))
        throw new RangeError(`alpha must be between 0 and 1, got ${alpha}`);
    const baseline = positiveFinite(baselineSamples);
    const current = positiveFinite(currentSamples);
    const counts = `${baseline.length} baseline and ${current.length} current samples`;
    const confidence = options.bootstrap?.confidence ?? SPEED_DEFAULTS.confidence;
    if (baseline.length === 0 || current.length === 0) {
        return {
            verdict: 'inconclusive', ratio: NaN, changePercent: NaN, low: NaN, high: NaN, p: NaN,
            baselineSamples: baseline.length, currentSamples: current.length,
            reason: `no comparison: ${counts}`
        };
    }
    const { ratio, low, high } = bootstrapRatioOfMedians(baseline, current, options.bootstrap);
    const { p } = mannWhitneyU(baseline, current);
    const changePercent = (ratio - 1) * 100;
    const core = `${percent(changePercent)} (${Math.round(confidence * 100)}% CI ${percent((low - 1) * 100)} to ${percent((high - 1) * 100)}), ${formatP(p)} over ${counts}`;
    const result = (verdict, why) => ({
        verdict, ratio, changePercent, low, high, p, baselineSamples: baseline.length, currentSamples: current.length, reason: `${core}: ${why}`
    });
    // Checked before anything else, so a lucky narrow interval from a handful of samples is never `same`.
    if (baseline.length < MIN_SAMPLES_PER_SIDE || current.length < MIN_SAMPLES_PER_SIDE) {
        return result('inconclusive', `too few samples to decide, at least ${MIN_SAMPLES_PER_SIDE} on each side are needed`);
    }
    const reachable = smallestPossibleP(baseline.length, current.length);
    if (reachable > alpha) {
        return result('inconclusive', `too few samples to decide: the smallest p these sizes can give is ${Number(reachable.toPrecision(2))}, above ${alpha}`);
    }
    const limit = threshold / 100;
    const significant = p <= alpha;
    // A change counts only when the whole interval is past the threshold, as `same` needs the whole
    // interval inside it: a median a little past 5% from five samples is not yet a 5% drop. Measured
    // with scripts/speed-verdict-rates.ts, the median alone raised three to six times as many false
    // alarms on same-model pairs, for the same detection with a baseline of max-repeat samples.
    const worse = lowerIsBetter ? low > 1 + limit : high < 1 - limit;
    const better = lowerIsBetter ? high < 1 - limit : low > 1 + limit;
    const pastThreshold = lowerIsBetter ? ratio > 1 + limit || ratio < 1 - limit : ratio < 1 - limit || ratio > 1 + limit;
    if (worse && significant)
        return result('slower', `slower, a ${lowerIsBetter ? 'rise' : 'drop'} beyond the ${threshold}% allowed`);
    if (better && significant)
        return result('faster', `faster by more than ${threshold}%`);
    if (low >= 1 - limit && high <= 1 + limit)
        return result('same', `the same within ±${threshold}%`);
    if ((worse || better) && !significant)
        return result('inconclusive', `a change beyond ${threshold}% but not significant at ${alpha}`);
    if (pastThreshold)
        return result('inconclusive', `the median is past ±${threshold}% but the interval reaches back inside it`);
    return result('inconclusive', `the interval reaches past ±${threshold}%`);
}
/**
 * Whether the caller's loop should take more current samples: only while the verdict is open, the
 * run has room left under `maxRepeat`, and more current samples could still decide it (with too
 * small a baseline no number of current samples reaches `alpha`).
 */
function needsMoreSamples(comparison, taken, maxRepeat = SPEED_DEFAULTS.maxRepeat, alpha = SPEED_DEFAULTS.alpha) {
    if (comparison.verdict !== 'inconclusive' || taken >= maxRepeat)
        return false;
    if (comparison.baselineSamples < MIN_SAMPLES_PER_SIDE)
        return false;
    return smallestPossibleP(comparison.baselineSamples, maxRepeat) <= alpha;
}

;// CONCATENATED MODULE: ./src/compare/index.ts
// The comparison stage: this run beside its baseline. Quality per check (newly failing, fixed,
// still failing), speed per case with the noise-aware verdict of speed.ts, and whether the
// answer drifted. Pure: the baseline is found by baseline/ and the verdict drawn by the gate.




/** `error-codes#0`, `regex#1`: a check of a case, matched by type and its place among checks of that type. */
function checkKeys(checks) {
    const keyed = new Map();
    const seen = new Map();
    for (const check of checks) {
        if (check.type === 'request') {
            // Failed requests are one check however many samples failed.
            if (!keyed.has('request'))
                keyed.set('request', check);
            continue;
        }
        const n = seen.get(check.type) ?? 0;
        seen.set(check.type, n + 1);
        keyed.set(`${check.type}#${n}`, check);
    }
    return keyed;
}
function deltaOf(before, now) {
    if (now.passed)
        return before && !before.passed ? 'fixed' : 'passing';
    return before && !before.passed ? 'known-failure' : 'new-failure';
}
const measured = (samples) => samples.filter((sample) => !sample.error);
const figures = (samples, pick) => measured(samples)
    .map(pick)
    .filter((value) => value !== null && Number.isFinite(value));
function speedDelta(before, now, pick, lowerIsBetter, options) {
    const a = figures(before.samples, pick);
    const b = figures(now.samples, pick);
    if (a.length === 0 || b.length === 0)
        return undefined;
    return { ...compareSamples(a, b, { maxRegressionPercent: options.maxSpeedRegressionPercent, lowerIsBetter }), baseline: median(a) };
}
/** Whether a case is held to a figure, so its speed is worth comparing: it has that check. */
const hasCheck = (result, type) => result.checks.some((check) => check.type === type);
function answerDrift(before, now) {
    const a = before.samples[0]?.text;
    const b = now.samples[0]?.text;
    if (a === undefined || b === undefined)
        return undefined;
    if (a === b)
        return { changed: false };
    return { changed: true, diff: (0,create/* createTwoFilesPatch */.ss)('baseline', 'this run', a, b, undefined, undefined, { context: 3 }) };
}
function compareCase(before, now, options) {
    const previous = before ? checkKeys(before.checks) : new Map();
    const checks = [...checkKeys(now.checks)].map(([key, check]) => ({ type: check.type, delta: deltaOf(previous.get(key), check), message: check.message }));
    if (!before)
        return { id: now.id, isNew: true, checks };
    const tokensPerSecond = hasCheck(now, 'tokens-per-second') ? speedDelta(before, now, (s) => s.tokensPerSecond, false, options) : undefined;
    const ttft = hasCheck(now, 'ttft') ? speedDelta(before, now, (s) => s.ttftMs, true, options) : undefined;
    const answer = answerDrift(before, now);
    return { id: now.id, isNew: false, checks, ...(tokensPerSecond ? { tokensPerSecond } : {}), ...(ttft ? { ttft } : {}), ...(answer ? { answer } : {}) };
}
function countRegressions(cases) {
    let regressions = 0;
    let inconclusive = 0;
    for (const c of cases) {
        regressions += c.checks.filter((check) => check.delta === 'new-failure').length;
        for (const speed of [c.tokensPerSecond, c.ttft]) {
            if (speed?.verdict === 'slower')
                regressions++;
            if (speed?.verdict === 'inconclusive')
                inconclusive++;
        }
    }
    return { regressions, inconclusive };
}
/** No baseline to compare with: the absolute checks alone decide. */
function withoutBaseline(baseline, note, info) {
    return { baseline, note, ...(info ? { info } : {}), changes: [], cases: [], removedCases: [], regressions: 0, inconclusive: 0 };
}
/** Why a baseline's speed cannot be held against this machine's; empty when it can (or either is unknown). */
function incomparability(baseline, fingerprint) {
    const then = baseline.fingerprint?.machine;
    return then && fingerprint ? machineDifferences(then, fingerprint.machine) : [];
}
function compareRuns(current, baseline, info, options) {
    const differences = incomparability(baseline, current.fingerprint);
    if (differences.length > 0)
        return withoutBaseline('not-comparable', `not comparable: ${differences.join('; ')}`, info);
    const byId = new Map(baseline.cases.map((c) => [c.id, c]));
    const cases = current.cases.map((c) => compareCase(byId.get(c.id), c, options));
    const present = new Set(current.cases.map((c) => c.id));
    return {
        baseline: 'found',
        info,
        changes: serverChanges(baseline.server, current.server),
        cases,
        removedCases: baseline.cases.map((c) => c.id).filter((id) => !present.has(id)),
        ...countRegressions(cases)
    };
}

;// CONCATENATED MODULE: ./src/environment/machine.ts
// The machine a run measured on: what decides whether two runs' speed can be compared at all.
// GPUs come from nvidia-smi when it is there; the rest from Node's own view of the host.




const machine_run = (0,external_node_util_.promisify)(external_node_child_process_.execFile);
/** Parses `nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader,nounits`. */
function parseGpuQuery(text) {
    return text
        .split('\n')
        .map((line) => line.split(',').map((field) => field.trim()))
        .filter((fields) => fields[0])
        .map(([name, memory, driver]) => {
        const memoryMiB = Number(memory);
        return { name: name, ...(Number.isFinite(memoryMiB) && memory ? { memoryMiB } : {}), ...(driver ? { driver } : {}) };
    });
}
async function nvidiaSmi(args) {
    try {
        // PATH as this process sees it now, where a test may have put a stand-in nvidia-smi.
        return (await machine_run('nvidia-smi', args, { timeout: 10_000, env: process.env })).stdout;
    }
    catch {
        // No NVIDIA driver on this runner (or nvidia-smi is not on PATH): a CPU-only fingerprint.
        return undefined;
    }
}
async function osName() {
    try {
        const release = await (0,promises_.readFile)('/etc/os-release', 'utf8');
        const pretty = release.match(/^PRETTY_NAME="?([^"\n]*)"?$/m)?.[1];
        if (pretty)
            return pretty;
    }
    catch {
        // Not Linux, or a minimal image without os-release.
    }
    return `${external_node_os_default().type()} ${external_node_os_default().release()}`;
}
async function readMachineFacts() {
    const [query, summary, osLabel] = await Promise.all([
        nvidiaSmi(['--query-gpu=name,memory.total,driver_version', '--format=csv,noheader,nounits']),
        nvidiaSmi([]),
        osName()
    ]);
    const cuda = summary?.match(/CUDA Version:\s*([\d.]+)/)?.[1];
    const cpus = external_node_os_default().cpus();
    return {
        gpus: query ? parseGpuQuery(query) : [],
        ...(cuda ? { cuda } : {}),
        cpu: cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown',
        cores: external_node_os_default().availableParallelism?.() ?? cpus.length,
        memoryBytes: external_node_os_default().totalmem(),
        os: osLabel,
        platform: process.platform,
        arch: process.arch
    };
}

;// CONCATENATED MODULE: ./src/gate.ts

const SPEED_CHECKS = new Set(['tokens-per-second', 'ttft']);
// Failures of the server or the network, not of the model's answer.
const INFRASTRUCTURE_ERRORS = new Set(['timeout', 'connection', 'http', 'stream']);
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
// The reason of a slower verdict already ends in "slower, …"; an undecided one says why it is open.
function speedNote(what, delta) {
    return delta.verdict === 'inconclusive' ? `${what} inconclusive, ${delta.reason}` : `${what} ${delta.reason}`;
}
/**
 * Fails on a stopped run, on failing checks (with `new-failures`, only those the baseline passed,
 * when there is a comparable baseline), on a confirmed speed regression, and on an inconclusive
 * speed comparison only when asked to.
 */
function verdictOf(cases, errors, comparison, options, end = { notRun: 0 }) {
    const compared = comparison?.baseline === 'found' ? new Map(comparison.cases.map((c) => [c.id, c])) : undefined;
    const onlyNew = options.failOn === 'new-failures' && compared !== undefined;
    const failures = [];
    const known = [];
    let quality = false;
    let infrastructure = false;
    for (const c of cases) {
        const failing = [...new Set(c.checks.filter((check) => !check.passed).map((check) => check.type))];
        const delta = compared?.get(c.id);
        const newlyFailing = delta ? [...new Set(delta.checks.filter((check) => check.delta === 'new-failure').map((check) => check.type))] : failing;
        const counted = onlyNew ? newlyFailing : failing;
        const figures = [
            ['tokens/s', delta?.tokensPerSecond],
            ['time to first token', delta?.ttft]
        ];
        const speed = figures
            .filter(([, d]) => d && (d.verdict === 'slower' || (options.failOnInconclusive && d.verdict === 'inconclusive')))
            .map(([what, d]) => speedNote(what, d));
        if (counted.length > 0 || speed.length > 0) {
            failures.push(`${c.id} (${[...counted, ...speed].join(', ')})`);
            // A check that failed because the server never answered says nothing about the model.
            if (c.samples.some((s) => s.errorKind && INFRASTRUCTURE_ERRORS.has(s.errorKind)))
                infrastructure = true;
            // Otherwise only speed failed: the kind is speed unless another case says otherwise.
            else if (counted.some((type) => !SPEED_CHECKS.has(type)))
                quality = true;
        }
        const excused = failing.filter((type) => !counted.includes(type));
        if (excused.length > 0)
            known.push(`${c.id} (${excused.join(', ')})`);
    }
    const knownNote = known.length ? ` Known failures, also failing in the baseline: ${known.join('; ')}.` : '';
    const failedAlso = failures.length ? `. Failed: ${failures.join('; ')}` : '';
    // Said only when some cases ran: when none did, the first error says why.
    const notRun = end.notRun && cases.length > 0 ? `; ${plural(end.notRun, 'case')} not run` : '';
    if (end.cancelled) {
        return { passed: false, reason: `${end.cancelled[0].toUpperCase()}${end.cancelled.slice(1)}${notRun}${failedAlso}`, failureKind: 'cancelled' };
    }
    if (errors.length > 0)
        return { passed: false, reason: `Stopped early: ${errors[0]}${notRun}${failedAlso}`, failureKind: 'infrastructure' };
    if (failures.length > 0) {
        const failureKind = infrastructure ? 'infrastructure' : quality ? 'quality' : 'speed';
        return { passed: false, reason: `Failed: ${failures.join('; ')}${knownNote ? `.${knownNote}` : ''}`, failureKind };
    }
    if (cases.length === 0 && end.nothingToRun)
        return { passed: true, reason: end.nothingToRun };
    if (cases.length === 0)
        return { passed: false, reason: 'No case was run.', failureKind: 'infrastructure' };
    const inconclusive = comparison?.inconclusive ? ` ${plural(comparison.inconclusive, 'speed comparison')} stayed inconclusive.` : '';
    const allPassed = cases.every((c) => c.passed);
    return { passed: true, reason: `${allPassed ? `All ${plural(cases.length, 'case')} passed.` : 'No new failures.'}${knownNote}${inconclusive}` };
}
/**
 * The best of the compared runs: the fastest median decode rate among those that passed every
 * case. A passing run that measured no rate comes after every one that did.
 */
function bestOf(runs) {
    const rate = (run) => run.tokensPerSecond ?? -Infinity;
    return runs.filter((run) => run.passed).reduce((best, run) => (best === undefined || rate(run) > rate(best) ? run : best), undefined);
}
/** Which failure says most about a comparison: one of the infrastructure first, as it leaves figures missing. */
const FAILURE_ORDER = ['infrastructure', 'cancelled', 'quality', 'speed'];
/**
 * A comparison passes when every compared run passed its own gate, as each would alone; the
 * reason names each that failed, and the best run.
 */
function comparisonVerdict(runs) {
    const failed = runs.filter((run) => !run.passed);
    const best = bestOf(runs);
    const rate = best?.tokensPerSecond ?? null;
    const bestNote = best ? ` Best: ${best.label}${rate !== null ? `, ${formatFigure(rate)} tokens/s` : ''}.` : ' No model passed every case.';
    if (failed.length === 0)
        return { passed: true, reason: `All ${plural(runs.length, 'model')} passed every case.${bestNote}` };
    const kinds = new Set(failed.map((run) => run.failureKind));
    const failureKind = FAILURE_ORDER.find((kind) => kinds.has(kind)) ?? 'quality';
    const each = failed.map((run) => `${run.label}: ${run.reason.replace(/\.$/, '')}.`).join(' ');
    return { passed: false, reason: `${failed.length} of ${plural(runs.length, 'model')} failed. ${each}${bestNote}`, failureKind };
}

// EXTERNAL MODULE: ./node_modules/openai/index.mjs + 152 modules
var openai = __webpack_require__(3674);
;// CONCATENATED MODULE: ./src/replay.ts
// Replays the suite's cases against the server through the `openai` SDK, streamed, and times
// each sample twice: as the server reports it and as the client saw the stream. Cases whose
// figures are not checked may share the server, up to its slots; the others never do.



const finite = (v) => typeof v === 'number' && Number.isFinite(v);
function serverFiguresOf(timings, stats) {
    if (timings) {
        return {
            ...(finite(timings.predicted_per_second) && (timings.predicted_n ?? 0) > 1 ? { tokensPerSecond: timings.predicted_per_second } : {}),
            ...(finite(timings.prompt_ms) ? { ttftMs: timings.prompt_ms } : {}),
            ...(finite(timings.prompt_per_second) ? { promptTokensPerSecond: timings.prompt_per_second } : {}),
            ...(finite(timings.predicted_n) ? { predictedTokens: timings.predicted_n } : {}),
            // Kept so anyone can recompute the figures from the results file: predicted_n over predicted_ms.
            ...(finite(timings.predicted_ms) ? { predictedMs: timings.predicted_ms } : {}),
            ...(finite(timings.prompt_n) ? { promptTokens: timings.prompt_n } : {}),
            ...(finite(timings.cache_n) ? { cachedTokens: timings.cache_n } : {})
        };
    }
    if (stats) {
        return {
            ...(finite(stats.tokens_per_second) ? { tokensPerSecond: stats.tokens_per_second } : {}),
            ...(finite(stats.time_to_first_token) ? { ttftMs: stats.time_to_first_token * 1000 } : {})
        };
    }
    return null;
}
/** server-timeout's default, for a target that does not give its own. */
const DEFAULT_READY_TIMEOUT_MS = 300_000;
/**
 * The waits before each new try of a fault that may pass (5xx, a reset, a refused or dropped
 * connection): 3.5 s in all, time for a server to get over a hiccup. One that stays away fails
 * the sample with its last error.
 */
const RETRY_DELAYS_MS = [500, 1000, 2000];
/** How often the warm-up asks again while the server loads its model. */
const LOADING_POLL_MS = 1000;
/** How long the slot count may take to read: a server that is up answers /props at once. */
const PROPS_TIMEOUT_MS = 5000;
/** How much of an answer that is not an event stream its error quotes. */
const QUOTED_CHARS = 200;
const watches = new WeakMap();
/**
 * fetch, with each successful answer's body read through a watch. The body is pulled only when
 * the SDK asks for more (high-water mark 0), so while the SDK hands out the chunks of one read,
 * `reads` is that read's number.
 */
async function watchedFetch(input, init) {
    const response = await fetch(input, init);
    if (!response.ok || !response.body || response.status === 204 || response.status === 205)
        return response;
    const watch = { reads: 0, done: false, head: '' };
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let partialLine = '';
    const sawDone = (lines) => lines.some((line) => /^data: ?\[DONE\]/.test(line));
    const body = new ReadableStream({
        async pull(controller) {
            const { done, value } = await reader.read();
            if (done) {
                if (sawDone([partialLine]))
                    watch.done = true;
                return controller.close();
            }
            watch.reads++;
            const text = decoder.decode(value, { stream: true });
            if (watch.head.length < QUOTED_CHARS * 2)
                watch.head += text.slice(0, QUOTED_CHARS * 2 - watch.head.length);
            const lines = (partialLine + text).split(/\r\n|\r|\n/);
            // Only a line's start can make it [DONE]: a long one is not kept whole.
            partialLine = (lines.pop() ?? '').slice(0, 16);
            if (sawDone(lines))
                watch.done = true;
            controller.enqueue(value);
        },
        cancel: (reason) => reader.cancel(reason)
    }, { highWaterMark: 0 });
    const watched = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    watches.set(watched, watch);
    return watched;
}
/**
 * The SDK client for a target. `ownConnections` sends every request on a connection of its own
 * (`Connection: close`): with several streams in flight llama-server closes kept-alive
 * connections as soon as a response ends, and a request sent on one as it closes fails with
 * "other side closed" (measured: 5 of 40 samples, each then retried half a second later).
 * llama-server closes a streamed response's connection even one request at a time, so against it
 * every request has its own: reaching for the closed one cost 0.7 ms a request (BENCHMARKS.md).
 */
function createClient(target, { ownConnections = target.engine === 'llama.cpp' } = {}) {
    return new openai/* default */.Ay({
        baseURL: target.baseUrl,
        // The SDK insists on a key; local servers mostly take none.
        apiKey: target.apiKey || 'not-needed',
        // Replay tries again itself: only faults that may pass, and it counts the tries on the sample.
        maxRetries: 0,
        timeout: target.requestTimeoutMs,
        // The SDK would print a broken stream's raw text with console.error: server text reaching the
        // log unescaped. The sample's error already says what broke.
        logLevel: 'off',
        fetch: watchedFetch,
        ...(ownConnections ? { defaultHeaders: { connection: 'close' } } : {})
    });
}
function requestOf(target, suiteCase, maxTokens = suiteCase.maxTokens) {
    return {
        model: target.model,
        messages: suiteCase.messages,
        temperature: suiteCase.temperature,
        max_tokens: maxTokens,
        ...(suiteCase.seed !== undefined ? { seed: suiteCase.seed } : {}),
        ...(suiteCase.topP !== undefined ? { top_p: suiteCase.topP } : {}),
        stream: true,
        stream_options: { include_usage: true },
        // Without this llama-server reuses the previous sample's prompt and its prompt speed is inflated.
        ...(target.engine === 'llama.cpp' ? { cache_prompt: false } : {})
    };
}
const CANCELLED = { kind: 'cancelled', message: 'cancelled' };
function classifyRequestError(error, baseUrl) {
    if (error instanceof openai/* default.APIConnectionTimeoutError */.Ay.APIConnectionTimeoutError)
        return { kind: 'timeout', message: `no answer from ${baseUrl} within the request timeout` };
    const transient = isPassingConnectionFault(error) ? { transient: true } : {};
    if (error instanceof openai/* default.APIConnectionError */.Ay.APIConnectionError) {
        return { kind: 'connection', message: badPortMessage(error, baseUrl) ?? `lost the connection to ${baseUrl}: ${rootCauseOf(error)}`, ...transient };
    }
    if (error instanceof openai/* default.APIError */.Ay.APIError && error.status !== undefined) {
        return {
            kind: 'http',
            message: `${baseUrl} answered HTTP ${error.status}: ${error.message.replace(/^\d+\s*/, '')}`,
            status: error.status,
            ...(error.status >= 500 ? { transient: true } : {})
        };
    }
    // The answer had begun, so the server was there: the run goes on, and a reset is still worth another try.
    return { kind: 'stream', message: `the stream from ${baseUrl} broke off: ${rootCauseOf(error)}`, ...transient };
}
/**
 * Decode tokens/s as the client saw the stream: tokens after the first, over the time from the
 * first to the last content chunk. The servers count the end-of-generation token, which is never
 * streamed, so an answer that stopped by itself had one token fewer in that window.
 *
 * That times decoding only if the tokens arrived as they were made. llama-server sends one token
 * per event as it decodes it (its transcripts in __tests__/fixtures/llama-server: 20 content
 * events for 21 predicted tokens, the 21st the end of generation), merging a few only while it
 * holds back a split UTF-8 character or a possible stop word. A proxy or a server that buffers
 * delivers many tokens per network read, and the window then times the network, not the model:
 * 20 tokens read within 0.2 ms would be 95,000 tokens/s. So the rule: a figure only when the
 * content came in at least one network read per two tokens streamed.
 */
function clientDecodeRate(stream) {
    const { counted, finishReason, contentChunks, contentReads, firstAt, lastAt } = stream;
    const streamed = counted === undefined ? contentChunks : finishReason === 'stop' ? counted - 1 : counted;
    if (streamed < 2)
        return { tokensPerSecond: null, unavailable: 'fewer than two tokens streamed' };
    const windowMs = firstAt !== null && lastAt !== null ? lastAt - firstAt : 0;
    if (contentReads * 2 < streamed || windowMs <= 0) {
        return { tokensPerSecond: null, unavailable: `${streamed} tokens arrived in ${contentReads} network ${contentReads === 1 ? 'read' : 'reads'}: the stream was buffered on the way` };
    }
    return { tokensPerSecond: ((streamed - 1) * 1000) / windowMs };
}
/** Server text in a message: on one line, and no more than QUOTED_CHARS of it. */
function quoted(text) {
    const flat = text.replace(/[\p{Cc}\s]+/gu, ' ').trim();
    if (!flat)
        return '(an empty body)';
    return flat.length > QUOTED_CHARS ? `${flat.slice(0, QUOTED_CHARS)}…` : flat;
}
/**
 * A 200 answer that still brought no finished stream: a server that ignored `stream: true` (a
 * JSON chat completion), a proxy's page, or a stream cut between two chunks, which the SDK ends as
 * quietly as a finished one. A finish reason or [DONE], either, says the answer was complete.
 */
function unfinished(answer, watch, contentType, baseUrl) {
    const done = watch?.done ?? false;
    if (answer.chunks === 0 && !done) {
        const ignored = /json/i.test(contentType ?? '') ? ' (the server ignored stream: true)' : '';
        return {
            kind: 'stream',
            message: `the answer from ${baseUrl} is not an event stream${ignored}: content-type ${contentType ?? '(none)'}, starting ${quoted(watch?.head ?? '')}`
        };
    }
    if (!done && answer.finishReason === null) {
        // On a connection of its own a body may end by the connection's close, so a server dying
        // mid-stream looks like this rather than a reset: a fault that may pass, like the reset.
        return {
            kind: 'stream',
            message: `the stream from ${baseUrl} ended after ${answer.chunks} ${answer.chunks === 1 ? 'chunk' : 'chunks'} without a finish reason or [DONE]: the server may have died or a proxy cut it off`,
            transient: true
        };
    }
    return undefined;
}
/** One request, streamed to its end. Never throws: a failure is kept with what arrived before it. */
async function sendRequest(client, target, body, signal) {
    let watch;
    let contentType = null;
    let deadline;
    let cutOff = false;
    const timeoutMessage = `no answer from ${target.baseUrl} within the request timeout (${target.requestTimeoutMs / 1000} s)`;
    // The run's cancel and the time limit both end the request through one controller of its own;
    // the SDK's listener then hangs on it, not on the run's signal, which would gather one per sample.
    const stop = new AbortController();
    const cancel = () => stop.abort();
    signal?.addEventListener('abort', cancel, { once: true });
    if (signal?.aborted)
        stop.abort();
    const answer = { text: '', finishReason: null, usage: null, chunks: 0, contentChunks: 0, contentReads: 0, sentAt: performance.now(), firstAt: null, lastAt: null, totalMs: 0 };
    try {
        const { data: stream, response } = await client.chat.completions.create(body, { signal: stop.signal }).withResponse();
        watch = watches.get(response);
        contentType = response.headers.get('content-type');
        // The SDK's timeout ends once headers arrive; a stream that then stalls is cut here, so the
        // request timeout bounds the whole sample.
        const remaining = Math.max(0, target.requestTimeoutMs - (performance.now() - answer.sentAt));
        deadline = setTimeout(() => {
            cutOff = true;
            stop.abort();
        }, remaining);
        let lastRead = -1;
        for await (const raw of stream) {
            const chunk = raw;
            const now = performance.now();
            answer.chunks++;
            const choice = chunk.choices?.[0];
            const content = choice?.delta?.content;
            if (content) {
                answer.firstAt ??= now;
                answer.lastAt = now;
                answer.contentChunks++;
                answer.text += content;
                if (watch && watch.reads !== lastRead) {
                    answer.contentReads++;
                    lastRead = watch.reads;
                }
            }
            if (choice?.finish_reason)
                answer.finishReason = choice.finish_reason;
            if (chunk.usage)
                answer.usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
            if (chunk.timings)
                answer.timings = chunk.timings;
            if (chunk.stats)
                answer.stats = chunk.stats;
        }
    }
    catch (caught) {
        // Nothing else aborts a request as the time limit runs out, so a failure then is the timeout,
        // whichever class the SDK made of it.
        const timedOut = cutOff || (caught instanceof openai/* default.APIConnectionError */.Ay.APIConnectionError && performance.now() - answer.sentAt >= target.requestTimeoutMs * 0.95);
        answer.failure = timedOut ? { kind: 'timeout', message: timeoutMessage } : classifyRequestError(caught, target.baseUrl);
    }
    finally {
        clearTimeout(deadline);
        signal?.removeEventListener('abort', cancel);
    }
    answer.totalMs = performance.now() - answer.sentAt;
    // An aborted stream ends its iteration quietly; a cancelled run outranks whatever else broke.
    if (signal?.aborted)
        answer.failure = CANCELLED;
    else if (cutOff)
        answer.failure = { kind: 'timeout', message: timeoutMessage };
    else
        answer.failure ??= unfinished(answer, watch, contentType, target.baseUrl);
    return answer;
}
/** The sample one answer makes; a cancelled one has no figures, since nothing was timed to its end. */
function sampleOf(answer, index, retries) {
    const { failure } = answer;
    const cancelled = failure?.kind === 'cancelled';
    const client = {
        ttftMs: !cancelled && answer.firstAt !== null ? answer.firstAt - answer.sentAt : null,
        // The first token is excluded, as the servers count decode speed.
        ...(cancelled
            ? { tokensPerSecond: null }
            : clientDecodeRate({ ...answer, counted: answer.usage?.completionTokens ?? answer.timings?.predicted_n })),
        totalMs: answer.totalMs,
        contentChunks: answer.contentChunks
    };
    const server = cancelled ? null : serverFiguresOf(answer.timings, answer.stats);
    const serverRate = server?.tokensPerSecond;
    const serverTtft = server?.ttftMs;
    return {
        index,
        text: answer.text,
        finishReason: answer.finishReason,
        usage: answer.usage,
        tokensPerSecond: serverRate ?? client.tokensPerSecond,
        tokensPerSecondSource: serverRate !== undefined ? 'server' : client.tokensPerSecond !== null ? 'client' : null,
        // One rule for both figures: the server's own when it reports one, else the client's.
        ttftMs: serverTtft ?? client.ttftMs,
        ttftSource: serverTtft !== undefined ? 'server' : client.ttftMs !== null ? 'client' : null,
        server,
        client,
        ...(failure ? { error: failure.message, errorKind: failure.kind } : {}),
        ...(retries > 0 ? { retries } : {})
    };
}
/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function pause(ms, signal) {
    return new Promise((resolve) => {
        if (signal?.aborted)
            return resolve(false);
        const onAbort = () => {
            clearTimeout(timer);
            resolve(false);
        };
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve(true);
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}
const replay_seconds = (ms) => `${Math.round(ms / 1000)} s`;
/**
 * One measured sample, tried again after each of RETRY_DELAYS_MS while its fault may pass. Never
 * on a timeout, which would cost another full request timeout, nor on a 4xx, which would only
 * repeat. Only the last try is timed.
 */
async function measureSample(client, target, suiteCase, index, signal) {
    for (let retries = 0;; retries++) {
        const answer = await sendRequest(client, target, requestOf(target, suiteCase), signal);
        const delay = answer.failure?.transient ? RETRY_DELAYS_MS[retries] : undefined;
        if (delay === undefined)
            return { sample: sampleOf(answer, index, retries), failure: answer.failure };
        if (!(await pause(delay, signal)))
            return { sample: sampleOf({ ...answer, failure: CANCELLED }, index, retries), failure: CANCELLED };
    }
}
/** One measured request. Never throws: a failure is kept on the sample with what arrived before it. */
async function replaySample(client, target, suiteCase, index) {
    return (await measureSample(client, target, suiteCase, index)).sample;
}
/**
 * A short request that loads caches and kernels before anything is measured; not counted. A
 * server that answers 503 is still loading its model (llama-server's "Loading model", even once
 * its model list answers): that is waited for, up to the server timeout.
 */
async function warmUp(client, target, suiteCase, progress) {
    const readyTimeoutMs = target.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    const startedAt = performance.now();
    let retries = 0;
    let noticedAt;
    for (;;) {
        // Drained to the end: the server must be idle again before anything is measured.
        const { failure } = await sendRequest(client, target, requestOf(target, suiteCase, Math.min(16, suiteCase.maxTokens)), progress.signal);
        if (!failure || failure.kind === 'cancelled')
            return failure;
        const now = performance.now();
        const waited = now - startedAt;
        let delay;
        if (failure.status === 503) {
            if (waited >= readyTimeoutMs)
                return { ...failure, message: `${failure.message}, still after ${replay_seconds(readyTimeoutMs)} of waiting for the model to load` };
            if (noticedAt === undefined || now - noticedAt >= WAIT_NOTICE_EVERY_MS) {
                const still = noticedAt === undefined ? 'waiting up to' : `waited ${replay_seconds(waited)} of up to`;
                progress.onWait?.(`${failure.message}; ${still} ${replay_seconds(readyTimeoutMs)} for the model to load`);
                noticedAt = now;
            }
            delay = Math.min(LOADING_POLL_MS, readyTimeoutMs - waited);
        }
        else if (failure.transient)
            delay = RETRY_DELAYS_MS[retries++];
        if (delay === undefined)
            return failure;
        if (!(await pause(delay, progress.signal)))
            return CANCELLED;
    }
}
/** Takes `count` more samples of one case, numbered from `fromIndex`; stops when the server is gone or the run is cancelled. */
async function replayMore(target, suiteCase, fromIndex, count, progress = {}) {
    const client = createClient(target);
    const samples = [];
    for (let index = fromIndex; index < fromIndex + count; index++) {
        if (progress.signal?.aborted)
            return { samples, cancelled: true };
        const { sample, failure } = await measureSample(client, target, suiteCase, index, progress.signal);
        samples.push(sample);
        progress.onSample?.(suiteCase, sample);
        if (failure?.kind === 'cancelled')
            return { samples, cancelled: true };
        if (failure?.kind === 'connection')
            return { samples, abortedBy: failure.message };
    }
    return { samples };
}
/** A run that shares nothing: every sample alone, in the suite's order. */
const ONE_AT_A_TIME = { concurrency: 1, runsAlone: () => true };
/**
 * Replays every case × repeat. With concurrency 1 (the default) one sample at a time, in the
 * suite's order. Above it, the cases that run alone go first, each sample with nothing else in
 * flight, so their speed figures are the server's alone; then the others, up to `concurrency`
 * samples at once. Stops early when the server is gone: a connection failure makes every later
 * sample fail the same way, and the samples already taken are kept; so does a cancelled run.
 */
async function replayCases(target, cases, progress = {}, repeatOf = (suiteCase) => suiteCase.repeat, sharing = ONE_AT_A_TIME) {
    const samples = new Map(cases.map((c) => [c.id, []]));
    if (cases[0]) {
        const failure = await warmUp(createClient(target), target, cases[0], progress);
        if (failure?.kind === 'cancelled')
            return { samples, cancelled: true };
        if (failure)
            return { samples, abortedBy: `warm-up request failed: ${failure.message}` };
    }
    const shares = sharing.concurrency > 1;
    const alone = shares ? cases.filter((c) => sharing.runsAlone(c)) : cases;
    for (const suiteCase of alone) {
        const taken = await replayMore(target, suiteCase, 0, repeatOf(suiteCase), progress);
        samples.set(suiteCase.id, taken.samples);
        if (taken.cancelled)
            return { samples, cancelled: true };
        if (taken.abortedBy)
            return { samples, abortedBy: taken.abortedBy };
    }
    if (!shares)
        return { samples };
    const together = cases.filter((c) => !sharing.runsAlone(c));
    return { samples, ...(await replayTogether(target, together, progress, repeatOf, sharing.concurrency, samples)) };
}
/**
 * Every sample of `cases`, up to `concurrency` in flight at once, started in the suite's order.
 * Once a sample finds the server gone, or the run is cancelled, no other starts; those in flight
 * finish (a cancelled one at once) and are kept, so each case keeps its first samples.
 */
async function replayTogether(target, cases, progress, repeatOf, concurrency, samples) {
    const client = createClient(target, { ownConnections: true });
    const queue = cases.flatMap((suiteCase) => Array.from({ length: repeatOf(suiteCase) }, (_, index) => ({ suiteCase, index })));
    let next = 0;
    let abortedBy;
    let cancelled = false;
    const worker = async () => {
        while (next < queue.length && abortedBy === undefined && !cancelled && !progress.signal?.aborted) {
            const { suiteCase, index } = queue[next++];
            const { sample, failure } = await measureSample(client, target, suiteCase, index, progress.signal);
            samples.get(suiteCase.id).push(sample);
            progress.onSample?.(suiteCase, sample);
            if (failure?.kind === 'cancelled')
                cancelled = true;
            else if (failure?.kind === 'connection')
                abortedBy ??= failure.message;
        }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    // Samples finish in any order; a case's are kept in the order they were asked for.
    for (const suiteCase of cases)
        samples.get(suiteCase.id).sort((a, b) => a.index - b.index);
    if (cancelled || progress.signal?.aborted)
        return { cancelled: true };
    return abortedBy === undefined ? {} : { abortedBy };
}
/**
 * The requests a llama-server answers at once: its slots (`/props` `total_slots`, set by
 * `-np`). Undefined for another engine, or when the server does not say.
 */
async function serverSlots(target) {
    if (target.engine !== 'llama.cpp')
        return undefined;
    try {
        const response = await fetch(`${originOf(target.baseUrl)}/props`, {
            headers: target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {},
            signal: AbortSignal.timeout(PROPS_TIMEOUT_MS)
        });
        if (!response.ok)
            return undefined;
        const slots = (await response.json()).total_slots;
        return typeof slots === 'number' && Number.isInteger(slots) && slots >= 1 ? slots : undefined;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/shard/select.ts
// Which cases a shard replays. A case belongs to a shard by a hash of its id alone, never by its
// place in the suite: adding, removing or moving a case leaves every other case where it was, so
// a shard's baseline stays comparable and a re-run shard replays what it replayed before.

/** `2/4`, as the option is written and the report names a shard. */
function shardName(shard) {
    return `${shard.index}/${shard.count}`;
}
/** The 1-based shard of `count` that the case `id` belongs to. */
function shardOfCase(id, count) {
    // 48 bits of sha256: uniform enough for any count up to 256, and exact in a JS number.
    const hash = (0,external_node_crypto_.createHash)('sha256').update(id).digest().readUIntBE(0, 6);
    return (hash % count) + 1;
}
/** The cases of `shard`, in the suite's order. */
function casesOfShard(cases, shard) {
    return cases.filter((c) => shardOfCase(c.id, shard.count) === shard.index);
}

// EXTERNAL MODULE: external "node:buffer"
var external_node_buffer_ = __webpack_require__(4573);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./node_modules/ajv/dist/ajv.js
var ajv = __webpack_require__(2463);
;// CONCATENATED MODULE: ./src/server/settings.ts
const CACHE_TYPES = ['off', 'f32', 'f16', 'bf16', 'q8_0', 'q4_0', 'q4_1', 'iq4_nl', 'q5_0', 'q5_1'];
// Validated against the list but typed as any string, as before the schema was the source of the
// type: settings written as plain objects (the flag tests' tables) widen to string and must still fit.
const cacheType = { enum: CACHE_TYPES };
const autoOrPositive = { anyOf: [{ const: 'auto' }, { type: 'number', exclusiveMinimum: 0 }] };
const settingsSchema = {
    type: 'object',
    additionalProperties: false,
    properties: {
        'context-length': { type: 'integer', minimum: 1 },
        'gpu-offload': { anyOf: [{ enum: ['max', 'off'] }, { type: 'integer', minimum: 0 }] },
        'cpu-threads': { type: 'integer', minimum: 1 },
        'eval-batch-size': { type: 'integer', minimum: 1 },
        'rope-frequency-base': autoOrPositive,
        'rope-frequency-scale': autoOrPositive,
        'offload-kv-cache-to-gpu': { type: 'boolean' },
        'keep-model-in-memory': { type: 'boolean' },
        'try-mmap': { type: 'boolean' },
        seed: { anyOf: [{ const: 'off' }, { type: 'integer', minimum: 0 }] },
        experts: { type: 'integer', minimum: 1 },
        'force-expert-weights-on-cpu': { type: 'boolean' },
        'flash-attention': { anyOf: [{ type: 'boolean' }, { const: 'auto' }] },
        'k-cache-quantization': cacheType,
        'v-cache-quantization': cacheType
    }
};

;// CONCATENATED MODULE: ./src/suite/schema.ts
// The JSON schema of a suite file, written once: Ajv validates against it and the raw file's
// types are derived from it, so the two cannot drift apart.




/** A case id: it names the case in messages, the report and the results file, so it stays plain. */
const CASE_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]*$';
const BASE_URL_PATTERN = '^https?://';
const sampling = {
    temperature: { type: 'number', minimum: 0, maximum: 2 },
    seed: { type: 'integer' },
    'max-tokens': { type: 'integer', minimum: 1 },
    'top-p': { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    repeat: { type: 'integer', minimum: 1, maximum: 100 }
};
const messageSchema = {
    type: 'object',
    additionalProperties: false,
    required: ['role', 'content'],
    properties: { role: { enum: ['system', 'user', 'assistant'] }, content: { type: 'string' } }
};
/**
 * The suite schema around a given schema for one `assert:` item. The item is a parameter because
 * its real schema is only known at run time, from the check registry; the types use a stand-in.
 */
function suiteSchemaWith(assertion) {
    return {
        type: 'object',
        additionalProperties: false,
        required: ['cases'],
        properties: {
            name: { type: 'string' },
            description: { type: 'string' },
            server: {
                type: 'object',
                additionalProperties: false,
                properties: {
                    backend: { enum: BACKENDS },
                    model: { type: 'string', minLength: 1 },
                    'base-url': { type: 'string', pattern: BASE_URL_PATTERN },
                    'extra-args': { type: 'array', items: { type: 'string' } },
                    settings: settingsSchema
                }
            },
            defaults: {
                type: 'object',
                additionalProperties: false,
                properties: { ...sampling, 'min-tokens-per-second': { type: 'number', exclusiveMinimum: 0 } }
            },
            cases: {
                type: 'array',
                minItems: 1,
                items: {
                    type: 'object',
                    additionalProperties: false,
                    required: ['id'],
                    properties: {
                        id: { type: 'string', pattern: CASE_ID_PATTERN },
                        system: { type: 'string' },
                        prompt: { type: 'string', minLength: 1 },
                        messages: { type: 'array', minItems: 1, items: messageSchema },
                        ...sampling,
                        assert: { type: 'array', items: assertion }
                    }
                }
            }
        }
    };
}
/**
 * What every `assert:` item has in common: a `type` and fields of its check. The types stop here,
 * as the checks' `Assertion` does; the run-time schema adds each check's own fields to it.
 */
const anyAssertion = { type: 'object', required: ['type'], properties: { type: { type: 'string' } } };
/** One `assert:` item: exactly one known check, with that check's own fields. */
function assertionSchema(checks) {
    return {
        ...anyAssertion,
        // With the discriminator Ajv reports an unknown or missing `type` once, rather than one
        // error per check that did not match.
        discriminator: { propertyName: 'type' },
        oneOf: [...checks].map((check) => ({
            type: 'object',
            properties: { type: { const: check.type }, ...check.properties },
            required: ['type', ...check.required],
            additionalProperties: false
        }))
    };
}
/** The whole suite schema: the fixed fields, and each registered check's own. */
function suiteSchema() {
    return suiteSchemaWith(assertionSchema(checkRegistry.values()));
}
let validator;
/**
 * Every schema error in `value`. Compiled on first use: importing the suite module stays cheap.
 * The schema is ours, so it is not checked against the JSON Schema meta-schema at each start
 * (compiling that took a third of the time), nor is the generated code optimised (another
 * quarter, for a validator that runs once a run); a unit test checks the schema once.
 */
function schemaErrors(value) {
    validator ??= new ajv.Ajv({ allErrors: true, discriminator: true, strict: false, verbose: true, validateSchema: false, code: { optimize: false } }).compile(suiteSchema());
    return validator(value) ? [] : (validator.errors ?? []);
}

;// CONCATENATED MODULE: ./src/suite/diagnostics.ts



class SuiteError extends Error {
    file;
    problems;
    constructor(file, problems) {
        super(problems.length === 1 ? problems[0] : `${file}: ${problems.length} problems\n${problems.join('\n')}`);
        this.file = file;
        this.problems = problems;
        this.name = 'SuiteError';
    }
}
function pointerToPath(pointer) {
    if (pointer === '')
        return [];
    return pointer
        .slice(1)
        .split('/')
        .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
        .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}
/**
 * A value the user wrote, for a message: quoted, on one line and short, so a key with a line
 * break or a pasted page of text cannot make a problem span lines or bury the rest.
 */
function diagnostics_quote(text) {
    const chars = [...text];
    return chars.length > 60 ? `${JSON.stringify(chars.slice(0, 57).join('')).slice(0, -1)}…"` : JSON.stringify(text);
}
/** `assert[1].codes` — how a user names a field; a key no schema knows is quoted when it is not plain. */
function fieldName(keys) {
    return keys
        .map((k, i) => {
        if (typeof k === 'number')
            return `[${k}]`;
        const name = /^[A-Za-z0-9_.-]+$/.test(k) ? k : diagnostics_quote(k);
        return i === 0 ? name : `.${name}`;
    })
        .join('');
}
const TYPE_NAMES = {
    integer: ['an integer', 'integers'],
    number: ['a number', 'numbers'],
    string: ['a string', 'strings'],
    boolean: ['true or false', 'booleans'],
    array: ['a list', 'lists'],
    object: ['a mapping', 'mappings']
};
/** "an integer", "\"max\" or an integer"; plural: "integers or strings". */
function describeType(schema, plural = false) {
    if (!schema)
        return 'valid';
    if (schema.const !== undefined)
        return JSON.stringify(schema.const);
    if (schema.enum)
        return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`;
    if (schema.anyOf)
        return schema.anyOf.map((s) => describeType(s, plural)).join(' or ');
    const names = schema.type ? TYPE_NAMES[schema.type] : undefined;
    return names ? names[plural ? 1 : 0] : 'valid';
}
/** Lines of the parsed document, for paths into the value it produced. */
class Locator {
    doc;
    lines;
    constructor(doc, lines) {
        this.doc = doc;
        this.lines = lines;
    }
    lineOf(node) {
        const offset = node?.range?.[0];
        return offset === undefined ? undefined : this.lines.linePos(offset).line;
    }
    /** The node at a path; a path through an alias ends at the alias, where the user wrote it. */
    node(keys) {
        if (keys.length === 0)
            return this.doc.contents ?? undefined;
        const node = this.doc.getIn(keys, true);
        return (0,dist/* isScalar */.jn)(node) || (0,dist/* isMap */.jh)(node) || (0,dist/* isSeq */.oP)(node) || (0,dist/* isAlias */.Vj)(node) ? node : undefined;
    }
    /** The nearest line for a path: the node itself, else its closest existing parent. */
    line(keys) {
        for (let n = keys.length; n >= 0; n--) {
            const line = this.lineOf(this.node(keys.slice(0, n)));
            if (line !== undefined)
                return line;
        }
        return 1;
    }
    keyLine(keys, key) {
        const parent = this.node(keys);
        if ((0,dist/* isMap */.jh)(parent)) {
            // YAML keys may be numbers or booleans; the parsed value names them as strings.
            const pair = parent.items.find((p) => (0,dist/* isScalar */.jn)(p.key) && String(p.key.value) === key);
            const line = this.lineOf(pair?.key);
            if (line !== undefined)
                return line;
        }
        return this.line(keys);
    }
    /** The value at a path as the file spells it (`.inf`, `1e400`), for a number the parse changed. */
    source(keys, value) {
        const node = this.node(keys);
        return (0,dist/* isScalar */.jn)(node) && typeof node.source === 'string' ? node.source : String(value);
    }
}
function subjectOf(keys, raw) {
    if (keys[0] === 'cases' && typeof keys[1] === 'number') {
        const id = raw?.cases?.[keys[1]]?.id;
        // Only an id the schema allows names its case: any other could hold quotes or line breaks.
        const label = typeof id === 'string' && new RegExp(CASE_ID_PATTERN).test(id) ? `case "${id}"` : `cases[${keys[1]}]`;
        return { label, rest: keys.slice(2) };
    }
    return { label: '', rest: [...keys] };
}
/** One problem at `keys` of the raw value, named by its case where it lies in one. */
function problem(file, line, keys, raw, message) {
    const { label, rest } = subjectOf(keys, raw);
    const field = fieldName(rest);
    const where = [label, field].filter(Boolean);
    const head = label && field ? `${label}: ${field}` : where.join('');
    return `${file}:${line}${head ? ` ${head}` : ''} ${message}`;
}
/** What a pattern asks for, in words; a pattern not listed is shown as it is. */
const PATTERN_WORDS = {
    [CASE_ID_PATTERN]: 'must start with a letter or digit and hold only letters, digits, ".", "_" and "-"',
    [BASE_URL_PATTERN]: 'must start with http:// or https://'
};
const BOUNDS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);
function explain(file, error, locator, raw) {
    const keys = pointerToPath(error.instancePath);
    const params = error.params;
    const say = (line, at, message) => ({ line, text: problem(file, line, at, raw, message) });
    // `.nan` is a number to the schema and fails every bound, which would read as "must be <= 2"
    // and "must be >= 0" at once.
    if (BOUNDS.has(error.keyword) && Number.isNaN(error.data)) {
        return say(locator.line(keys), keys, `must be a number, not ${locator.source(keys, error.data)}`);
    }
    switch (error.keyword) {
        case 'additionalProperties': {
            const key = String(params.additionalProperty);
            const known = Object.keys(error.parentSchema?.properties ?? {});
            return say(locator.keyLine(keys, key), [...keys, key], `is not a known key${known.length ? ` (known: ${known.join(', ')})` : ''}`);
        }
        case 'required':
            return say(locator.line(keys), [...keys, String(params.missingProperty)], 'is required');
        case 'discriminator': {
            // A `type` that is not a string has the schema's own "must be a string"; only these two reach here.
            const known = [...checkRegistry.keys()].join(', ');
            return params.tagValue === undefined
                ? say(locator.line(keys), [...keys, 'type'], `is required (one of ${known})`)
                : say(locator.line([...keys, 'type']), [...keys, 'type'], `${diagnostics_quote(params.tagValue)} is not a known check (known: ${known})`);
        }
        case 'type':
        case 'anyOf':
        case 'enum':
        case 'const': {
            const schema = error.parentSchema;
            // An item of the wrong type reads better as a property of its list.
            if (typeof keys[keys.length - 1] === 'number') {
                return say(locator.line(keys), keys.slice(0, -1), `must be a list of ${describeType(schema, true)}`);
            }
            return say(locator.line(keys), keys, `must be ${describeType(schema)}`);
        }
        case 'minItems':
            return say(locator.line(keys), keys, `needs at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`);
        case 'minLength':
            return say(locator.line(keys), keys, params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters long`);
        case 'pattern': {
            const pattern = String(params.pattern);
            return say(locator.line(keys), keys, PATTERN_WORDS[pattern] ?? `must match the pattern /${pattern}/`);
        }
        default:
            return say(locator.line(keys), keys, error.message ?? 'is not valid');
    }
}
/**
 * Errors that repeat another one in worse words: where anyOf failed, its branches' own errors;
 * where a check's `type` is missing, the plain "is required" beside the one listing the checks;
 * where `type` is not a string, the discriminator's complaint beside "must be a string".
 */
function withoutNoise(errors) {
    const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
    const discriminated = new Set(errors.filter((e) => e.keyword === 'discriminator').map((e) => e.instancePath));
    return errors.filter((e) => {
        const params = e.params;
        if (e.keyword === 'anyOf')
            return true;
        if (anyOfPaths.has(e.instancePath))
            return false;
        if (e.keyword === 'required' && params.missingProperty === 'type' && discriminated.has(e.instancePath))
            return false;
        return !(e.keyword === 'discriminator' && params.tagValue !== undefined && typeof params.tagValue !== 'string');
    });
}
/** The schema errors as problems in file order, each said once. */
function schemaProblems(file, errors, locator, raw) {
    const explained = withoutNoise(errors).map((e) => explain(file, e, locator, raw));
    const seen = new Set();
    return explained
        .sort((a, b) => a.line - b.line)
        .map((p) => p.text)
        .filter((p) => !seen.has(p) && seen.add(p));
}
/** The parser's words, except where they speak of its API or its internals rather than of the file. */
function yamlMessage(error) {
    // Out of stack, it says so under whichever step ran out: a collection, or the tag of a scalar in it.
    if (error.code === 'RESOURCE_EXHAUSTION' || error.message.startsWith('Maximum call stack size exceeded'))
        return 'nests lists or mappings too deeply';
    if (error.code === 'MULTIPLE_DOCS')
        return 'holds a second document (after "---"); a suite is one document';
    // The parser's own position suffix would repeat the line the prefix already gives.
    return error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
/** The parser's errors, each said once: running out of stack, it reports every level it unwinds. */
function yamlProblems(file, errors) {
    return [...new Set(errors.map((e) => `${file}:${e.linePos?.[0].line ?? 1} is not valid YAML: ${yamlMessage(e)}`))];
}

;// CONCATENATED MODULE: ./src/suite/load.ts
// Reads a suite file and builds its typed cases. Every problem is reported at once, so a user
// fixes the file in one pass: first YAML errors, then schema errors, then what a schema cannot
// say (an id used twice, a regular expression that does not compile, …).







async function loadSuite(suitePath, displayPath = suitePath, { optionLabel = "input 'suite'" } = {}) {
    let bytes;
    try {
        bytes = await (0,promises_.readFile)(suitePath);
    }
    catch (error) {
        const code = error.code;
        throw new SuiteError(displayPath, [
            code === 'ENOENT'
                ? `suite file not found: ${displayPath} (${optionLabel} is read relative to ${process.cwd()})`
                : code === 'EISDIR'
                    ? `suite file is a directory: ${displayPath} (${optionLabel} names the YAML file itself)`
                    : `cannot read suite file ${displayPath}: ${error.message}`
        ]);
    }
    const text = utf8Text(bytes, displayPath);
    await prepareChecks(text);
    return parseSuite(text, displayPath);
}
/**
 * Loads what the checks' own validation needs before the synchronous parse runs it: a
 * tree-sitter-query's grammar, so a bad query is a suite error with its line, not a failure at
 * run time. The file is only read here; every problem in it is the parse's to report.
 */
async function prepareChecks(text) {
    let raw;
    try {
        raw = (0,dist/* parseDocument */.Tp)(text, { logLevel: 'silent', schema: 'core', resolveKnownTags: false }).toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    }
    catch {
        return;
    }
    const cases = raw?.cases;
    if (!Array.isArray(cases))
        return;
    const assertions = cases.flatMap((c) => {
        const list = c?.assert;
        return Array.isArray(list) ? list.filter((a) => a !== null && typeof a === 'object' && typeof a.type === 'string') : [];
    });
    // A grammar that cannot load is the check's to report when it validates or runs.
    await Promise.all(assertions.map((a) => Promise.resolve(checkRegistry.get(a.type)?.prepare?.(a)).catch(() => undefined)));
}
/** The file as text. Read leniently, a byte that is not UTF-8 would reach the model as "�". */
function utf8Text(bytes, file) {
    if ((0,external_node_buffer_.isUtf8)(bytes))
        return bytes.toString('utf8');
    // Line by line, to say where (latin1 keeps every byte as it is; no UTF-8 character holds a line break).
    const line = bytes.toString('latin1').split('\n').findIndex((text) => !(0,external_node_buffer_.isUtf8)(Buffer.from(text, 'latin1'))) + 1;
    throw new SuiteError(file, [`${file}:${line} is not UTF-8 text; save the suite file as UTF-8`]);
}
/** An anchor's content may be copied this often by its aliases; more is a "billion laughs" file. */
const MAX_ALIAS_COUNT = 100;
function parseSuite(text, file) {
    const lines = new dist/* LineCounter */.HN();
    // Read as YAML 1.2's core schema whatever a %YAML directive says, with tags such as !!binary or
    // !!set left as plain values: the schema sees strings, numbers, lists and mappings, never a
    // Buffer, a Set or a Date. Nothing is printed; a warning (an unknown tag) is the schema's to report.
    const doc = (0,dist/* parseDocument */.Tp)(text, { lineCounter: lines, prettyErrors: true, logLevel: 'error', schema: 'core', resolveKnownTags: false });
    if (doc.errors.length > 0)
        throw new SuiteError(file, yamlProblems(file, doc.errors));
    const locator = new Locator(doc, lines);
    const raw = load_valueOf(doc, file, locator);
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        const what = doc.contents === null ? 'is empty; a suite is a mapping' : 'must be a mapping';
        throw new SuiteError(file, [`${file}:${locator.line([])} ${what} with the keys server, defaults and cases`]);
    }
    const problems = schemaProblems(file, schemaErrors(raw), locator, raw);
    if (problems.length > 0)
        throw new SuiteError(file, problems);
    return buildSuite(raw, file, locator);
}
/**
 * The document as a plain value. The parser finds an alias without its anchor, or aliases that
 * multiply, only while it builds the value, and then throws; here each becomes a problem at its line.
 */
function load_valueOf(doc, file, locator) {
    const anchors = new Set();
    const unanchored = [];
    let firstAlias;
    (0,dist/* visit */.YR)(doc, {
        Node: (_key, node) => {
            if (!(0,dist/* isAlias */.Vj)(node)) {
                if (node.anchor)
                    anchors.add(node.anchor);
                return;
            }
            firstAlias ??= node;
            // An alias refers back, to an anchor set before it in the file.
            if (!anchors.has(node.source)) {
                unanchored.push(`${file}:${locator.lineOf(node) ?? 1} is not valid YAML: the alias *${node.source} has no anchor &${node.source} before it`);
            }
        }
    });
    if (unanchored.length > 0)
        throw new SuiteError(file, unanchored);
    try {
        return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    }
    catch (error) {
        // With every alias anchored, the one ReferenceError left is the parser's alias limit.
        if (!(error instanceof ReferenceError))
            throw error;
        throw new SuiteError(file, [`${file}:${locator.lineOf(firstAlias) ?? 1} is not valid YAML: its aliases copy an anchor more than ${MAX_ALIAS_COUNT} times over`]);
    }
}
/** Numbers YAML reads but no server takes: `.inf`, or beyond what a double holds exactly (1e300). */
function outOfRange(value, keys = []) {
    if (typeof value === 'number')
        return Math.abs(value) <= Number.MAX_SAFE_INTEGER ? [] : [{ keys, value }];
    if (Array.isArray(value))
        return value.flatMap((item, i) => outOfRange(item, [...keys, i]));
    if (value !== null && typeof value === 'object')
        return Object.entries(value).flatMap(([key, item]) => outOfRange(item, [...keys, key]));
    return [];
}
function buildSuite(raw, file, locator) {
    const problems = [];
    const say = (keys, message) => problems.push(problem(file, locator.line(keys), keys, raw, message));
    // After the schema, the value is a small tree of known fields: the walk is short.
    for (const { keys, value } of outOfRange(raw)) {
        say(keys, `must be a number from -${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}, not ${locator.source(keys, value)}`);
    }
    const defaults = raw.defaults ?? {};
    const ids = new Map();
    const cases = raw.cases.map((c, i) => {
        const at = ['cases', i];
        if (ids.has(c.id))
            say([...at, 'id'], `is used twice (also cases[${ids.get(c.id)}])`);
        ids.set(c.id, i);
        if (c.messages && (c.prompt !== undefined || c.system !== undefined))
            say([...at, 'messages'], 'cannot be given with prompt or system');
        if (!c.messages && c.prompt === undefined)
            say(at, 'needs a prompt (or messages)');
        if (c.messages && !c.messages.some((m) => m.role === 'user'))
            say([...at, 'messages'], 'needs at least one user message');
        (c.assert ?? []).forEach((assertion, j) => {
            const trouble = checkRegistry.get(assertion.type)?.validate?.(assertion);
            if (trouble)
                say([...at, 'assert', j, trouble.field], trouble.message);
        });
        const messages = c.messages ?? [...(c.system !== undefined ? [{ role: 'system', content: c.system }] : []), { role: 'user', content: c.prompt ?? '' }];
        return {
            id: c.id,
            messages,
            repeat: c.repeat ?? defaults.repeat ?? 1,
            repeatGiven: c.repeat !== undefined || defaults.repeat !== undefined,
            temperature: c.temperature ?? defaults.temperature ?? 0,
            seed: c.seed ?? defaults.seed,
            maxTokens: c['max-tokens'] ?? defaults['max-tokens'] ?? 1024,
            topP: c['top-p'] ?? defaults['top-p'],
            assertions: c.assert ?? [],
            line: locator.line(at)
        };
    });
    if (problems.length > 0)
        throw new SuiteError(file, problems);
    return {
        path: file,
        name: raw.name,
        server: {
            backend: raw.server?.backend,
            model: raw.server?.model,
            baseUrl: raw.server?.['base-url'],
            settings: raw.server?.settings ?? {},
            extraArgs: raw.server?.['extra-args'] ?? []
        },
        minTokensPerSecond: defaults['min-tokens-per-second'],
        cases
    };
}
/** A path relative to the workspace when it lies inside it, as users wrote it in the workflow. */
function displayPathOf(absolute, workspace) {
    const relative = external_node_path_default().relative(workspace, absolute);
    return relative && !relative.startsWith('..') && !external_node_path_default().isAbsolute(relative) ? relative : absolute;
}

;// CONCATENATED MODULE: ./src/suite/index.ts
// The suite file's public API. Backend names and server settings live with the server code.



;// CONCATENATED MODULE: ./src/pipeline.ts
// One run, from suite file to results, shared by the action and the CLI: suite → server session
// → replay → checks → comparison with the baseline → gate. It never throws: a failure at any
// stage becomes an error in the results, and whatever was measured before it stays there.


















/** The line each measured sample gets in the log, in the action and the CLI alike. */
function sampleProgressLine(suiteCase, sample, total = suiteCase.repeat) {
    return `${suiteCase.id} sample ${sample.index + 1}/${total}: ${formatFigure(sample.tokensPerSecond)} tokens/s${sample.error ? `, failed: ${sample.error}` : ''}`;
}
/** A sample's line, in the case's group of the log where the host keeps one. */
function say(host, suiteCase, sample, total) {
    const line = sampleProgressLine(suiteCase, sample, total);
    if (host.sampleLine)
        host.sampleLine(suiteCase.id, line, sample.index + 1 >= total);
    else
        host.info(line);
}
/** Samples a speed case takes when the suite does not say: as llama-bench does. */
const SPEED_CASE_REPEAT = 5;
// More samples for an inconclusive speed comparison come in steps of this many.
const MORE_SAMPLES_STEP = 5;
/** A case whose figures are checked: it takes more samples, and each runs with nothing else in flight. */
const isSpeedCase = (assertions) => assertions.some((a) => a.type === 'tokens-per-second' || a.type === 'ttft');
/** The speed floor a case is held to: its own check, else the input's, else the suite's. */
function assertionsWithFloor(suiteCase, floor) {
    const hasOwn = suiteCase.assertions.some((a) => a.type === 'tokens-per-second');
    return hasOwn || floor === undefined ? suiteCase.assertions : [...suiteCase.assertions, { type: 'tokens-per-second', min: floor }];
}
/** Which source the figures of these samples came from, for `speedSource`. */
function speedSourceOf(samples) {
    const sources = new Set(samples.map((s) => s.tokensPerSecondSource).filter((s) => s !== null));
    if (sources.size === 0)
        return null;
    return sources.size === 1 ? [...sources][0] : 'mixed';
}
/** Where this process runs, for `environment`: the run that wrote the results. */
function environmentOf() {
    const env = process.env;
    const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
    return {
        modelgateVersion: MODELGATE_VERSION,
        node: process.version,
        platform: process.platform,
        arch: process.arch,
        ...(env.RUNNER_NAME ? { runner: env.RUNNER_NAME } : {}),
        ...(env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {}),
        ...(env.GITHUB_SHA ? { sha: env.GITHUB_SHA } : {}),
        ...(env.GITHUB_REF ? { ref: env.GITHUB_REF } : {}),
        ...(env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? { runUrl: `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` } : {})
    };
}
/**
 * The results of a run that never started because its options were wrong: the error, so the
 * results file exists in every outcome, as the README promises. A shard says which it was, so
 * the merge names it as failed rather than missing.
 */
function resultsOfBadInput(suitePath, message, part = {}) {
    const now = new Date().toISOString();
    return {
        schemaVersion: 1,
        passed: false,
        reason: `Stopped early: ${message}`,
        suite: { path: suitePath },
        startedAt: now,
        finishedAt: now,
        server: null,
        cases: [],
        tokensPerSecond: null,
        speedSource: null,
        errors: [message],
        failureKind: 'infrastructure',
        ...part,
        environment: environmentOf()
    };
}
async function runPipeline(options, host) {
    const startedAt = new Date().toISOString();
    const workspace = host.workspace;
    const absoluteSuite = external_node_path_default().resolve(workspace, options.suitePath);
    const errors = [];
    let suite;
    let session;
    const cases = [];
    let failedStart;
    let baseline;
    /** What a cancellation cut, once said: the sentence the verdict gives. */
    let cancelled;
    let fingerprint;
    let keys;
    let schedule;
    // The suite's cases this run replays: a shard's, else all of them.
    let planned = [];
    const machine = readMachineFacts().catch(() => undefined);
    try {
        suite = await loadSuite(absoluteSuite, displayPathOf(absoluteSuite, workspace), { optionLabel: host.optionLabel(Input.Suite) });
        planned = options.shard ? casesOfShard(suite.cases, options.shard) : suite.cases;
        if (options.shard)
            host.info(`Shard ${shardName(options.shard)}: ${planned.length} of the suite's ${suite.cases.length} cases${planned.length ? ` (${planned.map((c) => c.id).join(', ')})` : ''}`);
        const facts = await machine;
        fingerprint = facts ? fingerprintOf(facts) : undefined;
        // Each shard keeps a baseline of its own cases: one whole-suite key would hold whichever shard saved last.
        const suiteKey = suiteKeyOf(options.shard ? `${suite.path} shard ${shardName(options.shard)}` : suite.path);
        keys = { suite: suiteKey, machine: fingerprint?.machineHash ?? 'unknown' };
        if (planned.length === 0)
            throw new NothingToRun();
        // Looked up while the server loads its model; a bad baseline file is said once the samples are in.
        const lookup = lookForBaseline(options, host, keys).then((found) => ({ found, error: undefined }), (error) => ({ found: undefined, error: error.message }));
        const backend = options.backend ?? suite.server.backend ?? 'connect';
        host.info(`Starting ${backend} session`);
        host.saveState(State.Backend, backend);
        session = await driverOf(backend).start({
            host,
            options: options.backends[backend],
            server: suite.server,
            model: options.model ?? suite.server.model,
            apiKey: options.apiKey,
            readyTimeoutMs: options.serverTimeoutMs,
            modelBaseDir: options.model ? workspace : external_node_path_default().dirname(absoluteSuite),
            suitePath: suite.path
        });
        host.info(`Replaying ${planned.length} cases against ${session.model} at ${session.baseUrl}`);
        const target = {
            baseUrl: session.baseUrl,
            apiKey: session.apiKey,
            model: session.model,
            engine: session.engine,
            requestTimeoutMs: options.requestTimeoutMs,
            readyTimeoutMs: options.serverTimeoutMs
        };
        const floor = options.minTokensPerSecond ?? suite.minTokensPerSecond;
        const assertionsOf = (suiteCase) => assertionsWithFloor(suiteCase, floor);
        // A baseline is what every later run is held to: it takes max-repeat samples of a speed case,
        // so a comparison's interval is narrow on its side and a slowdown shows after a few samples.
        const speedRepeat = savesBaseline(options, host) ? options.maxRepeat : SPEED_CASE_REPEAT;
        const repeatOf = (suiteCase) => (!suiteCase.repeatGiven && isSpeedCase(assertionsOf(suiteCase)) ? speedRepeat : suiteCase.repeat);
        const runsAlone = (suiteCase) => isSpeedCase(assertionsOf(suiteCase));
        schedule = await scheduleOf(options, target, planned, runsAlone);
        if (schedule.concurrency > 1 && schedule.sharedCases > 0) {
            const alone = schedule.aloneCases ? `; each sample of the ${schedule.aloneCases} speed ${schedule.aloneCases === 1 ? 'case' : 'cases'} alone` : '';
            host.info(`Up to ${schedule.concurrency} samples at a time for the ${schedule.sharedCases} cases without a speed check${alone}`);
        }
        const progress = { onWait: (message) => host.info(message), signal: host.cancelled };
        const onSample = (suiteCase, sample) => say(host, suiteCase, sample, repeatOf(suiteCase));
        const replay = await replayCases(target, planned, { ...progress, onSample }, repeatOf, { concurrency: schedule.concurrency, runsAlone });
        if (replay.abortedBy)
            errors.push(replay.abortedBy);
        if (host.cancelled.aborted)
            errors.push((cancelled = cancelledMessage(host.cancelled, replay.samples, planned, repeatOf)));
        const judge = async (suiteCase, samples) => {
            // The prompt tells the code checks which functions are under test when a check names none.
            const judged = await judgeCase(suiteCase.id, assertionsOf(suiteCase), samples, { messages: suiteCase.messages });
            const measured = samples.filter((s) => !s.error);
            return { ...judged, tokensPerSecond: median(measured.map((s) => s.tokensPerSecond)), ttftMs: median(measured.map((s) => s.ttftMs)) };
        };
        for (const suiteCase of planned) {
            // A sample cut off by cancellation measured nothing.
            const samples = (replay.samples.get(suiteCase.id) ?? []).filter((s) => s.errorKind !== 'cancelled');
            // A case the run never reached has nothing to judge: it is listed as not run, and the error says why.
            if (samples.length === 0 && (replay.abortedBy || host.cancelled.aborted))
                continue;
            cases.push(await judge(suiteCase, samples));
        }
        const looked = await lookup;
        if (looked.error)
            errors.push(looked.error);
        baseline = looked.found;
        if (baseline && incomparability(baseline.results, fingerprint).length === 0 && !replay.abortedBy && !host.cancelled.aborted) {
            const error = await sampleUntilDecided(suite, cases, baseline, options, host, target, judge);
            if (error)
                errors.push(error);
        }
    }
    catch (error) {
        if (!(error instanceof NothingToRun))
            errors.push(error.message);
        if (error instanceof CancelledError)
            cancelled = error.message;
        if (error instanceof ServerStartError)
            failedStart = error.report;
    }
    finally {
        if (session)
            await session.stop();
    }
    // Cancelled after the last sample (while judging or stopping): said once, like any other stop.
    if (host.cancelled.aborted && cancelled === undefined)
        errors.push((cancelled = `cancelled by ${String(host.cancelled.reason)}`));
    const samples = cases.flatMap((c) => c.samples.filter((s) => !s.error));
    const results = {
        schemaVersion: 1,
        passed: false,
        reason: '',
        suite: { path: suite?.path ?? options.suitePath, ...(suite?.name ? { name: suite.name } : {}) },
        startedAt,
        finishedAt: new Date().toISOString(),
        server: session?.report() ?? failedStart ?? null,
        cases,
        tokensPerSecond: median(samples.map((s) => s.tokensPerSecond)),
        speedSource: speedSourceOf(samples),
        errors,
        ...(host.cancelled.aborted ? { cancelled: { signal: String(host.cancelled.reason), at: new Date().toISOString() } } : {}),
        ...(suite && cases.length < planned.length ? { notRun: planned.filter((c) => !cases.some((r) => r.id === c.id)).map((c) => c.id) } : {}),
        ...(fingerprint ? { fingerprint } : {}),
        ...(options.label ? { label: options.label } : {}),
        ...(options.shard ? { shard: options.shard } : {}),
        ...(schedule ? { schedule } : {}),
        environment: environmentOf()
    };
    const saving = shouldSave(options, host, errors);
    const comparison = saving ? undefined : compareWithBaseline(results, baseline, options, Boolean(host.baselines?.stores.length));
    if (comparison)
        results.comparison = comparison;
    // A shard may hold none of a small suite's cases: it passes, having nothing to judge.
    const nothingToRun = suite && options.shard && planned.length === 0 ? `Shard ${shardName(options.shard)} holds none of the suite's ${suite.cases.length} cases; nothing to run.` : undefined;
    const verdict = verdictOf(cases, errors, comparison, options, { ...(cancelled ? { cancelled } : {}), notRun: results.notRun?.length ?? 0, ...(nothingToRun ? { nothingToRun } : {}) });
    results.passed = verdict.passed;
    results.reason = verdict.reason;
    if (verdict.failureKind)
        results.failureKind = verdict.failureKind;
    if (keys && saving && planned.length > 0) {
        const saved = await saveBaseline(host.baselines?.stores ?? [], results, keys, host);
        if (saved.length > 0)
            host.info(`Saved this run as the baseline (${saved.join(', ')})`);
        else if (!host.baselines?.stores.length)
            host.warn(`${host.optionLabel(Input.Baseline)} 'save': there is nowhere to keep a baseline here (no Actions cache, no runner)`);
    }
    return results;
}
/** Ends a run before any server starts: the shard holds none of the suite's cases. */
class NothingToRun extends Error {
}
/**
 * How many samples may be in flight: the option, else the server's slots, else 1. A case with a
 * speed check (a suite floor gives every case one) runs alone whatever the number.
 */
async function scheduleOf(options, target, planned, runsAlone) {
    const slots = options.concurrency === undefined ? await serverSlots(target) : undefined;
    const aloneCases = planned.filter(runsAlone).length;
    return {
        concurrency: options.concurrency ?? slots ?? 1,
        concurrencySource: options.concurrency !== undefined ? 'option' : slots !== undefined ? 'server' : 'default',
        aloneCases,
        sharedCases: planned.length - aloneCases
    };
}
/** "cancelled by SIGINT after 13 of 15 samples; what was measured is kept" */
function cancelledMessage(signal, samples, cases, repeatOf) {
    const taken = [...samples.values()].flat().filter((s) => s.errorKind !== 'cancelled').length;
    const planned = cases.reduce((n, c) => n + repeatOf(c), 0);
    return `cancelled by ${String(signal.reason)} after ${taken} of ${planned} samples; what was measured is kept`;
}
/** Whether this run means to be the baseline (the default branch's, or `baseline: save`). */
function savesBaseline(options, host) {
    if (options.baselineFile)
        return false;
    return options.baseline === 'save' || (options.baseline === 'auto' && host.baselines?.onDefaultBranch === true);
}
/** A run that saves the baseline is what others compare with, not compared itself. */
function shouldSave(options, host, errors) {
    // A run that stopped early measured too little to be what later runs are held to.
    return errors.length === 0 && savesBaseline(options, host);
}
async function lookForBaseline(options, host, keys) {
    if (options.baselineFile)
        return readBaselineFile(options.baselineFile, host.workspace, host.optionLabel(Input.BaselineFile));
    if (options.baseline !== 'auto' || host.baselines?.onDefaultBranch)
        return undefined;
    return findBaseline(host.baselines?.stores ?? [], keys, host);
}
function compareWithBaseline(results, baseline, options, hasStores) {
    if (options.baseline === 'off' && !options.baselineFile)
        return undefined;
    if (!baseline) {
        // Where no baseline can be kept (a local run without --baseline-file) there is nothing to miss.
        if (results.errors.length > 0 || (!hasStores && !options.baselineFile))
            return undefined;
        return withoutBaseline('missing', 'no baseline for this suite and environment yet');
    }
    return compareRuns(results, baseline.results, baseline.info, { maxSpeedRegressionPercent: options.maxSpeedRegressionPercent });
}
/**
 * Takes more samples of the speed cases whose comparison with the baseline is still
 * inconclusive, up to `max-repeat`, and judges them again. Gives the error that stopped it, if any.
 */
async function sampleUntilDecided(suite, cases, baseline, options, host, target, judge) {
    const before = new Map(baseline.results.cases.map((c) => [c.id, c]));
    for (const [index, current] of cases.entries()) {
        const suiteCase = suite.cases.find((c) => c.id === current.id);
        const then = before.get(current.id);
        if (!suiteCase || !then)
            continue;
        let result = current;
        for (;;) {
            const compared = compareCase(then, result, { maxSpeedRegressionPercent: options.maxSpeedRegressionPercent });
            const undecided = [compared.tokensPerSecond, compared.ttft].some((delta) => delta && needsMoreSamples(delta, result.samples.length, options.maxRepeat));
            if (!undecided)
                break;
            const count = Math.min(MORE_SAMPLES_STEP, options.maxRepeat - result.samples.length);
            const total = result.samples.length + count;
            host.info(`${current.id}: speed against the baseline is not decided yet; taking ${count} more samples`);
            const more = await replayMore(target, suiteCase, result.samples.length, count, {
                signal: host.cancelled,
                onSample: (c, sample) => say(host, c, sample, total)
            });
            // A sample cut off by cancellation measured nothing; the pipeline says the run was cancelled.
            result = await judge(suiteCase, [...result.samples, ...more.samples.filter((s) => s.errorKind !== 'cancelled')]);
            cases[index] = result;
            if (more.abortedBy)
                return more.abortedBy;
            if (more.cancelled)
                return undefined;
        }
    }
    return undefined;
}

// EXTERNAL MODULE: ./node_modules/@octokit/plugin-retry/dist-bundle/index.js
var dist_bundle = __webpack_require__(9735);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-throttling/dist-bundle/index.js
var plugin_throttling_dist_bundle = __webpack_require__(6856);
// EXTERNAL MODULE: ./node_modules/bottleneck/lib/index.js
var lib = __webpack_require__(2203);
var lib_default = /*#__PURE__*/__webpack_require__.n(lib);
;// CONCATENATED MODULE: ./src/github/client.ts
// The GitHub API client publishing talks through. Every request has a deadline and can be
// stopped from outside; a 5xx or a rate limit is retried a bounded number of times after the wait
// GitHub asks for, and no wait is longer than a run can afford. When it gives up, the error says
// which limit and when it resets, so the warning can say it too.




const DEFAULT_TIMING = { requestTimeoutMs: 10_000, retries: 2, maxRateLimitWaitSeconds: 20, secondMs: 1000 };
/** GitHub did not answer in time, or we stopped waiting for it. Never retried. */
class GitHubUnanswered extends Error {
    kind;
    constructor(kind, message) {
        super(message);
        this.kind = kind;
        this.name = 'GitHubUnanswered';
    }
}
/** The rate limit an error from GitHub is, told apart from a 403 that is about permissions. */
function rateLimitOf(error) {
    const { status, message = '', response } = error;
    if (status !== 403 && status !== 429)
        return undefined;
    const headers = response?.headers ?? {};
    const reset = Number(headers['x-ratelimit-reset']);
    const retryAfter = Number(headers['retry-after']);
    const resetsAt = reset > 0 ? new Date(reset * 1000) : retryAfter > 0 ? new Date(Date.now() + retryAfter * 1000) : undefined;
    if (String(headers['x-ratelimit-remaining']) === '0')
        return { kind: 'primary', resetsAt };
    // GitHub's docs: every 429 is a rate limit, and a secondary one is named in the message.
    if (status === 429 || /\bsecondary rate\b/i.test(message))
        return { kind: 'secondary', resetsAt };
    return undefined;
}
/**
 * Our own bounds, innermost so each attempt of a retried request gets its own deadline. A
 * timed-out or stopped request fails without a response, which neither retrying plugin retries.
 * A 429 that names neither limit (plugin-throttling would not retry it) is handed to
 * plugin-retry with the wait its `retry-after` asks for.
 */
function bounds(timing, signal) {
    return (octokit) => {
        octokit.hook.wrap('request', async (request, options) => {
            const controller = new AbortController();
            const timer = setTimeout(() => controller.abort(), timing.requestTimeoutMs);
            const stop = () => controller.abort();
            signal?.addEventListener('abort', stop);
            const what = () => {
                const { method, url } = octokit.request.endpoint(options);
                return `${method} ${new URL(url).pathname}`;
            };
            try {
                if (signal?.aborted)
                    throw new GitHubUnanswered('stopped', `stopped waiting for GitHub before ${what()}: ${reasonOf(signal)}`);
                // Replaced, not passed: the hooks inside this one read the options object they were given.
                options.request = { ...options.request, signal: controller.signal };
                return await request(options);
            }
            catch (error) {
                if (signal?.aborted)
                    throw new GitHubUnanswered('stopped', `stopped waiting for GitHub during ${what()}: ${reasonOf(signal)}`);
                if (controller.signal.aborted)
                    throw new GitHubUnanswered('timeout', `GitHub did not answer ${what()} within ${timing.requestTimeoutMs / 1000} s`);
                const { status, message = '', response, request: sent } = error;
                const wait = Number(response?.headers?.['retry-after']);
                const unnamed429 = status === 429 && !/\bsecondary rate\b/i.test(message) && String(response?.headers?.['x-ratelimit-remaining']) !== '0';
                if (unnamed429 && sent && wait > 0 && wait <= timing.maxRateLimitWaitSeconds)
                    sent.request = { ...sent.request, retries: timing.retries, retryAfter: wait };
                throw error;
            }
            finally {
                clearTimeout(timer);
                signal?.removeEventListener('abort', stop);
            }
        });
    };
}
function reasonOf(signal) {
    return signal.reason instanceof Error ? signal.reason.message : String(signal.reason);
}
/** Statuses plugin-retry leaves alone: the request is wrong, or (429) plugin-throttling's. */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];
function createGitHubClient(token, options = {}) {
    const timing = { ...DEFAULT_TIMING, ...options.timing };
    const waitOut = (retryAfter, _options, _octokit, retryCount) => retryCount < timing.retries && retryAfter <= timing.maxRateLimitWaitSeconds && !options.signal?.aborted;
    return github/* getOctokit */.Q(token, {
        ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
        retry: { retries: timing.retries, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: timing.secondMs },
        throttle: {
            // Writes one at a time, as GitHub asks, but not the seconds apart the plugin keeps for bulk
            // writers: a run writes a handful of times, and a cancelled run has only seconds.
            write: new (lib_default()).Group({ maxConcurrent: 1 }),
            notifications: new (lib_default()).Group({ maxConcurrent: 1 }),
            retryAfterBaseValue: timing.secondMs,
            onRateLimit: waitOut,
            onSecondaryRateLimit: waitOut
        }
    }, bounds(timing, options.signal), dist_bundle/* retry */.L, plugin_throttling_dist_bundle/* throttling */.A);
}
/** `work`, or a rejection as soon as `signal` aborts: a retry wait under way does not hold the caller. */
function untilAborted(work, signal) {
    return new Promise((resolve, reject) => {
        const stop = () => reject(new GitHubUnanswered('stopped', `stopped waiting for GitHub: ${reasonOf(signal)}`));
        if (signal.aborted)
            stop();
        else
            signal.addEventListener('abort', stop, { once: true });
        work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
    });
}

;// CONCATENATED MODULE: ./src/github/comment.ts
/** The hidden marker a sticky comment is found by; the tag keeps matrix cells apart. */
function markerFor(tag) {
    // No '>' and no '--': the tag can neither end the HTML comment nor make it invalid.
    const safe = tag.replace(/[^A-Za-z0-9._:/ -]/g, '_').replace(/-{2,}/g, '-');
    return `<!-- modelgate:sticky-comment tag="${safe}" -->`;
}
/** Who GITHUB_TOKEN writes as. Its installation token cannot look itself up. */
const GITHUB_TOKEN_LOGIN = 'github-actions[bot]';
/** The login the token writes as: GraphQL `viewer`, else REST `GET /user`, else GITHUB_TOKEN's. */
async function identityOf(octokit) {
    const viewer = await octokit.graphql('query { viewer { login } }').then((result) => result.viewer.login, () => undefined);
    if (viewer)
        return viewer;
    const user = await octokit.rest.users.getAuthenticated().then((result) => result.data.login, () => undefined);
    return user ?? GITHUB_TOKEN_LOGIN;
}
/** Ours: written by `login`, with the marker as the first line, as the report starts. */
function oursOldestFirst(comments, marker, login) {
    return comments.filter((c) => c.user?.login === login && (c.body ?? '').split(/\r?\n/, 1)[0].trimEnd() === marker).sort((a, b) => a.id - b.id);
}
const statusOf = (error) => error.status;
/** Every page of comments, so a long discussion never gets a second report. */
async function listComments(octokit, target) {
    return octokit.paginate(octokit.rest.issues.listComments, { owner: target.owner, repo: target.repo, issue_number: target.issueNumber, per_page: 100 });
}
/** The comment with `body`, or undefined when it was deleted since it was listed. */
async function updateComment(octokit, target, id, body) {
    try {
        return (await octokit.rest.issues.updateComment({ owner: target.owner, repo: target.repo, comment_id: id, body })).data;
    }
    catch (error) {
        if (statusOf(error) === 404)
            return undefined;
        throw error;
    }
}
/**
 * Deletes twins of the kept comment. Best effort: a 404 means another run deleted it first, and a
 * twin left by any other failure is found and deleted by the next run.
 */
async function deleteTwins(octokit, target, twins) {
    for (const twin of twins)
        await octokit.rest.issues.deleteComment({ owner: target.owner, repo: target.repo, comment_id: twin.id }).catch(() => undefined);
}
/**
 * Puts `body` into the oldest of `ours` older than `before` that still exists, and deletes the
 * rest of `ours`; undefined when there is none.
 */
async function keepOldest(octokit, target, ours, body, before = Infinity) {
    for (const comment of ours.filter((c) => c.id < before)) {
        const kept = await updateComment(octokit, target, comment.id, body);
        if (kept) {
            await deleteTwins(octokit, target, ours.filter((c) => c.id !== comment.id));
            return kept;
        }
    }
    return undefined;
}
/**
 * Creates the comment that carries `marker`, or updates it in place. Runs at once both create
 * when neither sees the other's comment yet; so after creating, a run lists again, keeps the
 * oldest of ours (the lowest id) with its own report and deletes the rest. Ids grow with time, so
 * the run that created a newer one sees the oldest when it lists again and deletes its own; no
 * run deletes the oldest: exactly one is left, whatever the order.
 */
async function upsertComment(octokit, target, marker, body) {
    const [login, comments] = await Promise.all([identityOf(octokit), listComments(octokit, target)]);
    const updated = await keepOldest(octokit, target, oursOldestFirst(comments, marker, login), body);
    if (updated)
        return { url: updated.html_url, action: 'updated' };
    const { data: created } = await octokit.rest.issues.createComment({ owner: target.owner, repo: target.repo, issue_number: target.issueNumber, body });
    // What we just wrote says for certain who we are, whatever the identity lookups made of it.
    const ours = oursOldestFirst(await listComments(octokit, target), marker, created.user?.login ?? login);
    const older = await keepOldest(octokit, target, ours, body, created.id);
    if (older)
        return { url: older.html_url, action: 'updated' };
    await deleteTwins(octokit, target, ours.filter((c) => c.id > created.id));
    return { url: created.html_url, action: 'created' };
}

;// CONCATENATED MODULE: ./src/report.ts




/** GitHub rejects issue comments longer than this. */
const GITHUB_COMMENT_LIMIT = 65_536;
/**
 * Breaks @mentions outside code so a model cannot ping people from a comment: a zero-width space
 * written as an entity (as Renovate does), so the text itself holds no invisible character. Code
 * blocks need nothing: GitHub never links or notifies a mention inside code.
 */
function neutraliseMentions(text) {
    return text.replace(/@(?=[A-Za-z0-9_-])/g, '@&#8203;');
}
/** Text that renders as itself in Markdown and in a table cell: no HTML, no links, no markup. */
function escapeMarkdown(text) {
    const escaped = text
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/([\\`*_[\]|~#!])/g, '\\$1')
        .replace(/\r?\n/g, ' ');
    return neutraliseMentions(escaped);
}
/** A fenced block that the text cannot close: the fence is longer than any backtick run inside. */
function fence(text, language = '') {
    const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
    const ticks = '`'.repeat(Math.max(3, longestRun + 1));
    const body = text.endsWith('\n') ? text : `${text}\n`;
    return `${ticks}${language}\n${body}${ticks}`;
}
function caseVerdict(c) {
    return c.passed ? '✅ pass' : '❌ fail';
}
function failedChecks(c) {
    return c.checks.filter((check) => !check.passed);
}
function checkLine(check) {
    const where = check.line !== undefined ? ` (line ${check.line})` : '';
    return `${check.passed ? '✅' : '❌'} \`${check.type}\`: ${escapeMarkdown(check.message)}${check.message.includes(`line ${check.line}`) ? '' : where}`;
}
/** The line a failed check points at, and the tag of the code block it sits in (for highlighting). */
function lineOfSample(c, check) {
    if (check.line === undefined)
        return undefined;
    const answer = c.samples[check.sample ?? 0]?.text;
    const text = answer?.split('\n')[check.line - 1];
    if (text === undefined)
        return undefined;
    const line = check.line;
    const block = extractCodeBlocks(answer).find((b) => b.startLine <= line && line < b.startLine + b.code.split('\n').length);
    // The tag is the model's text: only a plain language name goes into the fence's info string.
    return { text, language: block?.tag && /^[\w#+.-]{1,20}$/.test(block.tag) ? block.tag : '' };
}
/** A run's URL as a Markdown link target, only when it is a plain https URL. */
function runLink(url, label) {
    return url && /^https:\/\/[^\s()]+$/.test(url) ? `[${label}](${url})` : undefined;
}
/** `−9.8% vs baseline, p = 0.002`, marked when it is a regression. */
function deltaText(delta) {
    if (!delta)
        return '';
    const sign = delta.changePercent > 0 ? '+' : delta.changePercent < 0 ? '−' : '±';
    const change = `${sign}${Math.abs(delta.changePercent).toFixed(1)}%`;
    const p = delta.p < 0.001 ? 'p < 0.001' : `p = ${delta.p.toFixed(3)}`;
    const mark = delta.verdict === 'slower' ? ' ❌' : delta.verdict === 'inconclusive' ? ' ❔' : '';
    return ` (${change} vs baseline, ${p}${mark})`;
}
/** The range of a case's decode rates beside its median, so a reader sees how noisy the figure is. */
function spreadOf(c) {
    const rates = c.samples.filter((s) => !s.error && s.tokensPerSecond !== null).map((s) => s.tokensPerSecond);
    if (rates.length < 2)
        return '';
    return ` (${formatFigure(Math.min(...rates))}–${formatFigure(Math.max(...rates))})`;
}
function qualityDelta(compared) {
    if (!compared)
        return '–';
    if (compared.isNew)
        return 'new case';
    const count = (delta) => compared.checks.filter((check) => check.delta === delta).length;
    const parts = [
        count('new-failure') && `❌ ${count('new-failure')} newly failing`,
        count('fixed') && `✅ ${count('fixed')} fixed`,
        count('known-failure') && `${count('known-failure')} still failing`
    ].filter(Boolean);
    const drift = compared.answer?.changed ? 'answer changed' : '';
    return [...parts, drift].filter(Boolean).join(', ') || 'same';
}
function renderCaseTable(results) {
    const comparison = results.comparison?.baseline === 'found' ? results.comparison : undefined;
    const byId = new Map(comparison?.cases.map((c) => [c.id, c]));
    const rows = results.cases.map((c) => {
        const failed = failedChecks(c)
            .map((check) => `\`${check.type}\`: ${escapeMarkdown(check.message)}`)
            .join('<br>');
        const compared = byId.get(c.id);
        const speed = `${formatFigure(c.tokensPerSecond)}${spreadOf(c)}${deltaText(compared?.tokensPerSecond)}`;
        const ttft = `${formatFigure(c.ttftMs)}${deltaText(compared?.ttft)}`;
        const cells = [escapeMarkdown(c.id), caseVerdict(c), speed, ttft, String(c.samples.length), ...(comparison ? [qualityDelta(compared)] : []), failed || '–'];
        return `| ${cells.join(' | ')} |`;
    });
    const head = comparison
        ? ['| Case | Result | Decode tokens/s | Time to first token (ms) | Samples | Against the baseline | Failed checks |', '|---|---|---:|---:|---:|---|---|']
        : ['| Case | Result | Decode tokens/s | Time to first token (ms) | Samples | Failed checks |', '|---|---|---:|---:|---:|---|'];
    return [...head, ...rows].join('\n');
}
/** What got worse, before anything else: newly failing checks and confirmed slowdowns. */
function renderRegressions(comparison) {
    const lines = [];
    for (const c of comparison.cases) {
        for (const check of c.checks.filter((k) => k.delta === 'new-failure'))
            lines.push(`- ❌ ${escapeMarkdown(c.id)} · \`${check.type}\` newly failing: ${escapeMarkdown(check.message)}`);
        if (c.tokensPerSecond?.verdict === 'slower')
            lines.push(`- ❌ ${escapeMarkdown(c.id)} · decode tokens/s ${escapeMarkdown(c.tokensPerSecond.reason)}`);
        if (c.ttft?.verdict === 'slower')
            lines.push(`- ❌ ${escapeMarkdown(c.id)} · time to first token ${escapeMarkdown(c.ttft.reason)}`);
    }
    return lines.length ? [`**${lines.length === 1 ? 'Regression' : `${lines.length} regressions`} against the baseline:**`, '', ...lines].join('\n') : '';
}
function shortSha(sha) {
    return sha ? sha.slice(0, 7) : 'unknown commit';
}
function renderBaseline(results) {
    const comparison = results.comparison;
    if (!comparison)
        return '';
    if (comparison.baseline !== 'found')
        return `_${escapeMarkdown(capitalised(comparison.note ?? 'no baseline'))}; the absolute checks decide._`;
    const info = comparison.info;
    const ref = info.ref?.replace(/^refs\/heads\//, '');
    const commit = `\`${shortSha(info.sha)}\``;
    const link = runLink(info.runUrl, 'run');
    const run = link ? ` (${link})` : '';
    const from = { cache: 'the Actions cache', runner: "the runner's copy", file: 'the baseline file' }[info.source];
    const parts = [`Compared with ${ref ? `${escapeMarkdown(ref)} at ` : ''}${commit}, ${escapeMarkdown(info.finishedAt.slice(0, 16).replace('T', ' '))} UTC${run}, from ${from}.`];
    if (comparison.changes.length)
        parts.push(`Changed since then: ${comparison.changes.map(escapeMarkdown).join('; ')}.`);
    if (comparison.removedCases.length)
        parts.push(`No longer in the suite: ${comparison.removedCases.map(escapeMarkdown).join(', ')}.`);
    return parts.join(' ');
}
function capitalised(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
}
/** A chart GitHub draws from the comment itself: baseline tokens/s as bars, this run's as a line. */
function renderChart(results) {
    const comparison = results.comparison;
    if (comparison?.baseline !== 'found')
        return '';
    const rows = comparison.cases.filter((c) => c.tokensPerSecond?.baseline != null);
    const now = new Map(results.cases.map((c) => [c.id, c.tokensPerSecond]));
    if (rows.length === 0)
        return '';
    const value = (n) => (n === null || n === undefined ? 0 : Number(n.toFixed(1)));
    // Case ids are letters, digits, dots, dashes and underscores (the suite schema): safe in quotes.
    const labels = rows.map((c) => JSON.stringify(c.id)).join(', ');
    return [
        '<details>',
        '<summary>Decode tokens/s per case: baseline (bars) and this run (line)</summary>',
        '',
        '```mermaid',
        'xychart-beta',
        '    title "Decode tokens/s: baseline (bars), this run (line)"',
        `    x-axis [${labels}]`,
        '    y-axis "tokens/s"',
        `    bar [${rows.map((c) => value(c.tokensPerSecond.baseline)).join(', ')}]`,
        `    line [${rows.map((c) => value(now.get(c.id))).join(', ')}]`,
        '```',
        '',
        '</details>'
    ].join('\n');
}
function renderDrift(compared, budget) {
    if (!compared?.answer?.changed || !compared.answer.diff || budget === 0)
        return [];
    const diff = budget !== null && compared.answer.diff.length > budget ? `${compared.answer.diff.slice(0, budget)}\n…` : compared.answer.diff;
    return ['', '<details>', '<summary>The answer changed from the baseline\'s</summary>', '', fence(diff, 'diff'), '', '</details>'];
}
function sampleSummary(c, s) {
    const parts = [
        `${formatFigure(s.tokensPerSecond)} tokens/s${s.tokensPerSecondSource ? ` (${s.tokensPerSecondSource})` : ''}`,
        `first token ${formatFigure(s.ttftMs)} ms`,
        s.usage ? `${s.usage.completionTokens} tokens` : undefined,
        s.finishReason ? `finish: ${escapeMarkdown(s.finishReason)}` : undefined,
        s.error ? '⚠️ request failed' : undefined
    ].filter(Boolean);
    return `${escapeMarkdown(c.id)} · sample ${s.index + 1} — ${parts.join(', ')}`;
}
function renderOutput(text, budget) {
    if (budget === null || text.length <= budget)
        return fence(text);
    const kept = text.slice(0, budget);
    return `${fence(kept)}\n\n_Output trimmed to ${budget} of ${text.length} characters to fit the comment; the results file has all of it._`;
}
function renderCaseDetails(c, budget, compared) {
    const lines = [`#### ${c.passed ? '✅' : '❌'} ${escapeMarkdown(c.id)}`, ''];
    for (const check of c.checks) {
        lines.push(`- ${checkLine(check)}`);
        const quoted = check.passed ? undefined : lineOfSample(c, check);
        if (quoted !== undefined && budget !== 0) {
            const where = `  Line ${check.line}${c.samples.length > 1 ? ` of sample ${(check.sample ?? 0) + 1}` : ''}:`;
            lines.push('', where, '', indent(fence(quoted.text.slice(0, 300), quoted.language), '  '), '');
        }
    }
    lines.push(...renderDrift(compared, budget));
    if (budget !== 0) {
        for (const sample of c.samples) {
            lines.push('', '<details>', `<summary>${sampleSummary(c, sample)}</summary>`, '');
            if (sample.error)
                lines.push(`⚠️ ${escapeMarkdown(sample.error)}`, '');
            // At temperature 0 repeats usually say the same: show the text once.
            const same = c.samples.find((earlier) => earlier.index < sample.index && earlier.text === sample.text && sample.text);
            const output = same ? `_Same output as sample ${same.index + 1}._` : sample.text ? renderOutput(sample.text, budget) : '_No output._';
            lines.push(output, '', '</details>');
        }
    }
    return lines.join('\n');
}
function indent(text, prefix) {
    return text
        .split('\n')
        .map((line) => prefix + line)
        .join('\n');
}
function renderServer(results) {
    const server = results.server;
    if (!server)
        return '';
    const rows = [
        ['Backend', server.backend === 'connect' ? `connect (${server.engine})` : server.backend],
        ['Server', server.baseUrl],
        ['Model', server.model]
    ];
    if (server.build)
        rows.push(['Build', server.build]);
    if (server.modelFile)
        rows.push(['Model file', `${server.modelFile.path} (${server.modelFile.sizeBytes} bytes, sha256 ${server.modelFile.sha256})`]);
    const facts = server.modelFile?.facts;
    if (facts) {
        const described = [
            facts.architecture,
            facts.parameterCount !== undefined ? `${formatParameterCount(facts.parameterCount)} parameters` : undefined,
            facts.quantisation,
            facts.trainedContext !== undefined ? `trained context ${facts.trainedContext}` : undefined,
            facts.experts ? `${facts.experts.count} experts${facts.experts.used !== undefined ? `, ${facts.experts.used} used` : ''}` : undefined
        ].filter(Boolean);
        if (described.length)
            rows.push(['Model', described.join(', ')]);
    }
    const machine = results.fingerprint?.machine;
    if (machine) {
        const gpus = machine.gpus.map((gpu) => `${gpu.name}${gpu.memoryMiB ? ` (${gpu.memoryMiB} MiB)` : ''}${gpu.driver ? `, driver ${gpu.driver}` : ''}`);
        rows.push(['GPU', gpus.length ? `${gpus.join('; ')}${machine.cuda ? `, CUDA ${machine.cuda}` : ''}` : 'none']);
        rows.push(['CPU', `${machine.cpu}, ${machine.cores} cores, ${(machine.memoryBytes / 1024 ** 3).toFixed(1)} GiB RAM`]);
        rows.push(['OS', `${machine.os} (${machine.platform}-${machine.arch})`]);
    }
    if (server.loadedAs) {
        const loaded = server.loadedAs;
        rows.push(['Loaded as', `${loaded.identifier} (${loaded.modelKey}${loaded.contextLength ? `, context ${loaded.contextLength}` : ''}${loaded.path ? `, ${loaded.path}` : ''})`]);
    }
    // Where a backend maps the settings to its own load config, the row says what each became.
    for (const [name, value] of Object.entries(server.settings))
        rows.push([`\`${name}\``, server.loadConfig?.[name] ? `${String(value)} → ${server.loadConfig[name]}` : String(value)]);
    const table = ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k.startsWith('`') ? k : escapeMarkdown(k)} | ${escapeMarkdown(v)} |`)];
    const parts = ['<details>', '<summary>Server, model, machine and settings</summary>', '', ...table];
    if (server.flags?.length)
        parts.push('', 'Flags:', '', fence(server.flags.join(' ')));
    if (server.commands?.length)
        parts.push('', 'Commands:', '', fence(server.commands.join('\n')));
    if (server.notApplied?.length) {
        parts.push('', 'Not applied:', '', ...server.notApplied.map((n) => `- \`${n.setting}\`: ${escapeMarkdown(n.reason)}`));
    }
    parts.push('', '</details>');
    return parts.join('\n');
}
function renderLogTail(results) {
    const tail = results.server?.logTail;
    if (!tail?.length || (results.passed && results.errors.length === 0))
        return '';
    return ['<details>', '<summary>Server log (last lines)</summary>', '', fence(tail.join('\n')), '', '</details>'].join('\n');
}
function report_speedNote(results) {
    const source = results.speedSource;
    if (!source)
        return '';
    const said = {
        server: "Speed figures are the server's own (decode only, first token excluded).",
        client: "Speed figures are the client's timing of the stream (the server reported none).",
        mixed: "Speed figures are the server's where it reported them, else the client's timing of the stream."
    }[source];
    return `_${said} Median over all measured samples: ${formatFigure(results.tokensPerSecond)} tokens/s._`;
}
const report_plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
/** How replay shared the server, in one line: which figures were taken with nothing else in flight. */
function renderSchedule(results) {
    const schedule = results.schedule;
    if (!schedule)
        return '';
    const { concurrency, sharedCases, aloneCases } = schedule;
    const why = {
        option: 'as `concurrency` asks',
        server: `the server's ${concurrency === 1 ? 'one slot' : `${concurrency} slots`}`,
        default: 'the server reports no slot count'
    }[schedule.concurrencySource];
    if (concurrency === 1)
        return `_Samples ran one at a time (concurrency 1: ${why})._`;
    if (sharedCases === 0)
        return `_Samples ran one at a time: every case has a speed check, and those run alone (concurrency ${concurrency}, ${why}, is for cases without one)._`;
    const alone = aloneCases ? `; each sample of the ${report_plural(aloneCases, 'speed case')} ran alone, with nothing else in flight` : '';
    return `_Up to ${concurrency} samples ran at once (${why}) for the ${report_plural(sharedCases, 'case')} without a speed check, whose figures were taken sharing the server${alone}._`;
}
/** The results files a merge read, and the shards it found none for; open when one is missing or failed. */
function renderMergeSources(results) {
    const merge = results.merge;
    if (!merge)
        return '';
    const comparing = Boolean(results.variants?.length);
    const part = (shard) => (shard.count > 1 ? shardName(shard) : 'whole suite');
    const rows = [
        ...merge.sources.map((source) => {
            const result = source.stopped ? `⚠️ stopped early: ${escapeMarkdown(source.stopped)}` : source.passed ? '✅ passed' : '❌ failed';
            return { ...source, cells: [part(source.shard), String(source.cases), result, escapeMarkdown(source.runner ?? '–'), escapeMarkdown(source.file)] };
        }),
        ...merge.missing.map((gone) => {
            const held = gone.cases.length ? `its cases: ${gone.cases.map(escapeMarkdown).join(', ')}` : 'it holds no case';
            return { ...gone, cells: [part(gone.shard), '–', `❌ no results file (${held})`, '–', '–'] };
        })
    ]
        // In the order of the matrix: by model, then by shard.
        .sort((a, b) => a.label.localeCompare(b.label) || a.shard.index - b.shard.index)
        .map((row) => `| ${[...(comparing ? [escapeMarkdown(row.label)] : []), ...row.cells].join(' | ')} |`);
    const head = comparing ? ['| Model | Shard | Cases | Result | Runner | Results file |', '|---|---|---:|---|---|---|'] : ['| Shard | Cases | Result | Runner | Results file |', '|---|---:|---|---|---|'];
    const trouble = merge.missing.length > 0 || merge.sources.some((source) => source.stopped);
    const files = report_plural(merge.sources.length, 'results file');
    return [trouble ? '<details open>' : '<details>', `<summary>Merged from ${files} in ${escapeMarkdown(merge.from)}</summary>`, '', ...head, ...rows, '', '</details>'].join('\n');
}
/** What a failure kind tells the reader to look at, as the comment says it. */
function describeFailureKind(kind) {
    return FAILURE_KINDS[kind].replace(/\.$/, '');
}
/** What each failure kind tells the reader to look at. */
const FAILURE_KINDS = {
    quality: "the model's answers failed a check.",
    speed: 'the model was slower than the floor or than the baseline.',
    infrastructure: 'the server, the network or the input failed, not the model: the figures are incomplete.',
    cancelled: 'the run was cancelled; the figures are what was measured before.'
};
function renderVerdict(results) {
    const passed = results.cases.filter((c) => c.passed).length;
    const icon = results.passed ? '✅' : '❌';
    const outcome = results.cancelled ? 'was cancelled' : results.passed ? 'passed' : 'failed';
    const title = `### ${results.cancelled ? '⏹️' : icon} modelgate ${outcome}${results.suite.name ? `: ${escapeMarkdown(results.suite.name)}` : ''}`;
    const notRun = results.notRun?.length ?? 0;
    const total = results.cases.length + notRun;
    const count = results.cases.length === 0
        ? 'No case was run'
        : `${passed} of ${total} case${total === 1 ? '' : 's'} passed${notRun ? `, ${notRun} not run` : ''}`;
    const env = results.environment;
    const link = runLink(env?.runUrl, 'this workflow run');
    const judged = env?.sha ? `Judged \`${shortSha(env.sha)}\`${link ? ` in ${link}` : ''}.` : '';
    const kind = results.failureKind ? `\n\nFailure kind: \`${results.failureKind}\` — ${FAILURE_KINDS[results.failureKind]}` : '';
    const missing = notRun ? `\n\nNot run: ${results.notRun.map((id) => escapeMarkdown(id)).join(', ')}.` : '';
    return `${title}\n\n**${count}.** ${escapeMarkdown(results.reason)}${kind}${missing}${judged ? `\n\n${judged}` : ''}`;
}
function compose(results, options, budget, caseRows) {
    const parts = [];
    if (options.marker)
        parts.push(options.marker);
    parts.push(renderVerdict(results));
    // The reason under the verdict already names the first error.
    const moreErrors = results.errors.slice(1);
    if (moreErrors.length)
        parts.push(moreErrors.map((e) => `> ⚠️ ${escapeMarkdown(e)}`).join('\n>\n'));
    const comparison = results.comparison;
    parts.push(renderBaseline(results));
    if (comparison?.baseline === 'found')
        parts.push(renderRegressions(comparison));
    const shown = { ...results, cases: results.cases.slice(0, caseRows) };
    if (results.cases.length)
        parts.push(renderCaseTable(shown));
    if (caseRows < results.cases.length)
        parts.push(`_${results.cases.length - caseRows} more cases are left out to fit the comment; the results file has them all._`);
    parts.push(report_speedNote(results), renderSchedule(results), renderChart(shown));
    const compared = new Map(comparison?.cases.map((c) => [c.id, c]));
    if (budget !== 0)
        parts.push(...shown.cases.map((c) => renderCaseDetails(c, budget, compared.get(c.id))));
    else if (results.cases.length)
        parts.push('_Outputs are left out to fit the comment; the results file has them all._');
    parts.push(renderMergeSources(results), renderServer(results), renderLogTail(results));
    return parts.filter(Boolean).join('\n\n') + '\n';
}
/** A compared run's name in a table: its label, which the merge always sets. */
const runName = (run) => escapeMarkdown(run.label ?? run.server?.model ?? 'model');
/** The cell of one case in one compared run: its verdict and the checks it failed. */
function comparedCell(run, id) {
    const c = run.cases.find((r) => r.id === id);
    if (!c)
        return 'not run';
    if (c.passed)
        return '✅';
    return `❌ ${[...new Set(failedChecks(c).map((check) => `\`${check.type}\``))].join(', ')}`;
}
/** Models as columns: each one's verdict and medians, then each case's result. */
function renderComparisonTable(results) {
    const runs = results.variants;
    const ids = [...new Set([...runs.flatMap((run) => run.cases.map((c) => c.id)), ...runs.flatMap((run) => run.notRun ?? [])])];
    const measured = (run) => run.cases.flatMap((c) => c.samples.filter((s) => !s.error));
    const row = (label, cells) => `| ${label} | ${cells.join(' | ')} |`;
    return [
        row('Case', runs.map(runName)),
        row('---', runs.map(() => '---')),
        row('**Result**', runs.map((run) => (run.passed ? '✅ passed' : '❌ failed'))),
        row('**Cases passed**', runs.map((run) => `${run.cases.filter((c) => c.passed).length} of ${run.cases.length + (run.notRun?.length ?? 0)}`)),
        row('**Median decode tokens/s**', runs.map((run) => formatFigure(run.tokensPerSecond))),
        row('**Median time to first token (ms)**', runs.map((run) => formatFigure(median(measured(run).map((s) => s.ttftMs))))),
        ...ids.map((id) => row(escapeMarkdown(id), runs.map((run) => comparedCell(run, id))))
    ].join('\n');
}
function renderComparisonVerdict(results) {
    const runs = results.variants;
    const outcome = results.passed ? 'passed' : 'failed';
    const title = `### ${results.passed ? '✅' : '❌'} modelgate ${outcome}${results.suite.name ? `: ${escapeMarkdown(results.suite.name)}` : ''}`;
    const total = Math.max(...runs.map((run) => run.cases.length + (run.notRun?.length ?? 0)));
    const kind = results.failureKind ? `\n\nFailure kind: \`${results.failureKind}\` — ${FAILURE_KINDS[results.failureKind]}` : '';
    const best = runs.find((run) => run.label === results.best);
    const passing = runs.filter((run) => run.passed).length;
    const bestLine = best
        ? `**Best: ${runName(best)}** — ${passing === 1 ? 'the only model that passes every case' : `the fastest median decode of the ${passing} models that pass every case`}, ${formatFigure(best.tokensPerSecond)} tokens/s.`
        : '**No model passes every case.**';
    const env = results.environment;
    const link = runLink(env?.runUrl, 'this workflow run');
    const judged = env?.sha ? `\n\nJudged \`${shortSha(env.sha)}\`${link ? ` in ${link}` : ''}.` : '';
    return `${title}\n\n**${report_plural(runs.length, 'model')} compared on ${report_plural(total, 'case')}.** ${escapeMarkdown(results.reason)}${kind}\n\n${bestLine}${judged}`;
}
/** Each compared run's own case table and server, folded, so the table above stays the summary. */
function renderComparedRun(run) {
    const body = [run.cases.length ? renderCaseTable(run) : '', report_speedNote(run), renderServer(run)].filter(Boolean).join('\n\n');
    return ['<details>', `<summary>${run.passed ? '✅' : '❌'} ${runName(run)}: ${escapeMarkdown(run.reason)}</summary>`, '', body, '', '</details>'].join('\n');
}
/** A comparison: the verdict and the best model, the table, then each model folded; the folds go first when it is too long. */
function renderComparison(results, options, limit) {
    const compose = (details) => {
        const parts = [options.marker ?? '', renderComparisonVerdict(results)];
        if (results.errors.length)
            parts.push(results.errors.map((e) => `> ⚠️ ${escapeMarkdown(e)}`).join('\n>\n'));
        parts.push(renderComparisonTable(results));
        if (details)
            parts.push(...results.variants.map(renderComparedRun));
        else
            parts.push("_Each model's cases and server are left out to fit the comment; the results file has them all._");
        parts.push(renderMergeSources(results));
        return parts.filter(Boolean).join('\n\n') + '\n';
    };
    const body = compose(true);
    if (body.length <= limit)
        return body;
    const short = compose(false);
    return short.length <= limit ? short : `${short.slice(0, limit - 200)}\n\n_Cut to fit GitHub's limit; the results file has the whole report._\n`;
}
/**
 * Renders the run. When the body would pass `maxLength`, outputs are trimmed first, then left
 * out, then case rows; the verdict is never cut. A model comparison (merged results with
 * `variants`) has a layout of its own: models as columns.
 */
function renderReport(results, options = {}) {
    const limit = options.maxLength ?? GITHUB_COMMENT_LIMIT;
    if (results.variants?.length)
        return renderComparison(results, options, limit);
    const all = results.cases.length;
    let body = compose(results, options, null, all);
    if (body.length <= limit)
        return body;
    const samples = Math.max(1, results.cases.reduce((n, c) => n + c.samples.length, 0));
    for (const budget of [4000, 2000, 1000, 400, 100].filter((b) => b * samples < limit)) {
        body = compose(results, options, budget, all);
        if (body.length <= limit)
            return body;
    }
    body = compose(results, options, 0, all);
    for (let rows = all; body.length > limit && rows > 0; rows = Math.floor(rows / 2)) {
        body = compose(results, options, 0, rows);
    }
    return body.length <= limit ? body : `${body.slice(0, limit - 200)}\n\n_Cut to fit GitHub's limit; the results file has the whole report._\n`;
}

;// CONCATENATED MODULE: ./src/results-file.ts
// The results file, written the same way by the action and the CLI. It cannot be written (a
// read-only workspace, a path through a file): a warning, and the report still goes everywhere else.


/**
 * Writes `results` as JSON under the host's workspace. The text is redacted right before it is
 * written: model ids, server flags, error messages and answers can all carry a masked secret,
 * and in the JSON one with a quote or backslash appears escaped (the redactor knows that form).
 */
async function writeResultsFile(file, results, host) {
    const absolute = external_node_path_default().resolve(host.workspace, file);
    await (0,promises_.mkdir)(external_node_path_default().dirname(absolute), { recursive: true });
    await (0,promises_.writeFile)(absolute, host.redact(`${JSON.stringify(results, null, 2)}\n`));
    return absolute;
}
/** Writes the results file, or warns why not; gives its absolute path when it was written. */
async function saveResultsFile(file, results, host) {
    try {
        const written = await writeResultsFile(file, results, host);
        host.info(`Results written to ${written}`);
        return written;
    }
    catch (error) {
        host.warn(`could not write results-file '${file}': ${error.message}. ${host.reportAlsoIn}`);
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/publish.ts
// Where a run's report goes: the sticky PR comment, the job summary, the results file and the
// step outputs. A comment that cannot be posted is a warning; the other places still get the
// report, so a result is never lost. A shard's report is the merge's to publish: a shard writes
// only its results file and outputs.










function pullRequestOf(context) {
    const number = context.payload.pull_request?.number;
    if (typeof number !== 'number')
        return undefined;
    return { owner: context.repo.owner, repo: context.repo.repo, issueNumber: number };
}
/** When a rate limit lifts, as a reader can act on: a clock time and how long from now. */
function whenItResets(limit) {
    if (!limit.resetsAt)
        return 'GitHub gave no reset time; it asks to wait at least a minute';
    const seconds = Math.max(0, Math.round((limit.resetsAt.getTime() - Date.now()) / 1000));
    const wait = seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
    return `it resets at ${limit.resetsAt.toISOString().slice(11, 19)} UTC, in ${wait}`;
}
function describeCommentError(error, target) {
    const status = error.status;
    const message = error.message;
    const where = `${target.owner}/${target.repo}#${target.issueNumber}`;
    const limit = rateLimitOf(error);
    if (limit) {
        const name = limit.kind === 'primary' ? "GitHub's API rate limit for this token" : "GitHub's secondary rate limit (too many requests too fast)";
        return `commenting on ${where} hit ${name}; ${whenItResets(limit)}, longer than a run waits. The job summary and the results file still hold the report.`;
    }
    if (error instanceof GitHubUnanswered)
        return `commenting on ${where} was given up: ${message}. The job summary and the results file still hold the report.`;
    if (status === 403 || status === 404 || status === 401) {
        return (`cannot comment on ${where} with the given github-token (HTTP ${status}: ${message}). ` +
            "Give the job 'permissions: pull-requests: write'; pull requests from forks get a read-only token. " +
            'The job summary and the results file still hold the report.');
    }
    return `commenting on ${where} failed: ${message}. The job summary and the results file still hold the report.`;
}
/** The longest the comment may take altogether, retries and rate limits included. */
const COMMENT_BUDGET_MS = 60_000;
/** Publishes everywhere it can; each place failing alone is a warning, never a lost result. */
async function publishResults(results, options, host) {
    const resultsPath = await saveResultsFile(options.resultsFile, results, host);
    if (resultsPath)
        core/* setOutput */.uH(Output.ResultsFile, resultsPath);
    const shown = redactedResults(results, host);
    // A comparison counts every model's cases.
    const cases = results.variants ? results.variants.flatMap((run) => run.cases) : results.cases;
    core/* setOutput */.uH(Output.Passed, String(results.passed));
    core/* setOutput */.uH(Output.CasesPassed, String(cases.filter((c) => c.passed).length));
    core/* setOutput */.uH(Output.CasesFailed, String(cases.filter((c) => !c.passed).length));
    core/* setOutput */.uH(Output.TokensPerSecond, results.tokensPerSecond === null ? '' : formatFigure(results.tokensPerSecond));
    core/* setOutput */.uH(Output.Regressions, String(results.comparison?.regressions ?? 0));
    // No comparison was asked for (baseline: off) or possible: as good as no baseline.
    core/* setOutput */.uH(Output.Baseline, results.comparison?.baseline ?? 'missing');
    core/* setOutput */.uH(Output.FailureKind, results.failureKind ?? '');
    if (results.best !== undefined)
        core/* setOutput */.uH(Output.Best, results.best);
    if (results.shard) {
        host.info(`Shard ${shardName(results.shard)}: no job summary or comment; the merge (mode: merge) publishes one for every shard.`);
        return;
    }
    try {
        if (process.env.GITHUB_STEP_SUMMARY)
            await core/* summary */.z.addRaw(markdownFor(renderReport(shown, { maxLength: 1024 * 1024 - 1024 }), host)).write();
    }
    catch (error) {
        host.warn(`could not write the job summary: ${error.message}`);
    }
    const target = pullRequestOf(github/* context */._);
    if (!options.comment)
        return;
    if (!target) {
        host.info(`No pull request in this ${github/* context */._.eventName} event; no comment posted.`);
        return;
    }
    if (!options.githubToken) {
        host.warn('github-token is empty: no comment posted. The job summary and the results file hold the report.');
        return;
    }
    const marker = markerFor(options.commentTag);
    const stop = new AbortController();
    const budget = setTimeout(() => stop.abort(new Error(`posting took longer than ${COMMENT_BUDGET_MS / 1000} s`)), COMMENT_BUDGET_MS);
    const cancelled = () => stop.abort(new Error('the run was cancelled'));
    if (options.signal?.aborted)
        cancelled();
    options.signal?.addEventListener('abort', cancelled);
    try {
        const octokit = createGitHubClient(options.githubToken, { timing: options.githubTiming, signal: stop.signal });
        const body = markdownFor(renderReport(shown, { marker }), host);
        const { url, action } = await untilAborted(upsertComment(octokit, target, marker, body), stop.signal);
        host.info(`Comment ${action}: ${url}`);
        core/* setOutput */.uH(Output.CommentUrl, url);
    }
    catch (error) {
        host.warn(describeCommentError(error, target));
    }
    finally {
        clearTimeout(budget);
        options.signal?.removeEventListener('abort', cancelled);
        // What is still under way (an identity lookup after the listing failed) ends with publishing.
        stop.abort(new Error('publishing is over'));
    }
}

;// CONCATENATED MODULE: ./src/shard/merge.ts
// `mode: merge`: gathers the results files of other runs — the shards of one suite, or one run per
// model — into one results object, so one comment, one summary and one verdict speak for them
// all. The files come from the workflow's own download-artifact step (`merge-from`). A shard that
// left no file, or one that stopped early, is named and fails the merge: a merged pass means every
// case of the suite passed. Like the pipeline, it never throws.








const WHOLE_SUITE = { index: 1, count: 1 };
/** A run's name when it has no label and no server report to take the model's from. */
const UNNAMED = 'the model';
const shardOfRun = (results) => results.shard ?? WHOLE_SUITE;
const unique = (items) => [...new Set(items)];
/** Every `.json` file under `folder`, in a stable order: download-artifact puts each artifact in a folder of its own. */
async function jsonFilesUnder(folder) {
    const entries = await (0,promises_.readdir)(folder, { recursive: true, withFileTypes: true });
    return entries
        .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
        .map((entry) => external_node_path_default().join(entry.parentPath, entry.name))
        .sort();
}
/** Whether parsed JSON has the shape of a results file, so a stray JSON is named rather than misread. */
function isResults(value) {
    const v = value;
    return typeof v === 'object' && v !== null && v.schemaVersion === 1 && Array.isArray(v.cases) && typeof v.suite?.path === 'string' && Array.isArray(v.errors);
}
/**
 * Reads the results files under the folder; what cannot be used (not JSON, not results, another
 * suite) becomes a problem that fails the merge, named by its file.
 */
async function readResultsFiles(folder, files, suite) {
    const read = [];
    const problems = [];
    for (const absolute of files) {
        const file = external_node_path_default().relative(folder, absolute).split((external_node_path_default()).sep).join('/');
        let parsed;
        try {
            parsed = JSON.parse(await (0,promises_.readFile)(absolute, 'utf8'));
        }
        catch (error) {
            problems.push(`${file} could not be read as JSON: ${error.message}`);
            continue;
        }
        if (!isResults(parsed))
            problems.push(`${file} is not a modelgate results file`);
        else if (parsed.suite.path !== suite.path)
            problems.push(`${file} is a run of the suite ${parsed.suite.path}, not of ${suite.path}`);
        else
            read.push({ file, results: parsed });
    }
    return { read, problems };
}
/**
 * The comparisons of the shards with their baselines, as one: each shard keeps a baseline of its
 * own cases, so their case lists join. Where only some shards found one, theirs is what there is.
 */
function mergeComparisons(runs) {
    const compared = runs.map((run) => run.comparison).filter((c) => c !== undefined);
    const found = compared.filter((c) => c.baseline === 'found');
    if (found.length === 0)
        return compared[0];
    return {
        baseline: 'found',
        info: found[0].info,
        changes: unique(found.flatMap((c) => c.changes)),
        cases: found.flatMap((c) => c.cases),
        removedCases: unique(found.flatMap((c) => c.removedCases)),
        regressions: found.reduce((n, c) => n + c.regressions, 0),
        inconclusive: found.reduce((n, c) => n + c.inconclusive, 0)
    };
}
/**
 * The runs that share a label, as one run of the whole suite: one results file per shard, the
 * cases in the suite's order. Missing, doubled and mismatched shards become errors.
 */
function mergeShards(suite, label, files, options, problems) {
    const errors = [...problems];
    const name = label || files.find((f) => f.results.server)?.results.server?.model || UNNAMED;
    // The count most files agree on; a file of another count is named, not merged.
    const counts = files.map((f) => shardOfRun(f.results).count);
    const count = [...new Set(counts)].sort((a, b) => counts.filter((c) => c === b).length - counts.filter((c) => c === a).length || a - b)[0];
    const byShard = new Map();
    for (const f of files) {
        const shard = shardOfRun(f.results);
        if (shard.count !== count) {
            errors.push(`${f.file} is shard ${shardName(shard)}, but the other results are of ${count} shards`);
            continue;
        }
        const other = byShard.get(shard.index);
        // A re-run job that uploaded beside its first attempt: the later run is the one that counts.
        const newer = other && other.results.finishedAt > f.results.finishedAt ? other : f;
        if (other)
            errors.push(`${other.file} and ${f.file} are both shard ${shardName(shard)}; the newer, ${newer.file}, is merged`);
        byShard.set(shard.index, newer);
    }
    const missing = [];
    const kept = [];
    for (let index = 1; index <= count; index++) {
        const shard = { index, count };
        const f = byShard.get(index);
        const expected = casesOfShard(suite.cases, shard).map((c) => c.id);
        const which = count > 1 ? `shard ${shardName(shard)}` : 'the run';
        if (!f) {
            missing.push({ label: name, shard, cases: expected });
            errors.push(`${which} left no results file (${expected.length ? `its cases: ${expected.join(', ')}` : 'it holds no case'})`);
            continue;
        }
        kept.push(f);
        const prefix = count > 1 ? `${which}: ` : '';
        errors.push(...f.results.errors.map((error) => `${prefix}${error}`));
        const accounted = new Set([...f.results.cases.map((c) => c.id), ...(f.results.notRun ?? [])]);
        const skipped = expected.filter((id) => !accounted.has(id));
        if (skipped.length)
            errors.push(`${which} (${f.file}) did not replay ${skipped.join(', ')}: was it run on another version of the suite?`);
    }
    const ran = new Map();
    for (const f of kept)
        for (const c of f.results.cases)
            if (!ran.has(c.id))
                ran.set(c.id, c);
    const cases = suite.cases.flatMap((c) => (ran.has(c.id) ? [ran.get(c.id)] : []));
    const notRun = suite.cases.filter((c) => !ran.has(c.id)).map((c) => c.id);
    const runs = kept.map((f) => f.results);
    const samples = cases.flatMap((c) => c.samples.filter((s) => !s.error));
    const machines = unique(runs.map((run) => run.fingerprint?.machineHash));
    const comparison = mergeComparisons(runs);
    const results = {
        schemaVersion: 1,
        passed: false,
        reason: '',
        suite: { path: suite.path, ...(suite.name ? { name: suite.name } : {}) },
        startedAt: runs.map((run) => run.startedAt).sort()[0] ?? new Date().toISOString(),
        finishedAt: new Date().toISOString(),
        server: runs.find((run) => run.server)?.server ?? null,
        cases,
        tokensPerSecond: median(samples.map((s) => s.tokensPerSecond)),
        speedSource: speedSourceOf(samples),
        errors,
        ...(notRun.length ? { notRun } : {}),
        // One machine's facts only when every shard ran on it.
        ...(machines.length === 1 && runs[0]?.fingerprint ? { fingerprint: runs[0].fingerprint } : {}),
        ...(comparison ? { comparison } : {}),
        // A comparison names each run; a plain shard merge keeps the label the runs had, if any.
        ...(label ? { label } : {}),
        environment: environmentOf()
    };
    const verdict = verdictOf(cases, errors, comparison, options, { notRun: notRun.length });
    results.passed = verdict.passed;
    results.reason = verdict.reason;
    if (verdict.failureKind)
        results.failureKind = verdict.failureKind;
    const sources = files.map((f) => ({
        file: f.file,
        label: name,
        shard: shardOfRun(f.results),
        cases: f.results.cases.length,
        passed: f.results.passed,
        ...(f.results.errors[0] ? { stopped: f.results.errors[0] } : {}),
        ...(f.results.environment?.runner ? { runner: f.results.environment.runner } : {})
    }));
    return { results, sources, missing };
}
/** Stopped before anything was merged: the suite, the folder or every file in it could not be read. */
function stoppedMerge(suitePath, messages, merge) {
    return { ...resultsOfBadInput(suitePath, messages[0]), errors: messages, ...(merge ? { merge } : {}) };
}
/**
 * Merges the results files under `options.mergeFrom`. Runs with one label are the shards of one
 * run and merge into its results; several labels (a matrix over models) make a comparison: one
 * merged run per label in `variants`, and the best of them.
 */
async function mergeRun(options, host) {
    const absoluteSuite = external_node_path_default().resolve(host.workspace, options.suitePath);
    let suite;
    try {
        suite = await loadSuite(absoluteSuite, displayPathOf(absoluteSuite, host.workspace), { optionLabel: host.optionLabel(Input.Suite) });
    }
    catch (error) {
        return stoppedMerge(options.suitePath, [error.message]);
    }
    const given = options.mergeFrom ?? '';
    const folder = external_node_path_default().resolve(host.workspace, given);
    let files;
    try {
        // This merge's own results file may sit in the folder from an earlier attempt: it is not a run.
        const own = external_node_path_default().resolve(host.workspace, options.resultsFile);
        files = (await jsonFilesUnder(folder)).filter((file) => file !== own);
    }
    catch (error) {
        const code = error.code;
        const why = code === 'ENOENT' ? 'there is no such folder' : code === 'ENOTDIR' ? 'it is a file, not a folder' : error.message;
        return stoppedMerge(suite.path, [`cannot read ${host.optionLabel(Input.MergeFrom)} '${given}': ${why}; did download-artifact run before this step, with that path?`]);
    }
    const info = { from: given, sources: [], missing: [] };
    if (files.length === 0)
        return stoppedMerge(suite.path, [`no results files in '${given}': did every run upload its results-file, and download-artifact fetch them all?`], info);
    host.info(`Merging ${files.length} results ${files.length === 1 ? 'file' : 'files'} from ${given}`);
    const { read, problems } = await readResultsFiles(folder, files, suite);
    for (const problem of problems)
        host.warn(problem);
    const byLabel = new Map();
    for (const f of read)
        byLabel.set(f.results.label ?? '', [...(byLabel.get(f.results.label ?? '') ?? []), f]);
    if (byLabel.size === 0)
        return stoppedMerge(suite.path, problems, info);
    // Files that could not be used fail a shard merge with its own errors, and a comparison as a whole.
    const comparing = byLabel.size > 1;
    const merged = [...byLabel].map(([label, group]) => mergeShards(suite, comparing ? label || group.find((f) => f.results.server)?.results.server?.model || UNNAMED : label, group, options, comparing ? [] : problems));
    info.sources = merged.flatMap((m) => m.sources);
    info.missing = merged.flatMap((m) => m.missing);
    for (const source of info.sources) {
        const part = source.shard.count > 1 ? ` shard ${shardName(source.shard)}` : '';
        host.info(`${source.file}: ${source.label}${part}, ${source.cases} cases, ${source.passed ? 'passed' : 'failed'}`);
    }
    if (!comparing)
        return { ...merged[0].results, merge: info };
    const variants = merged.map((m) => m.results);
    const compared = variants.map((v) => ({ label: v.label, passed: v.passed, reason: v.reason, tokensPerSecond: v.tokensPerSecond, ...(v.failureKind ? { failureKind: v.failureKind } : {}) }));
    const verdict = comparisonVerdict(compared);
    const best = bestOf(compared);
    const bestRun = variants.find((v) => v.label === best?.label);
    return {
        schemaVersion: 1,
        passed: verdict.passed && problems.length === 0,
        reason: problems.length ? `Stopped early: ${problems[0]}. ${verdict.reason}` : verdict.reason,
        suite: { path: suite.path, ...(suite.name ? { name: suite.name } : {}) },
        startedAt: variants.map((v) => v.startedAt).sort()[0],
        finishedAt: new Date().toISOString(),
        server: null,
        // Each compared run holds its own cases; the comparison's figures are the best run's.
        cases: [],
        tokensPerSecond: bestRun?.tokensPerSecond ?? null,
        speedSource: bestRun?.speedSource ?? null,
        errors: [...problems, ...variants.flatMap((v) => v.errors.map((error) => `${v.label}: ${error}`))],
        ...(problems.length ? { failureKind: 'infrastructure' } : verdict.failureKind ? { failureKind: verdict.failureKind } : {}),
        variants,
        ...(best ? { best: best.label } : {}),
        merge: info,
        environment: environmentOf()
    };
}

;// CONCATENATED MODULE: ./src/main.ts
// The action: inputs → run (or merge) → publish → verdict. Any error ends in one readable line,
// and the results file is written in every outcome, a bad input and a cancelled run included. A
// shard leaves the verdict to the merge, so one matrix job failing does not cancel the others.















/** What a cancelled run may still spend on the comment: the rest of its grace period, less a margin for the summary. */
const CANCELLED_PUBLISH_MS = 4_000;
async function main_run() {
    const host = createActionHost(process.env, actionBaselines(process.env, github/* context */._), actionModels(process.env));
    try {
        let inputs;
        try {
            inputs = readInputs(host);
        }
        catch (error) {
            const message = error.message;
            const bad = resultsOfBadInput(core/* getInput */.V4(Input.Suite), message, partOfMerge());
            const saved = await saveResultsFile(core/* getInput */.V4(Input.ResultsFile) || 'modelgate-results.json', bad, host);
            if (saved)
                core/* setOutput */.uH(Output.ResultsFile, saved);
            core/* setOutput */.uH(Output.Passed, 'false');
            core/* setOutput */.uH(Output.FailureKind, 'infrastructure');
            core/* setFailed */.C1(logLine(message, host));
            return;
        }
        const results = inputs.mode === 'merge' ? await mergeRun(inputs, host) : await runPipeline(inputs, host);
        // Cancelled before or while publishing: the comment gets what is left of the grace period.
        const publishing = new AbortController();
        const cutShort = () => setTimeout(() => publishing.abort(), CANCELLED_PUBLISH_MS).unref();
        if (host.cancelled.aborted)
            cutShort();
        else
            host.cancelled.addEventListener('abort', cutShort, { once: true });
        await publishResults(results, { ...inputs, signal: publishing.signal }, host);
        if (results.shard)
            host.info(`Shard ${shardName(results.shard)} ${results.passed ? 'passed' : 'failed'}: ${results.reason} The merge gives the verdict.`);
        else if (!results.passed) {
            // Said before the error line, so a reader of the log tells a bad model from a broken runner.
            if (results.failureKind)
                host.info(`Failure kind: ${results.failureKind} (${describeFailureKind(results.failureKind)})`);
            core/* setFailed */.C1(logLine(results.reason, host));
        }
        else
            host.info(results.reason);
        if (results.cancelled)
            process.exitCode = exitCodeOf(results.cancelled.signal);
    }
    catch (error) {
        core/* setFailed */.C1(logLine(error.message, host));
    }
}


/***/ })

};

//# sourceMappingURL=203.index.js.map