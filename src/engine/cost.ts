/**
 * What the run cost, per model: every request counts (successful chunks, failed attempts, escalated
 * chunks, verification requests). A request the provider billed (`x-aimlapi-usd-spent`) counts at the
 * billed figure; one it did not bill counts at list price; a model with neither is `unknown`. Pure.
 */
import { findModelSpec, MODEL_SPECS, UNKNOWN_MODEL_LIMITS, type ModelPrice, type ModelSpec } from '../model/models.js'
import {
  addUsage,
  type ChunkFailure,
  type ChunkOutcome,
  type RiskLevel,
  type Severity,
  type TokenUsage,
  ZERO_USAGE
} from '../types.js'

/**
 * Where a dollar figure comes from: the provider's `x-aimlapi-usd-spent` for every request (`billed`),
 * list prices (`estimated`), both (`partly billed`), or nowhere for part of it (`unknown`).
 */
export type CostSource = 'billed' | 'estimated' | 'partly billed' | 'unknown'

export interface ModelCostRow {
  readonly model: string
  /** Requests sent, retries included. */
  readonly requests: number
  readonly usage: TokenUsage
  /** Undefined when the cost is unknown (a model without list prices that the provider did not bill). */
  readonly usd?: number
  readonly source: CostSource
}

/** A chunk the review model rated at or above `escalate-on-risk`, and what its second review did. */
export interface RiskEscalatedChunk {
  readonly id: number
  /** The chunk's files. */
  readonly paths: readonly string[]
  /** The review model's rating that triggered the second review. */
  readonly risk: RiskLevel
  /** The escalated review was made and merged. */
  readonly ok: boolean
  /** Findings of each model before merging, and the review model's dropped as duplicates. */
  readonly primaryFindings: number
  readonly escalationFindings: number
  readonly duplicates: number
  /** Why the second review did not happen or failed. */
  readonly error?: string
  readonly failure?: ChunkFailure
}

export interface EscalationReport {
  readonly model: string
  /** Chunks reviewed by the escalation model, with the paths that matched `escalate-paths`. */
  readonly escalatedChunks: readonly { readonly id: number; readonly paths: readonly string[]; readonly ok: boolean }[]
  /** The `escalate-on-risk` gate that was set; absent when it is off. */
  readonly escalateOnRisk?: RiskLevel
  /** Chunks reviewed again because of the review model's risk rating (`escalate-on-risk`). */
  readonly riskEscalatedChunks?: readonly RiskEscalatedChunk[]
  /** Findings at or above this severity were re-checked; absent when verification is off. */
  readonly verifySeverity?: Severity
  readonly verifiedChunks: number
  readonly confirmed: number
  readonly rejected: readonly {
    readonly path: string
    readonly line: number
    readonly severity: Severity
    readonly title: string
  }[]
  readonly unverified: number
  /** Chunks whose verification failed (their findings were posted unverified). */
  readonly failedVerifications: number
  /** Tokens and dollars of the escalated reviews and the verification requests. */
  readonly usage: TokenUsage
  readonly usd?: number
  readonly source: CostSource
}

/** One model call's worth of spending: a chunk review (all its attempts) or one verification. */
export interface ModelCall {
  readonly model: string
  readonly usage: TokenUsage
  readonly attempts: number
  readonly billedUsd?: number
  /** Reviewed by the escalation model (escalate-paths) or a verification: counted as escalation cost. */
  readonly escalation: boolean
}

export interface CostReport {
  readonly rows: readonly ModelCostRow[]
  readonly usage: TokenUsage
  readonly usd?: number
  readonly source: CostSource
}

function billedOf(usd: number | undefined): { billedUsd?: number } {
  return usd === undefined ? {} : { billedUsd: usd }
}

