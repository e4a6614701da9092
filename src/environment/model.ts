// What a GGUF file says about the model, as a reader of the report names it: architecture, size,
// quantisation, trained context, experts. Read from the header; the weights are never loaded.
import type { GgufHeader } from '../gguf/reader.js'

export interface ModelFacts {
  architecture?: string
  /** `general.name`. */
  name?: string
  parameterCount?: number
  /** The file type (llama.cpp's llama_ftype), e.g. Q4_K_M. */
  quantisation?: string
  /** `<arch>.context_length`: the context the model was trained for. */
  trainedContext?: number
  blockCount?: number
  experts?: { count: number; used?: number }
}

// llama.cpp's enum llama_ftype (include/llama.h); gaps are types it removed.
const FILE_TYPES: Readonly<Record<number, string>> = {
  0: 'F32', 1: 'F16', 2: 'Q4_0', 3: 'Q4_1', 7: 'Q8_0', 8: 'Q5_0', 9: 'Q5_1', 10: 'Q2_K', 11: 'Q3_K_S', 12: 'Q3_K_M',
  13: 'Q3_K_L', 14: 'Q4_K_S', 15: 'Q4_K_M', 16: 'Q5_K_S', 17: 'Q5_K_M', 18: 'Q6_K', 19: 'IQ2_XXS', 20: 'IQ2_XS',
  21: 'Q2_K_S', 22: 'IQ3_XS', 23: 'IQ3_XXS', 24: 'IQ1_S', 25: 'IQ4_NL', 26: 'IQ3_S', 27: 'IQ3_M', 28: 'IQ2_S',
  29: 'IQ2_M', 30: 'IQ4_XS', 31: 'IQ1_M', 32: 'BF16', 36: 'TQ1_0', 37: 'TQ2_0', 38: 'MXFP4_MOE'
}

function integer(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value
  if (typeof value === 'bigint') return Number(value)
  return undefined
}

export function modelFactsOf(header: GgufHeader): ModelFacts {
  const arch = header.architecture
  const key = (name: string) => (arch ? header.metadata[`${arch}.${name}`] : undefined)
  const fileType = integer(header.metadata['general.file_type'])
  const name = header.metadata['general.name']
  const expertCount = integer(key('expert_count'))
  const expertsUsed = integer(key('expert_used_count'))
  const facts: ModelFacts = {
    ...(arch ? { architecture: arch } : {}),
    ...(typeof name === 'string' ? { name } : {}),
    ...(header.parameterCount !== undefined ? { parameterCount: header.parameterCount } : {}),
    ...(fileType !== undefined ? { quantisation: FILE_TYPES[fileType] ?? `file type ${fileType}` } : {}),
    ...(integer(key('context_length')) !== undefined ? { trainedContext: integer(key('context_length')) } : {}),
    ...(integer(key('block_count')) !== undefined ? { blockCount: integer(key('block_count')) } : {}),
    ...(expertCount ? { experts: { count: expertCount, ...(expertsUsed !== undefined ? { used: expertsUsed } : {}) } } : {})
  }
  return facts
}

/** 15.7B, 236M, 62.4K: how model cards write a parameter count. */
export function formatParameterCount(count: number): string {
  for (const [unit, size] of [['T', 1e12], ['B', 1e9], ['M', 1e6], ['K', 1e3]] as const) {
    if (count >= size) return `${(count / size).toFixed(count >= size * 100 ? 0 : 1)}${unit}`
  }
  return String(count)
}
