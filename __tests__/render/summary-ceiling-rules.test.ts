import type { CostCeilingReport } from '../../src/engine/ceiling-report.js'
import type { RulesReport } from '../../src/engine/chunk-guidance.js'
import { MAX_CEILING_ITEMS, renderCeilingSection } from '../../src/render/summary-ceiling.js'
import { MAX_RULE_ITEMS, renderRulesSection } from '../../src/render/summary-rules.js'

const CEILING: CostCeilingReport = {
  source: 'max-cost-usd',
  ceilingUsd: 0.05,
  maxRunUsd: 0.05,
  spentBeforeUsd: 0,
  spentUsd: 0.0431,
  estimatedUsd: 0.09,
  plannedUsd: 0.045,
  notReviewed: [
    { id: 4, paths: ['docs/a.md'], neededUsd: 0.02, when: 'planned' },
    { id: 2, paths: ['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/d.ts'], neededUsd: 0.025, when: 'during the run' }
  ],
  neededUsd: 0.045,
  followUpsRefused: 1
}

describe('renderCeilingSection', () => {
  it('shows spent against the ceiling, the order, and each chunk not reviewed with what it needed', () => {
    const section = renderCeilingSection(CEILING)
    expect(section).toContain('### Cost ceiling')
    expect(section).toContain('**Spent:** $0.0431 of $0.0500 this run may spend (`max-cost-usd`).')
    expect(section).toContain('order of importance (source before tests before docs;')
    expect(section).toContain(
      '**Not reviewed: cost ceiling** — 2 chunk(s), which would have needed about $0.0450 more:'
    )
    expect(section).toContain('- Chunk 4: `docs/a.md`: about $0.0200 (left out by the plan)')
    expect(section).toContain(
      '- Chunk 2: `src/a.ts`, `src/b.ts`, `src/c.ts` +1 more: about $0.0250 (refused during the run: the real spending left too little)'
    )
    expect(section).toContain('1 further request(s) (an escalation, a verification or a retry) were not sent')
  })

  it("adds the pull request's total when max-pr-cost-usd is set", () => {
    const section = renderCeilingSection({
      ...CEILING,
      source: 'max-pr-cost-usd',
      ceilingUsd: 0.03,
      maxPullUsd: 0.1,
      spentBeforeUsd: 0.07,
      spentUsd: 0.0299,
      notReviewed: [],
      neededUsd: 0,
      followUpsRefused: 0
    })
    expect(section).toContain('**Spent:** $0.0299 of $0.0300 this run may spend (`max-pr-cost-usd`).')
    expect(section).toContain(
      '**This pull request:** $0.0999 of $0.1000 (`max-pr-cost-usd`): $0.0700 by earlier runs, $0.0299 by this one.'
    )
    expect(section).toContain('The review was estimated at $0.0900 and fit.')
    expect(section).not.toContain('further request')
  })

  it('is empty without a ceiling, bounded with many chunks, and safe with hostile paths', () => {
    expect(renderCeilingSection(undefined)).toBe('')
    const many = Array.from({ length: MAX_CEILING_ITEMS + 3 }, (_, index) => ({
      id: index + 1,
      paths: ['@octocat <img src=x>.ts'],
      neededUsd: 0.001,
      when: 'planned' as const
    }))
    const section = renderCeilingSection({ ...CEILING, notReviewed: many })
    expect(section).toContain('- … and 3 more chunks')
    expect(section).not.toMatch(/(^|[^\u200d`])@octocat/)
  })
})

const RULES: RulesReport = {
  origin: 'the base commit 0123456789ab',
  maxTokens: 2_000,
  read: ['AGENTS.md', 'CLAUDE.md', 'packages/api/AGENTS.md'],
  used: ['AGENTS.md', 'packages/api/AGENTS.md'],
  omitted: [{ source: 'packages/api/AGENTS.md', tokens: 2_500, requests: 2 }],
  notes: ['CLAUDE.md: no review section (a heading such as "Review guidelines"); not used.']
}

describe('renderRulesSection', () => {
  it('names the files read and used, what the cap left out and why others were not used', () => {
    const section = renderRulesSection(RULES)
    expect(section).toContain('### Review rules')
    expect(section).toContain(
      'Read at the base commit 0123456789ab (`rules-max-tokens`: 2,000 per request): `AGENTS.md`, `CLAUDE.md`, `packages/api/AGENTS.md`.'
    )
    expect(section).toContain('- **Used:** `AGENTS.md`, `packages/api/AGENTS.md`.')
    expect(section).toContain(
      '- **Left out by the cap:** `packages/api/AGENTS.md` (2,500 tokens) in 2 request(s); raise `rules-max-tokens` to include it.'
    )
    expect(section).toContain('- CLAUDE.md: no review section')
  })

  it('says when none was read, and bounds long lists', () => {
    expect(renderRulesSection(undefined)).toBe('')
    expect(renderRulesSection({ ...RULES, origin: '', read: [], used: [], omitted: [] })).toContain(
      'No rule file was read.'
    )
    const paths = Array.from({ length: MAX_RULE_ITEMS + 2 }, (_, index) => `d${index}/AGENTS.md`)
    expect(renderRulesSection({ ...RULES, read: paths })).toContain('and 2 more.')
  })
})
