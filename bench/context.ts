/**
 * The context stage on real npm-pair changes with planted pairs (plant.ts): how often the unchanged line a finding
 * needs reaches the request that holds the added line, with a checkout (definitions in other files searched) and
 * without (files read, no search: what the action does through the API); what it adds to the input; what it costs
 * in time and memory. Also what the parser costs: the bundle's extra bytes and its start-up in a fresh process.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { brotliCompressSync, constants } from 'node:zlib'
import { countTokens } from '../src/chunk/tokens.js'
import { parseUnifiedDiff } from '../src/diff/parse.js'
import { DEFAULTS, LIMITS } from '../src/config/review-settings.js'
import { loadCodeIndex } from '../src/context/code-index.js'
import type { FileSource } from '../src/context/file-source.js'
import { GRAMMAR_WASM, RUNTIME_WASM, COMPRESSED_SUFFIX, BUNDLED_GRAMMAR_DIR } from '../src/context/grammar-files.js'
import { openGitFileSource } from '../src/context/git-file-source.js'
import type { ContextOmissionReason } from '../src/engine/context-report.js'
import { measureRequestOverhead } from '../src/engine/estimate.js'
import { gatherReviewContext, type ContextFiles } from '../src/engine/gather-context.js'
import type { Logger } from '../src/engine/logger.js'
import { planReview, type PlannedReview } from '../src/engine/plan-review.js'
import type { Chunk } from '../src/types.js'
import { loadPackageDiff, loadPackageRepository, type PackagePair } from '../__fixtures__/real-world-diff.js'
import { plantPairs, type PlantedPair } from './plant.js'
import { countReviewableTokens } from './requests.js'
import { collectGarbage, median, timeMs } from './stats.js'

/** Warm runs of the context stage after the first (cold) one. */
export const WARM_RUNS = 3
/** Flag that makes build/bench.js load the parsers in a fresh process and print the figures as JSON. */
export const PARSER_PROBE_FLAG = '--parser-probe'
/** Brotli quality of scripts/copy-grammars.mjs: the bundle ships exactly these bytes. */
const BROTLI_QUALITY = 5

export interface ReachFigures {
  readonly sameFile: number
  readonly crossFile: number
}

export interface ContextFigures {
  readonly pair: string
  /** The real diff from the package repository is byte-identical to npm-pair-diff's. */
  readonly sameDiffAsTool: boolean
  readonly planted: ReachFigures
  readonly reachedWithCheckout: ReachFigures
  readonly reachedWithoutCheckout: ReachFigures
  /** Pairs missed with a checkout that the largest budget (64,000) reaches: left out for the budget. */
  readonly missedForBudget: ReachFigures
  readonly budget: number
  readonly contextBudget: number
  readonly requests: number
  /** ceil(reviewable tokens / budget): no packing can use fewer requests. */
  readonly lowerBound: number
  /** o200k tokens of the planted diff as git prints it, over the files reviewed (skipped files are never sent). */
  readonly rawDiffTokens: number
  readonly diffTokens: number
  readonly contextTokensWithCheckout: number
  readonly contextTokensWithoutCheckout: number
  /** Every request's whole input (instructions, schema, PR text, context, diff). */
  readonly inputWithoutContext: number
  readonly inputWithCheckout: number
  readonly inputWithoutCheckout: number
  /** Chunks whose context used at least 95% of its budget. */
  readonly fullChunks: number
  readonly shortened: number
  readonly omitted: Readonly<Partial<Record<ContextOmissionReason, number>>>
  readonly crossFileNames: number
  readonly crossFileFound: number
  /** planReview (parse, filter, plan), median ms. */
  readonly planMs: number
  /** The context stage with a checkout: first run in a fresh process (grammars loaded, files read cold), warm median. */
  readonly contextColdMs: number
  readonly contextWarmMs: number
  /** Over that first run: peak RSS growth (Linux VmHWM reset just before) and the heap it holds after gc. */
  readonly contextPeakRssGrowth: number
  readonly contextHeapRetained: number
}

const silent: Logger = {
  info: () => undefined,
  debug: () => undefined,
  notice: () => undefined,
  warning: () => undefined,
  group: async (_name, work) => work()
}

