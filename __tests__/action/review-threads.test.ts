/** The review run's thread steps against the loopback GitHub: a token that may only read, and no GraphQL at all. */
import { finishReviewThreads, prepareReviewThreads } from '../../src/action/review-threads.js'
import type { Logger } from '../../src/engine/logger.js'
import { createGitHubClient } from '../../src/github/client.js'
import type { PostedThread } from '../../src/review/dedupe-existing.js'
import type { FixedThread } from '../../src/review/fixed-threads.js'
import { addCommit, createCommitGraph, pullDiffOf } from '../../__fixtures__/servers/fake-git.js'
import {
  GITHUB_TOKEN_GRANT,
  startGitHubServer,
  type FakeGitHub,
  type FakePull
} from '../../__fixtures__/servers/github-server.js'

const TOKEN = 'ghs_reviewthreadstoken000000000'
const MARKED = '**🔴 High · bug** — Token\n\nBody.\n\n<!-- codex-pr-review:finding fp=abcdef012345 sev=high -->'
let github: FakeGitHub
let pull: FakePull

function capture(): Logger & { readonly warnings: string[] } {
  const warnings: string[] = []
  return {
    warnings,
    info: () => undefined,
    notice: () => undefined,
    debug: () => undefined,
    warning: (message) => void warnings.push(message),
    group: async (_name, work) => work()
  }
}

beforeEach(async () => {
  const graph = createCommitGraph()
  const base = addCommit(graph, { parents: [], changes: { 'a.ts': 'one\n' } })
  const head = addCommit(graph, { parents: [base], changes: { 'a.ts': 'one\ntwo\nthree\n' } })
  pull = {
    number: 1,
    title: 't',
    body: null,
    headSha: head,
    baseSha: base,
    headRef: 'h',
    baseRef: 'main',
    diff: pullDiffOf(graph, base, head)
  }
  github = await startGitHubServer({ owner: 'octo', repo: 'demo', token: TOKEN, commits: graph, pulls: [pull] })
})
afterEach(async () => github.close())

const client = () =>
  createGitHubClient({ token: TOKEN, baseUrl: github.baseUrl, throttle: { writeSpacingMs: 0, retryAfterUnitMs: 1 } })
const pullRequest = () => ({
  owner: 'octo',
  repo: 'demo',
  pullNumber: 1,
  title: 't',
  body: '',
  headSha: pull.headSha,
  baseSha: pull.baseSha,
  baseRef: 'main',
  headRef: 'h',
  draft: false,
  authorLogin: 'octocat',
  labels: [],
  headRepoFullName: 'octo/demo'
})

describe('the review run’s threads', () => {
  it('read with a token that may only read, then warn once naming the permission instead of failing', async () => {
    const first = github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 2, body: MARKED })
    github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 3, body: MARKED })
    github.setIdentity({ ...GITHUB_TOKEN_GRANT, pullRequests: 'read' })
    const logger = capture()
    const prepared = await prepareReviewThreads(client(), {
      pullRequest: pullRequest(),
      previous: null,
      resolveFixed: true,
      logger
    })
    expect(prepared?.view.ours).toHaveLength(2)
    // Every thread taken for fixed, as the engine would say of a push that fixed both.
    const { posted } = await prepared!.earlier.list()
    const fixed: FixedThread[] = posted.map((entry) => ({
      posted: { ...entry, thread: entry.thread as PostedThread },
      kind: 'fixed'
    }))
    const tracking = await finishReviewThreads(prepared!, { fixed, head: pull.headSha, logger })
    expect(tracking.counts).toMatchObject({ open: 2, fixed: 0, resolvedNow: 0 })
    expect(logger.warnings).toEqual([expect.stringContaining('the token needs `pull-requests: write`')])
    expect(github.reviewComments.filter((comment) => comment.inReplyToId === first.id)).toHaveLength(0)
    expect(github.threads.size).toBe(0)
  })

  it('with contents: read, reply "Fixed in" in every fixed thread, and warn once that resolving needs contents: write', async () => {
    github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 2, body: MARKED })
    github.addReviewComment({ pullNumber: 1, path: 'a.ts', line: 3, body: MARKED })
    github.setIdentity({ ...GITHUB_TOKEN_GRANT, contents: 'read' })
    const logger = capture()
    const prepared = await prepareReviewThreads(client(), {
      pullRequest: pullRequest(),
      previous: null,
      resolveFixed: true,
      logger
    })
    const { posted } = await prepared!.earlier.list()
    const fixed: FixedThread[] = posted.map((entry) => ({
      posted: { ...entry, thread: entry.thread as PostedThread },
      kind: 'fixed'
    }))
    const tracking = await finishReviewThreads(prepared!, { fixed, head: pull.headSha, logger })
    // Replied "Fixed in": fixed, and remembered for a later run to resolve.
    expect(tracking.counts).toMatchObject({ open: 0, fixed: 2, resolvedNow: 0 })
    expect(tracking.pendingResolve).toHaveLength(2)
    expect(github.reviewComments.filter((comment) => comment.body.startsWith('Fixed in'))).toHaveLength(2)
    expect(logger.warnings).toEqual([
      expect.stringMatching(
        /needs `pull-requests: write` and `contents: write`.*No other thread is resolved this run\.$/
      )
    ])
    expect(github.threads.size).toBe(0)
  })

  it('without GraphQL (an older GitHub Enterprise Server), say what is lost and leave the threads alone', async () => {
    github.inject({
      method: 'POST',
      pathPattern: /^\/graphql$/,
      times: 10,
      status: 404,
      body: { message: 'Not Found' }
    })
    const logger = capture()
    const prepared = await prepareReviewThreads(client(), {
      pullRequest: pullRequest(),
      previous: null,
      resolveFixed: true,
      logger
    })
    expect(prepared).toBeUndefined()
    expect(logger.warnings).toEqual([
      expect.stringMatching(
        /^Review threads: could not tell which account the token posts as: .*; threads are not resolved, answered or remembered this run\.$/
      )
    ])
  })
})
