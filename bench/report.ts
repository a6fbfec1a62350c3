/** Renders the benchmark's figures as BENCHMARKS.md. */
import type { ConfidenceFigures } from './confidence.js'
import { BENCH_OUTPUT_TOKENS, type EscalationFigures, type GateFigures } from './escalation.js'
import {
  WARM_RUNS,
  type ContextFigures,
  type ParserSizeFigures,
  type ParserStartupFigures,
  type ReachFigures
} from './context.js'
import type { MachineInfo } from './machine.js'
import type { MemoryFigures } from './memory.js'
import type { PlanningFigures } from './planning.js'
import type { RequestFigures } from './requests.js'
import { DEFAULTS } from '../src/config/review-settings.js'
import { formatDecimal, formatInteger, formatMiB, formatPercent } from './stats.js'
import type { LatencyModel, WallTimeFigures } from './wall-time.js'

export interface PairResult {
  readonly pair: string
  /** `+`/`-` lines of the diff, file headers excluded. */
  readonly changedLines: number
  readonly planning: PlanningFigures
  readonly memory: MemoryFigures
  readonly requests: readonly RequestFigures[]
  readonly wall: readonly WallTimeFigures[]
  readonly confidence: readonly ConfidenceFigures[]
  readonly escalation: EscalationFigures
}

/** The context benchmark: planted pairs per diff, the parser's size and start-up. */
export interface ContextReport {
  readonly sizes: ParserSizeFigures
  readonly startup: ParserStartupFigures
  readonly results: readonly ContextFigures[]
}

export interface BenchReport {
  readonly context: ContextReport
  readonly machine: MachineInfo
  readonly results: readonly PairResult[]
  readonly runs: number
  readonly latency: LatencyModel
  readonly defaultBudget: number
  readonly durationSeconds: number
}

