/** Renders the benchmark's figures as BENCHMARKS.md. */
import type { ConfidenceFigures } from './confidence.js'
import { BENCH_OUTPUT_TOKENS, type EscalationFigures, type GateFigures } from './escalation.js'
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

export interface BenchReport {
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

/** The whole BENCHMARKS.md. */
export function renderBenchmarks(report: BenchReport): string {
  const sections = [
    machineSection(report),
    planningSection(report),
    requestsSection(report),
    wallSection(report),
    confidenceSection(report),
    escalationSection(report)
  ]
  return `${sections.join('\n\n')}\n`
}
