/**
 * The cost ceiling during the run: a ledger of the real spending that every model request must pass before it
 * is sent. The plan (ceiling-plan.ts) decided which chunks fit by estimate; estimates can be low (output is
 * unknowable before the model answers), so the guard checks again with what the provider really charged.
 *
 * Before a request is sent it is admitted only when
 *   real spending so far + estimates of the requests in flight + reservations + its own estimate ≤ ceiling,
 * where the reservations are the estimates of the planned chunks that have not started yet: a second look
 * (escalation, verification) or a retry spends only what the planned chunks leave. A planned chunk's first
 * request is estimated with its plan figure (so with exact estimates every planned chunk is admitted); any other
 * request with the same estimator over its own body. After the request, its estimate is replaced by what it cost:
 * the provider's `x-aimlapi-usd-spent` when sent, else its usage at list prices.
 *
 * What this guarantees: no request starts once the ceiling would be crossed on what is known when it starts. The
 * run can exceed the ceiling only by how much the requests already in flight at the last admission cost beyond
 * their estimates: with `max-concurrency` 1, the one request in flight; with N, at most N requests (one per
 * chunk being reviewed), each of which costs at most its input plus its `max_output_tokens` at list price (twice
 * that output when the one retry after a cut-off answer doubles it, which is a request of its own and admitted
 * again).
 */
import { countTokens } from '../chunk/tokens.js'
import { readEndpointReply } from '../model/chat-completions-response.js'
import type { StructuredRequestBody } from '../model/build-request.js'
import { findModelSpec, type ModelSpec } from '../model/models.js'
import {
  RequestRefusedError,
  withDispatcher,
  type ModelTransport,
  type RequestReply
} from '../model/responses-client.js'
import { type Chunk, type ChunkOutcome, ZERO_USAGE } from '../types.js'
import { priceAtList } from './cost.js'
import { describeCeiling, USD_TOLERANCE, type CeilingPlan } from './ceiling-plan.js'
import { formatUsd } from '../util/usd.js'

/** A request the guard refused while the run was going. */
export interface CeilingRefusal {
  readonly chunkId: number
  /** The chunk's own review (its first request), or a later one (retry, escalation, verification). */
  readonly kind: 'review' | 'follow-up'
  readonly neededUsd: number
}

export interface CostGuard {
  readonly plan: CeilingPlan
  /** The chunks in the order they are sent: most important first, so a late refusal hits the least important. */
  order(chunks: readonly Chunk[]): Chunk[]
  /** A `cost-ceiling` outcome for a chunk the plan left out; undefined for a planned chunk. */
  refuseStart(chunk: Chunk): ChunkOutcome | undefined
  /** The transport for one chunk's requests: each one admitted before it is sent and settled after. */
  guard(chunk: Chunk, transport: ModelTransport): ModelTransport
  /** The chunk is done (or will not start): its reservation, if still held, is released. */
  release(chunkId: number): void
  /** Refusals made during the run. */
  refusals(): readonly CeilingRefusal[]
  /** Real dollars spent so far as the guard counts them (billed, else list price). */
  spentUsd(): number
}

export interface CostGuardOptions {
  readonly plan: CeilingPlan
  /** Prices of every model the run may call (the review model's replaced by the CLI's --price-* flags). */
  readonly specs: readonly ModelSpec[]
  /** Output tokens assumed per request, as the plan assumed (capped by each request's `max_output_tokens`). */
  readonly outputTokensPerRequest: number
}

/** Tokens of a schema's JSON text, counted once per schema object. */
const schemaTokens = new WeakMap<object, number>()

/** Input tokens of a request as the estimator counts them: instructions, input and the schema's JSON text. */
export function countRequestTokens(body: StructuredRequestBody): number {
  const schema = body.text.format.schema
  let forSchema = schemaTokens.get(schema)
  if (forSchema === undefined) {
    forSchema = countTokens(JSON.stringify(schema))
    schemaTokens.set(schema, forSchema)
  }
  return countTokens(body.instructions) + countTokens(body.input) + forSchema
}

