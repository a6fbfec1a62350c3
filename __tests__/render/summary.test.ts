import { ZERO_WIDTH_JOINER as ZWJ } from '../../src/markdown/sanitize.js'
import { renderJobSummaryMarkdown, renderReviewBody, renderSummary } from '../../src/render/summary.js'
import { SUMMARY_MARKER, type SummaryInput } from '../../src/render/summary-input.js'
import { MAX_COMMENT_CHARS, SUMMARY_BUDGET_CHARS } from '../../src/markdown/limits.js'
import { SEVERITIES, ZERO_USAGE } from '../../src/types.js'
import type { ModelFinding, PlacedFinding, SkippedFile, UnplacedFinding } from '../../src/types.js'

function makeFinding(overrides: Partial<ModelFinding> = {}): ModelFinding {
  return {
    path: 'src/app.ts',
    line: 12,
    startLine: null,
    severity: 'medium',
    category: 'bug',
    title: 'A finding',
    body: 'Body text.',
    replacement: null,
    chunkId: 1,
    ...overrides
  }
}

function placed(finding: ModelFinding): PlacedFinding {
  return { finding, path: finding.path, line: finding.line, fingerprint: 'aaaaaaaaaaaa' }
}

function unplaced(finding: ModelFinding, reason: string): UnplacedFinding {
  return { finding, reason, fingerprint: 'bbbbbbbbbbbb' }
}

function makeInput(overrides: Partial<SummaryInput> = {}): SummaryInput {
  return {
    headSha: '0123456789abcdef0123456789abcdef01234567',
    model: 'openai/gpt-5-1-codex-mini',
    reviewedFiles: ['src/app.ts', 'src/util.ts'],
    skipped: [],
    chunks: { total: 2, failed: [] },
    placement: { inline: [], summaryOnly: [], duplicates: 0 },
    inlinePosted: 0,
    usage: ZERO_USAGE,
    ...overrides
  }
}

