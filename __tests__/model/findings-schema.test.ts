import { validateFindingsPayload } from '../../src/model/findings-schema.js'

const finding = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  path: 'src/a.ts',
  line: 12,
  start_line: null,
  severity: 'high',
  category: 'bug',
  title: 'Off by one',
  body: 'Uses `<=`.',
  replacement: null,
  ...overrides
})

const payload = (findings: unknown[], overview: unknown = 'Adds a loop.'): unknown => ({ overview, findings })

describe('validateFindingsPayload', () => {
  it('converts a valid payload to ModelFindings with the chunk id', () => {
    const result = validateFindingsPayload(
      payload([finding({ start_line: 10, replacement: '  for (let i = 0; i < n; i++) {\n' })]),
      7
    )
    expect(result).toEqual({
      overview: 'Adds a loop.',
      findings: [
        {
          path: 'src/a.ts',
          line: 12,
          startLine: 10,
          severity: 'high',
          category: 'bug',
          title: 'Off by one',
          body: 'Uses `<=`.',
          replacement: '  for (let i = 0; i < n; i++) {',
          chunkId: 7
        }
      ]
    })
  })

  it('accepts an empty findings list', () => {
    expect(validateFindingsPayload(payload([]), 1)).toEqual({ overview: 'Adds a loop.', findings: [] })
  })

  it('trims text fields but keeps the indentation of a replacement', () => {
    const [converted] = validateFindingsPayload(
      payload(
        [finding({ path: ' src/a.ts ', title: ' T ', body: '\nB\n', replacement: '    indented();\n' })],
        '  O  '
      ),
      1
    ).findings
    expect(converted).toMatchObject({ path: 'src/a.ts', title: 'T', body: 'B', replacement: '    indented();' })
  })

  it.each([
    ['after the line', 15, null],
    ['equal to the line', 12, null],
    ['below 1', 0, null],
    ['a valid range start', 11, 11]
  ])('normalises a start_line %s', (_label, startLine, expected) => {
    const [converted] = validateFindingsPayload(payload([finding({ start_line: startLine })]), 1).findings
    expect(converted?.startLine).toBe(expected)
    expect(converted?.line).toBe(12)
  })

  it.each([
    ['not an object', 'findings', /\(root\) must be object/],
    ['missing overview', { findings: [] }, /must have required property 'overview'/],
    [
      'an extra top-level field',
      { overview: 'o', findings: [], approved: true },
      /must NOT have additional properties/
    ],
    [
      'an unknown severity',
      payload([finding({ severity: 'blocker' })]),
      /\/findings\/0\/severity must be equal to one of the allowed values/
    ],
    ['an unknown category', payload([finding({ category: 'typo' })]), /\/findings\/0\/category/],
    ['a fractional line', payload([finding({ line: 1.5 })]), /\/findings\/0\/line must be integer/],
    ['a missing replacement', payload([{ ...finding(), replacement: undefined }]), /required property 'replacement'/],
    ['an empty path', payload([finding({ path: '  ' })]), /\/findings\/0\/path is empty/]
  ])('rejects %s', (_label, value, message) => {
    expect(() => validateFindingsPayload(value, 1)).toThrow(message)
  })

  it('keeps a finding cited on a line below 1 (placement moves it to the summary) instead of rejecting the answer', () => {
    const { findings } = validateFindingsPayload(payload([finding({ line: 0 }), finding({ line: 12 })]), 1)
    expect(findings.map((converted) => converted.line)).toEqual([0, 12])
  })

  it('lists at most five problems and counts the rest', () => {
    const bad = payload(Array.from({ length: 7 }, () => finding({ severity: 'x' })))
    expect(() => validateFindingsPayload(bad, 1)).toThrow(/and 2 more/)
  })
})
