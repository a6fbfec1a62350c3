import { clampConfidence, FINDINGS_SCHEMA, validateFindingsPayload } from '../../src/model/findings-schema.js'
import { REVIEW_INSTRUCTIONS } from '../../src/model/instructions.js'
import { VERDICTS_SCHEMA } from '../../src/model/verify-findings.js'

/** Keywords every strict-mode provider accepts; `minimum`/`maximum` are left out on purpose (see PROBABILITY). */
const PORTABLE_KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'description'
])

interface SchemaNode {
  readonly [keyword: string]: unknown
}

/** Every problem strict mode would refuse, by JSON pointer; empty when the schema is valid. */
function findStrictProblems(node: SchemaNode, at = '#'): string[] {
  const problems = Object.keys(node)
    .filter((keyword) => !PORTABLE_KEYWORDS.has(keyword))
    .map((keyword) => `${at}: keyword ${keyword}`)
  const types = Array.isArray(node.type) ? node.type : [node.type]
  if (types.includes('object')) {
    const properties = (node.properties ?? {}) as Record<string, SchemaNode>
    if (node.additionalProperties !== false) problems.push(`${at}: additionalProperties is not false`)
    const required = [...((node.required ?? []) as string[])].sort()
    if (JSON.stringify(required) !== JSON.stringify(Object.keys(properties).sort())) {
      problems.push(`${at}: required ${required.join(',')} is not every property`)
    }
    for (const [name, child] of Object.entries(properties))
      problems.push(...findStrictProblems(child, `${at}/properties/${name}`))
  }
  if (types.includes('array')) problems.push(...findStrictProblems(node.items as SchemaNode, `${at}/items`))
  return problems
}

const finding = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  path: 'src/a.ts',
  line: 12,
  start_line: null,
  severity: 'high',
  category: 'bug',
  title: 'Off by one',
  body: 'When `n` is 0 the loop reads past the end.',
  replacement: null,
  confidence: 0.8,
  ...overrides
})

const answer = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  overview: 'Adds a loop.',
  risk: 'medium',
  findings: [finding()],
  verdict: 'incorrect',
  verdict_reason: 'The loop reads past the end of the array.',
  verdict_confidence: 0.7,
  ...overrides
})

describe('the schemas sent in strict mode', () => {
  it.each([
    ['findings', FINDINGS_SCHEMA],
    ['verification', VERDICTS_SCHEMA]
  ])('the %s schema: additionalProperties false and every property required on every object', (_name, schema) => {
    expect(findStrictProblems(schema as unknown as SchemaNode)).toEqual([])
  })

  it('the checker itself finds a missing required property and a bound', () => {
    const bad = {
      type: 'object',
      additionalProperties: false,
      required: [],
      properties: { c: { type: 'number', minimum: 0 } }
    }
    expect(findStrictProblems(bad)).toEqual(['#: required  is not every property', '#/properties/c: keyword minimum'])
  })

  it('asks for a confidence per finding and a verdict with its reason and confidence, in that order', () => {
    expect(Object.keys(FINDINGS_SCHEMA.properties)).toEqual([
      'overview',
      'risk',
      'findings',
      'verdict',
      'verdict_reason',
      'verdict_confidence'
    ])
    expect(FINDINGS_SCHEMA.properties.verdict.enum).toEqual(['correct', 'incorrect'])
    expect(FINDINGS_SCHEMA.properties.findings.items.properties.confidence.type).toBe('number')
    expect(VERDICTS_SCHEMA.properties.verdicts.items.required).toContain('confidence')
  })

  it('the instructions explain every field the schema asks for', () => {
    const fields = [
      ...Object.keys(FINDINGS_SCHEMA.properties),
      ...Object.keys(FINDINGS_SCHEMA.properties.findings.items.properties)
    ]
    const unexplained = fields.filter((field) => field !== 'findings' && !REVIEW_INSTRUCTIONS.includes(`"${field}"`))
    expect(unexplained).toEqual([])
  })
})

describe('validateFindingsPayload with confidences and a verdict', () => {
  it('reads the confidence of each finding and the verdict', () => {
    const result = validateFindingsPayload(answer(), 3)
    expect(result.findings[0]?.confidence).toBe(0.8)
    expect(result.verdict).toEqual({
      verdict: 'incorrect',
      reason: 'The loop reads past the end of the array.',
      confidence: 0.7
    })
  })

  it.each([
    [-0.2, 0],
    [0, 0],
    [0.35, 0.35],
    [1, 1],
    [1.5, 1],
    [85, 1]
  ])('clamps a confidence of %p to %p (the schema does not bound it)', (given, expected) => {
    const result = validateFindingsPayload(
      answer({ findings: [finding({ confidence: given })], verdict_confidence: given }),
      1
    )
    expect(result.findings[0]?.confidence).toBe(expected)
    expect(result.verdict?.confidence).toBe(expected)
  })

  it('keeps a finding whose confidence is missing or null, recording it as unknown rather than inventing one', () => {
    const missing = { ...finding() }
    delete missing.confidence
    const result = validateFindingsPayload(answer({ findings: [missing, finding({ confidence: null })] }), 1)
    expect(result.findings).toHaveLength(2)
    for (const converted of result.findings) expect(converted).not.toHaveProperty('confidence')
  })

  it('keeps the review when the answer has no verdict at all (a provider that ignores strict mode)', () => {
    const { verdict: _verdict, verdict_reason: _reason, verdict_confidence: _confidence, ...rest } = answer()
    const result = validateFindingsPayload(rest, 1)
    expect(result).not.toHaveProperty('verdict')
    expect(result.findings).toHaveLength(1)
  })

  it('keeps a verdict whose reason or confidence is missing, blank or null, without them', () => {
    expect(
      validateFindingsPayload(answer({ verdict: 'correct', verdict_reason: '  ', verdict_confidence: null }), 1).verdict
    ).toEqual({
      verdict: 'correct'
    })
    const { verdict_reason: _reason, verdict_confidence: _confidence, ...noDetails } = answer({ verdict: 'correct' })
    expect(validateFindingsPayload(noDetails, 1).verdict).toEqual({ verdict: 'correct' })
  })

  it.each([
    ['an unknown verdict', answer({ verdict: 'approve' }), /\/verdict must be equal to one of the allowed values/],
    [
      'a confidence that is text',
      answer({ findings: [finding({ confidence: 'high' })] }),
      /\/findings\/0\/confidence must be number,null/
    ],
    [
      'a verdict confidence that is text',
      answer({ verdict_confidence: '90%' }),
      /\/verdict_confidence must be number,null/
    ]
  ])('rejects %s', (_label, value, message) => {
    expect(() => validateFindingsPayload(value, 1)).toThrow(message)
  })
})

describe('clampConfidence', () => {
  it.each([
    [undefined, undefined],
    [null, undefined],
    [Number.NaN, undefined],
    [0.42, 0.42],
    [-1, 0],
    [2, 1]
  ])('%p → %p', (given, expected) => {
    expect(clampConfidence(given)).toBe(expected)
  })
})
