/**
 * Which model reviews, through which endpoint, and whether the configured token budgets fit it: checked
 * once after the config is read, before any request. A known model that cannot take the settings fails
 * the step naming the inputs; an unknown model gets the safe defaults and a notice, never an error (its
 * real limits may well be larger than what we assume).
 */
import type { EscalateOnRisk, ModelApi, ReasoningEffort, SeverityGate } from '../config/review-settings.js'
import { ConfigError } from '../errors.js'
import {
  chooseEndpoint,
  endpointPath,
  MODEL_SPECS,
  resolveModel,
  type ModelEndpoint,
  type ModelSpec,
  type ResolvedModel
} from './models.js'

/**
 * Tokens a request carries besides the chunk: the static instructions (about 900), the PR title and up to
 * 4,000 characters of description (about 1,000), the chunk's framing, and for a verification request the
 * list of findings to check.
 */
export const PROMPT_OVERHEAD_TOKENS = 4_000

/** A model as the run will call it. */
export interface ModelChoice {
  readonly model: ResolvedModel
  readonly endpoint: ModelEndpoint
  /** Largest output budget a retry after a cut-off answer may ask for. */
  readonly outputCeiling: number
}

export interface ModelPlan {
  readonly primary: ModelChoice
  /** Present when `escalate-paths`, `verify-severity` or `escalate-on-risk` needs the escalation model. */
  readonly escalation?: ModelChoice
  /** Decisions and assumptions to show the user (unknown models, endpoint choices). */
  readonly notices: readonly string[]
}

/** The settings this stage reads (ReviewSettings has them all). */
export interface ModelPlanSettings {
  readonly model: string
  readonly escalationModel: string
  readonly api: ModelApi
  readonly reasoningEffort: ReasoningEffort
  readonly maxChunkTokens: number
  readonly maxOutputTokens: number
  readonly escalatePaths: readonly string[]
  readonly verifySeverity: SeverityGate
  /** Absent = `off`. */
  readonly escalateOnRisk?: EscalateOnRisk
  /** Context tokens a request may carry besides its chunk (`context-tokens`); 0 when absent. */
  readonly contextTokens?: number
}

const count = (value: number): string => value.toLocaleString('en-US')

/**
 * Resolves the review model (and the escalation model when a trigger is set), picks their endpoints and
 * checks the budgets. Throws ConfigError naming the inputs when a known model cannot take them.
 */
export function planModels(settings: ModelPlanSettings, specs: readonly ModelSpec[] = MODEL_SPECS): ModelPlan {
  const notices: string[] = []
  const primary = chooseModel({ settings, specs, inputName: 'model', id: settings.model, notices })
  const escalating =
    settings.escalatePaths.length > 0 ||
    settings.verifySeverity !== 'off' ||
    (settings.escalateOnRisk ?? 'off') !== 'off'
  if (!escalating) return { primary, notices }
  const escalation = chooseModel({
    settings,
    specs,
    inputName: 'escalation-model',
    id: settings.escalationModel,
    notices
  })
  return { primary, escalation, notices }
}

interface ChooseInput {
  readonly settings: ModelPlanSettings
  readonly specs: readonly ModelSpec[]
  readonly inputName: 'model' | 'escalation-model'
  readonly id: string
  readonly notices: string[]
}

function chooseModel({ settings, specs, inputName, id, notices }: ChooseInput): ModelChoice {
  const model = resolveModel(id, specs)
  const endpoint = chooseEndpoint(model, settings.api)
  const problems = findBudgetProblems(model, settings)
  if (model.known) {
    if (!model.endpoints.includes(endpoint)) {
      const served = model.endpoints.map((served) => endpointPath(served)).join(' and ')
      throw new ConfigError(
        `Input "api" is "${settings.api}", but ${id} (input "${inputName}") is served only by ${served}. ` +
          'Use `api: auto` to pick its endpoint.'
      )
    }
    if (problems.length > 0) throw new ConfigError(`${problems.join(' ')} (input "${inputName}": ${id})`)
  } else {
    notices.push(describeUnknown(model, inputName, endpoint, problems))
  }
  const outputCeiling = model.known ? model.maxOutputTokens : Math.max(model.maxOutputTokens, settings.maxOutputTokens)
  return { model, endpoint, outputCeiling }
}

/** Each way the settings exceed the model's limits, as a sentence naming the inputs. */
export function findBudgetProblems(model: ResolvedModel, settings: ModelPlanSettings): string[] {
  const problems: string[] = []
  if (!model.efforts.includes(settings.reasoningEffort)) {
    problems.push(
      `Input "reasoning-effort" is "${settings.reasoningEffort}", but ${model.id} accepts ${model.efforts.join(', ')}.`
    )
  }
  if (settings.maxOutputTokens > model.maxOutputTokens) {
    problems.push(
      `Input "max-output-tokens" is ${count(settings.maxOutputTokens)}, but ${model.id} writes at most ` +
        `${count(model.maxOutputTokens)} output tokens.`
    )
  }
  const context = settings.contextTokens ?? 0
  const input = settings.maxChunkTokens + context + PROMPT_OVERHEAD_TOKENS
  const withContext = context > 0 ? ` and ${count(context)} of "context-tokens"` : ''
  if (input > model.maxInputTokens) {
    problems.push(
      `Input "max-chunk-tokens" is ${count(settings.maxChunkTokens)}: with about ${count(PROMPT_OVERHEAD_TOKENS)} ` +
        `tokens of instructions${withContext} a request would exceed the ${count(model.maxInputTokens)} input tokens ${model.id} takes.`
    )
  } else if (input + settings.maxOutputTokens > model.contextWindow) {
    problems.push(
      `Inputs "max-chunk-tokens" (${count(settings.maxChunkTokens)}) and "max-output-tokens" ` +
        `(${count(settings.maxOutputTokens)}) with about ${count(PROMPT_OVERHEAD_TOKENS)} tokens of instructions${withContext} ` +
        `exceed the ${count(model.contextWindow)}-token context window of ${model.id}.`
    )
  }
  return problems
}

function describeUnknown(
  model: ResolvedModel,
  inputName: string,
  endpoint: ModelEndpoint,
  problems: readonly string[]
): string {
  const assumed =
    `Model "${model.id}" (input "${inputName}") is not in the model table: assuming a ` +
    `${count(model.contextWindow)}-token context, ${count(model.maxOutputTokens)} output tokens, efforts ` +
    `${model.efforts.join('|')}, and calling ${endpointPath(endpoint)} (set \`api\` to change it). ` +
    'It has no list prices: its cost is reported only where the provider bills it.'
  return problems.length === 0 ? assumed : `${assumed} The settings may not fit it: ${problems.join(' ')}`
}
