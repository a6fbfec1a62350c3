/** Reads one file of the repository at a given commit through the contents API. */

import { ConfigError } from '../errors.js'
import type { GitHubApi } from './client.js'
import { describeGitHubError, statusOf } from './http-errors.js'

export interface RepoFileRequest {
  readonly owner: string
  readonly repo: string
  readonly path: string
  /** Commit SHA (or branch) to read at. The config is always read at the PR's base SHA, never its head. */
  readonly ref: string
  /** Larger files are refused before they are decoded. */
  readonly maxBytes: number
}

/**
 * GET /repos/{owner}/{repo}/contents/{path}?ref={ref}: the file's text, or undefined when there is no
 * such file at that commit (404). A directory, a submodule or a file over `maxBytes` is a ConfigError;
 * any other failure throws with GitHub's status and message.
 */
export async function fetchRepoFile(api: GitHubApi, request: RepoFileRequest): Promise<string | undefined> {
  const where = `${request.path} at ${request.ref.slice(0, 12)}`
  let data: unknown
  try {
    ;({ data } = await api.rest.repos.getContent({
      owner: request.owner,
      repo: request.repo,
      path: request.path,
      ref: request.ref
    }))
  } catch (error: unknown) {
    if (statusOf(error) === 404) return undefined
    const hint = statusOf(error) === 403 ? ' (the workflow token needs `contents: read`)' : ''
    throw new Error(`${describeGitHubError(error, `reading ${where}`)}${hint}`, { cause: error })
  }
  return decodeFile(data, request, where)
}

function decodeFile(data: unknown, request: RepoFileRequest, where: string): string {
  if (Array.isArray(data)) throw new ConfigError(`${where} is a directory; "config-file" must name a file.`)
  const file = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {}
  if (file.type !== 'file') {
    throw new ConfigError(`${where} is a ${String(file.type ?? 'non-file entry')}; "config-file" must name a file.`)
  }
  const size = typeof file.size === 'number' ? file.size : 0
  if (size > request.maxBytes) {
    throw new ConfigError(`${request.path} is ${size} bytes; the limit is ${request.maxBytes}.`)
  }
  if (file.encoding !== 'base64' || typeof file.content !== 'string') {
    throw new ConfigError(`GitHub did not return the content of ${where} (encoding "${String(file.encoding)}").`)
  }
  return Buffer.from(file.content, 'base64').toString('utf8')
}
