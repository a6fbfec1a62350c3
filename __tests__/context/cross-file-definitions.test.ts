import { loadCodeIndex, type CodeIndex } from '../../src/context/code-index.js'
import { findCrossFileDefinitions } from '../../src/context/cross-file-definitions.js'
import type { FileRead, FileSource } from '../../src/context/file-source.js'
import { openGitFileSource } from '../../src/context/git-file-source.js'
import { createTempRepo, type TempRepo } from './git-repo.js'

const UPLOAD = [
  'import { purgeTree } from "./fs/tools.js"',
  '',
  'export async function handleUpload(uploadDir) {',
  '  await purgeTree(uploadDir)',
  '  audit(uploadDir)',
  '}',
  ''
].join('\n')
const TOOLS = [
  'import { rm } from "node:fs/promises"',
  '',
  '/** Deletes a whole directory tree. */',
  'export async function purgeTree(dir) {',
  '  await rm(dir, { recursive: true, force: true })',
  '}',
  ''
].join('\n')
// Its comment looks like a definition to git grep; the parser knows better.
const DECOY = ['// purgeTree = function (dir) { ... } was removed', 'export const unrelated = 1', ''].join('\n')

describe('findCrossFileDefinitions', () => {
  let repo: TempRepo
  let head: string
  let index: CodeIndex
  beforeAll(async () => {
    repo = createTempRepo()
    repo.write('src/upload.js', UPLOAD)
    repo.write('src/fs/tools.js', TOOLS)
    repo.write('src/aaa-decoy.js', DECOY)
    head = repo.commitAll('upload')
    index = await loadCodeIndex({ languages: ['javascript'] })
  })
  afterAll(() => repo.remove())

  it('finds a function a changed line calls in another, unchanged file, confirmed by parsing it', async () => {
    const opened = await openGitFileSource({ cwd: repo.dir, headSha: head, kind: 'checkout' })
    if (!opened.ok) throw new Error(opened.reason)
    const names = index.referencedIdentifiers({ path: 'src/upload.js', text: UPLOAD }, [4, 5])
    expect(names).toEqual(['purgeTree', 'audit'])
    const result = await findCrossFileDefinitions({
      source: opened.source,
      index,
      names,
      exclude: new Set(['src/upload.js']),
      near: 'src/upload.js',
      extensions: ['js']
    })
    expect(result.found).toEqual([{ name: 'purgeTree', path: 'src/fs/tools.js', range: { start: 4, end: 6 } }])
    expect(result.notFound).toEqual(['audit'])
    expect(result.files.get('src/fs/tools.js')).toBe(TOOLS)
  })

  it('finds nothing, and says so, with a source that cannot search (the GitHub API)', async () => {
    const apiLike: FileSource = {
      kind: 'api',
      read: async (paths) => new Map<string, FileRead>(paths.map((path) => [path, { skipped: 'missing' }]))
    }
    const result = await findCrossFileDefinitions({ source: apiLike, index, names: ['purgeTree'], exclude: new Set() })
    expect(result).toEqual({ found: [], notFound: ['purgeTree'], files: new Map() })
  })
})
