/**
 * The fake GitHub's `POST /graphql`: every query is parsed and validated against GitHub's published schema
 * (@octokit/graphql-schema), so a misspelt field fails a test the way it would fail on github.com, then executed
 * against the fake's state: review threads with cursor pagination, thread mutations, the viewer, and blobs at a
 * commit. Errors have GitHub's shapes, all with HTTP 200: validation errors as `{errors}` without `data` (graphql-ruby
 * wording and `extensions.code`), execution errors with `type` (FORBIDDEN, NOT_FOUND, …), `path` and `locations`
 * next to the partial `data`.
 */

import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import {
  buildClientSchema,
  execute,
  GraphQLError,
  Kind,
  parse,
  validate,
  visit,
  type ASTNode,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type IntrospectionQuery
} from 'graphql'
import { locateComment } from './github-compare.js'
import type { FakeDiffFile } from './diff-hunks.js'
import type { FakeCommitGraph } from './fake-git.js'
import type { FakeRepoFiles } from './github-repo-routes.js'
import { MAX_BODY_CHARS } from './github-review-rules.js'
import {
  ACTIONS_BOT,
  notAccessibleMessage,
  reviewCommentNodeId,
  userIdOf,
  type FakePull,
  type FakeTokenGrant,
  type GitHubUser,
  type StoredReviewComment
} from './github-shapes.js'
import {
  REACTION_CONTENTS,
  addThreadReply,
  parseNodeId,
  resolvedByOf,
  setThreadResolved,
  threadByNodeId,
  threadComments,
  threadNodeId,
  threadRoots,
  type ThreadWorld
} from './github-threads.js'

/** GitHub cuts `Blob.text` at this many bytes and sets `isTruncated`. */
export const BLOB_TEXT_LIMIT_BYTES = 512_000
/** git's rule (and GitHub's): a NUL byte in the first 8,000 bytes makes a blob binary. */
const BINARY_SNIFF_BYTES = 8_000
/** Connections refuse `first`/`last` above this. */
const MAX_PAGE_SIZE = 100

/** What the resolvers read and write: the fake server's state. */
export interface GraphQLWorld extends ThreadWorld {
  owner: string
  repo: string
  pulls: readonly FakePull[]
  files?: FakeRepoFiles
  commits?: FakeCommitGraph
  filesOf(pull: FakePull): FakeDiffFile[]
}

export interface GraphQLAnswer {
  status: number
  json: unknown
}

type GitHubErrorType =
  'FORBIDDEN' | 'NOT_FOUND' | 'UNPROCESSABLE' | 'EXCESSIVE_PAGINATION' | 'MISSING_PAGINATION_BOUNDARIES'

/** An execution error GitHub reports with a top-level `type`. */
class GitHubTypedError extends Error {
  constructor(
    readonly type: GitHubErrorType,
    message: string,
    readonly extensions?: Record<string, unknown>
  ) {
    super(message)
  }
}

const SCHEMA_PACKAGE = '@octokit/graphql-schema'
let cachedSchema: GraphQLSchema | undefined

/**
 * GitHub's schema, built once per test file from @octokit/graphql-schema's introspection JSON (its SDL repeats
 * two fields, which graphql-js refuses). The JSON is read directly: importing the package would also build its own
 * validator, doubling the second and the memory this costs.
 */
function githubGraphQLSchema(): GraphQLSchema {
  if (cachedSchema !== undefined) return cachedSchema
  const directories = createRequire(import.meta.url).resolve.paths(SCHEMA_PACKAGE) ?? []
  const file = directories
    .map((directory) => join(directory, SCHEMA_PACKAGE, 'schema.json'))
    .find((candidate) => existsSync(candidate))
  if (file === undefined) throw new Error(`fake GitHub: ${SCHEMA_PACKAGE} is not installed`)
  cachedSchema = buildClientSchema(JSON.parse(readFileSync(file, 'utf8')) as IntrospectionQuery)
  return cachedSchema
}

// ---------------------------------------------------------------------------------------------------------------
// Errors in GitHub's shapes

