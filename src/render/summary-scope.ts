/**
 * The parts of the summary comment about re-runs: what this run reviewed (everything, only what is new,
 * or nothing because the head was already reviewed) and why, and the short history of reviewed commits.
 * Each part sits between hidden delimiters so a run that reviews nothing can swap just these parts in the
 * previous summary and leave its report as it was. Model text cannot forge a delimiter: every model text
 * has `<!--` defanged by the sanitizer.
 */
import type { ConcludedRun, ScopeReport } from '../state/conclude-run.js'
import type { FullScope } from '../state/plan-scope.js'
import { encodeStateMarker, stripStateMarkers, type CarriedFinding, type HistoryEntry } from '../state/review-state.js'
import { MAX_NOTE_CHARS } from '../markdown/limits.js'
import { formatSeverity } from './inline-comment.js'
import { formatCodeSpan, sanitizeLine } from '../markdown/sanitize.js'
import { formatCount, formatQuantity } from './format.js'
import { SUMMARY_MARKER, type ScopeSummaryParts } from './summary-input.js'
import { formatUsd } from '../util/usd.js'

/** Characters of a SHA shown to readers, as GitHub abbreviates them. */
const SHORT_SHA_CHARS = 7
const SCOPE_OPEN = '<!-- codex-pr-review:scope -->'
const SCOPE_CLOSE = '<!-- codex-pr-review:scope:end -->'
const HISTORY_OPEN = '<!-- codex-pr-review:history -->'
const HISTORY_CLOSE = '<!-- codex-pr-review:history:end -->'

/** Findings earlier runs listed only in the summary, on files this run did not review again. */
export function renderCarriedBlock(findings: readonly CarriedFinding[]): string {
  if (findings.length === 0) return ''
  const items = findings.map(
    (finding) =>
      `- **${formatSeverity(finding.severity)}** — ${sanitizeLine(finding.title)} · ${formatCodeSpan(sanitizeLine(`${finding.path}:${finding.line}`, MAX_NOTE_CHARS))}`
  )
  return [
    `### Earlier findings not posted inline (${findings.length})`,
    '',
    'Listed by earlier reviews of this pull request, in files this push did not change:',
    '',
    ...items
  ].join('\n')
}

function sha(value: string): string {
  return formatCodeSpan(sanitizeLine(value.slice(0, SHORT_SHA_CHARS)))
}

function quoted(value: string): string {
  return formatCodeSpan(sanitizeLine(value, MAX_NOTE_CHARS))
}

function withMessage(text: string, message: string | undefined): string {
  return message === undefined ? text : `${text} (GitHub: ${sanitizeLine(message, MAX_NOTE_CHARS)})`
}

function describeFull(scope: FullScope, report: ScopeReport): string {
  const last =
    scope.previousHead === undefined
      ? 'the last reviewed commit'
      : `${sha(scope.previousHead)} (the last reviewed commit)`
  switch (scope.reason) {
    case 'first-review':
      return 'first review of this pull request.'
    case 'state-unverified':
      return 'the record of earlier reviews in this comment could not be verified (written with another `api-key`, or edited), so it was not trusted.'
    case 'forced':
      return 'a full review was requested (`full-review: true`).'
    case 'base-changed':
      return `the base branch changed from ${quoted(scope.previousBaseRef ?? '?')} to ${quoted(report.baseRef)}.`
    case 'config-changed':
      return `settings that shape the review changed since the last review: ${(scope.settings ?? []).map(quoted).join(', ')}.`
    case 'force-push':
      return withMessage(`the branch was force-pushed: ${last} is not an ancestor of the head.`, scope.message)
    case 'branch-reset':
      return `the branch was reset to a commit before ${last}.`
    case 'compare-too-large':
      return withMessage(`the changes since ${last} are too large for GitHub's compare diff.`, scope.message)
    case 'compare-failed':
      return withMessage(`the changes since ${last} could not be compared.`, scope.message)
  }
}

function describeScope(report: ScopeReport): string {
  const { scope } = report
  const head = sha(report.headSha)
  if (scope.kind === 'already-reviewed') {
    return (
      `**Already reviewed** at ${head}: no new commits since the last complete review, and the same settings, so ` +
      'nothing was sent to the model and nothing new was posted. The report below is from that review. ' +
      'To review it again, run with `full-review: true` or comment `/review full`.'
    )
  }
  if (scope.kind === 'full') return `**Full review** of ${head}: ${describeFull(scope, report)}`
  const commits = scope.commits > 0 ? ` in ${formatQuantity(scope.commits, 'new commit')}` : ''
  return `**Incremental review** of ${head}: only the changes${commits} since ${sha(scope.from)}, the last reviewed commit, were sent to the model.`
}

function describeFollowUps(report: ScopeReport): string[] {
  const lines: string[] = []
  if (report.outsidePull > 0) {
    lines.push(
      `${formatQuantity(report.outsidePull, 'file')} changed since the last review but not by this pull request ` +
        `(e.g. merged from the base branch) ${report.outsidePull === 1 ? 'was' : 'were'} not reviewed.`
    )
  }
  if (report.alreadyPosted > 0) {
    const verb = report.alreadyPosted === 1 ? 'was' : 'were'
    lines.push(
      `${formatQuantity(report.alreadyPosted, 'finding')} already posted by an earlier run ${verb} not posted again.`
    )
  }
  const threads = describeThreads(report)
  if (threads !== undefined) lines.push(threads)
  if (!report.complete && report.scope.kind !== 'already-reviewed') {
    lines.push(
      report.recordedHead === null
        ? 'This run did not review everything, so the next run reviews the whole pull request again.'
        : `This run did not review everything, so the next run reviews again from ${sha(report.recordedHead)}.`
    )
  }
  return lines
}

