import {
  extractReviewSections,
  isReviewHeading,
  parseRuleFile,
  parseRuleFiles,
  splitFrontMatter,
  splitGlobList,
  RULE_PARSE_LIMITS
} from '../../src/rules/parse-rule-files.js'
import { RULE_FILE_LIMITS } from '../../src/rules/rule-candidates.js'

const lines = (...text: string[]) => text.join('\n')

describe('isReviewHeading', () => {
  it.each([
    ['Review guidelines', true],
    ['Code review', true],
    ['Code Review Rules', true],
    ['Reviewing changes', true],
    ['Notes for reviewers', true],
    ['Reviewer’s checklist', true],
    ['Review guidelines (treat as P0/P1)', true],
    ['👀 **Code-review** checklist', true],
    ['PR reviews', true],
    ['Preview builds', false],
    ['Overview', false],
    ['Reviewed-by trailers in commits', true],
    ['Testing', false],
    ['Pull request guidelines', false]
  ])('%j → %s', (text, expected) => {
    expect(isReviewHeading(text)).toBe(expected)
  })
})

describe('extractReviewSections', () => {
  it.each<[string, string, string[]]>([
    [
      'a section ends at the next heading of the same level',
      lines('# Project', 'Build with make.', '## Review guidelines', '- Check auth.', '## Testing', 'Run make test.'),
      [lines('## Review guidelines', '- Check auth.')]
    ],
    [
      'subsections come with their section; a higher-level heading ends it',
      lines('## Code review', 'Intro.', '### Security', '- No secrets.', '#### Deep', 'x', '# Next', 'y'),
      [lines('## Code review', 'Intro.', '### Security', '- No secrets.', '#### Deep', 'x')]
    ],
    [
      'a section runs to the end of the file',
      lines('# Title', '### Reviewing', 'Last words.'),
      [lines('### Reviewing', 'Last words.')]
    ],
    [
      'headings inside fenced code do not count, with either fence and longer closers',
      lines(
        '## Review guidelines',
        'Use this:',
        '```md',
        '## Testing',
        '```',
        'After.',
        '~~~~',
        '# Not a heading',
        '~~~~~',
        'Still in.',
        '## Testing',
        'no'
      ),
      [
        lines(
          '## Review guidelines',
          'Use this:',
          '```md',
          '## Testing',
          '```',
          'After.',
          '~~~~',
          '# Not a heading',
          '~~~~~',
          'Still in.'
        )
      ]
    ],
    [
      'a review heading inside a fence is not a section',
      lines('# Build', '```', '## Review guidelines', 'fake', '```'),
      []
    ],
    [
      'an unclosed fence runs to the end, hiding the headings after it',
      lines('## Review', 'a', '```', '## Testing', 'b'),
      [lines('## Review', 'a', '```', '## Testing', 'b')]
    ],
    [
      'inline triple backticks with text after them do not open a fence',
      lines('## Review', '```code``` here', '## Testing', 'x'),
      [lines('## Review', '```code``` here')]
    ],
    [
      'headings in HTML comments do not count',
      lines('<!--', '## Review guidelines', '-->', '## Testing', 'x', '<!-- ## Review --> ', 'y'),
      []
    ],
    [
      'setext headings count',
      lines('Review guidelines', '-----------------', 'Be strict.', '', 'Testing', '-------', 'make test'),
      [lines('Review guidelines', '-----------------', 'Be strict.')]
    ],
    [
      'a setext level-2 heading stays inside a level-1 section',
      lines('Code review', '===', 'a', 'Testing', '---', 'b'),
      [lines('Code review', '===', 'a', 'Testing', '---', 'b')]
    ],
    [
      'a thematic break after a blank line is no heading',
      lines('## Review', 'a', '', '---', '', 'b', '## Other', 'c'),
      [lines('## Review', 'a', '', '---', '', 'b')]
    ],
    [
      'a list item over --- is no setext heading',
      lines('## Review', '- item', '---', 'more'),
      [lines('## Review', '- item', '---', 'more')]
    ],
    [
      'several review sections are all taken, in order; a nested one is not taken twice',
      lines('## Review guidelines', 'a', '### Reviewing tests', 'b', '## Build', 'c', '## Notes for reviewers', 'd'),
      [lines('## Review guidelines', 'a', '### Reviewing tests', 'b'), lines('## Notes for reviewers', 'd')]
    ],
    ['an empty section is left out', lines('## Review guidelines', '', '## Testing', 'x'), []],
    ['indented four spaces is code, not a heading', lines('    ## Review', '    code'), []],
    ['#hashtag is no heading', lines('#review', 'text'), []],
    [
      'blank-line runs collapse and trailing spaces go',
      lines('## Review  ', 'a   ', '', '', '', 'b'),
      [lines('## Review', 'a', '', 'b')]
    ]
  ])('%s', (_name, markdown, expected) => {
    expect(extractReviewSections(markdown)).toEqual(expected)
  })
})

