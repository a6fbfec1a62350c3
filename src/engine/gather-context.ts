/**
 * The engine's context stage, between planning and the review: for every chunk, the code a reviewer with the
 * file open would look at (the enclosing scope of each hunk, the same-file declarations the added lines use,
 * whole files when small) and, when the source can search the head commit, the definitions in other files of
 * names the added lines call or read. Each chunk's context is packed into `context-tokens` (chunk/pack-context.ts)
 * after its diff was planned, so no changed line ever moves or drops for context and the requests are the
 * diff's. File contents are untrusted data: they are only parsed (tree-sitter, in WebAssembly) and shown.
 */
import { packContext, type ContextItem } from '../chunk/pack-context.js'
import { prepareContextFile, type ContextFileLines } from '../chunk/context-render.js'
import type { ReviewSettings } from '../config/review-settings.js'
import { loadCodeIndex, type CodeIndex } from '../context/code-index.js'
import { findPieceContext, type PieceContext } from '../context/context-items.js'
import { isSkipped, type FileRead, type FileSource } from '../context/file-source.js'
import { rankByProximity } from '../context/git-file-source.js'
import { languageOfPath, type LanguageId } from '../context/languages.js'
import { getErrorMessage } from '../errors.js'
import type { Chunk, ChunkContext, ChunkPiece } from '../types.js'
import {
  MAX_LISTED_OMISSIONS,
  type ContextOmission,
  type ContextOmissionReason,
  type ContextReport,
  type CrossFileContext
} from './context-report.js'
import type { Logger } from './logger.js'
import type { PlannedReview } from './plan-review.js'

/** Where the head's files come from, as the shell found it. */
export interface ContextFiles {
  /** Absent when no source could be opened (e.g. the CLI's `--diff`): the report says why. */
  readonly source?: FileSource
  /** Where files come from, in words ("the workspace's checkout of 1a2b3c4d5e6f"), or why there is no source. */
  readonly description: string
  readonly kind: ContextReport['sourceKind']
  /** Set when definitions in other files cannot be looked up (no checkout): why, and how to enable it. */
  readonly noCrossFile?: { readonly reason: string; readonly howToEnable: string }
  /** GraphQL calls the source made so far (the API source). */
  readonly apiCalls?: () => number
}

/** Options for {@link gatherReviewContext}. */
export interface GatherContextOptions {
  readonly settings: Pick<ReviewSettings, 'contextTokens'>
  readonly files: ContextFiles
  readonly logger: Pick<Logger, 'info' | 'debug' | 'warning'>
  /** A code index to use instead of loading one (tests). */
  readonly index?: CodeIndex
}

/** Names looked up per chunk, in order of use (interleaved over its hunks): more rarely fit the budget. */
export const MAX_NAMES_PER_CHUNK = 40
/** Candidate files kept per name from the search, before ranking by distance to the referencing file. */
const CANDIDATES_PER_NAME = 20
/** Candidate files read per name, nearest first: a name defined in more places than this is too generic. */
const FILES_PER_NAME = 3
/** Most candidate files read for definitions in one run. */
export const MAX_DEFINITION_FILES = 400
/** A changed file of at most this many lines is shown whole when the budget has room. */
export const WHOLE_FILE_MAX_LINES = 300

/** Extensions searched for definitions of a name used in a file with this extension. */
const EXTENSION_FAMILIES: readonly (readonly string[])[] = [
  ['js', 'jsx', 'mjs', 'cjs', 'ts', 'tsx', 'mts', 'cts'],
  ['py', 'pyi'],
  ['go'],
  ['java', 'kt', 'kts', 'scala', 'groovy'],
  ['c', 'h', 'cc', 'cpp', 'cxx', 'hpp', 'hh', 'hxx', 'm', 'mm'],
  ['cs'],
  ['rb', 'rake'],
  ['rs'],
  ['php'],
  ['swift'],
  ['sh', 'bash', 'zsh']
]

/** The extensions a name used in `path` may be defined in; none for a file without an extension. */
export function extensionFamily(path: string): readonly string[] {
  const name = path.slice(path.lastIndexOf('/') + 1)
  const dot = name.lastIndexOf('.')
  if (dot <= 0) return []
  const extension = name.slice(dot + 1).toLowerCase()
  return EXTENSION_FAMILIES.find((family) => family.includes(extension)) ?? [extension]
}

