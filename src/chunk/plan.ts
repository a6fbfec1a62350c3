/**
 * Plans the review requests: packs the files into chunks of at most `maxChunkTokens` o200k tokens.
 *
 * Greedy, in file order: a file joins the current chunk when it fits, else starts a new chunk when it fits in
 * an empty one, else is split at hunk edges, and a hunk too big for an empty chunk at line edges. Every line
 * is rendered and tokenized once up front; packing only adds numbers, and a chunk's count is the sum of its
 * units' counts (exact, see render-piece.ts). Headers whose final text is only known after packing (part
 * numbers, slice line ranges) are budgeted with an upper bound: their shape is fixed and only the digits
 * vary, every 1–3 digit string is one o200k token and digits never merge with their neighbours, so a header
 * with each number replaced by a larger one has at least as many tokens.
 */
import type { Chunk, ChunkPiece, ChunkPlan, DiffFile, DiffHunk } from '../types.js'
import {
  FILE_CLOSE,
  type LineUnit,
  type PreparedFile,
  type PreparedHunk,
  countSliceHeaderReserve,
  prepareFile,
  renderFileOpen,
  renderSliceHeader,
  truncateLineUnit
} from './render-piece.js'
import { countTokens } from './tokens.js'

/**
 * Smallest budget accepted. Worst case of one piece: a file line capped at FILE_HEADER_TOKEN_CAP (112) plus
 * its part attribute (≤ 10), `</file>` (3), a hunk header with a capped section (≤ 64) and a truncated line
 * (≤ 25): about 215, so every line can always be shown.
 */
export const MIN_MAX_CHUNK_TOKENS = 256

/** Packing limits. */
export interface PlanOptions {
  /** Upper bound on each chunk's `tokens`; an integer ≥ MIN_MAX_CHUNK_TOKENS. */
  readonly maxChunkTokens: number
}

interface DraftSlice {
  readonly prepared: PreparedHunk
  readonly units: LineUnit[]
  /** Old/new line numbers just before the slice, for the header of a slice with no line on that side. */
  readonly oldBefore: number
  readonly newBefore: number
}

type DraftHunk = { readonly whole: PreparedHunk } | { readonly slice: DraftSlice }

interface DraftPiece {
  readonly file: PreparedFile
  readonly hunks: DraftHunk[]
  part: number
  parts: number
}

interface DraftChunk {
  readonly pieces: DraftPiece[]
  used: number
}

interface PackState {
  readonly budget: number
  readonly closeTokens: number
  readonly done: DraftChunk[]
  current: DraftChunk
}

/** Packs `files` into chunks, in order; every line of every hunk lands in exactly one chunk. */
export function planChunks(files: readonly DiffFile[], options: PlanOptions): ChunkPlan {
  const budget = options.maxChunkTokens
  if (!Number.isInteger(budget) || budget < MIN_MAX_CHUNK_TOKENS) {
    throw new RangeError(`maxChunkTokens must be an integer ≥ ${MIN_MAX_CHUNK_TOKENS}, got ${budget}`)
  }
  const closeTokens = countTokens(FILE_CLOSE)
  const state: PackState = { budget, closeTokens, done: [], current: { pieces: [], used: 0 } }
  for (const file of files) {
    const prepared = prepareFile(file, closeTokens)
    if (prepared.tokens > budget) {
      packSplitFile(state, prepared)
      continue
    }
    if (prepared.tokens > budget - state.current.used) flush(state)
    const hunks = prepared.hunks.map((whole) => ({ whole }))
    state.current.pieces.push({ file: prepared, hunks, part: 1, parts: 1 })
    state.current.used += prepared.tokens
  }
  flush(state)
  const chunks = state.done.map((draft, index) => finishChunk(draft, index + 1, closeTokens))
  return { chunks, totalTokens: chunks.reduce((sum, chunk) => sum + chunk.tokens, 0) }
}

function flush(state: PackState): void {
  if (state.current.pieces.length === 0) return
  state.done.push(state.current)
  state.current = { pieces: [], used: 0 }
}

/** This file's pieces so far and the per-piece cost of its opening line (with a worst-case part) and `</file>`. */
interface SplitState {
  readonly pack: PackState
  readonly file: PreparedFile
  readonly pieces: DraftPiece[]
  readonly overhead: number
}

/** Splits a file too big for any chunk into pieces, each repeating the file's opening line. */
function packSplitFile(pack: PackState, file: PreparedFile): void {
  // Part numbers are unknown until the end; no file has more parts than hunks plus lines.
  const maxParts = file.hunks.reduce((sum, hunk) => sum + hunk.lines.length + 1, 0)
  const reserve = countTokens(renderFileOpen({ ...file.view, part: maxParts, parts: maxParts }))
  const split: SplitState = { pack, file, pieces: [], overhead: reserve + pack.closeTokens }
  for (const hunk of file.hunks) {
    if (split.overhead + hunk.tokens <= pack.budget) takeRoom(split, hunk.tokens).hunks.push({ whole: hunk })
    else packHunkLines(split, hunk)
  }
  split.pieces.forEach((piece, index) => {
    piece.part = index + 1
    piece.parts = split.pieces.length
  })
}

