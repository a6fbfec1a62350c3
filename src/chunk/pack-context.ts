/**
 * Packs one chunk's context into its budget (`context-tokens`): the chunk's diff is fixed before this runs, so
 * context never moves or drops a changed line, and the number of requests is the diff's alone. Pure.
 *
 * What goes in, most useful first, each trimmed rather than dropped when it is long:
 * 1. the enclosing scope of every hunk (function, method, class or top-level statement), each first cut to a
 *    fair share of {@link SCOPE_SHARE} of the budget: its first line and windows around the changed lines;
 * 2. the same-file declarations the added lines use, smallest first, up to {@link DECLARATION_SHARE};
 * 3. definitions from other files of names the added lines call or read, each a fair share of what is left;
 * then, with whatever room remains: declarations and definitions that were cut or left out, the scopes again with
 * an equal share of what is left, small changed files shown whole, and scopes widened to their whole length. Lines the diff already shows are never repeated, and
 * lines wanted by several items (or several hunks) are sent once: blocks are the union of what was placed,
 * cut into contiguous runs. Every count is exact (see context-render.ts), and the sum never passes the budget.
 */
import { lineCount, trimScope, type LineRange } from '../context/line-range.js'
import type { ChunkContext, ContextBlock, ContextKind } from '../types.js'
import { CONTEXT_CLOSE, renderContextOpen, toRuns, type ContextFileLines } from './context-render.js'
import { countTokens } from './tokens.js'

/** Share of the budget the first cut of the enclosing scopes may take, so declarations and definitions fit too. */
export const SCOPE_SHARE = 0.4
/** Share of the budget scopes and same-file declarations may take before other files' definitions get room. */
export const DECLARATION_SHARE = 0.7

/** One thing worth showing: a range of lines of one file, and which of them matter most when it must be cut. */
export interface ContextItem {
  readonly path: string
  readonly kind: ContextKind
  /** What it is, for the report: "enclosing scope of lines 12–20", "declaration of apiSecret". */
  readonly label: string
  readonly range: LineRange
  /** Lines to keep when it is cut (a hunk's changed lines); none keeps its first lines. */
  readonly focus: readonly number[]
}

/** What one chunk's context is made from. */
export interface PackContextRequest {
  /** Most context tokens for this chunk; 0 sends none. */
  readonly budget: number
  /** The lines of every file an item points at. */
  readonly files: ReadonlyMap<string, ContextFileLines>
  /** Per file, the new-file lines the chunk's diff already shows: never repeated as context. */
  readonly shown: ReadonlyMap<string, ReadonlySet<number>>
  readonly scopes: readonly ContextItem[]
  readonly declarations: readonly ContextItem[]
  readonly definitions: readonly ContextItem[]
  /** Files small enough to show whole when room is left (the chunk's own files). */
  readonly wholeFiles: readonly string[]
  /** Block order: files in this order first (the chunk's files, then the definitions'), then any other. */
  readonly order: readonly string[]
}

/** The packed context and what did not fit. */
export interface PackedContext {
  readonly context: ChunkContext
  /** Items of which no line could be shown: over budget. */
  readonly omitted: readonly ContextItem[]
  /** Items shown in part: cut to fit. */
  readonly shortened: readonly ContextItem[]
}

const closeTokens = (): number => countTokens(CONTEXT_CLOSE)

/** Packs the items into at most `budget` tokens. */
export function packContext(request: PackContextRequest): PackedContext {
  const state = createState(request)
  const { budget } = request
  if (budget > 0) {
    placeShared(state, request.scopes, Math.floor(budget * SCOPE_SHARE))
    const smallestFirst = [...request.declarations].sort((a, b) => lineCount(a.range) - lineCount(b.range))
    for (const item of smallestFirst) placeLargest(state, item, Math.floor(budget * DECLARATION_SHARE))
    placeShared(state, request.definitions, budget)
    // What is left: the rest of what was cut, a fair share of it for every scope, then small files whole, then
    // scopes at full length.
    for (const item of [...smallestFirst, ...request.definitions]) placeLargest(state, item, budget)
    placeShared(state, request.scopes, budget)
    for (const path of request.wholeFiles) {
      const file = request.files.get(path)
      if (file !== undefined) tryPlace(state, path, rangeLines({ start: 1, end: file.lineCount }), budget)
    }
    for (const item of request.scopes) placeLargest(state, item, budget)
  }
  const items = [...request.scopes, ...request.declarations, ...request.definitions]
  return {
    context: renderState(state, request, items),
    omitted: items.filter((item) => coverage(state, item) === 'none'),
    shortened: items.filter((item) => coverage(state, item) === 'part')
  }
}

interface PackState {
  readonly request: PackContextRequest
  readonly close: number
  /** Lines placed per file. */
  readonly selected: Map<string, Set<number>>
  /** Tokens of each file's blocks. */
  readonly costs: Map<string, number>
  used: number
}

function createState(request: PackContextRequest): PackState {
  return { request, close: closeTokens(), selected: new Map(), costs: new Map(), used: 0 }
}

