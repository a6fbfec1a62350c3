/** context-tokens in the model check and in the settings fingerprint. */
import { ConfigError } from '../../src/errors.js'
import { planModels, type ModelPlanSettings } from '../../src/model/model-plan.js'
import type { ModelSpec } from '../../src/model/models.js'
import { changedSettings, fingerprintConfig, type FingerprintedSettings } from '../../src/state/config-fingerprint.js'

const SMALL: ModelSpec = {
  id: 'acme/small',
  contextWindow: 30_000,
  maxInputTokens: 24_000,
  maxOutputTokens: 8_000,
  efforts: ['medium'],
  price: { input: 1, cachedInput: 0.1, output: 2 },
  endpoints: ['responses']
}

const SETTINGS: ModelPlanSettings = {
  model: 'acme/small',
  escalationModel: 'acme/small',
  api: 'auto',
  reasoningEffort: 'medium',
  maxChunkTokens: 12_000,
  maxOutputTokens: 4_000,
  escalatePaths: [],
  verifySeverity: 'off'
}

describe('context-tokens in the model check', () => {
  it('counts the context with the chunk against the model’s input limit, and names the input', () => {
    expect(() => planModels({ ...SETTINGS, contextTokens: 4_000 }, [SMALL])).not.toThrow()
    const tooMuch = (): unknown => planModels({ ...SETTINGS, contextTokens: 10_000 }, [SMALL])
    expect(tooMuch).toThrow(ConfigError)
    expect(tooMuch).toThrow(/and 10,000 of "context-tokens" a request would exceed the 24,000 input tokens/)
  })
})

describe('context-tokens in the fingerprint', () => {
  const settings: FingerprintedSettings = {
    model: 'openai/gpt-5-1-codex-mini',
    api: 'auto',
    reasoningEffort: 'medium',
    maxChunkTokens: 12_000,
    include: [],
    exclude: [],
    escalationModel: 'openai/gpt-5-1-codex',
    escalatePaths: [],
    verifySeverity: 'off',
    severityThreshold: 'nit',
    language: '',
    minConfidence: 0.5
  }

  it('leaves the fingerprint as it was with context off', () => {
    expect(fingerprintConfig({ settings: { ...settings, contextTokens: 0 } })).toEqual(fingerprintConfig({ settings }))
  })

  it('forces a full review when context is turned on or its budget changes', () => {
    const off = fingerprintConfig({ settings })
    const on = fingerprintConfig({ settings: { ...settings, contextTokens: 4_000 } })
    const more = fingerprintConfig({ settings: { ...settings, contextTokens: 8_000 } })
    expect(changedSettings(off, on)).toEqual(['context-tokens'])
    expect(changedSettings(on, more)).toEqual(['context-tokens'])
  })
})
