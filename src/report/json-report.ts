/**
 * The JSON report: every finding of the run (posted, summary-only, held back by the threshold) with its
 * location and status, plus what was reviewed and what it cost. Meant for scripts and dashboards; its
 * shape is versioned by `schemaVersion`. Pure.
 */
import type { ContextReport } from '../engine/context-report.js'
import type { FailedChunk, RunResult } from '../engine/run-result.js'
import type { ReportFinding } from '../engine/run-findings.js'
import { countBySeverity, findMaxSeverity } from '../review/severity-gate.js'
import type { MergedVerdict } from '../review/verdict.js'
import type { PlacementResult, PullRequestInfo, RiskLevel, Severity, SkippedFile, TokenUsage } from '../types.js'
import { TOOL_INFO } from './tool-info.js'

/** Bumped when a field changes meaning or disappears; new fields do not bump it. */
export const REPORT_SCHEMA_VERSION = 1

export interface JsonReport {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION
  readonly tool: typeof TOOL_INFO
  readonly pullRequest: {
    readonly owner: string
    readonly repo: string
    readonly number: number
    readonly headSha: string
    readonly baseSha: string
  }
  readonly model: string
  readonly overview: { readonly text: string; readonly risk: RiskLevel | null }
  readonly severityThreshold: Severity
  readonly maxSeverity: Severity | 'none'
  readonly counts: {
    readonly total: number
    readonly inline: number
    readonly summaryOnly: number
    readonly belowThreshold: number
    /** Found again by this run; an earlier comment holds it. */
    readonly alreadyPosted: number
    /** Carried from an earlier run: on code an incremental run did not review again. */
    readonly earlier: number
    readonly duplicatesDropped: number
    readonly bySeverity: Readonly<Record<Severity, number>>
  }
  readonly findings: readonly ReportFinding[]
  readonly files: { readonly reviewed: readonly string[]; readonly skipped: readonly SkippedFile[] }
  readonly chunks: ChunkCounts
  readonly usage: TokenUsage
  readonly costUsd: number | null
  /** The merged verdict over the change (advice only); null when the run gave none (e.g. nothing reviewed). */
  readonly verdict: JsonVerdict | null
  /** `min-confidence` and what it held back; null when the run did not say (a report built without it). */
  readonly confidence: {
    readonly minConfidence: number
    readonly lowConfidence: number
    readonly unrated: number
  } | null
  /** Context tokens per chunk, where files came from and what context was left out; absent with context off. */
  readonly context?: ContextReport
}

/** The verdict as the report carries it. */
export interface JsonVerdict {
  readonly verdict: MergedVerdict['verdict']
  readonly confidence: number | null
  readonly incorrect: MergedVerdict['incorrect']
  readonly counts: MergedVerdict['counts']
}

/** Chunks planned and the ones that failed. */
export interface ChunkCounts {
  readonly total: number
  readonly failed: readonly FailedChunk[]
}

/** The run's facts the report carries besides its findings. */
export interface JsonReportFacts {
  readonly model: string
  readonly reviewedFiles: readonly string[]
  readonly skipped: readonly SkippedFile[]
  readonly chunks: ChunkCounts
  readonly usage: TokenUsage
  readonly costUsd?: number
  readonly overview?: string
  readonly risk?: RiskLevel
  readonly placement: PlacementResult
  readonly verdict?: MergedVerdict
  readonly confidence?: { readonly minConfidence: number; readonly lowConfidence: number; readonly unrated: number }
}

export interface JsonReportInput {
  readonly pullRequest: Pick<PullRequestInfo, 'owner' | 'repo' | 'pullNumber' | 'headSha' | 'baseSha'>
  readonly severityThreshold: Severity
  readonly findings: readonly ReportFinding[]
  /** What the summary shows (files, chunks, usage, overview), from the same run result. */
  readonly summary: JsonReportFacts
  readonly context?: ContextReport
}

/** The JSON report of a run result. */
export function renderRunReport(options: {
  readonly pullRequest: JsonReportInput['pullRequest']
  readonly result: RunResult
}): JsonReport {
  const { result } = options
  const { coverage, cost, overview } = result
  return renderJsonReport({
    pullRequest: options.pullRequest,
    severityThreshold: result.settings.severityThreshold,
    findings: result.reported,
    summary: {
      model: result.model,
      reviewedFiles: coverage.reviewedFiles,
      skipped: coverage.skipped,
      chunks: { total: coverage.chunks, failed: coverage.failedChunks },
      usage: result.usage,
      ...(cost.usd === undefined ? {} : { costUsd: cost.usd }),
      overview: overview.text,
      ...(overview.risk === undefined ? {} : { risk: overview.risk }),
      placement: result.findings.shown,
      verdict: result.verdict,
      confidence: {
        minConfidence: result.settings.minConfidence,
        lowConfidence: result.findings.lowConfidence.length,
        unrated: result.findings.unrated
      }
    },
    ...(result.context === undefined ? {} : { context: result.context })
  })
}

/** Builds the report object; the writer serialises it. */
export function renderJsonReport(input: JsonReportInput): JsonReport {
  const { findings, summary, pullRequest } = input
  const count = (status: ReportFinding['status']): number =>
    findings.filter((finding) => finding.status === status).length
  const asEntries = findings.map((finding) => ({ finding }))
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: TOOL_INFO,
    pullRequest: {
      owner: pullRequest.owner,
      repo: pullRequest.repo,
      number: pullRequest.pullNumber,
      headSha: pullRequest.headSha,
      baseSha: pullRequest.baseSha
    },
    model: summary.model,
    overview: { text: summary.overview ?? '', risk: summary.risk ?? null },
    severityThreshold: input.severityThreshold,
    maxSeverity: findMaxSeverity(asEntries),
    counts: {
      total: findings.length,
      inline: count('inline'),
      summaryOnly: count('summary-only'),
      belowThreshold: count('below-threshold'),
      alreadyPosted: count('already-posted'),
      earlier: count('earlier'),
      duplicatesDropped: summary.placement.duplicates,
      bySeverity: countBySeverity(asEntries)
    },
    findings,
    files: { reviewed: summary.reviewedFiles, skipped: summary.skipped },
    chunks: summary.chunks,
    usage: summary.usage,
    costUsd: summary.costUsd ?? null,
    verdict: summary.verdict === undefined ? null : toJsonVerdict(summary.verdict),
    confidence: summary.confidence ?? null,
    ...(input.context === undefined ? {} : { context: input.context })
  }
}

function toJsonVerdict(verdict: MergedVerdict): JsonVerdict {
  return {
    verdict: verdict.verdict,
    confidence: verdict.confidence ?? null,
    incorrect: verdict.incorrect,
    counts: verdict.counts
  }
}
