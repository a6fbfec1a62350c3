import { composeExtraInstructions } from '../../src/config/apply-repo-config.js'
import type { RepoConfig } from '../../src/config/repo-config.js'
import { countTokens } from '../../src/chunk/tokens.js'
import { guidanceTokensOf, planChunkGuidance } from '../../src/engine/chunk-guidance.js'
import { GUIDANCE_SEPARATOR } from '../../src/model/build-request.js'
import { fingerprintRepositoryRules, NO_RULES, toRepositoryRules } from '../../src/rules/repository-rules.js'
import type { Chunk } from '../../src/types.js'

const chunk = (id: number, ...paths: string[]): Chunk => ({
  id,
  pieces: paths.map((path) => ({ path, status: 'modified', hunks: [], part: 1, parts: 1 })),
  text: '',
  tokens: 10,
  changedLines: 1
})
const REPO: RepoConfig = {
  instructions: 'Ours.',
  pathInstructions: [{ pattern: 'api/**', instructions: 'Check auth.' }]
}
const SETTINGS = { configFile: '.github/codex-review.yml', language: '', rulesMaxTokens: 2_000 }

const FOUND = {
  files: [
    { path: 'AGENTS.md', text: '# Build\nnpm ci\n\n## Review guidelines\nFlag any eval.\n' },
    { path: 'api/AGENTS.md', text: '## Review\nEvery handler checks the caller.\n' },
    { path: 'CLAUDE.md', text: '# Notes\nNothing for reviewers.\n' },
    {
      path: '.github/instructions/sql.instructions.md',
      text: '---\napplyTo: "**/*.sql"\n---\nIndexes on every foreign key.\n'
    }
  ],
  notes: ['docs/AGENTS.md is a symbolic link; not followed.']
}

describe('toRepositoryRules', () => {
  it("keeps the reader's notes and the parser's, and the files read", () => {
    const rules = toRepositoryRules(FOUND, 'the base commit abc')
    expect(rules.files).toEqual(['AGENTS.md', 'api/AGENTS.md', 'CLAUDE.md', '.github/instructions/sql.instructions.md'])
    expect(rules.entries.map((entry) => entry.source)).toEqual([
      'AGENTS.md',
      'api/AGENTS.md',
      '.github/instructions/sql.instructions.md'
    ])
    expect(rules.notes).toEqual([
      'docs/AGENTS.md is a symbolic link; not followed.',
      expect.stringContaining('CLAUDE.md: no review section')
    ])
  })

  it('fingerprints the rules and the cap only when there are rules', () => {
    const rules = toRepositoryRules(FOUND, 'x')
    expect(fingerprintRepositoryRules(NO_RULES, 2_000)).toEqual({})
    const keys = fingerprintRepositoryRules(rules, 2_000)
    expect(Object.keys(keys)).toEqual(['review-rules', 'rules-max-tokens'])
    expect(fingerprintRepositoryRules(rules, 1_000)['rules-max-tokens']).not.toBe(keys['rules-max-tokens'])
    const edited = toRepositoryRules({ ...FOUND, files: [{ path: 'AGENTS.md', text: '## Review\nOther.\n' }] }, 'x')
    expect(fingerprintRepositoryRules(edited, 2_000)['review-rules']).not.toBe(keys['review-rules'])
  })
})

describe('planChunkGuidance', () => {
  const rules = toRepositoryRules(FOUND, 'the base commit abc')
  const chunks = [chunk(1, 'api/users.ts'), chunk(2, 'web/app.ts'), chunk(3, 'db/001.sql')]

  it('gives each chunk the rules for its files after the repository-wide ones, and reports what was used', () => {
    const guidance = planChunkGuidance({ chunks, repo: REPO, rules, settings: SETTINGS })
    const text = (id: number) => guidance.byChunk.get(id)?.extraInstructions ?? ''
    expect(text(1)).toContain('Every handler checks the caller.')
    expect(text(2)).not.toContain('Every handler checks the caller.')
    expect(text(3)).toContain('Indexes on every foreign key.')
    expect(text(2)).not.toContain('Indexes')
    for (const id of [1, 2, 3]) expect(text(id).indexOf('Flag any eval.')).toBeLessThan(text(id).indexOf('Ours.'))
    expect(guidance.report).toEqual({
      origin: 'the base commit abc',
      maxTokens: 2_000,
      read: rules.files,
      used: ['AGENTS.md', 'api/AGENTS.md', '.github/instructions/sql.instructions.md'],
      omitted: [],
      notes: rules.notes
    })
  })

  it('counts the guidance and its heading in each request, and nothing without guidance', () => {
    const guidance = planChunkGuidance({ chunks, repo: REPO, rules, settings: SETTINGS })
    const own = guidance.byChunk.get(1)?.tokens ?? 0
    expect(guidanceTokensOf(guidance, chunks[0] as Chunk)).toBe(own + countTokens(GUIDANCE_SEPARATOR))
    const none = planChunkGuidance({ chunks, repo: { pathInstructions: [] }, rules: NO_RULES, settings: SETTINGS })
    expect(guidanceTokensOf(none, chunks[0] as Chunk)).toBe(0)
    expect(none.report).toBeUndefined()
  })

  it("without rule files sends exactly the config file's guidance, as before rule files were read", () => {
    const guidance = planChunkGuidance({ chunks, repo: REPO, rules: NO_RULES, settings: SETTINGS })
    expect(guidance.byChunk.get(1)?.extraInstructions).toBe(
      composeExtraInstructions({ repo: REPO, language: '', paths: ['api/users.ts'] })
    )
  })

  it('names the rule files the cap left out', () => {
    const guidance = planChunkGuidance({ chunks, repo: REPO, rules, settings: { ...SETTINGS, rulesMaxTokens: 3 } })
    expect(guidance.report?.omitted.map((rule) => [rule.source, rule.requests])).toEqual([
      ['AGENTS.md', 3],
      ['api/AGENTS.md', 1],
      ['.github/instructions/sql.instructions.md', 1]
    ])
  })
})
