/**
 * `npm run bench`: planning speed and memory, requests and tokens, review wall time and what escalation by risk
 * costs, on real diffs between published npm package versions (made at run time by ../shared/tools/npm-pair-diff,
 * never committed). Prints the figures and writes them to BENCHMARKS.md with the machine, Node version and date.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { planChunks } from '../src/chunk/plan.js'
import { DEFAULTS } from '../src/config/review-settings.js'
import type { ChunkPlan } from '../src/types.js'
import { BENCH_PAIRS, CONTEXT_BENCH_PAIRS, loadPackageDiff, type PackagePair } from '../__fixtures__/real-world-diff.js'
import { measureConfidence } from './confidence.js'
import {
  CONTEXT_PROBE_FLAG,
  measureContext,
  measureParserSize,
  measureParserStartupInChild,
  PARSER_PROBE_FLAG,
  probeContext,
  probeParserStartup
} from './context.js'
import { measureEscalationCost } from './escalation.js'
import { describeMachine } from './machine.js'
import { measureMemoryInChild, MEMORY_PROBE_FLAG, probeMemory } from './memory.js'
import { measurePlanning } from './planning.js'
import { renderBenchmarks, renderContextSection, type ContextReport, type PairResult } from './report.js'
import { countReviewableTokens, measureRequests } from './requests.js'
import { measureWallTime, type LatencyModel } from './wall-time.js'

/** Runs only the context benchmark and prints its section (BENCHMARKS.md is not written). */
const CONTEXT_ONLY_FLAG = '--context-only'
/** Timed runs per diff, after one warm-up. */
const PLANNING_RUNS = 9
/** Budget of an extra wall-time run on the largest diff, for enough chunks to keep 8 requests in flight. */
const SMALL_BUDGET = 4_000
/** The default budget, and two others to show the trade-off. */
const BUDGETS = [SMALL_BUDGET, DEFAULTS.maxChunkTokens, 32_000] as const
const CONCURRENCIES = [1, 4, 8] as const
/** The default `max-comments`, and a cap high enough that only the threshold decides what goes inline. */
const CONFIDENCE_MAX_COMMENTS = [DEFAULTS.maxComments, 200] as const
/** Scaled down from real model latencies (seconds) so the whole benchmark stays within a few minutes. */
const LATENCY: LatencyModel = { fixedMs: 200, perTokenMs: 0.02 }

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`)
}

function describePair(pair: PackagePair): string {
  return `${pair.pkg} ${pair.oldVersion} → ${pair.newVersion}`
}

async function benchmarkPair(pair: PackagePair, index: number): Promise<PairResult> {
  const diff = loadPackageDiff(pair.pkg, pair.oldVersion, pair.newVersion)
  log(`${describePair(pair)}: ${diff.length.toLocaleString('en-US')} characters; planning ×${PLANNING_RUNS}`)
  const { figures, prepared } = measurePlanning(diff, { runs: PLANNING_RUNS, budget: DEFAULTS.maxChunkTokens })
  log(`  memory (fresh process)`)
  const memory = measureMemoryInChild(index, DEFAULTS.maxChunkTokens)
  const { reviewable } = prepared.filter
  const reviewableTokens = countReviewableTokens(reviewable)
  const requests = BUDGETS.map((budget) => {
    const plan = budget === DEFAULTS.maxChunkTokens ? prepared.plan : planChunks(reviewable, { maxChunkTokens: budget })
    return measureRequests({ reviewable, plan, budget, reviewableTokens })
  })
  const overheadPerRequest =
    requests.find((figures) => figures.budget === DEFAULTS.maxChunkTokens)?.overheadPerRequest ?? 0
  const wallRuns: { budget: number; plan: ChunkPlan }[] = [{ budget: DEFAULTS.maxChunkTokens, plan: prepared.plan }]
  if (index === BENCH_PAIRS.length - 1)
    wallRuns.push({ budget: SMALL_BUDGET, plan: planChunks(reviewable, { maxChunkTokens: SMALL_BUDGET }) })
  const wall = []
  for (const run of wallRuns) {
    log(`  wall time over ${run.plan.chunks.length} chunk(s) at concurrency ${CONCURRENCIES.join(', ')}`)
    const options = { concurrencies: CONCURRENCIES, latency: LATENCY, overheadPerRequest, budget: run.budget }
    wall.push(...(await measureWallTime({ ...options, prepared: { ...prepared, plan: run.plan } })))
  }
  log(`  noisy reviewer: inline comments with and without min-confidence`)
  const confidence = measureConfidence(prepared, CONFIDENCE_MAX_COMMENTS)
  log(`  escalation by risk over ${prepared.plan.chunks.length} chunk(s), gates off, high, medium`)
  const escalation = await measureEscalationCost({ prepared, budget: DEFAULTS.maxChunkTokens })
  return {
    pair: describePair(pair),
    changedLines: countChangedLines(diff),
    planning: figures,
    memory,
    requests,
    wall,
    confidence,
    escalation
  }
}

/** Lines starting with + or - outside file headers: the diff's size as a reader would count it. */
function countChangedLines(diff: string): number {
  let count = 0
  for (const line of diff.split('\n')) {
    if ((line.startsWith('+') && !line.startsWith('+++ ')) || (line.startsWith('-') && !line.startsWith('--- ')))
      count += 1
  }
  return count
}

/** The context benchmark over CONTEXT_BENCH_PAIRS, and the parser's size and start-up. */
async function benchmarkContext(): Promise<ContextReport> {
  const sizes = measureParserSize(path.join(process.cwd(), 'build'))
  log('parser start-up (fresh process)')
  const startup = measureParserStartupInChild()
  const results = []
  for (const pair of CONTEXT_BENCH_PAIRS) {
    log(`context: ${describePair(pair)} (planted pairs, with and without a checkout)`)
    results.push(await measureContext(pair, describePair(pair)))
  }
  return { sizes, startup, results }
}

async function main(): Promise<void> {
  const [flag, index, budget] = process.argv.slice(2)
  if (flag === CONTEXT_PROBE_FLAG) {
    const [repositoryDir, head, diffFile] = process.argv.slice(3)
    if (repositoryDir === undefined || head === undefined || diffFile === undefined)
      throw new Error('context probe: arguments')
    process.stdout.write(JSON.stringify(await probeContext(repositoryDir, head, diffFile)))
    return
  }
  if (flag === PARSER_PROBE_FLAG) {
    process.stdout.write(JSON.stringify(await probeParserStartup()))
    return
  }
  if (flag === CONTEXT_ONLY_FLAG) {
    // For working on the context stage: its section alone, printed, BENCHMARKS.md left as it is.
    const context = await benchmarkContext()
    process.stdout.write(`${renderContextSection(context)}\n`)
    return
  }
  if (flag === MEMORY_PROBE_FLAG) {
    const pair = BENCH_PAIRS[Number(index)]
    if (pair === undefined) throw new Error(`no bench pair ${index}`)
    const diff = loadPackageDiff(pair.pkg, pair.oldVersion, pair.newVersion)
    process.stdout.write(JSON.stringify(probeMemory(diff, Number(budget))))
    return
  }
  const started = Date.now()
  const machine = describeMachine()
  const results: PairResult[] = []
  for (const [position, pair] of BENCH_PAIRS.entries()) results.push(await benchmarkPair(pair, position))
  const context = await benchmarkContext()
  const markdown = renderBenchmarks({
    context,
    machine,
    results,
    runs: PLANNING_RUNS,
    latency: LATENCY,
    defaultBudget: DEFAULTS.maxChunkTokens,
    durationSeconds: (Date.now() - started) / 1000
  })
  const target = path.join(process.cwd(), 'BENCHMARKS.md')
  writeFileSync(target, markdown)
  process.stdout.write(markdown)
  log(`wrote ${target}`)
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 1
})
