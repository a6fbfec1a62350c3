/**
 * Model text must render as Markdown only: no raw HTML (images, links, collapsibles, frames, styles), not
 * even smuggled through character references, while code in fences stays byte for byte and inline code
 * reads the same (issue 12, item 4).
 */
import fc from 'fast-check'
import { ZERO_WIDTH_JOINER as ZWJ, neutralizeHtml, sanitizeBlock, sanitizeLine } from '../../src/markdown/sanitize.js'

const visible = (text: string): string => text.split(ZWJ).join('')

describe('neutralizeHtml', () => {
  it.each([
    ['an image', '<img src=https://evil.example/p.png>', `<${ZWJ}img src=https://evil.example/p.png>`],
    ['a link', '<a href="https://evil.example">click</a>', `<${ZWJ}a href="https://evil.example">click<${ZWJ}/a>`],
    [
      'a collapsible',
      '<details open><summary>x</summary>hid</details>',
      `<${ZWJ}details open><${ZWJ}summary>x<${ZWJ}/summary>hid<${ZWJ}/details>`
    ],
    [
      'a picture',
      '<picture><source srcset="x"><img src=y></picture>',
      `<${ZWJ}picture><${ZWJ}source srcset="x"><${ZWJ}img src=y><${ZWJ}/picture>`
    ],
    [
      'a frame, a style and a script',
      '<iframe src=x></iframe><style>*{}</style><script>',
      `<${ZWJ}iframe src=x><${ZWJ}/iframe><${ZWJ}style>*{}<${ZWJ}/style><${ZWJ}script>`
    ],
    [
      'a comment, a declaration, CDATA and a processing instruction',
      '<!-- x --><!DOCTYPE html><![CDATA[y]]><?php',
      `<${ZWJ}!-- x --><${ZWJ}!DOCTYPE html><${ZWJ}![CDATA[y]]><${ZWJ}?php`
    ],
    ['upper-case tags', '<IMG SRC=x>', `<${ZWJ}IMG SRC=x>`],
    ['named references', '&lt;img src=x&gt; &amp; &nbsp;', `&${ZWJ}lt;img src=x&${ZWJ}gt; &${ZWJ}amp; &${ZWJ}nbsp;`],
    [
      'numeric references',
      '&#60;img&#62; &#x3C;b&#X3e; &#64;alice',
      `&${ZWJ}#60;img&${ZWJ}#62; &${ZWJ}#x3C;b&${ZWJ}#X3e; &${ZWJ}#64;alice`
    ],
    ['comparisons and arrows', 'a < b && c <= d, 1 <2, x <- y, <>, <=>', 'a < b && c <= d, 1 <2, x <- y, <>, <=>'],
    ['an ampersand that starts no reference', 'Q&A, a && b, &;, & x;', 'Q&A, a && b, &;, & x;'],
    [
      'a URL autolink (Markdown, kept)',
      'see <https://example.com/a?b=1> and <http://x.test>',
      'see <https://example.com/a?b=1> and <http://x.test>'
    ],
    ['a broken autolink that hides a tag', '<https://x.test/<img src=y>', `<${ZWJ}https://x.test/<${ZWJ}img src=y>`],
    [
      'other autolink schemes',
      '<mailto:a@b.c> <javascript:alert(1)>',
      `<${ZWJ}mailto:a@b.c> <${ZWJ}javascript:alert(1)>`
    ],
    ['already neutralized text', `<${ZWJ}img> &${ZWJ}lt;`, `<${ZWJ}img> &${ZWJ}lt;`],
    ['replacement patterns', "$& <b> $'", `$& <${ZWJ}b> $'`]
  ])('%s', (_label, input, expected) => {
    expect(neutralizeHtml(input)).toBe(expected)
    expect(visible(neutralizeHtml(input))).toBe(input.split(ZWJ).join(''))
  })
})

