import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MAX_STORED_ARRAY_LENGTH, readGgufHeader, type GgufArray, type GgufValue } from '../../src/gguf/reader.js'
import {
  CHATML_TEMPLATE,
  splitScriptIntoPieces,
  writeScriptedModel
} from '../../scripts/gguf-writer.js'

const JAVA_ANSWER = [
  'Here is the fix:',
  '',
  '```java',
  'class Greeter {',
  '    String greet(String name) {',
  '        if (name == null) {',
  '            return "Hello, world!";',
  '        }',
  '        return "Hello, " + name + "!";',
  '    }',
  '',
  '    String wave() {',
  "        return 'o' + \"/\";",
  '    }',
  '}',
  '```',
  ''
].join('\n')

// Special, byte and script tokens in the order the writer lays out the vocabulary.
const TOKENS_BEFORE_SCRIPT = 3 + 256
const TENSORS_PER_BLOCK = 9
const TENSORS_OUTSIDE_BLOCKS = 3

let directory: string

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'modelgate-gguf-'))
})

afterAll(async () => {
  await rm(directory, { recursive: true, force: true })
})

function arrayValue(value: GgufValue | undefined): GgufArray {
  if (typeof value !== 'object') throw new Error(`expected a GGUF array, got ${String(value)}`)
  return value
}

describe('splitScriptIntoPieces', () => {
  it('splits into distinct pieces that join back to the script', () => {
    expect(JAVA_ANSWER.split('\n').filter((line) => line === '    }')).toHaveLength(2)

    const pieces = splitScriptIntoPieces(JAVA_ANSWER)

    expect(pieces.join('')).toBe(JAVA_ANSWER)
    expect(new Set(pieces).size).toBe(pieces.length)
  })

  it('merges a repeat at the end of the script into the piece before', () => {
    const pieces = splitScriptIntoPieces('ok ok ok')

    expect(pieces.join('')).toBe('ok ok ok')
    expect(new Set(pieces).size).toBe(pieces.length)
  })

  it('keeps pieces apart from the special and byte tokens', () => {
    expect(splitScriptIntoPieces('<s> <0x0A>')).toEqual(['<s> <0x0A>'])
    expect(() => splitScriptIntoPieces('</s>')).toThrow('the script of a scripted model cannot be exactly the token "</s>"')
  })

  it('rejects the character the tokenizer reads as a space', () => {
    expect(() => splitScriptIntoPieces('a\u2581b')).toThrow('cannot contain ▁ (U+2581)')
  })
})

