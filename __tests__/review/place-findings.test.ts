import { buildLineIndex } from '../../src/diff/line-index.js'
import { placeFindings, type PlaceOptions } from '../../src/review/place-findings.js'
import { fingerprintFinding } from '../../src/review/fingerprint.js'
import type { DiffFile, ModelFinding, PlacementResult } from '../../src/types.js'
import { makeLineIndex } from './line-index-fixture.js'

const lineIndex = makeLineIndex({
  'src/app.ts': [
    [10, 20],
    [40, 45]
  ],
  'lib/util.ts': [[1, 5]],
  'packages/a/index.ts': [[1, 10]],
  'packages/b/index.ts': [[1, 10]],
  'a/real.ts': [[1, 3]],
  'vendor/skipped.js': [[1, 3]]
})
const reviewedPaths = new Set([...lineIndex.keys()].filter((path) => path !== 'vendor/skipped.js'))
const options: PlaceOptions = { maxComments: 50, lineIndex, reviewedPaths }

function makeFinding(overrides: Partial<ModelFinding> = {}): ModelFinding {
  return Object.freeze({
    path: 'src/app.ts',
    line: 12,
    startLine: null,
    severity: 'medium',
    category: 'bug',
    title: 'A finding',
    body: 'Body.',
    replacement: 'fixed()',
    chunkId: 1,
    ...overrides
  })
}

function placeOne(overrides: Partial<ModelFinding>): PlacementResult {
  return placeFindings([makeFinding(overrides)], options)
}

describe('placeFindings: path', () => {
  it.each([
    ['exact', 'src/app.ts', 'src/app.ts'],
    ['./ prefix', './src/app.ts', 'src/app.ts'],
    ['b/ prefix', 'b/src/app.ts', 'src/app.ts'],
    ['a/ prefix', 'a/src/app.ts', 'src/app.ts'],
    ['leading slash', '/src/app.ts', 'src/app.ts'],
    ['backslashes', '.\\src\\app.ts', 'src/app.ts'],
    ['unique suffix', 'util.ts', 'lib/util.ts'],
    ['suffix after a stripped prefix', './packages/a/index.ts', 'packages/a/index.ts'],
    ['a real a/ directory', 'a/real.ts', 'a/real.ts']
  ])('%s: %j ⇒ %j', (_label, cited, expected) => {
    const result = placeOne({ path: cited, line: expected === 'src/app.ts' ? 12 : 2 })
    expect(result.inline).toHaveLength(1)
    expect(result.inline[0]?.path).toBe(expected)
    expect(result.inline[0]?.finding.path).toBe(expected)
    expect(result.inline[0]?.reanchored).toBeUndefined()
  })

  it.each([
    ['ambiguous suffix', 'index.ts', 'path index.ts matches 2 files in this diff, so it is ambiguous'],
    ['unknown file', 'src/nope.ts', 'path src/nope.ts is not part of this diff'],
    ['in the diff but not reviewed', 'vendor/skipped.js', 'path vendor/skipped.js was not part of the reviewed diff'],
    ['empty', '', 'path  is not part of this diff']
  ])('%s ⇒ summary', (_label, cited, reason) => {
    const result = placeOne({ path: cited, line: 2 })
    expect(result.inline).toEqual([])
    expect(result.summaryOnly).toEqual([expect.objectContaining({ reason })])
  })
})

interface LineCase {
  readonly label: string
  readonly line: number
  readonly startLine: number | null
  readonly expected: { line: number; startLine?: number; reanchored?: string } | { reason: string }
}