/** Each item gets an equal share of what is left under `limit`, in order, cut to fit it. */
function placeShared(state: PackState, items: readonly ContextItem[], limit: number): void {
  items.forEach((item, index) => {
    const share = Math.floor((limit - state.used) / (items.length - index))
    if (share > 0) placeLargest(state, item, state.used + share)
  })
}

/** Places the longest cut of `item` (up to all of it) that keeps the total at most `limit`. */
function placeLargest(state: PackState, item: ContextItem, limit: number): void {
  if (!state.request.files.has(item.path)) return
  const whole = lineCount(item.range)
  if (tryPlace(state, item.path, rangeLines(item.range), limit)) return
  // Longer cuts cost more (their lines are a superset, nearly always): binary search the longest that fits.
  let low = 0
  let high = whole - 1
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (costWith(state, item.path, cutLines(item, middle)) <= limit) low = middle
    else high = middle - 1
  }
  if (low > 0) tryPlace(state, item.path, cutLines(item, low), limit)
}

function cutLines(item: ContextItem, maxLines: number): number[] {
  return trimScope({ scope: item.range, lines: item.focus, maxLines }).flatMap(rangeLines)
}

/** Adds `lines` of `path` when the total stays at most `limit`; true when placed (or already there). */
function tryPlace(state: PackState, path: string, lines: readonly number[], limit: number): boolean {
  const next = withLines(state, path, lines)
  if (next === undefined) return true
  const cost = fileCost(state, path, next)
  const total = state.used - (state.costs.get(path) ?? 0) + cost
  if (total > limit) return false
  state.selected.set(path, next)
  state.costs.set(path, cost)
  state.used = total
  return true
}

/** The total if `lines` were added to `path`. */
function costWith(state: PackState, path: string, lines: readonly number[]): number {
  const next = withLines(state, path, lines)
  if (next === undefined) return state.used
  return state.used - (state.costs.get(path) ?? 0) + fileCost(state, path, next)
}

/** The file's placed lines with `lines` added (shown and out-of-file lines left out); undefined when unchanged. */
function withLines(state: PackState, path: string, lines: readonly number[]): Set<number> | undefined {
  const file = state.request.files.get(path)
  if (file === undefined) return undefined
  const shown = state.request.shown.get(path)
  const current = state.selected.get(path)
  let next: Set<number> | undefined
  for (const line of lines) {
    if (line < 1 || line > file.lineCount || shown?.has(line) === true || current?.has(line) === true) continue
    next ??= new Set(current)
    next.add(line)
  }
  return next
}

function fileCost(state: PackState, path: string, lines: ReadonlySet<number>): number {
  const file = state.request.files.get(path) as ContextFileLines
  let cost = 0
  for (const run of toRuns(lines)) {
    cost += file.openTokens(run) + state.close
    for (let line = run.start; line <= run.end; line += 1) cost += file.lineTokens(line)
  }
  return cost
}

function coverage(state: PackState, item: ContextItem): 'all' | 'part' | 'none' {
  const shown = state.request.shown.get(item.path)
  const placed = state.selected.get(item.path)
  const file = state.request.files.get(item.path)
  let wanted = 0
  let got = 0
  for (let line = item.range.start; line <= item.range.end; line += 1) {
    if (shown?.has(line) === true || (file !== undefined && line > file.lineCount)) continue
    wanted += 1
    if (placed?.has(line) === true) got += 1
  }
  if (got === wanted) return 'all'
  return got === 0 ? 'none' : 'part'
}

function renderState(state: PackState, request: PackContextRequest, items: readonly ContextItem[]): ChunkContext {
  const ordered = [...new Set([...request.order, ...state.selected.keys()])].filter((path) => state.selected.has(path))
  const texts: string[] = []
  const blocks: ContextBlock[] = []
  for (const path of ordered) {
    const file = request.files.get(path) as ContextFileLines
    const whole = isWhole(state, file)
    for (const run of toRuns(state.selected.get(path) ?? [])) {
      const open = renderContextOpen(path, run)
      let tokens = file.openTokens(run) + state.close
      texts.push(open)
      for (let line = run.start; line <= run.end; line += 1) {
        texts.push(file.lineText(line))
        tokens += file.lineTokens(line)
      }
      texts.push(CONTEXT_CLOSE)
      const kinds = new Set(
        items
          .filter((item) => item.path === path && item.range.start <= run.end && item.range.end >= run.start)
          .map((item) => item.kind)
      )
      if (whole || kinds.size === 0) kinds.add('file')
      blocks.push({ path, start: run.start, end: run.end, kinds: [...kinds], tokens })
    }
  }
  return { text: texts.join(''), tokens: state.used, blocks }
}

/** True when every line of the file is either placed or shown by the diff. */
function isWhole(state: PackState, file: ContextFileLines): boolean {
  const placed = state.selected.get(file.path)
  const shown = state.request.shown.get(file.path)
  for (let line = 1; line <= file.lineCount; line += 1) {
    if (placed?.has(line) !== true && shown?.has(line) !== true) return false
  }
  return true
}

function rangeLines(range: LineRange): number[] {
  return Array.from({ length: Math.max(0, range.end - range.start + 1) }, (_, index) => range.start + index)
}