describe('splitFrontMatter', () => {
  it.each<[string, string, ReturnType<typeof splitFrontMatter>]>([
    ['no front matter', 'Hello', { body: 'Hello' }],
    ['closed by ---', lines('---', 'applyTo: "**"', '---', 'Body'), { yaml: 'applyTo: "**"\n', body: 'Body' }],
    ['closed by ...', lines('---', 'a: 1', '...', '', 'Body'), { yaml: 'a: 1\n', body: '\nBody' }],
    ['empty', lines('---', '---', 'Body'), { yaml: '', body: 'Body' }],
    ['a --- later in the text is not front matter', lines('Title', '---', 'x'), { body: lines('Title', '---', 'x') }]
  ])('%s', (_name, text, expected) => {
    expect(splitFrontMatter(text)).toEqual(expected)
  })

  it('gives up on a front matter that does not close within the limit', () => {
    const text = `---\n${'a: 1\n'.repeat(RULE_PARSE_LIMITS.maxFrontMatterBytes)}---\nBody`
    expect(splitFrontMatter(text)).toEqual({
      body: text,
      problem: expect.stringMatching(/does not close within 4096 bytes/)
    })
  })
})

describe('splitGlobList', () => {
  it.each([
    ['**/*.ts,**/*.tsx', ['**/*.ts', '**/*.tsx']],
    [' src/** , docs/*.md ,', ['src/**', 'docs/*.md']],
    ['**/*.{ts,tsx},lib/[a,b]/*.js', ['**/*.{ts,tsx}', 'lib/[a,b]/*.js']],
    ['src/[a.ts,!vendor/**,docs/**', ['src/[a.ts', '!vendor/**', 'docs/**']],
    ['', []]
  ])('%j → %j', (value, expected) => {
    expect(splitGlobList(value)).toEqual(expected)
  })
})

