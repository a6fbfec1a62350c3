/**
 * What earlier runs reviewed, kept in ONE hidden line of the summary comment so a re-run can build on it:
 * the last head that was reviewed completely (with the base and the settings it was reviewed under) and a
 * short history of runs. The line is signed with an HMAC keyed by the API key and bound to the pull
 * request, so neither model text (which the renderer already defangs) nor a comment someone else writes
 * (e.g. a PR author posting a fake "already reviewed" state to skip the review) can forge it: a state
 * that does not verify is ignored and the PR is reviewed in full.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { SEVERITIES, type PullRequestRef, type Severity } from '../types.js'

export const STATE_VERSION = 1
/** Runs kept in the history: enough to see the recent pushes, small enough for one hidden line. */
export const MAX_HISTORY = 10
/** A state line longer than this is not ours (ours stays under about 9,000 characters). */
const MAX_STATE_CHARS = 16_000
/** Summary-only findings carried from run to run, most severe first. */
export const MAX_CARRIED = 25
/** Title characters kept for a carried finding. */
export const MAX_CARRIED_TITLE = 120
const MAX_CARRIED_PATH = 500
/**
 * Dismissed findings remembered (issue 13): enough for the findings one pull request's people argue with, small
 * enough that the state line stays far below its limit (an entry is about 90 characters of JSON).
 */
export const MAX_DISMISSED = 40
/** Open threads of ours remembered as outdated: a thread outdated since then is one the new commits changed. */
export const MAX_OUTDATED_THREADS = 50
/** Fixed threads of ours the action could not resolve yet, remembered so a later run resolves them. */
export const MAX_PENDING_RESOLVE = 50
const FINGERPRINT = /^[0-9a-f]{6,64}$/
/** Hex characters of the HMAC kept: 128 bits. */
const MAC_CHARS = 32
const MARKER_PREFIX = '<!-- codex-pr-review:state v1 '
/** Only a whole line of exactly this shape is read: base64url payload, a dot, the hex MAC. */
const MARKER_LINE = new RegExp(
  `^${MARKER_PREFIX}([A-Za-z0-9_-]{1,${MAX_STATE_CHARS}})\\.([0-9a-f]{${MAC_CHARS}}) -->$`,
  'm'
)
const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/
const CONFIG_KEY = /^[a-z][a-z0-9-]{0,40}$/
const CONFIG_HASH = /^[0-9a-f]{8,64}$/
const MAX_CONFIG_KEYS = 40
const MAX_REF_CHARS = 255
const MAX_COUNT = 1_000_000
/** Dollars a pull request's runs may have spent, at most, for the state to be believed: far above any ceiling. */
export const MAX_SPENT_USD = 1_000_000
/** Decimal places kept of the dollars spent: a millionth of a dollar, as the `cost-usd` output. */
const SPENT_DECIMALS = 6

export const RUN_KINDS = ['full', 'incremental', 'skipped'] as const
export type RunKind = (typeof RUN_KINDS)[number]

/** One run of the action on this pull request. */
export interface HistoryEntry {
  /** Head SHA the run looked at. */
  readonly head: string
  readonly kind: RunKind
  /** Every chunk was reviewed and the review was posted: the head counts as reviewed. */
  readonly complete: boolean
  /** Findings reported (inline and summary-only) after dedupe. */
  readonly findings: number
  /** When the run finished, ISO 8601 UTC. */
  readonly at: string
  /** For an incremental run: the reviewed head it built on. */
  readonly from?: string
  /**
   * The most severe finding the run reported, counting findings already posted by earlier runs: lets a
   * re-run that reviews nothing give the same `fail-on-severity` verdict.
   */
  readonly maxSeverity?: Severity
}

/** The last head reviewed completely, and what shaped that review. */
export interface ReviewedPoint {
  readonly head: string
  readonly baseRef: string
  readonly baseSha: string
  /** Setting name → short hash of its value (see config-fingerprint.ts). */
  readonly config: Readonly<Record<string, string>>
}

