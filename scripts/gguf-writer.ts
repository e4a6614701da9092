// Writes tiny GGUF models whose greedy answer to any chat is a fixed script, so tests can run
// the real llama-server without downloading a model (DESIGN.md, "Testing with real parts").
//
// The model is a `llama` whose attention and FFN weights are zero, so the residual stream at
// every position is just the token's embedding. Script piece i (1-based) embeds as the unit
// vector e_i and every other token as e_0; the output row of piece i+1 reads e_i, the row of the
// first piece reads e_0 and the row of EOS reads e_last. Whatever the prompt, its last token
// embeds as e_0, so generation walks the script piece by piece and then ends.
import { open, type FileHandle } from 'node:fs/promises'

export interface ScriptedModelOptions {
  /** The exact answer text. */
  script: string
  blocks?: number
  /** Must be a multiple of ATTENTION_HEAD_LENGTH and exceed the number of script pieces. */
  embeddingLength?: number
  feedForwardLength?: number
  /** `general.name`. */
  name?: string
  contextLength?: number
}

export interface ScriptedModelInfo {
  path: string
  /** The script as the model emits it, one token per entry; they join to the script. */
  pieces: string[]
  sizeBytes: number
  embeddingLength: number
  blocks: number
}

/**
 * Same answer as the default model at about a tenth of its tokens per second (on 2 CPU cores
 * about 1,000 against 10,000 for a 60-token script); the file is about 45 MB.
 */
export const SLOW_MODEL_OPTIONS: Omit<ScriptedModelOptions, 'script'> = {
  embeddingLength: 1024,
  feedForwardLength: 2048,
  blocks: 1
}

export const CHATML_TEMPLATE =
  "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}" +
  '{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}'

export const ATTENTION_HEAD_LENGTH = 32

const GGUF_VERSION = 3
const ALIGNMENT = 32
const GGML_TYPE_F32 = 0
const FILE_TYPE_ALL_F32 = 0
const DEFAULT_CONTEXT_LENGTH = 4096
const RMS_NORM_EPSILON = 1e-5

// sentencepiece's convention, which llama.cpp's `llama` tokenizer follows.
const SPACE_MARKER = '\u2581'
const UNKNOWN_TOKEN = '<unk>'
const BOS_TOKEN = '<s>'
const EOS_TOKEN = '</s>'
const UNKNOWN_TOKEN_ID = 0
const BOS_TOKEN_ID = 1
const EOS_TOKEN_ID = 2
const BYTE_TOKEN_COUNT = 256
const FIRST_PIECE_TOKEN_ID = 3 + BYTE_TOKEN_COUNT

// gguf-py TokenType.
const TOKEN_TYPE_NORMAL = 1
const TOKEN_TYPE_UNKNOWN = 2
const TOKEN_TYPE_CONTROL = 3
const TOKEN_TYPE_BYTE = 6

// Scores only order the tokenizer's merges when it reads prompt text; the script's pieces come last.
const PIECE_SCORE = -1e6
// The successor's logit is OUTPUT_ROW_VALUE * sqrt(embeddingLength) (RMS norm scales a unit
// vector by sqrt(n)), every other logit is 0: even sampling at temperature 1 then follows the script.
const OUTPUT_ROW_VALUE = 8

const FLOAT32_BYTES = 4
const WRITE_CHUNK_BYTES = 4 * 1024 * 1024

