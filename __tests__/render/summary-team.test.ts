import { renderSummary } from '../../src/render/summary.js'
import { type SummaryInput } from '../../src/render/summary-input.js'
import { ZERO_USAGE } from '../../src/types.js'

function makeInput(overrides: Partial<SummaryInput> = {}): SummaryInput {
  return {
    headSha: 'f'.repeat(40),
    model: 'openai/gpt-5-1-codex-mini',
    reviewedFiles: ['src/app.ts'],
    skipped: [],
    chunks: { total: 1, failed: [] },
    placement: { inline: [], summaryOnly: [], duplicates: 0 },
    inlinePosted: 0,
    usage: ZERO_USAGE,
    ...overrides
  }
}

describe('the summary: overview and risk, held-back findings', () => {
  it('opens with the overview and the overall risk, before the counts', () => {
    const text = renderSummary(
      makeInput({ overview: '- (high risk) Rewrites auth.\n- (low risk) Adds tests.', risk: 'high' })
    )
    const overview = text.indexOf('### Overview\n\n**Risk: high**\n\n- (high risk) Rewrites auth.')
    expect(overview).toBeGreaterThan(0)
    expect(overview).toBeLessThan(text.indexOf('**0 findings**'))
  })

  it('shows the risk even when the model wrote no overview, and nothing when it gave neither', () => {
    expect(renderSummary(makeInput({ risk: 'low' }))).toContain('### Overview\n\n**Risk: low**')
    expect(renderSummary(makeInput())).not.toContain('### Overview')
  })

  it('counts findings below the severity threshold without listing them', () => {
    const text = renderSummary(
      makeInput({
        belowThreshold: { threshold: 'medium', counts: { critical: 0, high: 0, medium: 0, low: 2, nit: 1 } }
      })
    )
    expect(text).toContain('3 more findings below the `medium` severity threshold, not shown (2 low, 1 nit).')
    expect(text).not.toContain('Findings not posted inline')
  })

  it('says nothing about the threshold when nothing was held back', () => {
    const text = renderSummary(
      makeInput({
        belowThreshold: { threshold: 'medium', counts: { critical: 0, high: 0, medium: 0, low: 0, nit: 0 } }
      })
    )
    expect(text).not.toContain('threshold')
  })
})