describe('readGgufHeader', () => {
  it('reads back a scripted model', async () => {
    const path = join(directory, 'java.gguf')
    const written = await writeScriptedModel(path, { script: JAVA_ANSWER, name: 'java answer' })

    const header = await readGgufHeader(path)

    expect(header.version).toBe(3)
    expect(header.architecture).toBe('llama')
    expect(header.tensorCount).toBe(TENSORS_PER_BLOCK + TENSORS_OUTSIDE_BLOCKS)
    expect(header.metadata['general.name']).toBe('java answer')
    expect(header.metadata['tokenizer.chat_template']).toBe(CHATML_TEMPLATE)
    expect(header.metadata['llama.embedding_length']).toBe(written.embeddingLength)
    expect(header.metadata['llama.context_length']).toBe(4096)
    const tokens = arrayValue(header.metadata['tokenizer.ggml.tokens'])
    expect(tokens.itemType).toBe('string')
    expect(tokens.length).toBe(TOKENS_BEFORE_SCRIPT + written.pieces.length)
    expect(tokens.items?.slice(0, 3)).toEqual(['<unk>', '<s>', '</s>'])
    expect(tokens.items?.slice(TOKENS_BEFORE_SCRIPT)).toEqual(written.pieces.map((piece) => piece.replaceAll(' ', '▁')))
    expect(header.metadata['llama.vocab_size']).toBe(tokens.length)
    expect(written.sizeBytes).toBe((await readFile(path)).length)
  })

  it('sizes the embedding for the script and honours the dimension options', async () => {
    const path = join(directory, 'wide.gguf')
    const written = await writeScriptedModel(path, {
      script: 'done',
      blocks: 2,
      embeddingLength: 96,
      feedForwardLength: 40,
      contextLength: 1024
    })

    const header = await readGgufHeader(path)

    expect(written).toMatchObject({ pieces: ['done'], embeddingLength: 96, blocks: 2 })
    expect(header.tensorCount).toBe(2 * TENSORS_PER_BLOCK + TENSORS_OUTSIDE_BLOCKS)
    expect(header.metadata['llama.block_count']).toBe(2)
    expect(header.metadata['llama.feed_forward_length']).toBe(40)
    expect(header.metadata['llama.attention.head_count']).toBe(3)
    expect(header.metadata['llama.context_length']).toBe(1024)
    const defaultWidth = await writeScriptedModel(join(directory, 'default.gguf'), { script: 'done' })
    expect(defaultWidth.embeddingLength).toBe(32)
  })

  it('counts the weights of every tensor', async () => {
    const path = join(directory, 'counted.gguf')
    const { pieces } = await writeScriptedModel(path, { script: 'a b c', embeddingLength: 64, feedForwardLength: 48, blocks: 2 })
    const vocabulary = 3 + 256 + pieces.length
    const [e, f] = [64, 48]
    const perBlock = e + 4 * e * e + e + 3 * e * f
    expect((await readGgufHeader(path)).parameterCount).toBe(2 * vocabulary * e + e + 2 * perBlock)
  })

  it('refuses an embedding too narrow for the script', async () => {
    const script = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ')

    await expect(writeScriptedModel(join(directory, 'narrow.gguf'), { script, embeddingLength: 32 })).rejects.toThrow(
      'scripted model: embeddingLength 32 is too small for 40 script pieces'
    )
  })

  it('reads every value type and keeps only the length of long arrays', async () => {
    const path = join(directory, 'all-types.gguf')
    const longLength = MAX_STORED_ARRAY_LENGTH + 1
    await writeFile(
      path,
      ggufFile([
        ['u8', 0, uint8(200)],
        ['i8', 1, int8(-5)],
        ['u16', 2, uint16(65000)],
        ['i16', 3, int16(-300)],
        ['u32', 4, uint32(4_000_000_000)],
        ['i32', 5, int32(-70_000)],
        ['f32', 6, float32(0.5)],
        ['yes', 7, Buffer.from([1])],
        ['text', 8, ggufString('héllo ✓')],
        ['u64', 10, uint64(2n ** 60n)],
        ['i64', 11, int64(-(2n ** 40n))],
        ['f64', 12, float64(0.1)],
        ['numbers', 9, Buffer.concat([int32(5), uint64(3), int32(1), int32(-2), int32(3)])],
        ['nested', 9, Buffer.concat([int32(9), uint64(1), int32(8), uint64(1), ggufString('inner')])],
        ['long_numbers', 9, Buffer.concat([int32(6), uint64(longLength), Buffer.alloc(longLength * 4)])],
        [
          'long_strings',
          9,
          Buffer.concat([int32(8), uint64(longLength), ...Array.from({ length: longLength }, () => ggufString('tok'))])
        ],
        ['general.architecture', 8, ggufString('qwen2')]
      ])
    )

    const header = await readGgufHeader(path)

    expect(header).toMatchObject({ version: 3, tensorCount: 0, architecture: 'qwen2' })
    expect(header.metadata).toEqual({
      u8: 200,
      i8: -5,
      u16: 65000,
      i16: -300,
      u32: 4_000_000_000,
      i32: -70_000,
      f32: 0.5,
      yes: true,
      text: 'héllo ✓',
      u64: 2n ** 60n,
      i64: -(2n ** 40n),
      f64: 0.1,
      numbers: { itemType: 'int32', length: 3, items: [1, -2, 3] },
      nested: { itemType: 'array', length: 1, items: [{ itemType: 'string', length: 1, items: ['inner'] }] },
      long_numbers: { itemType: 'float32', length: longLength, items: undefined },
      long_strings: { itemType: 'string', length: longLength, items: undefined },
      'general.architecture': 'qwen2'
    })
  })

  it('says when a file is not a GGUF file', async () => {
    const path = join(directory, 'config.json')
    await writeFile(path, '{"model": "x"}')

    await expect(readGgufHeader(path)).rejects.toHaveProperty('message', `${path} is not a GGUF file (it starts with 0x7b226d6f)`)
  })

  it('says when a GGUF header is cut short', async () => {
    const complete = join(directory, 'complete.gguf')
    await writeScriptedModel(complete, { script: 'truncated soon' })
    const path = join(directory, 'truncated.gguf')
    await writeFile(path, (await readFile(complete)).subarray(0, 300))

    await expect(readGgufHeader(path)).rejects.toHaveProperty('message', `${path}: GGUF header is truncated`)
  })

  it('says when the model file does not exist', async () => {
    const path = join(directory, 'missing.gguf')

    await expect(readGgufHeader(path)).rejects.toHaveProperty('message', `model file not found: ${path}`)
  })

  it('names an unsupported GGUF version', async () => {
    const path = join(directory, 'v1.gguf')
    await writeFile(path, Buffer.concat([Buffer.from('GGUF'), uint32(1), uint32(0), uint32(0)]))

    await expect(readGgufHeader(path)).rejects.toHaveProperty('message', `${path}: unsupported GGUF version 1 (supported: 2, 3)`)
  })
})

type MetadataEntry = [key: string, typeId: number, encodedValue: Buffer]

function ggufFile(entries: readonly MetadataEntry[]): Buffer {
  return Buffer.concat([
    Buffer.from('GGUF'),
    uint32(3),
    uint64(0),
    uint64(entries.length),
    ...entries.flatMap(([key, typeId, encodedValue]) => [ggufString(key), int32(typeId), encodedValue])
  ])
}

function ggufString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8')
  return Buffer.concat([uint64(bytes.length), bytes])
}

function encoded(size: number, write: (buffer: Buffer) => void): Buffer {
  const buffer = Buffer.alloc(size)
  write(buffer)
  return buffer
}

const uint8 = (value: number): Buffer => encoded(1, (buffer) => buffer.writeUInt8(value))
const int8 = (value: number): Buffer => encoded(1, (buffer) => buffer.writeInt8(value))
const uint16 = (value: number): Buffer => encoded(2, (buffer) => buffer.writeUInt16LE(value))
const int16 = (value: number): Buffer => encoded(2, (buffer) => buffer.writeInt16LE(value))
const uint32 = (value: number): Buffer => encoded(4, (buffer) => buffer.writeUInt32LE(value))
const int32 = (value: number): Buffer => encoded(4, (buffer) => buffer.writeInt32LE(value))
const float32 = (value: number): Buffer => encoded(4, (buffer) => buffer.writeFloatLE(value))
const float64 = (value: number): Buffer => encoded(8, (buffer) => buffer.writeDoubleLE(value))
const uint64 = (value: number | bigint): Buffer => encoded(8, (buffer) => buffer.writeBigUInt64LE(BigInt(value)))
const int64 = (value: bigint): Buffer => encoded(8, (buffer) => buffer.writeBigInt64LE(value))
