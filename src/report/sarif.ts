/**
 * The SARIF 2.1.0 log that `github/codeql-action/upload-sarif` accepts: one run, one rule per finding
 * category (`codex-pr-review/bug`, ...), one result per finding at or above the severity threshold whose
 * lines are lines of the diff (a location code scanning can show). Pure.
 */
import type { Log, ReportingDescriptor, Result } from 'sarif'
import { CATEGORIES, type Category, type Severity } from '../types.js'
import type { ReportFinding } from '../engine/run-findings.js'
import { TOOL_INFO } from './tool-info.js'

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json'
/** Key of our fingerprint in `partialFingerprints`; versioned so a new algorithm does not clash. */
export const FINGERPRINT_KEY = 'codexPrReviewFinding/v1'
/** Longest message text; code scanning shows the start, the summary comment has the rest. */
export const MAX_SARIF_MESSAGE_CHARS = 4_000

/** critical/high fail a check's annotation as errors; low/nit are notes. */
export const SARIF_LEVELS: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  nit: 'note'
}

const RULE_DESCRIPTIONS: Readonly<Record<Category, string>> = {
  bug: 'A logic error or incorrect behaviour.',
  security: 'A security weakness: injection, secrets, unsafe input handling, authorization.',
  performance: 'A performance problem that matters at realistic sizes.',
  concurrency: 'A race condition or other concurrency problem.',
  'error-handling': 'Missing or wrong error handling.',
  maintainability: 'Code that is hard to change safely.',
  testing: 'A test that does not test what it claims, or a missing test.',
  documentation: 'Documentation that is wrong or missing where it matters.',
  style: 'A style issue that hides a problem.'
}

/** `codex-pr-review/error-handling` */
export function ruleIdOf(category: Category): string {
  return `${TOOL_INFO.name}/${category}`
}

function ruleOf(category: Category): ReportingDescriptor {
  const name = category
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')
  return {
    id: ruleIdOf(category),
    name,
    shortDescription: { text: `Code review: ${category}` },
    fullDescription: { text: RULE_DESCRIPTIONS[category] },
    helpUri: TOOL_INFO.informationUri,
    properties: { tags: category === 'security' ? ['security', 'code-review'] : ['code-review'] }
  }
}

/** A repository-relative path as a URI reference: each segment percent-encoded, slashes kept. */
export function toArtifactUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/')
}

function messageOf(finding: ReportFinding): string {
  const text = finding.body === '' ? finding.title : `${finding.title}\n\n${finding.body}`
  return text.length > MAX_SARIF_MESSAGE_CHARS ? `${text.slice(0, MAX_SARIF_MESSAGE_CHARS - 1)}…` : text
}

function resultOf(finding: ReportFinding): Result {
  return {
    ruleId: ruleIdOf(finding.category),
    ruleIndex: CATEGORIES.indexOf(finding.category),
    level: SARIF_LEVELS[finding.severity],
    message: { text: messageOf(finding) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toArtifactUri(finding.path), uriBaseId: '%SRCROOT%' },
          region: { startLine: finding.startLine, endLine: finding.endLine }
        }
      }
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    // SARIF's rank is a 0–100 priority; the model's confidence is the best one we have.
    ...(finding.confidence === undefined ? {} : { rank: Math.round(finding.confidence * 1000) / 10 }),
    properties: {
      severity: finding.severity,
      category: finding.category,
      status: finding.status,
      ...(finding.confidence === undefined ? {} : { confidence: finding.confidence })
    }
  }
}

/** Findings SARIF carries: not held back (by the severity threshold or min-confidence), and on lines of the diff. */
export function selectSarifFindings(findings: readonly ReportFinding[]): ReportFinding[] {
  return findings.filter(
    (finding) => finding.status !== 'below-threshold' && finding.status !== 'low-confidence' && finding.onDiffLines
  )
}

/** Renders the SARIF log. Every category is a rule (stable `ruleIndex`), whether or not it has results. */
export function renderSarif(input: { readonly findings: readonly ReportFinding[] }): Log {
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_INFO.name,
            version: TOOL_INFO.version,
            semanticVersion: TOOL_INFO.version,
            informationUri: TOOL_INFO.informationUri,
            rules: CATEGORIES.map(ruleOf)
          }
        },
        columnKind: 'utf16CodeUnits',
        results: selectSarifFindings(input.findings).map(resultOf)
      }
    ]
  }
}