/**
 * Adds each chunk's context and the context report to the plan. With `context-tokens` 0, or nothing to review,
 * the plan comes back as it was: today's requests, exactly.
 */
export async function gatherReviewContext(
  planned: PlannedReview,
  options: GatherContextOptions
): Promise<PlannedReview> {
  const budget = options.settings.contextTokens
  const { chunks } = planned.prepared.plan
  if (budget === 0 || chunks.length === 0) return planned
  const gathered = await gatherChunks(planned, options)
  const enriched = chunks.map((chunk, index): Chunk => ({
    ...chunk,
    context: gathered.contexts[index] as ChunkContext
  }))
  const report = buildReport({ planned, options, chunks: enriched, gathered })
  logReport(report, options.logger)
  return {
    ...planned,
    prepared: { ...planned.prepared, plan: { ...planned.prepared.plan, chunks: enriched } },
    context: report
  }
}

interface Gathered {
  readonly contexts: ChunkContext[]
  readonly omissions: ContextOmission[]
  readonly shortened: number
  readonly crossFile: CrossFileContext
}

const EMPTY_CONTEXT: ChunkContext = Object.freeze({ text: '', tokens: 0, blocks: Object.freeze([]) })

async function gatherChunks(planned: PlannedReview, options: GatherContextOptions): Promise<Gathered> {
  const { chunks } = planned.prepared.plan
  const { source } = options.files
  const noCrossFile = options.files.noCrossFile ?? {
    reason: 'no file source could be opened',
    howToEnable: 'review from a git repository'
  }
  const none = (crossFile: CrossFileContext): Gathered => ({
    contexts: chunks.map(() => EMPTY_CONTEXT),
    omissions: [],
    shortened: 0,
    crossFile
  })
  if (source === undefined) return none({ available: false, ...noCrossFile })
  const canSearch = options.files.noCrossFile === undefined && hasSearch(source)
  const crossFileOff: CrossFileContext | undefined = canSearch
    ? undefined
    : {
        available: false,
        ...(options.files.noCrossFile ?? {
          reason: 'the file source cannot search the repository',
          howToEnable: 'review from a checkout of the head'
        })
      }

  const omissions: ContextOmission[] = []
  const texts = await readChangedFiles({ chunks, source, omissions, logger: options.logger })
  const index = options.index ?? (await loadIndexFor([...texts.keys()], options.logger))
  const pieces = findChunkPieces({ chunks, texts, index, omissions })

  let definitions = new Map<string, DefinitionHit | undefined>()
  let crossFile: CrossFileContext = crossFileOff ?? { available: true, names: 0, found: 0 }
  if (canSearch) {
    const looked = await lookUpDefinitions({ planned, pieces, source, index, logger: options.logger })
    definitions = looked.hits
    crossFile = { available: true, names: looked.names, found: looked.found }
  }

  const lines = new Map<string, ContextFileLines>()
  const linesOf = (path: string, text: string): ContextFileLines => {
    let prepared = lines.get(path)
    if (prepared === undefined) lines.set(path, (prepared = prepareContextFile(path, text)))
    return prepared
  }
  let shortened = 0
  const contexts = chunks.map((chunk, position) => {
    const packed = packChunk({
      chunk,
      pieces: pieces[position] ?? [],
      definitions,
      texts,
      budget: options.settings.contextTokens,
      linesOf
    })
    shortened += packed.shortened.length
    for (const item of packed.omitted)
      omissions.push({ reason: 'over-budget', path: item.path, what: item.label, chunk: chunk.id })
    return packed.context
  })
  return { contexts, omissions, shortened, crossFile }
}

function hasSearch(source: FileSource): boolean {
  return source.searchDefinitions !== undefined || source.findDefinitionFiles !== undefined
}

