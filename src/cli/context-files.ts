/**
 * Where the CLI reads files for context, from what it diffed: `--head REF` reads that commit through git
 * objects; the working tree (no `--head`) reads changed files as the diff saw them and the rest at the
 * merge-base (working-tree-source.ts); a `--diff` file has no commit behind it, so it gets no context (and the
 * plan says so).
 */
import type { ReviewSettings } from '../config/review-settings.js'
import { gatherReviewContext, type ContextFiles } from '../engine/gather-context.js'
import type { Logger } from '../engine/logger.js'
import { getErrorMessage } from '../errors.js'
import type { PlannedReview } from '../engine/plan-review.js'
import { openGitFileSource } from '../context/git-file-source.js'
import type { DiffFile } from '../types.js'
import type { LoadedDiff } from './diff-source.js'
import { openWorkingTreeSource } from './working-tree-source.js'

const SHORT_SHA = 12

/** Opens the file source for the diff the CLI loaded. */
export async function openCliContextFiles(options: {
  readonly loaded: LoadedDiff
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  /** Every file of the diff (skipped ones too): in the working tree, these are read from it. */
  readonly files: readonly DiffFile[]
  readonly log?: (message: string) => void
}): Promise<ContextFiles> {
  const { range } = options.loaded
  if (range === undefined) {
    return {
      kind: 'none',
      description: 'nowhere: a --diff file has no commit to read files from',
      noCrossFile: {
        reason: 'a --diff file has no commit to read files from',
        howToEnable: 'review a git range instead (e.g. --base main, with or without --head)'
      }
    }
  }
  const env = { ...options.env } as NodeJS.ProcessEnv
  const log = options.log === undefined ? {} : { log: options.log }
  if (range.headSha !== undefined) {
    const opened = await openGitFileSource({ cwd: options.cwd, headSha: range.headSha, kind: 'git', env, ...log })
    if (opened.ok)
      return { source: opened.source, kind: 'git', description: `commit ${range.headSha.slice(0, SHORT_SHA)}` }
    return unavailable(opened.reason)
  }
  const changedPaths = new Set(options.files.map((file) => file.path))
  const opened = await openWorkingTreeSource({
    cwd: options.cwd,
    mergeBase: range.mergeBase,
    changedPaths,
    env,
    ...log
  })
  if (!opened.ok) return unavailable(opened.reason)
  return {
    source: opened.source,
    kind: 'working tree',
    description: `the working tree (other files at the merge-base ${range.mergeBase.slice(0, SHORT_SHA)})`
  }
}

function unavailable(reason: string): ContextFiles {
  return {
    kind: 'none',
    description: `nowhere: ${reason}`,
    noCrossFile: { reason, howToEnable: 'run the CLI inside the repository the diff comes from' }
  }
}

/** The CLI's context stage: opens the files only when context is on and there is a chunk, then gathers. */
export async function gatherCliContext(options: {
  readonly planned: PlannedReview
  readonly loaded: LoadedDiff
  readonly settings: Pick<ReviewSettings, 'contextTokens'>
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly logger: Logger
}): Promise<PlannedReview> {
  const { planned, settings, logger } = options
  if (settings.contextTokens === 0 || planned.prepared.plan.chunks.length === 0) return planned
  try {
    const files = await openCliContextFiles({ ...options, files: planned.prepared.files, log: logger.debug })
    return await gatherReviewContext(planned, { settings, files, logger })
  } catch (error: unknown) {
    // Context helps the review; it never stops it.
    logger.warning(`Context could not be gathered (${getErrorMessage(error)}); reviewing the diff without it.`)
    return planned
  }
}
