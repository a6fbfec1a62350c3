/** What the figures were measured on: written at the top of BENCHMARKS.md. */
import { readFileSync } from 'node:fs'
import os from 'node:os'

export interface MachineInfo {
  readonly cpu: string
  readonly cores: number
  readonly memoryGiB: number
  readonly node: string
  readonly platform: string
  readonly date: string
  /** 1-minute load average when the run started: above the core count, other work shared the CPU. */
  readonly loadAverage: number
}

function readCpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((row) => row.startsWith('model name'))
    if (line !== undefined) return line.slice(line.indexOf(':') + 1).trim()
  } catch {
    // Not Linux: fall back to what Node reports.
  }
  return os.cpus()[0]?.model ?? 'unknown'
}

/** CPU model (/proc/cpuinfo), cores available to this process (like `nproc`), memory, Node version, date. */
export function describeMachine(now: Date = new Date()): MachineInfo {
  return {
    cpu: readCpuModel(),
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} (${os.arch()})`,
    date: now.toISOString().slice(0, 10),
    loadAverage: Math.round((os.loadavg()[0] ?? 0) * 100) / 100
  }
}
