import { readFileSync } from 'node:fs'
import { parseFindingsText, readProviderError, readResponse } from '../../src/model/parse-response.js'

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../__fixtures__/model/${name}`, import.meta.url), 'utf8'))

describe('readResponse', () => {
  it('reads the message after the reasoning item, with full usage', () => {
    const reading = readResponse(fixture('completed-reasoning-first.json'))
    expect(reading.status).toBe('completed')
    expect(reading.model).toBe('gpt-5.1-codex-mini')
    expect(JSON.parse(reading.text)).toMatchObject({ findings: [{ path: 'src/upload.ts', line: 42 }] })
    expect(reading.usage).toEqual({
      inputTokens: 3512,
      cachedInputTokens: 1024,
      outputTokens: 1890,
      reasoningTokens: 1536
    })
    expect(reading.refusal).toBeUndefined()
  })

  it('joins the output_text parts of a message', () => {
    const reading = readResponse(fixture('completed-split-parts.json'))
    expect(JSON.parse(reading.text)).toMatchObject({ overview: expect.stringContaining('retry loop') })
  })

  it('prefers message items over a top-level output_text', () => {
    const body = {
      status: 'completed',
      output_text: 'stale',
      output: [{ type: 'message', content: [{ type: 'output_text', text: 'fresh' }] }]
    }
    expect(readResponse(body).text).toBe('fresh')
  })

  it('falls back to the top-level output_text when there is no message item', () => {
    const reading = readResponse(fixture('completed-output-text-only.json'))
    expect(reading.text).toBe('{"overview":"Renames a helper.","findings":[]}')
    expect(reading.usage).toEqual({ inputTokens: 900, cachedInputTokens: 0, outputTokens: 120, reasoningTokens: 0 })
  })

  it('counts missing usage as zero', () => {
    expect(readResponse(fixture('completed-missing-usage.json')).usage).toEqual({
      inputTokens: 0,
      cachedInputTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0
    })
  })

  it('reads a refusal', () => {
    const reading = readResponse(fixture('refusal.json'))
    expect(reading.refusal).toBe("I can't help with that request.")
    expect(reading.text).toBe('')
  })

  it('reads an incomplete answer with no message item', () => {
    const reading = readResponse(fixture('incomplete-max-output-tokens.json'))
    expect(reading).toMatchObject({ status: 'incomplete', incompleteReason: 'max_output_tokens', text: '' })
    expect(reading.usage.reasoningTokens).toBe(2000)
  })

  it('reads a failed response and its error message', () => {
    expect(readResponse(fixture('failed-server-error.json'))).toMatchObject({
      status: 'failed',
      errorMessage: 'The model failed to generate a response.'
    })
  })

  it('infers the status only when it is missing', () => {
    expect(readResponse({ output_text: '{}' }).status).toBe('completed')
    expect(readResponse({ output: [] }).status).toBe('unknown')
  })

  it.each([[null], ['text'], [[1, 2]]])('throws for a body that is not an object: %p', (body) => {
    expect(() => readResponse(body)).toThrow(/not a response object/)
  })
})

describe('parseFindingsText', () => {
  it.each([
    ['plain JSON', '{"overview":"o","findings":[]}'],
    ['a json fence', '```json\n{"overview":"o","findings":[]}\n```'],
    ['a bare fence with spaces around', '  ```\n{"overview":"o","findings":[]}\n```  ']
  ])('parses %s', (_label, text) => {
    expect(parseFindingsText(text)).toEqual({ overview: 'o', findings: [] })
  })

  it('strips only one fence: a fence inside a string survives', () => {
    const text = '```json\n{"overview":"see ```js code```","findings":[]}\n```'
    expect(parseFindingsText(text)).toEqual({ overview: 'see ```js code```', findings: [] })
  })

  it.each([
    ['empty text', '  ', /no answer text/],
    ['truncated JSON', '{"overview":"o","find', /not valid JSON/],
    ['prose', 'Here are the findings: none', /not valid JSON/]
  ])('throws for %s', (_label, text, message) => {
    expect(() => parseFindingsText(text)).toThrow(message)
  })

  it('never quotes the answer text in its error', () => {
    expect(() => parseFindingsText('SECRET_DIFF_CONTENT')).toThrow(/^(?!.*SECRET_DIFF_CONTENT)/)
  })
})

describe('readProviderError', () => {
  it('reads the OpenAI shape', () => {
    expect(readProviderError(JSON.stringify(fixture('error-openai-400-temperature.json')), 400)).toEqual({
      message: "Unsupported parameter: 'temperature' is not supported with this model.",
      type: 'invalid_request_error',
      param: 'temperature',
      code: 'unsupported_parameter'
    })
  })

  it('reads the AI/ML API shape with its request id', () => {
    expect(readProviderError(JSON.stringify(fixture('error-aimlapi-403-credits.json')), 403)).toEqual({
      message: "You've run out of credits. Please top up your balance or update your payment method to continue.",
      requestId: '4f0c6a5e-2b1d-4c7e-9a3f-8e2d1b0c9a7f'
    })
  })

  it.each([
    ['plain text', 'Bad Gateway', 'Bad Gateway'],
    ['an empty body', '', 'HTTP 502 with an empty body'],
    ['a string error field', '{"error":"upstream timeout"}', 'upstream timeout'],
    ['JSON without a message', '{"detail":1}', '{"detail":1}']
  ])('reads %s', (_label, body, message) => {
    expect(readProviderError(body, 502).message).toBe(message)
  })

  it('clips a long HTML error page to one line', () => {
    const page = `<html>\n<body>${'x'.repeat(2000)}</body>\n</html>`
    const { message } = readProviderError(page, 502)
    expect(message.length).toBeLessThanOrEqual(503)
    expect(message).not.toContain('\n')
  })
})