/**
 * A finding that was listed only in the summary (not placeable inline, or over max-comments). The summary
 * is rewritten on every run, so these ride along in the state until a run reviews their file again.
 */
export interface CarriedFinding {
  readonly path: string
  readonly line: number
  readonly severity: Severity
  readonly title: string
  readonly fingerprint: string
}

/** How a person dismissed a finding: resolved its thread unchanged, argued it away in a reply, or gave it a 👎. */
export const DISMISSAL_REASONS = ['resolved', 'reply', 'thumbs-down'] as const
export type DismissalReason = (typeof DISMISSAL_REASONS)[number]

/**
 * A finding a person dismissed (state/thread-dismissals.ts decides which): not posted again on this pull request
 * and not counted for `fail-on-severity`, until a person reopens its thread.
 */
export interface DismissedFinding {
  readonly fingerprint: string
  /** REST id of the first comment of the finding's thread (the action's inline comment). */
  readonly thread: number
  readonly reason: DismissalReason
  /** The thread was resolved when a run last saw it: reopening it then undoes the dismissal. */
  readonly resolved: boolean
  /** A person reopened the thread: the finding counts again, and the reply or 👎 behind it no longer dismisses it. */
  readonly undone?: true
}

export interface ReviewState {
  readonly version: typeof STATE_VERSION
  /** Null until a run reviews everything it planned. */
  readonly reviewed: ReviewedPoint | null
  /** Most recent last, at most MAX_HISTORY. */
  readonly history: readonly HistoryEntry[]
  /** Summary-only findings still standing, at most MAX_CARRIED; absent when none. */
  readonly summaryOnly?: readonly CarriedFinding[]
  /** Dismissed findings (and undone dismissals), oldest first, at most MAX_DISMISSED; absent when none. */
  readonly dismissed?: readonly DismissedFinding[]
  /**
   * REST ids of the threads of ours that were open and outdated when the last run read them, at most
   * MAX_OUTDATED_THREADS; absent when that run could not read threads (then every outdated thread counts as
   * outdated before, and none is resolved as fixed by an incremental run).
   */
  readonly outdatedThreads?: readonly number[]
  /**
   * REST ids of threads of ours the action replied "Fixed in" to but could not resolve (a token without
   * `contents: write`), at most MAX_PENDING_RESOLVE: a later run resolves them without a second reply. Without this
   * record, an open thread carrying our "Fixed in" reply reads as one a person reopened, which counts again.
   */
  readonly pendingResolve?: readonly number[]
  /**
   * Dollars all recorded runs on this pull request spent on model requests (billed, else at list prices), for
   * `max-pr-cost-usd` and the `pr-cost-usd` output; absent while nothing was spent.
   */
  readonly spentUsd?: number
}

/** Binds a state to one pull request and to the key only the workflow has. */
export interface StateSeal {
  readonly ref: PullRequestRef
  /** The model API key: secret to PR authors of forks and to readers of the PR. Never written anywhere. */
  readonly secret: string
  /**
   * The account the action posts as (e.g. `id:41898282`), when known: the state is valid only in a comment
   * that account wrote, so it never vouches for another author's comments.
   */
  readonly author?: string
}

export type StateLookup =
  | { readonly found: true; readonly state: ReviewState }
  | { readonly found: false; readonly reason: 'missing' | 'malformed' | 'unverified' }

function sign(payload: string, seal: StateSeal): string {
  const { owner, repo, pullNumber } = seal.ref
  return createHmac('sha256', seal.secret)
    .update(`codex-pr-review state v${STATE_VERSION}\n${owner}/${repo}#${pullNumber}\n${authorLine(seal)}${payload}`)
    .digest('hex')
    .slice(0, MAC_CHARS)
}

function authorLine(seal: StateSeal): string {
  return seal.author === undefined ? '' : `author ${seal.author}\n`
}

/** The hidden line that carries `state`, signed for this pull request. */
export function encodeStateMarker(state: ReviewState, seal: StateSeal): string {
  const payload = Buffer.from(JSON.stringify(state), 'utf8').toString('base64url')
  return `${MARKER_PREFIX}${payload}.${sign(payload, seal)} -->`
}

