/** Which pull requests are not reviewed, and the notice that says why. Pure. */

import type { PullRequestInfo } from '../types.js'

export interface SkipRuleSettings {
  readonly skipLabels: readonly string[]
  readonly skipAuthors: readonly string[]
  readonly reviewDrafts: boolean
}

/**
 * The notice for a pull request that is not reviewed, or undefined to review it. Labels and logins
 * compare case-insensitively, as GitHub treats them. An on-demand `/review` (by someone with write access)
 * overrides the draft and author rules, which are defaults for automatic runs; a skip label still wins,
 * since it is an explicit decision about this pull request.
 */
export function decideSkip(
  pull: Pick<PullRequestInfo, 'pullNumber' | 'draft' | 'labels' | 'authorLogin'>,
  settings: SkipRuleSettings,
  options: { readonly onDemand: boolean } = { onDemand: false }
): string | undefined {
  const label = findCaseless(pull.labels, settings.skipLabels)
  if (label !== undefined) {
    return `Skipped: #${pull.pullNumber} has the label "${label}", listed in skip-labels. Nothing was posted.`
  }
  if (options.onDemand) return undefined
  if (findCaseless([pull.authorLogin], settings.skipAuthors) !== undefined) {
    return `Skipped: #${pull.pullNumber} was opened by ${pull.authorLogin}, listed in skip-authors. Nothing was posted.`
  }
  if (pull.draft && !settings.reviewDrafts) {
    return (
      `Skipped: #${pull.pullNumber} is a draft; it is reviewed when marked ready for review ` +
      '(set review-drafts: true to review drafts, or comment /review).'
    )
  }
  return undefined
}

/** The first of `values` that is in `list`, ignoring case. */
function findCaseless(values: readonly string[], list: readonly string[]): string | undefined {
  const wanted = new Set(list.map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== ''))
  return values.find((value) => wanted.has(value.trim().toLowerCase()))
}
