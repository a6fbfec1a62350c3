import { classifyPath, isSecuritySensitivePath, rankChunks } from '../../src/engine/chunk-importance.js'
import type { Chunk } from '../../src/types.js'

const chunk = (id: number, ...paths: string[]): Chunk => ({
  id,
  pieces: paths.map((path) => ({ path, status: 'modified', hunks: [], part: 1, parts: 1 })),
  text: '',
  tokens: 100,
  changedLines: 1
})

describe('classifyPath', () => {
  it.each([
    ['src/app.ts', 'source'],
    ['lib/parser.go', 'source'],
    ['package.json', 'source'],
    ['src/app.test.ts', 'test'],
    ['src/app.spec.js', 'test'],
    ['pkg/server_test.go', 'test'],
    ['tests/test_models.py', 'test'],
    ['src/main/java/AppTest.java', 'test'],
    ['__tests__/a.ts', 'test'],
    ['spec/models/user_spec.rb', 'test'],
    ['README.md', 'docs'],
    ['docs/guide/setup.ts', 'docs'],
    ['CHANGELOG', 'docs'],
    ['tests/README.md', 'docs'],
    ['src/notes.txt', 'docs']
  ])('%s is %s', (path, kind) => {
    expect(classifyPath(path)).toBe(kind)
  })
})

describe('isSecuritySensitivePath', () => {
  it.each([
    ['src/auth/login.ts', true],
    ['app/user_session.py', true],
    ['lib/oauth2.go', true],
    ['db/migrations/001_users.rb', true],
    ['schema/create.sql', true],
    ['.github/workflows/ci.yml', true],
    ['Dockerfile', true],
    ['deploy/Dockerfile.prod', true],
    ['config/.env.example', true],
    ['src/payments/charge.ts', true],
    ['src/author.ts', false],
    ['src/tokenizer.ts', false],
    ['src/ui/button.tsx', false],
    ['README.md', false]
  ])('%s: %s', (path, expected) => {
    expect(isSecuritySensitivePath(path)).toBe(expected)
  })
})

describe('rankChunks', () => {
  it('orders source before tests before docs, then escalate-paths, then security-sensitive paths, then the diff order', () => {
    const chunks = [
      chunk(1, 'README.md'),
      chunk(2, 'src/ui/button.ts'),
      chunk(3, 'src/auth/session.ts'),
      chunk(4, 'tests/auth.test.ts'),
      chunk(5, 'src/billing/invoice.ts'),
      chunk(6, 'src/core/engine.ts'),
      chunk(7, 'docs/setup.md', 'src/util.ts'),
      chunk(8, 'tests/ui.test.ts')
    ]
    const ranked = rankChunks(chunks, (path) => path.startsWith('src/core/'))
    expect(ranked.map((entry) => entry.id)).toEqual([6, 3, 5, 2, 7, 4, 8, 1])
    expect(ranked[0]).toEqual({ id: 6, kind: 'source', pathRisk: 2 })
    expect(ranked.find((entry) => entry.id === 4)).toEqual({ id: 4, kind: 'test', pathRisk: 1 })
  })

  it('counts a renamed file by its old path too', () => {
    const renamed: Chunk = {
      ...chunk(2, 'src/lib/check.ts'),
      pieces: [
        { path: 'src/lib/check.ts', previousPath: 'src/auth/check.ts', status: 'renamed', hunks: [], part: 1, parts: 1 }
      ]
    }
    expect(rankChunks([chunk(1, 'src/lib/other.ts'), renamed]).map((entry) => entry.id)).toEqual([2, 1])
  })
})
