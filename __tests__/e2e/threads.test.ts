/**
 * The review as a conversation (issue 13), end to end: several runs of the action against one loopback GitHub
 * that keeps its threads, their resolution and reactions across runs: pushes (pull_request synchronize) and
 * replies (pull_request_review_comment). Asserts what GitHub holds afterwards and what the model was sent.
 */
import { readFileSync } from 'node:fs'
import { run } from '../../src/main.js'
import type { JsonReport } from '../../src/report/json-report.js'
import { parseAnswerMarker, parseSettledMarker } from '../../src/review/thread-markers.js'
import { parseFindingMarker } from '../../src/review/finding-marker.js'
import { SUMMARY_MARKER } from '../../src/render/summary-input.js'
import { ANSWER_INSTRUCTIONS } from '../../src/model/thread-answer.js'
import { decodeStateMarker } from '../../src/state/review-state.js'
import {
  actionEnvironment,
  API_KEY,
  createWorkspace,
  FAST_RUN,
  GITHUB_TOKEN,
  OWNER,
  pullRequestEvent,
  REPO,
  runStep,
  type Workspace
} from '../../__fixtures__/e2e/harness.js'
import { replaceLine } from '../../__fixtures__/e2e/pull-history.js'
import {
  createThreadHistory,
  EVAL_TITLE,
  reviewCommentEvent,
  sentConversation,
  threadModel,
  TOKEN_TITLE,
  type ThreadHistory
} from '../../__fixtures__/e2e/thread-history.js'
import { requireCommit } from '../../__fixtures__/servers/fake-git.js'
import {
  ACTIONS_BOT,
  GITHUB_TOKEN_GRANT,
  startGitHubServer,
  type FakeGitHub,
  type GitHubUser,
  type StoredReviewComment
} from '../../__fixtures__/servers/github-server.js'
import { userIdOf } from '../../__fixtures__/servers/github-shapes.js'
import { startResponsesServer, type ResponsesServer } from '../../__fixtures__/servers/responses-server.js'

const MAINTAINER: GitHubUser = { login: 'maintainer', type: 'User' }
const VISITOR: GitHubUser = { login: 'visitor', type: 'User' }
const LIVE_MENTION = /(?<![A-Za-z0-9_])@[A-Za-z0-9]/

