/**
 * The fake GitHub's Git database endpoints: trees (`GET /git/trees/{sha}`, optionally `?recursive=1`) and blobs
 * (`GET /git/blobs/{sha}`), built from the same per-ref files the contents API serves, plus symbolic links and
 * submodules, which only the Git database shows as what they are. Blob SHAs are real Git blob ids; tree SHAs are
 * stable fakes the tree endpoint resolves again.
 */
import { createHash } from 'node:crypto'
import type { FakeReply, FakeRepoFiles } from './github-repo-routes.js'

/** Entries the contents-API files cannot express, and GitHub's truncation of large recursive listings. */
export interface FakeGitTrees {
  /** ref → path → target: symbolic links (mode 120000); their blob holds the target path. */
  symlinks?: Record<string, Record<string, string>>
  /** ref → paths of submodules (mode 160000, type commit). */
  submodules?: Record<string, string[]>
  /** Recursive listings longer than this are cut and marked `truncated` (GitHub: 100,000 entries or 7 MB). */
  maxRecursiveEntries?: number
}

interface TreeItem {
  path: string
  mode: string
  type: 'blob' | 'tree' | 'commit'
  sha: string
  size?: number
}

const DOCS = 'https://docs.github.com/rest/git'
const notFound = (docs: string): FakeReply => ({
  status: 404,
  json: { message: 'Not Found', documentation_url: docs, status: '404' }
})

/** Git's blob id: sha1 of `blob <length>\0<content>`. */
export function gitBlobSha(text: string): string {
  const bytes = Buffer.from(text, 'utf8')
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

function fakeTreeSha(ref: string, dir: string): string {
  return createHash('sha1').update(`tree\0${ref}\0${dir}`).digest('hex')
}

function commitSha(ref: string, path: string): string {
  return createHash('sha1').update(`commit\0${ref}\0${path}`).digest('hex')
}

/** Every entry of a ref, directories included, by path. */
function itemsOf(files: FakeRepoFiles | undefined, git: FakeGitTrees | undefined, ref: string): TreeItem[] | undefined {
  const texts = files === undefined ? {} : files[ref]
  if (texts === undefined) return undefined
  const file = (path: string, mode: string, text: string): TreeItem => ({
    path,
    mode,
    type: 'blob',
    sha: gitBlobSha(text),
    size: Buffer.byteLength(text)
  })
  const items: TreeItem[] = [
    ...Object.entries(texts).map(([path, text]) => file(path, '100644', text)),
    ...Object.entries(git?.symlinks?.[ref] ?? {}).map(([path, target]) => file(path, '120000', target)),
    ...(git?.submodules?.[ref] ?? []).map((path): TreeItem => ({
      path,
      mode: '160000',
      type: 'commit',
      sha: commitSha(ref, path)
    }))
  ]
  const parentsOf = (path: string) =>
    path
      .split('/')
      .slice(0, -1)
      .map((_, index, parts) => parts.slice(0, index + 1).join('/'))
  const dirs = new Set(items.flatMap((item) => parentsOf(item.path)))
  items.push(
    ...[...dirs].map((dir): TreeItem => ({ path: dir, mode: '040000', type: 'tree', sha: fakeTreeSha(ref, dir) }))
  )
  return items.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/** Resolves a tree-ish: a ref (commit) means its root; otherwise a tree SHA this fake handed out. */
function resolveTree(
  files: FakeRepoFiles | undefined,
  git: FakeGitTrees | undefined,
  sha: string
): { ref: string; dir: string } | undefined {
  if (files === undefined || files[sha] !== undefined) return { ref: sha, dir: '' }
  for (const ref of Object.keys(files)) {
    const tree = itemsOf(files, git, ref)?.find((item) => item.type === 'tree' && item.sha === sha)
    if (tree !== undefined) return { ref, dir: tree.path }
  }
  return undefined
}

/** GET /repos/{o}/{r}/git/trees/{tree_sha}[?recursive=…]: any value of `recursive` recurses, as on GitHub. */
export function getGitTree(options: {
  files: FakeRepoFiles | undefined
  git: FakeGitTrees | undefined
  owner: string
  repo: string
  sha: string
  recursive: boolean
}): FakeReply {
  const docs = `${DOCS}/trees#get-a-tree`
  const where = resolveTree(options.files, options.git, options.sha)
  const all = where === undefined ? undefined : itemsOf(options.files, options.git, where.ref)
  if (where === undefined || all === undefined) return notFound(docs)
  const prefix = where.dir === '' ? '' : `${where.dir}/`
  const inside = all
    .filter((item) => item.path.startsWith(prefix))
    .map((item) => ({ ...item, path: item.path.slice(prefix.length) }))
    .filter((item) => options.recursive || !item.path.includes('/'))
  const limit = options.recursive ? (options.git?.maxRecursiveEntries ?? Infinity) : Infinity
  const api = `https://api.github.com/repos/${options.owner}/${options.repo}/git`
  return {
    status: 200,
    json: {
      sha: where.dir === '' ? fakeTreeSha(where.ref, '') : options.sha,
      url: `${api}/trees/${options.sha}`,
      tree: inside.slice(0, limit).map((item) => ({
        ...item,
        url: `${api}/${item.type === 'tree' ? 'trees' : item.type === 'blob' ? 'blobs' : 'commits'}/${item.sha}`
      })),
      truncated: inside.length > limit
    }
  }
}

/** GET /repos/{o}/{r}/git/blobs/{file_sha}: base64 content with GitHub's line breaks. */
export function getGitBlob(options: {
  files: FakeRepoFiles | undefined
  git: FakeGitTrees | undefined
  owner: string
  repo: string
  sha: string
}): FakeReply {
  const texts = [
    ...Object.values(options.files ?? {}).flatMap((tree) => Object.values(tree)),
    ...Object.values(options.git?.symlinks ?? {}).flatMap((links) => Object.values(links))
  ]
  const text = texts.find((candidate) => gitBlobSha(candidate) === options.sha)
  if (text === undefined) return notFound(`${DOCS}/blobs#get-a-blob`)
  const bytes = Buffer.from(text, 'utf8')
  return {
    status: 200,
    json: {
      sha: options.sha,
      node_id: `B_${options.sha.slice(0, 12)}`,
      size: bytes.length,
      url: `https://api.github.com/repos/${options.owner}/${options.repo}/git/blobs/${options.sha}`,
      content: bytes.toString('base64').replace(/(.{60})/g, '$1\n'),
      encoding: 'base64'
    }
  }
}