/** Reads every reviewed (not deleted) file of the chunks at the head, once; what cannot be read is recorded. */
async function readChangedFiles(request: {
  readonly chunks: readonly Chunk[]
  readonly source: FileSource
  readonly omissions: ContextOmission[]
  readonly logger: GatherContextOptions['logger']
}): Promise<Map<string, string>> {
  const paths = [
    ...new Set(
      request.chunks.flatMap((chunk) =>
        chunk.pieces.filter((piece) => piece.status !== 'deleted').map((piece) => piece.path)
      )
    )
  ]
  let reads: Map<string, FileRead>
  try {
    reads = await request.source.read(paths)
  } catch (error: unknown) {
    request.logger.warning(`Context: the changed files could not be read (${getErrorMessage(error)}); no context.`)
    for (const path of paths) request.omissions.push({ reason: 'unreadable', path, what: 'the file' })
    return new Map()
  }
  const texts = new Map<string, string>()
  for (const path of paths) {
    const read = reads.get(path) ?? { skipped: 'missing' as const }
    if (!isSkipped(read)) texts.set(path, read)
    else {
      request.omissions.push({
        reason: read.skipped,
        path,
        what: 'the file',
        ...(read.detail === undefined ? {} : { detail: read.detail })
      })
    }
  }
  return texts
}

/** The grammars of the languages present (each loaded once per process); the fallback alone if they fail. */
async function loadIndexFor(paths: readonly string[], logger: GatherContextOptions['logger']): Promise<CodeIndex> {
  const languages = [
    ...new Set(paths.map(languageOfPath).filter((language): language is LanguageId => language !== undefined))
  ]
  try {
    return await loadCodeIndex({ languages, log: logger.debug })
  } catch (error: unknown) {
    logger.warning(`Context: the parsers could not be loaded (${getErrorMessage(error)}); using the plain reader.`)
    return loadCodeIndex({ languages: [] })
  }
}

/** One piece of a chunk with its file's text and what it asks for. */
interface FoundPiece {
  readonly piece: ChunkPiece
  readonly found: PieceContext
}

/** Per chunk, the context each of its pieces asks for; a file whose text does not match the diff is left out. */
function findChunkPieces(request: {
  readonly chunks: readonly Chunk[]
  readonly texts: Map<string, string>
  readonly index: CodeIndex
  readonly omissions: ContextOmission[]
}): FoundPiece[][] {
  const { texts } = request
  const mismatched = new Set<string>()
  return request.chunks.map((chunk) =>
    chunk.pieces.flatMap((piece) => {
      const text = texts.get(piece.path)
      if (text === undefined || mismatched.has(piece.path)) return []
      if (!matchesDiff(piece, text)) {
        mismatched.add(piece.path)
        texts.delete(piece.path)
        request.omissions.push({ reason: 'mismatch', path: piece.path, what: 'the file' })
        return []
      }
      return [{ piece, found: findPieceContext({ piece, file: { path: piece.path, text }, index: request.index }) }]
    })
  )
}

/**
 * True when every line the piece shows (context and added) has the same text at the same number in `text`:
 * the file read really is the diff's new side, so context line numbers can be trusted.
 */
export function matchesDiff(piece: ChunkPiece, text: string): boolean {
  const lines = text.split('\n')
  const strip = (line: string): string => (line.endsWith('\r') ? line.slice(0, -1) : line)
  for (const hunk of piece.hunks) {
    for (const line of hunk.lines) {
      if (line.kind === 'del' || line.newNumber === undefined) continue
      const actual = lines[line.newNumber - 1]
      if (actual === undefined || strip(actual) !== strip(line.content)) return false
    }
  }
  return true
}

/** A definition found in another file. */
interface DefinitionHit {
  readonly path: string
  readonly text: string
  readonly start: number
  readonly end: number
}