export async function writeScriptedModel(path: string, options: ScriptedModelOptions): Promise<ScriptedModelInfo> {
  const pieces = splitScriptIntoPieces(options.script)
  const blocks = options.blocks ?? 1
  const embeddingLength = options.embeddingLength ?? defaultEmbeddingLength(pieces.length)
  const feedForwardLength = options.feedForwardLength ?? embeddingLength
  const contextLength = options.contextLength ?? DEFAULT_CONTEXT_LENGTH
  validateDimensions({ blocks, embeddingLength, feedForwardLength, contextLength }, pieces.length)

  const tokens = vocabulary(pieces)
  const metadata = modelMetadata({
    name: options.name ?? 'modelgate scripted model',
    blocks,
    embeddingLength,
    feedForwardLength,
    contextLength,
    tokens
  })
  const tensors = tensorPlans(pieces.length, tokens.length, embeddingLength, feedForwardLength, blocks)

  const file = await open(path, 'w')
  try {
    let sizeBytes = await writeAll(file, headerBytes(metadata, tensors))
    for (const tensor of tensors) sizeBytes += await writeTensorData(file, tensor)
    return { path, pieces, sizeBytes, embeddingLength, blocks }
  } finally {
    await file.close()
  }
}

/**
 * Splits the script into token texts that are all distinct (llama.cpp aborts on duplicate token
 * texts). Each piece is a word with the whitespace before it: no piece but the last ends with
 * the newline that ends every ChatML prompt, so the prompt's last token is never a script piece.
 * A piece that repeats an earlier one (`    }` in code) grows by the following words until it
 * is new; at the end of the script it merges into the piece before.
 */
export function splitScriptIntoPieces(script: string): string[] {
  if (script.includes(SPACE_MARKER)) {
    throw new Error(`the script of a scripted model cannot contain ${SPACE_MARKER} (U+2581): the tokenizer reads it as a space`)
  }
  const words: string[] = script.match(/\s*\S+/gu) ?? []
  const trailingWhitespace = script.slice(words.join('').length)
  if (trailingWhitespace !== '') {
    const lastIndex = words.length - 1
    if (lastIndex < 0) words.push(trailingWhitespace)
    else words[lastIndex] += trailingWhitespace
  }

  const taken = new Set(reservedTokenTexts())
  const pieces: string[] = []
  const accept = (piece: string): boolean => {
    if (taken.has(tokenText(piece))) return false
    taken.add(tokenText(piece))
    pieces.push(piece)
    return true
  }
  let pending = ''
  for (const word of words) {
    pending += word
    if (accept(pending)) pending = ''
  }
  while (pending !== '') {
    const previous = pieces.pop()
    if (previous === undefined) {
      throw new Error(`the script of a scripted model cannot be exactly the token ${JSON.stringify(pending)}`)
    }
    taken.delete(tokenText(previous))
    pending = previous + pending
    if (accept(pending)) pending = ''
  }
  return pieces
}

function reservedTokenTexts(): string[] {
  return [UNKNOWN_TOKEN, BOS_TOKEN, EOS_TOKEN, ...byteTokenTexts()]
}

function byteTokenTexts(): string[] {
  return Array.from({ length: BYTE_TOKEN_COUNT }, (_, byte) => `<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`)
}

function tokenText(piece: string): string {
  return piece.replaceAll(' ', SPACE_MARKER)
}

/** Room for e_0 plus one unit vector per piece, in whole attention heads. */
function defaultEmbeddingLength(pieceCount: number): number {
  return Math.ceil((pieceCount + 1) / ATTENTION_HEAD_LENGTH) * ATTENTION_HEAD_LENGTH
}

interface Dimensions {
  blocks: number
  embeddingLength: number
  feedForwardLength: number
  contextLength: number
}

function validateDimensions(dimensions: Dimensions, pieceCount: number): void {
  for (const [name, value] of Object.entries(dimensions)) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`scripted model: ${name} must be a positive integer, got ${value}`)
  }
  const { embeddingLength } = dimensions
  if (embeddingLength % ATTENTION_HEAD_LENGTH !== 0) {
    throw new Error(`scripted model: embeddingLength ${embeddingLength} is not a multiple of ${ATTENTION_HEAD_LENGTH}`)
  }
  if (embeddingLength <= pieceCount) {
    throw new Error(`scripted model: embeddingLength ${embeddingLength} is too small for ${pieceCount} script pieces`)
  }
}

interface VocabularyToken {
  text: string
  score: number
  type: number
}