/** Books `needed` tokens in the file's piece of the current chunk, opening a piece (or a chunk) when needed. */
function takeRoom(split: SplitState, needed: number): DraftPiece {
  const { pack } = split
  const last = split.pieces.at(-1)
  const free = pack.budget - pack.current.used
  if (last !== undefined && pack.current.pieces.at(-1) === last && free >= needed) {
    pack.current.used += needed
    return last
  }
  if (free < split.overhead + needed) flush(pack)
  const piece: DraftPiece = { file: split.file, hunks: [], part: 0, parts: 0 }
  split.pieces.push(piece)
  pack.current.pieces.push(piece)
  pack.current.used += split.overhead + needed
  return piece
}

/** Packs a hunk too big for an empty chunk into slices, each with its own `@@` line. */
function packHunkLines(split: SplitState, hunk: PreparedHunk): void {
  const { pack } = split
  const headerReserve = countSliceHeaderReserve(hunk)
  const lineLimit = pack.budget - split.overhead - headerReserve
  let slice: DraftSlice | undefined
  let oldBefore = hunk.oldBase
  let newBefore = hunk.newBase
  for (const original of hunk.lines) {
    const unit = original.tokens > lineLimit ? truncateLineUnit(original, lineLimit) : original
    const piece = split.pieces.at(-1)
    const fits = pack.budget - pack.current.used >= unit.tokens
    if (slice !== undefined && piece !== undefined && isLastOf(piece, slice, pack.current) && fits) {
      slice.units.push(unit)
      pack.current.used += unit.tokens
    } else {
      slice = { prepared: hunk, units: [unit], oldBefore, newBefore }
      takeRoom(split, headerReserve + unit.tokens).hunks.push({ slice })
    }
    oldBefore = original.line.oldNumber ?? oldBefore
    newBefore = original.line.newNumber ?? newBefore
  }
}

/** True when `slice` is the last hunk of `piece` and `piece` the last piece of `chunk`. */
function isLastOf(piece: DraftPiece, slice: DraftSlice, chunk: DraftChunk): boolean {
  const lastHunk = piece.hunks.at(-1)
  return chunk.pieces.at(-1) === piece && lastHunk !== undefined && 'slice' in lastHunk && lastHunk.slice === slice
}

/** Renders the chunk's text (joined once) and sums its exact unit counts. */
function finishChunk(draft: DraftChunk, id: number, closeTokens: number): Chunk {
  const texts: string[] = []
  let tokens = 0
  let changedLines = 0
  const pieces: ChunkPiece[] = draft.pieces.map((piece) => {
    const { file } = piece
    const open = piece.parts === 1 ? file.open : renderFileOpen({ ...file.view, part: piece.part, parts: piece.parts })
    texts.push(open)
    tokens += piece.parts === 1 ? file.openTokens : countTokens(open)
    const hunks = piece.hunks.map((draftHunk): DiffHunk => {
      const { hunk, headerText, headerTokens, units } = finishHunk(draftHunk)
      texts.push(headerText)
      tokens += headerTokens
      for (const unit of units) {
        texts.push(unit.text)
        tokens += unit.tokens
        if (unit.line.kind !== 'context') changedLines += 1
      }
      return hunk
    })
    texts.push(FILE_CLOSE)
    tokens += closeTokens
    const { path, previousPath, status } = file.file
    const previous = previousPath === undefined ? {} : { previousPath }
    return { path, ...previous, status, hunks, part: piece.part, parts: piece.parts }
  })
  return { id, pieces, text: texts.join(''), tokens, changedLines }
}

interface FinishedHunk {
  readonly hunk: DiffHunk
  readonly headerText: string
  readonly headerTokens: number
  readonly units: readonly LineUnit[]
}

function finishHunk(draft: DraftHunk): FinishedHunk {
  if ('whole' in draft) {
    const { hunk, headerText, headerTokens, lines } = draft.whole
    return { hunk, headerText, headerTokens, units: lines }
  }
  const { prepared, units, oldBefore, newBefore } = draft.slice
  const lines = units.map((unit) => unit.line)
  const oldLines = lines.filter((line) => line.kind !== 'add')
  const newLines = lines.filter((line) => line.kind !== 'del')
  const view = {
    oldStart: oldLines.length === 0 ? oldBefore : (oldLines[0]?.oldNumber ?? oldBefore + 1),
    oldLines: oldLines.length,
    newStart: newLines.length === 0 ? newBefore : (newLines[0]?.newNumber ?? newBefore + 1),
    newLines: newLines.length
  }
  const headerText = renderSliceHeader(prepared, view)
  const hunk: DiffHunk = { header: headerText.slice(0, -1), ...view, lines }
  return { hunk, headerText, headerTokens: countTokens(headerText), units }
}