const DEFAULTS_MIN_CONFIDENCE = DEFAULTS.minConfidence
const ms = (value: number): string => formatDecimal(value, value < 10 ? 2 : 1)
const seconds = (valueMs: number): string => formatDecimal(valueMs / 1000, 2)
const ratio = (value: number): string => `${formatDecimal(value, 2)}×`
const table = (head: readonly string[], align: string, rows: readonly (readonly string[])[]): string =>
  [`| ${head.join(' | ')} |`, align, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n')

function machineSection(report: BenchReport): string {
  const { machine } = report
  return [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${machine.date}; the whole run took ${formatDecimal(report.durationSeconds, 0)} s. ` +
      'Re-run it to refresh every figure below. No test asserts any of them.',
    '',
    table(['machine', ''], '|---|---|', [
      ['CPU', machine.cpu],
      ['cores (`nproc`)', String(machine.cores)],
      ['memory', `${formatDecimal(machine.memoryGiB)} GiB`],
      ['Node', machine.node],
      ['OS', machine.platform],
      [
        'load average at start (1 min)',
        `${formatDecimal(machine.loadAverage, 2)}${machine.loadAverage > machine.cores ? ' (other work shared the CPU: times are upper bounds)' : ''}`
      ]
    ]),
    '',
    'The diffs are real: `../shared/tools/npm-pair-diff` diffs two published versions of an npm package (renames, ' +
      'binary files, deletions and all), made at run time and never committed.',
    '',
    table(
      ['diff', 'size', 'changed lines', 'files', 'reviewed', 'skipped'],
      '|---|---:|---:|---:|---:|---:|',
      report.results.map((result) => [
        result.pair,
        formatMiB(result.planning.diffBytes),
        formatInteger(result.changedLines),
        formatInteger(result.planning.changedFiles),
        formatInteger(result.planning.reviewableFiles),
        formatInteger(result.planning.skippedFiles)
      ])
    )
  ].join('\n')
}

function planningSection(report: BenchReport): string {
  const rows = report.results.map(({ pair, planning }) => [
    pair,
    formatInteger(planning.chunkTokens),
    ms(planning.prepareMs),
    ms(planning.parseMs),
    ms(planning.filterMs),
    ms(planning.planMs),
    ms(planning.floorMs),
    ratio(planning.prepareMs / planning.floorMs),
    ratio(planning.planMs / planning.floorMs)
  ])
  const memoryRows = report.results.map(({ pair, memory }) => [
    pair,
    formatMiB(memory.rssBefore),
    formatMiB(memory.peakRss),
    formatMiB(Math.max(0, memory.peakRss - memory.rssBefore)),
    formatMiB(memory.heapBefore),
    formatMiB(memory.heapAfter),
    formatMiB(memory.heapRetained)
  ])
  const tokenizerRows = report.results.map(({ pair, planning }) => [
    pair,
    formatInteger(planning.tokenizerCalls),
    formatInteger(planning.tokenizedCharacters),
    formatInteger(planning.chunkCharacters),
    ratio(planning.tokenizedCharacters / Math.max(1, planning.chunkCharacters))
  ])
  return [
    '## Planning: parse + filter + plan',
    '',
    `\`prepareReview\` (the stage the action and the CLI both run) at the default budget of ` +
      `${formatInteger(report.defaultBudget)} tokens per chunk. Times are medians of ${report.runs} runs after one ` +
      'warm-up, with a gc before each; the stage columns time `parseUnifiedDiff`, `filterFiles` and `planChunks` ' +
      'apart. The floor is ONE `countTokens` call over the text of all chunks joined: the least any planner that ' +
      'counts real o200k tokens of what it sends must spend.',
    '',
    table(
      [
        'diff',
        'chunk tokens',
        'prepare (ms)',
        'parse',
        'filter',
        'plan',
        'floor: one tokenizer pass (ms)',
        'prepare / floor',
        'plan / floor'
      ],
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
      rows
    ),
    '',
    '**Memory**, each diff planned once in a fresh `node --expose-gc` process: RSS and V8 heap before planning ' +
      '(diff text loaded, tokenizer warmed, after gc), the peak RSS while planning (Linux `VmHWM`, reset through ' +
      "`/proc/self/clear_refs` just before; elsewhere the process's lifetime peak), the heap right after planning " +
      '(before gc: a lower bound on its peak), and the heap the plan still holds after gc. The baseline is mostly ' +
      "the o200k tokenizer's tables and the bundled code.",
    '',
    table(
      ['diff', 'RSS before', 'peak RSS', 'peak − before', 'heap before', 'heap after planning', 'heap retained'],
      '|---|---:|---:|---:|---:|---:|---:|',
      memoryRows
    ),
    '',
    '**Tokenizing once.** The benchmark bundle counts every call the planner makes to `countTokens` ' +
      '(rollup.bench.config.js swaps src/chunk/tokens.ts for a tallying wrapper). Each diff line is rendered and ' +
      'tokenized once; chunk counts are sums. What is tokenized beyond the chunk text is the small headers whose ' +
      'final digits are only known after packing (budgeted with an upper bound, then counted) and repeated file ' +
      'headers of split files.',
    '',
    table(
      ['diff', 'tokenizer calls', 'characters tokenized', 'characters in chunks', 'tokenized / sent'],
      '|---|---:|---:|---:|---:|',
      tokenizerRows
    )
  ].join('\n')
}

function requestsSection(report: BenchReport): string {
  const rows = report.results.flatMap(({ pair, requests }) =>
    requests.map((figures) => [
      figures.budget === report.defaultBudget ? `**${pair}**` : pair,
      formatInteger(figures.budget),
      formatInteger(figures.requests),
      formatInteger(figures.lowerBound),
      formatInteger(figures.reviewableTokens),
      formatInteger(figures.sentTokens),
      `${formatInteger(figures.instructionTokens)} × ${formatInteger(figures.requests)}`,
      formatPercent(figures.instructionShare),
      `${formatInteger(figures.sentChangedLines)} / ${formatInteger(figures.reviewableChangedLines)}`,
      formatPercent(
        figures.reviewableChangedLines === 0 ? 1 : figures.sentChangedLines / figures.reviewableChangedLines
      ),
      figures.missingLines === 0 && figures.repeatedLines === 0
        ? 'yes'
        : `no (${figures.missingLines} missing, ${figures.repeatedLines} repeated)`
    ])
  )
  const overhead = report.results[0]?.requests[0]?.overheadPerRequest ?? 0
  return [
    '## Requests and tokens',
    '',
    'Requests made against the lower bound ceil(reviewable tokens / budget), where the reviewable tokens are every ' +
      'reviewable file rendered whole: no packing can use fewer requests. Sent tokens exceed them only by the ' +
      'file header repeated on each part of a split file. The instructions are the static text repeated in every ' +
      `request (cacheable by the provider); with the response schema and the PR text every request carries ` +
      `${formatInteger(overhead)} tokens besides its chunk. Changed lines: added and deleted lines of the reviewable ` +
      'files found in the chunks, and whether each one is in exactly one chunk. The default budget is in bold.',
    '',
    table(
      [
        'diff',
        'budget',
        'requests',
        'lower bound',
        'reviewable tokens',
        'sent tokens',
        'instructions',
        'instructions / input',
        'changed lines sent',
        'share',
        'each exactly once'
      ],
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
      rows
    )
  ].join('\n')
}

function wallSection(report: BenchReport): string {
  const rows = report.results.flatMap(({ pair, wall }) =>
    wall.map((figures) => [
      pair,
      formatInteger(figures.budget),
      formatInteger(figures.chunks),
      String(figures.concurrency),
      seconds(figures.wallMs),
      seconds(figures.idealMs),
      ratio(figures.wallMs / Math.max(1, figures.idealMs)),
      seconds(figures.boundMs),
      seconds(figures.scheduledMs),
      `${formatInteger(figures.wallMs - figures.scheduledMs)} ms`
    ])
  )
  const { latency } = report
  return [
    '## Wall time against a model with simulated latency',
    '',
    `The review stage (\`reviewAllChunks\` and \`placeFindings\`, real HTTP through undici) against the loopback ` +
      `Responses server, which answers each request after ${latency.fixedMs} ms + ${latency.perTokenMs} ms per input ` +
      'token of that request (latency scaled down from real seconds so the benchmark stays short), with findings ' +
      'that cite the chunk it was sent. Ideal = ceil(chunks / concurrency) × mean latency. Bound = max(longest ' +
      'latency, total latency / concurrency), which no schedule can beat. Scheduled = the finish time of the same ' +
      'in-order schedule the client runs (each free slot takes the next chunk) with zero overhead, simulated from ' +
      'the latencies; overhead = wall − scheduled is what HTTP, JSON, validation and placement cost. The largest ' +
      `diff is also run at a ${formatInteger(4_000)}-token budget, for enough chunks to keep 8 requests in flight.`,
    '',
    table(
      [
        'diff',
        'budget',
        'chunks',
        'concurrency',
        'wall (s)',
        'ideal (s)',
        'wall / ideal',
        'bound (s)',
        'scheduled (s)',
        'overhead'
      ],
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      rows
    )
  ].join('\n')
}

function confidenceSection(report: BenchReport): string {
  const rows = report.results.flatMap((result) =>
    result.confidence.map((figures) => [
      result.pair,
      formatInteger(figures.maxComments),
      `${formatInteger(figures.planted)} + ${formatInteger(figures.noise)}`,
      `${formatInteger(figures.inlineWithout)} (${formatInteger(figures.plantedInlineWithout)} planted)`,
      `${formatInteger(figures.inlineWith)} (${formatInteger(figures.plantedInlineWith)} planted, ${formatInteger(figures.noiseInlineWith)} noise)`,
      formatInteger(figures.lowConfidence),
      figures.plantedLost === 0 ? 'none' : `**${formatInteger(figures.plantedLost)}**`
    ])
  )
  return [
    '## Fewer, surer comments: `min-confidence`',
    '',
    'The loopback reviewer in noisy mode answers every chunk of the plan with its planted findings (one per file, ' +
      'confidence 0.9, severities high to nit in turn) plus two doubtful ones per file on real added lines ' +
      '(confidence 0.15 to 0.45, severities high to nit): the kind of noise a real model adds. The answers go ' +
      'through the real schema validation and placement, once with every finding considered and once at the default ' +
      `\`min-confidence\` of ${DEFAULTS_MIN_CONFIDENCE}. Inline = comments in the review (at most \`max-comments\`); held back = ` +
      'listed, collapsed, under "Low confidence" in the summary. Lost = planted findings neither inline nor listed.',
    '',
    table(
      [
        'diff',
        'max-comments',
        'findings (planted + noise)',
        'inline, no threshold',
        'inline at 0.5',
        'held back',
        'planted lost'
      ],
      '|---|---:|---:|---:|---:|---:|---|',
      rows
    )
  ].join('\n')
}

const usd = (value: number): string => `$${value.toFixed(4)}`

/** "+$0.0123 (+38.0%), 2 escalated" against the cost without escalation. */
function describeAdded(figures: GateFigures | undefined, off: number): string {
  if (figures === undefined) return ''
  const added = figures.usd - off
  const share = off === 0 ? 0 : added / off
  return `${usd(figures.usd)}: +${usd(added)} (+${formatPercent(share)}), ${formatInteger(figures.escalated)} escalated`
}

function escalationSection(report: BenchReport): string {
  const rows = report.results.map(({ pair, escalation }) => {
    const gate = (name: string): GateFigures | undefined => escalation.gates.find((figures) => figures.gate === name)
    const off = gate('off')?.usd ?? 0
    const every = escalation.everyChunkUsd - off
    return [
      pair,
      formatInteger(escalation.chunks),
      `${escalation.rated.high} / ${escalation.rated.medium} / ${escalation.rated.low}`,
      usd(off),
      describeAdded(gate('high'), off),
      describeAdded(gate('medium'), off),
      `${usd(escalation.everyChunkUsd)}: +${usd(every)} (+${formatPercent(off === 0 ? 0 : every / off)})`
    ]
  })
  return [
    '## Escalation by risk: what it costs',
    '',
    '`escalate-on-risk` reviews a chunk again with `escalation-model` when the review model rates it at or above ' +
      'the gate, and merges the findings. The review stage (`reviewAllChunks` with the real routing, merge and cost ' +
      'report) ran once per gate against the loopback Responses server, at the default budget. No model judged the ' +
      'chunks: the stand-in rated each by a stated rule (`rateChunk` in bench/escalation.ts: high when a path is ' +
      'security-sensitive or an added line uses eval, innerHTML, exec, secrets, crypto, cookies and the like; medium ' +
      "when it adds lines to source code; low otherwise), so the share of chunks rated high is this rule's, not a " +
      "model's. Dollars are list prices of the usage the server reported: input exact (the o200k count of every " +
      `request sent), output assumed at ${formatInteger(BENCH_OUTPUT_TOKENS)} tokens per request for both models ` +
      "(the dry run's figure for the default effort). `openai/gpt-5-1-codex` costs five times the mini on every token " +
      'type, so a chunk reviewed again costs five times its first review, and more if the larger model reasons longer.',
    '',
    table(
      ['diff', 'chunks', 'rated high / medium / low', 'off', 'high', 'medium', 'every chunk again'],
      '|---|---:|---:|---:|---|---|---|',
      rows
    )
  ].join('\n')
}

const share = (part: number, whole: number): string => (whole === 0 ? 'n/a' : formatPercent(part / whole, 0))
const reached = (part: number, whole: number): string =>
  `${formatInteger(part)} / ${formatInteger(whole)} (${share(part, whole)})`
const KiB = (bytes: number): string => `${formatDecimal(bytes / 1024, 0)} KiB`

/** The pair the targets are set on. */
const TARGET_PAIR = /^semver 7\.3\.8 → 7\.7\.1$/

/** One target: what is asked, what was measured, and whether it is met (or by how much it is missed, and why). */
function describeTargets(figures: ContextFigures): string[][] {
  const { planted, reachedWithCheckout: got, missedForBudget } = figures
  const missed = (kind: keyof ReachFigures): string => {
    const count = planted[kind] - got[kind]
    if (count === 0) return 'met'
    const budget = missedForBudget[kind]
    const other = count - budget
    const why = [
      budget > 0 ? `${budget} fit only with a larger context-tokens (over the budget)` : '',
      other > 0 ? `${other} not found even with the largest budget (name not looked up, or its search missed)` : ''
    ].filter((part) => part !== '')
    return `missed by ${count} pair(s): ${why.join('; ')}`
  }
  const crossShare = planted.crossFile === 0 ? 1 : got.crossFile / planted.crossFile
  const ratio = figures.inputWithCheckout / figures.rawDiffTokens
  const maxRequests = figures.lowerBound + 1
  return [
    ['same-file pairs reach the request', '100%', share(got.sameFile, planted.sameFile), missed('sameFile')],
    [
      'cross-file pairs reach it, with a checkout',
      '≥ 80%',
      share(got.crossFile, planted.crossFile),
      crossShare >= 0.8 ? 'met' : `missed by ${formatPercent(0.8 - crossShare, 0)}: ${missed('crossFile')}`
    ],
    [
      'input ÷ raw diff tokens',
      '≤ 2×',
      ratio.toFixed(2) + '×',
      ratio <= 2 ? 'met' : `missed by ${(ratio - 2).toFixed(2)}×: the context budget is filled in every request`
    ],
    [
      'requests',
      `≤ ceil(tokens ÷ budget) + 1 = ${maxRequests}`,
      formatInteger(figures.requests),
      figures.requests <= maxRequests ? 'met' : `missed by ${figures.requests - maxRequests}`
    ]
  ]
}

/** A line naming the diffs whose input passes twice their raw diff with context, and why; none when no diff does. */
function describeHighRatios(results: readonly ContextFigures[]): string[] {
  const high = results.filter((figures) => figures.inputWithCheckout / figures.rawDiffTokens > 2)
  if (high.length === 0) return []
  const named = high
    .map((figures) => `${figures.pair} (${ratio(figures.inputWithCheckout / figures.rawDiffTokens)})`)
    .join(', ')
  return [
    `With context the input passes twice the raw diff on ${named}: a small change fills every request's context ` +
      'budget, which is then large next to its diff (the 2× target is set on the semver change). A lower ' +
      '`context-tokens` trades context for cost there.',
    ''
  ]
}

/** The context section of BENCHMARKS.md. */
export function renderContextSection(context: ContextReport): string {
  const { results, sizes, startup } = context
  const first = results[0]
  const budget = first?.budget ?? 0
  const contextBudget = first?.contextBudget ?? 0
  const target = results.find((figures) => TARGET_PAIR.test(figures.pair))
  const reachRows = results.map((figures) => [
    figures.pair,
    `${formatInteger(figures.planted.sameFile)} + ${formatInteger(figures.planted.crossFile)}`,
    reached(figures.reachedWithCheckout.sameFile, figures.planted.sameFile),
    reached(figures.reachedWithoutCheckout.sameFile, figures.planted.sameFile),
    reached(figures.reachedWithCheckout.crossFile, figures.planted.crossFile),
    reached(figures.reachedWithoutCheckout.crossFile, figures.planted.crossFile),
    `${formatInteger(figures.missedForBudget.sameFile)} + ${formatInteger(figures.missedForBudget.crossFile)}`
  ])
  const tokenRows = results.map((figures) => [
    figures.pair,
    `${formatInteger(figures.requests)} (≥ ${formatInteger(figures.lowerBound)})`,
    formatInteger(figures.rawDiffTokens),
    formatInteger(figures.diffTokens),
    formatInteger(figures.contextTokensWithCheckout),
    formatInteger(figures.contextTokensWithoutCheckout),
    ratio(figures.inputWithoutContext / figures.rawDiffTokens),
    ratio(figures.inputWithCheckout / figures.rawDiffTokens),
    ratio(figures.inputWithoutCheckout / figures.rawDiffTokens),
    `${formatInteger(figures.fullChunks)} / ${formatInteger(figures.requests)}`,
    `${formatInteger(figures.crossFileFound)} / ${formatInteger(figures.crossFileNames)}`,
    formatInteger(figures.shortened),
    formatInteger(Object.values(figures.omitted).reduce((sum, count) => sum + (count ?? 0), 0))
  ])
  const timeRows = results.map((figures) => [
    figures.pair,
    ms(figures.planMs),
    ms(figures.contextColdMs),
    ms(figures.contextWarmMs),
    formatMiB(figures.contextPeakRssGrowth),
    formatMiB(figures.contextHeapRetained)
  ])
  const rawTotal = sizes.files.reduce((sum, file) => sum + file.rawBytes, 0)
  const shippedTotal = sizes.files.reduce((sum, file) => sum + file.shippedBytes, 0)
  const sizeRows = [
    ...sizes.files.map((file) => [`\`${file.name}\``, KiB(file.rawBytes), KiB(file.shippedBytes)]),
    ['**all seven**', `**${KiB(rawTotal)}**`, `**${KiB(shippedTotal)}**`]
  ]
  const identical = results.every((figures) => figures.sameDiffAsTool)
  return [
    '## Context: the code around the change',
    '',
    'Each diff below is a real npm-pair change with **planted pairs**: in up to 20 changed JavaScript files, a line ' +
      'added inside a changed function whose problem shows only with an unchanged line elsewhere. Same-file: ' +
      "`console.log('planted', plantedSecretK)`, with `var plantedSecretK = process.env.…` before a top-level " +
      "statement of the file (or at its top or end), at least 10 lines from every line of its hunks (the hunks' own " +
      'context lines included); only a file that existed before the change can have one (bootstrap 4.0.0 added ' +
      'all its scripts as new files, so it has none). Cross-file: `plantedPurgeK(process.cwd())`, with ' +
      '`function plantedPurgeK (dir) {…}` (a recursive delete) appended to a file the change does not touch. The ' +
      'unchanged lines are in both versions, the added ones in the new one only (two commits made on top of the ' +
      `package's own, in a repository built like npm-pair-diff's${identical ? ', whose real diff is byte-identical to the tool’s' : ''}). ` +
      'A pair **reaches** the model when its unchanged line is in the request holding its added line: in a ' +
      `context block, or in the diff. Defaults: ${formatInteger(budget)} diff tokens and ` +
      `${formatInteger(contextBudget)} context tokens per request. "With a checkout" reads the head through git ` +
      'objects and searches other files (the action with a checkout of the head, the CLI); "without" reads the ' +
      'same files but cannot search (the action through the API). "Missed for the budget" counts pairs missed ' +
      'with a checkout that the largest budget (64,000) reaches.',
    '',
    table(
      [
        'diff',
        'pairs (same + cross)',
        'same-file, checkout',
        'same-file, no checkout',
        'cross-file, checkout',
        'cross-file, no checkout',
        'missed for the budget'
      ],
      '|---|---:|---:|---:|---:|---:|---:|',
      reachRows
    ),
    '',
    ...(target === undefined
      ? []
      : [
          `**Targets (issue 11), on ${target.pair}:**`,
          '',
          table(['target', 'asked', 'measured', 'verdict'], '|---|---|---:|---|', describeTargets(target)),
          ''
        ]),
    '**Tokens.** Raw diff tokens are the o200k tokens of the diff as git prints it, over the files reviewed ' +
      '(skipped files, such as built `dist/` bundles, are never sent); diff tokens are the chunks as sent (line ' +
      'numbers added). Input is everything the requests carry: per request the instructions (with ' +
      'their context section when context is on), the response schema and the PR text, plus the chunk and its ' +
      'context. Requests are the diff’s alone (the lower bound is ceil(reviewable tokens ÷ budget)), with or ' +
      'without context. "Names found" counts names the added lines use whose definition was found in a file the ' +
      'change does not touch.',
    '',
    ...describeHighRatios(results),
    table(
      [
        'diff',
        'requests (lower bound)',
        'raw diff tokens',
        'diff tokens',
        'context tokens, checkout',
        'context tokens, no checkout',
        'input ÷ raw, no context',
        'input ÷ raw, checkout',
        'input ÷ raw, no checkout',
        'requests with a full context budget',
        'names found',
        'shown in part',
        'left out'
      ],
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      tokenRows
    ),
    '',
    '**Time and memory.** Planning is `planReview` (parse, filter, plan; median of 3). The context stage ' +
      '(`gatherReviewContext`, with a checkout: reading files through git, parsing, the definition search and ' +
      'packing) is timed on its first run in a fresh process (the grammars it needs loaded, files read cold), ' +
      `where its peak RSS growth (Linux VmHWM reset just before) and the heap it holds after gc (the contexts, ` +
      `the parse cache) are measured too, and as the median of ${WARM_RUNS} warm runs in the benchmark's process.`,
    '',
    table(
      ['diff', 'plan (ms)', 'context, first run (ms)', 'context, warm (ms)', 'peak RSS growth, first run', 'heap held'],
      '|---|---:|---:|---:|---:|---:|',
      timeRows
    ),
    '',
    '**The parser.** The tree-sitter runtime and six grammars (JavaScript, TypeScript, TSX, Python, Go, Java) ship as ' +
      'brotli-compressed WebAssembly beside the bundle (`dist/grammars/`, written by scripts/copy-grammars.mjs at ' +
      `quality 5); each bundle also inlines the runtime's JavaScript (${KiB(sizes.runtimeJsBytes)}, not minified). ` +
      'Nothing is loaded until a review has context to gather, and only the grammars of the languages present.',
    '',
    table(['file', 'WebAssembly', 'shipped (brotli)'], '|---|---:|---:|', sizeRows),
    '',
    `Start-up, in a fresh process: the runtime and the JavaScript grammar load in ${ms(startup.javascriptMs)} ms, ` +
      `the first 600-line file is parsed and outlined in ${ms(startup.firstParseMs)} ms, and the five other grammars ` +
      `load in ${ms(startup.allMs)} ms more; the peak RSS grows by ${formatMiB(startup.rssGrowth)}.`
  ].join('\n')
}

/** The whole BENCHMARKS.md. */
export function renderBenchmarks(report: BenchReport): string {
  const sections = [
    machineSection(report),
    planningSection(report),
    requestsSection(report),
    wallSection(report),
    confidenceSection(report),
    escalationSection(report),
    renderContextSection(report.context)
  ]
  return `${sections.join('\n\n')}\n`
}
