/**
 * The ONE object a review produces, built once before anything is published: findings placed and not,
 * what was and was not reviewed, usage and cost, the overview, the severity gate. Every view (the summary
 * comment, the job summary, the JSON report, SARIF, the CLI's text, Markdown and JSON) renders from it, and
 * none of them recomputes any part of it.
 */
import type { ReviewSettings } from '../config/review-settings.js'
import {
  meetsSeverity,
  evaluateOpenEarlierFindings,
  evaluateSeverityGate,
  findMaxSeverity,
  type GateVerdict
} from '../review/severity-gate.js'
import type { ChunkOutcome, PullDiffSource, Severity, SkippedFile, TokenUsage } from '../types.js'
import {
  buildCostReport,
  buildEscalationReport,
  collectModelCalls,
  priceModelAt,
  type CostReport,
  type EscalationReport
} from './cost.js'
import type { ModelPrice } from '../model/models.js'
import { mergeVerdicts, type MergedVerdict } from '../review/verdict.js'
import { describeNothingReviewed, type NothingReviewed } from './nothing-reviewed.js'
import type { CeilingPlan } from './ceiling-plan.js'
import { buildCeilingReport, type CostCeilingReport } from './ceiling-report.js'
import type { RulesReport } from './chunk-guidance.js'
import type { CeilingRefusal } from './cost-guard.js'
import type { ContextReport } from './context-report.js'
import { mergeOverviews, type MergedOverview } from './overview.js'
import type { RunPlacement } from './place.js'
import type { PlannedReview } from './plan-review.js'
import { collectReportFindings, type ReportFinding } from './run-findings.js'

/** A chunk that was not reviewed, and why. */
export interface FailedChunk {
  readonly id: number
  readonly paths: readonly string[]
  readonly error: string
}

/** What was and was not reviewed. */
export interface Coverage {
  /** Files with at least one piece in a chunk, in chunk order. */
  readonly reviewedFiles: readonly string[]
  readonly reviewedPaths: ReadonlySet<string>
  readonly skipped: readonly SkippedFile[]
  /** Chunks planned (one request each, before retries and escalation). */
  readonly chunks: number
  readonly failedChunks: readonly FailedChunk[]
  /** Every planned chunk was reviewed. */
  readonly complete: boolean
  /** Set when no chunk could be reviewed because of the model API setup (an input's typo): the run fails. */
  readonly nothingReviewed?: NothingReviewed
}

/** `fail-on-severity` over the run: every finding it found, and on a partial review our earlier open comments. */
export interface SeverityGateResult {
  readonly verdict: GateVerdict
  /** Set when earlier comments of ours that reach the gate still point at unchanged code (partial reviews). */
  readonly openEarlier?: string
}

export interface RunResult {
  readonly planned: PlannedReview
  readonly outcomes: readonly ChunkOutcome[]
  /** The review model (failed chunks that do not name theirs are counted against it). */
  readonly model: string
  readonly settings: Pick<
    ReviewSettings,
    'severityThreshold' | 'failOnSeverity' | 'escalationModel' | 'verifySeverity' | 'minConfidence'
  >
  readonly findings: RunPlacement
  /** The verdict over the whole change, merged from the chunks' (advice only: never an approval). */
  readonly verdict: MergedVerdict
  /** Every finding in one flat list with its status: what the JSON report and SARIF carry. */
  readonly reported: readonly ReportFinding[]
  readonly maxSeverity: Severity | 'none'
  readonly gate: SeverityGateResult
  readonly coverage: Coverage
  readonly usage: TokenUsage
  readonly cost: CostReport
  /** What the escalation model did and cost; absent when it was not called. */
  readonly escalation?: EscalationReport
  readonly overview: MergedOverview
  /** How the diff was obtained, for the reports' footers. */
  readonly diffSource: string
  /** Facts about the diff the reader must know (a diff GitHub would not render whole, a listing cap). */
  readonly notes: readonly string[]
  /** The repository's rule files: read, used, left out by the cap, and notes; absent when there were none. */
  readonly rules?: RulesReport
  /** The cost ceiling: spent against it and the chunks it kept out; absent when no ceiling was set. */
  readonly costCeiling?: CostCeilingReport
  /**
   * Dollars all runs on the pull request have spent, this one included (earlier runs' from the signed state);
   * absent when the shell keeps no such total (the CLI).
   */
  readonly pullSpentUsd?: number
  /** The context sent with the chunks and what was left out; absent with `context-tokens` 0. */
  readonly context?: ContextReport
}

