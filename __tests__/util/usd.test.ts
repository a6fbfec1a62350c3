import { formatUsd } from '../../src/util/usd.js'

describe('formatUsd', () => {
  it('gives cents to a dollar and more, four decimals below, and a plain zero', () => {
    expect(formatUsd(0)).toBe('$0.00')
    expect(formatUsd(0.0031)).toBe('$0.0031')
    expect(formatUsd(0.5)).toBe('$0.5000')
    expect(formatUsd(1.238)).toBe('$1.24')
    expect(formatUsd(2)).toBe('$2.00')
  })
})
