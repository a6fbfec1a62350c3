/**
 * File contents at a commit through GitHub's GraphQL API, many files per call: the `api` FileSource used when
 * the workspace holds no checkout of the pull request's head (e.g. on `pull_request_target`, where checking out
 * the head would be unsafe). Two steps: first each file's size and binary flag (`repository.object(expression:
 * "<sha>:<path>")`, tiny answers), then the text of only the files worth reading, by blob id. So a file over the
 * cap or a binary one is never downloaded, and identical files are read once.
 *
 * Batch sizes: `object` lookups are not connections, so neither GitHub's 500,000-node limit nor its point cost
 * (one point per query) grows with them; what bounds a batch is GitHub's 10-second query timeout and the size of
 * the answer. 100 size lookups make a query of about 7 KB (the paths go as variables) and an answer of about
 * 10 KB; text is fetched at most 100 files and 2 MB per call. The throttling plugin spaces GraphQL calls like
 * writes (1 s apart), so fewer, fuller calls are also faster.
 */

import { isSkipped, type FileRead, type FileSource } from '../context/file-source.js'
import type { GitHubApi } from './client.js'
import { requestGraphQL } from './graphql.js'

/** Files whose size and type one call looks up. */
export const PATHS_PER_QUERY = 100
/** Text one call may bring back, counted by the blobs' byte sizes. */
export const TEXT_BYTES_PER_QUERY = 2_000_000
/** GitHub cuts `Blob.text` at 512,000 bytes (and sets `isTruncated`); the default cap stays below, so no read is cut. */
export const DEFAULT_MAX_FILE_BYTES = 500_000

export interface ReadFilesRequest {
  readonly owner: string
  readonly repo: string
  /** The commit to read at (the pull request's head SHA). */
  readonly sha: string
  readonly paths: readonly string[]
  /** Larger files are skipped as `too-large` without being downloaded. */
  readonly maxFileBytes?: number
}

export interface ReadFilesResult {
  /** One entry per distinct requested path. */
  readonly files: Map<string, FileRead>
  /** GraphQL requests made (retries of one request by the client count once). */
  readonly apiCalls: number
}

/** What the size lookup returns for one path. */
export interface ObjectMeta {
  readonly __typename?: string
  readonly oid?: string
  readonly byteSize?: number
  readonly isBinary?: boolean | null
}

interface BlobText {
  readonly text?: string | null
  readonly isTruncated?: boolean
}

type RepositoryData<T> = { readonly repository?: Readonly<Record<string, T | null>> | null }

/** A file worth downloading: its blob id and size. */
export interface BlobCandidate {
  readonly oid: string
  readonly byteSize: number
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size))
  return chunks
}

/** Size lookups for `count` paths, each passed as a variable so no path text ever becomes query text. */
export function buildMetadataQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, index) => `$e${index}: String!`).join(', ')
  const fields = Array.from(
    { length: count },
    (_, index) => `f${index}: object(expression: $e${index}) { ...FileMeta }`
  ).join('\n    ')
  return `query FileMetadata($owner: String!, $name: String!, ${variables}) {
  repository(owner: $owner, name: $name) {
    ${fields}
  }
}
fragment FileMeta on GitObject { __typename ... on Blob { oid byteSize isBinary } }`
}

/** Text lookups for `count` blob ids. */
export function buildTextQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, index) => `$o${index}: GitObjectID!`).join(', ')
  const fields = Array.from(
    { length: count },
    (_, index) => `t${index}: object(oid: $o${index}) { ... on Blob { text isTruncated } }`
  ).join('\n    ')
  return `query FileTexts($owner: String!, $name: String!, ${variables}) {
  repository(owner: $owner, name: $name) {
    ${fields}
  }
}`
}

const NOT_A_FILE: Readonly<Record<string, string>> = { Tree: 'a directory', Commit: 'a submodule' }

function isBlobCandidate(judged: FileRead | BlobCandidate): judged is BlobCandidate {
  return typeof judged === 'object' && 'oid' in judged
}

/** What the size lookup says about one path: read it (a candidate), or skip it and why. */
export function judgeObject(meta: ObjectMeta | null | undefined, maxFileBytes: number): FileRead | BlobCandidate {
  if (meta === null || meta === undefined) return { skipped: 'missing', detail: 'not in the commit' }
  if (meta.__typename !== 'Blob') {
    const what = NOT_A_FILE[meta.__typename ?? ''] ?? `a ${meta.__typename ?? 'git object'}`
    return { skipped: 'not-a-file', detail: what }
  }
  const byteSize = meta.byteSize ?? 0
  if (meta.isBinary === true) return { skipped: 'binary', detail: `${byteSize} bytes` }
  if (byteSize > maxFileBytes) {
    return { skipped: 'too-large', detail: `${byteSize} bytes; the limit is ${maxFileBytes}` }
  }
  if (typeof meta.oid !== 'string') return { skipped: 'missing', detail: 'GitHub gave no blob id' }
  return { oid: meta.oid, byteSize }
}

