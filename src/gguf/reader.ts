// Reads the metadata of a GGUF model file (llama.cpp's format) without loading the model: real
// models are many GB, so the file is read in small chunks and only the header is visited.
import { open, type FileHandle } from 'node:fs/promises'

export type GgufValueType =
  | 'uint8'
  | 'int8'
  | 'uint16'
  | 'int16'
  | 'uint32'
  | 'int32'
  | 'float32'
  | 'bool'
  | 'string'
  | 'array'
  | 'uint64'
  | 'int64'
  | 'float64'

/** 64-bit integers are bigints so that token counts and sizes above 2^53 stay exact. */
export type GgufScalar = number | bigint | boolean | string

export interface GgufArray {
  itemType: GgufValueType
  length: number
  /** Undefined when the array is longer than MAX_STORED_ARRAY_LENGTH (a tokenizer's vocabulary). */
  items: GgufValue[] | undefined
}

export type GgufValue = GgufScalar | GgufArray

export interface GgufHeader {
  version: number
  tensorCount: number
  metadata: Record<string, GgufValue>
  /** `general.architecture`, e.g. `llama`, `qwen2`. */
  architecture: string | undefined
  /** Weights in all tensors (the product of each tensor's dimensions, summed); undefined when the tensor table is cut off. */
  parameterCount: number | undefined
}

/** Longer arrays are skipped: vocabularies have 32k-260k entries nobody here needs. */
export const MAX_STORED_ARRAY_LENGTH = 1000

// Indexed by the type id stored in the file (enum gguf_type in ggml/include/gguf.h).
const VALUE_TYPES: readonly GgufValueType[] = [
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
]

type GgufFixedSizeType = Exclude<GgufValueType, 'string' | 'array'>

const FIXED_SIZES: Record<GgufFixedSizeType, number> = {
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
}

const GGUF_MAGIC = Buffer.from('GGUF', 'latin1')
// Version 1 stored counts and lengths as 32-bit; 2 and 3 share the little-endian layout read here.
const SUPPORTED_VERSIONS = [2, 3]
const CHUNK_SIZE = 64 * 1024

class HeaderTruncatedError extends Error {}

/** Sequential little-endian reads over a file handle, buffering one chunk at a time. */
class ChunkedFileReader {
  private buffer = Buffer.alloc(0)
  private bufferOffset = 0
  private filePosition = 0

  constructor(
    private readonly file: FileHandle,
    private readonly fileSize: number
  ) {}

  async bytes(length: number): Promise<Buffer> {
    await this.ensureBuffered(length)
    const bytes = this.buffer.subarray(this.bufferOffset, this.bufferOffset + length)
    this.bufferOffset += length
    return bytes
  }

  async skip(length: number): Promise<void> {
    const buffered = this.buffer.length - this.bufferOffset
    if (length <= buffered) {
      this.bufferOffset += length
      return
    }
    const target = this.filePosition + (length - buffered)
    if (target > this.fileSize) throw new HeaderTruncatedError()
    this.filePosition = target
    this.buffer = Buffer.alloc(0)
    this.bufferOffset = 0
  }

  async uint32(): Promise<number> {
    return (await this.bytes(4)).readUInt32LE(0)
  }

  async uint64(): Promise<bigint> {
    return (await this.bytes(8)).readBigUInt64LE(0)
  }

  async int32(): Promise<number> {
    return (await this.bytes(4)).readInt32LE(0)
  }

  /** A u64 count or length; beyond 2^53 it cannot describe anything in a real file. */
  async length(): Promise<number> {
    const value = (await this.bytes(8)).readBigUInt64LE(0)
    if (value > BigInt(this.fileSize)) throw new HeaderTruncatedError()
    return Number(value)
  }

  async string(): Promise<string> {
    const length = await this.length()
    return (await this.bytes(length)).toString('utf8')
  }

  private async ensureBuffered(length: number): Promise<void> {
    const buffered = this.buffer.length - this.bufferOffset
    if (length <= buffered) return
    const missing = length - buffered
    if (this.filePosition + missing > this.fileSize) throw new HeaderTruncatedError()
    const readLength = Math.max(missing, CHUNK_SIZE)
    const chunk = Buffer.alloc(Math.min(readLength, this.fileSize - this.filePosition))
    const { bytesRead } = await this.file.read(chunk, 0, chunk.length, this.filePosition)
    if (bytesRead < missing) throw new HeaderTruncatedError()
    this.filePosition += bytesRead
    this.buffer = Buffer.concat([this.buffer.subarray(this.bufferOffset), chunk.subarray(0, bytesRead)])
    this.bufferOffset = 0
  }
}

export async function readGgufHeader(path: string): Promise<GgufHeader> {
  let file: FileHandle
  try {
    file = await open(path, 'r')
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') throw new Error(`model file not found: ${path}`, { cause: error })
    throw error
  }
  try {
    const { size } = await file.stat()
    return await readHeader(new ChunkedFileReader(file, size), path, size)
  } catch (error) {
    if (error instanceof HeaderTruncatedError) throw new Error(`${path}: GGUF header is truncated`, { cause: error })
    if (isErrnoException(error) && error.code === 'EISDIR') {
      throw new Error(`${path} is not a GGUF file (it is a directory)`, { cause: error })
    }
    throw error
  } finally {
    await file.close()
  }
}

