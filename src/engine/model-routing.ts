/**
 * One chunk's review with the escalation rules applied: a chunk touching `escalate-paths` goes to the
 * escalation model instead of the review model; a chunk the review model rated at or above `escalate-on-risk`
 * is reviewed again by the escalation model and the findings merged (risk-escalation.ts); any other chunk the
 * review model reviewed has its findings at or above `verify-severity` re-checked by the escalation model
 * before anything is posted.
 */
import type { EscalateOnRisk, SeverityGate } from '../config/review-settings.js'
import type { BuildRequestOptions } from '../model/build-request.js'
import { planModels, type ModelChoice, type ModelPlan, type ModelPlanSettings } from '../model/model-plan.js'
import { endpointPath } from '../model/models.js'
import type { ModelTransport } from '../model/responses-client.js'
import { reviewChunk } from '../model/review-chunk.js'
import { verifyFindings } from '../model/verify-findings.js'
import {
  applyVerdicts,
  createPathMatcher,
  findEscalatedPaths,
  meetsRiskGate,
  splitForVerification,
  type PathMatcher
} from '../review/escalation.js'
import type { Chunk, ChunkOutcome, FindingVerification } from '../types.js'
import type { Logger } from './logger.js'
import { escalateRiskyChunk } from './risk-escalation.js'

/** Which model reviews which chunk, built once per run by {@link createModelRouting}. */
export interface ModelRouting {
  readonly plan: ModelPlan
  readonly matchesEscalatePath: PathMatcher
  readonly verifySeverity: SeverityGate
  /** Chunks the review model rates at or above it are reviewed again by the escalation model; absent = off. */
  readonly escalateOnRisk?: EscalateOnRisk
  /** Receives escalation decisions (paths and counts, never diff text or model text). */
  readonly log?: (message: string) => void
}

export function createModelRouting(options: {
  readonly plan: ModelPlan
  readonly escalatePaths: readonly string[]
  readonly verifySeverity: SeverityGate
  readonly escalateOnRisk?: EscalateOnRisk
  readonly log?: (message: string) => void
}): ModelRouting {
  const escalating = options.plan.escalation !== undefined
  return {
    plan: options.plan,
    matchesEscalatePath: createPathMatcher(escalating ? options.escalatePaths : []),
    verifySeverity: escalating ? options.verifySeverity : 'off',
    escalateOnRisk: escalating ? (options.escalateOnRisk ?? 'off') : 'off',
    ...(options.log === undefined ? {} : { log: options.log })
  }
}

/**
 * Checks the models against the settings (ConfigError naming the inputs when they do not fit), shows the
 * assumptions made for unknown models, and builds the routing. Call right after reading the config, before
 * any request is made.
 */
export function planModelRouting(settings: ModelPlanSettings, logger: Pick<Logger, 'info' | 'notice'>): ModelRouting {
  const plan = planModels(settings)
  for (const notice of plan.notices) logger.notice(notice)
  const escalation =
    plan.escalation === undefined
      ? ''
      : `; escalation: ${plan.escalation.model.id} via ${endpointPath(plan.escalation.endpoint)}`
  logger.info(`Review model: ${plan.primary.model.id} via ${endpointPath(plan.primary.endpoint)}${escalation}.`)
  return createModelRouting({
    plan,
    escalatePaths: settings.escalatePaths,
    verifySeverity: settings.verifySeverity,
    ...(settings.escalateOnRisk === undefined ? {} : { escalateOnRisk: settings.escalateOnRisk }),
    log: logger.info
  })
}

export interface RoutedReviewOptions {
  readonly transport: ModelTransport
  readonly chunk: Chunk
  readonly request: Omit<BuildRequestOptions, 'chunk'>
  /** Without routing the chunk goes to `request.model` through /responses, as before escalation existed. */
  readonly routing?: ModelRouting
}

