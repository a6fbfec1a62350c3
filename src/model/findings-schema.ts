/**
 * The JSON shape the model must answer with, sent as a strict `text.format.json_schema` and checked
 * again on our side: strict mode constrains decoding, but a proxy may ignore it and a fenced or
 * truncated answer still reaches us as text.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import {
  CATEGORIES,
  CORRECTNESS_VERDICTS,
  RISK_LEVELS,
  SEVERITIES,
  type Category,
  type ChunkVerdict,
  type Correctness,
  type ModelFinding,
  type RiskLevel,
  type Severity
} from '../types.js'

/** How many schema problems an error message lists; the rest are counted. */
const MAX_LISTED_PROBLEMS = 5

/**
 * A probability from 0 to 1. The range lives in the description and is enforced by {@link clampConfidence},
 * not by `minimum`/`maximum`: OpenAI accepts those keywords in strict mode only since mid-2025 and still not
 * for fine-tuned models, and before that answered `'minimum' is not permitted` with a 400 (liam-hq/liam#1162).
 * A gateway or an OpenAI-compatible server with an older validator would fail every request over it, while an
 * out-of-range number costs us nothing to clamp.
 */
const PROBABILITY = { type: 'number' } as const

/**
 * Strict-mode schema: every property listed in `required`, `additionalProperties: false` on every
 * object, optional values as a union with `null` (OpenAI Structured Outputs rules). Properties are in the
 * order the model writes them: a finding's confidence after its reasoning, the verdict after the findings.
 */
export const FINDINGS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['overview', 'risk', 'findings', 'verdict', 'verdict_reason', 'verdict_confidence'],
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
        required: ['path', 'line', 'start_line', 'severity', 'category', 'title', 'body', 'replacement', 'confidence'],
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
          body: { type: 'string', description: 'One short paragraph: when it happens, why it is wrong, the fix.' },
          replacement: {
            type: ['string', 'null'],
            description: 'Exact replacement for lines start_line..line (complete lines), or null.'
          },
          confidence: { ...PROBABILITY, description: 'From 0 to 1: how likely this is a real problem worth fixing.' }
        }
      }
    },
    verdict: {
      type: 'string',
      enum: [...CORRECTNESS_VERDICTS],
      description: 'Would this part of the change break existing behaviour or tests?'
    },
    verdict_reason: { type: 'string', description: 'One to three sentences justifying the verdict.' },
    verdict_confidence: { ...PROBABILITY, description: 'From 0 to 1: how sure the verdict is.' }
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
  confidence?: number | null
}

interface RawPayload {
  overview: string
  risk?: RiskLevel
  findings: RawFinding[]
  verdict?: Correctness
  verdict_reason?: string | null
  verdict_confidence?: number | null
}

/** Fields a provider that ignores strict mode may leave out (or send as null, for the numbers). */
const TOLERATED_MISSING = ['risk', 'verdict', 'verdict_reason', 'verdict_confidence', 'confidence']

const NULLABLE_PROBABILITY = { type: ['number', 'null'] }

/**
 * What we check: the same schema, except that the judgement fields may be missing, and the numbers null.
 * A provider that ignores strict mode may leave them out, and a review without them is still worth keeping,
 * not worth a retry; what was missing stays missing (see {@link validateFindingsPayload}).
 */
const VALIDATION_SCHEMA = {
  ...FINDINGS_SCHEMA,
  required: FINDINGS_SCHEMA.required.filter((name) => !TOLERATED_MISSING.includes(name)),
  properties: {
    ...FINDINGS_SCHEMA.properties,
    findings: {
      ...FINDINGS_SCHEMA.properties.findings,
      items: {
        ...FINDINGS_SCHEMA.properties.findings.items,
        required: FINDINGS_SCHEMA.properties.findings.items.required.filter(
          (name) => !TOLERATED_MISSING.includes(name)
        ),
        properties: { ...FINDINGS_SCHEMA.properties.findings.items.properties, confidence: NULLABLE_PROBABILITY }
      }
    },
    verdict_reason: { ...FINDINGS_SCHEMA.properties.verdict_reason, type: ['string', 'null'] },
    verdict_confidence: NULLABLE_PROBABILITY
  }
}

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

/**
 * A model's probability, clamped into 0..1 (the schema does not bound it: see PROBABILITY). Null or
 * missing stays undefined: an unknown confidence is recorded as unknown, never invented.
 */
export function clampConfidence(value: number | null | undefined): number | undefined {
  if (value === null || value === undefined || !Number.isFinite(value)) return undefined
  return Math.min(1, Math.max(0, value))
}

function convertFinding(raw: RawFinding, index: number, chunkId: number): ModelFinding {
  const path = raw.path.trim()
  if (path === '') throw new Error(`/findings/${index}/path is empty`)
  // A line below 1 (a "file-level" finding) is kept: placement lists it in the summary with the reason,
  // where rejecting the answer would cost a retry and, the second time, every other finding of the chunk.
  const confidence = clampConfidence(raw.confidence)
  return {
    path,
    line: raw.line,
    startLine: normaliseStartLine(raw.start_line, raw.line),
    severity: raw.severity,
    category: raw.category,
    title: raw.title.trim(),
    body: raw.body.trim(),
    replacement: trimReplacement(raw.replacement),
    ...(confidence === undefined ? {} : { confidence }),
    chunkId
  }
}

/** The verdict when the answer gave one; its reason and confidence only when given (and not blank). */
function convertVerdict(value: RawPayload): ChunkVerdict | undefined {
  if (value.verdict === undefined) return undefined
  const reason = value.verdict_reason?.trim() ?? ''
  const confidence = clampConfidence(value.verdict_confidence)
  return {
    verdict: value.verdict,
    ...(reason === '' ? {} : { reason }),
    ...(confidence === undefined ? {} : { confidence })
  }
}

/** What one chunk's answer says, in our types. Optional fields are absent when the answer left them out. */
export interface FindingsPayload {
  readonly findings: ModelFinding[]
  readonly overview: string
  readonly risk?: RiskLevel
  readonly verdict?: ChunkVerdict
}

/**
 * Validates a parsed model answer against {@link FINDINGS_SCHEMA} and converts it to our types.
 * Throws an Error naming the first problems when the payload does not fit. The judgement fields (risk,
 * confidences, verdict) may be missing: they are then left out of the result, not defaulted, so the
 * reports can say "not given" and the confidence gate keeps such findings (unknown is not low).
 */
export function validateFindingsPayload(value: unknown, chunkId: number): FindingsPayload {
  const validate = getValidator()
  if (!validate(value)) {
    throw new Error(`findings do not match the schema: ${describeProblems(validate.errors ?? [])}`)
  }
  const verdict = convertVerdict(value)
  return {
    overview: value.overview.trim(),
    ...(value.risk === undefined ? {} : { risk: value.risk }),
    findings: value.findings.map((raw, index) => convertFinding(raw, index, chunkId)),
    ...(verdict === undefined ? {} : { verdict })
  }
}