function vocabulary(pieces: readonly string[]): VocabularyToken[] {
  return [
    { text: UNKNOWN_TOKEN, score: 0, type: TOKEN_TYPE_UNKNOWN },
    { text: BOS_TOKEN, score: 0, type: TOKEN_TYPE_CONTROL },
    { text: EOS_TOKEN, score: 0, type: TOKEN_TYPE_CONTROL },
    ...byteTokenTexts().map((text) => ({ text, score: 0, type: TOKEN_TYPE_BYTE })),
    ...pieces.map((piece) => ({ text: tokenText(piece), score: PIECE_SCORE, type: TOKEN_TYPE_NORMAL }))
  ]
}

type MetadataValue =
  | { type: 'uint32'; value: number }
  | { type: 'float32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'stringArray'; value: readonly string[] }
  | { type: 'float32Array'; value: readonly number[] }
  | { type: 'int32Array'; value: readonly number[] }

interface MetadataInput extends Dimensions {
  name: string
  tokens: readonly VocabularyToken[]
}

function modelMetadata(input: MetadataInput): Array<[string, MetadataValue]> {
  const uint32 = (value: number): MetadataValue => ({ type: 'uint32', value })
  const headCount = input.embeddingLength / ATTENTION_HEAD_LENGTH
  return [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: input.name }],
    ['general.alignment', uint32(ALIGNMENT)],
    ['general.file_type', uint32(FILE_TYPE_ALL_F32)],
    ['llama.vocab_size', uint32(input.tokens.length)],
    ['llama.context_length', uint32(input.contextLength)],
    ['llama.embedding_length', uint32(input.embeddingLength)],
    ['llama.block_count', uint32(input.blocks)],
    ['llama.feed_forward_length', uint32(input.feedForwardLength)],
    ['llama.attention.head_count', uint32(headCount)],
    ['llama.attention.head_count_kv', uint32(headCount)],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'float32', value: RMS_NORM_EPSILON }],
    ['llama.rope.dimension_count', uint32(ATTENTION_HEAD_LENGTH)],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'stringArray', value: input.tokens.map((token) => token.text) }],
    ['tokenizer.ggml.scores', { type: 'float32Array', value: input.tokens.map((token) => token.score) }],
    ['tokenizer.ggml.token_type', { type: 'int32Array', value: input.tokens.map((token) => token.type) }],
    ['tokenizer.ggml.unknown_token_id', uint32(UNKNOWN_TOKEN_ID)],
    ['tokenizer.ggml.bos_token_id', uint32(BOS_TOKEN_ID)],
    ['tokenizer.ggml.eos_token_id', uint32(EOS_TOKEN_ID)],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
    // Otherwise the first piece of every detokenized answer loses a leading space.
    ['tokenizer.ggml.add_space_prefix', { type: 'bool', value: false }],
    ['tokenizer.chat_template', { type: 'string', value: CHATML_TEMPLATE }]
  ]
}

type TensorContent =
  | { kind: 'zeros' }
  | { kind: 'ones' }
  /** Row r is zero except for `value` at column hotColumns[r], if defined. */
  | { kind: 'oneHotRows'; hotColumns: ReadonlyArray<number | undefined>; value: number }

interface TensorPlan {
  name: string
  /** ggml order: the row length first. */
  rowLength: number
  rowCount: number
  content: TensorContent
}