/** Reviews one chunk with the model the routing picks, then verifies its severe findings when asked. */
export async function reviewChunkRouted(options: RoutedReviewOptions): Promise<ChunkOutcome> {
  const { routing, chunk } = options
  if (routing === undefined) return reviewChunk(options)
  const escalation = routing.plan.escalation
  const escalatedFor = escalation === undefined ? [] : findEscalatedPaths(chunk, routing.matchesEscalatePath)
  const choice = escalation !== undefined && escalatedFor.length > 0 ? escalation : routing.plan.primary
  if (escalatedFor.length > 0) {
    routing.log?.(
      `Chunk ${chunk.id}: reviewed by ${choice.model.id} (escalate-paths matched ${escalatedFor.join(', ')}).`
    )
  }
  const outcome = await reviewChunk({
    transport: options.transport,
    chunk,
    request: { ...options.request, model: choice.model.id },
    endpoint: choice.endpoint,
    maxOutputTokensCeiling: choice.outputCeiling
  })
  if (escalatedFor.length > 0) {
    return outcome.ok ? { ...outcome, review: { ...outcome.review, escalatedFor } } : { ...outcome, escalatedFor }
  }
  if (!outcome.ok || escalation === undefined) return outcome
  const risk = outcome.review.risk
  if (risk !== undefined && meetsRiskGate(risk, routing.escalateOnRisk ?? 'off')) {
    return escalateRiskyChunk({
      transport: options.transport,
      request: options.request,
      outcome,
      risk,
      escalation,
      ...(routing.log === undefined ? {} : { log: routing.log })
    })
  }
  return verifyOutcome({ options, outcome, escalation, routing })
}

async function verifyOutcome(input: {
  readonly options: RoutedReviewOptions
  readonly outcome: Extract<ChunkOutcome, { ok: true }>
  readonly escalation: ModelChoice
  readonly routing: ModelRouting
}): Promise<ChunkOutcome> {
  const { options, outcome, escalation, routing } = input
  const { toVerify } = splitForVerification(outcome.review.findings, routing.verifySeverity)
  if (toVerify.length === 0) return outcome
  const model = escalation.model.id
  const result = await verifyFindings({
    transport: options.transport,
    endpoint: escalation.endpoint,
    model,
    reasoningEffort: options.request.reasoningEffort,
    maxOutputTokens: options.request.maxOutputTokens,
    maxOutputTokensCeiling: escalation.outputCeiling,
    chunk: outcome.chunk,
    pullRequest: options.request.pullRequest,
    findings: toVerify
  })
  const spent = { model, usage: result.usage, attempts: result.attempts, ...billed(result.billedUsd) }
  if (!result.ok) {
    routing.log?.(
      `Chunk ${outcome.chunk.id}: verification by ${model} failed (${result.error}); ${toVerify.length} finding(s) kept unverified.`
    )
    const verification: FindingVerification = {
      ...spent,
      confirmed: 0,
      rejected: [],
      unverified: toVerify.length,
      error: result.error
    }
    return { ...outcome, review: { ...outcome.review, verification } }
  }
  const applied = applyVerdicts({
    findings: outcome.review.findings,
    toVerify,
    verdicts: result.verdicts,
    // The escalation model's confidence wins over the reviewer's for every finding it rated.
    confidences: result.confidences,
    model
  })
  routing.log?.(
    `Chunk ${outcome.chunk.id}: ${model} checked ${toVerify.length} finding(s): ${applied.confirmed} confirmed, ` +
      `${applied.rejected.length} rejected, ${applied.unverified} without a verdict.`
  )
  const verification: FindingVerification = {
    ...spent,
    confirmed: applied.confirmed,
    rejected: applied.rejected,
    unverified: applied.unverified
  }
  return { ...outcome, review: { ...outcome.review, findings: applied.kept, verification } }
}

function billed(usd: number | undefined): { billedUsd?: number } {
  return usd === undefined ? {} : { billedUsd: usd }
}