/** Every call the outcomes record; `fallbackModel` for failed outcomes that do not name theirs. */
export function collectModelCalls(outcomes: readonly ChunkOutcome[], fallbackModel: string): ModelCall[] {
  return outcomes.flatMap((outcome): ModelCall[] => {
    if (!outcome.ok) {
      const call = { model: outcome.model ?? fallbackModel, usage: outcome.usage, attempts: outcome.attempts }
      return [{ ...call, ...billedOf(outcome.billedUsd), escalation: outcome.escalatedFor !== undefined }]
    }
    const { review } = outcome
    const reviewCall: ModelCall = {
      model: review.model,
      usage: review.usage,
      attempts: review.attempts,
      ...billedOf(review.billedUsd),
      escalation: review.escalatedFor !== undefined
    }
    const extra = [review.verification, review.riskEscalation].flatMap((call): ModelCall[] => {
      if (call === undefined) return []
      const { model, usage, attempts, billedUsd } = call
      return [{ model, usage, attempts, ...billedOf(billedUsd), escalation: true }]
    })
    return [reviewCall, ...extra]
  })
}

/** The chunks reviewed again because of their risk rating, with what the second review did. */
export function collectRiskEscalations(outcomes: readonly ChunkOutcome[]): RiskEscalatedChunk[] {
  return outcomes.flatMap((outcome): RiskEscalatedChunk[] => {
    const escalated = outcome.ok ? outcome.review.riskEscalation : undefined
    if (escalated === undefined) return []
    return [
      {
        id: outcome.chunk.id,
        paths: [...new Set(outcome.chunk.pieces.map((piece) => piece.path))],
        risk: escalated.risk,
        ok: escalated.error === undefined,
        primaryFindings: escalated.primaryFindings,
        escalationFindings: escalated.escalationFindings,
        duplicates: escalated.duplicates,
        ...(escalated.error === undefined ? {} : { error: escalated.error }),
        ...(escalated.failure === undefined ? {} : { failure: escalated.failure })
      }
    ]
  })
}

/** List-price dollars of a usage record (cached input at its own rate). */
export function priceAtList(spec: Pick<ModelSpec, 'price'>, usage: TokenUsage): number {
  const uncached = Math.max(0, usage.inputTokens - usage.cachedInputTokens)
  const { price } = spec
  return (
    (uncached * price.input + usage.cachedInputTokens * price.cachedInput + usage.outputTokens * price.output) /
    1_000_000
  )
}

interface Priced {
  readonly usd?: number
  readonly source: CostSource
}

/** Dollars of a set of calls and where the figure comes from. */
export function priceCalls(calls: readonly ModelCall[], specs: readonly ModelSpec[] = MODEL_SPECS): Priced {
  let usd = 0
  let billed = false
  let estimated = false
  let unknown = false
  for (const call of calls) {
    if (call.billedUsd !== undefined) {
      usd += call.billedUsd
      billed = true
      continue
    }
    const used = call.usage.inputTokens + call.usage.outputTokens
    if (used === 0) continue // nothing reached the model (connection refused, 4xx before generation)
    const spec = findModelSpec(call.model, specs)
    if (spec === undefined) {
      unknown = true
      continue
    }
    usd += priceAtList(spec, call.usage)
    estimated = true
  }
  if (unknown) return { source: 'unknown' }
  const source: CostSource = billed && estimated ? 'partly billed' : billed ? 'billed' : 'estimated'
  return { usd, source }
}

function sumUsage(calls: readonly ModelCall[]): TokenUsage {
  return calls.reduce((sum, call) => addUsage(sum, call.usage), ZERO_USAGE)
}

/** Tokens and dollars per model (in order of first use) and in total. */
export function buildCostReport(calls: readonly ModelCall[], specs: readonly ModelSpec[] = MODEL_SPECS): CostReport {
  const models = [...new Set(calls.map((call) => call.model))]
  const rows = models.map((model): ModelCostRow => {
    const own = calls.filter((call) => call.model === model)
    const priced = priceCalls(own, specs)
    const requests = own.reduce((sum, call) => sum + call.attempts, 0)
    return {
      model,
      requests,
      usage: sumUsage(own),
      source: priced.source,
      ...(priced.usd === undefined ? {} : { usd: priced.usd })
    }
  })
  const total = priceCalls(calls, specs)
  return { rows, usage: sumUsage(calls), source: total.source, ...(total.usd === undefined ? {} : { usd: total.usd }) }
}

