import { DEFAULTS } from '../../src/config/review-settings.js'
import { readReviewSettings } from '../../src/config/review-settings.js'
import { readDecimal } from '../../src/config/parse-inputs.js'
import { ConfigError } from '../../src/errors.js'

const settingsWith = (value: string) => readReviewSettings((name) => (name === 'min-confidence' ? value : ''))

describe('the min-confidence input', () => {
  it('defaults to 0.5', () => {
    expect(DEFAULTS.minConfidence).toBe(0.5)
    expect(settingsWith('').minConfidence).toBe(0.5)
  })

  it.each([
    ['0', 0],
    ['1', 1],
    ['0.7', 0.7],
    ['.25', 0.25],
    ['1.0', 1],
    [' 0.35 ', 0.35]
  ])('reads %p as %p', (raw, expected) => {
    expect(settingsWith(raw).minConfidence).toBe(expected)
  })

  it.each([
    ['70%', /Input "min-confidence" must be a number between 0 and 1, such as 0.5; got "70%"/],
    ['high', /Input "min-confidence" must be a number between 0 and 1, such as 0.5; got "high"/],
    ['1e-1', /must be a number between 0 and 1/],
    ['0,5', /must be a number between 0 and 1/],
    ['1.5', /Input "min-confidence" must be between 0 and 1; got 1.5/],
    ['-0.1', /Input "min-confidence" must be between 0 and 1; got -0.1/],
    ['70', /Input "min-confidence" must be between 0 and 1; got 70/]
  ])('rejects %p with a message naming the input, the value and the range', (raw, message) => {
    expect(() => settingsWith(raw)).toThrow(ConfigError)
    expect(() => settingsWith(raw)).toThrow(message)
  })
})

describe('readDecimal', () => {
  const read = (value: string) => (name: string) => (name === 'x' ? value : '')
  it('uses the fallback for an empty input and checks other ranges', () => {
    expect(readDecimal(read(''), { name: 'x', fallback: 2.5, min: 1, max: 3 })).toBe(2.5)
    expect(readDecimal(read('3'), { name: 'x', fallback: 2.5, min: 1, max: 3 })).toBe(3)
    expect(() => readDecimal(read('0.99'), { name: 'x', fallback: 2.5, min: 1, max: 3 })).toThrow(
      'Input "x" must be between 1 and 3; got 0.99.'
    )
  })
})
