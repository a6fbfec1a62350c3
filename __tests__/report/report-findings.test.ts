import { readFileSync } from 'node:fs'
import { collectReportFindings } from '../../src/report/report-findings.js'
import { TOOL_INFO } from '../../src/report/tool-info.js'
import { BELOW, LINE_INDEX, PLACEMENT } from './report-fixtures.js'

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
    expect(byFingerprint.get('fp-over')).toMatchObject({ startLine: 3, endLine: 3, onDiffLines: true, reason: 'over the max-comments limit (1)' })
    expect(byFingerprint.get('fp-far')).toMatchObject({ startLine: 400, endLine: 400, onDiffLines: false })
    expect(byFingerprint.get('fp-nit')).toMatchObject({ status: 'below-threshold', reason: 'below the severity threshold', onDiffLines: true })
  })
})

describe('TOOL_INFO', () => {
  it('carries the version of package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string }
    expect(TOOL_INFO).toMatchObject({ name: pkg.name, version: pkg.version })
  })
})
