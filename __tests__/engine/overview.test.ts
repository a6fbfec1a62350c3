import { MAX_OVERVIEW_ITEMS, mergeOverviews } from '../../src/engine/overview.js'
import { ZERO_USAGE, type Chunk, type ChunkOutcome, type RiskLevel } from '../../src/types.js'

const chunk = (id: number): Chunk => ({ id, pieces: [], text: '', tokens: 0, changedLines: 0 })

function reviewed(id: number, overview: string, risk?: RiskLevel): ChunkOutcome {
  return {
    ok: true,
    chunk: chunk(id),
    review: {
      findings: [],
      overview,
      ...(risk === undefined ? {} : { risk }),
      usage: ZERO_USAGE,
      model: 'm',
      attempts: 1
    }
  }
}
const failed = (id: number): ChunkOutcome => ({
  ok: false,
  chunk: chunk(id),
  error: 'HTTP 500',
  usage: ZERO_USAGE,
  attempts: 3
})

describe('mergeOverviews', () => {
  it.each<[string, ChunkOutcome[], { text: string; risk?: RiskLevel }]>([
    ['nothing reviewed', [], { text: '' }],
    [
      'one chunk: its text as a paragraph',
      [reviewed(1, ' Adds a parser. ', 'low')],
      { text: 'Adds a parser.', risk: 'low' }
    ],
    [
      'several chunks: the highest risk, riskiest parts first, chunk order otherwise',
      [
        reviewed(1, 'Renames helpers.', 'low'),
        reviewed(2, 'Rewrites token refresh.', 'high'),
        reviewed(3, 'Adds tests.', 'low'),
        reviewed(4, 'Changes the cache key.', 'medium')
      ],
      {
        text: [
          '- (high risk) Rewrites token refresh.',
          '- (medium risk) Changes the cache key.',
          '- (low risk) Renames helpers.',
          '- (low risk) Adds tests.'
        ].join('\n'),
        risk: 'high'
      }
    ],
    [
      'repeats dropped, failed and silent chunks skipped, unrated parts last',
      [
        reviewed(1, 'Same.', 'medium'),
        failed(2),
        reviewed(3, 'Same.', 'low'),
        reviewed(4, ''),
        reviewed(5, 'Unrated part.')
      ],
      { text: '- (medium risk) Same.\n- Unrated part.', risk: 'medium' }
    ],
    ['no chunk gave a risk level', [reviewed(1, 'A.'), reviewed(2, 'B.')], { text: '- A.\n- B.' }]
  ])('%s', (_label, outcomes, expected) => {
    expect(mergeOverviews(outcomes)).toEqual(expected)
  })

  it('shows at most MAX_OVERVIEW_ITEMS parts and counts the rest', () => {
    const outcomes = Array.from({ length: MAX_OVERVIEW_ITEMS + 2 }, (_, i) => reviewed(i + 1, `Part ${i + 1}.`, 'low'))
    const { text } = mergeOverviews(outcomes)
    const lines = text.split('\n')
    expect(lines).toHaveLength(MAX_OVERVIEW_ITEMS + 1)
    expect(lines.at(-1)).toBe('- … and 2 more part(s) not summarised here.')
  })
})
