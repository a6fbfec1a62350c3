/**
 * What a local review cost, with the action's cost report (pipeline/cost-report.ts): per model, every
 * request counted (failed attempts, escalated chunks, verifications), the provider's billed figure where it
 * gave one and list prices elsewhere. The one CLI addition: --price-* flags set the review model's prices,
 * which matters for a model the table does not know.
 */
import { buildCostReport, buildEscalationReport, collectModelCalls, type CostReport } from '../pipeline/cost-report.js'
import { findModelSpec, MODEL_SPECS, UNKNOWN_MODEL_LIMITS, type ModelSpec } from '../model/models.js'
import type { EscalationReport } from '../render/summary-cost.js'
import type { SeverityGate } from '../config/review-settings.js'
import type { ChunkOutcome } from '../types.js'
import type { Prices } from './estimate.js'

/** The model table with `model` priced at `prices` (placed first, so its exact id matches before any other). */
export function priceModelAt(model: string, prices: Prices | undefined): readonly ModelSpec[] {
  if (prices === undefined) return MODEL_SPECS
  const known = findModelSpec(model)
  return [{ ...UNKNOWN_MODEL_LIMITS, ...known, id: model, price: prices }, ...MODEL_SPECS]
}

/** Tokens and dollars per model and in total. */
export function priceLocalRun(options: {
  readonly outcomes: readonly ChunkOutcome[]
  /** The review model: named by failed outcomes that do not name theirs, and priced by `prices`. */
  readonly model: string
  readonly prices?: Prices
}): CostReport {
  return buildCostReport(collectModelCalls(options.outcomes, options.model), priceModelAt(options.model, options.prices))
}

/** What the escalation model did and cost; undefined when it was not called. */
export function describeEscalation(options: {
  readonly outcomes: readonly ChunkOutcome[]
  readonly escalationModel: string
  readonly verifySeverity: SeverityGate
}): EscalationReport | undefined {
  return buildEscalationReport({
    outcomes: options.outcomes,
    escalationModel: options.escalationModel,
    ...(options.verifySeverity === 'off' ? {} : { verifySeverity: options.verifySeverity })
  })
}
