import { createGitRunner } from '../../src/context/git-command.js'
import { definitionLineRegexes, searchDefinitionFiles } from '../../src/context/definition-search.js'
import { createTempRepo, type TempRepo } from './git-repo.js'

describe('searchDefinitionFiles', () => {
  let repo: TempRepo
  let head: string

  beforeAll(() => {
    repo = createTempRepo()
    repo.write('src/fs/tools.js', 'export async function purgeTree(dir) {\n  await rm(dir)\n}\n')
    repo.write('src/util.py', 'def purge_tree(path):\n    pass\n\nAPI_SECRET = "x"\n')
    repo.write('src/server.go', 'package s\n\nfunc (s *Store) Save(v int) error {\n  return nil\n}\n')
    repo.write('src/caller.js', 'import { purgeTree } from "./fs/tools.js"\npurgeTree(dir)\n')
    repo.write('node_modules/lib/index.js', 'export function purgeTree() {}\n')
    repo.write('src/changed.js', 'export function purgeTree() {}\n')
    repo.write('src/decoy.js', '// call purgeTree(dir) here\n')
    head = repo.commitAll('files')
  })
  afterAll(() => repo.remove())

  const search = (names: string[], extensions?: string[]) =>
    searchDefinitionFiles({
      git: createGitRunner({ cwd: repo.dir }),
      treeish: head,
      names,
      options: { exclude: new Set(['src/changed.js']), perName: 5, ...(extensions === undefined ? {} : { extensions }) }
    })

  it('finds the files that define each name in one search, without uses, excluded paths or vendored code', async () => {
    const found = await search(['purgeTree', 'purge_tree', 'Save', 'API_SECRET', 'nowhere'])
    expect(Object.fromEntries(found)).toEqual({
      purgeTree: ['src/fs/tools.js'],
      purge_tree: ['src/util.py'],
      Save: ['src/server.go'],
      API_SECRET: ['src/util.py']
    })
  })

  it('searches only the given extensions', async () => {
    expect(Object.fromEntries(await search(['purgeTree', 'purge_tree'], ['py']))).toEqual({
      purge_tree: ['src/util.py']
    })
  })

  it('ignores names that cannot be identifiers (no option or pattern can be smuggled in)', async () => {
    expect((await search(['--open-files-in-pager=touch /tmp/x', 'a b', ''])).size).toBe(0)
  })

  it.each([
    ['function purgeTree(dir) {', 'purgeTree', true],
    ['export const purgeTree = async (dir) => {}', 'purgeTree', true],
    ['  purgeTree(dir) {', 'purgeTree', true],
    ['exports.purgeTree = purge', 'purgeTree', true],
    ['API_SECRET: str = "x"', 'API_SECRET', true],
    ['purgeTree(dir)', 'purgeTree', false],
    ['const x = obj.purgeTree', 'purgeTree', false]
  ])('%j defines %s: %s', (line, name, defines) => {
    expect(definitionLineRegexes(name).some((pattern) => pattern.test(line))).toBe(defines)
  })
})
