/**
 * The fake GitHub's history-aware parts, on top of fake-git.ts: `GET /compare/{base}...{head}` (JSON with
 * status/ahead_by/behind_by/merge_base_commit/commits/files, or the diff media type with the same 406
 * limits as a PR diff, or 404 "No common ancestor" / "Not Found"), pushing to a pull request (its head and
 * diff move), and where an earlier review comment sits on the new head: moved with its line, or outdated
 * (`line: null`, `position: null`, `original_line` kept) when the line it was on changed.
 */
import { findHunk, parseFakeDiff, type FakeDiffFile } from './diff-hunks.js'
import {
  addCommit,
  ancestorsOf,
  diffTrees,
  mapLine,
  mergeBaseOf,
  pullDiffOf,
  requireCommit,
  type FakeCommit,
  type FakeCommitGraph
} from './fake-git.js'
import type { FakePull } from './github-shapes.js'

const DOCS = 'https://docs.github.com/rest/commits/commits#compare-two-commits'
const MAX_DIFF_FILES = 300
const MAX_DIFF_LINES = 20_000

export interface CompareReply {
  status: number
  json?: unknown
  text?: string
  headers?: Record<string, string>
}

function commitJson(owner: string, repo: string, commit: FakeCommit) {
  return {
    sha: commit.sha,
    commit: {
      message: commit.message,
      author: { name: 'Octo Cat', email: 'octocat@example.com', date: '2026-01-01T00:00:00Z' },
      tree: { sha: commit.sha.split('').reverse().join('') }
    },
    parents: commit.parents.map((sha) => ({ sha })),
    html_url: `https://github.com/${owner}/${repo}/commit/${commit.sha}`
  }
}

function fileEntry(file: FakeDiffFile, index: number) {
  return {
    sha: (index + 1).toString(16).padStart(40, '0'),
    filename: file.filename,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    ...(file.patch === '' ? {} : { patch: file.patch })
  }
}

/** Commits reachable from `head` but not from `other`, oldest first. */
function onlyIn(graph: FakeCommitGraph, head: string, other: string): FakeCommit[] {
  const excluded = ancestorsOf(graph, other)
  return [...ancestorsOf(graph, head)]
    .filter(([sha]) => !excluded.has(sha))
    .sort((a, b) => b[1] - a[1])
    .map(([sha]) => requireCommit(graph, sha))
}

/** `GET /repos/{o}/{r}/compare/{base}...{head}` as GitHub answers it. */
export function compareReply(options: {
  graph: FakeCommitGraph | undefined
  owner: string
  repo: string
  basehead: string
  accept: string
  query: URLSearchParams
}): CompareReply {
  const { graph, owner, repo } = options
  const [base = '', head = ''] = options.basehead.split('...')
  if (graph === undefined || !graph.commits.has(base) || !graph.commits.has(head)) {
    return { status: 404, json: { message: 'Not Found', documentation_url: DOCS, status: '404' } }
  }
  const mergeBase = mergeBaseOf(graph, base, head)
  if (mergeBase === undefined) {
    return {
      status: 404,
      json: { message: `No common ancestor between ${base} and ${head}.`, documentation_url: DOCS, status: '404' }
    }
  }
  const diff = diffTrees(requireCommit(graph, mergeBase).files, requireCommit(graph, head).files)
  const files = parseFakeDiff(diff)
  if (/vnd\.github(\.v3)?\.diff/.test(options.accept)) {
    if (files.length > MAX_DIFF_FILES || diff.split('\n').length > MAX_DIFF_LINES) {
      // The same limits and wording as the pull request diff (api-facts A1/A2).
      const what = files.length > MAX_DIFF_FILES ? `files (${MAX_DIFF_FILES})` : `lines (${MAX_DIFF_LINES})`
      const message = `Sorry, the diff exceeded the maximum number of ${what}`
      return {
        status: 406,
        json: {
          message,
          errors: [{ resource: 'Comparison', field: 'diff', code: 'too_large' }],
          documentation_url: DOCS,
          status: '406'
        }
      }
    }
    return { status: 200, text: diff, headers: { 'content-type': 'application/vnd.github.diff; charset=utf-8' } }
  }
  const ahead = onlyIn(graph, head, base)
  const behind = onlyIn(graph, base, head)
  const status =
    ahead.length === 0 ? (behind.length === 0 ? 'identical' : 'behind') : behind.length === 0 ? 'ahead' : 'diverged'
  const perPage = Math.min(Math.max(Number(options.query.get('per_page') ?? 250) || 250, 1), 250)
  const page = Math.max(Number(options.query.get('page') ?? 1) || 1, 1)
  return {
    status: 200,
    json: {
      url: `https://api.github.com/repos/${owner}/${repo}/compare/${options.basehead}`,
      html_url: `https://github.com/${owner}/${repo}/compare/${options.basehead}`,
      base_commit: commitJson(owner, repo, requireCommit(graph, base)),
      merge_base_commit: commitJson(owner, repo, requireCommit(graph, mergeBase)),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: ahead.slice((page - 1) * perPage, page * perPage).map((commit) => commitJson(owner, repo, commit)),
      // GitHub sends files only on the first page, at most 300.
      ...(page === 1 ? { files: files.slice(0, MAX_DIFF_FILES).map(fileEntry) } : {})
    }
  }
}

