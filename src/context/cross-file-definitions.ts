/** Definitions, in other files at the head, of names a change uses: searched by the source, confirmed by parsing. */
import type { CodeIndex } from './code-index.js'
import { isSkipped, type FileSource } from './file-source.js'
import type { LineRange } from './line-range.js'

/** Where a name is defined outside the changed files. */
export interface CrossFileDefinition {
  readonly name: string
  readonly path: string
  readonly range: LineRange
}

/** Options for {@link findCrossFileDefinitions}. */
export interface FindCrossFileDefinitionsOptions {
  readonly source: FileSource
  readonly index: CodeIndex
  /** Names from {@link CodeIndex.referencedIdentifiers}, most important first. */
  readonly names: readonly string[]
  /** Files never searched (the files the pull request changes). */
  readonly exclude: ReadonlySet<string>
  /** Candidate files read per name (default {@link DEFAULT_FILES_PER_NAME}). */
  readonly filesPerName?: number
  /** The referencing file: candidates in its folder are tried first. */
  readonly near?: string
  /** Only files with these extensions (without the dot). */
  readonly extensions?: readonly string[]
}

/** What was found, what was not, and the texts read (so the packer need not read them again). */
export interface CrossFileDefinitions {
  readonly found: readonly CrossFileDefinition[]
  readonly notFound: readonly string[]
  readonly files: ReadonlyMap<string, string>
}

/** Candidate files read per name: a name defined in more places than this is too generic to guess. */
export const DEFAULT_FILES_PER_NAME = 3

/**
 * For each name, the first candidate file (as the source ranks them) whose parse really defines it. Sources
 * without a definition search (the GitHub API) find nothing: every name is reported not found.
 */
export async function findCrossFileDefinitions(
  options: FindCrossFileDefinitionsOptions
): Promise<CrossFileDefinitions> {
  const search = options.source.findDefinitionFiles?.bind(options.source)
  if (search === undefined) return { found: [], notFound: [...options.names], files: new Map() }
  const limit = options.filesPerName ?? DEFAULT_FILES_PER_NAME
  const candidates = new Map<string, string[]>()
  for (const name of new Set(options.names)) {
    candidates.set(
      name,
      await search(name, {
        exclude: options.exclude,
        limit,
        ...(options.near === undefined ? {} : { near: options.near }),
        ...(options.extensions === undefined ? {} : { extensions: options.extensions })
      })
    )
  }
  const reads = await options.source.read([...new Set([...candidates.values()].flat())])
  const files = new Map<string, string>()
  for (const [path, read] of reads) if (!isSkipped(read)) files.set(path, read)

  const found: CrossFileDefinition[] = []
  const notFound: string[] = []
  for (const [name, paths] of candidates) {
    const hit = paths.flatMap((path) => {
      const text = files.get(path)
      const range = text === undefined ? undefined : options.index.findDefinition({ path, text }, name)
      return range === undefined ? [] : [{ name, path, range }]
    })[0]
    if (hit === undefined) notFound.push(name)
    else found.push(hit)
  }
  return { found, notFound, files }
}