/** Creates the ledger for one run; every planned chunk's estimate is reserved from the start. */
export function createCostGuard(options: CostGuardOptions): CostGuard {
  const { plan } = options
  const ceiling = plan.ceiling.usd
  const reserved = new Map([...plan.selected].map((id) => [id, plan.estimates.get(id)?.usd ?? 0]))
  let spent = 0
  let inFlight = 0
  const refused: CeilingRefusal[] = []
  const sum = (values: Iterable<number>): number => [...values].reduce((total, value) => total + value, 0)

  const estimateBody = (body: StructuredRequestBody): number => {
    const output = Math.min(options.outputTokensPerRequest, body.max_output_tokens)
    const price = findModelSpec(body.model, options.specs)?.price
    if (price === undefined) return 0 // the plan refused to start without prices for every model it may call
    const usage = { ...ZERO_USAGE, inputTokens: countRequestTokens(body), outputTokens: output }
    return priceAtList({ price }, usage)
  }

  const costOf = (reply: RequestReply): number => {
    if (reply.billedUsd !== undefined) return reply.billedUsd
    if (reply.json === undefined) return 0
    const price = findModelSpec(reply.body.model, options.specs)?.price
    if (price === undefined) return 0
    try {
      return priceAtList({ price }, readEndpointReply(reply.endpoint, reply.json).usage)
    } catch {
      return 0 // not a response object: review-chunk.ts reports it; there is no usage to count
    }
  }

  /** Admits a request of `usd`, or throws the refusal the chunk's outcome keeps. */
  const admit = (chunkId: number, kind: CeilingRefusal['kind'], usd: number): void => {
    const committed = spent + inFlight + sum(reserved.values())
    if (committed + usd <= ceiling + USD_TOLERANCE) {
      inFlight += usd
      return
    }
    refused.push({ chunkId, kind, neededUsd: usd })
    const left = Math.max(0, ceiling - committed)
    const what = kind === 'review' ? 'not reviewed' : 'not sent'
    throw new RequestRefusedError(
      `${what}: cost ceiling (needed about ${formatUsd(usd)}; ${formatUsd(left)} of ${describeCeiling(plan.ceiling)} ` +
        `was left after ${formatUsd(spent)} spent and ${formatUsd(inFlight)} in flight)`,
      { failure: 'cost-ceiling', neededUsd: usd }
    )
  }

  const rank = new Map(plan.order.map((entry, index) => [entry.id, index]))
  return {
    plan,
    order: (chunks) =>
      [...chunks].sort((a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity) || a.id - b.id),
    refuseStart: (chunk) => {
      if (plan.selected.has(chunk.id)) return undefined
      const neededUsd = plan.estimates.get(chunk.id)?.usd ?? 0
      const left = Math.max(0, plan.ceiling.usd - plan.plannedUsd)
      const error =
        `not reviewed: cost ceiling (needed about ${formatUsd(neededUsd)}; ${formatUsd(left)} of ` +
        `${describeCeiling(plan.ceiling)} was left for it after the more important chunks)`
      return { ok: false, chunk, error, usage: ZERO_USAGE, attempts: 0, failure: 'cost-ceiling', neededUsd }
    },
    guard: (chunk, transport) => {
      const base = withDispatcher(transport)
      let first = true
      let current = 0
      return {
        ...base,
        beforeRequest: async (body) => {
          // The time budget and the rate limiter first: the check below must see the spending at send time.
          await base.beforeRequest?.(body)
          const planned = first ? reserved.get(chunk.id) : undefined
          first = false
          if (planned !== undefined) reserved.delete(chunk.id)
          const usd = planned ?? estimateBody(body)
          admit(chunk.id, planned === undefined ? 'follow-up' : 'review', usd)
          current = usd
        },
        afterRequest: (reply) => {
          inFlight = Math.max(0, inFlight - current)
          current = 0
          spent += costOf(reply)
          base.afterRequest?.(reply)
        }
      }
    },
    release: (chunkId) => void reserved.delete(chunkId),
    refusals: () => refused,
    spentUsd: () => spent
  }
}
