// The machine a run measured on: what decides whether two runs' speed can be compared at all.
// GPUs come from nvidia-smi when it is there; the rest from Node's own view of the host.
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface GpuFacts {
  name: string
  memoryMiB?: number
  driver?: string
}

export interface MachineFacts {
  gpus: GpuFacts[]
  cuda?: string
  cpu: string
  cores: number
  memoryBytes: number
  /** e.g. "Debian GNU/Linux 12 (bookworm)", else the kernel's name and release. */
  os: string
  platform: string
  arch: string
}

/** Parses `nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader,nounits`. */
export function parseGpuQuery(text: string): GpuFacts[] {
  return text
    .split('\n')
    .map((line) => line.split(',').map((field) => field.trim()))
    .filter((fields) => fields[0])
    .map(([name, memory, driver]) => {
      const memoryMiB = Number(memory)
      return { name: name!, ...(Number.isFinite(memoryMiB) && memory ? { memoryMiB } : {}), ...(driver ? { driver } : {}) }
    })
}

async function nvidiaSmi(args: string[]): Promise<string | undefined> {
  try {
    // PATH as this process sees it now, where a test may have put a stand-in nvidia-smi.
    return (await run('nvidia-smi', args, { timeout: 10_000, env: process.env })).stdout
  } catch {
    // No NVIDIA driver on this runner (or nvidia-smi is not on PATH): a CPU-only fingerprint.
    return undefined
  }
}

async function osName(): Promise<string> {
  try {
    const release = await readFile('/etc/os-release', 'utf8')
    const pretty = release.match(/^PRETTY_NAME="?([^"\n]*)"?$/m)?.[1]
    if (pretty) return pretty
  } catch {
    // Not Linux, or a minimal image without os-release.
  }
  return `${os.type()} ${os.release()}`
}

export async function readMachineFacts(): Promise<MachineFacts> {
  const [query, summary, osLabel] = await Promise.all([
    nvidiaSmi(['--query-gpu=name,memory.total,driver_version', '--format=csv,noheader,nounits']),
    nvidiaSmi([]),
    osName()
  ])
  const cuda = summary?.match(/CUDA Version:\s*([\d.]+)/)?.[1]
  const cpus = os.cpus()
  return {
    gpus: query ? parseGpuQuery(query) : [],
    ...(cuda ? { cuda } : {}),
    cpu: cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryBytes: os.totalmem(),
    os: osLabel,
    platform: process.platform,
    arch: process.arch
  }
}
