import {
  describeGitHubError,
  isSecondaryRateLimit,
  isTransientGitHubError,
  statusOf
} from '../../src/github/http-errors.js'

/** The shape Octokit's RequestError has: status plus the parsed response. */
const httpError = (status: number, data: unknown, message = 'ignored') =>
  Object.assign(new Error(message), { status, response: { data, headers: {} } })

describe('describeGitHubError', () => {
  it.each([
    [
      'a 422 with string details',
      httpError(422, { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] }),
      'GitHub answered 422 while creating the review: Unprocessable Entity (Line could not be resolved)'
    ],
    [
      'a 422 with object details',
      httpError(422, {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'IssueComment',
            code: 'custom',
            field: 'body',
            message: 'Body is too long (maximum is 65536 characters)'
          }
        ]
      }),
      'GitHub answered 422 while creating the review: Validation Failed (Body is too long (maximum is 65536 characters))'
    ],
    [
      'a detail without a message',
      httpError(406, { message: 'Sorry', errors: [{ resource: 'PullRequest', field: 'diff', code: 'too_large' }] }),
      'GitHub answered 406 while creating the review: Sorry (PullRequest diff too_large)'
    ],
    [
      'a body without JSON',
      httpError(502, '<html>', 'Bad Gateway'),
      'GitHub answered 502 while creating the review: Bad Gateway'
    ],
    [
      'a failed connection',
      Object.assign(new Error('connect ECONNREFUSED'), { status: 500 }),
      'Could not reach GitHub while creating the review: connect ECONNREFUSED'
    ],
    ['a non-HTTP error', new Error('socket hang up'), 'creating the review failed: socket hang up'],
    [
      'a token in a message',
      new Error('used ghp_abcdefghijklmnopqrstuvwxyz0123'),
      'creating the review failed: used [REDACTED]'
    ]
  ])('describes %s', (_name, error, expected) => {
    expect(describeGitHubError(error, 'creating the review')).toBe(expected)
  })
})

describe('classifying errors', () => {
  it.each([
    [httpError(502, {}), 502, true, false],
    [httpError(500, {}), 500, true, false],
    [httpError(429, { message: 'Too Many Requests' }), 429, true, false],
    [httpError(403, { message: 'You have exceeded a secondary rate limit.' }), 403, true, true],
    [httpError(403, { message: 'Resource not accessible by integration' }), 403, false, false],
    [httpError(422, {}), 422, false, false],
    [new Error('plain'), undefined, false, false],
    ['text', undefined, false, false]
  ])('%#: status, transient, secondary limit', (error, status, transient, secondary) => {
    expect(statusOf(error)).toBe(status)
    expect(isTransientGitHubError(error)).toBe(transient)
    expect(isSecondaryRateLimit(error)).toBe(secondary)
  })
})