function tensorPlans(
  pieceCount: number,
  vocabularySize: number,
  embeddingLength: number,
  feedForwardLength: number,
  blocks: number
): TensorPlan[] {
  const zeros: TensorContent = { kind: 'zeros' }
  const ones: TensorContent = { kind: 'ones' }
  const pieceNumber = (tokenId: number): number | undefined =>
    tokenId >= FIRST_PIECE_TOKEN_ID ? tokenId - FIRST_PIECE_TOKEN_ID + 1 : undefined
  const embeddingColumns = Array.from({ length: vocabularySize }, (_, tokenId) => pieceNumber(tokenId) ?? 0)
  const outputColumns = Array.from({ length: vocabularySize }, (_, tokenId) => {
    if (tokenId === EOS_TOKEN_ID) return pieceCount
    const piece = pieceNumber(tokenId)
    return piece === undefined ? undefined : piece - 1
  })

  const blockTensors = Array.from({ length: blocks }, (_, block): TensorPlan[] => {
    const prefix = `blk.${block}`
    return [
      { name: `${prefix}.attn_norm.weight`, rowLength: embeddingLength, rowCount: 1, content: ones },
      { name: `${prefix}.attn_q.weight`, rowLength: embeddingLength, rowCount: embeddingLength, content: zeros },
      { name: `${prefix}.attn_k.weight`, rowLength: embeddingLength, rowCount: embeddingLength, content: zeros },
      { name: `${prefix}.attn_v.weight`, rowLength: embeddingLength, rowCount: embeddingLength, content: zeros },
      { name: `${prefix}.attn_output.weight`, rowLength: embeddingLength, rowCount: embeddingLength, content: zeros },
      { name: `${prefix}.ffn_norm.weight`, rowLength: embeddingLength, rowCount: 1, content: ones },
      { name: `${prefix}.ffn_gate.weight`, rowLength: embeddingLength, rowCount: feedForwardLength, content: zeros },
      { name: `${prefix}.ffn_down.weight`, rowLength: feedForwardLength, rowCount: embeddingLength, content: zeros },
      { name: `${prefix}.ffn_up.weight`, rowLength: embeddingLength, rowCount: feedForwardLength, content: zeros }
    ]
  })

  return [
    {
      name: 'token_embd.weight',
      rowLength: embeddingLength,
      rowCount: vocabularySize,
      content: { kind: 'oneHotRows', hotColumns: embeddingColumns, value: 1 }
    },
    ...blockTensors.flat(),
    { name: 'output_norm.weight', rowLength: embeddingLength, rowCount: 1, content: ones },
    {
      name: 'output.weight',
      rowLength: embeddingLength,
      rowCount: vocabularySize,
      content: { kind: 'oneHotRows', hotColumns: outputColumns, value: OUTPUT_ROW_VALUE }
    }
  ]
}

function tensorBytes(tensor: TensorPlan): number {
  return tensor.rowLength * tensor.rowCount * FLOAT32_BYTES
}

function alignedLength(length: number): number {
  return Math.ceil(length / ALIGNMENT) * ALIGNMENT
}

/** Little-endian serialization of the header parts (gguf.h describes the layout). */
class HeaderBuilder {
  private readonly parts: Buffer[] = []

  bytes(): Buffer {
    const header = Buffer.concat(this.parts)
    return Buffer.concat([header, Buffer.alloc(alignedLength(header.length) - header.length)])
  }

  raw(bytes: Buffer): void {
    this.parts.push(bytes)
  }

  uint32(value: number): void {
    const bytes = Buffer.alloc(4)
    bytes.writeUInt32LE(value)
    this.parts.push(bytes)
  }

  int32(value: number): void {
    const bytes = Buffer.alloc(4)
    bytes.writeInt32LE(value)
    this.parts.push(bytes)
  }

  uint64(value: number): void {
    const bytes = Buffer.alloc(8)
    bytes.writeBigUInt64LE(BigInt(value))
    this.parts.push(bytes)
  }

  float32(value: number): void {
    const bytes = Buffer.alloc(4)
    bytes.writeFloatLE(value)
    this.parts.push(bytes)
  }

  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8')
    this.uint64(bytes.length)
    this.parts.push(bytes)
  }
}

// enum gguf_type in ggml/include/gguf.h.
const GGUF_TYPE_UINT32 = 4
const GGUF_TYPE_INT32 = 5
const GGUF_TYPE_FLOAT32 = 6
const GGUF_TYPE_BOOL = 7
const GGUF_TYPE_STRING = 8
const GGUF_TYPE_ARRAY = 9

