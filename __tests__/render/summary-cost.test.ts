import { renderInlineComment } from '../../src/render/inline-comment.js'
import {
  MAX_ESCALATION_ITEMS,
  formatCost,
  renderEscalationSection,
  renderModelCostTable
} from '../../src/render/summary-cost.js'
import type { EscalationReport } from '../../src/engine/cost.js'
import { renderSummary } from '../../src/render/summary.js'
import { type SummaryInput } from '../../src/render/summary-input.js'
import { ZERO_USAGE, type ModelFinding } from '../../src/types.js'

const usage = { inputTokens: 12_345, cachedInputTokens: 1_024, outputTokens: 2_000, reasoningTokens: 1_500 }
const REPORT: EscalationReport = {
  model: 'openai/gpt-5-1-codex',
  escalatedChunks: [{ id: 2, paths: ['src/auth/login.ts'], ok: true }],
  verifySeverity: 'high',
  verifiedChunks: 1,
  confirmed: 1,
  rejected: [{ path: 'src/app.ts', line: 9, severity: 'critical', title: 'Not a real issue @octocat' }],
  unverified: 0,
  failedVerifications: 0,
  usage,
  usd: 0.0312,
  source: 'billed'
}

describe('formatCost', () => {
  it.each([
    [0.01234567, 'billed', '$0.0123 (billed)'],
    [0.5, 'partly billed', '$0.5000 (partly billed)'],
    [undefined, 'unknown', 'unknown (no list price)']
  ] as const)('%s %s → %s', (usd, source, expected) => {
    expect(formatCost(usd, source)).toBe(expected)
  })
})

describe('renderModelCostTable', () => {
  it('has one row per model with requests, the four token counts and the cost', () => {
    const table = renderModelCostTable([
      { model: 'openai/gpt-5-1-codex-mini', requests: 3, usage, usd: 0.004, source: 'estimated' },
      { model: 'acme/x', requests: 1, usage: ZERO_USAGE, source: 'unknown' }
    ])
    expect(table.split('\n')).toEqual([
      '| Model | Requests | Input | Cached input | Output | Reasoning | Cost |',
      '|---|---:|---:|---:|---:|---:|---|',
      '| `openai/gpt-5-1-codex-mini` | 3 | 12,345 | 1,024 | 2,000 | 1,500 | $0.0040 (estimated) |',
      '| `acme/x` | 1 | 0 | 0 | 0 | 0 | unknown (no list price) |'
    ])
    expect(renderModelCostTable([])).toBe('')
  })
})

describe('renderEscalationSection', () => {
  it('names the escalated chunks, the verification counts, the rejected findings and the cost', () => {
    const section = renderEscalationSection(REPORT)
    expect(section).toContain('### Escalation to `openai/gpt-5-1-codex`')
    expect(section).toContain('- Chunk 2: `src/auth/login.ts`')
    expect(section).toMatch(
      /2 finding\(s\) in 1 chunk\(s\) re-checked: 1 confirmed \(marked verified\), 1 rejected \(not posted\), 0 posted unverified/
    )
    expect(section).toContain('`src/app.ts:9`')
    expect(section).toContain('**Escalation cost:** $0.0312 (billed)')
    expect(section).not.toMatch(/(^|[^\u200d])@octocat/)
  })

  it('says which chunks were escalated by risk and why, what the merge kept, and which were refused', () => {
    const section = renderEscalationSection({
      ...REPORT,
      escalatedChunks: [],
      verifiedChunks: 0,
      rejected: [],
      confirmed: 0,
      escalateOnRisk: 'high',
      riskEscalatedChunks: [
        {
          id: 4,
          paths: ['src/pay.ts'],
          risk: 'high',
          ok: true,
          primaryFindings: 2,
          escalationFindings: 3,
          duplicates: 1
        },
        {
          id: 6,
          paths: ['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/d.ts'],
          risk: 'high',
          ok: false,
          primaryFindings: 1,
          escalationFindings: 0,
          duplicates: 0,
          error: 'not reviewed',
          failure: 'cost-ceiling'
        }
      ]
    })
    expect(section).toContain(
      '**Escalated by risk (`escalate-on-risk: high`):** 2 chunk(s) the review model rated risky; 1 reviewed again by `openai/gpt-5-1-codex`'
    )
    expect(section).toContain(
      '- Chunk 4 (rated high): `src/pay.ts`: 3 finding(s) from the escalation model, 2 from the review model, 1 duplicate(s) merged.'
    )
    expect(section).toContain(
      '- Chunk 6 (rated high): `src/a.ts`, `src/b.ts`, `src/c.ts` +1 more: not reviewed again (cost ceiling)'
    )
    expect(section).toContain('**Escalation cost:** $0.0312 (billed)')
  })

  it('warns when a verification failed', () => {
    expect(renderEscalationSection({ ...REPORT, failedVerifications: 1 })).toMatch(
      /verification of 1 chunk\(s\) failed: their findings were posted unverified/
    )
  })

  it('lists a bounded number of chunks', () => {
    const many = Array.from({ length: MAX_ESCALATION_ITEMS + 5 }, (_, index) => ({
      id: index + 1,
      paths: ['a.ts'],
      ok: true
    }))
    expect(renderEscalationSection({ ...REPORT, escalatedChunks: many })).toContain('… and 5 more chunks')
  })

  it('is empty when the escalation model did nothing', () => {
    expect(renderEscalationSection(undefined)).toBe('')
    expect(renderEscalationSection({ ...REPORT, escalatedChunks: [], verifiedChunks: 0 })).toBe('')
  })
})

describe('the summary with per-model costs', () => {
  const input: SummaryInput = {
    headSha: 'a'.repeat(40),
    model: 'openai/gpt-5-1-codex-mini',
    reviewedFiles: ['src/app.ts'],
    skipped: [],
    chunks: { total: 1, failed: [] },
    placement: { inline: [], summaryOnly: [], duplicates: 0 },
    inlinePosted: 0,
    usage,
    costUsd: 0.04,
    costIsBilled: false,
    costSource: 'partly billed',
    modelCosts: [{ model: 'openai/gpt-5-1-codex-mini', requests: 1, usage, usd: 0.04, source: 'partly billed' }],
    escalation: REPORT
  }

  it('shows the total, the per-model table and the escalation section', () => {
    const summary = renderSummary(input)
    expect(summary).toContain('**Cost:** $0.0400 (partly billed by the provider, the rest at list prices)')
    expect(summary).toContain('| `openai/gpt-5-1-codex-mini` | 1 | 12,345 |')
    expect(summary).toContain('### Escalation to `openai/gpt-5-1-codex`')
  })

  it('says the cost is unknown when part of it has no price', () => {
    const { costUsd: _usd, ...rest } = input
    expect(renderSummary({ ...rest, costSource: 'unknown' })).toContain('**Cost:** unknown')
  })
})

describe('the inline comment of a verified finding', () => {
  const finding: ModelFinding = {
    path: 'src/app.ts',
    line: 3,
    startLine: null,
    severity: 'critical',
    category: 'security',
    title: 'Token not checked',
    body: 'Check it.',
    replacement: null,
    chunkId: 1
  }
  it('says which model verified it, and nothing when it was not verified', () => {
    const placed = {
      finding: { ...finding, verifiedBy: 'openai/gpt-5-1-codex' },
      path: 'src/app.ts',
      line: 3,
      fingerprint: 'f'
    }
    expect(renderInlineComment(placed)).toContain('✅ Verified by openai/gpt-5-1-codex on a second look.')
    expect(renderInlineComment({ ...placed, finding })).not.toContain('Verified')
  })
})
