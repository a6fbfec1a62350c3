import { countTokens } from '../../src/chunk/tokens.js'
import type { FileSource } from '../../src/context/file-source.js'
import { openGitFileSource } from '../../src/context/git-file-source.js'
import {
  extensionFamily,
  gatherReviewContext,
  matchesDiff,
  type ContextFiles
} from '../../src/engine/gather-context.js'
import type { Logger } from '../../src/engine/logger.js'
import { planReview, type PlannedReview } from '../../src/engine/plan-review.js'
import type { Chunk } from '../../src/types.js'
import { createContextRepo, type ContextRepo } from '../../__fixtures__/context/context-repo.js'
import { createTempRepo } from '../context/git-repo.js'

const silent: Logger = {
  info: () => undefined,
  debug: () => undefined,
  notice: () => undefined,
  warning: () => undefined,
  group: async (_name, work) => work()
}

function plan(diff: string, maxChunkTokens = 12_000): PlannedReview {
  return planReview(
    { source: { kind: 'unified', text: diff }, pullRequest: { title: 't', body: '' }, head: 'h', label: 'test' },
    { settings: { include: [], exclude: [], maxChunkTokens }, logger: silent }
  )
}

async function checkout(repo: ContextRepo): Promise<ContextFiles> {
  const opened = await openGitFileSource({ cwd: repo.dir, headSha: repo.head, kind: 'checkout' })
  if (!opened.ok) throw new Error(opened.reason)
  return { source: opened.source, kind: 'checkout', description: 'the checkout' }
}

/** Every changed line as `path:+new` or `path:-old`, once per chunk that holds it. */
function changedLines(chunks: readonly Chunk[]): string[] {
  return chunks.flatMap((chunk) =>
    chunk.pieces.flatMap((piece) =>
      piece.hunks.flatMap((hunk) =>
        hunk.lines.flatMap((line) =>
          line.kind === 'add'
            ? [`${piece.path}:+${line.newNumber}`]
            : line.kind === 'del'
              ? [`${piece.path}:-${line.oldNumber}`]
              : []
        )
      )
    )
  )
}