/** The action's review threads (issue 13): open, fixed, dismissed, answered; undefined when there are none. */
function describeThreads(report: ScopeReport): string | undefined {
  const counts = report.threads
  if (counts === undefined || counts.open + counts.fixed + counts.dismissed + counts.answered === 0) return undefined
  const parts = [
    `${formatCount(counts.open)} open`,
    `${formatCount(counts.fixed)} fixed`,
    `${formatCount(counts.dismissed)} dismissed`
  ]
  const answered = `${formatCount(counts.answered)} ${counts.answered === 1 ? 'reply' : 'replies'} answered`
  const now =
    counts.resolvedNow > 0
      ? ` This run resolved ${formatQuantity(counts.resolvedNow, 'thread')} the new commits fixed.`
      : ''
  return `**Review threads:** ${parts.join(' · ')} · ${answered}.${now}`
}

/** What this run reviewed and why, between the scope delimiters. */
export function renderScopeBlock(report: ScopeReport): string {
  const lines = [describeScope(report), ...describeFollowUps(report)]
  return [SCOPE_OPEN, lines.map((line) => `> ${line}`).join('\n>\n'), SCOPE_CLOSE].join('\n')
}

function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
}

function describeRun(entry: HistoryEntry): string {
  if (entry.kind === 'skipped') return 'already reviewed, nothing sent'
  const kind =
    entry.kind === 'incremental' && entry.from !== undefined ? `incremental since ${sha(entry.from)}` : entry.kind
  return `${kind}, ${entry.complete ? 'complete' : 'incomplete'}`
}

/** The last runs, newest first, between the history delimiters. */
export function renderHistoryBlock(history: readonly HistoryEntry[]): string {
  const rows = [...history]
    .reverse()
    .map(
      (entry) =>
        `| ${sha(entry.head)} | ${describeRun(entry)} | ${entry.kind === 'skipped' ? '–' : formatCount(entry.findings)} | ${formatTime(entry.at)} |`
    )
  const table = ['| Commit | Run | Findings | When |', '|---|---|---:|---|', ...rows].join('\n')
  const title = `Review history (${formatQuantity(history.length, 'run')})`
  return [HISTORY_OPEN, `<details><summary>${title}</summary>\n\n${table}\n\n</details>`, HISTORY_CLOSE].join('\n')
}

function replaceBlock(body: string, open: string, close: string, block: string): string | undefined {
  const start = body.indexOf(open)
  const end = body.indexOf(close, start)
  if (start === -1 || end === -1) return undefined
  return `${body.slice(0, start)}${block}${body.slice(end + close.length)}`
}

/**
 * The summary for a run that reviewed nothing: the previous summary with a new state line, scope and
 * history swapped in, its report kept as it was. Without a previous body (or one without our parts), a
 * short summary of its own.
 */
export function renderAlreadyReviewedBody(previousBody: string | undefined, parts: ScopeSummaryParts): string {
  const previous = stripStateMarkers((previousBody ?? '').split(SUMMARY_MARKER).join('')).trim()
  const withScope = replaceBlock(previous, SCOPE_OPEN, SCOPE_CLOSE, parts.scopeBlock)
  const withHistory =
    withScope === undefined ? undefined : replaceBlock(withScope, HISTORY_OPEN, HISTORY_CLOSE, parts.historyBlock)
  const body = withHistory ?? ['## 🤖 Codex PR review', parts.scopeBlock, parts.historyBlock].join('\n\n')
  return [SUMMARY_MARKER, parts.stateMarker, body].join('\n')
}

/** The summary's re-run parts for a concluded run: the signed state line, the scope, history and carried blocks. */
export function renderScopeParts(concluded: ConcludedRun): ScopeSummaryParts {
  return {
    stateMarker: encodeStateMarker(concluded.state, concluded.seal),
    scopeBlock: renderScopeBlock(concluded.scope),
    historyBlock: renderHistoryBlock(concluded.state.history),
    carriedBlock: renderCarriedBlock(concluded.carriedFromEarlier)
  }
}

/**
 * The summary while a review runs: what is being reviewed and what it should cost, above the previous state
 * line (kept as it was, so a run that is cancelled or fails loses nothing: the next run still builds on it) and
 * the previous history. The finished review replaces all of it.
 */
export function renderInProgressBody(options: {
  /** The previous summary's verified state line, when there is one. */
  readonly stateLine?: string
  /** The previous summary's body, for its history block. */
  readonly previousBody?: string
  readonly headSha: string
  readonly files: number
  readonly requests: number
  readonly model: string
  /** Dollars at list prices, when the model has them. */
  readonly estimatedUsd?: number
}): string {
  const cost = options.estimatedUsd === undefined ? '' : `, estimated ${formatUsd(options.estimatedUsd)}`
  const progress =
    `⏳ **Reviewing** ${sha(options.headSha)}: ${formatQuantity(options.files, 'file')} in ` +
    `${formatQuantity(options.requests, 'request')} to ${formatCodeSpan(sanitizeLine(options.model))}${cost}. ` +
    'This comment is replaced with the review when it is done; if it stays like this, the workflow run was ' +
    'cancelled or failed (see its log).'
  const history = extractBlock(options.previousBody ?? '', HISTORY_OPEN, HISTORY_CLOSE)
  return [
    SUMMARY_MARKER,
    ...(options.stateLine === undefined ? [] : [options.stateLine]),
    '## 🤖 Codex PR review',
    '',
    progress,
    ...(history === undefined ? [] : ['', history])
  ].join('\n')
}

function extractBlock(body: string, open: string, close: string): string | undefined {
  const start = body.indexOf(open)
  const end = body.indexOf(close, start)
  return start === -1 || end === -1 ? undefined : body.slice(start, end + close.length)
}
