/**
 * The order findings are preferred in: more severe first, then more confident. Shared by placement (dedupe
 * and ranking) and the confidence gate's list, so every list in the reports reads in the same order. Pure.
 */
import { SEVERITIES, type ModelFinding } from '../types.js'

/**
 * Higher confidence first. An unknown confidence (the answer gave none) sorts after every known one: a
 * stated score is evidence, a missing one is not, but neither is it a low score (see confidence-gate.ts).
 */
export function compareConfidence(a: number | undefined, b: number | undefined): number {
  if (a === undefined || b === undefined) return (a === undefined ? 1 : 0) - (b === undefined ? 1 : 0)
  return b - a
}

/** Severity (critical first), then confidence (higher first); 0 when both are the same. */
export function compareSeverityThenConfidence(
  a: Pick<ModelFinding, 'severity' | 'confidence'>,
  b: Pick<ModelFinding, 'severity' | 'confidence'>
): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || compareConfidence(a.confidence, b.confidence)
  )
}