/** Measures one pair. */
export async function measureContext(pair: PackagePair, label: string): Promise<ContextFigures> {
  const repository = loadPackageRepository(pair)
  const realDiff = execFileSync(
    'git',
    ['-C', repository.dir, 'diff', '-M', repository.oldCommit, repository.newCommit],
    {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024
    }
  )
  const sameDiffAsTool = realDiff === loadPackageDiff(pair.pkg, pair.oldVersion, pair.newVersion)
  const planted = plantPairs(repository.dir, repository.oldCommit, repository.newCommit)
  const budget = DEFAULTS.maxChunkTokens
  const contextBudget = DEFAULTS.contextTokens
  const input = {
    source: { kind: 'unified' as const, text: planted.diff },
    pullRequest: { title: `${pair.pkg} ${pair.newVersion}`, body: '' },
    head: planted.head,
    label
  }
  const plan = (): PlannedReview =>
    planReview(input, { settings: { include: [], exclude: [], maxChunkTokens: budget }, logger: silent })
  const planMs = median(Array.from({ length: 3 }, () => timeMs(plan)))
  const planned = plan()

  const opened = await openGitFileSource({ cwd: repository.dir, headSha: planted.head, kind: 'git' })
  if (!opened.ok) throw new Error(`${label}: ${opened.reason}`)
  const checkout: ContextFiles = { source: opened.source, kind: 'git', description: 'the package repository' }
  const readOnly: FileSource = { kind: 'api', read: (paths) => opened.source.read(paths) }
  const noCheckout: ContextFiles = {
    source: readOnly,
    kind: 'api',
    description: 'files only, no search (as through the API)',
    noCrossFile: { reason: 'no checkout', howToEnable: 'a checkout' }
  }
  const gather = (files: ContextFiles): Promise<PlannedReview> =>
    gatherReviewContext(planned, { settings: { contextTokens: contextBudget }, files, logger: silent })

  // The first run, in a fresh process: grammars loaded, files read cold, memory measured over it alone.
  const diffFile = join(tmpdir(), `codex-pr-review-bench-${process.pid}.diff`)
  writeFileSync(diffFile, planted.diff)
  const cold = measureContextInChild({ repositoryDir: repository.dir, head: planted.head, diffFile })
  rmSync(diffFile, { force: true })
  const withCheckout = await gather(checkout)
  let started: number
  const warm: number[] = []
  for (let run = 0; run < WARM_RUNS; run += 1) {
    collectGarbage()
    started = performance.now()
    await gather(checkout)
    warm.push(performance.now() - started)
  }
  const withoutCheckout = await gather(noCheckout)
  const unlimited = await gatherReviewContext(planned, {
    settings: { contextTokens: LIMITS.maxContextTokens },
    files: checkout,
    logger: silent
  })

  const chunks = withCheckout.prepared.plan.chunks
  const reach = (result: PlannedReview): ReachFigures => countReached(result.prepared.plan.chunks, planted.pairs)
  const inputOf = (result: PlannedReview, withContext: boolean): number => {
    const overhead = measureRequestOverhead(input.pullRequest, { withContext })
    const perRequest = overhead.instructionTokens + overhead.schemaTokens + overhead.wrapperTokens
    return result.prepared.plan.chunks.reduce(
      (sum, chunk) => sum + chunk.tokens + (chunk.context?.tokens ?? 0) + perRequest,
      0
    )
  }
  const report = withCheckout.context
  for (const entry of missedPairs(withCheckout.prepared.plan.chunks, planted.pairs)) {
    process.stderr.write(
      `[bench]   missed with a checkout: ${entry.kind} ${entry.path}:${entry.addedLine} needs ${entry.targetPath}:${entry.targetLine}\n`
    )
  }
  return {
    pair: label,
    sameDiffAsTool,
    planted: {
      sameFile: planted.pairs.filter((entry) => entry.kind === 'same-file').length,
      crossFile: planted.pairs.filter((entry) => entry.kind === 'cross-file').length
    },
    reachedWithCheckout: reach(withCheckout),
    reachedWithoutCheckout: reach(withoutCheckout),
    missedForBudget: subtract(reach(unlimited), reach(withCheckout)),
    budget,
    contextBudget,
    requests: chunks.length,
    lowerBound: Math.ceil(countReviewableTokens(planned.prepared.filter.reviewable) / budget),
    rawDiffTokens: countReviewedRawTokens(
      planted.diff,
      new Set(planned.prepared.filter.reviewable.map((file) => file.path))
    ),
    diffTokens: planned.prepared.plan.totalTokens,
    contextTokensWithCheckout: report?.totalTokens ?? 0,
    contextTokensWithoutCheckout: withoutCheckout.context?.totalTokens ?? 0,
    inputWithoutContext: inputOf(planned, false),
    inputWithCheckout: inputOf(withCheckout, true),
    inputWithoutCheckout: inputOf(withoutCheckout, true),
    fullChunks: chunks.filter((chunk) => (chunk.context?.tokens ?? 0) >= contextBudget * 0.95).length,
    shortened: report?.shortened ?? 0,
    omitted: report?.omittedByReason ?? {},
    crossFileNames: report?.crossFile.available === true ? report.crossFile.names : 0,
    crossFileFound: report?.crossFile.available === true ? report.crossFile.found : 0,
    planMs,
    contextColdMs: cold.coldMs,
    contextWarmMs: median(warm),
    contextPeakRssGrowth: cold.peakRssGrowth,
    contextHeapRetained: cold.heapRetained
  }
}