describe('review threads: resolve what was fixed, answer replies, remember dismissals', () => {
  let github: FakeGitHub
  let model: ResponsesServer
  let workspace: Workspace
  let history: ThreadHistory

  beforeEach(async () => {
    history = createThreadHistory()
    github = await startGitHubServer({
      owner: OWNER,
      repo: REPO,
      token: GITHUB_TOKEN,
      pulls: [history.pull],
      commits: history.graph,
      permissions: { maintainer: 'write', visitor: 'read' }
    })
    model = await startResponsesServer(threadModel)
    workspace = createWorkspace()
  })

  afterEach(async () => {
    await github.close()
    await model.close()
    workspace.remove()
  })

  async function review(options: { action?: string; inputs?: Record<string, string> } = {}) {
    const eventPath = workspace.writeEvent(pullRequestEvent(history.pull, options.action ?? 'synchronize'))
    const env = actionEnvironment({
      workspace,
      eventPath,
      githubUrl: github.baseUrl,
      inputs: { 'api-key': API_KEY, 'base-url': model.baseUrl, ...options.inputs }
    })
    const before = model.requests.length
    const step = await runStep({ ...env, RUNNER_TEMP: workspace.dir }, () => run(FAST_RUN))
    return { step, modelRequests: model.requests.slice(before), outputs: workspace.outputs() }
  }

  /** Path and fingerprint of every finding in the run's JSON report and SARIF log. */
  function reported(outputs: Record<string, string>) {
    const report = JSON.parse(readFileSync(outputs['report-path'] ?? '', 'utf8')) as JsonReport
    const sarif = JSON.parse(readFileSync(outputs['sarif-path'] ?? '', 'utf8')) as {
      runs: { results: { partialFingerprints: Record<string, string> }[] }[]
    }
    return {
      json: report.findings.map((finding) => `${finding.path} ${finding.fingerprint} ${finding.status}`),
      sarif: sarif.runs[0]!.results.map((result) => Object.values(result.partialFingerprints)[0])
    }
  }

  /** A reply in the thread of `root` by `user`, and the run its event starts. */
  async function reply(root: StoredReviewComment, body: string, user: GitHubUser, inputs: Record<string, string> = {}) {
    const stored = github.addReply({ commentId: root.id, body, user })
    return { stored, ...(await replyRun(stored, user, inputs)) }
  }

  async function replyRun(stored: StoredReviewComment, user: GitHubUser, inputs: Record<string, string> = {}) {
    const payload = reviewCommentEvent({ pull: history.pull, reply: stored, user: { ...user, id: userIdOf(user) } })
    const env = actionEnvironment({
      workspace,
      eventPath: workspace.writeEvent(payload, 'reply.json'),
      eventName: 'pull_request_review_comment',
      githubUrl: github.baseUrl,
      inputs: { 'api-key': API_KEY, 'base-url': model.baseUrl, ...inputs }
    })
    const before = model.requests.length
    const step = await runStep(env, () => run(FAST_RUN))
    return { step, modelRequests: model.requests.slice(before), outputs: workspace.outputs() }
  }

  function push(changes: Record<string, string>): string {
    const files = requireCommit(history.graph, history.pull.headSha).files
    const edited = Object.fromEntries(
      Object.entries(changes).map(([path, line]) => {
        const [number, text] = line.split('|') as [string, string]
        return [path, replaceLine(files[path] ?? '', Number(number), text)]
      })
    )
    return github.pushCommit({ pullNumber: history.pull.number, changes: edited })
  }

  const ours = () => github.reviewComments.filter((comment) => comment.user === undefined)
  const rootOf = (path: string) =>
    ours().find((comment) => comment.path === path && comment.inReplyToId === undefined) as StoredReviewComment
  const repliesIn = (root: StoredReviewComment) => github.reviewComments.filter((c) => c.inReplyToId === root.id)
  const ourRepliesIn = (root: StoredReviewComment) => repliesIn(root).filter((c) => c.user?.login === ACTIONS_BOT.login)
  const resolver = (root: StoredReviewComment) => github.threads.get(root.id)?.resolvedBy?.login ?? null
  const summary = () => github.issueComments.find((comment) => comment.body.includes(SUMMARY_MARKER))?.body ?? ''
  const findingRoots = (path: string) =>
    ours().filter((comment) => comment.path === path && parseFindingMarker(comment.body) !== undefined)

  it('open → push a fix: the thread is resolved with one reply and not re-posted; a re-run adds nothing', async () => {
    const opened = await review({ action: 'opened' })
    expect(opened.step.exitCode).toBeUndefined()
    const app = rootOf('src/app.ts')
    const util = rootOf('src/util.ts')
    expect([app.line, util.line]).toEqual([7, 4])
    expect(summary()).toContain('**Review threads:** 2 open · 0 fixed · 0 dismissed · 0 replies answered.')

    const fixSha = push({ 'src/app.ts': '7|send(checked(token))' })
    const fixed = await review()
    expect(fixed.modelRequests).toHaveLength(1)
    expect(ourRepliesIn(app).map((comment) => comment.body.split('\n')[0])).toEqual([
      `Fixed in \`${fixSha.slice(0, 7)}\`.`
    ])
    expect(parseSettledMarker(ourRepliesIn(app)[0]?.body ?? '')).toBe('fixed')
    expect(resolver(app)).toBe(ACTIONS_BOT.login)
    // The other thread's code did not change: left open, no reply.
    expect(resolver(util)).toBeNull()
    expect(repliesIn(util)).toHaveLength(0)
    expect(findingRoots('src/app.ts')).toHaveLength(1)
    expect(fixed.outputs['threads-resolved']).toBe('1')
    expect(summary()).toContain('**Review threads:** 1 open · 1 fixed · 0 dismissed · 0 replies answered.')
    expect(summary()).toContain('This run resolved 1 thread the new commits fixed.')
    // The reports carry the finding still open (an earlier comment on code this push did not touch), not the fixed one.
    const appPrint = parseFindingMarker(app.body)?.fingerprint
    const utilPrint = parseFindingMarker(util.body)?.fingerprint
    expect(reported(fixed.outputs)).toEqual({ json: [`src/util.ts ${utilPrint} earlier`], sarif: [utilPrint] })
    expect(appPrint).not.toBe(utilPrint)

    const rerun = await review()
    expect(rerun.modelRequests).toHaveLength(0)
    expect(repliesIn(app)).toHaveLength(1)
    expect(rerun.outputs['threads-resolved']).toBe('0')
    expect(summary()).toContain('**Review threads:** 1 open · 1 fixed · 0 dismissed · 0 replies answered.')
  })

  it('push a change that keeps the problem: the thread stays open and no duplicate appears', async () => {
    await review({ action: 'opened' })
    const app = rootOf('src/app.ts')
    push({ 'src/app.ts': '7|send(token) // retried' })
    const kept = await review()
    expect(kept.modelRequests).toHaveLength(1)
    expect(resolver(app)).toBeNull()
    expect(repliesIn(app)).toHaveLength(0)
    expect(findingRoots('src/app.ts')).toHaveLength(1)
    expect(summary()).toContain('1 finding already posted by an earlier run was not posted again.')

    // A later push elsewhere in the file: the model does not see line 7 again, so the thread, outdated since the
    // last run, is not taken for fixed.
    push({ 'src/app.ts': '25|export const app = 25 // touched' })
    const elsewhere = await review()
    expect(elsewhere.modelRequests).toHaveLength(1)
    expect(resolver(app)).toBeNull()
    expect(repliesIn(app)).toHaveLength(0)
    expect(elsewhere.outputs['threads-resolved']).toBe('0')
  })

  it('a reply from a writer gets one answer, from a reader none, a re-run adds none, our own comment none', async () => {
    await review({ action: 'opened' })
    const util = rootOf('src/util.ts')

    const fromReader = await reply(util, 'This is intended.', VISITOR)
    expect(fromReader.modelRequests).toHaveLength(0)
    expect(ourRepliesIn(util)).toHaveLength(0)
    expect(fromReader.step.log).toContain('visitor has no write access')

    const fromWriter = await reply(util, 'Why is this a problem? cc @pr-author', MAINTAINER)
    expect(fromWriter.step.exitCode).toBeUndefined()
    expect(fromWriter.modelRequests).toHaveLength(1)
    const request = fromWriter.modelRequests[0]!
    const body = request.body as { instructions: string; input: string; text: { format: { name: string } } }
    expect(body.text.format.name).toBe('thread_answer')
    expect(body.instructions).toBe(ANSWER_INSTRUCTIONS)
    expect(body.input).toMatch(/<code path="src\/util\.ts" form="lines" outdated="no">\n[\s\S]* 4 eval\(input\)/)
    const conversation = sentConversation(request)
    expect(conversation[0]?.author).toBe('reviewer')
    expect(conversation[0]?.text).toContain(EVAL_TITLE)
    expect(conversation[0]?.text).not.toContain('<!--')
    expect(conversation.at(-1)).toEqual({ author: 'maintainer', text: 'Why is this a problem? cc @pr-author' })

    const answers = ourRepliesIn(util)
    expect(answers).toHaveLength(1)
    expect(parseAnswerMarker(answers[0]!.body)).toEqual({ to: fromWriter.stored.id, dismissed: false })
    expect(answers[0]!.body.replace(/`[^`]*`/g, '')).not.toMatch(LIVE_MENTION)
    expect(resolver(util)).toBeNull()

    const again = await replyRun(fromWriter.stored, MAINTAINER)
    expect(again.modelRequests).toHaveLength(0)
    expect(ourRepliesIn(util)).toHaveLength(1)

    const own = await replyRun(answers[0]!, ACTIONS_BOT)
    expect(own.modelRequests).toHaveLength(0)
    expect(ourRepliesIn(util)).toHaveLength(1)

    // max-replies counts our answers on the pull request: one exists, so a limit of 1 stops the next.
    const capped = await reply(rootOf('src/app.ts'), 'Is this really needed?', MAINTAINER, { 'max-replies': '1' })
    expect(capped.modelRequests).toHaveLength(0)
    expect(capped.step.log).toContain('max-replies (1)')
  })

  it('a dismissed finding does not come back and does not fail the gate; reopening the thread undoes it', async () => {
    const gate = { 'fail-on-severity': 'critical' }
    const opened = await review({ action: 'opened', inputs: gate })
    expect(opened.step.exitCode).toBe(1)
    const util = rootOf('src/util.ts')

    const dismissal = await reply(util, 'This is intended: input is a constant here.', MAINTAINER)
    expect(dismissal.modelRequests).toHaveLength(1)
    expect(parseAnswerMarker(ourRepliesIn(util)[0]?.body ?? '')).toMatchObject({ dismissed: true })
    expect(resolver(util)).toBe(ACTIONS_BOT.login)
    expect(dismissal.outputs['threads-resolved']).toBe('1')

    // A re-run of the reviewed head replays the gate, which no longer stands.
    const rerun = await review({ inputs: gate })
    expect(rerun.modelRequests).toHaveLength(0)
    expect(rerun.step.exitCode).toBeUndefined()

    // A push that raises the same finding again in that file: not posted, not counted.
    push({ 'src/util.ts': '9|eval(more)' })
    const pushed = await review({ inputs: gate })
    expect(pushed.modelRequests).toHaveLength(1)
    expect(pushed.step.exitCode).toBeUndefined()
    expect(findingRoots('src/util.ts')).toHaveLength(1)
    expect(summary()).toContain('**Review threads:** 1 open · 0 fixed · 1 dismissed · 1 reply answered.')
    // The reports leave the dismissed finding out, found again or not; the token finding stands.
    const appPrint = parseFindingMarker(rootOf('src/app.ts').body)?.fingerprint
    expect(reported(pushed.outputs)).toEqual({ json: [`src/app.ts ${appPrint} earlier`], sarif: [appPrint] })
    const lookup = decodeStateMarker(summary(), {
      ref: { owner: OWNER, repo: REPO, pullNumber: history.pull.number },
      secret: API_KEY,
      // The state is bound to the account that posts it (posting-identity.ts).
      author: `id:${userIdOf(ACTIONS_BOT)}`
    })
    expect(lookup.found && lookup.state.dismissed).toEqual([
      { fingerprint: parseFindingMarker(util.body)?.fingerprint, thread: util.id, reason: 'reply', resolved: true }
    ])

    // The maintainer reopens the thread: the finding stands again, and the gate fails again.
    github.resolveThread({ commentId: util.id, by: null })
    push({ 'src/app.ts': '20|export const app = 20 // touched' })
    const reopened = await review({ inputs: gate })
    expect(reopened.step.exitCode).toBe(1)
    expect(reopened.step.log).toMatch(/earlier review comment\(s\) reaching fail-on-severity critical/)
    expect(resolver(util)).toBeNull()
    expect(summary()).toContain('**Review threads:** 2 open · 0 fixed · 0 dismissed · 1 reply answered.')
  })

  it('a 👎 from a writer dismisses a finding (its thread resolved with a note), a 👎 from a reader does not', async () => {
    await review({ action: 'opened' })
    const app = rootOf('src/app.ts')
    const util = rootOf('src/util.ts')
    github.addReaction({ commentId: app.id, content: 'THUMBS_DOWN', user: VISITOR })
    github.addReaction({ commentId: util.id, content: 'THUMBS_DOWN', user: MAINTAINER })
    push({ 'src/app.ts': '20|export const app = 20 // touched' })
    await review()
    expect(resolver(util)).toBe(ACTIONS_BOT.login)
    expect(ourRepliesIn(util).map((comment) => parseSettledMarker(comment.body))).toEqual(['dismissed'])
    expect(resolver(app)).toBeNull()
    expect(repliesIn(app)).toHaveLength(0)
    expect(summary()).toContain('**Review threads:** 1 open · 0 fixed · 1 dismissed · 0 replies answered.')

    // Another run does not note it twice.
    push({ 'src/app.ts': '21|export const app = 21 // touched' })
    await review()
    expect(ourRepliesIn(util)).toHaveLength(1)
  })

  it('never touches a thread a person started, even one carrying a copied finding marker', async () => {
    await review({ action: 'opened' })
    const app = rootOf('src/app.ts')
    const human = github.addReviewComment({
      pullNumber: history.pull.number,
      path: 'src/app.ts',
      line: 7,
      body: `Please also log this.\n\n${app.body}`,
      user: MAINTAINER
    })
    push({ 'src/app.ts': '7|send(checked(token))' })
    await review()
    expect(resolver(app)).toBe(ACTIONS_BOT.login)
    expect(resolver(human)).toBeNull()
    expect(repliesIn(human)).toHaveLength(0)

    const answered = await reply(human, 'This is intended.', MAINTAINER)
    expect(answered.modelRequests).toHaveLength(0)
    expect(repliesIn(human).filter((comment) => comment.user?.login === ACTIONS_BOT.login)).toHaveLength(0)
    expect(answered.step.log).toContain('not in a review thread this action started')
  })

  it('warns with the permission to add, and passes, when the token may not reply in threads', async () => {
    await review({ action: 'opened' })
    github.setIdentity({ ...GITHUB_TOKEN_GRANT, pullRequests: 'read' })
    const refused = await reply(rootOf('src/util.ts'), 'Why?', MAINTAINER)
    expect(refused.modelRequests).toHaveLength(1)
    expect(refused.step.exitCode).toBeUndefined()
    expect(refused.step.log).toMatch(/::warning::.*the token needs `pull-requests: write`/)
    expect(ourRepliesIn(rootOf('src/util.ts'))).toHaveLength(0)
  })

  it('replies "Fixed in" but leaves the thread open, with a warning, when the token lacks contents: write', async () => {
    await review({ action: 'opened' })
    const app = rootOf('src/app.ts')
    github.setIdentity({ ...GITHUB_TOKEN_GRANT, contents: 'read' })
    push({ 'src/app.ts': '7|send(checked(token))' })
    const pushed = await review()
    expect(pushed.step.exitCode).toBeUndefined()
    expect(pushed.step.log).toMatch(/::warning::.*`contents: write`/)
    expect(ourRepliesIn(app).map((comment) => parseSettledMarker(comment.body))).toEqual(['fixed'])
    expect(resolver(app)).toBeNull()
    expect(pushed.outputs['threads-resolved']).toBe('0')

    // Replied "Fixed in": it counts as fixed, not open, and the state remembers to resolve it.
    expect(summary()).toContain('**Review threads:** 1 open · 1 fixed · 0 dismissed · 0 replies answered.')

    // Once the permission is there, the next run resolves it (even one that reviews nothing), without a second reply.
    github.setIdentity(GITHUB_TOKEN_GRANT)
    const rerun = await review()
    expect(rerun.modelRequests).toHaveLength(0)
    expect(resolver(app)).toBe(ACTIONS_BOT.login)
    expect(ourRepliesIn(app)).toHaveLength(1)
    expect(rerun.outputs['threads-resolved']).toBe('1')
  })

  it('does nothing with threads when resolve-fixed is false, and dedupes as before', async () => {
    await review({ action: 'opened' })
    const app = rootOf('src/app.ts')
    push({ 'src/app.ts': '7|send(checked(token))' })
    const off = await review({ inputs: { 'resolve-fixed': 'false' } })
    expect(off.modelRequests).toHaveLength(1)
    expect(resolver(app)).toBeNull()
    expect(repliesIn(app)).toHaveLength(0)
    expect(off.outputs['threads-resolved']).toBe('0')
    expect(findingRoots('src/app.ts')).toHaveLength(1)
    // The title line of the token finding stays findable for people.
    expect(app.body).toContain(TOKEN_TITLE)
  })
})