async function readHeader(reader: ChunkedFileReader, path: string, fileSize: number): Promise<GgufHeader> {
  if (fileSize === 0) throw new Error(`${path} is not a GGUF file (it is empty)`)
  const start = await reader.bytes(Math.min(fileSize, GGUF_MAGIC.length))
  if (!GGUF_MAGIC.subarray(0, start.length).equals(start)) {
    throw new Error(`${path} is not a GGUF file (it starts with 0x${start.toString('hex')})`)
  }
  if (start.length < GGUF_MAGIC.length) throw new HeaderTruncatedError()

  const version = await reader.uint32()
  if (!SUPPORTED_VERSIONS.includes(version)) {
    throw new Error(`${path}: unsupported GGUF version ${version} (supported: ${SUPPORTED_VERSIONS.join(', ')})`)
  }
  const tensorCount = await reader.length()
  const metadataCount = await reader.length()

  const metadata: Record<string, GgufValue> = {}
  for (let index = 0; index < metadataCount; index++) {
    const key = await reader.string()
    const type = await readValueType(reader, path, key)
    metadata[key] = await readValue(reader, type, path, key)
  }
  const architecture = metadata['general.architecture']
  return {
    version,
    tensorCount,
    metadata,
    architecture: typeof architecture === 'string' ? architecture : undefined,
    parameterCount: await readParameterCount(reader, tensorCount)
  }
}

/** The tensor table follows the metadata: name, dimension count, dimensions, type, offset. */
async function readParameterCount(reader: ChunkedFileReader, tensorCount: number): Promise<number | undefined> {
  let total = 0n
  try {
    for (let index = 0; index < tensorCount; index++) {
      await reader.string()
      const dimensions = await reader.uint32()
      let elements = 1n
      for (let d = 0; d < dimensions; d++) elements *= await reader.uint64()
      await reader.skip(4 + 8)
      total += elements
    }
  } catch (error) {
    // The metadata is what the caller came for; a cut-off tensor table only loses the count.
    if (error instanceof HeaderTruncatedError) return undefined
    throw error
  }
  return Number(total)
}

async function readValueType(reader: ChunkedFileReader, path: string, key: string): Promise<GgufValueType> {
  const id = await reader.int32()
  const type = VALUE_TYPES[id]
  if (type === undefined) throw new Error(`${path}: GGUF metadata key "${key}" has unknown value type ${id}`)
  return type
}

async function readValue(
  reader: ChunkedFileReader,
  type: GgufValueType,
  path: string,
  key: string
): Promise<GgufValue> {
  switch (type) {
    case 'string':
      return reader.string()
    case 'array':
      return readArray(reader, path, key)
    default:
      return decodeFixedSize(type, await reader.bytes(FIXED_SIZES[type]))
  }
}

async function readArray(reader: ChunkedFileReader, path: string, key: string): Promise<GgufArray> {
  const itemType = await readValueType(reader, path, key)
  const length = await reader.length()
  if (length > MAX_STORED_ARRAY_LENGTH) {
    await skipItems(reader, itemType, length, path, key)
    return { itemType, length, items: undefined }
  }
  const items: GgufValue[] = []
  for (let index = 0; index < length; index++) items.push(await readValue(reader, itemType, path, key))
  return { itemType, length, items }
}

async function skipItems(
  reader: ChunkedFileReader,
  itemType: GgufValueType,
  length: number,
  path: string,
  key: string
): Promise<void> {
  if (itemType === 'string') {
    for (let index = 0; index < length; index++) await reader.skip(await reader.length())
  } else if (itemType === 'array') {
    for (let index = 0; index < length; index++) await readArray(reader, path, key)
  } else {
    await reader.skip(length * FIXED_SIZES[itemType])
  }
}

function decodeFixedSize(type: GgufFixedSizeType, bytes: Buffer): GgufScalar {
  switch (type) {
    case 'uint8':
      return bytes.readUInt8(0)
    case 'int8':
      return bytes.readInt8(0)
    case 'bool':
      return bytes.readUInt8(0) !== 0
    case 'uint16':
      return bytes.readUInt16LE(0)
    case 'int16':
      return bytes.readInt16LE(0)
    case 'uint32':
      return bytes.readUInt32LE(0)
    case 'int32':
      return bytes.readInt32LE(0)
    case 'float32':
      return bytes.readFloatLE(0)
    case 'uint64':
      return bytes.readBigUInt64LE(0)
    case 'int64':
      return bytes.readBigInt64LE(0)
    case 'float64':
      return bytes.readDoubleLE(0)
  }
}

// Not `instanceof Error`: errors from node's own modules come from another realm under jest's VM.
function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return typeof error === 'object' && error !== null && 'code' in error
}
