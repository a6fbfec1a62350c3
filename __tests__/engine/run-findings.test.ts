import { readFileSync } from 'node:fs'
import { collectReportFindings } from '../../src/engine/run-findings.js'
import { TOOL_INFO } from '../../src/report/tool-info.js'
import { fingerprintFinding } from '../../src/review/fingerprint.js'
import type { PostedFinding } from '../../src/review/dedupe-existing.js'
import { BELOW, FILE, LINE_INDEX, modelFinding, PLACEMENT } from '../report/report-fixtures.js'

function earlierComment(overrides: Partial<PostedFinding>): PostedFinding {
  return {
    commentId: 1,
    path: 'src/old.ts',
    line: 12,
    startLine: null,
    originalLine: 12,
    originalStartLine: null,
    fingerprint: 'fp-earlier',
    severity: 'high',
    heading: { category: 'security', title: 'Token logged' },
    authorLogin: 'github-actions[bot]',
    authorIsBot: true,
    ...overrides
  }
}

describe('collectReportFindings', () => {
  const findings = collectReportFindings({ placement: PLACEMENT, belowThreshold: BELOW, lineIndex: LINE_INDEX })

  it('lists every finding once, most severe first, with its status', () => {
    expect(findings.map((f) => [f.fingerprint, f.severity, f.status])).toEqual([
      ['fp-inline', 'critical', 'inline'],
      ['fp-far', 'high', 'summary-only'],
      ['fp-over', 'medium', 'summary-only'],
      ['fp-nit', 'nit', 'below-threshold']
    ])
  })

  it('uses the anchored lines of inline findings and checks the cited lines of the others', () => {
    const byFingerprint = new Map(findings.map((f) => [f.fingerprint, f]))
    expect(byFingerprint.get('fp-inline')).toMatchObject({ startLine: 2, endLine: 4, onDiffLines: true })
    expect(byFingerprint.get('fp-over')).toMatchObject({
      startLine: 3,
      endLine: 3,
      onDiffLines: true,
      reason: 'over the max-comments limit (1)'
    })
    expect(byFingerprint.get('fp-far')).toMatchObject({ startLine: 400, endLine: 400, onDiffLines: false })
    expect(byFingerprint.get('fp-nit')).toMatchObject({
      status: 'below-threshold',
      reason: 'below the severity threshold',
      onDiffLines: true
    })
  })
})

describe('collectReportFindings after a push', () => {
  const refound = modelFinding({ severity: 'medium', line: 2, title: 'Found again' })
  const findings = collectReportFindings({
    placement: PLACEMENT,
    belowThreshold: [],
    lineIndex: LINE_INDEX,
    alreadyPosted: [refound],
    earlier: [
      earlierComment({}),
      // Outdated: its code changed, and the new code was reviewed.
      earlierComment({ fingerprint: 'fp-outdated', line: null }),
      // The comment of the finding found again: reported once, as already-posted.
      earlierComment({ path: FILE.path, line: 2, fingerprint: fingerprintFinding(refound) }),
      // An inline finding of this run with the same fingerprint is not repeated either.
      earlierComment({ path: FILE.path, line: 4, fingerprint: 'fp-inline' })
    ]
  })

  it('keeps findings found again and earlier ones on unchanged code, each once', () => {
    expect(findings.map((f) => [f.fingerprint, f.status])).toEqual([
      ['fp-inline', 'inline'],
      ['fp-far', 'summary-only'],
      ['fp-earlier', 'earlier'],
      [fingerprintFinding(refound), 'already-posted'],
      ['fp-over', 'summary-only']
    ])
  })

  it('rebuilds an earlier finding from its comment, on the line GitHub holds it at', () => {
    expect(findings.find((f) => f.status === 'earlier')).toMatchObject({
      path: 'src/old.ts',
      startLine: 12,
      endLine: 12,
      severity: 'high',
      category: 'security',
      title: 'Token logged',
      onDiffLines: true
    })
  })
})

describe('TOOL_INFO', () => {
  it('carries the version of package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      name: string
      version: string
    }
    expect(TOOL_INFO).toMatchObject({ name: pkg.name, version: pkg.version })
  })
})
