// Maps the suite's settings (LM Studio's names) to llama-server flags. Every given setting
// becomes an explicit flag and `--fit off` is always passed: llama-server's fit step would
// otherwise change unset values to fit VRAM, and the run would not be the one the suite names.
import type { ModelFacts as GgufFacts } from '../../environment/model.js'
import type { ServerSettings } from '../settings.js'

/** What the flags depend on: the architecture (for expert overrides) and `<arch>.block_count`, the repeating layers LM Studio counts in "GPU offload N/N". */
export type ModelFacts = Pick<GgufFacts, 'architecture' | 'blockCount'>

export class SettingError extends Error {}

export function loadModeOf(settings: ServerSettings): string | undefined {
  const keep = settings['keep-model-in-memory']
  const mmap = settings['try-mmap']
  if (keep === undefined && mmap === undefined) return undefined
  // LM Studio turns both on unless told otherwise.
  const mlock = keep ?? true
  const mapped = mmap ?? true
  if (mapped && mlock) return 'mmap+mlock'
  if (mapped) return 'mmap'
  if (mlock) return 'mlock'
  return 'none'
}

export function settingsToFlags(settings: ServerSettings, model: ModelFacts): string[] {
  const flags: string[] = []
  const add = (...args: (string | number)[]) => flags.push(...args.map(String))

  if (settings['context-length'] !== undefined) add('-c', settings['context-length'])
  const offload = settings['gpu-offload']
  if (offload === 'max') add('-ngl', 'all')
  else if (offload === 'off') add('-ngl', 0)
  // LM Studio counts repeating layers; llama.cpp's count includes the output layer, so all of
  // LM Studio's layers is llama.cpp's "all".
  else if (typeof offload === 'number') add('-ngl', model.blockCount !== undefined && offload >= model.blockCount ? 'all' : offload)
  if (settings['cpu-threads'] !== undefined) add('-t', settings['cpu-threads'])
  if (settings['eval-batch-size'] !== undefined) add('-b', settings['eval-batch-size'])
  const ropeBase = settings['rope-frequency-base']
  if (typeof ropeBase === 'number') add('--rope-freq-base', ropeBase)
  const ropeScale = settings['rope-frequency-scale']
  if (typeof ropeScale === 'number') add('--rope-freq-scale', ropeScale)
  if (settings['offload-kv-cache-to-gpu'] !== undefined) add(settings['offload-kv-cache-to-gpu'] ? '-kvo' : '-nkvo')
  const loadMode = loadModeOf(settings)
  if (loadMode) add('--load-mode', loadMode)
  const seed = settings.seed
  if (seed !== undefined) add('-s', seed === 'off' ? -1 : seed)
  if (settings.experts !== undefined) {
    if (!model.architecture) throw new SettingError('server.settings.experts needs the model architecture, and the GGUF has no general.architecture')
    add('--override-kv', `${model.architecture}.expert_used_count=int:${settings.experts}`)
  }
  if (settings['force-expert-weights-on-cpu']) add('--cpu-moe')
  const flash = settings['flash-attention']
  if (flash !== undefined) add('-fa', flash === 'auto' ? 'auto' : flash ? 'on' : 'off')
  const k = settings['k-cache-quantization']
  const v = settings['v-cache-quantization']
  if (k !== undefined) add('-ctk', k === 'off' ? 'f16' : k)
  if (v !== undefined) {
    if (v !== 'off' && v !== 'f16' && v !== 'f32' && v !== 'bf16' && flash === false) {
      throw new SettingError(`server.settings.v-cache-quantization ${v} needs flash-attention (llama.cpp cannot quantise the V cache without it)`)
    }
    add('-ctv', v === 'off' ? 'f16' : v)
  }
  add('-fit', 'off')
  return flags
}

const FLAG = /^--?[a-zA-Z]/

/** The long or short option names in `flags` (values, also after `=`, left out), to check against --help. */
export function optionNames(flags: readonly string[]): string[] {
  return flags.filter((f) => FLAG.test(f)).map((f) => f.replace(/=.*$/s, ''))
}

/**
 * `--flag=value` as the two words `--flag value`; other arguments as they are. llama-server
 * knows no `=` form (it rejects `--api-key=KEY` as an invalid argument), while users write it
 * out of habit: so it means what the two-word form does, and a key in it is found and masked.
 */
export function twoWordArgs(args: readonly string[]): string[] {
  return args.flatMap((arg) => {
    const equals = FLAG.test(arg) ? arg.indexOf('=') : -1
    return equals >= 0 ? [arg.slice(0, equals), arg.slice(equals + 1)] : [arg]
  })
}

/**
 * Splits extra arguments the way a user writes them in YAML: on whitespace and new lines,
 * honouring quotes as a shell does, also inside a word (`--alias="my model"`); `--flag=value`
 * becomes two words (see twoWordArgs). A quote without its pair is kept as a character.
 */
export function splitArgs(value: string): string[] {
  const words = value.match(/(?:[^\s"']+|"[^"]*"|'[^']*'|["'])+/g) ?? []
  return twoWordArgs(words.map((word) => word.replace(/"([^"]*)"|'([^']*)'/g, '$1$2')))
}
