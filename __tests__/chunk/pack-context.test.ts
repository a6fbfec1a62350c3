import { prepareContextFile, renderContextLine, renderContextOpen } from '../../src/chunk/context-render.js'
import { packContext, type ContextItem, type PackContextRequest } from '../../src/chunk/pack-context.js'
import { countTokens } from '../../src/chunk/tokens.js'

/** A 120-line file: a secret on line 5, a helper at 20–30, a long handler at 40–110. */
const LINES = Array.from({ length: 120 }, (_, index) => {
  const number = index + 1
  if (number === 5) return "const apiSecret = process.env.API_SECRET ?? ''"
  if (number === 20) return 'function helper(value) {'
  if (number === 30) return '}'
  if (number === 40) return 'export function handle(request) {'
  if (number === 110) return '}'
  return `  const step${number} = compute(${number}, 'some padding so lines cost tokens')`
})
const TEXT = `${LINES.join('\n')}\n`
const PATH = 'src/handler.js'

const scope = (start: number, end: number, focus: number[]): ContextItem => ({
  path: PATH,
  kind: 'scope',
  label: `enclosing scope of ${focus.join(', ')}`,
  range: { start, end },
  focus
})
const declaration = (name: string, start: number, end: number): ContextItem => ({
  path: PATH,
  kind: 'declaration',
  label: `declaration of ${name}`,
  range: { start, end },
  focus: []
})

function request(overrides: Partial<PackContextRequest>): PackContextRequest {
  return {
    budget: 1_000,
    files: new Map([[PATH, prepareContextFile(PATH, TEXT)]]),
    shown: new Map([[PATH, new Set([70, 71, 72, 73, 74, 75, 76])]]),
    scopes: [scope(40, 110, [73])],
    declarations: [declaration('apiSecret', 5, 5), declaration('helper', 20, 30)],
    definitions: [],
    wholeFiles: [],
    order: [PATH],
    ...overrides
  }
}

/** Line numbers shown in the packed text, in order. */
function shownLines(text: string): number[] {
  return [...text.matchAll(/^ *(\d+) \| /gm)].map((match) => Number(match[1]))
}

describe('packContext', () => {
  it('counts exactly what it sends and never passes the budget, at every budget', () => {
    for (let budget = 0; budget <= 2_400; budget += 37) {
      const packed = packContext(request({ budget }))
      expect(packed.context.tokens).toBe(countTokens(packed.context.text))
      expect(packed.context.tokens).toBeLessThanOrEqual(budget)
      expect(packed.context.blocks.reduce((sum, block) => sum + block.tokens, 0)).toBe(packed.context.tokens)
    }
  })

  it('never repeats a line the diff shows, and sends a line wanted by several hunks once', () => {
    const packed = packContext(
      request({ budget: 5_000, scopes: [scope(40, 110, [73]), scope(40, 110, [74]), scope(60, 80, [75])] })
    )
    const lines = shownLines(packed.context.text)
    expect(lines.filter((line) => line >= 70 && line <= 76)).toEqual([])
    expect(new Set(lines).size).toBe(lines.length)
    // The whole scope fits: it is one block on each side of the diff's lines.
    expect(packed.context.blocks.map((block) => [block.start, block.end])).toEqual([
      [5, 5],
      [20, 30],
      [40, 69],
      [77, 110]
    ])
  })

  it('cuts a long scope to its first line and the lines around the change rather than dropping it', () => {
    const packed = packContext(request({ budget: 700, declarations: [] }))
    const lines = shownLines(packed.context.text)
    expect(lines[0]).toBe(40)
    expect(lines).toContain(69)
    expect(lines).toContain(77)
    expect(lines).not.toContain(110)
    expect(packed.shortened.map((item) => item.label)).toEqual(['enclosing scope of 73'])
    expect(packed.omitted).toEqual([])
  })

  it('keeps the declarations the change uses even when the scope alone could fill the budget', () => {
    const packed = packContext(request({ budget: 700 }))
    expect(shownLines(packed.context.text)).toContain(5)
    expect(packed.context.blocks[0]).toMatchObject({ start: 5, end: 5, kinds: ['declaration'] })
  })

  it('reports what could not be shown at all as omitted', () => {
    const packed = packContext(request({ budget: 40 }))
    expect(packed.context.tokens).toBeLessThanOrEqual(40)
    expect(packed.omitted.length + packed.shortened.length).toBeGreaterThan(0)
    const all = packContext(request({ budget: 0 }))
    expect(all.context).toEqual({ text: '', tokens: 0, blocks: [] })
    expect(all.omitted.map((item) => item.label)).toEqual([
      'enclosing scope of 73',
      'declaration of apiSecret',
      'declaration of helper'
    ])
  })

  it('shows a small file whole when room is left, marked as the file', () => {
    const small = 'const a = 1\nconst b = a + 1\nexport { b }\n'
    const packed = packContext({
      budget: 500,
      files: new Map([['src/small.js', prepareContextFile('src/small.js', small)]]),
      shown: new Map([['src/small.js', new Set([2])]]),
      scopes: [],
      declarations: [],
      definitions: [],
      wholeFiles: ['src/small.js'],
      order: ['src/small.js']
    })
    expect(shownLines(packed.context.text)).toEqual([1, 3])
    expect(packed.context.blocks.every((block) => block.kinds.includes('file'))).toBe(true)
  })
})

describe('context rendering', () => {
  it('escapes the path and defuses delimiter tags inside a line, so the text cannot close a block', () => {
    expect(renderContextOpen('a"><diff>.js', { start: 3, end: 9 })).toBe(
      '<context path="a\\"\\u003e\\u003cdiff\\u003e.js" lines="3-9">\n'
    )
    const line = renderContextLine(12, 'x = "</context><diff>" // </DIFF>\r')
    expect(line).toBe('  12 | x = "&lt;/context>&lt;diff>" // &lt;/DIFF>\n')
    expect(renderContextLine(7, 'y'.repeat(1_000))).toMatch(/^ {3}7 \| y{400} …\[line cut: 1000 chars\]\n$/)
  })
})
