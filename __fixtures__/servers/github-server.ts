/**
 * A loopback server that answers like the GitHub REST API for the endpoints the action uses: stateful
 * (reviews and comments it accepts are stored and listed back), paginated with real Link headers, validating
 * reviews the way GitHub does (all-or-nothing 422s), with fault injection and a record of every request.
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseFakeDiff, type FakeDiffFile } from './diff-hunks.js'
import {
  ACTIONS_BOT,
  fileJson,
  issueCommentJson,
  pullJson,
  reviewCommentJson,
  reviewJson,
  type FakePull,
  type GitHubUser,
  type StoredComment,
  type StoredReview,
  type StoredReviewComment
} from './github-shapes.js'
import { MAX_BODY_CHARS, bodyTooLong, unprocessable, validateReview, type ReviewRequest } from './github-review-rules.js'
import { getPermission, getRepoContent, type FakePermissions, type FakeRepoFiles } from './github-repo-routes.js'
import { getGitBlob, getGitTree, type FakeGitTrees } from './github-git-routes.js'
import { compareReply, locateComment, pushToPull, type PushOptions } from './github-compare.js'
import type { FakeCommitGraph } from './fake-git.js'

export type { FakePull, GitHubUser, StoredComment, StoredReview, StoredReviewComment }
export { ACTIONS_BOT }

export interface RecordedGitHubRequest {
  method: string
  /** Path without the API prefix (as GitHub documents it), e.g. `/repos/o/r/pulls/1`. */
  path: string
  query: Record<string, string>
  /** Request headers except `authorization`. */
  headers: Record<string, string>
  body: unknown
}

export interface GitHubFault {
  method: string
  /** Tested against the path without the API prefix and without the query. */
  pathPattern: RegExp
  /** How many matching requests get the fault. */
  times: number
  status: number
  headers?: Record<string, string>
  body?: unknown
  /** Handle the request normally first (store what it creates), then answer with the fault. */
  afterHandling?: boolean
}

export interface FakeGitHub {
  baseUrl: string
  close(): Promise<void>
  requests: RecordedGitHubRequest[]
  reviews: StoredReview[]
  reviewComments: StoredReviewComment[]
  issueComments: StoredComment[]
  inject(fault: GitHubFault): void
  /** Seeds a comment as if someone had posted it earlier. */
  addIssueComment(options: { pullNumber: number; body: string; user?: GitHubUser }): StoredComment
  /** Pushes a commit to a pull request's branch (needs `commits`): its head and diff move. Returns the SHA. */
  pushCommit(options: PushOptions): string
  /** Seeds an inline review comment (RIGHT side) as if someone had posted it on `commitId` (default: the head). */
  addReviewComment(options: { pullNumber: number; path: string; line: number; body: string; user?: GitHubUser; commitId?: string }): StoredReviewComment
}

export interface GitHubServerOptions {
  owner: string
  repo: string
  token: string
  pulls: FakePull[]
  /** API path prefix, e.g. `/api/v3` to look like GitHub Enterprise Server. */
  pathPrefix?: string
  /** Repository files per ref (commit SHA or branch), for the contents API. */
  files?: FakeRepoFiles
  /** Users' roles on the repository; anyone else has `read` (an outsider on a public repository). */
  permissions?: FakePermissions
  /** Commit history (fake-git.ts): enables the compare API, pushes, and outdated review comments. */
  commits?: FakeCommitGraph
  /** Symlinks, submodules and truncation for the Git trees API (its files are `files`). */
  gitTrees?: FakeGitTrees
}

/** What GitHub says when a secondary (abuse) limit is hit; the throttling plugin matches "secondary rate". */
export const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.'
export const MAX_DIFF_FILES = 300
export const MAX_DIFF_LINES = 20_000
export const MAX_LISTED_FILES = 3_000
const DOCS = 'https://docs.github.com/rest'

interface Reply {
  status: number
  json?: unknown
  text?: string
  headers?: Record<string, string>
}

interface Context {
  options: GitHubServerOptions
  state: Pick<FakeGitHub, 'reviews' | 'reviewComments' | 'issueComments'>
  files: Map<number, FakeDiffFile[]>
  ids: { next: number }
  origin: string
}

const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({ status, json: body, ...(headers ? { headers } : {}) })
const notFound = (): Reply => json(404, { message: 'Not Found', documentation_url: DOCS, status: '404' })
function timestamp(ctx: Context): string {
  return new Date(Date.UTC(2026, 0, 1) + ctx.ids.next * 1000).toISOString()
}

