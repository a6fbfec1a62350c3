import {
  applyVerdicts,
  createPathMatcher,
  findEscalatedPaths,
  needsVerification,
  splitForVerification,
  type Verdict
} from '../../src/review/escalation.js'
import type { Chunk, ChunkPiece, ModelFinding, Severity } from '../../src/types.js'

const piece = (path: string, previousPath?: string): ChunkPiece => ({
  path,
  ...(previousPath === undefined ? {} : { previousPath }),
  status: previousPath === undefined ? 'modified' : 'renamed',
  hunks: [],
  part: 1,
  parts: 1
})
const chunk = (...pieces: ChunkPiece[]): Chunk => ({ id: 1, pieces, text: '', tokens: 0, changedLines: 0 })
const finding = (severity: Severity, title: string = severity): ModelFinding => ({
  path: 'a.ts',
  line: 1,
  startLine: null,
  severity,
  category: 'bug',
  title,
  body: '',
  replacement: null,
  chunkId: 1
})

describe('findEscalatedPaths', () => {
  const matches = createPathMatcher(['src/auth/**', '**/*.sql', '.github/workflows/*'])
  it.each([
    ['a matching file', chunk(piece('src/auth/login.ts')), ['src/auth/login.ts']],
    [
      'two of three files, in chunk order',
      chunk(piece('db/001.sql'), piece('src/ui.ts'), piece('src/auth/a.ts')),
      ['db/001.sql', 'src/auth/a.ts']
    ],
    ['a dotfile directory', chunk(piece('.github/workflows/ci.yml')), ['.github/workflows/ci.yml']],
    ['a file renamed out of a risky path', chunk(piece('src/session.ts', 'src/auth/session.ts')), ['src/session.ts']],
    ['the same file split over pieces, once', chunk(piece('src/auth/a.ts'), piece('src/auth/a.ts')), ['src/auth/a.ts']],
    ['nothing risky', chunk(piece('src/ui.ts'), piece('README.md')), []]
  ])('%s', (_label, input, expected) => {
    expect(findEscalatedPaths(input, matches)).toEqual(expected)
  })

  it('matches nothing without globs', () => {
    expect(findEscalatedPaths(chunk(piece('src/auth/a.ts')), createPathMatcher([]))).toEqual([])
  })
})

describe('needsVerification', () => {
  it.each([
    ['critical', 'high', true],
    ['high', 'high', true],
    ['medium', 'high', false],
    ['nit', 'nit', true],
    ['critical', 'off', false]
  ] as const)('%s against gate %s: %s', (severity, gate, expected) => {
    expect(needsVerification(severity, gate)).toBe(expected)
  })

  it('splits findings into those to re-check and the rest, in order', () => {
    const findings = [finding('low'), finding('critical'), finding('medium'), finding('high')]
    const { toVerify, rest } = splitForVerification(findings, 'high')
    expect(toVerify.map((f) => f.severity)).toEqual(['critical', 'high'])
    expect(rest.map((f) => f.severity)).toEqual(['low', 'medium'])
  })
})

describe('applyVerdicts', () => {
  it('marks confirmed findings, drops rejected ones and keeps unanswered ones, in the original order', () => {
    const findings = [finding('low', 'a'), finding('critical', 'b'), finding('high', 'c'), finding('high', 'd')]
    const toVerify = [findings[1]!, findings[2]!, findings[3]!]
    const verdicts = new Map<number, Verdict>([
      [0, 'confirmed'],
      [1, 'rejected']
    ])
    const applied = applyVerdicts({ findings, toVerify, verdicts, model: 'openai/gpt-5-1-codex' })
    expect(applied.kept.map((f) => [f.title, f.verifiedBy])).toEqual([
      ['a', undefined],
      ['b', 'openai/gpt-5-1-codex'],
      ['d', undefined]
    ])
    expect(applied.rejected.map((f) => f.title)).toEqual(['c'])
    expect(applied).toMatchObject({ confirmed: 1, unverified: 1 })
  })
})
