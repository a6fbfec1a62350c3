import type { Log } from 'sarif'
import { collectReportFindings } from '../../src/engine/run-findings.js'
import { FINGERPRINT_KEY, renderSarif, ruleIdOf, SARIF_LEVELS, toArtifactUri } from '../../src/report/sarif.js'
import { CATEGORIES } from '../../src/types.js'
import { BELOW, LINE_INDEX, PLACEMENT } from './report-fixtures.js'
import { compileSarifValidator } from '../../__fixtures__/report/sarif-schema.js'

const findings = collectReportFindings({ placement: PLACEMENT, belowThreshold: BELOW, lineIndex: LINE_INDEX })

describe('renderSarif', () => {
  const log = renderSarif({ findings })

  it('validates against the SARIF 2.1.0 schema', () => {
    const validate = compileSarifValidator()
    expect(validate(log) ? [] : validate.errors).toEqual([])
  })

  it('catches a broken log, so the validation above means something', () => {
    const validate = compileSarifValidator()
    const broken = structuredClone(log) as unknown as { runs: { results: { level: string }[] }[] }
    broken.runs[0]!.results[0]!.level = 'fatal'
    expect(validate(broken)).toBe(false)
  })

  it('declares one rule per category, with stable indexes', () => {
    const rules = log.runs[0]?.tool.driver.rules ?? []
    expect(rules.map((rule) => rule.id)).toEqual(CATEGORIES.map((category) => `codex-pr-review/${category}`))
    expect(log.runs[0]?.tool.driver).toMatchObject({
      name: 'codex-pr-review',
      informationUri: expect.stringMatching(/^https:\/\//)
    })
  })

  it('carries findings on diff lines at or above the threshold, not the held-back or unlocatable ones', () => {
    const results = log.runs[0]?.results ?? []
    expect(results.map((result) => result.partialFingerprints?.[FINGERPRINT_KEY])).toEqual(['fp-inline', 'fp-over'])
  })

  it('maps each finding to rule, level, message, location, fingerprint and severity', () => {
    const [first] = log.runs[0]?.results ?? []
    const rules = log.runs[0]?.tool.driver.rules ?? []
    expect(first).toEqual({
      ruleId: 'codex-pr-review/security',
      ruleIndex: CATEGORIES.indexOf('security'),
      level: 'error',
      message: { text: 'SQL injection\n\nUses `i + 1`.' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'src/my%20file.ts', uriBaseId: '%SRCROOT%' },
            region: { startLine: 2, endLine: 4 }
          }
        }
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: 'fp-inline' },
      properties: { severity: 'critical', category: 'security', status: 'inline' }
    })
    expect(rules[first?.ruleIndex ?? -1]?.id).toBe(first?.ruleId)
  })

  it.each([
    ['critical', 'error'],
    ['high', 'error'],
    ['medium', 'warning'],
    ['low', 'note'],
    ['nit', 'note']
  ] as const)('maps %s to the SARIF level %s', (severity, level) => {
    expect(SARIF_LEVELS[severity]).toBe(level)
  })

  it.each([
    ['src/a.ts', 'src/a.ts'],
    ['docs/a b#c?.md', 'docs/a%20b%23c%3F.md'],
    ['lib/ü.ts', 'lib/%C3%BC.ts']
  ])('writes %j as the relative URI %j', (path, uri) => {
    expect(toArtifactUri(path)).toBe(uri)
    expect(decodeURIComponent(uri)).toBe(path)
    expect(new URL(uri, 'file:///repo/').pathname).toBe(`/repo/${uri}`)
  })

  it('is a valid log with no results when there are no findings', () => {
    const empty: Log = renderSarif({ findings: [] })
    expect(compileSarifValidator()(empty)).toBe(true)
    expect(empty.runs[0]?.results).toEqual([])
    expect(ruleIdOf('error-handling')).toBe('codex-pr-review/error-handling')
  })
})
