import { ConfigError } from '../../src/errors.js'
import { planModels, PROMPT_OVERHEAD_TOKENS, type ModelPlanSettings } from '../../src/model/model-plan.js'
import type { ModelSpec } from '../../src/model/models.js'

const SETTINGS: ModelPlanSettings = {
  model: 'openai/gpt-5-1-codex-mini',
  escalationModel: 'openai/gpt-5-1-codex',
  api: 'auto',
  reasoningEffort: 'medium',
  maxChunkTokens: 12_000,
  maxOutputTokens: 16_000,
  escalatePaths: [],
  verifySeverity: 'off'
}

const SMALL: ModelSpec = {
  id: 'acme/small',
  contextWindow: 30_000,
  maxInputTokens: 24_000,
  maxOutputTokens: 8_000,
  efforts: ['medium'],
  price: { input: 1, cachedInput: 0.1, output: 2 },
  endpoints: ['responses']
}

function configError(run: () => unknown): ConfigError {
  try {
    run()
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('planModels', () => {
  it('plans the default model through /responses, with no escalation model and nothing to say', () => {
    const plan = planModels(SETTINGS)
    expect(plan.primary).toMatchObject({
      model: { id: 'openai/gpt-5-1-codex-mini', known: true },
      endpoint: 'responses'
    })
    expect(plan.primary.outputCeiling).toBe(128_000)
    expect(plan.escalation).toBeUndefined()
    expect(plan.notices).toEqual([])
  })

  it.each([
    ['escalate-paths', { escalatePaths: ['src/auth/**'] }],
    ['verify-severity', { verifySeverity: 'high' as const }]
  ])('adds the escalation model when %s is set', (_name, patch) => {
    const plan = planModels({ ...SETTINGS, ...patch })
    expect(plan.escalation).toMatchObject({ model: { id: 'openai/gpt-5-1-codex' }, endpoint: 'responses' })
  })

  it('sends gpt-5-1 to chat completions on auto', () => {
    expect(planModels({ ...SETTINGS, model: 'openai/gpt-5-1' }).primary.endpoint).toBe('chat-completions')
  })

  it('refuses chat completions for a Responses-only model, naming the inputs', () => {
    const error = configError(() => planModels({ ...SETTINGS, api: 'chat-completions' }))
    expect(error.message).toMatch(
      /Input "api" is "chat-completions", but openai\/gpt-5-1-codex-mini \(input "model"\) is served only by \/responses/
    )
  })

  it('checks the escalation model only when escalation is on', () => {
    const settings = { ...SETTINGS, model: 'openai/gpt-5-1', api: 'chat-completions' as const }
    expect(() => planModels(settings)).not.toThrow()
    const error = configError(() => planModels({ ...settings, verifySeverity: 'critical' }))
    expect(error.message).toMatch(/input "escalation-model"/)
  })

  it('works with an unknown model through /responses, with a notice of what it assumed', () => {
    const plan = planModels({ ...SETTINGS, model: 'acme/reviewer-9' })
    expect(plan.primary).toMatchObject({ model: { known: false }, endpoint: 'responses' })
    expect(plan.notices).toHaveLength(1)
    expect(plan.notices[0]).toMatch(/"acme\/reviewer-9" \(input "model"\) is not in the model table/)
    expect(plan.notices[0]).toMatch(/128,000-token context.*\/responses.*no list prices/)
  })

  it('never fails an unknown model on assumed limits: it notes them and lets the budget grow', () => {
    const plan = planModels({ ...SETTINGS, model: 'acme/reviewer-9', maxOutputTokens: 64_000 })
    expect(plan.notices[0]).toMatch(/may not fit it: Input "max-output-tokens" is 64,000/)
    expect(plan.primary.outputCeiling).toBe(64_000)
  })

  it('takes an explicit api for an unknown model', () => {
    expect(planModels({ ...SETTINGS, model: 'acme/x', api: 'chat-completions' }).primary.endpoint).toBe(
      'chat-completions'
    )
  })

  it.each([
    [
      'max-output-tokens over the cap',
      { maxOutputTokens: 9_000, maxChunkTokens: 1_000 },
      /Input "max-output-tokens" is 9,000, but acme\/small writes at most 8,000/
    ],
    [
      'a chunk over the input limit',
      { maxChunkTokens: 24_000 - PROMPT_OVERHEAD_TOKENS + 1, maxOutputTokens: 1_024 },
      /Input "max-chunk-tokens" is 20,001: .* exceed the 24,000 input tokens/
    ],
    [
      'chunk and output over the window',
      { maxChunkTokens: 20_000, maxOutputTokens: 8_000 },
      /Inputs "max-chunk-tokens" \(20,000\) and "max-output-tokens" \(8,000\) .* 30,000-token context window/
    ],
    [
      'an effort it does not take',
      { reasoningEffort: 'high' as const, maxChunkTokens: 1_000, maxOutputTokens: 1_024 },
      /Input "reasoning-effort" is "high", but acme\/small accepts medium/
    ]
  ])('fails a known model for %s, naming the inputs', (_label, patch, message) => {
    const error = configError(() => planModels({ ...SETTINGS, model: 'acme/small', ...patch }, [SMALL]))
    expect(error.message).toMatch(message)
    expect(error.message).toMatch(/\(input "model": acme\/small\)/)
  })

  it('accepts the largest settings the inputs allow for every table model', () => {
    for (const model of [
      'openai/gpt-5-1-codex-mini',
      'openai/gpt-5-1-codex',
      'openai/gpt-5-mini-2025-08-07',
      'openai/gpt-5-1'
    ]) {
      expect(() => planModels({ ...SETTINGS, model, maxChunkTokens: 200_000, maxOutputTokens: 128_000 })).not.toThrow()
    }
  })
})
