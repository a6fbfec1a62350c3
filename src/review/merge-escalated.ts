/**
 * Merges the two reviews of a chunk the review model rated risky (`escalate-on-risk`): the review model's
 * findings and the escalation model's, from the same chunk and the same instructions. Pure.
 *
 * Two findings are the same observation when they share a fingerprint (same path, same normalized title), or
 * when they are on the same path, in the same category, on overlapping lines: the escalation model reviewed the
 * exact text the first model saw, so a finding of the same kind on the same lines is the same problem in other
 * words, and posting both would say it twice. The escalation model's finding is kept (its wording, severity and
 * lines: it is the stronger model and looked at the whole chunk again); its confidence wins, and only when it
 * gave none does a duplicate's stated confidence stand in (an unknown score is not a low one). Findings only the
 * review model made are kept too: a second look that missed something is no evidence it is wrong.
 */
import type { ModelFinding } from '../types.js'
import { fingerprintFinding } from './fingerprint.js'

export interface MergedFindings {
  /** The escalation model's findings, then the review model's that duplicate none of them, each in its order. */
  readonly findings: ModelFinding[]
  /** Findings of the review model dropped as duplicates. */
  readonly duplicates: number
}

interface LineRange {
  readonly from: number
  readonly to: number
}

function rangeOf(finding: ModelFinding): LineRange {
  const start = finding.startLine ?? finding.line
  return { from: Math.min(start, finding.line), to: Math.max(start, finding.line) }
}

/** True when `a` and `b` report the same problem (see the module comment). */
export function isSameObservation(a: ModelFinding, b: ModelFinding): boolean {
  if (fingerprintFinding(a) === fingerprintFinding(b)) return true
  if (a.path !== b.path || a.category !== b.category) return false
  const x = rangeOf(a)
  const y = rangeOf(b)
  return x.from <= y.to && y.from <= x.to
}

/** Both reviews' findings without duplicates, the escalation model's preferred (see the module comment). */
export function mergeEscalatedFindings(options: {
  readonly primary: readonly ModelFinding[]
  readonly escalation: readonly ModelFinding[]
}): MergedFindings {
  const matched = new Set<ModelFinding>()
  const escalated = options.escalation.map((finding) => {
    const twins = options.primary.filter((candidate) => isSameObservation(finding, candidate))
    for (const twin of twins) matched.add(twin)
    if (finding.confidence !== undefined) return finding
    const stated = twins.map((twin) => twin.confidence).find((confidence) => confidence !== undefined)
    return stated === undefined ? finding : { ...finding, confidence: stated }
  })
  const rest = options.primary.filter((finding) => !matched.has(finding))
  return { findings: [...escalated, ...rest], duplicates: matched.size }
}
