/**
 * What escalation by risk (`escalate-on-risk`) costs on the real-world diffs: the review stage (reviewAllChunks
 * with the real routing, merge and cost report) against the loopback Responses server, once per gate. No model
 * judges the chunks here, so the stand-in rates each chunk by a stated rule ({@link rateChunk}); the dollars are
 * list prices of the usage the server reports, which is exact for input (the o200k count of what was sent) and
 * an assumption for output (the estimator's figure for the effort, the same for both models).
 */
import { Agent } from 'undici'
import { DEFAULTS } from '../src/config/review-settings.js'
import type { EscalateOnRisk } from '../src/config/review-settings.js'
import { classifyPath, isSecuritySensitivePath } from '../src/engine/chunk-importance.js'
import { buildCostReport, buildEscalationReport, collectModelCalls } from '../src/engine/cost.js'
import { countRequestTokens } from '../src/engine/cost-guard.js'
import { ASSUMED_OUTPUT_TOKENS } from '../src/engine/estimate.js'
import { SILENT_LOGGER } from '../src/engine/logger.js'
import { createModelRouting } from '../src/engine/model-routing.js'
import type { PreparedReview } from '../src/engine/prepare.js'
import { reviewAllChunks } from '../src/engine/review-chunks.js'
import type { StructuredRequestBody } from '../src/model/build-request.js'
import { planModels } from '../src/model/model-plan.js'
import type { RiskLevel } from '../src/types.js'
import { scriptFindings } from '../__fixtures__/model/scripted-reviewer.js'
import { answerWith, startResponsesServer } from '../__fixtures__/servers/responses-server.js'

export const ESCALATION_GATES: readonly EscalateOnRisk[] = ['off', 'high', 'medium']
const EFFORT = DEFAULTS.reasoningEffort
/** Output tokens every request is charged, both models: the dry run's assumption for the default effort. */
export const BENCH_OUTPUT_TOKENS = ASSUMED_OUTPUT_TOKENS[EFFORT]
const PULL_REQUEST = { title: 'Benchmark pull request', body: 'Update the package to its next version.' }

/** Code that handles input, secrets or the page: what makes a reviewer rate a change high. */
const SENSITIVE_CODE =
  /\b(eval|new Function|innerHTML|outerHTML|insertAdjacentHTML|document\.write|child_process|exec|spawn|password|secret|token|crypto|createHash|jwt|cookie|localStorage|postMessage)\b/i

/**
 * The stand-in's rating, from what the request carries: `high` when a file's path is security-sensitive
 * (chunk-importance.ts) or an added line uses code that handles input, secrets or the page (SENSITIVE_CODE);
 * `medium` when it adds lines to source code; `low` otherwise (docs, tests, deletions only). The instructions
 * define high as "could break production, lose data or open a security hole" and medium as "real behaviour
 * changes": this rule is the mechanical reading of those two sentences.
 */
export function rateChunk(sent: { readonly paths: readonly string[]; readonly added: readonly string[] }): RiskLevel {
  if (sent.paths.some(isSecuritySensitivePath) || sent.added.some((line) => SENSITIVE_CODE.test(line))) return 'high'
  const source = sent.paths.some((path) => classifyPath(path) === 'source')
  return source && sent.added.length > 0 ? 'medium' : 'low'
}

/** Paths and added lines of the `<diff>` a request carries. */
export function readSentChunk(input: string): { paths: string[]; added: string[] } {
  const diff = input.slice(input.indexOf('<diff>'))
  const paths: string[] = []
  const added: string[] = []
  for (const row of diff.split('\n')) {
    const header = /^<file path=("(?:[^"\\]|\\.)*")/.exec(row)
    if (header?.[1] !== undefined) paths.push(JSON.parse(header[1]) as string)
    const line = /^ *\d+ \+ (.*)$/.exec(row)
    if (line?.[1] !== undefined) added.push(line[1])
  }
  return { paths, added }
}

export interface GateFigures {
  readonly gate: EscalateOnRisk
  readonly requests: number
  readonly escalated: number
  /** Every request, both models, at list prices. */
  readonly usd: number
  /** The escalated reviews alone. */
  readonly escalationUsd: number
  /** Findings after the merge (before placement). */
  readonly findings: number
}