/** Groups blobs into calls of at most PATHS_PER_QUERY blobs and TEXT_BYTES_PER_QUERY bytes (a bigger one alone). */
export function packTextBatches(candidates: readonly BlobCandidate[]): BlobCandidate[][] {
  const batches: BlobCandidate[][] = []
  let current: BlobCandidate[] = []
  let bytes = 0
  for (const candidate of candidates) {
    if (
      current.length > 0 &&
      (current.length >= PATHS_PER_QUERY || bytes + candidate.byteSize > TEXT_BYTES_PER_QUERY)
    ) {
      batches.push(current)
      current = []
      bytes = 0
    }
    current.push(candidate)
    bytes += candidate.byteSize
  }
  if (current.length > 0) batches.push(current)
  return batches
}

function textRead(blob: BlobText | null | undefined): FileRead {
  if (blob === null || blob === undefined) return { skipped: 'missing', detail: 'the blob could not be read' }
  if (blob.isTruncated === true) return { skipped: 'too-large', detail: 'GitHub cut its text short' }
  // GitHub answers text null for a blob it cannot show as UTF-8 text.
  if (typeof blob.text !== 'string') return { skipped: 'binary', detail: 'GitHub has no text for it' }
  return blob.text
}

/**
 * Reads `paths` at `sha`: text for readable files, the reason for the others (missing, a directory or submodule,
 * binary, over `maxFileBytes`). Throws a GitHubGraphQLError naming the commit when a call fails.
 */
export async function readFilesAtCommit(api: GitHubApi, request: ReadFilesRequest): Promise<ReadFilesResult> {
  const maxFileBytes = request.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
  const paths = [...new Set(request.paths)]
  const at = `${request.owner}/${request.repo} at ${request.sha.slice(0, 12)}`
  const repository = { owner: request.owner, name: request.repo }
  const files = new Map<string, FileRead>()
  const pathsByOid = new Map<string, string[]>()
  const candidates: BlobCandidate[] = []
  let apiCalls = 0

  for (const batch of chunk(paths, PATHS_PER_QUERY)) {
    apiCalls++
    const variables = Object.fromEntries(batch.map((path, index) => [`e${index}`, `${request.sha}:${path}`]))
    const data = await requestGraphQL<RepositoryData<ObjectMeta>>(api, {
      query: buildMetadataQuery(batch.length),
      variables: { ...repository, ...variables },
      action: `looking up ${batch.length} files in ${at}`
    })
    batch.forEach((path, index) => {
      const judged = judgeObject(data.repository?.[`f${index}`], maxFileBytes)
      if (!isBlobCandidate(judged)) return void files.set(path, judged)
      const sharing = pathsByOid.get(judged.oid)
      if (sharing === undefined) {
        pathsByOid.set(judged.oid, [path])
        candidates.push(judged)
      } else sharing.push(path)
    })
  }

  for (const batch of packTextBatches(candidates)) {
    apiCalls++
    const variables = Object.fromEntries(batch.map((candidate, index) => [`o${index}`, candidate.oid]))
    const data = await requestGraphQL<RepositoryData<BlobText>>(api, {
      query: buildTextQuery(batch.length),
      variables: { ...repository, ...variables },
      action: `reading ${batch.length} files in ${at}`
    })
    batch.forEach((candidate, index) => {
      const read = textRead(data.repository?.[`t${index}`])
      for (const path of pathsByOid.get(candidate.oid) ?? []) files.set(path, read)
    })
  }
  // Map in the order asked, whatever order the answers came in.
  return { files: new Map(paths.map((path) => [path, files.get(path) ?? { skipped: 'missing' }])), apiCalls }
}

/** The `api` FileSource, counting its calls across reads. It has no `findDefinitionFiles`: searching needs a checkout. */
export interface ApiFileSource extends FileSource {
  readonly kind: 'api'
  /** GraphQL requests made by every `read` so far. */
  readonly apiCalls: number
}

/** A FileSource reading the head of a pull request through the API; each read logs what it cost. */
export function createApiFileSource(
  api: GitHubApi,
  options: {
    readonly owner: string
    readonly repo: string
    readonly sha: string
    readonly maxFileBytes?: number
    readonly log?: (message: string) => void
  }
): ApiFileSource {
  let apiCalls = 0
  return {
    kind: 'api',
    get apiCalls() {
      return apiCalls
    },
    async read(paths) {
      const result = await readFilesAtCommit(api, { ...options, paths })
      apiCalls += result.apiCalls
      const skipped = [...result.files.values()].filter((read) => isSkipped(read)).length
      const readable = result.files.size - skipped
      options.log?.(
        `Read ${readable} of ${result.files.size} files at ${options.sha.slice(0, 7)} through the GitHub API ` +
          `in ${result.apiCalls} GraphQL calls${skipped > 0 ? ` (${skipped} skipped)` : ''}`
      )
      return result.files
    }
  }
}