describe('renderSummary', () => {
  it('starts with the marker and a heading, and reports an empty run plainly', () => {
    const text = renderSummary(makeInput())
    expect(text.split('\n')[0]).toBe(SUMMARY_MARKER)
    expect(text).toContain('## 🤖 Codex PR review')
    expect(text).toContain('**0 findings**')
    expect(text).toContain('**Reviewed:** 2 files in 2 chunks.')
    expect(text).toContain('reviewed head `0123456789abcdef0123456789abcdef01234567`')
    expect(text).not.toContain('shortened')
  })

  it('counts findings by severity across inline and summary-only', () => {
    const text = renderSummary(
      makeInput({
        placement: {
          inline: [placed(makeFinding({ severity: 'high' })), placed(makeFinding({ severity: 'high', line: 20 }))],
          summaryOnly: [unplaced(makeFinding({ severity: 'nit' }), 'line 99 is not part of the diff')],
          duplicates: 1
        },
        inlinePosted: 2
      })
    )
    expect(text).toContain('**3 findings**: 2 posted inline, 1 listed below only, 1 duplicate dropped.')
    expect(text).toContain('| 🔴 High | 2 | 0 | 2 |')
    expect(text).toContain('| ⚪ Nit | 0 | 1 | 1 |')
    expect(text).toContain('| 🚨 Critical | 0 | 0 | 0 |')
  })

  it('lists each finding not posted inline with severity, location, title, reason and body', () => {
    const finding = makeFinding({
      severity: 'critical',
      path: 'lib/x.ts',
      line: 40,
      startLine: 38,
      title: 'SQL injection',
      body: 'Use $1 params, not `$&`.'
    })
    const summaryOnly = [unplaced(finding, 'over the max-comments limit (0)')]
    const text = renderSummary(makeInput({ placement: { inline: [], summaryOnly, duplicates: 0 } }))
    expect(text).toContain('### Findings not posted inline (1)')
    expect(text).toContain(
      '**🚨 Critical · bug** — SQL injection<br>\n`lib/x.ts:38–40` · not inline: over the max-comments limit (0)'
    )
    expect(text).toContain('<details><summary>Details</summary>\n\nUse $1 params, not `$&`.\n\n</details>')
  })

  it('lists inline findings GitHub did not accept', () => {
    const inline = [placed(makeFinding({ title: 'posted' })), placed(makeFinding({ title: 'not posted', line: 30 }))]
    const text = renderSummary(makeInput({ placement: { inline, summaryOnly: [], duplicates: 0 }, inlinePosted: 1 }))
    expect(text).toContain('not posted<br>\n`src/app.ts:30` · not inline: its inline comment could not be posted')
    expect(text).not.toContain('— posted<br>')
    expect(text).toContain('1 posted inline, 1 listed below only')
  })

  it('lists every skipped file and every failed chunk, warning that they were not reviewed', () => {
    const skipped: SkippedFile[] = [
      { path: 'package-lock.json', reason: 'lockfile', detail: 'matches package-lock.json' },
      { path: 'dist/a|b.js', reason: 'build-output', detail: 'under dist/' },
      { path: 'logo.png', reason: 'binary', detail: '' }
    ]
    const failed = [
      { id: 3, paths: ['src/big.ts'], error: '500 Generation timeout' },
      {
        id: 5,
        paths: Array.from({ length: 12 }, (_, i) => `src/f${i}.ts`),
        error: 'status incomplete: max_output_tokens'
      }
    ]
    const text = renderSummary(makeInput({ skipped, chunks: { total: 6, failed } }))
    expect(text).toContain('### Files not reviewed (3)')
    expect(text).toContain('| `package-lock.json` | lockfile: matches package-lock.json |')
    expect(text).toContain('| `dist/a\\|b.js` | build-output: under dist/ |')
    expect(text).toContain('| `logo.png` | binary |')
    expect(text).toContain('### ⚠️ Chunks that failed (2 of 6)')
    expect(text).toContain('**NOT reviewed**')
    expect(text).toContain('| 3 | `src/big.ts` | 500 Generation timeout |')
    expect(text).toContain('`src/f9.ts` +2 more | status incomplete: max_output_tokens |')
  })

  it('shows usage, cost, overview, diff source and notes; sanitizes model text', () => {
    const text = renderSummary(
      makeInput({
        usage: { inputTokens: 123_456, cachedInputTokens: 1_000, outputTokens: 7_890, reasoningTokens: 5_000 },
        costUsd: 0.01234,
        costIsBilled: true,
        overview: 'Refactors auth. cc @security <!-- codex-pr-review:summary -->',
        diffSource: 'listFiles (diff too large)',
        notes: ['Incremental review since abc123']
      })
    )
    expect(text).toContain(
      '**Tokens:** 123,456 input (1,000 cached), 7,890 output (5,000 reasoning) · **Cost:** $0.0123 (billed by the provider)'
    )
    expect(text).toContain(`Refactors auth. cc @${ZWJ}security`)
    expect(text.match(/<!--/g)).toHaveLength(1)
    expect(text).toContain('diff: listFiles (diff too large)')
    expect(text).toContain('### Notes\n\n- Incremental review since abc123')
    expect(renderSummary(makeInput({ costUsd: 0.5 }))).toContain('$0.5000 (estimated from list prices)')
    const manyNotes = renderSummary(makeInput({ notes: Array.from({ length: 25 }, (_, i) => `note ${i}`) }))
    expect(manyNotes).toContain('- note 19\n- … and 5 more notes')
  })

  it('stays under the limit with 5,000 findings and 3,000 skipped files and says what was cut', () => {
    const summaryOnly = Array.from({ length: 5_000 }, (_, i) =>
      unplaced(
        makeFinding({
          severity: SEVERITIES[i % SEVERITIES.length],
          path: `src/module-${i}/file.ts`,
          line: i + 1,
          title: `Finding number ${i}`,
          body: 'x'.repeat(3_000)
        }),
        'over the max-comments limit (25)'
      )
    )
    const skipped = Array.from({ length: 3_000 }, (_, i): SkippedFile => ({
      path: `vendor/pkg-${i}/index.js`,
      reason: 'vendored',
      detail: 'under vendor/'
    }))
    const reviewedFiles = Array.from({ length: 2_000 }, (_, i) => `src/module-${i}/file.ts`)
    const placement = { inline: [], summaryOnly, duplicates: 0 }
    const text = renderSummary(makeInput({ placement, skipped, reviewedFiles }))
    expect(text.length).toBeLessThanOrEqual(SUMMARY_BUDGET_CHARS)
    expect(text.length).toBeLessThan(MAX_COMMENT_CHARS)
    expect(text.startsWith(`${SUMMARY_MARKER}\n`)).toBe(true)
    expect(text).toContain("This summary was shortened to fit GitHub's comment size limit")
    expect(text).toContain('findings are not listed')
    expect(text).toMatch(/[\d,]+ rows of files not reviewed are not listed/)
    expect(text).toContain('### Files not reviewed (3,000)')
    expect(text).toContain('### Findings not posted inline (5,000)')
    expect(text).toContain('**Reviewed:** 2,000 files')
    // The most severe findings are the ones kept.
    expect(text).toContain('Finding number 0<br>')
  })

  it('groups long file lists by folder before cutting anything, then cuts bodies before the findings list', () => {
    const findingsWithBodies = (count: number, bodyLength: number): UnplacedFinding[] =>
      Array.from({ length: count }, (_, i) =>
        unplaced(makeFinding({ title: `F${i}`, body: 'b'.repeat(bodyLength) }), 'r')
      )
    const summaryOnly = findingsWithBodies(30, 1_500)
    const skipped = Array.from({ length: 3_000 }, (_, i): SkippedFile => ({
      path: `gen/${i}.ts`,
      reason: 'generated',
      detail: 'header'
    }))
    const text = renderSummary(makeInput({ placement: { inline: [], summaryOnly, duplicates: 0 }, skipped }))
    expect(text.length).toBeLessThanOrEqual(SUMMARY_BUDGET_CHARS)
    expect(text.match(/<summary>Details<\/summary>/g)).toHaveLength(30)
    expect(text).toContain('| `gen/` (3,000 files) | generated: header |')
    expect(text).not.toContain('not listed')
    expect(text).not.toContain('findings are left out')

    const heavy = findingsWithBodies(200, 4_000)
    const second = renderSummary(makeInput({ placement: { inline: [], summaryOnly: heavy, duplicates: 0 }, skipped }))
    expect(second.length).toBeLessThanOrEqual(SUMMARY_BUDGET_CHARS)
    expect(second).toContain('F199<br>')
    expect(second).toContain('findings are left out')
    expect(second).not.toContain('findings are not listed')
  })

  it('names every file not reviewed before it spends room on finding details', () => {
    const summaryOnly = Array.from({ length: 40 }, (_, i) =>
      unplaced(makeFinding({ title: `F${i}`, body: 'b'.repeat(3_000) }), 'r')
    )
    const skipped = Array.from({ length: 400 }, (_, i): SkippedFile => ({
      path: `pkg-${i}/x.bin`,
      reason: 'binary',
      detail: ''
    }))
    const text = renderSummary(makeInput({ placement: { inline: [], summaryOnly, duplicates: 0 }, skipped }))
    expect(text.length).toBeLessThanOrEqual(SUMMARY_BUDGET_CHARS)
    for (const file of skipped) expect(text).toContain(file.path)
    expect(text).toContain('findings are left out')
  })

  it('keeps the failed-chunk warning even when there are thousands of long errors', () => {
    const failed = Array.from({ length: 2_000 }, (_, id) => ({ id, paths: [`p${id}.ts`], error: 'e'.repeat(2_000) }))
    const text = renderSummary(makeInput({ chunks: { total: 2_000, failed } }))
    expect(text.length).toBeLessThanOrEqual(SUMMARY_BUDGET_CHARS)
    expect(text).toContain('### ⚠️ Chunks that failed (2,000 of 2,000)')
    expect(text).toContain('failed chunks are not listed')
  })
})

describe('renderJobSummaryMarkdown', () => {
  it('is the same report without the marker', () => {
    const text = renderJobSummaryMarkdown(makeInput())
    expect(text).not.toContain(SUMMARY_MARKER)
    expect(text.startsWith('## 🤖 Codex PR review')).toBe(true)
  })
})

describe('renderReviewBody', () => {
  it('states the inline count and ends with the run marker', () => {
    const runMarker = '<!-- codex-pr-review:run sha=abc1234 -->'
    const body = renderReviewBody({ headSha: 'abc1234', inlineCount: 1, runMarker })
    expect(body).toContain('**Codex PR review** of `abc1234`: 1 inline comment.')
    expect(body.endsWith('\n<!-- codex-pr-review:run sha=abc1234 -->')).toBe(true)
    expect(renderReviewBody({ headSha: 'a', inlineCount: 3, runMarker: '' })).toContain('3 inline comments')
  })
})
