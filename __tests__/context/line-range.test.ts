import { dropContainedRanges, mergeRanges, trimScope, type LineRange } from '../../src/context/line-range.js'

const r = (start: number, end: number): LineRange => ({ start, end })
const total = (ranges: readonly LineRange[]): number =>
  ranges.reduce((sum, range) => sum + range.end - range.start + 1, 0)

describe('trimScope', () => {
  it.each<[string, { scope: LineRange; lines: number[]; maxLines: number }, LineRange[]]>([
    ['a scope that fits is kept whole', { scope: r(10, 30), lines: [20], maxLines: 21 }, [r(10, 30)]],
    [
      'the signature and an even window around one line',
      { scope: r(1, 2000), lines: [1500], maxLines: 41 },
      [r(1, 1), r(1481, 1519)]
    ],
    [
      'windows around two lines, equally wide',
      { scope: r(1, 2000), lines: [500, 1500], maxLines: 23 },
      [r(1, 1), r(495, 505), r(1495, 1505)]
    ],
    [
      'windows that touch are merged',
      { scope: r(1, 2000), lines: [1000, 1003], maxLines: 12 },
      [r(1, 1), r(997, 1006)]
    ],
    ['a window near the signature joins it', { scope: r(100, 3000), lines: [103], maxLines: 9 }, [r(100, 108)]],
    ['a window is clipped at the scope end', { scope: r(1, 500), lines: [500], maxLines: 11 }, [r(1, 1), r(491, 500)]],
    ['no asked line in the scope: its first lines', { scope: r(50, 900), lines: [10], maxLines: 5 }, [r(50, 54)]],
    [
      'more asked lines than fit: the signature and the first ones',
      { scope: r(1, 100), lines: [10, 20, 30, 40], maxLines: 3 },
      [r(1, 1), r(10, 10), r(20, 20)]
    ],
    ['a budget of one line: the signature', { scope: r(5, 100), lines: [50], maxLines: 1 }, [r(5, 5)]],
    ['no budget: nothing', { scope: r(5, 100), lines: [50], maxLines: 0 }, []]
  ])('%s', (_, options, expected) => {
    const trimmed = trimScope(options)
    expect(trimmed).toEqual(expected)
    expect(total(trimmed)).toBeLessThanOrEqual(Math.max(0, options.maxLines))
  })

  it('never exceeds the budget and always keeps the signature and every asked line that fits', () => {
    for (let maxLines = 2; maxLines < 60; maxLines += 7) {
      const lines = [40, 41, 300, 301, 302, 999]
      const trimmed = trimScope({ scope: r(30, 1000), lines, maxLines })
      expect(total(trimmed)).toBeLessThanOrEqual(maxLines)
      expect(trimmed[0]?.start).toBe(30)
      if (maxLines >= lines.length + 1) {
        for (const line of lines) expect(trimmed.some((range) => line >= range.start && line <= range.end)).toBe(true)
      }
    }
  })
})

describe('mergeRanges and dropContainedRanges', () => {
  it('joins overlapping and touching ranges, in order', () => {
    expect(mergeRanges([r(10, 12), r(1, 3), r(4, 5), r(11, 20), r(30, 30)])).toEqual([r(1, 5), r(10, 20), r(30, 30)])
  })
  it('drops ranges inside others and duplicates, keeping overlapping ones', () => {
    expect(dropContainedRanges([r(5, 8), r(1, 10), r(9, 12), r(1, 10), r(20, 25)])).toEqual([
      r(1, 10),
      r(9, 12),
      r(20, 25)
    ])
  })
})
