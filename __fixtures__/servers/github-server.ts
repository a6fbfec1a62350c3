/**
 * A loopback server that answers like the GitHub REST API for the endpoints the action uses: stateful
 * (reviews and comments it accepts are stored and listed back), paginated with real Link headers, validating
 * reviews the way GitHub does (all-or-nothing 422s), with fault injection and a record of every request.
 * `POST /graphql` (GHES: `/api/graphql`) is answered by github-graphql.ts against GitHub's schema, from the same state.
 * Each token acts as one identity with pull request read or write access (`FakeTokenGrant`).
 */

import type * as GraphQLModule from './github-graphql.js'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseFakeDiff, type FakeDiffFile } from './diff-hunks.js'
import {
  ACTIONS_BOT,
  GITHUB_TOKEN_GRANT,
  appTokenGrant,
  fileJson,
  notAccessibleMessage,
  personalTokenGrant,
  userJson,
  issueCommentJson,
  pullJson,
  reviewCommentJson,
  reviewJson,
  type FakePull,
  type FakeTokenGrant,
  type GitHubUser,
  type StoredComment,
  type StoredReview,
  type StoredReviewComment
} from './github-shapes.js'
import {
  MAX_BODY_CHARS,
  bodyTooLong,
  unprocessable,
  validateReview,
  type ReviewRequest
} from './github-review-rules.js'
import { getPermission, getRepoContent, type FakePermissions, type FakeRepoFiles } from './github-repo-routes.js'
import { getGitBlob, getGitTree, type FakeGitTrees } from './github-git-routes.js'
import { compareReply, locateComment, pushToPull, type PushOptions } from './github-compare.js'
import type { FakeCommitGraph } from './fake-git.js'
import {
  addThreadReply,
  refuseReplyBody,
  rootOf,
  setThreadResolved,
  threadNodeId,
  type ReactionContent,
  type StoredReaction,
  type ThreadState
} from './github-threads.js'
import type { GraphQLWorld } from './github-graphql.js'

export type {
  FakePull,
  FakeTokenGrant,
  GitHubUser,
  ReactionContent,
  StoredComment,
  StoredReaction,
  StoredReview,
  StoredReviewComment
}
export { ACTIONS_BOT, GITHUB_TOKEN_GRANT, appTokenGrant, personalTokenGrant }

/**
 * True for a request that can change something on GitHub: any REST call but a GET, and a GraphQL request that
 * holds a mutation (a GraphQL query is a read, even though it is POSTed).
 */
export function isGitHubWrite(request: Pick<RecordedGitHubRequest, 'method' | 'path' | 'body'>): boolean {
  if (request.method === 'GET') return false
  if (request.path !== '/graphql') return true
  const query = (request.body as { query?: unknown } | undefined)?.query
  return typeof query !== 'string' || /^\s*mutation\b/.test(query)
}

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
  /**
   * With `afterHandling`: what the request stored is listed (and shown in `reviews`, `issueComments`…) only
   * this many ms of the server's clock later, as GitHub's lists lag its writes.
   */
  listedAfterMs?: number
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
  /** Runs `hook` after each request is handled, before the answer is sent (e.g. to push between two calls). */
  onHandled(hook: (request: RecordedGitHubRequest) => void): void
  /** Seeds an inline review comment (RIGHT side) as if someone had posted it on `commitId` (default: the head). */
  addReviewComment(options: {
    pullNumber: number
    path: string
    line: number
    body: string
    user?: GitHubUser
    commitId?: string
  }): StoredReviewComment
  /** Thread state by the id of each thread's first comment (absent: open); kept as long as the server runs. */
  threads: Map<number, ThreadState>
  reactions: StoredReaction[]
  /** The GraphQL node id (`PRRT_…`) of the thread review comment `commentId` belongs to. */
  threadIdOf(commentId: number): string
  /** Replies in the thread of `commentId` as `user` (someone answering a finding). */
  addReply(options: { commentId: number; body: string; user: GitHubUser }): StoredReviewComment
  /** Resolves (or, with `by: null`, reopens) the thread of `commentId`, as a person would on github.com. */
  resolveThread(options: { commentId: number; by: GitHubUser | null }): void
  /** A reaction (e.g. 👎 `THUMBS_DOWN`) by `user` on review comment `commentId`. */
  addReaction(options: { commentId: number; content: ReactionContent; user: GitHubUser }): void
  /** Who `token` (default: the `token` option) acts as and what it may do; see GITHUB_TOKEN_GRANT, appTokenGrant, personalTokenGrant. */
  setIdentity(grant: FakeTokenGrant, token?: string): void
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
  /** The server's clock (ms), for `listedAfterMs`; tests advance it from their injected sleep. Default: Date.now. */
  now?: () => number
  /** Who `token` acts as; defaults to GITHUB_TOKEN (`github-actions[bot]`, pull requests: write). */
  identity?: FakeTokenGrant
  /** More tokens the server accepts, e.g. a read-only one next to the main token. */
  tokens?: Record<string, FakeTokenGrant>
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
  /** token → grant */
  grants: Map<string, FakeTokenGrant>
  world: GraphQLWorld
}

