/**
 * A pull request with a real history for the review-thread tests (issue 13), and a model stand-in that judges
 * only what it was sent: a review finds `send(token)` and `eval(` on added lines (fixed titles, so the same code
 * gives the same fingerprint), and an answer to a reply agrees to a dismissal when the reply says "intended" or
 * "false positive", and explains otherwise. The HTTP exchanges and the requests are real.
 */
import { createRequire } from 'node:module'
import { readSentInput } from '../servers/chat-completions-shapes.js'
import { addCommit, createCommitGraph, pullDiffOf, type FakeCommitGraph } from '../servers/fake-git.js'
import type { FakePull, GitHubUser, StoredReviewComment } from '../servers/github-shapes.js'
import { answerWith, SAFE_VERDICT, type RecordedRequest } from '../servers/responses-server.js'
import { numberedLines, replaceLine } from './pull-history.js'
import { OWNER, REPO } from './harness.js'

const require = createRequire(import.meta.url)

export const TOKEN_TITLE = 'Token sent without a check'
export const EVAL_TITLE = 'eval of user input'

export const THREAD_BASE = {
  'src/app.ts': numberedLines('export const app =', 30),
  'src/util.ts': numberedLines('export const util =', 10)
}

export interface ThreadHistory {
  readonly graph: FakeCommitGraph
  readonly pull: FakePull
}

/** First head: `send(token)` at src/app.ts:7, `eval(input)` at src/util.ts:4. */
export function createThreadHistory(number = 31): ThreadHistory {
  const graph = createCommitGraph()
  const baseSha = addCommit(graph, { parents: [], changes: THREAD_BASE, message: 'base' })
  const headSha = addCommit(graph, {
    parents: [baseSha],
    message: 'send the token',
    changes: {
      'src/app.ts': replaceLine(
        THREAD_BASE['src/app.ts'],
        5,
        'export const app = 5',
        'const token = read()',
        'send(token)'
      ),
      'src/util.ts': replaceLine(THREAD_BASE['src/util.ts'], 3, 'export const util = 3', 'eval(input)')
    }
  })
  const pull: FakePull = {
    number,
    title: 'Send the token',
    body: 'Sends the token.',
    headSha,
    baseSha,
    headRef: 'feature',
    baseRef: 'main',
    author: 'pr-author',
    diff: pullDiffOf(graph, baseSha, headSha)
  }
  return { graph, pull }
}

/** The numbered `+` and context lines of the `<diff>` a review request sent, with their text. */
function sentLines(request: RecordedRequest): { path: string; line: number; added: boolean; text: string }[] {
  const input = readSentInput(request)
  const lines: { path: string; line: number; added: boolean; text: string }[] = []
  let path = ''
  for (const row of input.slice(input.indexOf('<diff>')).split('\n')) {
    const header = /^<file path=("(?:[^"\\]|\\.)*")/.exec(row)
    if (header?.[1] !== undefined) {
      path = JSON.parse(header[1]) as string
      continue
    }
    const numbered = /^ *(\d+) ([+ ]) (.*)$/.exec(row)
    if (numbered !== null && path !== '') {
      lines.push({ path, line: Number(numbered[1]), added: numbered[2] === '+', text: numbered[3] ?? '' })
    }
  }
  return lines
}

const finding = (path: string, line: number, title: string, severity: string) => ({
  path,
  line,
  start_line: null,
  severity,
  category: 'security',
  title,
  body: 'Check it first.',
  replacement: null,
  confidence: 0.9
})

/** A review: one finding per added `send(token)` (high) and `eval(` (critical) line. */
export function judgeReview(request: RecordedRequest) {
  const findings = sentLines(request).flatMap((line) => {
    if (!line.added) return []
    if (line.text.includes('send(token)')) return [finding(line.path, line.line, TOKEN_TITLE, 'high')]
    if (line.text.includes('eval(')) return [finding(line.path, line.line, EVAL_TITLE, 'critical')]
    return []
  })
  return { overview: 'Reviewed.', risk: 'medium', findings, ...SAFE_VERDICT }
}

/** The conversation an answer request sent, as JSON. */
export function sentConversation(request: RecordedRequest): { author: string; text: string }[] {
  const input = readSentInput(request)
  const start = input.indexOf('<conversation>\n') + '<conversation>\n'.length
  return JSON.parse(input.slice(start, input.indexOf('\n</conversation>'))) as { author: string; text: string }[]
}

/** An answer: accepts "intended" and "false positive", explains otherwise. */
export function judgeAnswer(request: RecordedRequest) {
  const last = sentConversation(request).at(-1)?.text ?? ''
  const dismissal = /intended/i.test(last) ? 'intended' : /false positive/i.test(last) ? 'false-positive' : 'none'
  return dismissal === 'none'
    ? {
        stance: 'explain',
        answer: 'The value still reaches `send` unchecked; @pr-author see line 7.',
        replacement: null,
        dismissal,
        accept_dismissal: false
      }
    : {
        stance: 'agree',
        answer: 'Understood: it is deliberate here.',
        replacement: null,
        dismissal,
        accept_dismissal: true
      }
}

/** The model stand-in for both kinds of request. */
export function threadModel(request: RecordedRequest): { body: object } {
  const format = (request.body as { text?: { format?: { name?: string } } }).text?.format?.name
  return { body: answerWith(request, format === 'thread_answer' ? judgeAnswer(request) : judgeReview(request)) }
}

/** A real `pull_request_review_comment.created` payload (@octokit/webhooks-examples), made a reply on our pull. */
export function reviewCommentEvent(options: {
  readonly pull: FakePull
  readonly reply: StoredReviewComment
  readonly user: GitHubUser & { readonly id: number }
}): Record<string, unknown> {
  const index = require('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[]
  const example = index
    .find((entry) => entry.name === 'pull_request_review_comment')
    ?.examples.find((entry) => entry.action === 'created')
  if (example === undefined) throw new Error('no pull_request_review_comment.created example')
  const payload = structuredClone(example) as Record<string, unknown> & {
    comment: Record<string, unknown> & { user: Record<string, unknown> }
    pull_request: Record<string, unknown> & {
      head: { sha: string; repo: { full_name: string } }
      base: { sha: string; repo: { full_name: string } }
    }
    repository: { full_name: string; name: string; owner: { login: string } }
  }
  const { reply, pull, user } = options
  Object.assign(payload.comment, {
    id: reply.id,
    in_reply_to_id: reply.inReplyToId,
    body: reply.body,
    path: reply.path,
    diff_hunk: '@@ -5,3 +5,5 @@\n export const app = 5\n+const token = read()\n+send(token)',
    commit_id: pull.headSha
  })
  Object.assign(payload.comment.user, { login: user.login, id: user.id, type: user.type })
  payload.pull_request.number = pull.number
  payload.pull_request.head.sha = pull.headSha
  payload.pull_request.base.sha = pull.baseSha
  payload.pull_request.head.repo.full_name = `${OWNER}/${REPO}`
  payload.pull_request.base.repo.full_name = `${OWNER}/${REPO}`
  payload.repository.full_name = `${OWNER}/${REPO}`
  payload.repository.name = REPO
  payload.repository.owner.login = OWNER
  return payload
}