describe('parseRuleFile', () => {
  const REVIEW = lines('# Agents', 'Run npm test.', '## Review guidelines', '- Check auth.')

  it.each<[string, { path: string; text: string }, ReturnType<typeof parseRuleFile>]>([
    [
      'root AGENTS.md: its review section, for the whole repository',
      { path: 'AGENTS.md', text: REVIEW },
      {
        entries: [
          { source: 'AGENTS.md', scope: { kind: 'all' }, text: lines('## Review guidelines', '- Check auth.') }
        ],
        notes: []
      }
    ],
    [
      'nested AGENTS.md: for its directory',
      { path: 'packages/api/AGENTS.md', text: REVIEW },
      {
        entries: [
          {
            source: 'packages/api/AGENTS.md',
            scope: { kind: 'directory', dir: 'packages/api' },
            text: lines('## Review guidelines', '- Check auth.')
          }
        ],
        notes: []
      }
    ],
    [
      'AGENTS.md without a review section: nothing, with a note',
      { path: 'AGENTS.md', text: lines('# Build', 'npm ci', '## Testing', 'npm test') },
      { entries: [], notes: ['AGENTS.md: no review section (a heading such as "Review guidelines"); not used.'] }
    ],
    [
      'CLAUDE.md: its review section only',
      { path: 'CLAUDE.md', text: lines('# Memory', 'Use pnpm.', '## Code review', 'Flag N+1 queries.') },
      {
        entries: [{ source: 'CLAUDE.md', scope: { kind: 'all' }, text: lines('## Code review', 'Flag N+1 queries.') }],
        notes: []
      }
    ],
    [
      '.claude/CLAUDE.md governs the directory above .claude',
      { path: 'web/.claude/CLAUDE.md', text: lines('## Reviewing', 'Check a11y.') },
      {
        entries: [
          {
            source: 'web/.claude/CLAUDE.md',
            scope: { kind: 'directory', dir: 'web' },
            text: lines('## Reviewing', 'Check a11y.')
          }
        ],
        notes: []
      }
    ],
    [
      'copilot-instructions.md: the whole file, repository-wide, CRLF and BOM normalised',
      { path: '.github/copilot-instructions.md', text: '\uFEFF# Style\r\nUse tabs.\r\n\r\n\r\n\r\nNo any.\r\n' },
      {
        entries: [
          {
            source: '.github/copilot-instructions.md',
            scope: { kind: 'all' },
            text: lines('# Style', 'Use tabs.', '', 'No any.')
          }
        ],
        notes: []
      }
    ],
    [
      'an instructions file: its body for its applyTo globs (comma-separated, braces kept, ./ dropped)',
      {
        path: '.github/instructions/ts.instructions.md',
        text: lines('---', 'applyTo: "./src/**/*.{ts,tsx}, lib/*.js"', '---', 'Prefer unknown to any.')
      },
      {
        entries: [
          {
            source: '.github/instructions/ts.instructions.md',
            scope: { kind: 'globs', globs: ['src/**/*.{ts,tsx}', 'lib/*.js'] },
            text: 'Prefer unknown to any.'
          }
        ],
        notes: []
      }
    ],
    [
      'applyTo as a YAML list, in a subfolder of .github/instructions',
      {
        path: '.github/instructions/db/sql.instructions.md',
        text: lines('---', 'applyTo:', '  - "db/**"', '  - "**/*.sql"', '---', 'Check indexes.')
      },
      {
        entries: [
          {
            source: '.github/instructions/db/sql.instructions.md',
            scope: { kind: 'globs', globs: ['db/**', '**/*.sql'] },
            text: 'Check indexes.'
          }
        ],
        notes: []
      }
    ],
    [
      'applyTo "**" is repository-wide',
      { path: '.github/instructions/all.instructions.md', text: lines('---', "applyTo: '**'", '---', 'Be kind.') },
      {
        entries: [{ source: '.github/instructions/all.instructions.md', scope: { kind: 'all' }, text: 'Be kind.' }],
        notes: []
      }
    ],
    [
      'excludeAgent "code-review" is skipped',
      {
        path: '.github/instructions/agent.instructions.md',
        text: lines('---', 'applyTo: "**"', 'excludeAgent: "code-review"', '---', 'Run the build first.')
      },
      {
        entries: [],
        notes: ['.github/instructions/agent.instructions.md: excludeAgent "code-review"; not used for review.']
      }
    ],
    [
      'excludeAgent "coding-agent" is kept',
      {
        path: '.github/instructions/r.instructions.md',
        text: lines('---', 'applyTo: "src/**"', 'excludeAgent: coding-agent', '---', 'Review gently.')
      },
      {
        entries: [
          {
            source: '.github/instructions/r.instructions.md',
            scope: { kind: 'globs', globs: ['src/**'] },
            text: 'Review gently.'
          }
        ],
        notes: []
      }
    ],
    [
      'no front matter: applies to nothing',
      { path: '.github/instructions/x.instructions.md', text: 'Just text.' },
      {
        entries: [],
        notes: [
          '.github/instructions/x.instructions.md: no front matter with "applyTo", so it applies to no file (as with Copilot).'
        ]
      }
    ],
    [
      'front matter without applyTo: applies to nothing',
      { path: '.github/instructions/x.instructions.md', text: lines('---', 'description: hi', '---', 'Text.') },
      {
        entries: [],
        notes: [
          '.github/instructions/x.instructions.md: no "applyTo" in its front matter, so it applies to no file (as with Copilot).'
        ]
      }
    ],
    [
      'invalid and negated globs are left out with a note; the valid ones stay',
      {
        path: '.github/instructions/x.instructions.md',
        text: lines('---', 'applyTo: "src/[a.ts,!vendor/**,docs/**"', '---', 'Text.')
      },
      {
        entries: [
          {
            source: '.github/instructions/x.instructions.md',
            scope: { kind: 'globs', globs: ['docs/**'] },
            text: 'Text.'
          }
        ],
        notes: [
          '.github/instructions/x.instructions.md: applyTo glob "src/[a.ts" is left out (unbalanced "[").',
          '.github/instructions/x.instructions.md: applyTo glob "!vendor/**" is left out (negated globs are not supported).'
        ]
      }
    ],
    [
      'applyTo of the wrong type',
      { path: '.github/instructions/x.instructions.md', text: lines('---', 'applyTo: 3', '---', 'Text.') },
      {
        entries: [],
        notes: [
          '.github/instructions/x.instructions.md: "applyTo" must be a glob, a comma-separated list of globs or a list; the file is not used.'
        ]
      }
    ],
    [
      'empty applyTo',
      { path: '.github/instructions/x.instructions.md', text: lines('---', 'applyTo: ""', '---', 'Text.') },
      { entries: [], notes: ['.github/instructions/x.instructions.md: "applyTo" is empty; the file is not used.'] }
    ],
    [
      'invalid YAML front matter',
      { path: '.github/instructions/x.instructions.md', text: lines('---', 'applyTo: [unclosed', '---', 'Text.') },
      {
        entries: [],
        notes: [
          expect.stringMatching(
            /^\.github\/instructions\/x\.instructions\.md: its front matter is not valid YAML \(.+\); the file is not used\.$/
          )
        ]
      }
    ],
    [
      'front matter that is not a mapping',
      { path: '.github/instructions/x.instructions.md', text: lines('---', '- a', '---', 'Text.') },
      {
        entries: [],
        notes: [
          '.github/instructions/x.instructions.md: its front matter is not a mapping of keys; the file is not used.'
        ]
      }
    ],
    [
      'AGENTS.md front matter is stripped, not read as headings',
      { path: 'AGENTS.md', text: lines('---', 'title: x', '---', '## Review', 'ok') },
      { entries: [{ source: 'AGENTS.md', scope: { kind: 'all' }, text: lines('## Review', 'ok') }], notes: [] }
    ],
    [
      'an empty copilot-instructions.md',
      { path: '.github/copilot-instructions.md', text: '\n\n' },
      { entries: [], notes: ['.github/copilot-instructions.md: empty; nothing to use.'] }
    ],
    [
      'a binary file',
      { path: 'AGENTS.md', text: 'a\0b' },
      { entries: [], notes: ['AGENTS.md: not a text file; not used.'] }
    ],
    ['a file that is no rule file', { path: 'README.md', text: REVIEW }, { entries: [], notes: [] }]
  ])('%s', (_name, file, expected) => {
    expect(parseRuleFile(file)).toEqual(expected)
  })

  it('refuses a file over the size limit before parsing it', () => {
    const text = `## Review\n${'x'.repeat(RULE_FILE_LIMITS.maxFileBytes)}`
    expect(parseRuleFile({ path: 'AGENTS.md', text })).toEqual({
      entries: [],
      notes: [`AGENTS.md: ${text.length} bytes, over the limit of ${RULE_FILE_LIMITS.maxFileBytes}; not used.`]
    })
  })

  it('refuses an alias bomb in front matter', () => {
    const bomb = lines(
      '---',
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'applyTo: [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      '---',
      'Text.'
    )
    const parsed = parseRuleFile({ path: '.github/instructions/bomb.instructions.md', text: bomb })
    expect(parsed.entries).toEqual([])
    expect(parsed.notes).toEqual([
      expect.stringMatching(/its front matter could not be read \(.*alias.*\); the file is not used\.$/i)
    ])
  })

  it('keeps at most the glob limit', () => {
    const globs = Array.from({ length: RULE_PARSE_LIMITS.maxGlobs + 5 }, (_, index) => `d${index}/**`)
    const parsed = parseRuleFile({
      path: '.github/instructions/many.instructions.md',
      text: lines('---', `applyTo: "${globs.join(',')}"`, '---', 'T.')
    })
    expect(parsed.entries[0]?.scope).toEqual({ kind: 'globs', globs: globs.slice(0, RULE_PARSE_LIMITS.maxGlobs) })
    expect(parsed.notes).toEqual([
      `.github/instructions/many.instructions.md: only the first 50 of 55 applyTo globs are used.`
    ])
  })
})

describe('parseRuleFiles', () => {
  it('keeps the files’ order and gathers every note', () => {
    const parsed = parseRuleFiles([
      { path: 'AGENTS.md', text: '## Review\na' },
      { path: 'sub/AGENTS.md', text: '# Build' },
      { path: '.github/copilot-instructions.md', text: 'b' }
    ])
    expect(parsed.entries.map((entry) => entry.source)).toEqual(['AGENTS.md', '.github/copilot-instructions.md'])
    expect(parsed.notes).toEqual([
      'sub/AGENTS.md: no review section (a heading such as "Review guidelines"); not used.'
    ])
  })
})
