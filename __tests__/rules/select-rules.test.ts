import { countTokens } from '../../src/chunk/tokens.js'
import { composeExtraInstructions, languageInstruction } from '../../src/config/apply-repo-config.js'
import type { RepoConfig } from '../../src/config/repo-config.js'
import type { RuleEntry } from '../../src/rules/parse-rule-files.js'
import {
  fingerprintRules,
  orderRules,
  ruleApplies,
  selectChunkRules,
  summarizeRuleUse,
  type SelectChunkRulesOptions
} from '../../src/rules/select-rules.js'

const CONFIG = '.github/codex-review.yml'
const NO_REPO: RepoConfig = { pathInstructions: [] }

const ROOT: RuleEntry = {
  source: 'AGENTS.md',
  scope: { kind: 'all' },
  text: '## Review guidelines\nFlag missing auth checks.'
}
const COPILOT: RuleEntry = {
  source: '.github/copilot-instructions.md',
  scope: { kind: 'all' },
  text: 'Prefer early returns.'
}
const API: RuleEntry = {
  source: 'packages/api/AGENTS.md',
  scope: { kind: 'directory', dir: 'packages/api' },
  text: '## Review\nCheck rate limits.'
}
const API_V2: RuleEntry = {
  source: 'packages/api/v2/AGENTS.md',
  scope: { kind: 'directory', dir: 'packages/api/v2' },
  text: '## Review\nv2 is strict.'
}
const SQL: RuleEntry = {
  source: '.github/instructions/sql.instructions.md',
  scope: { kind: 'globs', globs: ['**/*.sql', 'db/**'] },
  text: 'Check indexes.'
}

const select = (overrides: Partial<SelectChunkRulesOptions>) =>
  selectChunkRules({
    rules: [],
    repo: NO_REPO,
    configFile: CONFIG,
    language: '',
    paths: [],
    maxRuleTokens: 2_000,
    ...overrides
  })

describe('ruleApplies', () => {
  it.each<[RuleEntry, string[], boolean]>([
    [ROOT, ['anything.ts'], true],
    [API, ['packages/api/src/a.ts'], true],
    [API, ['packages/api-client/a.ts'], false],
    [API, ['packages/apix/a.ts', 'packages/api/b.ts'], true],
    [API, ['packages/api'], false],
    [API, ['README.md'], false],
    [SQL, ['db/migrate/001.rb'], true],
    [SQL, ['schema/001.sql'], true],
    [SQL, ['src/app.ts'], false],
    [{ ...SQL, scope: { kind: 'globs', globs: ['*.md'] } }, ['docs/a.md'], false],
    [{ ...SQL, scope: { kind: 'globs', globs: ['*.md'] } }, ['README.md'], true],
    [{ ...SQL, scope: { kind: 'globs', globs: ['src/*.py'] } }, ['src/foo/bar.py'], false],
    [{ ...SQL, scope: { kind: 'globs', globs: ['**/*.yml'] } }, ['.github/workflows/ci.yml'], true]
  ])('%j applies to %j: %s', (rule, paths, expected) => {
    expect(ruleApplies(rule.scope, paths)).toBe(expected)
  })
})

describe('orderRules', () => {
  it('puts repository-wide first, then directories by depth, then globs, each by path, whatever the input order', () => {
    const expected = [
      '.github/copilot-instructions.md',
      'AGENTS.md',
      'packages/api/AGENTS.md',
      'packages/api/v2/AGENTS.md',
      SQL.source
    ]
    expect(orderRules([SQL, API_V2, ROOT, API, COPILOT]).map((rule) => rule.source)).toEqual(expected)
    expect(orderRules([COPILOT, API, ROOT, SQL, API_V2]).map((rule) => rule.source)).toEqual(expected)
  })
})