const lineCases: readonly LineCase[] = [
  { label: 'line in the diff', line: 12, startLine: null, expected: { line: 12 } },
  { label: 'last line of a hunk', line: 45, startLine: null, expected: { line: 45 } },
  { label: 'range in one hunk', line: 15, startLine: 12, expected: { line: 15, startLine: 12 } },
  { label: 'start == line ⇒ no start line', line: 15, startLine: 15, expected: { line: 15 } },
  {
    label: 'range across hunks ⇒ single line',
    line: 42,
    startLine: 18,
    expected: {
      line: 42,
      reanchored: 'model cited lines 18–42; anchored to line 42 only, because line 18 is in another hunk'
    }
  },
  {
    label: 'start > line ⇒ single line',
    line: 12,
    startLine: 20,
    expected: {
      line: 12,
      reanchored: 'model cited lines 20–12; anchored to line 12 only, because line 20 comes after it'
    }
  },
  {
    label: 'start outside the diff ⇒ single line',
    line: 12,
    startLine: 5,
    expected: {
      line: 12,
      reanchored: 'model cited lines 5–12; anchored to line 12 only, because line 5 is not part of the diff'
    }
  },
  {
    label: 'line near a hunk (after) ⇒ nearest',
    line: 22,
    startLine: null,
    expected: {
      line: 20,
      reanchored: 'model cited line 22; anchored to 20, the nearest line in the diff'
    }
  },
  {
    label: 'line near a hunk (before) ⇒ nearest',
    line: 38,
    startLine: null,
    expected: {
      line: 40,
      reanchored: 'model cited line 38; anchored to 40, the nearest line in the diff'
    }
  },
  {
    label: '3 lines away is near',
    line: 23,
    startLine: null,
    expected: {
      line: 20,
      reanchored: 'model cited line 23; anchored to 20, the nearest line in the diff'
    }
  },
  {
    label: '4 lines away is outside',
    line: 24,
    startLine: null,
    expected: { reason: 'line 24 is not part of the diff' }
  },
  { label: 'line far outside', line: 30, startLine: null, expected: { reason: 'line 30 is not part of the diff' } },
  {
    label: 'range far outside',
    line: 32,
    startLine: 27,
    expected: { reason: 'lines 27–32 are not part of the diff' }
  },
  {
    label: 'range partly in a hunk ⇒ the part in the diff',
    line: 25,
    startLine: 15,
    expected: {
      line: 20,
      startLine: 15,
      reanchored: 'model cited lines 15–25; anchored to lines 15–20, the part of it in the diff'
    }
  },
  {
    label: 'range covering a hunk ⇒ that hunk',
    line: 50,
    startLine: 35,
    expected: {
      line: 45,
      startLine: 40,
      reanchored: 'model cited lines 35–50; anchored to lines 40–45, the part of it in the diff'
    }
  },
  {
    label: 'range spanning two hunks ⇒ the last commentable part',
    line: 47,
    startLine: 8,
    expected: {
      line: 45,
      startLine: 40,
      reanchored: 'model cited lines 8–47; anchored to lines 40–45, the part of it in the diff'
    }
  },
  {
    label: 'range touching one line ⇒ single line',
    line: 9,
    startLine: 2,
    expected: {
      line: 10,
      reanchored: 'model cited lines 2–9; anchored to 10, the nearest line in the diff'
    }
  },
  { label: 'line 0', line: 0, startLine: null, expected: { reason: 'line 0 is not a valid line number' } },
  {
    label: 'fractional line',
    line: 12.5,
    startLine: null,
    expected: { reason: 'line 12.5 is not a valid line number' }
  }
]

describe('placeFindings: lines', () => {
  it.each(lineCases)('$label', ({ line, startLine, expected }) => {
    const finding = makeFinding({ line, startLine })
    const result = placeFindings([finding], options)
    if ('reason' in expected) {
      expect(result.inline).toEqual([])
      const fingerprint = fingerprintFinding(finding)
      expect(result.summaryOnly).toEqual([{ finding, reason: expected.reason, fingerprint }])
      return
    }
    expect(result.summaryOnly).toEqual([])
    const [placed] = result.inline
    expect(placed).toBeDefined()
    const note = placed?.reanchored?.replace(/; its suggested change.*$/, '')
    expect({ line: placed?.line, startLine: placed?.startLine, reanchored: note }).toEqual({
      line: expected.line,
      startLine: expected.startLine,
      reanchored: expected.reanchored
    })
    // A suggestion is kept only on exactly the cited lines.
    if (expected.reanchored === undefined) {
      expect(placed?.finding).toBe(finding)
    } else {
      expect(placed?.finding).toEqual({ ...finding, replacement: null })
      expect(placed?.reanchored).toContain('its suggested change was set aside')
      expect(finding.replacement).toBe('fixed()')
    }
  })

  it('does not mention a suggestion when there was none', () => {
    const [placed] = placeOne({ line: 22, replacement: null }).inline
    expect(placed?.reanchored).toBe('model cited line 22; anchored to 20, the nearest line in the diff')
  })
})

describe('placeFindings: dedupe', () => {
  it('keeps the more severe of two findings with the same title on overlapping lines', () => {
    const low = makeFinding({ severity: 'low', title: 'Null check missing', line: 12 })
    const high = makeFinding({ severity: 'high', title: '  null CHECK  missing', line: 14, startLine: 11 })
    const result = placeFindings([low, high], options)
    expect(result.inline.map((placed) => placed.finding)).toEqual([high])
    expect(result.duplicates).toBe(1)
  })

  it('treats a repaired path as the same path', () => {
    const result = placeFindings([makeFinding(), makeFinding({ path: './src/app.ts', severity: 'critical' })], options)
    expect(result.inline).toHaveLength(1)
    expect(result.inline[0]?.finding.severity).toBe('critical')
    expect(result.duplicates).toBe(1)
  })

  it.each([
    ['different lines', makeFinding({ line: 42 })],
    ['different titles', makeFinding({ title: 'Another finding' })],
    ['different files', makeFinding({ path: 'lib/util.ts', line: 3 })]
  ])('keeps both with %s', (_label, other) => {
    const result = placeFindings([makeFinding(), other], options)
    expect(result.inline).toHaveLength(2)
    expect(result.duplicates).toBe(0)
  })

  it('dedupes findings that cannot be placed, too', () => {
    const result = placeFindings([makeFinding({ line: 30 }), makeFinding({ line: 30 })], options)
    expect(result.summaryOnly).toHaveLength(1)
    expect(result.duplicates).toBe(1)
  })

  it('prefers the one that can go inline when severities are equal', () => {
    const unplaceable = makeFinding({ line: 30 })
    const placeable = makeFinding({ line: 30, startLine: 18 })
    const result = placeFindings([unplaceable, placeable], options)
    expect(result.inline.map((placed) => placed.line)).toEqual([20])
    expect(result.summaryOnly).toEqual([])
    expect(result.duplicates).toBe(1)
  })

  it('dedupes findings re-anchored onto the same line', () => {
    const result = placeFindings([makeFinding({ line: 21 }), makeFinding({ line: 22, severity: 'high' })], options)
    expect(result.inline).toHaveLength(1)
    expect(result.inline[0]?.finding.severity).toBe('high')
  })
})

