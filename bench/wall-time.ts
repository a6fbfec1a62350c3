/**
 * Wall time of the review stage (reviewAllChunks + placeFindings, real HTTP through undici) against the
 * loopback Responses server, which answers each request after a simulated model latency: a fixed delay plus a
 * per-token rate times the request's input tokens. Compared with the ideal ceil(chunks / concurrency) × mean
 * latency and with the true lower bound max(longest latency, total latency / concurrency).
 */
import { Agent } from 'undici'
import { DEFAULTS } from '../src/config/review-settings.js'
import { SILENT_LOGGER } from '../src/engine/logger.js'
import type { PreparedReview } from '../src/engine/prepare.js'
import { reviewAllChunks } from '../src/engine/review-chunks.js'
import { placeFindings } from '../src/review/place-findings.js'
import { scriptFindings } from '../__fixtures__/model/scripted-reviewer.js'
import { findingsResponse, startResponsesServer } from '../__fixtures__/servers/responses-server.js'

export interface LatencyModel {
  readonly fixedMs: number
  readonly perTokenMs: number
}

export interface WallTimeFigures {
  readonly concurrency: number
  readonly chunks: number
  readonly wallMs: number
  /** ceil(chunks / concurrency) × mean latency, as if every request took the mean. */
  readonly idealMs: number
  /** max(longest latency, sum of latencies / concurrency): no schedule can finish sooner. */
  readonly boundMs: number
  /** The same in-order schedule as mapWithConcurrency with zero client and server overhead. */
  readonly scheduledMs: number
  readonly budget: number
  readonly meanLatencyMs: number
  readonly requests: number
  readonly findings: number
}

const CHUNK_ID = /^codex-pr-review-chunk-(\d+)$/
const PULL_REQUEST = { title: 'Benchmark pull request', body: 'Update the package to its next version.' }

/** Reviews the prepared chunks once per concurrency level against a loopback server with simulated latency. */
export async function measureWallTime(options: {
  readonly prepared: PreparedReview
  readonly concurrencies: readonly number[]
  readonly latency: LatencyModel
  /** Input tokens of each request besides its chunk (instructions, schema, PR text). */
  readonly overheadPerRequest: number
  /** The chunk budget the plan was made with, for the report. */
  readonly budget: number
}): Promise<WallTimeFigures[]> {
  const { prepared, latency } = options
  const chunks = prepared.plan.chunks
  const latencyOf = (tokens: number): number =>
    latency.fixedMs + latency.perTokenMs * (tokens + options.overheadPerRequest)
  const latencyById = new Map(chunks.map((chunk) => [chunk.id, latencyOf(chunk.tokens)]))
  const server = await startResponsesServer((request) => {
    const match = CHUNK_ID.exec(String(request.headers['x-client-request-id'] ?? ''))
    const id = Number(match?.[1] ?? 0)
    const chunk = chunks[id - 1]
    const inputTokens = (chunk?.tokens ?? 0) + options.overheadPerRequest
    const usage = { input_tokens: inputTokens, output_tokens: 600, reasoning_tokens: 400 }
    return {
      delayMs: Math.round(latencyById.get(id) ?? latency.fixedMs),
      body: findingsResponse(scriptFindings(request), usage)
    }
  })
  const dispatcher = new Agent({ connections: 64 })
  const latencies = [...latencyById.values()]
  const total = latencies.reduce((sum, value) => sum + value, 0)
  const mean = latencies.length === 0 ? 0 : total / latencies.length
  const longest = Math.max(0, ...latencies)
  const results: WallTimeFigures[] = []
  try {
    const review = async (concurrency: number, subset = chunks): Promise<number> => {
      const outcomes = await reviewAllChunks({
        chunks: subset,
        transport: { baseUrl: server.baseUrl, apiKey: 'bench-key', dispatcher, maxRetries: 0 },
        model: DEFAULTS.model,
        reasoningEffort: 'medium',
        maxOutputTokens: DEFAULTS.maxOutputTokens,
        concurrency,
        pullRequest: PULL_REQUEST,
        logger: SILENT_LOGGER
      })
      const failed = outcomes.filter((outcome) => !outcome.ok).length
      if (failed > 0) throw new Error(`${failed} chunk(s) failed against the loopback server`)
      const findings = outcomes.flatMap((outcome) => (outcome.ok ? outcome.review.findings : []))
      placeFindings(findings, {
        maxComments: DEFAULTS.maxComments,
        lineIndex: prepared.lineIndex,
        reviewedPaths: prepared.reviewedPaths
      })
      return findings.length
    }
    await review(1, chunks.slice(0, 1)) // opens a connection and warms the JIT
    for (const concurrency of options.concurrencies) {
      const before = server.requests.length
      const start = process.hrtime.bigint()
      const findings = await review(concurrency)
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6
      results.push({
        concurrency,
        chunks: chunks.length,
        wallMs,
        idealMs: Math.ceil(chunks.length / concurrency) * mean,
        boundMs: Math.max(longest, total / concurrency),
        scheduledMs: simulateSchedule(latencies, concurrency),
        budget: options.budget,
        meanLatencyMs: mean,
        requests: server.requests.length - before,
        findings
      })
    }
  } finally {
    await dispatcher.close()
    await server.close()
  }
  return results
}

/** Finish time when each of `concurrency` lanes takes the next request in order as soon as it is free. */
export function simulateSchedule(latencies: readonly number[], concurrency: number): number {
  const lanes = new Array<number>(Math.max(1, concurrency)).fill(0)
  for (const latency of latencies) {
    let earliest = 0
    for (let lane = 1; lane < lanes.length; lane += 1) if ((lanes[lane] ?? 0) < (lanes[earliest] ?? 0)) earliest = lane
    lanes[earliest] = (lanes[earliest] ?? 0) + latency
  }
  return Math.max(...lanes)
}
