/**
 * When the escalation model is called in, decided without I/O: a chunk touching a file that matches
 * `escalate-paths` is reviewed by it instead of the review model, and findings at or above
 * `verify-severity` are re-checked by it before posting. Its verdicts decide what is posted.
 */
import picomatch from 'picomatch'
import { RISK_LEVELS, SEVERITIES, type Chunk, type ModelFinding, type RiskLevel, type Severity } from '../types.js'

/** A severity, or `off` (the settings' SeverityGate). */
export type VerifyGate = Severity | 'off'

/** The escalation model's answer about one finding. */
export type Verdict = 'confirmed' | 'rejected'

/** Tells whether a path matches one of the globs (picomatch, dotfiles included like the file filter). */
export type PathMatcher = (path: string) => boolean

/** Compiles `escalate-paths` once per run; with no globs nothing matches. */
export function createPathMatcher(globs: readonly string[]): PathMatcher {
  if (globs.length === 0) return () => false
  const matchers = globs.map((glob) => picomatch(glob, { dot: true }))
  return (path) => matchers.some((matches) => matches(path))
}

/**
 * Paths of the chunk's files that match, in chunk order, without repeats. A renamed file matches by its
 * old path too: moving `src/auth/` elsewhere is as risky as editing it.
 */
export function findEscalatedPaths(chunk: Chunk, matches: PathMatcher): string[] {
  const found = new Set<string>()
  for (const piece of chunk.pieces) {
    if (matches(piece.path) || (piece.previousPath !== undefined && matches(piece.previousPath))) found.add(piece.path)
  }
  return [...found]
}

/** `escalate-on-risk`: a risk level, or `off` (the settings' EscalateOnRisk). */
export type RiskGate = RiskLevel | 'off'

/**
 * True when the review model rated a chunk at or above the gate, so the escalation model reviews it again. A
 * chunk without a rating (a provider that ignored strict mode) is never escalated: no evidence of risk.
 */
export function meetsRiskGate(risk: RiskLevel | undefined, gate: RiskGate): boolean {
  return gate !== 'off' && risk !== undefined && RISK_LEVELS.indexOf(risk) <= RISK_LEVELS.indexOf(gate)
}

/** True when a finding of this severity must be re-checked: it is at or above the gate. */
export function needsVerification(severity: Severity, gate: VerifyGate): boolean {
  return gate !== 'off' && SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(gate)
}

/** The findings to re-check and the ones posted as they are, each list in the model's order. */
export function splitForVerification(
  findings: readonly ModelFinding[],
  gate: VerifyGate
): { toVerify: ModelFinding[]; rest: ModelFinding[] } {
  const toVerify = findings.filter((finding) => needsVerification(finding.severity, gate))
  const rest = findings.filter((finding) => !needsVerification(finding.severity, gate))
  return { toVerify, rest }
}

export interface AppliedVerdicts {
  /**
   * All findings in their order: rejected ones removed, confirmed ones marked `verifiedBy`, and every
   * re-checked one carrying the escalation model's confidence when it gave one.
   */
  readonly kept: ModelFinding[]
  readonly confirmed: number
  /** With the escalation model's confidence when it gave one (the reports show how sure the rejection was). */
  readonly rejected: ModelFinding[]
  /** Findings to verify that the answer said nothing about: kept, unmarked. */
  readonly unverified: number
}

/**
 * Applies verdicts keyed by each finding's index in `toVerify` (a subset of `findings`, same objects).
 * A finding without a verdict is kept unverified: a missing answer is not evidence that it is wrong.
 * Where the escalation model gave a confidence with its verdict, that confidence replaces the review
 * model's: it is the stronger model, it looked at the finding alone, and the min-confidence gate should
 * judge its estimate. A confidence without a verdict is ignored.
 */
export function applyVerdicts(options: {
  readonly findings: readonly ModelFinding[]
  readonly toVerify: readonly ModelFinding[]
  readonly verdicts: ReadonlyMap<number, Verdict>
  /** The escalation model's confidences, keyed like `verdicts` (verify-findings.ts `confidences`). */
  readonly confidences?: ReadonlyMap<number, number>
  readonly model: string
}): AppliedVerdicts {
  const kept: ModelFinding[] = []
  const rejected: ModelFinding[] = []
  let confirmed = 0
  let unverified = 0
  for (const finding of options.findings) {
    const index = options.toVerify.indexOf(finding)
    const verdict = index === -1 ? undefined : options.verdicts.get(index)
    const confidence = verdict === undefined ? undefined : options.confidences?.get(index)
    const rated = confidence === undefined ? finding : { ...finding, confidence }
    if (verdict === 'rejected') {
      rejected.push(rated)
      continue
    }
    if (verdict === 'confirmed') confirmed += 1
    if (index !== -1 && verdict === undefined) unverified += 1
    kept.push(verdict === 'confirmed' ? { ...rated, verifiedBy: options.model } : finding)
  }
  return { kept, confirmed, rejected, unverified }
}
