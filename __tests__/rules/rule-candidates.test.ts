import { classifyRuleFile, pickRuleFiles, planRuleFileReads } from '../../src/rules/rule-candidates.js'

describe('classifyRuleFile', () => {
  it.each([
    ['AGENTS.md', { kind: 'agents', dir: '' }],
    ['packages/api/AGENTS.md', { kind: 'agents', dir: 'packages/api' }],
    ['packages/api/AGENTS.override.md', { kind: 'agents', dir: 'packages/api' }],
    ['CLAUDE.md', { kind: 'claude', dir: '' }],
    ['.claude/CLAUDE.md', { kind: 'claude', dir: '' }],
    ['web/.claude/CLAUDE.md', { kind: 'claude', dir: 'web' }],
    ['web/CLAUDE.md', { kind: 'claude', dir: 'web' }],
    ['.github/copilot-instructions.md', { kind: 'copilot', dir: '' }],
    ['.github/instructions/ts.instructions.md', { kind: 'copilot-path', dir: '' }],
    ['.github/instructions/db/sql.instructions.md', { kind: 'copilot-path', dir: '' }],
    ['.github/instructions/.instructions.md', undefined],
    ['.github/instructions/notes.md', undefined],
    ['docs/.github/copilot-instructions.md', undefined],
    ['agents.md', undefined],
    ['CLAUDE.local.md', undefined],
    ['README.md', undefined],
    ['src/AGENTS.md.bak', undefined]
  ])('%s → %j', (path, expected) => {
    expect(classifyRuleFile(path)).toEqual(expected)
  })
})

describe('pickRuleFiles', () => {
  it('keeps rule files only: repository-wide first, then by depth and path', () => {
    const paths = [
      'src/index.ts',
      'z/AGENTS.md',
      'a/b/AGENTS.md',
      '.github/instructions/ts.instructions.md',
      'AGENTS.md',
      'a/CLAUDE.md',
      '.github/copilot-instructions.md',
      'CLAUDE.md',
      'AGENTS.md'
    ]
    expect(pickRuleFiles(paths)).toEqual({
      paths: [
        '.github/copilot-instructions.md',
        '.github/instructions/ts.instructions.md',
        'AGENTS.md',
        'CLAUDE.md',
        'a/CLAUDE.md',
        'z/AGENTS.md',
        'a/b/AGENTS.md'
      ],
      notes: []
    })
  })

  it('reads AGENTS.override.md instead of AGENTS.md in the same directory only', () => {
    const paths = ['AGENTS.md', 'svc/AGENTS.md', 'svc/AGENTS.override.md', 'other/AGENTS.md']
    expect(pickRuleFiles(paths).paths).toEqual(['AGENTS.md', 'other/AGENTS.md', 'svc/AGENTS.override.md'])
  })

  it('reads at most maxFiles, the deepest left out, and says so', () => {
    const paths = [
      'AGENTS.md',
      'a/AGENTS.md',
      'a/b/AGENTS.md',
      'a/b/c/AGENTS.md',
      'a/b/c/d/AGENTS.md',
      'a/b/c/d/e/AGENTS.md'
    ]
    expect(pickRuleFiles(paths, { maxFiles: 2 })).toEqual({
      paths: ['AGENTS.md', 'a/AGENTS.md'],
      notes: [
        '4 more rule files were not read (at most 2 per run): a/b/AGENTS.md, a/b/c/AGENTS.md, a/b/c/d/AGENTS.md and 1 more.'
      ]
    })
  })
})

describe('planRuleFileReads', () => {
  const id = 'f'.repeat(40)
  it('reads regular rule files only, in reading order, within the size cap, and notes the rest', () => {
    const entries = [
      { path: 'src/a.ts', mode: '100644', id, size: 10 },
      { path: 'pkg/AGENTS.md', mode: '100755', id, size: 10 },
      { path: 'AGENTS.md', mode: '100644', id, size: 10 },
      { path: 'CLAUDE.md', mode: '120000', id, size: 9 },
      { path: 'mod/AGENTS.md', mode: '160000', id },
      { path: 'odd/AGENTS.md', mode: '040000', id },
      { path: 'big/AGENTS.md', mode: '100644', id, size: 101 },
      { path: 'unsized/AGENTS.md', mode: '100644', id }
    ]
    expect(planRuleFileReads(entries, { maxFileBytes: 100 })).toEqual({
      reads: [entries[2], entries[1], entries[7]],
      notes: [
        'CLAUDE.md is a symbolic link; not followed.',
        'mod/AGENTS.md is a submodule; not read.',
        'big/AGENTS.md: 101 bytes, over the limit of 100; not read.'
      ]
    })
  })

  it('uses AGENTS.md where the override beside it is a symbolic link', () => {
    const entries = [
      { path: 'AGENTS.override.md', mode: '120000', id },
      { path: 'AGENTS.md', mode: '100644', id }
    ]
    expect(planRuleFileReads(entries).reads.map((entry) => entry.path)).toEqual(['AGENTS.md'])
  })
})
