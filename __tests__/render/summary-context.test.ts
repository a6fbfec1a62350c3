import { MAX_LISTED_OMISSIONS, type ContextReport } from '../../src/engine/context-report.js'
import {
  MAX_CONTEXT_CHUNK_ROWS,
  MAX_CONTEXT_OMISSION_ROWS,
  renderContextSection
} from '../../src/render/summary-context.js'

const report = (overrides: Partial<ContextReport> = {}): ContextReport => ({
  budget: 4_000,
  sourceKind: 'api',
  source: 'the GitHub API at 1a2b3c4d5e6f',
  apiCalls: 2,
  crossFile: {
    available: false,
    reason: 'no checkout of the head in the workspace',
    howToEnable: 'add a checkout step'
  },
  chunks: [
    { id: 1, diffTokens: 10_296, contextTokens: 3_980, blocks: 12 },
    { id: 2, diffTokens: 7_934, contextTokens: 2_100, blocks: 8 }
  ],
  totalTokens: 6_080,
  shortened: 3,
  omitted: [
    { reason: 'too-large', path: 'src/big.json', what: 'the file', detail: '600000 bytes' },
    { reason: 'over-budget', path: 'src/a.ts', what: 'definition of purgeTree', chunk: 2 }
  ],
  omittedByReason: { 'too-large': 1, 'over-budget': 1 },
  ...overrides
})

describe('the summary’s context section', () => {
  it('shows tokens per chunk, the source, the missing cross-file context with how to enable it, and what was left out', () => {
    const text = renderContextSection(report())
    expect(text).toContain(
      '**Context:** 6,080 tokens of code around the change in 2 requests (at most 4,000 each), read from the GitHub API at 1a2b3c4d5e6f.'
    )
    expect(text).toContain(
      '> No definitions from other files were included: no checkout of the head in the workspace. To include them, add a checkout step.'
    )
    expect(text).toContain(
      'Context left out: 1 file too large, 1 over the context-tokens budget; 3 shown in part (cut to fit).'
    )
    expect(text).toContain('| 1 | 10,296 | 3,980 | 12 |')
    expect(text).toContain('| `src/big.json` | the file | all | file too large (600000 bytes) |')
    expect(text).toContain('| `src/a.ts` | definition of purgeTree | 2 | over the context-tokens budget |')
  })

  it('is absent with context off', () => {
    expect(renderContextSection(undefined)).toBe('')
  })

  it('neutralises hostile paths and names, and caps its rows', () => {
    const hostile = '@octo-org/team <!-- x --> `](javascript:alert(1))'
    const many = Array.from({ length: MAX_LISTED_OMISSIONS }, (_, index) => ({
      reason: 'over-budget' as const,
      path: `${hostile}/${index}.js`,
      what: `definition of ${hostile}`,
      chunk: 1
    }))
    const text = renderContextSection(
      report({
        chunks: Array.from({ length: 50 }, (_, index) => ({
          id: index + 1,
          diffTokens: 1,
          contextTokens: 1,
          blocks: 1
        })),
        omitted: many,
        omittedByReason: { 'over-budget': 500 }
      })
    )
    expect(text).not.toMatch(/(^|[^`\w])@octo-org/)
    expect(text).not.toContain('<!--')
    expect(text).toContain(`_… and ${50 - MAX_CONTEXT_CHUNK_ROWS} more chunks._`)
    expect(text).toContain(`_… and ${500 - MAX_CONTEXT_OMISSION_ROWS} more (counted above)._`)
    expect(text.length).toBeLessThan(12_000)
  })

  it('says how many names were looked up in other files when it could', () => {
    const text = renderContextSection(report({ crossFile: { available: true, names: 12, found: 5 } }))
    expect(text).toContain('Definitions in other files: found for 5 of 12 names the added lines use.')
  })
})