/** graphql-ruby names the path's first step after the operation: `query`, `query Name`, `mutation`. */
function stepName(node: ASTNode): string | undefined {
  switch (node.kind) {
    case Kind.OPERATION_DEFINITION:
      return node.name === undefined ? node.operation : `${node.operation} ${node.name.value}`
    case Kind.FRAGMENT_DEFINITION:
      return `fragment ${node.name.value}`
    case Kind.INLINE_FRAGMENT:
      return node.typeCondition === undefined ? '...' : `... on ${node.typeCondition.name.value}`
    case Kind.FIELD:
      return node.alias?.value ?? node.name.value
    case Kind.ARGUMENT:
      return node.name.value
    case Kind.VARIABLE_DEFINITION:
      return `$${node.variable.name.value}`
    default:
      return undefined
  }
}

/** The document path graphql-ruby reports for `target`, e.g. `["query", "repository", "nope"]`. */
function documentPathOf(document: DocumentNode, target: ASTNode | undefined): string[] | undefined {
  if (target === undefined) return undefined
  let found: string[] | undefined
  visit(document, {
    enter(node, _key, _parent, _path, ancestors) {
      if (node !== target) return undefined
      const chain = [...ancestors.filter((entry): entry is ASTNode => !Array.isArray(entry) && 'kind' in entry), node]
      found = chain.map(stepName).filter((step): step is string => step !== undefined)
      return false
    }
  })
  return found
}

function operationLabel(document: DocumentNode): string {
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION)
  if (operation?.kind !== Kind.OPERATION_DEFINITION) return 'anonymous query'
  return operation.name === undefined ? `anonymous ${operation.operation}` : operation.name.value
}

type Translation = (
  match: RegExpExecArray,
  document: DocumentNode
) => { message: string; extensions: Record<string, unknown> }

/** graphql-js validation messages ⇒ graphql-ruby's (what GitHub answers), for the mistakes a query is likely to have. */
const VALIDATION_TRANSLATIONS: ReadonlyArray<readonly [RegExp, Translation]> = [
  [
    /^Cannot query field "(.+?)" on type "(.+?)"\./,
    ([, field = '', type = '']) => ({
      message: `Field '${field}' doesn't exist on type '${type}'`,
      extensions: { code: 'undefinedField', typeName: type, fieldName: field }
    })
  ],
  [
    /^Unknown argument "(.+?)" on field "(.+?)\.(.+?)"\./,
    ([, argument = '', , field = '']) => ({
      message: `Field '${field}' doesn't accept argument '${argument}'`,
      extensions: { code: 'argumentNotAccepted', name: field, typeName: 'Field', argumentName: argument }
    })
  ],
  [
    /^Field "(.+?)" argument "(.+?)" of type ".+?" is required, but it was not provided\./,
    ([, field = '', argument = '']) => ({
      message: `Field '${field}' is missing required arguments: ${argument}`,
      extensions: { code: 'missingRequiredArguments', className: 'Field', name: field, arguments: argument }
    })
  ],
  [
    /^Variable "\$(.+?)" is never used/,
    ([, name = ''], document) => ({
      message: `Variable $${name} is declared by ${operationLabel(document)} but not used`,
      extensions: { code: 'variableNotUsed', variableName: name }
    })
  ],
  [
    /^Variable "\$(.+?)" is not defined/,
    ([, name = ''], document) => ({
      message: `Variable $${name} is used by ${operationLabel(document)} but not declared`,
      extensions: { code: 'variableNotDefined', variableName: name }
    })
  ],
  [
    /^Field "(.+?)" of type "(.+?)" must have a selection of subfields/,
    ([, field = '', type = '']) => ({
      message: `Field must have selections (field '${field}' returns ${type.replace(/!$/, '')} but has no selections. Did you mean '${field} { ... }'?)`,
      extensions: { code: 'selectionMismatch', nodeName: `field '${field}'`, typeName: type.replace(/!$/, '') }
    })
  ]
]

function validationErrorJson(error: GraphQLError, document: DocumentNode): Record<string, unknown> {
  const path = documentPathOf(document, error.nodes?.[0])
  for (const [pattern, translate] of VALIDATION_TRANSLATIONS) {
    const match = pattern.exec(error.message)
    if (match === null) continue
    const { message, extensions } = translate(match, document)
    return { ...(path === undefined ? {} : { path }), extensions, locations: error.locations ?? [], message }
  }
  return { ...(path === undefined ? {} : { path }), locations: error.locations ?? [], message: error.message }
}