const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({
  status,
  json: body,
  ...(headers ? { headers } : {})
})
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
  return json(
    200,
    items.slice((page - 1) * perPage, page * perPage),
    links.length > 0 ? { link: links.join(', ') } : {}
  )
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

function createReview(ctx: Context, pull: FakePull, request: ReviewRequest, user: GitHubUser): Reply {
  const refusal = validateReview({
    request,
    files: filesOf(ctx, pull),
    headSha: pull.headSha,
    reviews: ctx.state.reviews.filter((r) => r.pullNumber === pull.number)
  })
  if (refusal !== undefined) return refusal
  const id = ctx.ids.next++
  const commitId = request.commit_id ?? pull.headSha
  const comments = (request.comments ?? []).map((comment) => ({
    id: ctx.ids.next++,
    reviewId: id,
    pullNumber: pull.number,
    path: comment.path,
    line: comment.line ?? 0,
    side: comment.side ?? 'RIGHT',
    startLine: comment.start_line ?? null,
    startSide: comment.start_line === undefined ? null : (comment.start_side ?? comment.side ?? 'RIGHT'),
    body: comment.body,
    commitId,
    // Left unset for the workflow token's bot, which is what an unset `user` means.
    ...(user.login === ACTIONS_BOT.login ? {} : { user }),
    createdAt: timestamp(ctx)
  }))
  const state = REVIEW_STATES[request.event ?? 'PENDING'] ?? 'PENDING'
  const review: StoredReview = {
    id,
    pullNumber: pull.number,
    state,
    body: request.body ?? '',
    commitId,
    user,
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
  /** What the request's token is and may do. */
  caller: FakeTokenGrant
}

type Handler = (ctx: Context, match: RegExpExecArray, request: HandlerRequest) => Reply

function withPull(handler: (ctx: Context, pull: FakePull, request: HandlerRequest) => Reply): Handler {
  return (ctx, match, request) => {
    const pull = ctx.options.pulls.find((candidate) => candidate.number === Number(match[1]))
    return pull === undefined ? notFound() : handler(ctx, pull, request)
  }
}

const ROUTES: ReadonlyArray<readonly [string, RegExp, Handler]> = [
  [
    'GET',
    /^\/contents\/(.+)$/,
    (ctx, match, r) =>
      getRepoContent({
        files: ctx.options.files,
        owner: ctx.options.owner,
        repo: ctx.options.repo,
        path: decodeURIComponent(match[1] ?? ''),
        ref: r.query.get('ref')
      })
  ],
  [
    'GET',
    /^\/git\/trees\/(.+)$/,
    (ctx, match, r) =>
      getGitTree({
        files: ctx.options.files,
        git: ctx.options.gitTrees,
        owner: ctx.options.owner,
        repo: ctx.options.repo,
        sha: decodeURIComponent(match[1] ?? ''),
        recursive: r.query.has('recursive')
      })
  ],
  [
    'GET',
    /^\/git\/blobs\/([0-9a-f]{40})$/,
    (ctx, match) =>
      getGitBlob({
        files: ctx.options.files,
        git: ctx.options.gitTrees,
        owner: ctx.options.owner,
        repo: ctx.options.repo,
        sha: match[1] ?? ''
      })
  ],
  [
    'GET',
    /^\/collaborators\/([^/]+)\/permission$/,
    (ctx, match) => getPermission(ctx.options.permissions, decodeURIComponent(match[1] ?? ''))
  ],
  ['GET', /^\/pulls\/(\d+)$/, withPull((ctx, pull, r) => getPull(ctx, pull, r.accept))],
  [
    'GET',
    /^\/pulls\/(\d+)\/files$/,
    withPull((ctx, pull, r) =>
      paginate(
        ctx,
        r,
        filesOf(ctx, pull)
          .slice(0, MAX_LISTED_FILES)
          .map((file, i) => fileJson(pull, file, i))
      )
    )
  ],
  [
    'GET',
    /^\/pulls\/(\d+)\/reviews$/,
    withPull((ctx, pull, r) =>
      paginate(ctx, r, ctx.state.reviews.filter((x) => x.pullNumber === pull.number).map(reviewJson))
    )
  ],
  [
    'POST',
    /^\/pulls\/(\d+)\/reviews$/,
    withPull((ctx, pull, r) => createReview(ctx, pull, r.body as ReviewRequest, r.caller.user))
  ],
  [
    'GET',
    /^\/pulls\/(\d+)\/comments$/,
    withPull((ctx, pull, r) =>
      paginate(
        ctx,
        r,
        ctx.state.reviewComments
          .filter((x) => x.pullNumber === pull.number)
          .map((comment) => ({
            ...reviewCommentJson(comment),
            ...locateComment({ graph: ctx.options.commits, pull, files: filesOf(ctx, pull), comment })
          }))
      )
    )
  ],
  ['POST', /^\/pulls\/(\d+)\/comments\/(\d+)\/replies$/, withPull((ctx, pull, r) => replyToComment(ctx, pull, r))],
  [
    'GET',
    /^\/compare\/(.+)$/,
    (ctx, match, r) =>
      compareReply({
        graph: ctx.options.commits,
        owner: ctx.options.owner,
        repo: ctx.options.repo,
        basehead: decodeURIComponent(match[1] ?? ''),
        accept: r.accept,
        query: r.query
      })
  ],
  [
    'GET',
    /^\/issues\/(\d+)\/comments$/,
    withPull((ctx, pull, r) =>
      paginate(ctx, r, ctx.state.issueComments.filter((x) => x.pullNumber === pull.number).map(issueCommentJson))
    )
  ],
  [
    'POST',
    /^\/issues\/(\d+)\/comments$/,
    withPull((ctx, pull, r) =>
      writeIssueComment(r.body, (text) => {
        const now = timestamp(ctx)
        const comment: StoredComment = {
          id: ctx.ids.next++,
          pullNumber: pull.number,
          body: text,
          user: r.caller.user,
          createdAt: now,
          updatedAt: now
        }
        ctx.state.issueComments.push(comment)
        return json(201, issueCommentJson(comment))
      })
    )
  ],
  [
    'PATCH',
    /^\/issues\/comments\/(\d+)$/,
    (ctx, match, r) => {
      const comment = ctx.state.issueComments.find((candidate) => candidate.id === Number(match[1]))
      if (comment === undefined) return notFound()
      return writeIssueComment(r.body, (text) => {
        Object.assign(comment, { body: text, updatedAt: timestamp(ctx) })
        ctx.ids.next++
        return json(200, issueCommentJson(comment))
      })
    }
  ]
]

/** `POST /pulls/{n}/comments/{id}/replies`: a reply in that comment's thread (GitHub has no replies to replies). */
function replyToComment(ctx: Context, pull: FakePull, request: HandlerRequest): Reply {
  const commentId = Number(/\/comments\/(\d+)\/replies$/.exec(request.path)?.[1])
  const root = rootOf(ctx.world, commentId)
  if (root === undefined || root.pullNumber !== pull.number) return notFound()
  const refusal = refuseReplyBody(request.body)
  if (refusal !== undefined) return refusal
  const reply = addThreadReply(ctx.world, {
    root,
    body: (request.body as { body: string }).body,
    user: request.caller.user
  })
  return json(201, {
    ...reviewCommentJson(reply),
    ...locateComment({ graph: ctx.options.commits, pull, files: filesOf(ctx, pull), comment: reply })
  })
}

/** `GET /user`: installation tokens (GITHUB_TOKEN, apps) are refused, as on GitHub. */
function getAuthenticatedUser(caller: FakeTokenGrant): Reply {
  if (caller.kind === 'installation') {
    return json(403, {
      message: notAccessibleMessage(caller),
      documentation_url: `${DOCS}/users/users#get-the-authenticated-user`,
      status: '403'
    })
  }
  return json(200, userJson(caller.user))
}

function route(ctx: Context, method: string, request: HandlerRequest): Reply {
  const { path } = request
  if (method === 'GET' && path === '/user') return getAuthenticatedUser(request.caller)
  const prefix = `/repos/${ctx.options.owner}/${ctx.options.repo}`.toLowerCase()
  if (!path.toLowerCase().startsWith(`${prefix}/`)) return notFound()
  if (method !== 'GET' && request.caller.pullRequests !== 'write') {
    return json(403, { message: notAccessibleMessage(request.caller), documentation_url: DOCS, status: '403' })
  }
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

type StoredLists = Pick<FakeGitHub, 'reviews' | 'reviewComments' | 'issueComments'>

/** Holds back what one request stored until the clock passes a time, then puts it back in its lists. */
function createListingLag(state: StoredLists, now: () => number) {
  const names = ['reviews', 'reviewComments', 'issueComments'] as const
  const held: Array<{ releaseAt: number; name: (typeof names)[number]; items: unknown[] }> = []
  return {
    mark: () => names.map((name) => state[name].length),
    hideSince(lengths: number[], delayMs: number): void {
      names.forEach((name, index) => {
        const items = state[name].splice(lengths[index] ?? state[name].length)
        if (items.length > 0) held.push({ releaseAt: now() + delayMs, name, items })
      })
    },
    release(): void {
      for (const entry of held.filter((candidate) => now() >= candidate.releaseAt)) {
        ;(state[entry.name] as unknown[]).push(...entry.items)
        held.splice(held.indexOf(entry), 1)
      }
    }
  }
}

/** Starts the fake on 127.0.0.1 (random port). `close()` stops it. */
export async function startGitHubServer(options: GitHubServerOptions): Promise<FakeGitHub> {
  const faults: GitHubFault[] = []
  const requests: RecordedGitHubRequest[] = []
  const state = {
    reviews: [] as StoredReview[],
    reviewComments: [] as StoredReviewComment[],
    issueComments: [] as StoredComment[]
  }
  const rate = { used: 0 }
  const threads = new Map<number, ThreadState>()
  const reactions: StoredReaction[] = []
  const grants = new Map<string, FakeTokenGrant>([
    ...Object.entries(options.tokens ?? {}),
    [options.token, options.identity ?? GITHUB_TOKEN_GRANT]
  ])
  const ids = { next: 1001 }
  const ctx: Context = {
    options,
    state,
    files: new Map(),
    ids,
    origin: '',
    grants,
    world: {
      owner: options.owner,
      repo: options.repo,
      pulls: options.pulls,
      reviews: state.reviews,
      reviewComments: state.reviewComments,
      threads,
      reactions,
      nextId: () => ids.next++,
      now: () => timestamp(ctx),
      filesOf: (pull) => filesOf(ctx, pull),
      ...(options.files === undefined ? {} : { files: options.files }),
      ...(options.commits === undefined ? {} : { commits: options.commits })
    }
  }
  const prefix = options.pathPrefix ?? ''
  // Octokit (like GHES) puts GraphQL at /api/graphql when the REST root is /api/v3, else at {root}/graphql.
  const graphqlPath = /\/api\/v3\/?$/.test(prefix) ? prefix.replace(/\/v3\/?$/, '/graphql') : `${prefix}/graphql`
  const thread = (commentId: number): StoredReviewComment => {
    const root = rootOf(ctx.world, commentId)
    if (root === undefined) throw new Error(`fake GitHub: no review comment ${commentId}`)
    return root
  }

  /** Loaded on the first GraphQL request: building GitHub's schema costs about a second, which REST-only tests skip. */
  const answerGraphQL: typeof GraphQLModule.answerGraphQL = async (...args) =>
    (await import('./github-graphql.js')).answerGraphQL(...args)

  const lagging = createListingLag(state, options.now ?? Date.now)
  const handledHooks: Array<(request: RecordedGitHubRequest) => void> = []

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    lagging.release()
    const url = new URL(req.url ?? '/', ctx.origin)
    const method = req.method ?? 'GET'
    const isGraphQL = method === 'POST' && url.pathname === graphqlPath
    const path = isGraphQL
      ? '/graphql'
      : url.pathname.startsWith(prefix)
        ? url.pathname.slice(prefix.length)
        : url.pathname
    const body = await readJson(req)
    const { authorization, ...headers } = req.headers
    const recordedHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]))
    const recorded: RecordedGitHubRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: recordedHeaders,
      body
    }
    requests.push(recorded)

    const fault = faults.find(
      (candidate) => candidate.times > 0 && candidate.method === method && candidate.pathPattern.test(path)
    )
    if (fault !== undefined) fault.times--
    const faultReply = fault && json(fault.status, fault.body ?? { message: 'Server Error' }, fault.headers)
    if (faultReply !== undefined && fault?.afterHandling !== true) return send(res, faultReply, rate)

    const caller = grants.get(String(authorization ?? '').replace(/^(token|bearer)\s+/i, ''))
    const stored = lagging.mark()
    const reply =
      caller === undefined
        ? json(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' })
        : isGraphQL
          ? { ...(await answerGraphQL(ctx.world, caller, body)), headers: { 'x-ratelimit-resource': 'graphql' } }
          : route(ctx, method, {
              query: url.searchParams,
              body,
              accept: String(req.headers.accept ?? ''),
              path,
              origin: req.headers.host === undefined ? ctx.origin : `http://${req.headers.host}`,
              caller
            })
    if (fault?.listedAfterMs !== undefined) lagging.hideSince(stored, fault.listedAfterMs)
    for (const hook of handledHooks) hook(recorded)
    send(res, faultReply ?? reply, rate)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, json(500, { message: String(error) }), rate))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  ctx.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    baseUrl: `${ctx.origin}${prefix}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
    requests,
    ...state,
    inject: (fault) => void faults.push({ ...fault }),
    onHandled: (hook) => void handledHooks.push(hook),
    addIssueComment: ({ pullNumber, body, user = { login: 'octocat', type: 'User' } }) => {
      const now = timestamp(ctx)
      const comment: StoredComment = { id: ctx.ids.next++, pullNumber, body, user, createdAt: now, updatedAt: now }
      state.issueComments.push(comment)
      return comment
    },
    pushCommit: (push) => {
      const pull = options.pulls.find((candidate) => candidate.number === push.pullNumber)
      if (pull === undefined) throw new Error(`fake GitHub: no pull #${push.pullNumber}`)
      const sha = pushToPull(options.commits, pull, push)
      ctx.files.delete(pull.number)
      return sha
    },
    addReviewComment: ({ pullNumber, path, line, body, user, commitId }) => {
      const pull = options.pulls.find((candidate) => candidate.number === pullNumber)
      const comment: StoredReviewComment = {
        id: ctx.ids.next++,
        reviewId: ctx.ids.next++,
        pullNumber,
        path,
        line,
        side: 'RIGHT',
        startLine: null,
        startSide: null,
        body,
        commitId: commitId ?? pull?.headSha ?? '',
        ...(user === undefined ? {} : { user }),
        createdAt: timestamp(ctx)
      }
      state.reviewComments.push(comment)
      return comment
    },
    threads,
    reactions,
    threadIdOf: (commentId) => threadNodeId(thread(commentId).id),
    addReply: ({ commentId, body, user }) => addThreadReply(ctx.world, { root: thread(commentId), body, user }),
    resolveThread: ({ commentId, by }) => setThreadResolved(ctx.world, thread(commentId), by),
    addReaction: ({ commentId, content, user }) => {
      if (!state.reviewComments.some((comment) => comment.id === commentId))
        throw new Error(`fake GitHub: no review comment ${commentId}`)
      reactions.push({ commentId, content, user, createdAt: timestamp(ctx) })
    },
    setIdentity: (grant, token = options.token) => void grants.set(token, grant)
  }
}