describe('gatherReviewContext', () => {
  let repo: ContextRepo
  beforeAll(() => {
    repo = createContextRepo()
  })
  afterAll(() => repo.remove())

  it('sends the enclosing scope, the declaration the added line uses and the definition it calls, counted exactly', async () => {
    const planned = await gatherReviewContext(plan(repo.diff), {
      settings: { contextTokens: 4_000 },
      files: await checkout(repo),
      logger: silent
    })
    const [chunk] = planned.prepared.plan.chunks
    const context = chunk?.context
    expect(context?.tokens).toBe(countTokens(context?.text ?? ''))
    expect(context?.tokens).toBeLessThanOrEqual(4_000)
    expect(context?.text).toContain(`   ${repo.secretLine} | const apiSecret = process.env.API_SECRET ?? ''\n`)
    // The file is small: shown whole, except the lines the diff already shows (the function around the change).
    expect(context?.text).not.toContain('export function loadConfig(overrides) {')
    expect(context?.blocks.find((block) => block.path === 'src/config.js')?.kinds).toEqual(['declaration', 'file'])
    expect(context?.text).toMatch(
      /<context path="src\/fs\/tools\.js" lines="\d+-\d+">\n(?:.*\n)*? +\d+ \| export async function purgeTree\(dir\) \{/
    )
    expect(context?.blocks.find((block) => block.path === 'src/fs/tools.js')?.kinds).toEqual(['definition'])
    expect(planned.context).toMatchObject({
      budget: 4_000,
      sourceKind: 'checkout',
      crossFile: { available: true, found: 2 },
      chunks: [{ id: 1, diffTokens: chunk?.tokens, contextTokens: context?.tokens }],
      omitted: []
    })
  })

  it('never changes the diff: same chunks, each changed line in exactly one, context within budget', async () => {
    for (const maxChunkTokens of [256, 400, 12_000]) {
      const withoutContext = plan(repo.diff, maxChunkTokens)
      for (const contextTokens of [1, 60, 300, 4_000]) {
        const planned = await gatherReviewContext(withoutContext, {
          settings: { contextTokens },
          files: await checkout(repo),
          logger: silent
        })
        const chunks = planned.prepared.plan.chunks
        expect(chunks.map(({ id, text, tokens, changedLines: lines }) => ({ id, text, tokens, lines }))).toEqual(
          withoutContext.prepared.plan.chunks.map(({ id, text, tokens, changedLines: lines }) => ({
            id,
            text,
            tokens,
            lines
          }))
        )
        const lines = changedLines(chunks)
        expect(new Set(lines).size).toBe(lines.length)
        expect(lines.sort()).toEqual(changedLines(withoutContext.prepared.plan.chunks).sort())
        for (const chunk of chunks) {
          expect(chunk.context?.tokens).toBeLessThanOrEqual(contextTokens)
          expect(chunk.context?.tokens).toBe(countTokens(chunk.context?.text ?? ''))
        }
      }
    }
  })

  it('sends context two hunks share once', async () => {
    // Two changes in one file, both reading the same declaration far above them.
    const lines = Array.from({ length: 60 }, (_, index) => `export const filler${index} = ${index}`)
    lines[0] = "const sharedToken = 'abc'"
    const shared = createTempRepo()
    try {
      shared.write('src/shared.js', `${lines.join('\n')}\n`)
      const base = shared.commitAll('base')
      lines[20] = 'export const first = sharedToken + 1'
      lines[45] = 'export const second = sharedToken + 2'
      shared.write('src/shared.js', `${lines.join('\n')}\n`)
      const head = shared.commitAll('head')
      const opened = await openGitFileSource({ cwd: shared.dir, headSha: head, kind: 'checkout' })
      if (!opened.ok) throw new Error(opened.reason)
      const planned = await gatherReviewContext(plan(shared.git('diff', '--no-color', base, head)), {
        settings: { contextTokens: 300 },
        files: { source: opened.source, kind: 'checkout', description: 'x' },
        logger: silent
      })
      const [chunk] = planned.prepared.plan.chunks
      expect(chunk?.pieces[0]?.hunks).toHaveLength(2)
      expect(chunk?.context?.text.match(/ \| const sharedToken = 'abc'\n/g)).toHaveLength(1)
    } finally {
      shared.remove()
    }
  })

  it('is today’s plan, the very same object, with context-tokens 0', async () => {
    const planned = plan(repo.diff)
    const same = await gatherReviewContext(planned, {
      settings: { contextTokens: 0 },
      files: await checkout(repo),
      logger: silent
    })
    expect(same).toBe(planned)
    expect(same.prepared.plan.chunks[0]?.context).toBeUndefined()
  })

  it('gives same-file context from a source that cannot search, and says why definitions are missing', async () => {
    const { source } = await checkout(repo)
    const readOnly: FileSource = { kind: 'api', read: (paths) => (source as FileSource).read(paths) }
    const planned = await gatherReviewContext(plan(repo.diff), {
      settings: { contextTokens: 4_000 },
      files: {
        source: readOnly,
        kind: 'api',
        description: 'the GitHub API',
        noCrossFile: { reason: 'no checkout', howToEnable: 'add a checkout' }
      },
      logger: silent
    })
    expect(planned.prepared.plan.chunks[0]?.context?.text).toContain('const apiSecret')
    expect(planned.prepared.plan.chunks[0]?.context?.text).not.toContain('src/fs/tools.js')
    expect(planned.context?.crossFile).toEqual({
      available: false,
      reason: 'no checkout',
      howToEnable: 'add a checkout'
    })
  })

  it('leaves out a file whose text is not the diff’s new side, and says so', async () => {
    const stale: FileSource = {
      kind: 'api',
      read: async (paths) =>
        new Map(paths.map((path) => [path, `${repo.headFiles[path] ?? ''}`.replace(/^/, '// moved\n')]))
    }
    const planned = await gatherReviewContext(plan(repo.diff), {
      settings: { contextTokens: 4_000 },
      files: { source: stale, kind: 'api', description: 'x', noCrossFile: { reason: 'r', howToEnable: 'h' } },
      logger: silent
    })
    expect(planned.prepared.plan.chunks[0]?.context?.text).toBe('')
    expect(planned.context?.omittedByReason).toEqual({ mismatch: 2 })
  })

  it('reports what a small budget leaves out', async () => {
    const planned = await gatherReviewContext(plan(repo.diff), {
      settings: { contextTokens: 30 },
      files: await checkout(repo),
      logger: silent
    })
    expect(planned.context?.omittedByReason['over-budget']).toBeGreaterThan(0)
    expect(planned.context?.omitted[0]).toMatchObject({ reason: 'over-budget', chunk: 1 })
  })

  it('reports files the source skips, with the reason', async () => {
    const skipping: FileSource = {
      kind: 'api',
      read: async (paths) =>
        new Map(
          paths.map((path) => [
            path,
            path.endsWith('config.js')
              ? { skipped: 'too-large' as const, detail: '600000 bytes' }
              : { skipped: 'binary' as const }
          ])
        )
    }
    const planned = await gatherReviewContext(plan(repo.diff), {
      settings: { contextTokens: 4_000 },
      files: { source: skipping, kind: 'api', description: 'x', noCrossFile: { reason: 'r', howToEnable: 'h' } },
      logger: silent
    })
    expect(planned.context?.omitted).toEqual([
      { reason: 'too-large', path: 'src/config.js', what: 'the file', detail: '600000 bytes' },
      { reason: 'binary', path: 'src/upload.js', what: 'the file' }
    ])
  })
})

describe('matchesDiff and extensionFamily', () => {
  it('accepts a file whose numbered lines are the diff’s, CRLF or not, and refuses one shifted by a line', () => {
    const piece = {
      path: 'a.js',
      status: 'modified' as const,
      part: 1,
      parts: 1,
      hunks: [
        {
          header: '@@ -1,2 +1,2 @@',
          oldStart: 1,
          oldLines: 2,
          newStart: 1,
          newLines: 2,
          lines: [
            { kind: 'context' as const, content: 'a', oldNumber: 1, newNumber: 1 },
            { kind: 'del' as const, content: 'b', oldNumber: 2 },
            { kind: 'add' as const, content: 'c', newNumber: 2 }
          ]
        }
      ]
    }
    expect(matchesDiff(piece, 'a\nc\n')).toBe(true)
    expect(matchesDiff(piece, 'a\r\nc\r\n')).toBe(true)
    expect(matchesDiff(piece, 'x\na\nc\n')).toBe(false)
  })

  it.each([
    ['src/a.ts', 'js'],
    ['lib/b.py', 'py'],
    ['cmd/main.go', 'go'],
    ['Main.kt', 'java'],
    ['x.unknownext', 'unknownext']
  ])('%s searches its language family (%s)', (path, member) => {
    expect(extensionFamily(path)).toContain(member)
  })

  it('searches nothing for a file without an extension', () => {
    expect(extensionFamily('Makefile')).toEqual([])
  })
})