function executionErrorJson(error: GraphQLError): Record<string, unknown> {
  const typed = error.originalError instanceof GitHubTypedError ? error.originalError : undefined
  return {
    ...(typed === undefined ? {} : { type: typed.type }),
    ...(error.path === undefined ? {} : { path: error.path }),
    ...(typed?.extensions === undefined ? {} : { extensions: typed.extensions }),
    ...(error.locations === undefined ? {} : { locations: error.locations }),
    message: error.message
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Connections

interface ConnectionArgs {
  first?: number | null
  last?: number | null
  after?: string | null
  before?: string | null
}

const encodeCursor = (index: number): string => Buffer.from(`cursor:v2:${index}`).toString('base64')

function decodeCursor(cursor: string): number {
  const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))
  if (match === null) throw new GitHubTypedError('UNPROCESSABLE', `\`${cursor}\` does not appear to be a valid cursor.`)
  return Number(match[1])
}

/** Whether the query selects `name` directly under this field (counts alone need no page bounds). */
function selects(info: GraphQLResolveInfo, name: string): boolean {
  return info.fieldNodes.some((node) =>
    (node.selectionSet?.selections ?? []).some(
      (selection) => selection.kind === Kind.FIELD && selection.name.value === name
    )
  )
}

/** A connection page with GitHub's rules: `first` or `last` required for nodes, at most 100, opaque cursors. */
function connection<T>(items: readonly T[], args: ConnectionArgs, info: GraphQLResolveInfo) {
  const { first, last } = args
  const name = info.fieldName
  if (first != null && last != null) {
    throw new GitHubTypedError(
      'UNPROCESSABLE',
      `Passing both \`first\` and \`last\` to paginate the \`${name}\` connection is not supported.`
    )
  }
  if (first == null && last == null && (selects(info, 'nodes') || selects(info, 'edges'))) {
    throw new GitHubTypedError(
      'MISSING_PAGINATION_BOUNDARIES',
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`
    )
  }
  for (const [argument, value] of [
    ['first', first],
    ['last', last]
  ] as const) {
    if (value != null && value > MAX_PAGE_SIZE) {
      throw new GitHubTypedError(
        'EXCESSIVE_PAGINATION',
        `Requesting ${value} records on the \`${name}\` connection exceeds the \`${argument}\` limit of ${MAX_PAGE_SIZE} records.`
      )
    }
  }
  let start = args.after == null ? 0 : decodeCursor(args.after)
  let end = args.before == null ? items.length : decodeCursor(args.before) - 1
  if (first != null) end = Math.min(end, start + Math.max(first, 0))
  if (last != null) start = Math.max(start, end - Math.max(last, 0))
  const page = items.slice(start, end).map((node, offset) => ({ node, cursor: encodeCursor(start + offset + 1) }))
  return {
    totalCount: items.length,
    nodes: page.map((edge) => edge.node),
    edges: page,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: page[0]?.cursor ?? null,
      endCursor: page.at(-1)?.cursor ?? null
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Nodes

const GITHUB = 'https://github.com'
const nodeId = (prefix: string, key: string): string => `${prefix}_${Buffer.from(key).toString('base64url')}`
const isBot = (user: GitHubUser): boolean => user.type === 'Bot'
/** GraphQL's `Bot.login` has no `[bot]` suffix; REST's `user.login` has it. */
const graphQLLogin = (user: GitHubUser): string => (isBot(user) ? user.login.replace(/\[bot\]$/, '') : user.login)
const sameUser = (a: GitHubUser, b: GitHubUser): boolean => userIdOf(a) === userIdOf(b)

/** A comment's author (`Actor`): a Bot (login without `[bot]`) or a User. */
function actorNode(user: GitHubUser) {
  const login = graphQLLogin(user)
  const path = isBot(user) ? `/apps/${login}` : `/${login}`
  return {
    __typename: isBot(user) ? 'Bot' : 'User',
    id: nodeId(isBot(user) ? 'BOT' : 'U', `${userIdOf(user)}`),
    databaseId: userIdOf(user),
    login,
    resourcePath: path,
    url: `${GITHUB}${path}`,
    avatarUrl: () => `https://avatars.githubusercontent.com/u/${userIdOf(user)}?v=4`,
    createdAt: '2020-01-01T00:00:00Z',
    updatedAt: '2020-01-01T00:00:00Z'
  }
}

/**
 * A `User`-typed field (`viewer`, `resolvedBy`). For a bot, GitHub answers `viewer` with the REST spelling
 * (`github-actions[bot]`, `my-app[bot]`) and the bot's own id.
 */
function userNode(user: GitHubUser) {
  return { ...actorNode(user), __typename: 'User', login: user.login, name: null }
}

interface Scope {
  world: GraphQLWorld
  caller: FakeTokenGrant
}

/** Resolving and reopening threads: `pull-requests: write` and, as on GitHub, `contents: write`. */
function requireResolve(scope: Scope): void {
  requireWrite(scope)
  if (scope.caller.contents === 'read') {
    throw new GitHubTypedError('FORBIDDEN', notAccessibleMessage(scope.caller), { saml_failure: false })
  }
}

function requireWrite(scope: Scope): void {
  if (scope.caller.pullRequests !== 'write') {
    throw new GitHubTypedError('FORBIDDEN', notAccessibleMessage(scope.caller), { saml_failure: false })
  }
}

const unknownNode = (id: string) =>
  new GitHubTypedError('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`)

function where(scope: Scope, comment: StoredReviewComment) {
  const pull = scope.world.pulls.find((candidate) => candidate.number === comment.pullNumber)
  if (pull === undefined)
    return { line: null, start_line: null, original_line: comment.line, original_start_line: comment.startLine }
  const graph = scope.world.commits === undefined ? {} : { graph: scope.world.commits }
  return locateComment({ ...graph, pull, files: scope.world.filesOf(pull), comment })
}

function commentNode(scope: Scope, comment: StoredReviewComment): Record<string, unknown> {
  const { world } = scope
  const author = comment.user ?? ACTIONS_BOT
  const at = () => where(scope, comment)
  const pull = world.pulls.find((candidate) => candidate.number === comment.pullNumber)
  const reactionsOn = () => world.reactions.filter((reaction) => reaction.commentId === comment.id)
  return {
    __typename: 'PullRequestReviewComment',
    id: reviewCommentNodeId(comment.id),
    databaseId: comment.id,
    fullDatabaseId: String(comment.id),
    body: comment.body,
    bodyText: comment.body,
    author: actorNode(author),
    authorAssociation: isBot(author) ? 'NONE' : 'CONTRIBUTOR',
    createdAt: comment.createdAt ?? '2026-01-01T00:00:00Z',
    updatedAt: comment.createdAt ?? '2026-01-01T00:00:00Z',
    publishedAt: comment.createdAt ?? '2026-01-01T00:00:00Z',
    lastEditedAt: null,
    includesCreatedEdit: false,
    isMinimized: false,
    minimizedReason: null,
    path: comment.path,
    line: () => at().line,
    startLine: () => at().start_line,
    originalLine: () => at().original_line,
    originalStartLine: () => at().original_start_line,
    outdated: () => at().line === null,
    state: 'SUBMITTED',
    subjectType: 'LINE',
    url: `${GITHUB}/${world.owner}/${world.repo}/pull/${comment.pullNumber}#discussion_r${comment.id}`,
    resourcePath: `/${world.owner}/${world.repo}/pull/${comment.pullNumber}#discussion_r${comment.id}`,
    replyTo: () => {
      const parent = world.reviewComments.find((candidate) => candidate.id === comment.inReplyToId)
      return parent === undefined ? null : commentNode(scope, parent)
    },
    viewerDidAuthor: () => sameUser(author, scope.caller.user),
    viewerCanReact: true,
    viewerCanUpdate: () => sameUser(author, scope.caller.user) && scope.caller.pullRequests === 'write',
    viewerCanDelete: () => sameUser(author, scope.caller.user) && scope.caller.pullRequests === 'write',
    viewerCanMinimize: () => scope.caller.pullRequests === 'write',
    reactionGroups: () =>
      REACTION_CONTENTS.map((content) => {
        const given = reactionsOn().filter((reaction) => reaction.content === content)
        return {
          content,
          createdAt: given[0]?.createdAt ?? null,
          viewerHasReacted: given.some((reaction) => sameUser(reaction.user, scope.caller.user)),
          users: (args: ConnectionArgs, _context: unknown, info: GraphQLResolveInfo) =>
            connection(
              given.filter((reaction) => !isBot(reaction.user)).map((reaction) => userNode(reaction.user)),
              args,
              info
            ),
          reactors: (args: ConnectionArgs, _context: unknown, info: GraphQLResolveInfo) =>
            connection(
              given.map((reaction) => actorNode(reaction.user)),
              args,
              info
            )
        }
      }),
    pullRequest: () => (pull === undefined ? null : pullNode(scope, pull)),
    repository: () => repositoryNode(scope)
  }
}

function threadNode(scope: Scope, root: StoredReviewComment): Record<string, unknown> {
  const { world } = scope
  const at = () => where(scope, root)
  const resolvedBy = () => resolvedByOf(world, root)
  const canWrite = scope.caller.pullRequests === 'write'
  const canResolve = canWrite && scope.caller.contents !== 'read'
  const pull = world.pulls.find((candidate) => candidate.number === root.pullNumber)
  return {
    __typename: 'PullRequestReviewThread',
    id: threadNodeId(root.id),
    isResolved: () => resolvedBy() !== null,
    isCollapsed: () => resolvedBy() !== null,
    isOutdated: () => at().line === null,
    path: root.path,
    line: () => at().line,
    startLine: () => at().start_line,
    originalLine: () => at().original_line,
    originalStartLine: () => at().original_start_line,
    diffSide: root.side,
    startDiffSide: root.startSide,
    subjectType: 'LINE',
    resolvedBy: () => {
      const by = resolvedBy()
      return by === null ? null : userNode(by)
    },
    viewerCanResolve: () => canResolve && resolvedBy() === null,
    viewerCanUnresolve: () => canResolve && resolvedBy() !== null,
    viewerCanReply: canWrite,
    comments: (args: ConnectionArgs, _context: unknown, info: GraphQLResolveInfo) =>
      connection(
        threadComments(world, root).map((comment) => commentNode(scope, comment)),
        args,
        info
      ),
    pullRequest: () => (pull === undefined ? null : pullNode(scope, pull)),
    repository: () => repositoryNode(scope)
  }
}

function pullNode(scope: Scope, pull: FakePull): Record<string, unknown> {
  const { world } = scope
  return {
    __typename: 'PullRequest',
    id: nodeId('PR', `${world.owner}/${world.repo}#${pull.number}`),
    number: pull.number,
    title: pull.title,
    body: pull.body ?? '',
    isDraft: pull.draft ?? false,
    headRefOid: pull.headSha,
    baseRefOid: pull.baseSha,
    headRefName: pull.headRef,
    baseRefName: pull.baseRef,
    url: `${GITHUB}/${world.owner}/${world.repo}/pull/${pull.number}`,
    reviewThreads: (args: ConnectionArgs, _context: unknown, info: GraphQLResolveInfo) =>
      connection(
        threadRoots(world, pull.number).map((root) => threadNode(scope, root)),
        args,
        info
      ),
    repository: () => repositoryNode(scope)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Git objects

/** git's blob id: sha1 of `blob <size>\0<bytes>`. */
function blobOid(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

/** Files at a ref: the `files` option first (commit SHA or branch), then the commit graph. */
function treeAt(world: GraphQLWorld, ref: string): Readonly<Record<string, string>> | undefined {
  return world.files?.[ref] ?? world.commits?.commits.get(ref)?.files
}

function blobNode(scope: Scope, text: string) {
  const bytes = Buffer.from(text, 'utf8')
  const oid = blobOid(bytes)
  const binary = bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)
  return {
    __typename: 'Blob',
    id: nodeId('B', oid),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    byteSize: bytes.length,
    isBinary: binary,
    isTruncated: !binary && bytes.length > BLOB_TEXT_LIMIT_BYTES,
    text: binary ? null : bytes.subarray(0, BLOB_TEXT_LIMIT_BYTES).toString('utf8'),
    commitResourcePath: `/${scope.world.owner}/${scope.world.repo}/commit/${oid}`,
    commitUrl: `${GITHUB}/${scope.world.owner}/${scope.world.repo}/commit/${oid}`,
    repository: () => repositoryNode(scope)
  }
}

function treeNode(scope: Scope, tree: Readonly<Record<string, string>>, dir: string) {
  const prefix = dir === '' ? '' : `${dir}/`
  const children = new Map<string, 'blob' | 'tree'>()
  for (const path of Object.keys(tree)) {
    if (!path.startsWith(prefix)) continue
    const [name = '', ...rest] = path.slice(prefix.length).split('/')
    children.set(name, rest.length > 0 ? 'tree' : 'blob')
  }
  const oid = createHash('sha1')
    .update(`tree ${JSON.stringify([...children])}`)
    .digest('hex')
  return {
    __typename: 'Tree',
    id: nodeId('T', oid),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    entries: [...children].map(([name, type]) => ({
      name,
      path: `${prefix}${name}`,
      type,
      mode: type === 'tree' ? 0o040000 : 0o100644,
      object: () =>
        type === 'tree' ? treeNode(scope, tree, `${prefix}${name}`) : blobNode(scope, tree[`${prefix}${name}`] ?? '')
    })),
    repository: () => repositoryNode(scope)
  }
}

function commitNode(commit: { readonly sha: string; readonly message: string }) {
  return {
    __typename: 'Commit',
    id: nodeId('C', commit.sha),
    oid: commit.sha,
    abbreviatedOid: commit.sha.slice(0, 7),
    message: commit.message
  }
}

/** Every blob the fake knows, by oid, for `object(oid:)`. */
function findBlob(world: GraphQLWorld, oid: string): string | undefined {
  const trees = [
    ...Object.values(world.files ?? {}),
    ...[...(world.commits?.commits.values() ?? [])].map((commit) => commit.files)
  ]
  for (const tree of trees) {
    for (const text of Object.values(tree)) if (blobOid(Buffer.from(text, 'utf8')) === oid) return text
  }
  return undefined
}

/** `repository.object(expression: "<ref>:<path>" | oid:)`: a Blob, a Tree, a Commit, or null when nothing is there. */
function gitObject(
  scope: Scope,
  args: { expression?: string | null; oid?: string | null }
): Record<string, unknown> | null {
  const { world } = scope
  if (args.oid != null) {
    const commit = world.commits?.commits.get(args.oid)
    if (commit !== undefined) return commitNode(commit)
    const text = findBlob(world, args.oid)
    return text === undefined ? null : blobNode(scope, text)
  }
  const expression = args.expression ?? ''
  const colon = expression.indexOf(':')
  if (colon === -1) {
    const commit = world.commits?.commits.get(expression)
    return commit === undefined ? null : commitNode(commit)
  }
  const tree = treeAt(world, expression.slice(0, colon))
  const path = expression.slice(colon + 1).replace(/\/+$/, '')
  if (tree === undefined) return null
  const text = tree[path]
  if (text !== undefined) return blobNode(scope, text)
  const isDirectory = path === '' || Object.keys(tree).some((candidate) => candidate.startsWith(`${path}/`))
  return isDirectory ? treeNode(scope, tree, path) : null
}

function repositoryNode(scope: Scope): Record<string, unknown> {
  const { world } = scope
  return {
    __typename: 'Repository',
    id: nodeId('R', `${world.owner}/${world.repo}`),
    name: world.repo,
    nameWithOwner: `${world.owner}/${world.repo}`,
    url: `${GITHUB}/${world.owner}/${world.repo}`,
    pullRequest: ({ number }: { number: number }) => {
      const pull = world.pulls.find((candidate) => candidate.number === number)
      if (pull === undefined)
        throw new GitHubTypedError('NOT_FOUND', `Could not resolve to a PullRequest with the number of ${number}.`)
      return pullNode(scope, pull)
    },
    object: (args: { expression?: string | null; oid?: string | null }) => gitObject(scope, args)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Root fields

interface MutationInput<T> {
  input: T & { clientMutationId?: string | null }
}

function threadFromInput(scope: Scope, id: string): StoredReviewComment {
  const root = threadByNodeId(scope.world, id)
  if (root === undefined) throw unknownNode(id)
  return root
}

function rootValue(scope: Scope) {
  const { world } = scope
  const setResolved = ({ input }: MutationInput<{ threadId: string }>, resolve: boolean) => {
    requireResolve(scope)
    const root = threadFromInput(scope, input.threadId)
    setThreadResolved(world, root, resolve ? scope.caller.user : null)
    return { clientMutationId: input.clientMutationId ?? null, thread: threadNode(scope, root) }
  }
  return {
    viewer: () => userNode(scope.caller.user),
    repository: ({ owner, name }: { owner: string; name: string }) => {
      if (owner.toLowerCase() !== world.owner.toLowerCase() || name.toLowerCase() !== world.repo.toLowerCase()) {
        throw new GitHubTypedError('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`)
      }
      return repositoryNode(scope)
    },
    node: ({ id }: { id: string }) => {
      const parsed = parseNodeId(id)
      const comment =
        parsed === undefined ? undefined : world.reviewComments.find((candidate) => candidate.id === parsed.id)
      if (parsed === undefined || comment === undefined) throw unknownNode(id)
      if (parsed.kind === 'comment') return commentNode(scope, comment)
      return threadNode(scope, threadFromInput(scope, id))
    },
    resolveReviewThread: (args: MutationInput<{ threadId: string }>) => setResolved(args, true),
    unresolveReviewThread: (args: MutationInput<{ threadId: string }>) => setResolved(args, false),
    addPullRequestReviewThreadReply: ({
      input
    }: MutationInput<{ pullRequestReviewThreadId: string; body: string }>) => {
      requireWrite(scope)
      const root = threadFromInput(scope, input.pullRequestReviewThreadId)
      if (input.body.trim() === '') throw new GitHubTypedError('UNPROCESSABLE', "Body can't be blank")
      if (input.body.length > MAX_BODY_CHARS) {
        throw new GitHubTypedError('UNPROCESSABLE', `Body is too long (maximum is ${MAX_BODY_CHARS} characters)`)
      }
      const reply = addThreadReply(world, { root, body: input.body, user: scope.caller.user })
      return { clientMutationId: input.clientMutationId ?? null, comment: commentNode(scope, reply) }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Answers one `POST /graphql` body as GitHub would, for a caller holding `caller`'s token. */
export async function answerGraphQL(
  world: GraphQLWorld,
  caller: FakeTokenGrant,
  body: unknown
): Promise<GraphQLAnswer> {
  if (!isRecord(body) || typeof body.query !== 'string') {
    return { status: 200, json: { errors: [{ message: 'A query attribute must be specified and must be a string.' }] } }
  }
  let document: DocumentNode
  try {
    document = parse(body.query)
  } catch (error: unknown) {
    if (!(error instanceof GraphQLError)) throw error
    // graphql-ruby says `Parse error on "}" (RCURLY) at [1, 19]`; the prefix and the position are what matter.
    const [location] = error.locations ?? []
    const detail = error.message.replace(/^Syntax Error: /, '').replace(/\.$/, '')
    const message = `Parse error on ${detail}${location === undefined ? '' : ` at [${location.line}, ${location.column}]`}`
    return { status: 200, json: { errors: [{ message, locations: error.locations ?? [] }] } }
  }
  const schema = githubGraphQLSchema()
  const invalid = validate(schema, document)
  if (invalid.length > 0)
    return { status: 200, json: { errors: invalid.map((error) => validationErrorJson(error, document)) } }
  const result: ExecutionResult = await execute({
    schema,
    document,
    rootValue: rootValue({ world, caller }),
    variableValues: isRecord(body.variables) ? body.variables : {},
    operationName: typeof body.operationName === 'string' ? body.operationName : null
  })
  const errors = (result.errors ?? []).map(executionErrorJson)
  return {
    status: 200,
    json: { ...('data' in result ? { data: result.data } : {}), ...(errors.length > 0 ? { errors } : {}) }
  }
}
