import { ConfigError } from '../../src/errors.js'
import { parseRepoConfig, REPO_CONFIG_KEYS, REPO_CONFIG_LIMITS } from '../../src/config/repo-config.js'

const FILE = '.github/codex-review.yml'
const parse = (text: string) => parseRepoConfig(text, { file: FILE })

describe('parseRepoConfig', () => {
  it('reads every key', () => {
    const config = parse(
      [
        'instructions: |',
        '  We use Result types; flag thrown errors.',
        'path_instructions:',
        '  "src/api/**": Check authorization on every handler.',
        '  "**/*.sql": Look for missing indexes.',
        'include: ["src/**"]',
        'exclude: "**/*.snap"',
        'severity_threshold: Medium',
        'language: German',
        'max_comments: 10'
      ].join('\n')
    )
    expect(config).toEqual({
      instructions: 'We use Result types; flag thrown errors.',
      pathInstructions: [
        { pattern: 'src/api/**', instructions: 'Check authorization on every handler.' },
        { pattern: '**/*.sql', instructions: 'Look for missing indexes.' }
      ],
      include: ['src/**'],
      exclude: ['**/*.snap'],
      severityThreshold: 'medium',
      language: 'German',
      maxComments: 10
    })
  })

  it('accepts path_instructions as a list of { path, instructions }', () => {
    const config = parse('path_instructions:\n  - path: "src/**"\n    instructions: Be strict.\n')
    expect(config.pathInstructions).toEqual([{ pattern: 'src/**', instructions: 'Be strict.' }])
  })

  it.each(['', '# only a comment\n', 'instructions:\n'])('treats %j as an empty config', (text) => {
    expect(parse(text)).toEqual({ pathInstructions: [] })
  })

  it('accepts max_comments written as a quoted number', () => {
    expect(parse('max_comments: "7"').maxComments).toBe(7)
  })

  it.each([
    [
      'an unknown severity',
      'severity_threshold: urgent',
      `${FILE}: "severity_threshold" must be one of critical, high, medium, low, nit; got "urgent".`
    ],
    [
      'a list as the threshold',
      'severity_threshold: [high]',
      `${FILE}: "severity_threshold" must be one of critical, high, medium, low, nit; got ["high"].`
    ],
    [
      'max_comments out of range',
      'max_comments: 500',
      `${FILE}: "max_comments" must be a whole number between 0 and 200; got 500.`
    ],
    [
      'max_comments as a fraction',
      'max_comments: 2.5',
      `${FILE}: "max_comments" must be a whole number between 0 and 200; got 2.5.`
    ],
    ['instructions that are not text', 'instructions: [a, b]', `${FILE}: "instructions" must be text; got ["a","b"].`],
    [
      'an invalid glob',
      'exclude: ["src/{a,b"]',
      `${FILE}: "exclude" has an invalid glob (unbalanced "{"; picomatch syntax, e.g. "src/**/*.ts"); got "src/{a,b".`
    ],
    ['a number as a glob', 'include: [3]', `${FILE}: "include" must be a glob or a list of globs; got 3.`],
    [
      'a language with markup',
      'language: "<b>German</b>"',
      `${FILE}: "language" must be a language name or code such as "German" or "ja"; got "<b>German</b>".`
    ],
    [
      'path_instructions as text',
      'path_instructions: be strict',
      `${FILE}: "path_instructions" must map globs to instructions, e.g. "src/api/**": "Check authorization"; got "be strict".`
    ],
    [
      'a path instruction without text',
      'path_instructions:\n  "src/**": 3',
      `${FILE}: "path_instructions.src/**" must be text; got 3.`
    ],
    [
      'a list entry with an unknown field',
      'path_instructions:\n  - glob: "src/**"',
      `${FILE}: "path_instructions" entries must be mappings with "path" and "instructions"; got {"glob":"src/**"}.`
    ]
  ])('rejects %s, naming the file, the key and the value', (_label, text, message) => {
    expect(() => parse(text)).toThrow(new ConfigError(message))
  })

  it('rejects unknown keys, listing the known ones', () => {
    expect(() => parse('model: openai/gpt-5\nseverity_threshold: high')).toThrow(
      `${FILE}: unknown key "model"; known keys: ${REPO_CONFIG_KEYS.join(', ')}.`
    )
  })

  it('rejects YAML syntax errors with the line', () => {
    expect(() => parse('severity_threshold: high\nseverity_threshold: low\n')).toThrow(
      `${FILE}: invalid YAML at line 2, column 1: Map keys must be unique.`
    )
  })

  it.each([
    ['a list', '- high\n- low\n', '["high","low"]'],
    ['a scalar', 'high\n', '"high"']
  ])('rejects %s at the top level', (_label, text, shown) => {
    expect(() => parse(text)).toThrow(
      `${FILE}: must be a mapping of settings (key: value), e.g. "severity_threshold: medium"; got ${shown}.`
    )
  })

  it('caps the size of the file and of the instructions', () => {
    const huge = `instructions: "${'x'.repeat(REPO_CONFIG_LIMITS.maxBytes)}"`
    expect(() => parse(huge)).toThrow(`${FILE} is ${huge.length} bytes; the limit is ${REPO_CONFIG_LIMITS.maxBytes}.`)
    const long = `instructions: "${'x'.repeat(REPO_CONFIG_LIMITS.maxInstructionChars + 1)}"`
    expect(() => parse(long)).toThrow(
      `"instructions" must be at most ${REPO_CONFIG_LIMITS.maxInstructionChars} characters`
    )
  })

  it('refuses an alias bomb instead of expanding it', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      ...Array.from({ length: 8 }, (_, i) => {
        const prev = i === 0 ? 'a' : `l${i - 1}`
        return `l${i}: &l${i} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`
      })
    ].join('\n')
    expect(() => parse(bomb)).toThrow(new RegExp(`^${FILE.replaceAll('.', '\\.')}: Excessive alias count`))
  })
})

describe('the README example', () => {
  it('is a valid config file', async () => {
    const { readFileSync } = await import('node:fs')
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const block = /```yaml\n# \.github\/codex-review\.yml\n([\s\S]*?)```/.exec(readme)?.[1]
    expect(block).toBeDefined()
    expect(parse(block ?? '')).toMatchObject({ severityThreshold: 'medium', language: 'German', maxComments: 15 })
  })
})