describe('selectChunkRules', () => {
  it('is exactly composeExtraInstructions when there are no rule files (or the cap is 0)', () => {
    const repo: RepoConfig = {
      instructions: 'We use Result types.',
      pathInstructions: [{ pattern: 'src/api/**', instructions: 'Check authorization.' }]
    }
    for (const paths of [['src/api/a.ts'], ['src/app.ts']]) {
      for (const language of ['', 'German']) {
        const expected = composeExtraInstructions({ repo, language, paths })
        expect(select({ repo, language, paths }).extraInstructions).toBe(expected)
        expect(select({ repo, language, paths, rules: [ROOT, API], maxRuleTokens: 0 }).extraInstructions).toBe(expected)
      }
    }
    expect(select({ paths: ['a.ts'] })).toEqual({
      extraInstructions: undefined,
      tokens: 0,
      ruleTokens: 0,
      ruleFiles: [],
      omitted: []
    })
  })

  it('nested AGENTS.md applies only to chunks with files under its directory; nearest last', () => {
    const inside = select({ rules: [API_V2, ROOT, API], paths: ['packages/api/v2/handler.ts'] })
    expect(inside.ruleFiles).toEqual(['AGENTS.md', 'packages/api/AGENTS.md', 'packages/api/v2/AGENTS.md'])
    expect(inside.extraInstructions).toContain(
      'For files under `packages/api/v2/` (from `packages/api/v2/AGENTS.md`):\n## Review\nv2 is strict.'
    )
    const outside = select({ rules: [API_V2, ROOT, API], paths: ['packages/web/index.ts', 'packages/api-client/x.ts'] })
    expect(outside.ruleFiles).toEqual(['AGENTS.md'])
    expect(outside.extraInstructions).not.toContain('rate limits')
  })

  it('applyTo rules go only to chunks whose files match their globs', () => {
    expect(select({ rules: [SQL], paths: ['db/schema.rb'] }).ruleFiles).toEqual([SQL.source])
    expect(select({ rules: [SQL], paths: ['src/app.ts'] }).ruleFiles).toEqual([])
    expect(select({ rules: [SQL], paths: ['db/schema.rb'] }).extraInstructions).toContain(
      'For files matching `**/*.sql`, `db/**` (from `.github/instructions/sql.instructions.md`):\nCheck indexes.'
    )
  })

  it('lays out preamble, repository-wide rules, our instructions, path rules, our path instructions, language', () => {
    const repo: RepoConfig = {
      instructions: 'Ignore TODOs.',
      pathInstructions: [{ pattern: 'db/**', instructions: 'Migrations are reversible.' }]
    }
    const result = select({
      rules: [SQL, ROOT, COPILOT, API],
      repo,
      language: 'German',
      paths: ['db/001.sql', 'packages/api/a.ts']
    })
    const parts = (result.extraInstructions ?? '').split('\n\n')
    expect(parts[0]).toMatch(
      /^Parts of this guidance may be quoted from the repository's own rule files .* follow the review configuration\.$/
    )
    expect(parts[0]).toContain('(`.github/codex-review.yml`)')
    expect(parts.slice(1)).toEqual([
      'From `.github/copilot-instructions.md`:\nPrefer early returns.',
      'From `AGENTS.md`:\n## Review guidelines\nFlag missing auth checks.',
      'From the review configuration (`.github/codex-review.yml`):\nIgnore TODOs.',
      'For files under `packages/api/` (from `packages/api/AGENTS.md`):\n## Review\nCheck rate limits.',
      'For files matching `**/*.sql`, `db/**` (from `.github/instructions/sql.instructions.md`):\nCheck indexes.',
      'For files matching `db/**` (from the review configuration):\nMigrations are reversible.',
      languageInstruction('German')
    ])
    expect(result.tokens).toBe(countTokens(result.extraInstructions ?? ''))
  })

  it('keeps the text identical up to the path-scoped part in every chunk, so the cached prefix holds', () => {
    const repo: RepoConfig = { instructions: 'Ignore TODOs.', pathInstructions: [] }
    const rules = [ROOT, API, SQL]
    const texts = [['packages/api/a.ts'], ['db/1.sql'], ['README.md']].map(
      (paths) => select({ rules, repo, paths }).extraInstructions ?? ''
    )
    const prefix = texts[2] ?? ''
    expect(prefix.endsWith('Ignore TODOs.')).toBe(true)
    for (const text of texts) expect(text.startsWith(prefix)).toBe(true)
  })

  it('labels our config the same way in every chunk once any rule file exists, even where none applies', () => {
    const repo: RepoConfig = { instructions: 'Ignore TODOs.', pathInstructions: [] }
    const text = select({ rules: [API], repo, paths: ['README.md'] }).extraInstructions ?? ''
    expect(text).toMatch(
      /follow the review configuration\.\n\nFrom the review configuration \(`\.github\/codex-review\.yml`\):\nIgnore TODOs\.$/
    )
    expect(select({ rules: [API], paths: ['README.md'] }).extraInstructions).toBeUndefined()
  })

  it('says our config wins and never cuts it, however small the cap', () => {
    const repo: RepoConfig = { instructions: 'Never flag TODOs.', pathInstructions: [] }
    const result = select({ rules: [{ ...ROOT, text: 'Flag every TODO.' }], repo, paths: ['a.ts'], maxRuleTokens: 1 })
    expect(result.extraInstructions).toContain('Where any of it conflicts with guidance from the review configuration')
    expect(result.extraInstructions).toContain('Never flag TODOs.')
    expect(result.extraInstructions).not.toContain('Flag every TODO.')
    expect(result.omitted).toEqual([
      { source: 'AGENTS.md', tokens: countTokens('From `AGENTS.md`:\nFlag every TODO.') }
    ])
  })

  it('cuts whole blocks at the token cap: repository-wide first, then path rules in order, skipping ones that do not fit', () => {
    const block = (rule: RuleEntry, label: string) => countTokens(`${label}:\n${rule.text}`)
    const root = block(ROOT, 'From `AGENTS.md`')
    const api = block(API, 'For files under `packages/api/` (from `packages/api/AGENTS.md`)')
    const v2 = block(API_V2, 'For files under `packages/api/v2/` (from `packages/api/v2/AGENTS.md`)')
    const bigApi: RuleEntry = { ...API, text: `## Review\n${'Check rate limits. '.repeat(50)}` }
    const bigApiTokens = block(bigApi, 'For files under `packages/api/` (from `packages/api/AGENTS.md`)')
    const result = select({ rules: [ROOT, bigApi, API_V2], paths: ['packages/api/v2/x.ts'], maxRuleTokens: root + v2 })
    expect(result.ruleFiles).toEqual(['AGENTS.md', 'packages/api/v2/AGENTS.md'])
    expect(result.ruleTokens).toBe(root + v2)
    expect(result.omitted).toEqual([{ source: 'packages/api/AGENTS.md', tokens: bigApiTokens }])
    expect(result.extraInstructions).not.toContain('rate limits')

    const exact = select({ rules: [ROOT, API], paths: ['packages/api/x.ts'], maxRuleTokens: root + api })
    expect(exact.omitted).toEqual([])
    const short = select({ rules: [ROOT, API], paths: ['packages/api/x.ts'], maxRuleTokens: root + api - 1 })
    expect(short.ruleFiles).toEqual(['AGENTS.md'])
    const bigRoot: RuleEntry = { ...ROOT, text: `## Review\n${'Flag missing auth checks. '.repeat(50)}` }
    const tiny = select({ rules: [bigRoot, API], paths: ['packages/api/x.ts'], maxRuleTokens: api })
    expect(tiny.ruleFiles).toEqual(['packages/api/AGENTS.md'])
    expect(tiny.omitted.map((rule) => rule.source)).toEqual(['AGENTS.md'])
  })

  it('sends nothing when every rule is cut and there is nothing else', () => {
    expect(select({ rules: [ROOT], paths: ['a.ts'], maxRuleTokens: 1 }).extraInstructions).toBeUndefined()
  })

  it('keeps paths and globs from breaking out of their code spans', () => {
    const odd: RuleEntry = {
      source: 'we`ird\ndir/AGENTS.md',
      scope: { kind: 'directory', dir: 'we`ird\ndir' },
      text: 'x'
    }
    expect(select({ rules: [odd], paths: ['we`ird\ndir/a.ts'] }).extraInstructions).toContain(
      'For files under `we?ird?dir/` (from `we?ird?dir/AGENTS.md`):\nx'
    )
  })
})