describe('placeFindings: ranking and max-comments', () => {
  const findings = [
    makeFinding({ severity: 'nit', title: 'n', line: 11 }),
    makeFinding({ severity: 'critical', title: 'c2', path: 'src/app.ts', line: 41 }),
    makeFinding({ severity: 'medium', title: 'm', line: 13 }),
    makeFinding({ severity: 'critical', title: 'c1', path: 'lib/util.ts', line: 4 }),
    makeFinding({ severity: 'critical', title: 'c0', path: 'src/app.ts', line: 14 }),
    makeFinding({ severity: 'high', title: 'off', line: 30 })
  ]

  it('ranks by severity, then path, then line', () => {
    const result = placeFindings(findings, options)
    expect(result.inline.map((placed) => placed.finding.title)).toEqual(['c1', 'c0', 'c2', 'm', 'n'])
    expect(result.summaryOnly.map((entry) => entry.finding.title)).toEqual(['off'])
  })

  it('moves what is over the limit to the summary, most severe kept inline', () => {
    const result = placeFindings(findings, { ...options, maxComments: 2 })
    expect(result.inline.map((placed) => placed.finding.title)).toEqual(['c1', 'c0'])
    expect(result.summaryOnly.map((entry) => [entry.finding.title, entry.reason])).toEqual([
      ['c2', 'over the max-comments limit (2)'],
      ['off', 'line 30 is not part of the diff'],
      ['m', 'over the max-comments limit (2)'],
      ['n', 'over the max-comments limit (2)']
    ])
  })

  it('sends everything to the summary when max-comments is 0', () => {
    const result = placeFindings(findings, { ...options, maxComments: 0 })
    expect(result.inline).toEqual([])
    expect(result.summaryOnly).toHaveLength(findings.length)
    expect(result.summaryOnly.filter((entry) => entry.reason === 'over the max-comments limit (0)')).toHaveLength(5)
  })

  it('returns empty results for no findings', () => {
    expect(placeFindings([], options)).toEqual({ inline: [], summaryOnly: [], duplicates: 0 })
  })
})

describe('placeFindings with buildLineIndex', () => {
  // @@ -10,3 +10,4 @@ and @@ -30,2 +31,3 @@: context 10, del, add 11-12, context 13 | context 31, add 32, context 33.
  const file: DiffFile = {
    path: 'src/real.ts',
    status: 'modified',
    binary: false,
    additions: 3,
    deletions: 1,
    hunks: [
      {
        header: '@@ -10,3 +10,4 @@',
        oldStart: 10,
        oldLines: 3,
        newStart: 10,
        newLines: 4,
        lines: [
          { kind: 'context', content: 'a', oldNumber: 10, newNumber: 10 },
          { kind: 'del', content: 'b', oldNumber: 11 },
          { kind: 'add', content: 'c', newNumber: 11 },
          { kind: 'add', content: 'd', newNumber: 12 },
          { kind: 'context', content: 'e', oldNumber: 12, newNumber: 13 }
        ]
      },
      {
        header: '@@ -30,2 +31,3 @@',
        oldStart: 30,
        oldLines: 2,
        newStart: 31,
        newLines: 3,
        lines: [
          { kind: 'context', content: 'f', oldNumber: 30, newNumber: 31 },
          { kind: 'add', content: 'g', newNumber: 32 },
          { kind: 'context', content: 'h', oldNumber: 31, newNumber: 33 }
        ]
      }
    ]
  }
  const realIndex = buildLineIndex([file])
  const realOptions: PlaceOptions = { maxComments: 10, lineIndex: realIndex, reviewedPaths: new Set(['src/real.ts']) }

  it.each([
    ['a range of added lines', 12, 11, { line: 12, startLine: 11 }],
    ['a range across the two hunks', 32, 12, { line: 32 }],
    ['a line between the hunks, near the second', 29, null, { line: 31 }]
  ])('places %s', (_label, line, startLine, expected) => {
    const result = placeFindings([makeFinding({ path: 'src/real.ts', line, startLine })], realOptions)
    expect(result.inline).toEqual([expect.objectContaining(expected)])
    expect(result.inline[0]?.startLine).toBe((expected as { startLine?: number }).startLine)
  })

  it('sends a line between the hunks, far from both, to the summary', () => {
    const result = placeFindings([makeFinding({ path: 'src/real.ts', line: 20 })], realOptions)
    expect(result.summaryOnly.map((entry) => entry.reason)).toEqual(['line 20 is not part of the diff'])
  })
})
