import { FINGERPRINT_LENGTH, fingerprintFinding, normalizeTitle } from '../../src/review/fingerprint.js'

const base = { path: 'src/app.ts', title: 'Off-by-one in loop', body: 'body', category: 'bug' as const }

describe('normalizeTitle', () => {
  it.each([
    ['  Off-by-one   in\nLOOP ', 'off-by-one in loop'],
    ['Retry 3 times', 'retry 3 times'],
    ['Tab\tseparated', 'tab separated']
  ])('%j', (title, expected) => {
    expect(normalizeTitle(title)).toBe(expected)
  })
})

describe('fingerprintFinding', () => {
  it('is a short lowercase hex string, the same on every call', () => {
    const fingerprint = fingerprintFinding(base)
    expect(fingerprint).toMatch(new RegExp(`^[0-9a-f]{${FINGERPRINT_LENGTH}}$`))
    expect(fingerprintFinding({ ...base })).toBe(fingerprint)
  })

  it('ignores case and whitespace in the title, the body and the category', () => {
    const fingerprint = fingerprintFinding(base)
    expect(fingerprintFinding({ ...base, title: ' OFF-BY-ONE  in loop\n' })).toBe(fingerprint)
    expect(fingerprintFinding({ ...base, body: 'reworded', category: 'style' })).toBe(fingerprint)
  })

  it.each([
    ['path', { path: 'src/other.ts' }],
    ['title', { title: 'Off-by-two in loop' }],
    ['digits', { title: 'Off-by-one in loop 2' }]
  ])('changes with the %s', (_label, change) => {
    expect(fingerprintFinding({ ...base, ...change })).not.toBe(fingerprintFinding(base))
  })
})
