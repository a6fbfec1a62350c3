import type { FullReviewReason } from '../../src/state/plan-scope.js'
import type { HistoryEntry } from '../../src/state/review-state.js'
import type { ScopeReport } from '../../src/state/conclude-run.js'
import { renderAlreadyReviewedBody, renderHistoryBlock, renderScopeBlock } from '../../src/render/summary-scope.js'
import { SUMMARY_MARKER } from '../../src/render/summary-input.js'

const SHA = (digit: string): string => digit.repeat(40)

function report(overrides: Partial<ScopeReport> = {}): ScopeReport {
  return {
    scope: { kind: 'full', reason: 'first-review' },
    headSha: SHA('c'),
    baseRef: 'main',
    alreadyPosted: 0,
    outsidePull: 0,
    complete: true,
    recordedHead: SHA('c'),
    ...overrides
  }
}

describe('renderScopeBlock', () => {
  it.each<[FullReviewReason, Record<string, unknown>, string]>([
    ['first-review', {}, 'first review of this pull request.'],
    ['state-unverified', {}, 'could not be verified'],
    ['forced', {}, 'a full review was requested (`full-review: true`).'],
    ['base-changed', { previousBaseRef: 'main' }, 'the base branch changed from `main` to `main`.'],
    ['config-changed', { settings: ['model', 'language'] }, 'changed since the last review: `model`, `language`.'],
    [
      'force-push',
      { previousHead: SHA('a'), message: 'No common ancestor between a and c.' },
      'the branch was force-pushed: `aaaaaaa` (the last reviewed commit) is not an ancestor of the head. (GitHub: No common ancestor between a and c.)'
    ],
    [
      'branch-reset',
      { previousHead: SHA('a') },
      'the branch was reset to a commit before `aaaaaaa` (the last reviewed commit).'
    ],
    [
      'compare-too-large',
      { previousHead: SHA('a'), message: 'Sorry' },
      "too large for GitHub's compare diff. (GitHub: Sorry)"
    ],
    [
      'compare-failed',
      { previousHead: SHA('a'), message: 'GitHub answered 502' },
      'could not be compared. (GitHub: GitHub answered 502)'
    ]
  ])('says why a review is full: %s', (reason, extra, text) => {
    const block = renderScopeBlock(report({ scope: { kind: 'full', reason, ...extra } }))
    expect(block).toContain(`> **Full review** of \`ccccccc\`: `)
    expect(block).toContain(text)
  })

  it('says what an incremental review covered', () => {
    const block = renderScopeBlock(
      report({ scope: { kind: 'incremental', from: SHA('a'), commits: 3 }, outsidePull: 2, alreadyPosted: 1 })
    )
    expect(block).toContain(
      '**Incremental review** of `ccccccc`: only the changes in 3 new commits since `aaaaaaa`, the last reviewed commit'
    )
    expect(block).toContain('2 files changed since the last review but not by this pull request')
    expect(block).toContain('1 finding already posted by an earlier run was not posted again.')
  })

  it('says what an increment without new commits covered', () => {
    expect(renderScopeBlock(report({ scope: { kind: 'incremental', from: SHA('a'), commits: 0 } }))).toContain(
      'only the changes since `aaaaaaa`, the last reviewed commit, were sent to the model.'
    )
  })

  it('says that an already reviewed head was not sent again', () => {
    expect(renderScopeBlock(report({ scope: { kind: 'already-reviewed', head: SHA('c') } }))).toContain(
      '**Already reviewed** at `ccccccc`: no new commits since the last complete review'
    )
  })

  it.each([
    [SHA('a'), 'the next run reviews again from `aaaaaaa`.'],
    [null, 'the next run reviews the whole pull request again.']
  ])('says where an incomplete run leaves the next one (%s)', (recordedHead, text) => {
    expect(renderScopeBlock(report({ complete: false, recordedHead }))).toContain(text)
  })

  it('neutralises markup in a branch name and a GitHub message', () => {
    const block = renderScopeBlock(
      report({
        baseRef: 'x<!-- codex-pr-review:history -->`@team',
        scope: { kind: 'full', reason: 'base-changed', previousBaseRef: 'main' }
      })
    )
    expect(block.split('<!--')).toHaveLength(3)
    expect(block).not.toMatch(/(^|[^\u200d])@team/)
  })
})

describe('renderHistoryBlock', () => {
  const entries: HistoryEntry[] = [
    { head: SHA('a'), kind: 'full', complete: true, findings: 4, at: '2026-01-01T10:00:00.000Z' },
    {
      head: SHA('b'),
      kind: 'incremental',
      complete: false,
      findings: 1,
      at: '2026-01-02T11:30:00.000Z',
      from: SHA('a')
    },
    { head: SHA('b'), kind: 'skipped', complete: true, findings: 0, at: '2026-01-02T12:00:00.000Z' }
  ]

  it('lists the runs newest first', () => {
    const rows = renderHistoryBlock(entries)
      .split('\n')
      .filter((line) => line.startsWith('| `'))
    expect(rows).toEqual([
      '| `bbbbbbb` | already reviewed, nothing sent | – | 2026-01-02 12:00 UTC |',
      '| `bbbbbbb` | incremental since `aaaaaaa`, incomplete | 1 | 2026-01-02 11:30 UTC |',
      '| `aaaaaaa` | full, complete | 4 | 2026-01-01 10:00 UTC |'
    ])
    expect(renderHistoryBlock(entries)).toContain('Review history (3 runs)')
  })
})

describe('renderAlreadyReviewedBody', () => {
  const parts = {
    stateMarker: '<!-- codex-pr-review:state v1 NEW.00000000000000000000000000000000 -->',
    scopeBlock: renderScopeBlock(report({ scope: { kind: 'already-reviewed', head: SHA('c') } })),
    historyBlock: renderHistoryBlock([
      { head: SHA('c'), kind: 'skipped', complete: true, findings: 0, at: '2026-01-03T00:00:00.000Z' }
    ])
  }
  const previous = [
    '<!-- codex-pr-review:state v1 OLD.11111111111111111111111111111111 -->',
    '',
    '## 🤖 Codex PR review',
    '',
    renderScopeBlock(report()),
    '',
    '### Findings not posted inline (1)',
    '',
    renderHistoryBlock([]),
    '',
    '<sub>footer</sub>',
    '',
    SUMMARY_MARKER
  ].join('\n')

  it('swaps the state, scope and history and keeps the report', () => {
    const body = renderAlreadyReviewedBody(previous, parts)
    expect(body.startsWith(`${SUMMARY_MARKER}\n${parts.stateMarker}\n`)).toBe(true)
    expect(body).not.toContain('OLD.')
    expect(body).toContain('**Already reviewed**')
    expect(body).not.toContain('**Full review**')
    expect(body).toContain('### Findings not posted inline (1)')
    expect(body).toContain('Review history (1 run)')
    expect(body.split(SUMMARY_MARKER)).toHaveLength(2)
  })

  it('writes a short summary when there is no previous one to keep', () => {
    const body = renderAlreadyReviewedBody(undefined, parts)
    expect(body).toContain('## 🤖 Codex PR review')
    expect(body).toContain('**Already reviewed**')
    expect(body).toContain('Review history (1 run)')
  })
})
