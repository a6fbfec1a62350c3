import { languageOfPath } from '../../src/context/languages.js'

describe('languageOfPath', () => {
  it.each([
    ['src/app.js', 'javascript'],
    ['src/App.JSX', 'javascript'],
    ['lib/index.mjs', 'javascript'],
    ['lib/index.cjs', 'javascript'],
    ['src/store.ts', 'typescript'],
    ['types/index.d.ts', 'typescript'],
    ['src/mod.mts', 'typescript'],
    ['src/view.tsx', 'tsx'],
    ['tools/build.py', 'python'],
    ['stubs/os.pyi', 'python'],
    ['cmd/server/main.go', 'go'],
    ['src/main/java/com/x/Uploader.java', 'java'],
    ['deploy.rb', undefined],
    ['build.sh', undefined],
    ['Makefile', undefined],
    ['.eslintrc', undefined],
    ['src/.ts', undefined],
    ['dir.js/file', undefined],
    ['notes.txt', undefined]
  ])('%s → %s', (path, expected) => {
    expect(languageOfPath(path)).toBe(expected)
  })
})