/** Looks up, in one search, the names every chunk uses, and confirms each candidate by parsing it. */
async function lookUpDefinitions(request: {
  readonly planned: PlannedReview
  readonly pieces: readonly FoundPiece[][]
  readonly source: FileSource
  readonly index: CodeIndex
  readonly logger: GatherContextOptions['logger']
}): Promise<{ hits: Map<string, DefinitionHit | undefined>; names: number; found: number }> {
  const { source, index } = request
  // Every path the change touches (renames' old paths too): their head content is the diff's business.
  const exclude = new Set(
    request.planned.prepared.files.flatMap((file) =>
      file.previousPath === undefined ? [file.path] : [file.path, file.previousPath]
    )
  )
  const wanted = new Map<string, Set<string>>()
  for (const chunkPieces of request.pieces) {
    for (const name of chunkNames(chunkPieces)) {
      const families = wanted.get(name.name) ?? new Set<string>()
      families.add(name.near)
      wanted.set(name.name, families)
    }
  }
  const extensions = [
    ...new Set([...wanted.values()].flatMap((nears) => [...nears].flatMap((near) => extensionFamily(near))))
  ]
  const names = [...wanted.keys()]
  let candidates: Map<string, string[]>
  try {
    candidates = await searchAll(source, names, { exclude, perName: CANDIDATES_PER_NAME, extensions })
  } catch (error: unknown) {
    request.logger.warning(`Context: the definition search failed (${getErrorMessage(error)}).`)
    candidates = new Map()
  }
  // Per (name, referencing file): its nearest candidates in the same language family.
  const picks = new Map<string, string[]>()
  for (const [name, nears] of wanted) {
    for (const near of nears) {
      const family = extensionFamily(near)
      const inFamily = (candidates.get(name) ?? []).filter((path) => family.includes(extensionOf(path)))
      picks.set(pickKey(name, near), rankByProximity(inFamily, near).slice(0, FILES_PER_NAME))
    }
  }
  const toRead = [...new Set([...picks.values()].flat())].slice(0, MAX_DEFINITION_FILES)
  const texts = new Map<string, string>()
  if (toRead.length > 0) {
    try {
      for (const [path, read] of await source.read(toRead)) if (!isSkipped(read)) texts.set(path, read)
    } catch (error: unknown) {
      request.logger.warning(`Context: files with definitions could not be read (${getErrorMessage(error)}).`)
    }
  }
  const hits = new Map<string, DefinitionHit | undefined>()
  for (const [key, paths] of picks) {
    const name = key.slice(0, key.indexOf('\0'))
    let hit: DefinitionHit | undefined
    for (const path of paths) {
      const text = texts.get(path)
      const range = text === undefined ? undefined : index.findDefinition({ path, text }, name)
      if (text !== undefined && range !== undefined) {
        hit = { path, text, start: range.start, end: range.end }
        break
      }
    }
    hits.set(key, hit)
  }
  const foundNames = new Set(
    [...hits].flatMap(([key, hit]) => (hit === undefined ? [] : [key.slice(0, key.indexOf('\0'))]))
  )
  return { hits, names: wanted.size, found: foundNames.size }
}

function pickKey(name: string, near: string): string {
  return `${name}\0${near}`
}

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1)
  const dot = name.lastIndexOf('.')
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase()
}

/** The names a chunk looks up, with the file that uses each (the first that does), at most MAX_NAMES_PER_CHUNK. */
function chunkNames(pieces: readonly FoundPiece[]): { name: string; near: string }[] {
  const result: { name: string; near: string }[] = []
  const seen = new Set<string>()
  const longest = Math.max(0, ...pieces.map((entry) => entry.found.names.length))
  // Round-robin over the chunk's files, so each file's first names are looked up before any file's tenth.
  for (let position = 0; position < longest && result.length < MAX_NAMES_PER_CHUNK; position += 1) {
    for (const entry of pieces) {
      const name = entry.found.names[position]
      if (name === undefined || seen.has(name) || extensionFamily(entry.piece.path).length === 0) continue
      seen.add(name)
      result.push({ name, near: entry.piece.path })
      if (result.length >= MAX_NAMES_PER_CHUNK) break
    }
  }
  return result
}

/** One batched search when the source has it, else one search per name. */
async function searchAll(
  source: FileSource,
  names: readonly string[],
  options: { exclude: ReadonlySet<string>; perName: number; extensions: readonly string[] }
): Promise<Map<string, string[]>> {
  if (names.length === 0) return new Map()
  if (source.searchDefinitions !== undefined) return source.searchDefinitions(names, options)
  const found = new Map<string, string[]>()
  for (const name of names) {
    const paths = await source.findDefinitionFiles?.(name, {
      exclude: options.exclude,
      limit: options.perName,
      extensions: options.extensions
    })
    if (paths !== undefined && paths.length > 0) found.set(name, paths)
  }
  return found
}

