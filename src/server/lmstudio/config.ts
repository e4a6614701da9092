// The suite's settings (LM Studio's own names, as its UI shows them) as the load config of
// @lmstudio/sdk's `client.llm.load`. A setting LM Studio cannot take at load time, or that
// SDK 1.5.0 cannot send, is listed as not applied with the reason: never silently dropped.
import type { LLMLoadModelConfig } from '@lmstudio/sdk'
import type { ServerSettings } from '../settings.js'

export interface LoadPlan {
  config: LLMLoadModelConfig
  /** Each setting as it was applied, for the report: the config field and value. */
  applied: Record<string, string>
  notApplied: { setting: string; reason: string }[]
}

// LM Studio's default for "Offload KV cache to GPU memory": on.
const LMSTUDIO_OFFLOADS_KV_CACHE = true

export function loadPlanOf(settings: ServerSettings): LoadPlan {
  const config: LLMLoadModelConfig = {}
  const applied: Record<string, string> = {}
  const notApplied: LoadPlan['notApplied'] = []
  const apply = (setting: string, field: string, value: unknown) => void (applied[setting] = `${field}: ${JSON.stringify(value)}`)
  const gpu: NonNullable<LLMLoadModelConfig['gpu']> = {}
  const s = settings

  if (s['context-length'] !== undefined) apply('context-length', 'contextLength', (config.contextLength = s['context-length']))
  const offload = s['gpu-offload']
  if (offload === 'max' || offload === 'off') apply('gpu-offload', 'gpu.ratio', (gpu.ratio = offload))
  else if (offload === 0) apply('gpu-offload', 'gpu.ratio', (gpu.ratio = 'off'))
  else if (offload !== undefined) {
    notApplied.push({ setting: 'gpu-offload', reason: `LM Studio's load config takes a GPU offload ratio (max, off or 0–1), not ${offload} layers; give max or off` })
  }
  if (s['cpu-threads'] !== undefined) {
    notApplied.push({ setting: 'cpu-threads', reason: "in LM Studio CPU threads are a setting of each prediction (cpuThreads), which its OpenAI-compatible endpoints do not take; LM Studio's own choice applies" })
  }
  if (s['eval-batch-size'] !== undefined) apply('eval-batch-size', 'evalBatchSize', (config.evalBatchSize = s['eval-batch-size']))
  // `auto` is what LM Studio does when the field is left out.
  for (const [setting, field] of [['rope-frequency-base', 'ropeFrequencyBase'], ['rope-frequency-scale', 'ropeFrequencyScale']] as const) {
    const value = s[setting]
    if (value === 'auto') applied[setting] = `${field}: left to LM Studio (auto)`
    else if (value !== undefined) apply(setting, field, (config[field] = value))
  }
  const kv = s['offload-kv-cache-to-gpu']
  if (kv === LMSTUDIO_OFFLOADS_KV_CACHE) applied['offload-kv-cache-to-gpu'] = "offloadKVCacheToGpu: true (LM Studio's default)"
  else if (kv !== undefined) {
    notApplied.push({ setting: 'offload-kv-cache-to-gpu', reason: '@lmstudio/sdk 1.5.0 accepts offloadKVCacheToGpu but never sends it, so LM Studio keeps its default (on)' })
  }
  if (s['keep-model-in-memory'] !== undefined) apply('keep-model-in-memory', 'keepModelInMemory', (config.keepModelInMemory = s['keep-model-in-memory']))
  if (s['try-mmap'] !== undefined) apply('try-mmap', 'tryMmap', (config.tryMmap = s['try-mmap']))
  if (s.seed === 'off') applied.seed = 'seed: left to LM Studio (random)'
  else if (s.seed !== undefined) apply('seed', 'seed', (config.seed = s.seed))
  if (s.experts !== undefined) apply('experts', 'numExperts', (config.numExperts = s.experts))
  // SDK 1.5.0's validator strips gpu.numCpuExpertLayersRatio before sending (seen against the
  // stand-in built from its source): only LM Studio's default, off, can be claimed as applied.
  const forceExperts = s['force-expert-weights-on-cpu']
  if (forceExperts === false) applied['force-expert-weights-on-cpu'] = "numCpuExpertLayersRatio: off (LM Studio's default)"
  else if (forceExperts === true) {
    notApplied.push({ setting: 'force-expert-weights-on-cpu', reason: "@lmstudio/sdk 1.5.0 drops gpu.numCpuExpertLayersRatio before sending it, so LM Studio keeps its default (off)" })
  }
  const flash = s['flash-attention']
  if (flash === 'auto') applied['flash-attention'] = 'flashAttention: left to LM Studio (auto)'
  else if (flash !== undefined) apply('flash-attention', 'flashAttention', (config.flashAttention = flash))
  for (const [setting, field] of [['k-cache-quantization', 'llamaKCacheQuantizationType'], ['v-cache-quantization', 'llamaVCacheQuantizationType']] as const) {
    const value = s[setting]
    if (value === undefined) continue
    if (value === 'off') apply(setting, field, (config[field] = false))
    else if (value === 'bf16') notApplied.push({ setting, reason: 'LM Studio has no bf16 cache type (f32, f16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1)' })
    else apply(setting, field, (config[field] = value as Exclude<LLMLoadModelConfig['llamaKCacheQuantizationType'], undefined>))
  }
  if (Object.keys(gpu).length > 0) config.gpu = gpu
  return { config, applied, notApplied }
}