/**
 * The escalation section's facts, or undefined when the escalation model was not called in this run.
 * `verifySeverity` is the gate that was set (off: undefined).
 */
export function buildEscalationReport(options: {
  readonly outcomes: readonly ChunkOutcome[]
  readonly escalationModel: string
  readonly verifySeverity?: Severity
  /** The `escalate-on-risk` gate that was set (off: undefined). */
  readonly escalateOnRisk?: RiskLevel
  readonly specs?: readonly ModelSpec[]
}): EscalationReport | undefined {
  const { outcomes } = options
  const riskEscalatedChunks = collectRiskEscalations(outcomes)
  const escalatedChunks = outcomes.flatMap((outcome) => {
    const paths = outcome.ok ? outcome.review.escalatedFor : outcome.escalatedFor
    return paths === undefined ? [] : [{ id: outcome.chunk.id, paths, ok: outcome.ok }]
  })
  const verifications = outcomes.flatMap((outcome) =>
    outcome.ok && outcome.review.verification ? [outcome.review.verification] : []
  )
  if (escalatedChunks.length === 0 && verifications.length === 0 && riskEscalatedChunks.length === 0) return undefined
  const calls = collectModelCalls(outcomes, options.escalationModel).filter((call) => call.escalation)
  const priced = priceCalls(calls, options.specs)
  return {
    model: options.escalationModel,
    escalatedChunks,
    ...(options.escalateOnRisk === undefined ? {} : { escalateOnRisk: options.escalateOnRisk }),
    ...(riskEscalatedChunks.length === 0 ? {} : { riskEscalatedChunks }),
    ...(options.verifySeverity === undefined ? {} : { verifySeverity: options.verifySeverity }),
    verifiedChunks: verifications.length,
    confirmed: verifications.reduce((sum, verification) => sum + verification.confirmed, 0),
    rejected: verifications.flatMap((verification) =>
      verification.rejected.map(({ path, line, severity, title }) => ({ path, line, severity, title }))
    ),
    unverified: verifications.reduce((sum, verification) => sum + verification.unverified, 0),
    failedVerifications: verifications.filter((verification) => verification.error !== undefined).length,
    usage: sumUsage(calls),
    source: priced.source,
    ...(priced.usd === undefined ? {} : { usd: priced.usd })
  }
}

/** Decimal places of the `cost-usd` output: a millionth of a dollar, finer than any per-token price. */
const COST_OUTPUT_DECIMALS = 6

/** The `cost-usd` output: dollars as a plain decimal (e.g. `0.004213`), or `unknown` without a price. */
export function formatCostOutput(summary: { readonly costUsd?: number; readonly costSource: CostSource }): string {
  if (summary.costSource === 'unknown' || summary.costUsd === undefined) return 'unknown'
  return String(Number(summary.costUsd.toFixed(COST_OUTPUT_DECIMALS)))
}

/** Usage of every request made, failed chunks and verification requests included: they were paid for too. */
export function totalUsage(outcomes: readonly ChunkOutcome[]): TokenUsage {
  return sumUsage(collectModelCalls(outcomes, ''))
}

/**
 * The model table with `model` priced at `prices` (placed first, so its exact id matches before any other):
 * the CLI's --price-* flags, which matter for a model the table does not know.
 */
export function priceModelAt(model: string, prices: ModelPrice | undefined): readonly ModelSpec[] {
  if (prices === undefined) return MODEL_SPECS
  const known = findModelSpec(model)
  return [{ ...UNKNOWN_MODEL_LIMITS, ...known, id: model, price: prices }, ...MODEL_SPECS]
}