/** Builds the items of one chunk and packs them into the budget. */
function packChunk(request: {
  readonly chunk: Chunk
  readonly pieces: readonly FoundPiece[]
  readonly definitions: ReadonlyMap<string, DefinitionHit | undefined>
  readonly texts: ReadonlyMap<string, string>
  readonly budget: number
  readonly linesOf: (path: string, text: string) => ContextFileLines
}): ReturnType<typeof packContext> {
  const files = new Map<string, ContextFileLines>()
  const shown = new Map<string, ReadonlySet<number>>()
  const scopes: ContextItem[] = []
  const declarations: ContextItem[] = []
  const definitions: ContextItem[] = []
  const wholeFiles: string[] = []
  const order: string[] = []
  for (const { piece, found } of request.pieces) {
    const text = request.texts.get(piece.path)
    if (text === undefined) continue
    const lines = request.linesOf(piece.path, text)
    files.set(piece.path, lines)
    shown.set(piece.path, found.shown)
    order.push(piece.path)
    scopes.push(...found.scopes)
    declarations.push(...found.declarations)
    if (lines.lineCount <= WHOLE_FILE_MAX_LINES) wholeFiles.push(piece.path)
  }
  const added = new Set<string>()
  for (const { name, near } of chunkNames(request.pieces)) {
    const hit = request.definitions.get(pickKey(name, near))
    if (hit === undefined) continue
    const key = `${hit.path}:${hit.start}-${hit.end}`
    if (added.has(key)) continue
    added.add(key)
    if (!files.has(hit.path)) files.set(hit.path, request.linesOf(hit.path, hit.text))
    if (!order.includes(hit.path)) order.push(hit.path)
    definitions.push({
      path: hit.path,
      kind: 'definition',
      label: `definition of ${name}`,
      range: { start: hit.start, end: hit.end },
      focus: []
    })
  }
  return packContext({ budget: request.budget, files, shown, scopes, declarations, definitions, wholeFiles, order })
}

function buildReport(request: {
  readonly planned: PlannedReview
  readonly options: GatherContextOptions
  readonly chunks: readonly Chunk[]
  readonly gathered: Gathered
}): ContextReport {
  const { options, chunks, gathered } = request
  const omittedByReason: Partial<Record<ContextOmissionReason, number>> = {}
  for (const omission of gathered.omissions)
    omittedByReason[omission.reason] = (omittedByReason[omission.reason] ?? 0) + 1
  const apiCalls = options.files.apiCalls?.()
  return {
    budget: options.settings.contextTokens,
    sourceKind: options.files.kind,
    source: options.files.description,
    ...(apiCalls === undefined ? {} : { apiCalls }),
    crossFile: gathered.crossFile,
    chunks: chunks.map((chunk) => ({
      id: chunk.id,
      diffTokens: chunk.tokens,
      contextTokens: chunk.context?.tokens ?? 0,
      blocks: chunk.context?.blocks.length ?? 0
    })),
    totalTokens: chunks.reduce((sum, chunk) => sum + (chunk.context?.tokens ?? 0), 0),
    shortened: gathered.shortened,
    omitted: gathered.omissions.slice(0, MAX_LISTED_OMISSIONS),
    omittedByReason
  }
}

function logReport(report: ContextReport, logger: GatherContextOptions['logger']): void {
  const blocks = report.chunks.reduce((sum, chunk) => sum + chunk.blocks, 0)
  const calls = report.apiCalls === undefined ? '' : ` in ${report.apiCalls} GraphQL call(s)`
  logger.info(
    `Context: ${blocks} block(s), ${report.totalTokens} tokens over ${report.chunks.length} chunk(s) ` +
      `(at most ${report.budget} per request); files from ${report.source}${calls}.`
  )
  if (report.crossFile.available) {
    logger.info(
      `Context: definitions in other files found for ${report.crossFile.found} of ${report.crossFile.names} name(s).`
    )
  } else {
    logger.info(`Context: no definitions from other files (${report.crossFile.reason}).`)
  }
  const left = Object.entries(report.omittedByReason)
  if (left.length > 0)
    logger.info(`Context left out: ${left.map(([reason, count]) => `${count} ${reason}`).join(', ')}.`)
}
