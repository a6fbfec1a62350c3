import {
  applyRepoConfig,
  composeExtraInstructions,
  languageInstruction,
  matchPathInstructions
} from '../../src/config/apply-repo-config.js'
import type { RepoConfig } from '../../src/config/repo-config.js'
import { readReviewSettings } from '../../src/config/review-settings.js'

const inputs = (values: Record<string, string> = {}) => readReviewSettings((name) => values[name] ?? '')

describe('applyRepoConfig', () => {
  it('changes nothing for an empty file', () => {
    const settings = inputs({ 'severity-threshold': 'low' })
    const result = applyRepoConfig(settings, { pathInstructions: [] })
    expect(result.settings).toEqual(settings)
    expect(result.overridden).toEqual([])
  })

  it('lets the keys the file sets replace the inputs, and leaves the rest', () => {
    const settings = inputs({
      'severity-threshold': 'low',
      'max-comments': '40',
      exclude: 'docs/**',
      model: 'openai/gpt-5-1-codex'
    })
    const repo: RepoConfig = {
      pathInstructions: [],
      severityThreshold: 'high',
      maxComments: 5,
      include: ['src/**'],
      language: 'ja'
    }
    const result = applyRepoConfig(settings, repo)
    expect(result.settings).toMatchObject({
      severityThreshold: 'high',
      maxComments: 5,
      include: ['src/**'],
      exclude: ['docs/**'],
      language: 'ja',
      model: 'openai/gpt-5-1-codex',
      failOnSeverity: 'off'
    })
    expect(result.overridden).toEqual(['include', 'severity-threshold', 'language', 'max-comments'])
  })
})

describe('languageInstruction', () => {
  it.each(['', 'en', 'English', ' english '])('adds nothing for %j', (language) => {
    expect(languageInstruction(language)).toBeUndefined()
  })

  it('names the language and keeps the machine-read values untouched', () => {
    const text = languageInstruction('German') ?? ''
    expect(text).toContain('in German')
    expect(text).toMatch(/"severity", "category" and "risk" exactly as specified/)
  })

  it('has the verdict reason written in the language, and the verdict value kept as specified', () => {
    const text = languageInstruction('German') ?? ''
    expect(text).toContain('"verdict_reason" in German')
    expect(text).toContain('the value of "verdict"')
  })
})

describe('matchPathInstructions', () => {
  const entries = [
    { pattern: 'src/api/**', instructions: 'Check authorization.' },
    { pattern: '**/*.sql', instructions: 'Check indexes.' },
    { pattern: '.github/**', instructions: 'Check permissions.' }
  ]
  it.each([
    [['src/api/users.ts'], ['src/api/**']],
    [
      ['db/001.sql', 'src/api/a.ts'],
      ['src/api/**', '**/*.sql']
    ],
    [['.github/workflows/ci.yml'], ['.github/**']],
    [['src/app.ts'], []]
  ])('for %j matches %j', (paths, patterns) => {
    expect(matchPathInstructions(entries, paths).map((entry) => entry.pattern)).toEqual(patterns)
  })
})

describe('composeExtraInstructions', () => {
  const repo: RepoConfig = {
    instructions: 'We use Result types.',
    pathInstructions: [{ pattern: 'src/api/**', instructions: 'Check authorization.' }]
  }

  it('is undefined when there is nothing to add, so the request stays unchanged', () => {
    expect(composeExtraInstructions({ repo: { pathInstructions: [] }, language: '', paths: ['a.ts'] })).toBeUndefined()
  })

  it('joins the instructions, the matching path instructions and the language', () => {
    expect(composeExtraInstructions({ repo, language: 'German', paths: ['src/api/a.ts'] })).toBe(
      [
        'We use Result types.',
        'For files matching `src/api/**`:\nCheck authorization.',
        languageInstruction('German')
      ].join('\n\n')
    )
  })

  it('leaves out path instructions for files that are not in the chunk', () => {
    expect(composeExtraInstructions({ repo, language: '', paths: ['src/app.ts'] })).toBe('We use Result types.')
  })
})
