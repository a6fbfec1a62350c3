/**
 * Says plainly why a run sent nothing to the model: an empty diff, a diff that could not be read, or a
 * pull request whose every change was skipped (binary files, renames without content, lockfiles, ...).
 * Without it the summary would only say "0 files in 0 chunks", which reads like a failure.
 */
import type { PullDiffSource } from '../types.js'
import type { PreparedReview } from './prepare.js'
import type { ReviewFocus } from './review-input.js'

/** The note for the summary (and the log), or undefined when at least one chunk is reviewed. Pure. */
export function describeNothingToReview(
  source: PullDiffSource,
  prepared: Pick<PreparedReview, 'files' | 'filter' | 'plan'>
): string | undefined {
  if (prepared.plan.chunks.length > 0) return undefined
  const changed = prepared.files.length
  if (changed === 0) {
    if (source.kind === 'files') return 'Nothing to review: GitHub listed no changed files for this pull request.'
    if (source.text.trim() === '') return 'Nothing to review: the diff of this pull request is empty.'
    return (
      `Nothing to review: GitHub's diff (${source.text.length.toLocaleString('en-US')} characters) could not be read ` +
      'as a unified diff, so no file could be reviewed.'
    )
  }
  const none = 'no model request was made.'
  if (prepared.filter.skipped.length < changed) {
    return `Nothing to review: none of the ${changed} changed files has changes to review in this run; ${none}`
  }
  return changed === 1
    ? `Nothing to review: the only changed file was skipped for the reason listed below; ${none}`
    : `Nothing to review: all ${changed} changed files were skipped for the reasons listed below; ${none}`
}

/**
 * The note for a partial review with nothing left to send: every file the new commits touched is one the
 * whole change does not touch (typically a merge from the base branch). Undefined otherwise.
 */
export function describeEmptyIncrement(
  focus: ReviewFocus | undefined,
  prepared: { readonly files: readonly unknown[] }
): string | undefined {
  if (focus === undefined || prepared.files.length > 0 || focus.outsidePull === 0) return undefined
  const files = focus.outsidePull === 1 ? '1 file' : `${focus.outsidePull} files`
  return (
    `Nothing to review: the new commits only change files this pull request does not change (${files}, e.g. merged ` +
    'from the base branch); no model request was made.'
  )
}