/**
 * Reads the state from a summary comment body: the first line that is exactly our marker, verified
 * against the seal and checked field by field. Anything else (no line, a bad MAC, an unexpected shape) is
 * reported, never trusted.
 */
export function decodeStateMarker(body: string, seal: StateSeal): StateLookup {
  const match = MARKER_LINE.exec(body)
  if (match === null || match[1] === undefined || match[2] === undefined) {
    return { found: false, reason: body.includes(MARKER_PREFIX) ? 'malformed' : 'missing' }
  }
  const [, payload, mac] = match
  const expected = Buffer.from(sign(payload, seal), 'utf8')
  if (!timingSafeEqual(expected, Buffer.from(mac, 'utf8'))) return { found: false, reason: 'unverified' }
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  } catch {
    return { found: false, reason: 'malformed' }
  }
  const state = toReviewState(parsed)
  return state === undefined ? { found: false, reason: 'malformed' } : { found: true, state }
}

/** The state line of a body exactly as written (verified or not: the caller verifies), or undefined. */
export function findStateLine(body: string): string | undefined {
  return MARKER_LINE.exec(body)?.[0]
}

/** Removes every state line (ours or lookalikes) from a body, e.g. before writing a new one. */
export function stripStateMarkers(body: string): string {
  return body
    .split('\n')
    .filter((line) => !line.startsWith(MARKER_PREFIX))
    .join('\n')
}

/** What one run did, for `recordRun`. */
export interface RunRecord {
  readonly kind: RunKind
  readonly head: string
  readonly baseRef: string
  readonly baseSha: string
  readonly config: Readonly<Record<string, string>>
  readonly complete: boolean
  readonly findings: number
  readonly at: string
  readonly from?: string
  readonly maxSeverity?: Severity
  /** Summary-only findings standing after this run; undefined keeps the previous ones (a run that reviewed nothing). */
  readonly summaryOnly?: readonly CarriedFinding[]
  /** Dismissed findings after this run; undefined keeps the previous ones (threads could not be read). */
  readonly dismissed?: readonly DismissedFinding[]
  /** Open outdated threads of ours after this run; undefined keeps the previous ones (threads could not be read). */
  readonly outdatedThreads?: readonly number[]
  /** Fixed threads still to resolve after this run; undefined keeps the previous ones. */
  readonly pendingResolve?: readonly number[]
  /** Dollars this run spent, added to the pull request's total; undefined adds nothing (nothing sent, or unknown). */
  readonly spentUsd?: number
}

/** The pull request's total after a run: the earlier total plus this run's, rounded to a millionth, capped. */
export function addSpent(previous: number | undefined, run: number | undefined): number {
  const total = (previous ?? 0) + (run !== undefined && Number.isFinite(run) && run > 0 ? run : 0)
  return Math.min(MAX_SPENT_USD, Number(total.toFixed(SPENT_DECIMALS)))
}

/**
 * The state after a run. The reviewed point advances only when the run was complete: after a run with
 * failed chunks it stays where it was, so the next run reviews again from there and covers the gap.
 * A run that found the head already reviewed replaces a skipped entry for the same head instead of piling up.
 */
