// The suite's settings as LM Studio's load config: the seed's hand-run settings give exactly the
// config below, and what LM Studio cannot take is listed with the reason.
import { describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { parse } from 'yaml'
import { loadPlanOf } from '../../src/server/lmstudio/config.js'
import type { ServerSettings } from '../../src/server/settings.js'

describe('loadPlanOf', () => {
  it("maps the seed's settings (the example suite's) to the SDK's load config", async () => {
    const suite = parse(await readFile(new URL('../../examples/user-status/suite.yml', import.meta.url), 'utf8')) as { server: { settings: ServerSettings } }
    const plan = loadPlanOf(suite.server.settings)
    expect(plan.config).toEqual({
      contextLength: 8192,
      gpu: { ratio: 'max' },
      evalBatchSize: 512,
      keepModelInMemory: true,
      tryMmap: true,
      numExperts: 6,
      flashAttention: false,
      llamaKCacheQuantizationType: false,
      llamaVCacheQuantizationType: false
    })
    expect(plan.notApplied).toEqual([
      { setting: 'cpu-threads', reason: expect.stringContaining('a setting of each prediction (cpuThreads)') }
    ])
    // Every setting is either applied (and says how) or listed as not applied.
    const accounted = [...Object.keys(plan.applied), ...plan.notApplied.map((n) => n.setting)].sort()
    expect(accounted).toEqual(Object.keys(suite.server.settings).sort())
    expect(plan.applied['offload-kv-cache-to-gpu']).toBe("offloadKVCacheToGpu: true (LM Studio's default)")
    expect(plan.applied['rope-frequency-base']).toBe('ropeFrequencyBase: left to LM Studio (auto)')
    expect(plan.applied['context-length']).toBe('contextLength: 8192')
  })

  it('says what it cannot apply, and why', () => {
    const plan = loadPlanOf({ 'offload-kv-cache-to-gpu': false, 'gpu-offload': 20, 'k-cache-quantization': 'bf16', 'v-cache-quantization': 'q8_0', seed: 7, 'rope-frequency-base': 10000 })
    expect(plan.notApplied.map((n) => n.setting)).toEqual(['gpu-offload', 'offload-kv-cache-to-gpu', 'k-cache-quantization'])
    expect(plan.notApplied[0]!.reason).toContain('not 20 layers')
    expect(plan.notApplied[1]!.reason).toContain('never sends it')
    expect(plan.config).toEqual({ ropeFrequencyBase: 10000, seed: 7, llamaVCacheQuantizationType: 'q8_0' })
    expect(loadPlanOf({ 'gpu-offload': 0 }).config).toEqual({ gpu: { ratio: 'off' } })
  })
})
