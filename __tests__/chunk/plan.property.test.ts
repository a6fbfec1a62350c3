import fc from 'fast-check'
import { MIN_MAX_CHUNK_TOKENS, planChunks } from '../../src/chunk/plan.js'
import { LINE_NUMBER_WIDTH } from '../../src/chunk/render-piece.js'
import { countTokens } from '../../src/chunk/tokens.js'
import type { ChunkPlan, DiffFile, DiffHunk, DiffLine, LineKind } from '../../src/types.js'

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.nat(0xffff).map((code) => String.fromCharCode(code))
const anyUtf16 = fc.string({ unit: codeUnit, maxLength: 30 })
const contentArb = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 3 },
  { arbitrary: anyUtf16, weight: 3 },
  {
    arbitrary: fc.constantFrom('', ' ', '  \t ', '/', '// comment', '/** doc */', '\r', 'x;\r', '\r\r\n', '</file>'),
    weight: 3
  },
  {
    arbitrary: fc.constantFrom('<|endoftext|>', '<file path="x">', '@@ -1 +1 @@', '\u2028', '🙂🙂', 'a\nb'),
    weight: 2
  },
  // Long lines, often too long for a small budget: the truncation path.
  { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 200, maxLength: 3000 }), weight: 1 }
)
const pathArb = fc.oneof(
  fc.constantFrom('src/a.ts', 'README.md', 'a b/c".ts', 'x</file>'),
  fc.string({ minLength: 1, maxLength: 30 }),
  fc.string({ unit: 'binary', minLength: 300, maxLength: 800 })
)
const sectionArb = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 30 }),
  fc.string({ minLength: 100, maxLength: 400 })
)
const hunkSpecArb = fc.record({
  gap: fc.oneof(fc.nat(20), fc.nat(2_000_000)),
  section: sectionArb,
  lines: fc.array(fc.tuple(fc.constantFrom<LineKind>('add', 'del', 'context'), contentArb), { maxLength: 40 })
})
const fileSpecArb = fc.record({
  path: pathArb,
  previousPath: fc.option(pathArb, { nil: undefined }),
  hunks: fc.array(hunkSpecArb, { minLength: 1, maxLength: 4 })
})

type FileSpec = typeof fileSpecArb extends fc.Arbitrary<infer T> ? T : never

/** Consistently numbered files; the index prefix keeps paths distinct. */
function buildFiles(specs: readonly FileSpec[]): DiffFile[] {
  return specs.map((spec, index): DiffFile => {
    let oldNumber = 1
    let newNumber = 1
    const hunks = spec.hunks.map((hunkSpec): DiffHunk => {
      oldNumber += hunkSpec.gap
      newNumber += hunkSpec.gap
      const oldStart = oldNumber
      const newStart = newNumber
      const lines = hunkSpec.lines.map(([kind, content]): DiffLine => {
        if (kind === 'add') return { kind, content, newNumber: newNumber++ }
        if (kind === 'del') return { kind, content, oldNumber: oldNumber++ }
        return { kind, content, oldNumber: oldNumber++, newNumber: newNumber++ }
      })
      const oldLines = oldNumber - oldStart
      const newLines = newNumber - newStart
      const header = `@@ -${oldStart},${oldLines} +${newStart},${newLines} @@ ${hunkSpec.section}`
      return { header, oldStart, oldLines, newStart, newLines, lines }
    })
    const all = hunks.flatMap((hunk) => hunk.lines)
    return {
      path: `${index}:${spec.path}`,
      ...(spec.previousPath === undefined ? {} : { previousPath: spec.previousPath }),
      status: spec.previousPath === undefined ? 'modified' : 'renamed',
      binary: false,
      hunks,
      additions: all.filter((line) => line.kind === 'add').length,
      deletions: all.filter((line) => line.kind === 'del').length
    }
  })
}

const caseArb = fc.record({
  files: fc.array(fileSpecArb, { minLength: 1, maxLength: 4 }).map(buildFiles),
  maxChunkTokens: fc.oneof(fc.constant(MIN_MAX_CHUNK_TOKENS), fc.integer({ min: MIN_MAX_CHUNK_TOKENS, max: 3000 }))
})

function linesWithPath(source: { path: string; hunks: readonly DiffHunk[] }): { path: string; line: DiffLine }[] {
  return source.hunks.flatMap((hunk) => hunk.lines.map((line) => ({ path: source.path, line })))
}

const MARKERS: Record<LineKind, string> = { add: '+', del: '-', context: ' ' }

function expectedPrefix(line: DiffLine): string {
  const number = line.kind === 'del' ? '' : String(line.newNumber)
  return `${number.padStart(LINE_NUMBER_WIDTH)} ${MARKERS[line.kind]} `
}

/** The rows a chunk must consist of, given its pieces: headers, one numbered row per line, closers. */
function checkRows(plan: ChunkPlan): void {
  for (const chunk of plan.chunks) {
    const rows = chunk.text.split('\n')
    expect(rows.pop()).toBe('')
    let row = 0
    for (const piece of chunk.pieces) {
      expect(rows[row++]).toMatch(/^<file path="/)
      for (const hunk of piece.hunks) {
        expect(rows[row++]).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@/)
        for (const line of hunk.lines) expect(rows[row++]?.startsWith(expectedPrefix(line))).toBe(true)
      }
      expect(rows[row++]).toBe('</file>')
    }
    expect(row).toBe(rows.length)
  }
}

describe('planChunks properties', () => {
  it('keeps every chunk within budget, counts exactly, and places every line once with its number', () => {
    fc.assert(
      fc.property(caseArb, ({ files, maxChunkTokens }) => {
        const plan = planChunks(files, { maxChunkTokens })
        for (const chunk of plan.chunks) {
          expect(chunk.tokens).toBeLessThanOrEqual(maxChunkTokens)
          expect(countTokens(chunk.text)).toBe(chunk.tokens)
        }
        expect(plan.chunks.map((chunk) => chunk.id)).toEqual(plan.chunks.map((_, index) => index + 1))
        expect(plan.totalTokens).toBe(plan.chunks.reduce((sum, chunk) => sum + chunk.tokens, 0))

        // Every line in exactly one chunk, in order, under its own file's path (same objects, same numbers).
        const placed = plan.chunks.flatMap((chunk) => chunk.pieces.flatMap((piece) => linesWithPath(piece)))
        const input = files.flatMap((file) => linesWithPath(file))
        expect(placed.length).toBe(input.length)
        placed.forEach((entry, index) => {
          expect(entry.path).toBe(input[index]?.path)
          expect(entry.line).toBe(input[index]?.line)
        })
        for (const chunk of plan.chunks) {
          const lines = chunk.pieces.flatMap((piece) => piece.hunks.flatMap((hunk) => hunk.lines))
          expect(chunk.changedLines).toBe(lines.filter((line) => line.kind !== 'context').length)
        }

        // Parts are numbered 1..n per file.
        for (const file of files) {
          const pieces = plan.chunks.flatMap((chunk) => chunk.pieces).filter((piece) => piece.path === file.path)
          expect(pieces.map((piece) => [piece.part, piece.parts])).toEqual(pieces.map((_, i) => [i + 1, pieces.length]))
        }
        checkRows(plan)
      }),
      { numRuns: 120 }
    )
  })
})
