import { getErrorMessage } from '../src/errors.js'

describe('getErrorMessage', () => {
  it.each([
    [new Error('boom'), 'boom'],
    ['plain', 'plain'],
    [{ a: 1 }, '{"a":1}']
  ])('turns %p into text', (input, expected) => {
    expect(getErrorMessage(input)).toBe(expected)
  })
})