/** Assembles the run result from the engine's stages. Pure. */
export function buildRunResult(parts: {
  readonly planned: PlannedReview
  readonly outcomes: readonly ChunkOutcome[]
  readonly findings: RunPlacement
  readonly settings: Pick<
    ReviewSettings,
    'model' | 'severityThreshold' | 'failOnSeverity' | 'escalationModel' | 'verifySeverity' | 'minConfidence'
  > &
    Partial<Pick<ReviewSettings, 'escalateOnRisk'>>
  /** Prices of the review model that replace its list prices (the CLI's --price-* flags). */
  readonly prices?: ModelPrice
  /** What the repository's rule files contributed (chunk-guidance.ts). */
  readonly rules?: RulesReport
  /** The run's cost ceiling plan and what it refused while the run went (ceiling-plan.ts, cost-guard.ts). */
  readonly ceiling?: { readonly plan: CeilingPlan; readonly refusals: readonly CeilingRefusal[] }
  /** Dollars earlier runs on the same pull request spent; absent when the shell keeps no total. */
  readonly spentBeforeUsd?: number
}): RunResult {
  const { planned, outcomes, findings, settings } = parts
  const cost = buildCostReport(collectModelCalls(outcomes, settings.model), priceModelAt(settings.model, parts.prices))
  const escalation = buildEscalationReport({
    outcomes,
    escalationModel: settings.escalationModel,
    ...(settings.verifySeverity === 'off' ? {} : { verifySeverity: settings.verifySeverity }),
    ...(settings.escalateOnRisk === undefined || settings.escalateOnRisk === 'off'
      ? {}
      : { escalateOnRisk: settings.escalateOnRisk })
  })
  const reported = collectReportFindings({
    placement: findings.shown,
    belowThreshold: findings.belowThreshold,
    lowConfidence: findings.lowConfidence,
    lineIndex: planned.prepared.lineIndex,
    alreadyPosted: findings.alreadyPosted,
    // After a push, earlier findings on code not reviewed again stay in the reports (and code scanning).
    earlier:
      planned.input.focus === undefined
        ? []
        : findings.earlier.filter((posted) => meetsSeverity(posted.severity, settings.severityThreshold))
  })
  return {
    planned,
    outcomes,
    model: settings.model,
    settings,
    findings,
    verdict: mergeVerdicts(outcomes),
    reported,
    maxSeverity: findMaxSeverity(reported.map((finding) => ({ finding }))),
    gate: evaluateGate(parts),
    coverage: describeCoverage(planned, outcomes),
    usage: cost.usage,
    cost,
    ...(escalation === undefined ? {} : { escalation }),
    overview: mergeOverviews(outcomes),
    diffSource:
      planned.input.source.kind === 'unified'
        ? (planned.input.source.origin ?? 'unified diff')
        : 'per-file patches (listFiles)',
    notes: describeSource(planned.input.source),
    ...(planned.context === undefined ? {} : { context: planned.context }),
    ...(parts.rules === undefined ? {} : { rules: parts.rules }),
    ...(parts.spentBeforeUsd === undefined ? {} : { pullSpentUsd: parts.spentBeforeUsd + (cost.usd ?? 0) }),
    ...(parts.ceiling === undefined
      ? {}
      : {
          costCeiling: buildCeilingReport({
            ...parts.ceiling,
            outcomes,
            ...(cost.usd === undefined ? {} : { spentUsd: cost.usd })
          })
        })
  }
}

function describeCoverage(planned: PlannedReview, outcomes: readonly ChunkOutcome[]): Coverage {
  const { prepared } = planned
  const { reviewedPaths } = prepared
  const failedChunks = outcomes.flatMap((outcome) =>
    outcome.ok
      ? []
      : [
          {
            id: outcome.chunk.id,
            paths: [...new Set(outcome.chunk.pieces.map((piece) => piece.path))],
            error: outcome.error
          }
        ]
  )
  const nothingReviewed = describeNothingReviewed(outcomes)
  return {
    reviewedFiles: [...reviewedPaths],
    reviewedPaths,
    skipped: prepared.filter.skipped,
    chunks: outcomes.length,
    failedChunks,
    complete: failedChunks.length === 0,
    ...(nothingReviewed === undefined ? {} : { nothingReviewed })
  }
}

/**
 * The gate looks at every finding of the run (shown or held back by the threshold, and those an earlier
 * comment already holds); on a partial review also at our earlier comments still on unchanged code, so a push
 * elsewhere does not turn a failing gate green.
 */
function evaluateGate(parts: Parameters<typeof buildRunResult>[0]): SeverityGateResult {
  const { findings, settings } = parts
  const found = [
    ...findings.placement.inline,
    ...findings.placement.summaryOnly,
    ...findings.alreadyPosted.map((finding) => ({ finding }))
  ]
  // Findings the model itself rates below min-confidence do not fail the step: it doubts them.
  const verdict = evaluateSeverityGate(found, settings.failOnSeverity, { minConfidence: settings.minConfidence })
  const openEarlier =
    parts.planned.input.focus === undefined
      ? undefined
      : evaluateOpenEarlierFindings(findings.earlier, settings.failOnSeverity)
  return { verdict, ...(openEarlier === undefined ? {} : { openEarlier }) }
}

function describeSource(source: PullDiffSource): string[] {
  if (source.kind !== 'files') return source.origin === undefined ? [] : [`The diff is ${source.origin}.`]
  const notes = [`GitHub would not return the whole diff (${source.fallbackReason}); files were listed one by one.`]
  if (source.truncated) {
    const unlisted = source.unlistedFiles
    const count =
      unlisted === undefined || unlisted === 0
        ? 'files beyond that were'
        : `${unlisted.toLocaleString('en-US')} more changed files were`
    notes.push(
      `GitHub lists at most 3,000 files: ${count} not reviewed. To review them, check out the head with its history ` +
        'before this action (`actions/checkout` with `ref: <head sha>` and `fetch-depth: 0`, see the README): the ' +
        'action then takes the whole diff from git. Or run the CLI on a checkout of the pull request ' +
        '(`node dist/cli.js --base <base branch> --head HEAD`), or split the pull request.'
    )
  }
  return notes
}
