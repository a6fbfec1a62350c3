/**
 * Where the head version of a pull request's files comes from: a verified checkout or a local repository read
 * through git objects, or the GitHub API. Every source answers the same way, and never executes anything.
 */

/** Why a file's text was not returned. */
export type FileSkipReason = 'too-large' | 'binary' | 'not-a-file' | 'missing'

/** A file's text at the head commit, or why it was skipped (with a detail such as its size, when known). */
export type FileRead = string | { readonly skipped: FileSkipReason; readonly detail?: string }

/** Reads files at one commit (the reviewed head). */
export interface FileSource {
  /** `checkout`: the workspace's repository at the verified head; `git`: a local repository (CLI); `api`: GitHub. */
  readonly kind: 'checkout' | 'git' | 'api'
  /** The text of each path at the head commit, or why it is skipped; every asked path has an entry. */
  read(paths: readonly string[]): Promise<Map<string, FileRead>>
  /**
   * Paths of files at the head commit that may define `name` (a cheap textual search; confirm with the code
   * index's findDefinition), without those in `exclude`, at most `limit`.
   */
  findDefinitionFiles?(name: string, options: DefinitionSearchOptions): Promise<string[]>
  /**
   * The same search for many names at once (one pass over the head's files): for each name, paths of files that
   * may define it, unranked, at most `perName` each, without those in `exclude`. Names with no candidate are
   * absent from the map.
   */
  searchDefinitions?(names: readonly string[], options: BatchDefinitionSearchOptions): Promise<Map<string, string[]>>
}

/** Options for {@link FileSource.searchDefinitions}. */
export interface BatchDefinitionSearchOptions {
  readonly exclude: ReadonlySet<string>
  /** Candidate files kept per name (the caller ranks them). */
  readonly perName: number
  /** Only files with these extensions (without the dot); all files when absent. */
  readonly extensions?: readonly string[]
}

/** Options for {@link FileSource.findDefinitionFiles}. */
export interface DefinitionSearchOptions {
  /** Paths never to return, e.g. the files the pull request changes (their context comes from the diff side). */
  readonly exclude: ReadonlySet<string>
  readonly limit: number
  /** Only files with these extensions (without the dot), e.g. the referencing file's language family. */
  readonly extensions?: readonly string[]
  /** Rank files in this path's folder (then its parent's...) first, e.g. the referencing file. */
  readonly near?: string
}

/** True when the read was skipped rather than returning text. */
export function isSkipped(read: FileRead): read is { readonly skipped: FileSkipReason; readonly detail?: string } {
  return typeof read !== 'string'
}

/** Bytes read from the start of a file to decide whether it is binary, as git does. */
export const BINARY_SNIFF_BYTES = 8000

/** Files larger than this are not read (default for every source): context comes from files people write. */
export const DEFAULT_MAX_FILE_BYTES = 1_048_576

/** True when the content has a NUL byte in its first {@link BINARY_SNIFF_BYTES} bytes (git's own test). */
export function looksBinary(content: Uint8Array): boolean {
  return content.subarray(0, BINARY_SNIFF_BYTES).includes(0)
}

/**
 * True when `path` is a plain relative path inside the repository: no absolute path, no `..` or `.`
 * segment, no empty segment, no NUL, no backslash and no `.git` folder. Anything else is reported missing.
 */
export function isSafeRepositoryPath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\0') || path.includes('\\')) return false
  return path
    .split('/')
    .every((segment) => segment !== '' && segment !== '.' && segment !== '..' && segment.toLowerCase() !== '.git')
}
