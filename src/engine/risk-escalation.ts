/**
 * `escalate-on-risk`: a chunk the review model rated at or above the gate is reviewed again, whole, by the
 * escalation model with the same request, and the two reviews' findings are merged (review/merge-escalated.ts).
 * The escalated review's judgement (overview, risk, verdict) replaces the first one where it gave one. When the
 * second review fails or is refused (the cost ceiling), the first review stands and the reason is recorded.
 */
import type { BuildRequestOptions } from '../model/build-request.js'
import type { ModelChoice } from '../model/model-plan.js'
import type { ModelTransport } from '../model/responses-client.js'
import { reviewChunk } from '../model/review-chunk.js'
import { mergeEscalatedFindings } from '../review/merge-escalated.js'
import type { ChunkOutcome, ChunkReview, RiskEscalation, RiskLevel } from '../types.js'

export interface RiskEscalationInput {
  readonly transport: ModelTransport
  /** The request the review model was sent; only the model changes. */
  readonly request: Omit<BuildRequestOptions, 'chunk'>
  /** The review model's successful review of the chunk, rated `risk`. */
  readonly outcome: Extract<ChunkOutcome, { ok: true }>
  readonly risk: RiskLevel
  readonly escalation: ModelChoice
  /** Receives the decision and its result (counts, never diff or model text). */
  readonly log?: (message: string) => void
}

function billed(usd: number | undefined): { billedUsd?: number } {
  return usd === undefined ? {} : { billedUsd: usd }
}

/** Reviews the chunk again with the escalation model and merges; never throws for chunk-level failures. */
export async function escalateRiskyChunk(input: RiskEscalationInput): Promise<ChunkOutcome> {
  const { outcome, escalation, risk } = input
  const first = outcome.review
  const model = escalation.model.id
  const chunkId = outcome.chunk.id
  input.log?.(`Chunk ${chunkId}: rated ${risk} risk by ${first.model}; reviewed again by ${model} (escalate-on-risk).`)
  const second = await reviewChunk({
    transport: input.transport,
    chunk: outcome.chunk,
    request: { ...input.request, model },
    endpoint: escalation.endpoint,
    maxOutputTokensCeiling: escalation.outputCeiling
  })
  const base = { model, risk, primaryFindings: first.findings.length }
  if (!second.ok) {
    input.log?.(`Chunk ${chunkId}: the escalated review failed (${second.error}); the first review stands.`)
    const riskEscalation: RiskEscalation = {
      ...base,
      usage: second.usage,
      attempts: second.attempts,
      ...billed(second.billedUsd),
      escalationFindings: 0,
      duplicates: 0,
      error: second.error,
      ...(second.failure === undefined ? {} : { failure: second.failure })
    }
    return { ...outcome, review: { ...first, riskEscalation } }
  }
  const merged = mergeEscalatedFindings({ primary: first.findings, escalation: second.review.findings })
  input.log?.(
    `Chunk ${chunkId}: ${model} found ${second.review.findings.length}, ${first.model} ${first.findings.length}; ` +
      `${merged.duplicates} duplicate(s) merged.`
  )
  const riskEscalation: RiskEscalation = {
    ...base,
    usage: second.review.usage,
    attempts: second.review.attempts,
    ...billed(second.review.billedUsd),
    escalationFindings: second.review.findings.length,
    duplicates: merged.duplicates
  }
  return { ...outcome, review: { ...first, ...judgementOf(second.review), findings: merged.findings, riskEscalation } }
}

/** The escalated review's overview, risk and verdict, each only where it gave one. */
function judgementOf(review: ChunkReview): Partial<Pick<ChunkReview, 'overview' | 'risk' | 'verdict'>> {
  return {
    ...(review.overview.trim() === '' ? {} : { overview: review.overview }),
    ...(review.risk === undefined ? {} : { risk: review.risk }),
    ...(review.verdict === undefined ? {} : { verdict: review.verdict })
  }
}
