import { createRequire } from 'node:module'
import { resolveReviewTarget } from '../../src/action/event.js'
import { parseReviewCommand } from '../../src/action/event-comment.js'

const require = createRequire(import.meta.url)
interface Example {
  action?: string
  [key: string]: unknown
}
const index = require('@octokit/webhooks-examples') as { name: string; examples: Example[] }[]

/** A real `issue_comment.created` payload, turned into a comment on pull request #42 when `onPull`. */
function commentPayload(body: string, options: { onPull?: boolean; action?: string; login?: string } = {}): Example {
  const example = index.find((entry) => entry.name === 'issue_comment')?.examples.find((e) => e.action === 'created')
  if (example === undefined) throw new Error('no issue_comment.created example')
  const payload = structuredClone(example) as Example & {
    issue: Record<string, unknown> & { user: { login: string } }
    comment: { body: string; user: { login: string } }
  }
  payload.action = options.action ?? 'created'
  payload.issue.number = 42
  payload.issue.user.login = 'pr-author'
  if (options.onPull !== false) {
    payload.issue.pull_request = {
      url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/42',
      html_url: 'https://github.com/Codertocat/Hello-World/pull/42',
      diff_url: 'https://github.com/Codertocat/Hello-World/pull/42.diff',
      patch_url: 'https://github.com/Codertocat/Hello-World/pull/42.patch',
      merged_at: null
    }
  }
  payload.comment.body = body
  payload.comment.user.login = options.login ?? 'maintainer'
  return payload
}

const resolve = (payload: unknown) =>
  resolveReviewTarget({ eventName: 'issue_comment', payload, repository: 'Codertocat/Hello-World' })

describe('parseReviewCommand', () => {
  it.each([
    ['/review', { full: false }],
    ['  /review\n\nplease look at the parser', { full: false }],
    ['/review full', { full: true }],
    ['/review FULL please', { full: true }],
    ['/review the parser', { full: false }],
    ['/reviewer', undefined],
    ['please /review', undefined],
    ['LGTM\n/review', undefined],
    ['', undefined]
  ])('%j → %j', (body, expected) => {
    expect(parseReviewCommand(body)).toEqual(expected)
  })
})

describe('resolveReviewTarget for issue_comment', () => {
  it('reviews the pull request a /review comment is on, naming who asked', () => {
    expect(resolve(commentPayload('/review'))).toEqual({
      kind: 'review',
      ref: { owner: 'Codertocat', repo: 'Hello-World', pullNumber: 42 },
      fromFork: false,
      requestedBy: 'maintainer',
      fullReview: false,
      author: 'pr-author'
    })
  })

  it('asks for a full review on /review full', () => {
    expect(resolve(commentPayload('/review full'))).toMatchObject({ kind: 'review', fullReview: true })
  })

  it.each([
    ['a comment on an issue', commentPayload('/review', { onPull: false }), /on an issue, not on a pull request/],
    ['a comment that is not a command', commentPayload('Looks good to me'), /does not start with \/review/],
    ['an edited comment', commentPayload('/review', { action: 'edited' }), /"edited" is ignored/],
    ['a deleted comment', commentPayload('/review', { action: 'deleted' }), /"deleted" is ignored/]
  ])('skips %s with a reason', (_label, payload, reason) => {
    const target = resolve(payload)
    expect(target.kind).toBe('skip')
    expect(target.kind === 'skip' ? target.reason : '').toMatch(reason)
  })
})
