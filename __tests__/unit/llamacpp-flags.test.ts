import { describe, expect, it } from '@jest/globals'
import { loadModeOf, optionNames, settingsToFlags, splitArgs, twoWordArgs } from '../../src/server/llamacpp/flags.js'

const deepseek = { architecture: 'deepseek2', blockCount: 27 }

describe('settingsToFlags', () => {
  it("maps the seed's LM Studio settings to explicit llama-server flags", () => {
    expect(
      settingsToFlags(
        {
          'context-length': 8192,
          'gpu-offload': 27,
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
        },
        deepseek
      ).join(' ')
    ).toBe('-c 8192 -ngl all -t 9 -b 512 -kvo --load-mode mmap+mlock -s -1 --override-kv deepseek2.expert_used_count=int:6 -fa off -ctk f16 -ctv f16 -fit off')
  })

  it('passes nothing it was not given, except turning fit off', () => {
    expect(settingsToFlags({}, deepseek)).toEqual(['-fit', 'off'])
  })

  it.each([
    [{ 'gpu-offload': 'off' as const }, ['-ngl', '0']],
    [{ 'gpu-offload': 12 }, ['-ngl', '12']],
    [{ 'rope-frequency-base': 10000, 'rope-frequency-scale': 0.5 }, ['--rope-freq-base', '10000', '--rope-freq-scale', '0.5']],
    [{ 'offload-kv-cache-to-gpu': false }, ['-nkvo']],
    [{ seed: 42 }, ['-s', '42']],
    [{ 'force-expert-weights-on-cpu': true }, ['--cpu-moe']],
    [{ 'flash-attention': 'auto' as const, 'k-cache-quantization': 'q8_0', 'v-cache-quantization': 'q8_0' }, ['-fa', 'auto', '-ctk', 'q8_0', '-ctv', 'q8_0']],
    [{ 'flash-attention': true, 'v-cache-quantization': 'q4_0' }, ['-fa', 'on', '-ctv', 'q4_0']]
  ])('%o', (settings, flags) => {
    expect(settingsToFlags(settings, deepseek)).toEqual([...flags, '-fit', 'off'])
  })

  it('refuses a quantised V cache without flash attention, and experts without an architecture', () => {
    expect(() => settingsToFlags({ 'flash-attention': false, 'v-cache-quantization': 'q8_0' }, deepseek)).toThrow(
      'server.settings.v-cache-quantization q8_0 needs flash-attention (llama.cpp cannot quantise the V cache without it)'
    )
    expect(() => settingsToFlags({ experts: 6 }, {})).toThrow('server.settings.experts needs the model architecture, and the GGUF has no general.architecture')
  })

  it.each([
    [true, true, 'mmap+mlock'],
    [false, true, 'mmap'],
    [true, false, 'mlock'],
    [false, false, 'none'],
    [undefined, false, 'mlock'],
    [undefined, undefined, undefined]
  ])('keep in memory %s, mmap %s: --load-mode %s', (keep, mmap, mode) => {
    expect(loadModeOf({ 'keep-model-in-memory': keep, 'try-mmap': mmap })).toBe(mode)
  })
})

describe('splitArgs', () => {
  it('splits on white space and new lines, honouring quotes', () => {
    expect(splitArgs('--port 8081\n--alias "my model"  -lv \'1\'')).toEqual(['--port', '8081', '--alias', 'my model', '-lv', '1'])
    expect(splitArgs('')).toEqual([])
  })

  it('reads --flag=value as the two words llama-server knows, quotes inside a word too', () => {
    expect(splitArgs('--alias="my model" --api-key=sk-eq-0123\n-c=4096 --port 8081')).toEqual(['--alias', 'my model', '--api-key', 'sk-eq-0123', '-c', '4096', '--port', '8081'])
    expect(splitArgs(`say "it's" 'a "b"' "open`)).toEqual(['say', "it's", 'a "b"', '"open'])
  })
})

describe('twoWordArgs', () => {
  it('splits a flag at its first =, and leaves values with = alone', () => {
    expect(twoWordArgs(['--override-kv=deepseek2.expert_used_count=int:6', '--override-kv', 'a.b=int:1', '-fa', 'on', 'x=y'])).toEqual([
      '--override-kv', 'deepseek2.expert_used_count=int:6', '--override-kv', 'a.b=int:1', '-fa', 'on', 'x=y'
    ])
  })
})

describe('optionNames', () => {
  it('gives the names to check against --help, without a value after =', () => {
    expect(optionNames(['--api-key=sk-eq-0123', '-c', '8192', '-s', '-1', '--no-webui'])).toEqual(['--api-key', '-c', '-s', '--no-webui'])
  })
})
