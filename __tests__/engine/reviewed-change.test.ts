import { buildLineIndex } from '../../src/diff/line-index.js'
import { parseUnifiedDiff } from '../../src/diff/parse.js'
import { SILENT_LOGGER } from '../../src/engine/logger.js'
import { planReview } from '../../src/engine/plan-review.js'
import { describeReviewedChange } from '../../src/engine/reviewed-change.js'
import type { ChunkOutcome } from '../../src/types.js'

const SETTINGS = { include: [], exclude: [], maxChunkTokens: 12_000 }
const file = (path: string, body: string, header = `--- a/${path}\n+++ b/${path}`) =>
  `diff --git a/${path} b/${path}\nindex 1..2 100644\n${header}\n${body}`
const APP = file('src/app.ts', '@@ -1,3 +1,4 @@\n one\n+two\n three\n+four\n')
const GONE = `diff --git a/src/gone.ts b/src/gone.ts\ndeleted file mode 100644\nindex 1..0\n--- a/src/gone.ts\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n`
const RENAMED =
  'diff --git a/src/old.ts b/src/new.ts\nsimilarity index 90%\nrename from src/old.ts\nrename to src/new.ts\n' +
  'index 1..2 100644\n--- a/src/old.ts\n+++ b/src/new.ts\n@@ -1 +1 @@\n-a\n+b\n'

function plan(text: string, focus?: { onlyPaths: string[] }) {
  return planReview(
    {
      source: { kind: 'unified', text },
      pullRequest: { title: 't', body: '' },
      head: 'h',
      label: 'x',
      ...(focus === undefined
        ? {}
        : {
            focus: {
              onlyPaths: new Set(focus.onlyPaths),
              outsidePull: 0,
              pullIndex: buildLineIndex(parseUnifiedDiff(text))
            }
          })
    },
    { settings: SETTINGS, logger: SILENT_LOGGER }
  )
}

function outcomes(planned: ReturnType<typeof plan>, failed: readonly number[] = []): ChunkOutcome[] {
  return planned.prepared.plan.chunks.map((chunk) =>
    failed.includes(chunk.id)
      ? {
          ok: false,
          chunk,
          error: 'boom',
          usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 },
          attempts: 1
        }
      : {
          ok: true,
          chunk,
          review: {
            findings: [],
            overview: '',
            usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 },
            model: 'm',
            attempts: 1
          }
        }
  )
}

describe('describeReviewedChange', () => {
  it('a full review: added lines, where each file is, the files every chunk answered for', () => {
    const planned = plan(APP + GONE + RENAMED)
    const change = describeReviewedChange(planned, outcomes(planned))
    expect(change.incremental).toBe(false)
    expect([...(change.addedLines.get('src/app.ts') ?? [])]).toEqual([2, 4])
    expect(change.headPath('src/app.ts')).toEqual({ kind: 'present' })
    expect(change.headPath('src/gone.ts')).toEqual({ kind: 'removed' })
    expect(change.headPath('src/old.ts')).toEqual({ kind: 'renamed', to: 'src/new.ts' })
    expect(change.headPath('src/never.ts')).toEqual({ kind: 'removed' })
    expect([...change.completelyReviewed].sort()).toEqual(['src/app.ts', 'src/new.ts'])
  })

  it('a file in a failed chunk was not reviewed completely', () => {
    const planned = plan(APP)
    expect(describeReviewedChange(planned, outcomes(planned, [1])).completelyReviewed.size).toBe(0)
  })

  it('an incremental review: a file of the pull request not in the new commits is still there', () => {
    const planned = plan(APP, { onlyPaths: ['src/app.ts', 'src/other.ts'] })
    const change = describeReviewedChange(planned, outcomes(planned))
    expect(change.incremental).toBe(true)
    expect(change.headPath('src/other.ts')).toEqual({ kind: 'present' })
    expect(change.headPath('src/dropped.ts')).toEqual({ kind: 'removed' })
  })
})