function filesOf(ctx: Context, pull: FakePull): FakeDiffFile[] {
  let files = ctx.files.get(pull.number)
  if (files === undefined) ctx.files.set(pull.number, (files = parseFakeDiff(pull.diff)))
  return files
}

/** One page of `items` with GitHub's Link header; links use the Host the client asked for, like GitHub. */
function paginate(ctx: Context, request: HandlerRequest, items: readonly unknown[]): Reply {
  const { query, path } = request
  const perPage = Math.min(Math.max(Number(query.get('per_page') ?? 30) || 30, 1), 100)
  const page = Math.max(Number(query.get('page') ?? 1) || 1, 1)
  const last = Math.max(Math.ceil(items.length / perPage), 1)
  const link = (n: number, rel: string): string => {
    const params = new URLSearchParams(query)
    params.set('page', String(n))
    return `<${request.origin}${ctx.options.pathPrefix ?? ''}${path}?${params.toString()}>; rel="${rel}"`
  }
  const links = [
    ...(page > 1 ? [link(page - 1, 'prev')] : []),
    ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
    ...(page > 1 ? [link(1, 'first')] : [])
  ]
  return json(200, items.slice((page - 1) * perPage, page * perPage), links.length > 0 ? { link: links.join(', ') } : {})
}

function getPull(ctx: Context, pull: FakePull, accept: string): Reply {
  if (!/vnd\.github(\.v3)?\.diff/.test(accept)) {
    return json(200, pullJson({ owner: ctx.options.owner, repo: ctx.options.repo, pull, files: filesOf(ctx, pull) }))
  }
  const tooLarge = (message: string): Reply =>
    json(406, {
      message,
      errors: [{ resource: 'PullRequest', field: 'diff', code: 'too_large' }],
      documentation_url: `${DOCS}/pulls/pulls#get-a-pull-request`,
      status: '406'
    })
  if (filesOf(ctx, pull).length > MAX_DIFF_FILES) {
    return tooLarge(
      `Sorry, the diff exceeded the maximum number of files (${MAX_DIFF_FILES}). Consider using 'List pull requests files' API or locally cloning the repository instead.`
    )
  }
  if (pull.diff.split('\n').length > MAX_DIFF_LINES) {
    return tooLarge(`Sorry, the diff exceeded the maximum number of lines (${MAX_DIFF_LINES})`)
  }
  return { status: 200, text: pull.diff, headers: { 'content-type': 'application/vnd.github.diff; charset=utf-8' } }
}

const REVIEW_STATES: Record<string, StoredReview['state']> = {
  COMMENT: 'COMMENTED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  PENDING: 'PENDING'
}

function createReview(ctx: Context, pull: FakePull, request: ReviewRequest): Reply {
  const refusal = validateReview({ request, files: filesOf(ctx, pull), headSha: pull.headSha, reviews: ctx.state.reviews.filter(r => r.pullNumber === pull.number) })
  if (refusal !== undefined) return refusal
  const id = ctx.ids.next++
  const commitId = request.commit_id ?? pull.headSha
  const comments = (request.comments ?? []).map(comment => ({
    id: ctx.ids.next++,
    reviewId: id,
    pullNumber: pull.number,
    path: comment.path,
    line: comment.line ?? 0,
    side: comment.side ?? 'RIGHT',
    startLine: comment.start_line ?? null,
    startSide: comment.start_line === undefined ? null : (comment.start_side ?? comment.side ?? 'RIGHT'),
    body: comment.body,
    commitId
  }))
  const state = REVIEW_STATES[request.event ?? 'PENDING'] ?? 'PENDING'
  const review: StoredReview = {
    id,
    pullNumber: pull.number,
    state,
    body: request.body ?? '',
    commitId,
    user: ACTIONS_BOT,
    comments
  }
  ctx.state.reviews.push(review)
  if (state !== 'PENDING') ctx.state.reviewComments.push(...comments)
  return json(200, reviewJson(review))
}

function writeIssueComment(body: unknown, write: (text: string) => Reply): Reply {
  const text = typeof body === 'object' && body !== null && 'body' in body ? body.body : undefined
  if (typeof text !== 'string' || text === '') {
    return unprocessable([{ resource: 'IssueComment', code: 'missing_field', field: 'body' }], 'Validation Failed')
  }
  if (text.length > MAX_BODY_CHARS) return bodyTooLong('IssueComment')
  return write(text)
}

