// The environment fingerprint: what nvidia-smi says (a stand-in script prints its documented
// output), what makes two machines comparable, and what a reader is told changed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmod, mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fingerprintOf, machineDifferences, serverChanges } from '../../src/environment/fingerprint.js'
import { parseGpuQuery, readMachineFacts, type MachineFacts } from '../../src/environment/machine.js'
import { formatParameterCount, modelFactsOf } from '../../src/environment/model.js'

const machine: MachineFacts = {
  gpus: [{ name: 'NVIDIA GeForce RTX 4090', memoryMiB: 24564, driver: '550.54.14' }],
  cuda: '12.4',
  cpu: 'AMD Ryzen 9 7950X 16-Core Processor',
  cores: 32,
  memoryBytes: 64 * 1024 ** 3,
  os: 'Ubuntu 22.04.4 LTS',
  platform: 'linux',
  arch: 'x64'
}

describe('the machine', () => {
  let dir: string
  let path0: string | undefined
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'modelgate-smi-'))
    // nvidia-smi's own output formats: the CSV query, and the banner that carries the CUDA version.
    await writeFile(
      path.join(dir, 'nvidia-smi'),
      `#!/bin/sh
if [ "$1" = "--query-gpu=name,memory.total,driver_version" ]; then
  echo "NVIDIA GeForce RTX 4090, 24564, 550.54.14"
  echo "NVIDIA RTX A6000, 49140, 550.54.14"
else
  echo "| NVIDIA-SMI 550.54.14              Driver Version: 550.54.14      CUDA Version: 12.4     |"
fi
`
    )
    await chmod(path.join(dir, 'nvidia-smi'), 0o755)
    path0 = process.env.PATH
  })
  afterAll(() => {
    process.env.PATH = path0
  })

  it('reads the GPUs, driver and CUDA version from nvidia-smi', async () => {
    process.env.PATH = `${dir}${path.delimiter}${path0}`
    const facts = await readMachineFacts()
    expect(facts.gpus).toEqual([
      { name: 'NVIDIA GeForce RTX 4090', memoryMiB: 24564, driver: '550.54.14' },
      { name: 'NVIDIA RTX A6000', memoryMiB: 49140, driver: '550.54.14' }
    ])
    expect(facts.cuda).toBe('12.4')
    expect(facts.cores).toBeGreaterThan(0)
    expect(facts.memoryBytes).toBe(os.totalmem())
  })

  it('is a CPU-only machine where nvidia-smi is missing', async () => {
    process.env.PATH = '/nonexistent'
    const facts = await readMachineFacts()
    expect(facts.gpus).toEqual([])
    expect(facts.cuda).toBeUndefined()
    expect(facts.cpu).toBe(os.cpus()[0]!.model.replace(/\s+/g, ' ').trim())
  })

  it('parses a query without memory or driver', () => {
    expect(parseGpuQuery('Tesla T4, [N/A], \n\n')).toEqual([{ name: 'Tesla T4' }])
  })
})

describe('comparability', () => {
  it('gives the same hash for the same machine, whatever its driver or OS release', () => {
    const updated = { ...machine, gpus: [{ ...machine.gpus[0]!, driver: '560.0' }], cuda: '12.6', os: 'Ubuntu 24.04 LTS' }
    expect(fingerprintOf(updated).machineHash).toBe(fingerprintOf(machine).machineHash)
    expect(machineDifferences(machine, updated)).toEqual([])
  })

  it('says what differs, in the words of the report', () => {
    const other = { ...machine, gpus: [{ name: 'NVIDIA A100-SXM4-80GB', memoryMiB: 81920 }], cores: 16 }
    expect(fingerprintOf(other).machineHash).not.toBe(fingerprintOf(machine).machineHash)
    expect(machineDifferences(machine, other)).toEqual([
      'GPU changed from NVIDIA GeForce RTX 4090 24 GiB to NVIDIA A100-SXM4-80GB 80 GiB',
      'CPU changed from AMD Ryzen 9 7950X 16-Core Processor (32 cores) to AMD Ryzen 9 7950X 16-Core Processor (16 cores)'
    ])
    expect(machineDifferences(machine, { ...machine, gpus: [] })).toEqual(['GPU changed from NVIDIA GeForce RTX 4090 24 GiB to none'])
  })

  it('tells what the change under review changed in the server and model', () => {
    const report = (sha: string, quantisation: string, settings: Record<string, unknown>) => ({
      backend: 'llama.cpp',
      engine: 'llama.cpp' as const,
      baseUrl: 'http://127.0.0.1:8080/v1',
      model: 'm.gguf',
      settings,
      build: 'b1-80fb11a',
      modelFile: { path: '/m.gguf', sizeBytes: 1, sha256: sha, facts: { quantisation, parameterCount: 15_706_484_224 } }
    })
    expect(serverChanges(report('a'.repeat(64), 'Q4_K_M', { 'flash-attention': false }), report('b'.repeat(64), 'Q3_K_S', { 'flash-attention': true, experts: 4 }))).toEqual([
      'model file: aaaaaaaaaaaa → bbbbbbbbbbbb',
      'quantisation: Q4_K_M → Q3_K_S',
      'setting flash-attention: false → true',
      'setting experts: default → 4'
    ])
  })
})

describe('the model from its GGUF header', () => {
  it('names the quantisation, context, experts and size', () => {
    const facts = modelFactsOf({
      version: 3,
      tensorCount: 1,
      architecture: 'deepseek2',
      parameterCount: 15_706_484_224,
      metadata: {
        'general.architecture': 'deepseek2',
        'general.name': 'DeepSeek-Coder-V2-Lite-Instruct',
        'general.file_type': 15,
        'deepseek2.context_length': 163840,
        'deepseek2.block_count': 27,
        'deepseek2.expert_count': 64,
        'deepseek2.expert_used_count': 6
      }
    })
    expect(facts).toEqual({
      architecture: 'deepseek2',
      name: 'DeepSeek-Coder-V2-Lite-Instruct',
      parameterCount: 15_706_484_224,
      quantisation: 'Q4_K_M',
      trainedContext: 163840,
      blockCount: 27,
      experts: { count: 64, used: 6 }
    })
    expect(formatParameterCount(15_706_484_224)).toBe('15.7B')
    expect(formatParameterCount(236_000_000)).toBe('236M')
    expect(formatParameterCount(62_400)).toBe('62.4K')
  })
})
