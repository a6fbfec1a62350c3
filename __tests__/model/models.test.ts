import {
  chooseEndpoint,
  endpointPath,
  findModelSpec,
  MODEL_SPECS,
  resolveModel,
  UNKNOWN_MODEL_LIMITS
} from '../../src/model/models.js'

describe('the model table', () => {
  it.each([
    ['openai/gpt-5-1-codex-mini', ['responses'], 0.25, 0.025, 2],
    ['openai/gpt-5-1-codex', ['responses'], 1.25, 0.125, 10],
    ['openai/gpt-5-mini-2025-08-07', ['responses', 'chat-completions'], 0.25, 0.025, 2],
    ['openai/gpt-5-1', ['chat-completions', 'responses'], 1.25, 0.125, 10]
  ])('knows %s: endpoints %j, $%s / $%s / $%s per million', (id, endpoints, input, cachedInput, output) => {
    const spec = findModelSpec(id)
    expect(spec).toMatchObject({ id, endpoints, price: { input, cachedInput, output } })
    expect(spec).toMatchObject({ contextWindow: 400_000, maxInputTokens: 272_000, maxOutputTokens: 128_000 })
    expect(spec?.efforts).toEqual(['low', 'medium', 'high'])
  })

  it('lists each of the four ids once', () => {
    expect(MODEL_SPECS.map((spec) => spec.id).sort()).toEqual([
      'openai/gpt-5-1',
      'openai/gpt-5-1-codex',
      'openai/gpt-5-1-codex-mini',
      'openai/gpt-5-mini-2025-08-07'
    ])
  })

  it.each([
    ['gpt-5.1-codex-mini', 'openai/gpt-5-1-codex-mini'],
    ['openai/gpt-5.1', 'openai/gpt-5-1'],
    ['GPT-5-1-CODEX', 'openai/gpt-5-1-codex'],
    ['gpt-5-mini', 'openai/gpt-5-mini-2025-08-07']
  ])('matches %s, another spelling of %s (OpenAI ids have dots and no prefix)', (alias, id) => {
    expect(findModelSpec(alias)?.id).toBe(id)
  })

  it('does not confuse the mini with the standard model', () => {
    expect(findModelSpec('gpt-5.1-codex')?.id).toBe('openai/gpt-5-1-codex')
    expect(findModelSpec('openai/gpt-5-1-codex-max')).toBeUndefined()
  })
})

describe('resolveModel', () => {
  it('keeps the id as configured and marks a table model as known', () => {
    expect(resolveModel('gpt-5.1-codex-mini')).toMatchObject({
      id: 'gpt-5.1-codex-mini',
      known: true,
      price: { output: 2 }
    })
  })

  it('gives an unknown model the safe defaults, no prices and the Responses endpoint', () => {
    const model = resolveModel('acme/reviewer-9')
    expect(model).toEqual({ ...UNKNOWN_MODEL_LIMITS, id: 'acme/reviewer-9', known: false })
    expect(model.price).toBeUndefined()
    expect(model).toMatchObject({ contextWindow: 128_000, maxOutputTokens: 16_384, endpoints: ['responses'] })
  })
})

describe('chooseEndpoint', () => {
  it.each([
    ['openai/gpt-5-1-codex-mini', 'auto', 'responses'],
    ['openai/gpt-5-1-codex', 'auto', 'responses'],
    ['openai/gpt-5-mini-2025-08-07', 'auto', 'responses'],
    ['openai/gpt-5-1', 'auto', 'chat-completions'],
    ['acme/reviewer-9', 'auto', 'responses'],
    ['acme/reviewer-9', 'chat-completions', 'chat-completions'],
    ['openai/gpt-5-mini-2025-08-07', 'chat-completions', 'chat-completions'],
    ['openai/gpt-5-1', 'responses', 'responses']
  ] as const)('%s with api %s goes to %s', (id, api, endpoint) => {
    expect(chooseEndpoint(resolveModel(id), api)).toBe(endpoint)
  })

  it('maps endpoints to the paths appended to base-url', () => {
    expect(endpointPath('responses')).toBe('/responses')
    expect(endpointPath('chat-completions')).toBe('/chat/completions')
  })
})
