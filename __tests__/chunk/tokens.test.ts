import { countTokens } from '../../src/chunk/tokens.js'

describe('countTokens', () => {
  it.each([
    ['', 0],
    ['hello world', 2],
    // Counted as ordinary text (7 tokens), not as the special token, and it does not throw.
    ['<|endoftext|>', 7]
  ])('counts %j as %i o200k tokens', (text, expected) => {
    expect(countTokens(text)).toBe(expected)
  })

  it('counts every 1–3 digit string as one token (the planner bounds headers on this)', () => {
    const multiToken: string[] = []
    for (let digits = 1; digits <= 3; digits++) {
      for (let value = 0; value < 10 ** digits; value++) {
        const text = String(value).padStart(digits, '0')
        if (countTokens(text) !== 1) multiToken.push(text)
      }
    }
    expect(multiToken).toEqual([])
  })

  // Why rendered units never start with "/", a line break, or blanks before a line break.
  it.each([
    ['a;\n', '//x\n'],
    ['x\n', '\nfoo\n'],
    ['x\n', '  \nfoo\n'],
    ['x\n', '\r\n']
  ])('is not additive across %j + %j', (first, second) => {
    expect(countTokens(first + second)).not.toBe(countTokens(first) + countTokens(second))
  })

  it.each([
    ['a;\n', '  10 + //x\n'],
    ['x\r\n', '     -   \r\n'],
    ['}\n', '@@ -1,2 +1,2 @@\n'],
    ['  12 + a\n', '</file>\n']
  ])('is additive across %j + %j', (first, second) => {
    expect(countTokens(first + second)).toBe(countTokens(first) + countTokens(second))
  })
})