describe('sanitizeBlock: HTML outside code, code left as written', () => {
  it.each([
    ['prose with a tag', 'Use <img src=x> here.', `Use <${ZWJ}img src=x> here.`],
    ['a generic type in prose', 'Return Array<string> instead.', `Return Array<${ZWJ}string> instead.`],
    [
      'inline code (reads the same)',
      'Use `Array<string>` and `&amp;`.',
      `Use \`Array<${ZWJ}string>\` and \`&${ZWJ}amp;\`.`
    ],
    [
      'a fenced block (byte for byte)',
      'Fix:\n\n```ts\nconst a: Array<string> = [] // <img src=x> &amp;\n```\n\nDone <b>.',
      `Fix:\n\n\`\`\`ts\nconst a: Array<string> = [] // <img src=x> &amp;\n\`\`\`\n\nDone <${ZWJ}b>.`
    ],
    ['a tilde fence', '~~~html\n<div class="a">&nbsp;</div>\n~~~', '~~~html\n<div class="a">&nbsp;</div>\n~~~'],
    ['a fence left open (closed for it)', '```\n<div>', '```\n<div>\n```'],
    [
      'a fence indented in a list item, moved to the margin',
      '1. Fix:\n   ```html\n   <div>\n     <b>\n   ```\n2. Next <i>',
      `1. Fix:\n\`\`\`html\n<div>\n  <b>\n\`\`\`\n2. Next <${ZWJ}i>`
    ],
    ['an outdented line in an indented fence', '- item\n  ```\n<img src=x>\n  ```', '- item\n```\n<img src=x>\n```'],
    [
      'a content line that moving would turn into a closing fence',
      'Fix:\n   ```\n    ```\n<img src=x>\n   ```',
      'Fix:\n```\n    ```\n<img src=x>\n```'
    ],
    [
      'a fence in a block quote (not recognised: neutralized)',
      '> ```\n> <img src=x>\n> ```',
      `> \`\`\`\n> <${ZWJ}img src=x>\n> \`\`\``
    ],
    ['a fence after an HTML block opener', '<div>\n```\n<img src=x>\n```', `<${ZWJ}div>\n\`\`\`\n<img src=x>\n\`\`\``],
    [
      'a backtick fence whose info string has a backtick (not a fence)',
      '``` a`b\n<img src=x>',
      `\`\`\` a\`b\n<${ZWJ}img src=x>`
    ],
    [
      'an indented code block (not a fence: neutralized, invisibly)',
      'Code:\n\n    ```\n    <img src=x>\n    ```',
      `Code:\n\n    \`\`\`\n    <${ZWJ}img src=x>\n    \`\`\``
    ]
  ])('%s', (_label, input, expected) => {
    expect(sanitizeBlock(input)).toBe(expected)
  })

  it('leaves a fence’s content unchanged even when it ends a capped text', () => {
    const code = `<div>${'x'.repeat(200)}</div>`
    const block = sanitizeBlock(`\`\`\`html\n${code}\n\`\`\``, 120)
    expect(block.startsWith(`\`\`\`html\n${code.slice(0, 40)}`)).toBe(true)
    expect(block.endsWith('\n```')).toBe(true)
  })

  it('leaves no tag, comment or character reference outside fences, whatever the text', () => {
    const pieces = [
      '<',
      '>',
      '&',
      '#',
      ';',
      'lt',
      'img',
      '!--',
      '/',
      '?',
      'x',
      ' ',
      '   ',
      '\n',
      '```',
      '~~~',
      '`',
      '    ',
      '> ',
      '- ',
      'https://a',
      ':',
      '\u200D'
    ]
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const output = sanitizeBlock(parts.join(''))
        const prose = withoutFences(output)
        expect(prose.replace(/<https?:\/\/[^\s<>`]*>/g, '')).not.toMatch(/<[A-Za-z/!?]/)
        expect(prose).not.toMatch(/&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/)
      }),
      { numRuns: 500 }
    )
  })
})

describe('sanitizeLine', () => {
  it.each([
    ['a tag', 'Title <img src=x>', `Title <${ZWJ}img src=x>`],
    ['a fence marker (one line has no code block)', '```<img src=x>', `\`\`\`<${ZWJ}img src=x>`],
    ['a reference', 'ping &#64;alice', `ping &${ZWJ}#64;alice`]
  ])('%s', (_label, input, expected) => {
    expect(sanitizeLine(input)).toBe(expected)
  })
})

/**
 * The text outside fenced blocks as CommonMark reads fences that start in the first column: a run of three
 * or more backticks or tildes (a backtick fence's info string has no backtick) up to a line of at least as
 * many of the same character, or the end.
 */
function withoutFences(markdown: string): string {
  const kept: string[] = []
  let open: { char: string; length: number } | undefined
  for (const line of markdown.split('\n')) {
    const fence = /^(`{3,}|~{3,})(.*)$/.exec(line)
    if (open === undefined) {
      if (fence !== null && !(fence[1]?.startsWith('`') === true && fence[2]?.includes('`') === true)) {
        open = { char: fence[1]?.charAt(0) ?? '`', length: fence[1]?.length ?? 3 }
      } else kept.push(line)
    } else if (
      fence !== null &&
      fence[1]?.charAt(0) === open.char &&
      (fence[1]?.length ?? 0) >= open.length &&
      fence[2]?.trim() === ''
    ) {
      open = undefined
    }
  }
  return kept.join('\n')
}
