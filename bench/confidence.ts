/**
 * What `min-confidence` does to the noise: every chunk of a real diff gets the loopback reviewer's answer in
 * noisy mode (the planted findings at confidence 0.9 plus doubtful ones on real lines), through the real schema
 * validation and placement, placed once without the threshold and once with the default one. Counts the inline
 * comments, the planted findings among them, and what the threshold moved to the summary's low-confidence list.
 */
import { DEFAULTS } from '../src/config/review-settings.js'
import type { PreparedReview } from '../src/engine/prepare.js'
import { buildResponsesRequest } from '../src/model/build-request.js'
import { validateFindingsPayload } from '../src/model/findings-schema.js'
import { applyConfidenceThreshold } from '../src/review/confidence-gate.js'
import { placeFindings } from '../src/review/place-findings.js'
import type { ModelFinding } from '../src/types.js'
import { NOISE_TITLE_PREFIX, scriptFindings } from '../__fixtures__/model/scripted-reviewer.js'

export interface ConfidenceFigures {
  readonly maxComments: number
  readonly planted: number
  readonly noise: number
  /** Inline comments with every finding considered (min-confidence 0). */
  readonly inlineWithout: number
  readonly plantedInlineWithout: number
  /** Inline comments at the default min-confidence. */
  readonly inlineWith: number
  readonly plantedInlineWith: number
  readonly noiseInlineWith: number
  /** Held back by the threshold, listed collapsed in the summary. */
  readonly lowConfidence: number
  /** Planted findings neither inline nor in the summary's lists: must be 0. */
  readonly plantedLost: number
}

/** The noisy answers for every chunk of the plan, validated as the model client validates them. */
function answerEveryChunk(prepared: PreparedReview): ModelFinding[] {
  return prepared.plan.chunks.flatMap((chunk) => {
    const body = buildResponsesRequest({
      model: DEFAULTS.model,
      reasoningEffort: DEFAULTS.reasoningEffort,
      maxOutputTokens: DEFAULTS.maxOutputTokens,
      chunk,
      pullRequest: { title: 'bench', body: '' }
    })
    const request = { method: 'POST', path: '/v1/responses', headers: {}, body }
    return validateFindingsPayload(scriptFindings(request, { noisy: true }), chunk.id).findings
  })
}

const isNoise = (finding: ModelFinding): boolean => finding.title.startsWith(NOISE_TITLE_PREFIX)

/** Inline comments with and without the default threshold, at each `max-comments`. */
export function measureConfidence(prepared: PreparedReview, maxComments: readonly number[]): ConfidenceFigures[] {
  const findings = answerEveryChunk(prepared)
  const base = { lineIndex: prepared.lineIndex, reviewedPaths: prepared.reviewedPaths }
  return maxComments.map((limit) => {
    const without = placeFindings(findings, { ...base, maxComments: limit })
    const placed = placeFindings(findings, { ...base, maxComments: limit, minConfidence: DEFAULTS.minConfidence })
    const split = applyConfidenceThreshold(placed, DEFAULTS.minConfidence)
    const listed = [...split.placement.inline, ...split.placement.summaryOnly, ...split.lowConfidence]
    const plantedListed = listed.filter((entry) => !isNoise(entry.finding)).length
    const planted = findings.filter((finding) => !isNoise(finding)).length
    return {
      maxComments: limit,
      planted,
      noise: findings.length - planted,
      inlineWithout: without.inline.length,
      plantedInlineWithout: without.inline.filter((entry) => !isNoise(entry.finding)).length,
      inlineWith: split.placement.inline.length,
      plantedInlineWith: split.placement.inline.filter((entry) => !isNoise(entry.finding)).length,
      noiseInlineWith: split.placement.inline.filter((entry) => isNoise(entry.finding)).length,
      lowConfidence: split.lowConfidence.length,
      plantedLost: planted - plantedListed
    }
  })
}
