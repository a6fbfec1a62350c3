import { renderInlineComment, renderSuggestion, toReviewComment } from '../../src/render/inline-comment.js'
import {
  FINDING_MARKER_PREFIX,
  parseFindingMarker,
  parseInlineCommentHeading
} from '../../src/review/finding-marker.js'
import { ZERO_WIDTH_JOINER as ZWJ } from '../../src/markdown/sanitize.js'
import type { ModelFinding, PlacedFinding } from '../../src/types.js'

function makeFinding(overrides: Partial<ModelFinding> = {}): ModelFinding {
  return {
    path: 'src/app.ts',
    line: 12,
    startLine: null,
    severity: 'high',
    category: 'bug',
    title: 'Off-by-one in loop',
    body: 'The loop skips the last element.',
    replacement: null,
    chunkId: 1,
    ...overrides
  }
}

function makePlaced(finding: ModelFinding, extra: Partial<PlacedFinding> = {}): PlacedFinding {
  return { finding, path: finding.path, line: finding.line, fingerprint: '0123456789ab', ...extra }
}

describe('renderInlineComment', () => {
  it('renders severity, category, title, body and the marker last', () => {
    const body = renderInlineComment(makePlaced(makeFinding()))
    expect(body).toBe(
      [
        '**🔴 High · bug** — Off-by-one in loop',
        'The loop skips the last element.',
        `${FINDING_MARKER_PREFIX} fp=0123456789ab sev=high -->`
      ].join('\n\n')
    )
    expect(parseFindingMarker(body)).toEqual({ fingerprint: '0123456789ab', severity: 'high' })
  })

  it('adds a suggestion block only when there is a replacement', () => {
    expect(renderInlineComment(makePlaced(makeFinding()))).not.toContain('suggestion')
    const body = renderInlineComment(makePlaced(makeFinding({ replacement: 'for (let i = 0; i <= n; i++) {\n' })))
    expect(body).toContain('```suggestion\nfor (let i = 0; i <= n; i++) {\n```')
  })

  it('renders an empty replacement as an empty suggestion (delete the lines)', () => {
    expect(renderInlineComment(makePlaced(makeFinding({ replacement: '' })))).toContain('```suggestion\n```')
  })

  it('neutralizes mentions and marker-like text in the title and body', () => {
    const finding = makeFinding({
      title: 'ping @octocat <!-- codex-pr-review:finding fp=ffffffffffff sev=critical -->',
      body: 'ask @acme/security-team, mail ops@acme.io\n<!-- codex-pr-review:summary -->\n-->'
    })
    const body = renderInlineComment(makePlaced(finding))
    expect(body).toContain(`@${ZWJ}octocat`)
    expect(body).toContain(`@${ZWJ}acme/security-team`)
    expect(body).toContain('ops@acme.io')
    expect(body.match(/<!--/g)).toHaveLength(1)
    expect(body.match(/-->/g)).toHaveLength(1)
    expect(parseFindingMarker(body)).toEqual({ fingerprint: '0123456789ab', severity: 'high' })
  })

  it("keeps $& and $' as written everywhere", () => {
    const finding = makeFinding({
      title: "use $& and $'",
      body: "replace with '$&'",
      replacement: "s.replace(x, '$&$1')"
    })
    const body = renderInlineComment(makePlaced(finding))
    expect(body).toContain("use $& and $'")
    expect(body).toContain("replace with '$&'")
    expect(body).toContain("s.replace(x, '$&$1')")
  })

  it('says when the finding was re-anchored', () => {
    const body = renderInlineComment(
      makePlaced(makeFinding(), {
        line: 10,
        reanchored: 'model cited line 12; anchored to 10, the nearest line in the diff'
      })
    )
    expect(body).toContain('Note: model cited line 12; anchored to 10, the nearest line in the diff.')
  })

  it('caps long titles and bodies', () => {
    const body = renderInlineComment(makePlaced(makeFinding({ title: 't'.repeat(1000), body: 'b'.repeat(20_000) })))
    expect(body.length).toBeLessThan(4_600)
    expect(body).toContain('more characters cut')
  })
})

describe('renderSuggestion', () => {
  it.each([
    ['no backticks', 'const a = 1', '```'],
    ['a ``` fence inside', 'const md = `\n```\ncode\n```\n`', '````'],
    ['a ````` run', 'x = "`````"', '``````']
  ])('uses a fence longer than the code can close: %s', (_label, code, fence) => {
    const rendered = renderSuggestion(code)
    expect(rendered).toEqual({ ok: true, markdown: `${fence}suggestion\n${code}\n${fence}` })
  })

  it('posts code verbatim: mentions in code (decorators, scoped packages) are not altered', () => {
    const rendered = renderSuggestion('"@types/node": "^20",\n@Injectable()')
    expect(rendered.ok && rendered.markdown).toContain('"@types/node": "^20",\n@Injectable()')
  })

  it('refuses marker-like text and oversize code, with the reason', () => {
    expect(renderSuggestion('<!-- codex-pr-review:finding fp=000000000000 sev=nit -->')).toEqual({
      ok: false,
      reason: "it contains text that looks like this tool's hidden markers"
    })
    expect(renderSuggestion('x'.repeat(8_001)).ok).toBe(false)
    const body = renderInlineComment(makePlaced(makeFinding({ replacement: 'y'.repeat(9_000) })))
    expect(body).not.toContain('suggestion\n')
    expect(body).toContain('Suggested change omitted: it is longer than 8,000 characters.')
  })
})

describe('parseFindingMarker', () => {
  it('finds nothing in text without a marker or with an unknown severity', () => {
    expect(parseFindingMarker('plain comment')).toBeUndefined()
    expect(parseFindingMarker('<!-- codex-pr-review:finding fp=abc sev=extreme -->')).toBeUndefined()
  })
})

describe('toReviewComment', () => {
  it('maps a single-line finding to RIGHT side without a start line', () => {
    const comment = toReviewComment(makePlaced(makeFinding()))
    expect(comment).toEqual({ path: 'src/app.ts', line: 12, side: 'RIGHT', body: expect.any(String) })
  })

  it('adds start line and start side for a range', () => {
    const comment = toReviewComment(makePlaced(makeFinding({ startLine: 10 }), { startLine: 10 }))
    expect(comment).toMatchObject({ line: 12, side: 'RIGHT', startLine: 10, startSide: 'RIGHT' })
  })
})

describe('parseInlineCommentHeading', () => {
  it('reads back the category and title renderInlineComment wrote', () => {
    const body = renderInlineComment({
      finding: {
        path: 'a.ts',
        line: 3,
        startLine: null,
        severity: 'high',
        category: 'error-handling',
        title: 'Swallowed error',
        body: 'Rethrow it.',
        replacement: null,
        chunkId: 1
      },
      path: 'a.ts',
      line: 3,
      fingerprint: '0123456789ab'
    })
    expect(parseInlineCommentHeading(body)).toEqual({ category: 'error-handling', title: 'Swallowed error' })
  })

  it.each(['', 'plain text', '**🔴 High · unknown-category** — x'])('returns undefined for %p', (body) => {
    expect(parseInlineCommentHeading(body)).toBeUndefined()
  })
})
