import {
  ZERO_WIDTH_JOINER as ZWJ,
  capText,
  closeOpenFences,
  defangScriptLinks,
  escapeHtmlComment,
  escapeTableCell,
  formatCodeSpan,
  longestBacktickRun,
  neutralizeMentions,
  neutralizeStructuralTags,
  sanitizeBlock,
  sanitizeLine
} from '../../src/markdown/sanitize.js'

describe('neutralizeMentions', () => {
  it.each([
    ['@octocat please look', `@${ZWJ}octocat please look`],
    ['cc @my-org/security-team', `cc @${ZWJ}my-org/security-team`],
    ['(@user)', `(@${ZWJ}user)`],
    ['foo.@user', `foo.@${ZWJ}user`],
    ['`@user` in code', `\`@${ZWJ}user\` in code`],
    ['mail a@b.com or first.last@example.org', 'mail a@b.com or first.last@example.org'],
    ['snake_@user', 'snake_@user'],
    ['lone @ sign and @- and @@', 'lone @ sign and @- and @@'],
    ["$& @x $'", `$& @${ZWJ}x $'`]
  ])('%j', (input, expected) => {
    expect(neutralizeMentions(input)).toBe(expected)
  })

  it('is idempotent', () => {
    const once = neutralizeMentions('@a @b/c')
    expect(neutralizeMentions(once)).toBe(once)
  })
})

describe('escapeHtmlComment', () => {
  it.each([
    ['<!-- codex-pr-review:summary -->', `<${ZWJ}!-- codex-pr-review:summary --${ZWJ}>`],
    ['a --> b', `a --${ZWJ}> b`],
    ['x --!> y', `x --!${ZWJ}> y`],
    ['<!---->', `<${ZWJ}!----${ZWJ}>`],
    ['arrow -> stays', 'arrow -> stays']
  ])('%j', (input, expected) => {
    const output = escapeHtmlComment(input)
    expect(output).toBe(expected)
    expect(output).not.toContain('<!--')
    expect(output).not.toContain('-->')
  })
})

describe('neutralizeStructuralTags', () => {
  it('breaks details and summary tags, any case, and nothing else', () => {
    expect(neutralizeStructuralTags('</details><SUMMARY>x</summary><div>')).toBe(
      `<${ZWJ}/details><${ZWJ}SUMMARY>x<${ZWJ}/summary><div>`
    )
  })
})

describe('defangScriptLinks', () => {
  it.each([
    ['[x](javascript:alert(1))', '[x](#unsafe-link-removed:alert(1))'],
    ['[x]( JavaScript:alert(1))', '[x](#unsafe-link-removed:alert(1))'],
    ['[x](<data:text/html,hi>)', '[x](#unsafe-link-removed:text/html,hi>)'],
    ['[x](https://example.com)', '[x](https://example.com)']
  ])('%j', (input, expected) => {
    expect(defangScriptLinks(input)).toBe(expected)
  })
})

describe('capText', () => {
  it('leaves text within the cap alone', () => {
    expect(capText('abc', 3)).toBe('abc')
  })

  it('cuts to at most maxChars and says how much was cut', () => {
    const text = 'x'.repeat(5000)
    const capped = capText(text, 200)
    expect(capped.length).toBeLessThanOrEqual(200)
    const kept = capped.indexOf('…')
    expect(capped).toContain(`(${(5000 - kept).toLocaleString('en-US')} more characters cut)`)
  })

  it('never splits a surrogate pair', () => {
    const text = '😀'.repeat(100)
    for (let max = 30; max < 60; max += 1) {
      const capped = capText(text, max)
      expect(capped.length).toBeLessThanOrEqual(max)
      expect(capped).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/)
    }
  })

  it('hard-cuts when the cap is smaller than the note', () => {
    expect(capText('abcdefghijklmnopqrstuvwxyz'.repeat(3), 5)).toBe('abcde')
  })
})

describe('closeOpenFences', () => {
  it.each([
    ['```ts\nconst a = 1', '```ts\nconst a = 1\n```'],
    ['````\ncode\n```\nstill code', '````\ncode\n```\nstill code\n````'],
    ['~~~\ncode\n', '~~~\ncode\n~~~'],
    ['```\nclosed\n```\ntext', '```\nclosed\n```\ntext'],
    ['``` not`a fence\ntext', '``` not`a fence\ntext'],
    ['plain text', 'plain text']
  ])('%j', (input, expected) => {
    expect(closeOpenFences(input)).toBe(expected)
  })
})

describe('sanitizeBlock and sanitizeLine', () => {
  it('neutralizes, caps and closes fences in a block; $& survives', () => {
    const block = sanitizeBlock(`Use $& and $' here @team\n\`\`\`js\n${'a'.repeat(100)}`, 60)
    expect(block).toContain("$& and $' here")
    expect(block).toContain(`@${ZWJ}team`)
    expect(block.endsWith('\n```')).toBe(true)
  })

  it('keeps a line on one line', () => {
    expect(sanitizeLine('  a\n\tb  <!-- x -->  ')).toBe(`a b <${ZWJ}!-- x --${ZWJ}>`)
    expect(sanitizeLine('y'.repeat(500), 200).length).toBeLessThanOrEqual(200)
  })
})

describe('code spans and table cells', () => {
  it.each([
    ['src/a.ts', '`src/a.ts`'],
    ['a`b', '``a`b``'],
    ['`x`', '`` `x` ``'],
    ['a``b', '```a``b```']
  ])('formatCodeSpan(%j)', (input, expected) => {
    expect(formatCodeSpan(input)).toBe(expected)
  })

  it('counts the longest backtick run', () => {
    expect(longestBacktickRun('a ``` b ` c ````')).toBe(4)
    expect(longestBacktickRun('none')).toBe(0)
  })

  it('escapes pipes and newlines in table cells', () => {
    expect(escapeTableCell('`a|b`\nc')).toBe('`a\\|b` c')
  })
})