export function recordRun(previous: ReviewState | null, run: RunRecord): ReviewState {
  const entry: HistoryEntry = {
    head: run.head,
    kind: run.kind,
    complete: run.complete,
    findings: run.findings,
    at: run.at,
    ...(run.from === undefined ? {} : { from: run.from }),
    ...(run.maxSeverity === undefined ? {} : { maxSeverity: run.maxSeverity })
  }
  const earlier = previous?.history ?? []
  const last = earlier[earlier.length - 1]
  const kept =
    last !== undefined && last.kind === 'skipped' && run.kind === 'skipped' && last.head === run.head
      ? earlier.slice(0, -1)
      : earlier
  const reviewed =
    run.complete && run.kind !== 'skipped'
      ? { head: run.head, baseRef: run.baseRef, baseSha: run.baseSha, config: { ...run.config } }
      : (previous?.reviewed ?? null)
  const summaryOnly = (run.summaryOnly ?? previous?.summaryOnly ?? []).slice(0, MAX_CARRIED)
  const dismissed = (run.dismissed ?? previous?.dismissed ?? []).slice(-MAX_DISMISSED)
  const outdatedThreads = (run.outdatedThreads ?? previous?.outdatedThreads)?.slice(-MAX_OUTDATED_THREADS)
  const pendingResolve = (run.pendingResolve ?? previous?.pendingResolve ?? []).slice(-MAX_PENDING_RESOLVE)
  const spentUsd = addSpent(previous?.spentUsd, run.spentUsd)
  return {
    version: STATE_VERSION,
    reviewed,
    history: [...kept, entry].slice(-MAX_HISTORY),
    ...(summaryOnly.length === 0 ? {} : { summaryOnly }),
    ...(dismissed.length === 0 ? {} : { dismissed }),
    // Written even when empty: "none was outdated" differs from "nobody looked" (see ReviewState).
    ...(outdatedThreads === undefined ? {} : { outdatedThreads }),
    ...(pendingResolve.length === 0 ? {} : { pendingResolve }),
    ...(spentUsd > 0 ? { spentUsd } : {})
  }
}

/** The carried finding when `value` has the exact shape the state accepts; undefined otherwise. */
export function toCarriedFinding(value: unknown): CarriedFinding | undefined {
  if (!isRecord(value) || !hasOnlyKeys(value, ['path', 'line', 'severity', 'title', 'fingerprint'])) return undefined
  const { path, line, title, fingerprint } = value
  const severity = SEVERITIES.find((known) => known === value.severity)
  const pathOk = typeof path === 'string' && path !== '' && path.length <= MAX_CARRIED_PATH && !/[\r\n]/.test(path)
  const titleOk = typeof title === 'string' && title.length <= MAX_CARRIED_TITLE
  const fingerprintOk = typeof fingerprint === 'string' && FINGERPRINT.test(fingerprint)
  if (!pathOk || !titleOk || !fingerprintOk || !isCount(line) || line < 1 || severity === undefined) return undefined
  return { path, line, severity, title, fingerprint }
}

/** The dismissed finding when `value` has the exact shape the state accepts; undefined otherwise. */
export function toDismissedFinding(value: unknown): DismissedFinding | undefined {
  if (!isRecord(value) || !hasOnlyKeys(value, ['fingerprint', 'thread', 'reason', 'resolved', 'undone']))
    return undefined
  const { fingerprint, thread, resolved, undone } = value
  const reason = DISMISSAL_REASONS.find((known) => known === value.reason)
  if (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint) || !isId(thread)) return undefined
  if (reason === undefined || typeof resolved !== 'boolean' || (undone !== undefined && undone !== true)) {
    return undefined
  }
  return { fingerprint, thread, reason, resolved, ...(undone === true ? { undone } : {}) }
}

/** A GitHub REST id: comment ids passed 2^31 long ago, so anything up to 2^53 is allowed. */
function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0
}

/** A bounded list of `value`s each read by `read`, or undefined when the list or any entry is off. */
function readList<T>(value: unknown, max: number, read: (entry: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value) || value.length > max) return undefined
  const entries = value.map(read)
  return entries.some((entry) => entry === undefined) ? undefined : (entries as T[])
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function hasOnlyKeys(value: Record<string, unknown>, allowed: readonly string[]): boolean {
  return Object.keys(value).every((key) => allowed.includes(key))
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_COUNT
}

/** A dollar total the state could have written: a finite number from 0 to MAX_SPENT_USD. */
function isSpent(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_SPENT_USD
}

function isSha(value: unknown): value is string {
  return typeof value === 'string' && SHA.test(value)
}

function toConfig(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined
  const entries = Object.entries(value)
  if (entries.length > MAX_CONFIG_KEYS) return undefined
  const valid = entries.every(
    ([key, hash]) => CONFIG_KEY.test(key) && typeof hash === 'string' && CONFIG_HASH.test(hash)
  )
  return valid ? Object.fromEntries(entries as [string, string][]) : undefined
}

