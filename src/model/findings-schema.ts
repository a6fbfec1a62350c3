/**
 * The JSON shape the model must answer with, sent as a strict `text.format.json_schema` and checked
 * again on our side: strict mode constrains decoding, but a proxy may ignore it and a fenced or
 * truncated answer still reaches us as text.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { CATEGORIES, RISK_LEVELS, SEVERITIES, type Category, type ModelFinding, type RiskLevel, type Severity } from '../types.js'

/** How many schema problems an error message lists; the rest are counted. */
const MAX_LISTED_PROBLEMS = 5

/**
 * Strict-mode schema: every property listed in `required`, `additionalProperties: false` on every
 * object, optional values as a union with `null` (OpenAI Structured Outputs rules).
 */
export const FINDINGS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['overview', 'risk', 'findings'],
  properties: {
    overview: {
      type: 'string',
      description: 'One to three sentences: what this part of the change does and how risky it is.'
    },
    risk: {
      type: 'string',
      enum: [...RISK_LEVELS],
      description: 'How risky this part of the change is to merge.'
    },
    findings: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['path', 'line', 'start_line', 'severity', 'category', 'title', 'body', 'replacement'],
        properties: {
          path: { type: 'string', description: 'File path exactly as in the diff header.' },
          line: { type: 'integer', description: 'Last (or only) line, numbered in the new file.' },
          start_line: {
            type: ['integer', 'null'],
            description: 'First line of a multi-line range in the new file, or null for one line.'
          },
          severity: { type: 'string', enum: [...SEVERITIES] },
          category: { type: 'string', enum: [...CATEGORIES] },
          title: { type: 'string', description: 'One short sentence naming the problem.' },
          body: { type: 'string', description: 'Concise Markdown: why it is a problem and how to fix it.' },
          replacement: {
            type: ['string', 'null'],
            description: 'Exact replacement for lines start_line..line (complete lines), or null.'
          }
        }
      }
    }
  }
} as const

/** The payload as the schema describes it (snake_case, as the model writes it). */
interface RawFinding {
  path: string
  line: number
  start_line: number | null
  severity: Severity
  category: Category
  title: string
  body: string
  replacement: string | null
}

interface RawPayload {
  overview: string
  risk?: RiskLevel
  findings: RawFinding[]
}

/**
 * What we check: the same schema, except that `risk` may be missing. A provider that ignores strict mode
 * may leave it out, and a review without a risk level is still worth keeping, not worth a retry.
 */
const VALIDATION_SCHEMA = { ...FINDINGS_SCHEMA, required: ['overview', 'findings'] }

let compiled: ValidateFunction<RawPayload> | undefined

/** Compiles once, on first use: nothing runs at import time. */
function getValidator(): ValidateFunction<RawPayload> {
  if (compiled === undefined) {
    const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: true })
    compiled = ajv.compile<RawPayload>(VALIDATION_SCHEMA)
  }
  return compiled
}

function describeProblems(errors: readonly ErrorObject[]): string {
  const listed = errors
    .slice(0, MAX_LISTED_PROBLEMS)
    .map((error) => `${error.instancePath === '' ? '(root)' : error.instancePath} ${error.message ?? 'is invalid'}`)
  const more = errors.length > MAX_LISTED_PROBLEMS ? ` (and ${errors.length - MAX_LISTED_PROBLEMS} more)` : ''
  return listed.join('; ') + more
}

/** Code keeps its indentation; only trailing line breaks are dropped (a suggestion adds its own). */
function trimReplacement(replacement: string | null): string | null {
  return replacement === null ? null : replacement.replace(/[\r\n]+$/, '')
}

/**
 * A start line after the end, before line 1, or equal to it is not a range GitHub accepts
 * ("start_line must precede the end line"); keep the line the model cited and drop the range.
 */
function normaliseStartLine(startLine: number | null, line: number): number | null {
  if (startLine === null || startLine < 1 || startLine >= line) return null
  return startLine
}

function convertFinding(raw: RawFinding, index: number, chunkId: number): ModelFinding {
  const path = raw.path.trim()
  if (path === '') throw new Error(`/findings/${index}/path is empty`)
  // A line below 1 (a "file-level" finding) is kept: placement lists it in the summary with the reason,
  // where rejecting the answer would cost a retry and, the second time, every other finding of the chunk.
  return {
    path,
    line: raw.line,
    startLine: normaliseStartLine(raw.start_line, raw.line),
    severity: raw.severity,
    category: raw.category,
    title: raw.title.trim(),
    body: raw.body.trim(),
    replacement: trimReplacement(raw.replacement),
    chunkId
  }
}

/**
 * Validates a parsed model answer against {@link FINDINGS_SCHEMA} and converts it to our types.
 * Throws an Error naming the first problems when the payload does not fit.
 */
export function validateFindingsPayload(
  value: unknown,
  chunkId: number
): { findings: ModelFinding[]; overview: string; risk?: RiskLevel } {
  const validate = getValidator()
  if (!validate(value)) {
    throw new Error(`findings do not match the schema: ${describeProblems(validate.errors ?? [])}`)
  }
  return {
    overview: value.overview.trim(),
    ...(value.risk === undefined ? {} : { risk: value.risk }),
    findings: value.findings.map((raw, index) => convertFinding(raw, index, chunkId))
  }
}
