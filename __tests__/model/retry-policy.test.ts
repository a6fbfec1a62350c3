import {
  computeBackoffMs,
  decideRetry,
  describeHttpFailure,
  describeTransportError,
  isRetryableTransportError,
  MAX_RETRY_DELAY_MS,
  readRetryAfterMs,
  redactSecret,
  shouldRetryHttp,
  type HttpFailure
} from '../../src/model/retry-policy.js'

const NOW = Date.parse('2026-11-02T10:00:00Z')
const now = (): number => NOW
const http = (status: number, headers: Record<string, string> = {}, errorCode?: string): HttpFailure => ({
  kind: 'http',
  status,
  headers,
  ...(errorCode === undefined ? {} : { errorCode })
})
const errorWithCode = (code: string): Error => Object.assign(new Error(`failed ${code}`), { code })

describe('shouldRetryHttp', () => {
  it.each([
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [408, true],
    [409, true],
    [422, false],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true]
  ])('HTTP %i ⇒ retry %p', (status, expected) => {
    expect(shouldRetryHttp(http(status))).toBe(expected)
  })

  it('does not retry an exhausted quota', () => {
    expect(shouldRetryHttp(http(429, {}, 'insufficient_quota'))).toBe(false)
    expect(shouldRetryHttp(http(429, {}, 'rate_limit_exceeded'))).toBe(true)
  })

  it.each([
    [400, 'true', true],
    [503, 'false', false],
    [503, ' FALSE ', false],
    [503, 'maybe', true]
  ])('HTTP %i with x-should-retry %p ⇒ %p', (status, hint, expected) => {
    expect(shouldRetryHttp(http(status, { 'x-should-retry': hint }))).toBe(expected)
  })
})

describe('isRetryableTransportError', () => {
  it.each([
    ['UND_ERR_HEADERS_TIMEOUT', true],
    ['UND_ERR_BODY_TIMEOUT', true],
    ['UND_ERR_CONNECT_TIMEOUT', true],
    ['UND_ERR_SOCKET', true],
    ['ECONNREFUSED', true],
    ['ECONNRESET', true],
    ['UND_ERR_INVALID_ARG', false],
    ['ERR_INVALID_URL', false]
  ])('%s ⇒ %p', (code, expected) => {
    expect(isRetryableTransportError(errorWithCode(code))).toBe(expected)
  })

  it('treats programming errors and non-errors as final', () => {
    expect(isRetryableTransportError(new TypeError('bad'))).toBe(false)
    expect(isRetryableTransportError('boom')).toBe(false)
    expect(isRetryableTransportError(new Error('socket hang up'))).toBe(true)
  })
})

describe('computeBackoffMs', () => {
  it.each([
    [0, 500],
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [9, 8000]
  ])('retry %i waits %i ms without jitter and at most 25 %% less with it', (retries, full) => {
    expect(computeBackoffMs(retries, () => 0)).toBe(full)
    expect(computeBackoffMs(retries, () => 0.999999)).toBe(Math.round(full * (1 - 0.999999 * 0.25)))
    expect(computeBackoffMs(retries, () => 0.5)).toBe(Math.round(full * 0.875))
  })
})

describe('readRetryAfterMs', () => {
  it.each([
    ['retry-after seconds', { 'retry-after': '3' }, 3000],
    ['fractional retry-after', { 'retry-after': '1.5' }, 1500],
    ['retry-after-ms first', { 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    ['HTTP date', { 'retry-after': new Date(NOW + 7000).toUTCString() }, 7000],
    ['HTTP date in the past', { 'retry-after': new Date(NOW - 7000).toUTCString() }, 0],
    ['a cap on seconds', { 'retry-after': '3600' }, MAX_RETRY_DELAY_MS],
    ['a cap on ms', { 'retry-after-ms': '90000' }, MAX_RETRY_DELAY_MS],
    ['bad retry-after-ms falls back to retry-after', { 'retry-after-ms': 'soon', 'retry-after': '2' }, 2000],
    ['garbage', { 'retry-after': 'later' }, undefined],
    ['nothing', {}, undefined]
  ])('%s', (_label, headers, expected) => {
    expect(readRetryAfterMs(headers, now)).toBe(expected)
  })
})

describe('decideRetry', () => {
  const context = { retriesDone: 0, maxRetries: 4, random: () => 0, now }

  it('uses the server-requested wait over backoff', () => {
    expect(decideRetry(http(429, { 'retry-after': '2' }), context)).toEqual({ retry: true, delayMs: 2000 })
  })

  it('backs off exponentially when the server says nothing', () => {
    expect(decideRetry(http(500), { ...context, retriesDone: 2 })).toEqual({ retry: true, delayMs: 2000 })
    expect(decideRetry({ kind: 'transport', error: errorWithCode('ECONNRESET') }, context)).toEqual({
      retry: true,
      delayMs: 500
    })
  })

  it('stops when retries are used up or the failure is final', () => {
    expect(decideRetry(http(500), { ...context, retriesDone: 4 })).toEqual({ retry: false })
    expect(decideRetry(http(401), context)).toEqual({ retry: false })
    expect(decideRetry({ kind: 'transport', error: new TypeError('x') }, context)).toEqual({ retry: false })
  })
})

describe('describeHttpFailure', () => {
  it.each([
    [401, /`api-key`/],
    [403, /out of credits/],
    [400, /unsupported parameter or model/],
    [404, /`base-url`/]
  ])('HTTP %i says what to fix', (status, hint) => {
    const { message } = describeHttpFailure({ status, provider: { message: 'Provider said no' } })
    expect(message).toMatch(hint)
    expect(message).toContain(`HTTP ${status}: Provider said no`)
  })

  it('includes the code, param and request id', () => {
    const { message, summary } = describeHttpFailure({
      status: 400,
      provider: { message: 'Unsupported parameter', code: 'unsupported_parameter', param: 'temperature' },
      requestId: 'req_1'
    })
    expect(summary).toBe('HTTP 400: Unsupported parameter (unsupported_parameter, param temperature)')
    expect(message).toContain('[request id req_1]')
  })
})

describe('describeTransportError and redactSecret', () => {
  it('adds the error code when the message lacks it', () => {
    expect(describeTransportError(errorWithCode('X'))).toBe('failed X')
    expect(
      describeTransportError(Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }))
    ).toBe('Headers Timeout Error (UND_ERR_HEADERS_TIMEOUT)')
  })

  it('scrubs every occurrence of the key, but not trivially short ones', () => {
    expect(redactSecret('key sk-123456 and sk-123456', 'sk-123456')).toBe('key *** and ***')
    expect(redactSecret('abc', 'a')).toBe('abc')
  })
})