export interface EscalationFigures {
  readonly budget: number
  readonly chunks: number
  readonly rated: Readonly<Record<RiskLevel, number>>
  readonly gates: readonly GateFigures[]
  /** Reviewing every chunk again: the most any gate can add. */
  readonly everyChunkUsd: number
}

/** Reviews the prepared chunks once per gate against the loopback server (see the module comment). */
export async function measureEscalationCost(options: {
  readonly prepared: PreparedReview
  readonly budget: number
}): Promise<EscalationFigures> {
  const chunks = options.prepared.plan.chunks
  const server = await startResponsesServer((request) => {
    const body = request.body as StructuredRequestBody
    const primary = body.model === DEFAULTS.model
    const risk = primary ? rateChunk(readSentChunk(body.input)) : 'medium'
    const usage = {
      input_tokens: countRequestTokens(body),
      output_tokens: BENCH_OUTPUT_TOKENS,
      reasoning_tokens: BENCH_OUTPUT_TOKENS - 500
    }
    return { body: answerWith(request, { ...scriptFindings(request), risk }, usage) }
  })
  const dispatcher = new Agent({ connections: 16 })
  try {
    const review = async (gate: EscalateOnRisk | 'all') => {
      const escalateOnRisk = gate === 'all' ? 'medium' : gate
      const settings = {
        model: DEFAULTS.model,
        escalationModel: DEFAULTS.escalationModel,
        api: 'auto' as const,
        reasoningEffort: EFFORT,
        maxChunkTokens: options.budget,
        maxOutputTokens: DEFAULTS.maxOutputTokens,
        escalatePaths: gate === 'all' ? ['**'] : [],
        verifySeverity: 'off' as const,
        escalateOnRisk
      }
      const outcomes = await reviewAllChunks({
        chunks,
        transport: { baseUrl: server.baseUrl, apiKey: 'bench-key', dispatcher, maxRetries: 0 },
        model: DEFAULTS.model,
        reasoningEffort: EFFORT,
        maxOutputTokens: DEFAULTS.maxOutputTokens,
        concurrency: 8,
        pullRequest: PULL_REQUEST,
        logger: SILENT_LOGGER,
        routing: createModelRouting({ plan: planModels(settings), ...settings })
      })
      const failed = outcomes.filter((outcome) => !outcome.ok).length
      if (failed > 0) throw new Error(`${failed} chunk(s) failed against the loopback server`)
      return outcomes
    }
    const gates: GateFigures[] = []
    let rated: Record<RiskLevel, number> = { high: 0, medium: 0, low: 0 }
    for (const gate of ESCALATION_GATES) {
      const before = server.requests.length
      const outcomes = await review(gate)
      if (gate === 'off') {
        rated = { high: 0, medium: 0, low: 0 }
        for (const outcome of outcomes)
          if (outcome.ok && outcome.review.risk !== undefined) rated[outcome.review.risk] += 1
      }
      const escalation = buildEscalationReport({ outcomes, escalationModel: DEFAULTS.escalationModel })
      gates.push({
        gate,
        requests: server.requests.length - before,
        escalated: escalation?.riskEscalatedChunks?.length ?? 0,
        usd: buildCostReport(collectModelCalls(outcomes, DEFAULTS.model)).usd ?? 0,
        escalationUsd: escalation?.usd ?? 0,
        findings: outcomes.reduce((sum, outcome) => sum + (outcome.ok ? outcome.review.findings.length : 0), 0)
      })
    }
    // Every chunk reviewed by the escalation model (escalate-paths `**`), to price "every chunk again".
    const every = buildCostReport(collectModelCalls(await review('all'), DEFAULTS.model)).usd ?? 0
    const off = gates.find((figures) => figures.gate === 'off')?.usd ?? 0
    return { budget: options.budget, chunks: chunks.length, rated, gates, everyChunkUsd: off + every }
  } finally {
    await dispatcher.close()
    await server.close()
  }
}