/** Pairs whose unchanged line is in the request holding their added line (its context, or its diff). */
export function countReached(chunks: readonly Chunk[], pairs: readonly PlantedPair[]): ReachFigures {
  const missed = new Set(missedPairs(chunks, pairs))
  const reached = pairs.filter((entry) => !missed.has(entry))
  return {
    sameFile: reached.filter((entry) => entry.kind === 'same-file').length,
    crossFile: reached.filter((entry) => entry.kind === 'cross-file').length
  }
}

/** Pairs whose unchanged line is not in the request holding their added line. */
export function missedPairs(chunks: readonly Chunk[], pairs: readonly PlantedPair[]): PlantedPair[] {
  return pairs.filter((entry) => !isReached(chunks, entry))
}

function isReached(chunks: readonly Chunk[], entry: PlantedPair): boolean {
  const chunk = chunks.find((candidate) =>
    candidate.pieces.some(
      (piece) =>
        piece.path === entry.path &&
        piece.hunks.some((hunk) => hunk.lines.some((line) => line.kind === 'add' && line.newNumber === entry.addedLine))
    )
  )
  if (chunk === undefined) return false
  const inDiff = chunk.pieces.some(
    (piece) =>
      piece.path === entry.targetPath &&
      piece.hunks.some((hunk) => hunk.lines.some((line) => line.kind !== 'del' && line.newNumber === entry.targetLine))
  )
  const inContext = (chunk.context?.blocks ?? []).some(
    (block) => block.path === entry.targetPath && block.start <= entry.targetLine && block.end >= entry.targetLine
  )
  return inDiff || inContext
}

/** Flag that makes build/bench.js run the context stage once in a fresh process and print its figures as JSON. */
export const CONTEXT_PROBE_FLAG = '--context-probe'

/** The context stage's first run in a fresh process: its time, peak RSS growth and the heap it holds after gc. */
export interface ContextProbeFigures {
  readonly coldMs: number
  readonly peakRssGrowth: number
  readonly heapRetained: number
}

/** In the child: plans the diff, then runs the context stage once with a checkout, measured alone. */
export async function probeContext(
  repositoryDir: string,
  head: string,
  diffFile: string
): Promise<ContextProbeFigures> {
  const diff = readFileSync(diffFile, 'utf8')
  const planned = planReview(
    { source: { kind: 'unified', text: diff }, pullRequest: { title: 'probe', body: '' }, head, label: 'probe' },
    { settings: { include: [], exclude: [], maxChunkTokens: DEFAULTS.maxChunkTokens }, logger: silent }
  )
  const opened = await openGitFileSource({ cwd: repositoryDir, headSha: head, kind: 'git' })
  if (!opened.ok) throw new Error(opened.reason)
  collectGarbage()
  const heapBefore = process.memoryUsage().heapUsed
  const since = resetPeakRss()
  const rssBefore = process.memoryUsage().rss
  const started = performance.now()
  const result = await gatherReviewContext(planned, {
    settings: { contextTokens: DEFAULTS.contextTokens },
    files: { source: opened.source, kind: 'git', description: 'probe' },
    logger: silent
  })
  const coldMs = performance.now() - started
  const peakRssGrowth = Math.max(0, readPeakRss(since) - rssBefore)
  collectGarbage()
  // With the contexts alive: what they, the parsed outlines the index caches, and the file texts hold.
  const heapRetained = Math.max(0, process.memoryUsage().heapUsed - heapBefore)
  if (result.prepared.plan.chunks.length < 0) throw new Error('unreachable: keeps the result alive until here')
  return { coldMs, peakRssGrowth, heapRetained }
}

function measureContextInChild(options: {
  readonly repositoryDir: string
  readonly head: string
  readonly diffFile: string
}): ContextProbeFigures {
  const output = execFileSync(
    process.execPath,
    [
      '--expose-gc',
      process.argv[1] ?? 'build/bench.js',
      CONTEXT_PROBE_FLAG,
      options.repositoryDir,
      options.head,
      options.diffFile
    ],
    { encoding: 'utf8', maxBuffer: 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] }
  )
  return JSON.parse(output) as ContextProbeFigures
}