function toReviewedPoint(value: unknown): ReviewedPoint | null | undefined {
  if (value === null) return null
  if (!isRecord(value) || !hasOnlyKeys(value, ['head', 'baseRef', 'baseSha', 'config'])) return undefined
  const { head, baseRef, baseSha } = value
  const config = toConfig(value.config)
  const refOk = typeof baseRef === 'string' && baseRef.length <= MAX_REF_CHARS && !/[\s<>]/.test(baseRef)
  if (!isSha(head) || !isSha(baseSha) || !refOk || config === undefined) return undefined
  return { head, baseRef, baseSha, config }
}

function toHistoryEntry(value: unknown): HistoryEntry | undefined {
  const keys = ['head', 'kind', 'complete', 'findings', 'at', 'from', 'maxSeverity']
  if (!isRecord(value) || !hasOnlyKeys(value, keys)) return undefined
  const { head, kind, complete, findings, at, from, maxSeverity } = value
  const kindOk = RUN_KINDS.find((known) => known === kind)
  const severity = SEVERITIES.find((known) => known === maxSeverity)
  if (!isSha(head) || kindOk === undefined || typeof complete !== 'boolean' || !isCount(findings)) return undefined
  if (typeof at !== 'string' || !ISO_TIME.test(at) || (from !== undefined && !isSha(from))) return undefined
  if (maxSeverity !== undefined && severity === undefined) return undefined
  return {
    head,
    kind: kindOk,
    complete,
    findings,
    at,
    ...(from === undefined ? {} : { from }),
    ...(severity === undefined ? {} : { maxSeverity: severity })
  }
}

/** Strict shape check: unknown keys, wrong types or an overlong history make the whole state invalid. */
function toReviewState(value: unknown): ReviewState | undefined {
  const keys = [
    'version',
    'reviewed',
    'history',
    'summaryOnly',
    'dismissed',
    'outdatedThreads',
    'pendingResolve',
    'spentUsd'
  ]
  if (!isRecord(value) || !hasOnlyKeys(value, keys)) return undefined
  if (value.version !== STATE_VERSION || !Array.isArray(value.history) || value.history.length > MAX_HISTORY) {
    return undefined
  }
  const reviewed = toReviewedPoint(value.reviewed)
  const history = value.history.map(toHistoryEntry)
  if (reviewed === undefined || history.some((entry) => entry === undefined)) return undefined
  const carried = value.summaryOnly === undefined ? [] : value.summaryOnly
  if (!Array.isArray(carried) || carried.length > MAX_CARRIED) return undefined
  const summaryOnly = carried.map(toCarriedFinding)
  if (summaryOnly.some((entry) => entry === undefined)) return undefined
  const dismissed = readList(value.dismissed ?? [], MAX_DISMISSED, toDismissedFinding)
  const outdatedThreads =
    value.outdatedThreads === undefined
      ? undefined
      : readList(value.outdatedThreads, MAX_OUTDATED_THREADS, (entry) => (isId(entry) ? entry : undefined))
  const pendingResolve = readList(value.pendingResolve ?? [], MAX_PENDING_RESOLVE, (entry) =>
    isId(entry) ? entry : undefined
  )
  if (dismissed === undefined || (value.outdatedThreads !== undefined && outdatedThreads === undefined)) {
    return undefined
  }
  if (pendingResolve === undefined) return undefined
  if (value.spentUsd !== undefined && !isSpent(value.spentUsd)) return undefined
  return {
    version: STATE_VERSION,
    reviewed,
    history: history as HistoryEntry[],
    ...(summaryOnly.length === 0 ? {} : { summaryOnly: summaryOnly as CarriedFinding[] }),
    ...(dismissed.length === 0 ? {} : { dismissed }),
    ...(outdatedThreads === undefined ? {} : { outdatedThreads }),
    ...(pendingResolve.length === 0 ? {} : { pendingResolve }),
    ...(value.spentUsd === undefined ? {} : { spentUsd: value.spentUsd })
  }
}
