/**
 * The fake GitHub's repository endpoints used by team controls: file contents at a commit (the config
 * file is read at the base SHA, so content differs per ref) and a user's permission level.
 */

const DOCS = 'https://docs.github.com/rest'

/** ref (commit SHA or branch) → path → file text. */
export type FakeRepoFiles = Record<string, Record<string, string>>

/** login → role: admin, maintain, write, triage, read (users not listed are outsiders: read on a public repo). */
export type FakePermissions = Record<string, 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none'>

export interface FakeReply {
  status: number
  json?: unknown
}

const notFound = (docs: string): FakeReply => ({
  status: 404,
  json: { message: 'Not Found', documentation_url: docs, status: '404' }
})

/** GET /repos/{o}/{r}/contents/{path}?ref=…, answering like GitHub for files, directories, unknown refs. */
export function getRepoContent(options: {
  files: FakeRepoFiles | undefined
  owner: string
  repo: string
  path: string
  ref: string | null
}): FakeReply {
  const docs = `${DOCS}/repos/contents#get-repository-content`
  const ref = options.ref ?? 'main'
  // No files configured: every ref exists and holds none of the files asked for.
  const tree = options.files === undefined ? {} : options.files[ref]
  if (tree === undefined) {
    return {
      status: 404,
      json: { message: `No commit found for the ref ${ref}`, documentation_url: docs, status: '404' }
    }
  }
  const path = options.path.replace(/\/+$/, '')
  const text = tree[path]
  if (text === undefined) {
    const children = Object.keys(tree).filter((candidate) => candidate.startsWith(`${path}/`))
    if (children.length === 0) return notFound(docs)
    return { status: 200, json: children.map((child) => entryJson(options, child, tree[child] ?? '', ref, false)) }
  }
  return { status: 200, json: entryJson(options, path, text, ref, true) }
}

function entryJson(
  options: { owner: string; repo: string },
  path: string,
  text: string,
  ref: string,
  withContent: boolean
): Record<string, unknown> {
  const bytes = Buffer.from(text, 'utf8')
  const sha = Buffer.from(`${ref}:${path}`).toString('hex').padEnd(40, '0').slice(0, 40)
  const base64 = bytes.toString('base64').replace(/(.{60})/g, '$1\n')
  return {
    type: 'file',
    encoding: 'base64',
    size: bytes.length,
    name: path.split('/').pop(),
    path,
    sha,
    url: `https://api.github.com/repos/${options.owner}/${options.repo}/contents/${path}?ref=${ref}`,
    ...(withContent ? { content: base64 } : {})
  }
}

/** GET /repos/{o}/{r}/collaborators/{username}/permission. */
export function getPermission(permissions: FakePermissions | undefined, username: string): FakeReply {
  const role = permissions?.[username] ?? 'read'
  const legacy = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role
  return {
    status: 200,
    json: {
      permission: legacy,
      role_name: role,
      user: { login: username, id: 5000 + username.length, type: username.endsWith('[bot]') ? 'Bot' : 'User' }
    }
  }
}
