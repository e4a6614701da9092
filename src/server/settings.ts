// The suite's `server.settings`: load settings under LM Studio's own names, as its UI shows them,
// so a user copies them from the app; each backend maps them to its own options. The schema is
// the one definition: the suite validates against it and `ServerSettings` is derived from it.
import type { FromSchema } from 'json-schema-to-ts'

export const CACHE_TYPES = ['off', 'f32', 'f16', 'bf16', 'q8_0', 'q4_0', 'q4_1', 'iq4_nl', 'q5_0', 'q5_1'] as const

// Validated against the list but typed as any string, as before the schema was the source of the
// type: settings written as plain objects (the flag tests' tables) widen to string and must still fit.
const cacheType = { enum: CACHE_TYPES as readonly string[] } as const
const autoOrPositive = { anyOf: [{ const: 'auto' }, { type: 'number', exclusiveMinimum: 0 }] } as const

export const settingsSchema = {
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
} as const

export type ServerSettings = FromSchema<typeof settingsSchema>