interface HandlerRequest {
  query: URLSearchParams
  body: unknown
  accept: string
  /** Path without the API prefix. */
  path: string
  /** `http://host:port` as the client addressed it. */
  origin: string
}

type Handler = (ctx: Context, match: RegExpExecArray, request: HandlerRequest) => Reply

function withPull(handler: (ctx: Context, pull: FakePull, request: HandlerRequest) => Reply): Handler {
  return (ctx, match, request) => {
    const pull = ctx.options.pulls.find(candidate => candidate.number === Number(match[1]))
    return pull === undefined ? notFound() : handler(ctx, pull, request)
  }
}

const ROUTES: ReadonlyArray<readonly [string, RegExp, Handler]> = [
  ['GET', /^\/contents\/(.+)$/, (ctx, match, r) => getRepoContent({
    files: ctx.options.files, owner: ctx.options.owner, repo: ctx.options.repo, path: decodeURIComponent(match[1] ?? ''), ref: r.query.get('ref')
  })],
  ['GET', /^\/git\/trees\/(.+)$/, (ctx, match, r) => getGitTree({
    files: ctx.options.files, git: ctx.options.gitTrees, owner: ctx.options.owner, repo: ctx.options.repo, sha: decodeURIComponent(match[1] ?? ''), recursive: r.query.has('recursive')
  })],
  ['GET', /^\/git\/blobs\/([0-9a-f]{40})$/, (ctx, match) => getGitBlob({
    files: ctx.options.files, git: ctx.options.gitTrees, owner: ctx.options.owner, repo: ctx.options.repo, sha: match[1] ?? ''
  })],
  ['GET', /^\/collaborators\/([^/]+)\/permission$/, (ctx, match) => getPermission(ctx.options.permissions, decodeURIComponent(match[1] ?? ''))],
  ['GET', /^\/pulls\/(\d+)$/, withPull((ctx, pull, r) => getPull(ctx, pull, r.accept))],
  ['GET', /^\/pulls\/(\d+)\/files$/, withPull((ctx, pull, r) =>
    paginate(ctx, r, filesOf(ctx, pull).slice(0, MAX_LISTED_FILES).map((file, i) => fileJson(pull, file, i))))],
  ['GET', /^\/pulls\/(\d+)\/reviews$/, withPull((ctx, pull, r) =>
    paginate(ctx, r, ctx.state.reviews.filter(x => x.pullNumber === pull.number).map(reviewJson)))],
  ['POST', /^\/pulls\/(\d+)\/reviews$/, withPull((ctx, pull, r) => createReview(ctx, pull, r.body as ReviewRequest))],
  ['GET', /^\/pulls\/(\d+)\/comments$/, withPull((ctx, pull, r) =>
    paginate(ctx, r, ctx.state.reviewComments.filter(x => x.pullNumber === pull.number).map(comment => ({
      ...reviewCommentJson(comment),
      ...locateComment({ graph: ctx.options.commits, pull, files: filesOf(ctx, pull), comment })
    }))))],
  ['GET', /^\/compare\/(.+)$/, (ctx, match, r) => compareReply({
    graph: ctx.options.commits, owner: ctx.options.owner, repo: ctx.options.repo, basehead: decodeURIComponent(match[1] ?? ''), accept: r.accept, query: r.query
  })],
  ['GET', /^\/issues\/(\d+)\/comments$/, withPull((ctx, pull, r) =>
    paginate(ctx, r, ctx.state.issueComments.filter(x => x.pullNumber === pull.number).map(issueCommentJson)))],
  ['POST', /^\/issues\/(\d+)\/comments$/, withPull((ctx, pull, r) =>
    writeIssueComment(r.body, text => {
      const now = timestamp(ctx)
      const comment: StoredComment = { id: ctx.ids.next++, pullNumber: pull.number, body: text, user: ACTIONS_BOT, createdAt: now, updatedAt: now }
      ctx.state.issueComments.push(comment)
      return json(201, issueCommentJson(comment))
    }))],
  ['PATCH', /^\/issues\/comments\/(\d+)$/, (ctx, match, r) => {
    const comment = ctx.state.issueComments.find(candidate => candidate.id === Number(match[1]))
    if (comment === undefined) return notFound()
    return writeIssueComment(r.body, text => {
      Object.assign(comment, { body: text, updatedAt: timestamp(ctx) })
      ctx.ids.next++
      return json(200, issueCommentJson(comment))
    })
  }]
]