function headerBytes(metadata: ReadonlyArray<[string, MetadataValue]>, tensors: readonly TensorPlan[]): Buffer {
  const header = new HeaderBuilder()
  header.raw(Buffer.from('GGUF', 'latin1'))
  header.uint32(GGUF_VERSION)
  header.uint64(tensors.length)
  header.uint64(metadata.length)
  for (const [key, entry] of metadata) {
    header.string(key)
    writeMetadataValue(header, entry)
  }
  let dataOffset = 0
  for (const tensor of tensors) {
    header.string(tensor.name)
    const dimensions = tensor.rowCount === 1 ? [tensor.rowLength] : [tensor.rowLength, tensor.rowCount]
    header.uint32(dimensions.length)
    for (const dimension of dimensions) header.uint64(dimension)
    header.int32(GGML_TYPE_F32)
    header.uint64(dataOffset)
    dataOffset += alignedLength(tensorBytes(tensor))
  }
  return header.bytes()
}

function writeMetadataValue(header: HeaderBuilder, entry: MetadataValue): void {
  switch (entry.type) {
    case 'uint32':
      header.int32(GGUF_TYPE_UINT32)
      header.uint32(entry.value)
      return
    case 'float32':
      header.int32(GGUF_TYPE_FLOAT32)
      header.float32(entry.value)
      return
    case 'bool':
      header.int32(GGUF_TYPE_BOOL)
      header.raw(Buffer.from([entry.value ? 1 : 0]))
      return
    case 'string':
      header.int32(GGUF_TYPE_STRING)
      header.string(entry.value)
      return
    case 'stringArray':
      writeArrayPrefix(header, GGUF_TYPE_STRING, entry.value.length)
      for (const item of entry.value) header.string(item)
      return
    case 'float32Array':
      writeArrayPrefix(header, GGUF_TYPE_FLOAT32, entry.value.length)
      for (const item of entry.value) header.float32(item)
      return
    case 'int32Array':
      writeArrayPrefix(header, GGUF_TYPE_INT32, entry.value.length)
      for (const item of entry.value) header.int32(item)
      return
  }
}

function writeArrayPrefix(header: HeaderBuilder, itemType: number, length: number): void {
  header.int32(GGUF_TYPE_ARRAY)
  header.int32(itemType)
  header.uint64(length)
}

/** Writes the tensor and its alignment padding in bounded chunks; returns the bytes written. */
async function writeTensorData(file: FileHandle, tensor: TensorPlan): Promise<number> {
  const rowBytes = tensor.rowLength * FLOAT32_BYTES
  const rowsPerChunk = Math.max(1, Math.floor(WRITE_CHUNK_BYTES / rowBytes))
  let written = 0
  for (let firstRow = 0; firstRow < tensor.rowCount; firstRow += rowsPerChunk) {
    const rowCount = Math.min(rowsPerChunk, tensor.rowCount - firstRow)
    written += await writeAll(file, tensorChunk(tensor, firstRow, rowCount))
  }
  return written + (await writeAll(file, Buffer.alloc(alignedLength(written) - written)))
}

function tensorChunk(tensor: TensorPlan, firstRow: number, rowCount: number): Buffer {
  const chunk = Buffer.alloc(rowCount * tensor.rowLength * FLOAT32_BYTES)
  const { content } = tensor
  if (content.kind === 'ones') {
    for (let offset = 0; offset < chunk.length; offset += FLOAT32_BYTES) chunk.writeFloatLE(1, offset)
  } else if (content.kind === 'oneHotRows') {
    for (let row = 0; row < rowCount; row++) {
      const column = content.hotColumns[firstRow + row]
      if (column !== undefined) chunk.writeFloatLE(content.value, (row * tensor.rowLength + column) * FLOAT32_BYTES)
    }
  }
  return chunk
}

async function writeAll(file: FileHandle, bytes: Buffer): Promise<number> {
  let offset = 0
  while (offset < bytes.length) {
    const { bytesWritten } = await file.write(bytes, offset, bytes.length - offset)
    offset += bytesWritten
  }
  return bytes.length
}
