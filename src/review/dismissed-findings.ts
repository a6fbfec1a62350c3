/**
 * Findings a person dismissed on this pull request (issue 13: a thread resolved without the code changing, a
 * reply the model accepted as a dismissal, a 👎 on the comment) are recorded by fingerprint, and a later run
 * that finds one again neither posts it nor counts it for `fail-on-severity`. The fingerprint is the finding's
 * path and normalised title (fingerprint.ts), so a dismissal holds wherever in that file the model raises the
 * same finding again, and ends when it words the title differently. Pure.
 */
import type { ModelFinding } from '../types.js'
import { citeFinding, type DedupeExistingOptions } from './dedupe-existing.js'

export interface DismissedSplit {
  readonly kept: readonly ModelFinding[]
  /** Found again, dismissed earlier: not posted, not counted. */
  readonly dismissed: readonly ModelFinding[]
}

/** Splits off the findings whose fingerprint (at the path placement would use) was dismissed. */
export function dropDismissed(
  findings: readonly ModelFinding[],
  options: Pick<DedupeExistingOptions, 'lineIndex' | 'reviewedPaths'> & { readonly dismissed: ReadonlySet<string> }
): DismissedSplit {
  if (options.dismissed.size === 0) return { kept: findings, dismissed: [] }
  const kept: ModelFinding[] = []
  const dismissed: ModelFinding[] = []
  for (const finding of findings) {
    if (options.dismissed.has(citeFinding(finding, options).fingerprint)) dismissed.push(finding)
    else kept.push(finding)
  }
  return { kept, dismissed }
}
