/**
 * Peak memory of planning one diff, measured in a fresh process so nothing else the benchmark did is
 * counted: RSS and heap before planning (diff text loaded, tokenizer warmed, after gc), the peak RSS while
 * planning, and the heap the result keeps after gc.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { countTokens } from '../src/chunk/tokens.js'
import { prepareReview } from '../src/engine/prepare.js'
import { prepareOptions } from './planning.js'
import { collectGarbage } from './stats.js'

export interface MemoryFigures {
  readonly rssBefore: number
  /** Peak RSS while planning (Linux: VmHWM reset just before), else the process's lifetime peak. */
  readonly peakRss: number
  readonly peakSince: 'reset' | 'start'
  readonly heapBefore: number
  /** V8 heap in use right after planning, before gc: a lower bound on the heap's peak. */
  readonly heapAfter: number
  /** Heap still in use with the plan alive, after gc. */
  readonly heapRetained: number
}

/** Flag that makes build/bench.js run one memory probe and print its figures as JSON. */
export const MEMORY_PROBE_FLAG = '--memory-probe'

/**
 * Linux keeps the peak RSS of a process (VmHWM) and resets it when "5" is written to /proc/self/clear_refs,
 * so the peak can be measured over planning alone. Elsewhere the lifetime peak (getrusage) is the best we have.
 */
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5')
    return true
  } catch {
    return false
  }
}

function readPeakRss(since: 'reset' | 'start'): number {
  if (since === 'reset') {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (match?.[1] !== undefined) return Number(match[1]) * 1024
  }
  return process.resourceUsage().maxRSS * 1024
}

/** In the child: plans `diff` once and returns the figures. */
export function probeMemory(diff: string, budget: number): MemoryFigures {
  countTokens('warm up the tokenizer')
  collectGarbage()
  const before = process.memoryUsage()
  const since = resetPeakRss() ? 'reset' : 'start'
  const prepared = prepareReview({ kind: 'unified', text: diff }, prepareOptions(budget))
  const heapAfter = process.memoryUsage().heapUsed
  const peakRss = readPeakRss(since)
  collectGarbage()
  const heapRetained = process.memoryUsage().heapUsed
  if (prepared.plan.chunks.length < 0) throw new Error('unreachable: keeps the plan alive until here')
  return { rssBefore: before.rss, peakRss, peakSince: since, heapBefore: before.heapUsed, heapAfter, heapRetained }
}

/** In the parent: runs the probe for pair `index` in a fresh `node --expose-gc` process. */
export function measureMemoryInChild(index: number, budget: number): MemoryFigures {
  const output = execFileSync(
    process.execPath,
    ['--expose-gc', process.argv[1] ?? 'build/bench.js', MEMORY_PROBE_FLAG, String(index), String(budget)],
    { encoding: 'utf8', maxBuffer: 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] }
  )
  return JSON.parse(output) as MemoryFigures
}
