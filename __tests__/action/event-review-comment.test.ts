import { resolveReplyEvent } from '../../src/action/event-review-comment.js'

const payload = (overrides: { comment?: Record<string, unknown>; action?: string; head?: unknown } = {}) => ({
  action: overrides.action ?? 'created',
  comment: {
    id: 3_189_543_903,
    in_reply_to_id: 3_189_000_001,
    body: 'This is intended.',
    path: 'src/a.ts',
    diff_hunk: '@@ -1 +1 @@\n+x',
    user: { login: 'alice', id: 7, type: 'User' },
    ...overrides.comment
  },
  pull_request: {
    number: 5,
    head: { repo: overrides.head === undefined ? { full_name: 'o/r' } : overrides.head },
    base: { repo: { full_name: 'o/r' } }
  }
})
const resolve = (value: unknown, repository = 'o/r') =>
  resolveReplyEvent({ eventName: 'pull_request_review_comment', payload: value, repository })

describe('resolveReplyEvent', () => {
  it('reads a new reply in a thread', () => {
    expect(resolve(payload())).toEqual({
      kind: 'reply',
      ref: { owner: 'o', repo: 'r', pullNumber: 5 },
      fromFork: false,
      reply: {
        id: 3_189_543_903,
        inReplyToId: 3_189_000_001,
        body: 'This is intended.',
        path: 'src/a.ts',
        diffHunk: '@@ -1 +1 @@\n+x',
        author: { login: 'alice', id: 7, type: 'User' }
      }
    })
  })

  it.each([
    ['an edited comment', payload({ action: 'edited' }), 'Review comment action "edited" is ignored'],
    ['a deleted comment', payload({ action: 'deleted' }), 'Review comment action "deleted" is ignored'],
    ['a comment that starts a thread', payload({ comment: { in_reply_to_id: undefined } }), 'starts a new thread'],
    ['a payload without an author', payload({ comment: { user: null } }), 'has no comment, pull request or author'],
    ['a payload that is not an object', 'nonsense', 'Review comment action "undefined" is ignored']
  ])('skips %s', (_name, value, reason) => {
    const target = resolve(value)
    expect(target.kind).toBe('skip')
    expect(target.kind === 'skip' && target.reason).toContain(reason)
  })

  it.each([
    ['another repository', { full_name: 'fork/r' }],
    ['a deleted fork', null]
  ])('marks a pull request from %s as a fork', (_name, head) => {
    expect(resolve(payload({ head }))).toMatchObject({ kind: 'reply', fromFork: true })
  })

  it('needs owner/repo', () => {
    expect(resolve(payload(), 'nope')).toMatchObject({ kind: 'skip' })
  })
})