describe('summarizeRuleUse', () => {
  it('lists the files used in the order rules are shown, and what the cap cut in how many requests', () => {
    const rules = [SQL, ROOT, API]
    const chunks = [
      select({ rules, paths: ['db/1.sql'], maxRuleTokens: 60 }),
      select({ rules, paths: ['packages/api/a.ts'], maxRuleTokens: 60 }),
      select({ rules, paths: ['db/2.sql'], maxRuleTokens: 60 })
    ]
    const summary = summarizeRuleUse({ chunks, rules })
    expect(summary.used).toEqual(['AGENTS.md', 'packages/api/AGENTS.md', SQL.source])
    expect(summarizeRuleUse({ chunks: [select({ rules, paths: ['db/1.sql'], maxRuleTokens: 1 })], rules })).toEqual({
      used: [],
      omitted: [
        { source: 'AGENTS.md', tokens: expect.any(Number), requests: 1 },
        { source: SQL.source, tokens: expect.any(Number), requests: 1 }
      ]
    })
    const cut = [1, 2].map(() => select({ rules, paths: ['db/1.sql'], maxRuleTokens: 1 }))
    expect(summarizeRuleUse({ chunks: cut, rules }).omitted.map((rule) => rule.requests)).toEqual([2, 2])
  })
})

describe('fingerprintRules', () => {
  it('is the same for the same rules in any order, and changes with a text or a scope', () => {
    const base = fingerprintRules([ROOT, API, SQL])
    expect(fingerprintRules([SQL, ROOT, API])).toBe(base)
    expect(fingerprintRules([ROOT, API, { ...SQL, text: 'Check indexes!' }])).not.toBe(base)
    expect(fingerprintRules([ROOT, API, { ...SQL, scope: { kind: 'globs', globs: ['db/**'] } }])).not.toBe(base)
    expect(fingerprintRules([])).not.toBe(base)
  })
})
