import { renderJsonReport, REPORT_SCHEMA_VERSION } from '../../src/report/json-report.js'
import { collectReportFindings } from '../../src/engine/run-findings.js'
import { ZERO_USAGE } from '../../src/types.js'
import { BELOW, LINE_INDEX, PLACEMENT } from './report-fixtures.js'

describe('renderJsonReport', () => {
  const findings = collectReportFindings({ placement: PLACEMENT, belowThreshold: BELOW, lineIndex: LINE_INDEX })
  const report = renderJsonReport({
    pullRequest: { owner: 'o', repo: 'r', pullNumber: 3, headSha: 'h'.repeat(40), baseSha: 'b'.repeat(40) },
    severityThreshold: 'low',
    findings,
    summary: {
      model: 'openai/gpt-5-1-codex-mini',
      reviewedFiles: ['src/my file.ts'],
      skipped: [{ path: 'package-lock.json', reason: 'lockfile', detail: 'lockfile' }],
      chunks: { total: 2, failed: [{ id: 2, paths: ['src/b.ts'], error: 'HTTP 500' }] },
      usage: ZERO_USAGE,
      costUsd: 0.0012,
      overview: '- (high risk) Rewrites auth.',
      risk: 'high',
      placement: PLACEMENT
    }
  })

  it('counts findings by status and severity and names the highest', () => {
    expect(report.schemaVersion).toBe(REPORT_SCHEMA_VERSION)
    expect(report.maxSeverity).toBe('critical')
    expect(report.counts).toEqual({
      alreadyPosted: 0,
      earlier: 0,
      total: 4,
      inline: 1,
      summaryOnly: 2,
      belowThreshold: 1,
      duplicatesDropped: 1,
      bySeverity: { critical: 1, high: 1, medium: 1, low: 0, nit: 1 }
    })
  })

  it('carries the pull request, overview, files, chunks and cost, and survives a JSON round trip', () => {
    expect(report).toMatchObject({
      pullRequest: { owner: 'o', repo: 'r', number: 3 },
      overview: { text: '- (high risk) Rewrites auth.', risk: 'high' },
      severityThreshold: 'low',
      files: { reviewed: ['src/my file.ts'], skipped: [{ path: 'package-lock.json', reason: 'lockfile' }] },
      chunks: { total: 2, failed: [{ id: 2 }] },
      costUsd: 0.0012
    })
    expect(JSON.parse(JSON.stringify(report))).toEqual(report)
  })
})