/** Moves a pull request's head to `sha` (a commit of `graph`) and its diff with it. */
export function movePullHead(graph: FakeCommitGraph, pull: FakePull, sha: string): void {
  requireCommit(graph, sha)
  pull.headSha = sha
  pull.diff = pullDiffOf(graph, pull.baseSha, sha)
}

/** 1-based offset of a RIGHT line below the file's first `@@` line, hunk headers included; null when absent. */
export function positionOf(file: FakeDiffFile | undefined, line: number): number | null {
  if (file === undefined) return null
  let newLine = 0
  let offset = -1
  for (const row of file.patch.split('\n')) {
    offset++
    const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(row)
    if (header !== null) {
      newLine = Number(header[1])
      continue
    }
    if (row.startsWith('-') || row.startsWith('\\')) continue
    if (newLine === line) return offset
    newLine++
  }
  return null
}

export interface CommentLocation {
  path: string
  line: number
  startLine: number | null
  side: 'LEFT' | 'RIGHT'
  /** Head the comment was written on. */
  commitId: string
}

/**
 * Where GitHub shows a review comment on the current head: its lines carried to the head when they are
 * unchanged and still in the PR's diff; otherwise outdated, with only the original fields set.
 */
export function locateComment(options: {
  graph?: FakeCommitGraph
  pull: FakePull
  files: readonly FakeDiffFile[]
  comment: CommentLocation
}) {
  const { graph, pull, files, comment } = options
  const file = files.find((candidate) => candidate.filename === comment.path)
  const carry = (line: number): number | undefined => {
    if (comment.commitId === pull.headSha || graph === undefined) return line
    if (!graph.commits.has(comment.commitId)) return undefined
    const before = requireCommit(graph, comment.commitId).files[comment.path]
    return mapLine(before, requireCommit(graph, pull.headSha).files[comment.path], line)
  }
  const line = comment.side === 'RIGHT' ? carry(comment.line) : comment.line
  const start =
    comment.startLine === null ? null : comment.side === 'RIGHT' ? carry(comment.startLine) : comment.startLine
  const current =
    line !== undefined && start !== undefined && file !== undefined && findHunk(file, comment.side, line) !== -1
  const originalFiles =
    graph !== undefined && graph.commits.has(comment.commitId)
      ? parseFakeDiff(pullDiffOf(graph, pull.baseSha, comment.commitId))
      : files
  return {
    line: current ? line : null,
    start_line: current ? start : null,
    position: current && comment.side === 'RIGHT' ? positionOf(file, line) : null,
    original_line: comment.line,
    original_start_line: comment.startLine,
    original_position: positionOf(
      originalFiles.find((candidate) => candidate.filename === comment.path),
      comment.line
    ),
    commit_id: current ? pull.headSha : comment.commitId,
    original_commit_id: comment.commitId
  }
}

/** What a test pushes to a pull request's branch. */
export interface PushOptions {
  pullNumber: number
  /** Files to write (null deletes), on top of `parent`'s files. */
  changes: Readonly<Record<string, string | null>>
  /** Defaults to the current head (a normal push); anything else is a force-push; null makes an orphan commit. */
  parent?: string | null
  /** A second parent: the push is a merge of this commit (e.g. the base branch) into the branch. */
  mergeWith?: string
  message?: string
}

/** Commits on top of `parent` (default: the head) and moves the PR's head there. Returns the new SHA. */
export function pushToPull(graph: FakeCommitGraph | undefined, pull: FakePull, options: PushOptions): string {
  if (graph === undefined) throw new Error('fake GitHub: pushCommit needs the `commits` option')
  const sha = addCommit(graph, {
    parents: [
      ...(options.parent === null ? [] : [options.parent ?? pull.headSha]),
      ...(options.mergeWith === undefined ? [] : [options.mergeWith])
    ],
    changes: options.changes,
    ...(options.message === undefined ? {} : { message: options.message })
  })
  movePullHead(graph, pull, sha)
  return sha
}