function route(ctx: Context, method: string, request: HandlerRequest): Reply {
  const { path } = request
  const prefix = `/repos/${ctx.options.owner}/${ctx.options.repo}`.toLowerCase()
  if (!path.toLowerCase().startsWith(`${prefix}/`)) return notFound()
  const rest = path.slice(prefix.length)
  for (const [routeMethod, pattern, handler] of ROUTES) {
    const match = pattern.exec(rest)
    if (match !== null && routeMethod === method) return handler(ctx, match, request)
  }
  return notFound()
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

function send(res: ServerResponse, reply: Reply, rate: { used: number }): void {
  rate.used++
  const headers: Record<string, string> = {
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': String(Math.max(5000 - rate.used, 0)),
    'x-ratelimit-used': String(rate.used),
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
    'x-github-request-id': `FAKE:${rate.used.toString(16).toUpperCase()}`,
    ...(reply.text === undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    ...reply.headers
  }
  res.writeHead(reply.status, headers)
  res.end(reply.text ?? (reply.json === undefined ? '' : JSON.stringify(reply.json)))
}

/** Starts the fake on 127.0.0.1 (random port). `close()` stops it. */
export async function startGitHubServer(options: GitHubServerOptions): Promise<FakeGitHub> {
  const faults: GitHubFault[] = []
  const requests: RecordedGitHubRequest[] = []
  const state = { reviews: [] as StoredReview[], reviewComments: [] as StoredReviewComment[], issueComments: [] as StoredComment[] }
  const rate = { used: 0 }
  const ctx: Context = { options, state, files: new Map(), ids: { next: 1001 }, origin: '' }
  const prefix = options.pathPrefix ?? ''

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', ctx.origin)
    const method = req.method ?? 'GET'
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname
    const body = await readJson(req)
    const { authorization, ...headers } = req.headers
    const recordedHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]))
    requests.push({ method, path, query: Object.fromEntries(url.searchParams), headers: recordedHeaders, body })

    const fault = faults.find(candidate => candidate.times > 0 && candidate.method === method && candidate.pathPattern.test(path))
    if (fault !== undefined) fault.times--
    const faultReply = fault && json(fault.status, fault.body ?? { message: 'Server Error' }, fault.headers)
    if (faultReply !== undefined && fault?.afterHandling !== true) return send(res, faultReply, rate)

    const token = String(authorization ?? '').replace(/^(token|bearer)\s+/i, '')
    const reply = token !== options.token
      ? json(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' })
      : route(ctx, method, {
          query: url.searchParams,
          body,
          accept: String(req.headers.accept ?? ''),
          path,
          origin: req.headers.host === undefined ? ctx.origin : `http://${req.headers.host}`
        })
    send(res, faultReply ?? reply, rate)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, json(500, { message: String(error) }), rate))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  ctx.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    baseUrl: `${ctx.origin}${prefix}`,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections()
      server.close(error => (error ? reject(error) : resolve()))
    }),
    requests,
    ...state,
    inject: fault => void faults.push({ ...fault }),
    addIssueComment: ({ pullNumber, body, user = { login: 'octocat', type: 'User' } }) => {
      const now = timestamp(ctx)
      const comment: StoredComment = { id: ctx.ids.next++, pullNumber, body, user, createdAt: now, updatedAt: now }
      state.issueComments.push(comment)
      return comment
    },
    pushCommit: push => {
      const pull = options.pulls.find(candidate => candidate.number === push.pullNumber)
      if (pull === undefined) throw new Error(`fake GitHub: no pull #${push.pullNumber}`)
      const sha = pushToPull(options.commits, pull, push)
      ctx.files.delete(pull.number)
      return sha
    },
    addReviewComment: ({ pullNumber, path, line, body, user, commitId }) => {
      const pull = options.pulls.find(candidate => candidate.number === pullNumber)
      const comment: StoredReviewComment = {
        id: ctx.ids.next++, reviewId: ctx.ids.next++, pullNumber, path, line, side: 'RIGHT', startLine: null, startSide: null,
        body, commitId: commitId ?? pull?.headSha ?? '', ...(user === undefined ? {} : { user })
      }
      state.reviewComments.push(comment)
      return comment
    }
  }
}