/** Tokens of the raw diff's sections of the reviewed files. */
export function countReviewedRawTokens(diff: string, reviewed: ReadonlySet<string>): number {
  const sections = diff.split(/^(?=diff --git )/m)
  return sections
    .filter((section) => {
      const path = parseUnifiedDiff(section)[0]?.path
      return path !== undefined && reviewed.has(path)
    })
    .reduce((sum, section) => sum + countTokens(section), 0)
}

function subtract(a: ReachFigures, b: ReachFigures): ReachFigures {
  return { sameFile: Math.max(0, a.sameFile - b.sameFile), crossFile: Math.max(0, a.crossFile - b.crossFile) }
}

function resetPeakRss(): 'reset' | 'start' {
  try {
    writeFileSync('/proc/self/clear_refs', '5')
    return 'reset'
  } catch {
    return 'start'
  }
}

function readPeakRss(since: 'reset' | 'start'): number {
  if (since === 'reset') {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (match?.[1] !== undefined) return Number(match[1]) * 1024
  }
  return process.resourceUsage().maxRSS * 1024
}

/** The runtime and grammar .wasm files: raw, and as the bundle ships them (brotli), and the runtime's JavaScript. */
export interface ParserSizeFigures {
  readonly files: readonly { readonly name: string; readonly rawBytes: number; readonly shippedBytes: number }[]
  /** web-tree-sitter's JavaScript, which the bundles inline. */
  readonly runtimeJsBytes: number
}

/**
 * Sizes of what the parser adds to the action, and writes the compressed files to build/grammars, where the
 * benchmark bundle (build/bench.js) loads them from, as dist/index.js loads dist/grammars.
 */
export function measureParserSize(outDir: string): ParserSizeFigures {
  const require = createRequire(import.meta.url)
  mkdirSync(join(outDir, BUNDLED_GRAMMAR_DIR), { recursive: true })
  const files = [RUNTIME_WASM, ...Object.values(GRAMMAR_WASM)].map((file) => {
    const bytes = readFileSync(require.resolve(`${file.packageName}/${file.packagePath}`))
    const shipped = brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length }
    })
    writeFileSync(join(outDir, BUNDLED_GRAMMAR_DIR, file.fileName + COMPRESSED_SUFFIX), shipped)
    return { name: file.fileName, rawBytes: bytes.length, shippedBytes: shipped.length }
  })
  const runtimeJs = join(dirname(require.resolve('web-tree-sitter/web-tree-sitter.wasm')), 'web-tree-sitter.js')
  return { files, runtimeJsBytes: statSync(runtimeJs).size }
}

/** Start-up of the parsers in a fresh process. */
export interface ParserStartupFigures {
  /** The runtime and the JavaScript grammar loaded. */
  readonly javascriptMs: number
  /** Then every other grammar. */
  readonly allMs: number
  /** Peak RSS growth over the probe (Linux VmHWM reset before it). */
  readonly rssGrowth: number
  /** The first file parsed (600 lines), outline built: the WebAssembly's first run. */
  readonly firstParseMs: number
}

/** In the child: loads the parsers as the context stage does and times it. */
export async function probeParserStartup(): Promise<ParserStartupFigures> {
  collectGarbage()
  const since = resetPeakRss()
  const rssBefore = process.memoryUsage().rss
  let started = performance.now()
  const index = await loadCodeIndex({ languages: ['javascript'] })
  const javascriptMs = performance.now() - started
  started = performance.now()
  const text = Array.from({ length: 200 }, (_, line) => `function f${line} (a) {\n  return a + ${line}\n}`).join('\n')
  index.enclosingScopes({ path: 'probe.js', text }, [10])
  const firstParseMs = performance.now() - started
  started = performance.now()
  await loadCodeIndex()
  const allMs = performance.now() - started
  return { javascriptMs, allMs, rssGrowth: Math.max(0, readPeakRss(since) - rssBefore), firstParseMs }
}

/** In the parent: the probe in a fresh `node --expose-gc` process. */
export function measureParserStartupInChild(): ParserStartupFigures {
  const output = execFileSync(
    process.execPath,
    ['--expose-gc', process.argv[1] ?? 'build/bench.js', PARSER_PROBE_FLAG],
    {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit']
    }
  )
  return JSON.parse(output) as ParserStartupFigures
}
