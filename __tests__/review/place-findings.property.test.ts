import fc from 'fast-check'
import { normalizeTitle } from '../../src/review/fingerprint.js'
import { placeFindings } from '../../src/review/place-findings.js'
import { CATEGORIES, SEVERITIES } from '../../src/types.js'
import type { ModelFinding } from '../../src/types.js'
import { makeLineIndex } from './line-index-fixture.js'

const PATHS = ['src/app.ts', 'src/lib/util.ts', 'lib/util.ts', 'a/x.ts', 'docs/readme.md'] as const

/** Hunks as [first, last] RIGHT lines, in order, separated by gaps of 0+ lines (adjacent hunks included). */
const hunksArbitrary = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 8 })), { maxLength: 4 })
  .map((spans) => {
    let next = 1
    return spans.map(([gap, length]): [number, number] => {
      const first = next + gap
      next = first + length
      return [first, first + length - 1]
    })
  })

const indexArbitrary = fc
  .subarray([...PATHS], { minLength: 1 })
  .chain((paths) =>
    fc.tuple(fc.constant(paths), fc.array(hunksArbitrary, { minLength: paths.length, maxLength: paths.length }))
  )
  .map(([paths, hunks]) => makeLineIndex(Object.fromEntries(paths.map((path, i) => [path, hunks[i] ?? []]))))

const pathArbitrary = fc.oneof(
  fc.constantFrom(...PATHS),
  fc.constantFrom(...PATHS).map((path) => `./${path}`),
  fc.constantFrom(...PATHS).map((path) => `b/${path}`),
  fc.constantFrom('util.ts', 'app.ts', 'x.ts', 'unknown.ts', '')
)

const lineArbitrary = fc.oneof(fc.integer({ min: -1, max: 70 }), fc.constant(0.5))

const findingArbitrary: fc.Arbitrary<ModelFinding> = fc.record({
  path: pathArbitrary,
  line: lineArbitrary,
  startLine: fc.option(lineArbitrary, { nil: null }),
  severity: fc.constantFrom(...SEVERITIES),
  category: fc.constantFrom(...CATEGORIES),
  title: fc.constantFrom('Null check', 'null  CHECK', 'Leak', 'Race 1', 'Race 2'),
  body: fc.string({ maxLength: 20 }),
  replacement: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
  chunkId: fc.integer({ min: 1, max: 3 })
})

const scenarioArbitrary = indexArbitrary.chain((lineIndex) =>
  fc.record({
    lineIndex: fc.constant(lineIndex),
    reviewedPaths: fc.subarray([...lineIndex.keys()]).map((paths) => new Set(paths)),
    maxComments: fc.integer({ min: 0, max: 12 }),
    // chunkId tags each finding so the outputs can be traced back to the inputs.
    findings: fc
      .array(findingArbitrary, { maxLength: 25 })
      .map((findings) => findings.map((finding, index) => ({ ...finding, chunkId: index })))
  })
)

describe('placeFindings properties', () => {
  it('loses nothing: inline + summaryOnly + duplicates = findings', () => {
    fc.assert(
      fc.property(scenarioArbitrary, ({ findings, ...options }) => {
        const result = placeFindings(findings, options)
        expect(result.inline.length + result.summaryOnly.length + result.duplicates).toBe(findings.length)
        const outputs = [...result.inline, ...result.summaryOnly].map((entry) => entry.finding)
        const tags = new Set(outputs.map((finding) => finding.chunkId))
        expect(tags.size).toBe(outputs.length)
        const dropped = findings.filter((finding) => !tags.has(finding.chunkId))
        expect(dropped).toHaveLength(result.duplicates)
        // A dropped finding has a kept twin with the same title and at least its severity.
        for (const finding of dropped) {
          const twin = outputs.find(
            (kept) =>
              normalizeTitle(kept.title) === normalizeTitle(finding.title) &&
              SEVERITIES.indexOf(kept.severity) <= SEVERITIES.indexOf(finding.severity)
          )
          expect(twin).toBeDefined()
        }
      }),
      { numRuns: 400 }
    )
  })

  it('places inline only on commentable RIGHT lines of reviewed files, ranges within one hunk, within the cap', () => {
    fc.assert(
      fc.property(scenarioArbitrary, ({ findings, ...options }) => {
        const result = placeFindings(findings, options)
        expect(result.inline.length).toBeLessThanOrEqual(options.maxComments)
        for (const placed of result.inline) {
          expect(options.reviewedPaths.has(placed.path)).toBe(true)
          const right = options.lineIndex.get(placed.path)?.right
          const hunk = right?.get(placed.line)
          expect(hunk).toBeDefined()
          if (placed.startLine !== undefined) {
            expect(placed.startLine).toBeLessThan(placed.line)
            expect(right?.get(placed.startLine)).toBe(hunk)
          }
          if (placed.reanchored !== undefined) expect(placed.finding.replacement).toBeNull()
        }
      }),
      { numRuns: 400 }
    )
  })

  it('ranks inline findings by severity and leaves the input untouched', () => {
    fc.assert(
      fc.property(scenarioArbitrary, ({ findings, ...options }) => {
        const before = structuredClone(findings)
        const result = placeFindings(findings, options)
        const ranks = result.inline.map((placed) => SEVERITIES.indexOf(placed.finding.severity))
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
        expect(findings).toEqual(before)
      }),
      { numRuns: 200 }
    )
  })
})
