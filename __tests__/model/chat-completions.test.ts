import { buildResponsesRequest } from '../../src/model/build-request.js'
import { toChatCompletionsRequest } from '../../src/model/chat-completions-request.js'
import { readChatCompletion, readChatUsage, readEndpointReply } from '../../src/model/chat-completions-response.js'
import { FINDINGS_SCHEMA } from '../../src/model/findings-schema.js'
import { REVIEW_INSTRUCTIONS } from '../../src/model/instructions.js'
import { chatCompletionResponse, findChatBodyProblem } from '../../__fixtures__/servers/chat-completions-shapes.js'
import { completedResponse } from '../../__fixtures__/servers/responses-server.js'

const RESPONSES_BODY = buildResponsesRequest({
  model: 'openai/gpt-5-1',
  reasoningEffort: 'high',
  maxOutputTokens: 20_000,
  chunk: { id: 1, pieces: [], text: '<file path="a.ts">\n 1 + x', tokens: 5, changedLines: 1 },
  pullRequest: { title: 'Title', body: 'Body' },
  extraInstructions: 'Prefer early returns.'
})

describe('toChatCompletionsRequest', () => {
  const body = toChatCompletionsRequest(RESPONSES_BODY)

  it('carries the same instructions, input text and strict schema as the Responses body', () => {
    expect(body.messages).toEqual([
      { role: 'system', content: RESPONSES_BODY.instructions },
      { role: 'user', content: RESPONSES_BODY.input }
    ])
    expect(body.messages[0].content.startsWith(REVIEW_INSTRUCTIONS)).toBe(true)
    expect(body.messages[0].content).toContain('Prefer early returns.')
    expect(body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'code_review_findings', schema: FINDINGS_SCHEMA, strict: true }
    })
  })

  it('uses the chat field names for the budget and the effort, and sends no sampling or storage fields', () => {
    expect(body).toMatchObject({ model: 'openai/gpt-5-1', max_completion_tokens: 20_000, reasoning_effort: 'high' })
    expect(Object.keys(body).sort()).toEqual([
      'max_completion_tokens',
      'messages',
      'model',
      'reasoning_effort',
      'response_format'
    ])
    expect(findChatBodyProblem(body)).toBeUndefined()
  })
})

describe('the fake chat endpoint rejects what the real one rejects', () => {
  const valid = toChatCompletionsRequest(RESPONSES_BODY)
  it.each([
    ['temperature', { ...valid, temperature: 0.2 }, /'temperature' is not supported/],
    ['max_tokens', { ...valid, max_tokens: 100 }, /Use 'max_completion_tokens'/],
    ['an unknown field', { ...valid, store: false }, /Unrecognized key\(s\) in object: 'store'/],
    [
      'a Responses-only model',
      { ...valid, model: 'openai/gpt-5-1-codex-mini' },
      /only be called via the \/responses endpoint/
    ],
    ['effort none', { ...valid, reasoning_effort: 'none' }, /reasoning_effort/],
    [
      'a bad format name',
      { ...valid, response_format: { type: 'json_schema', json_schema: { name: 'a b', schema: {} } } },
      /json_schema.name/
    ]
  ])('%s', (_label, body, message) => {
    expect(findChatBodyProblem(body)).toMatch(message)
  })
})

describe('readChatCompletion', () => {
  it.each([
    ['stop', { text: '{"a":1}' }, { status: 'completed', text: '{"a":1}' }],
    [
      'length (out of tokens)',
      { text: '', finishReason: 'length' as const },
      { status: 'incomplete', incompleteReason: 'max_output_tokens' }
    ],
    [
      'content_filter',
      { text: null, finishReason: 'content_filter' as const },
      { status: 'incomplete', incompleteReason: 'content_filter', text: '' }
    ],
    [
      'a refusal',
      { text: null, refusal: 'I cannot help with that.' },
      { status: 'completed', refusal: 'I cannot help with that.' }
    ]
  ])('reads %s', (_label, options, expected) => {
    expect(readChatCompletion(chatCompletionResponse(options))).toMatchObject(expected)
  })

  it('reads the usage: prompt, cached, completion (reasoning included) and reasoning tokens', () => {
    const json = chatCompletionResponse({
      text: '{}',
      usage: { prompt_tokens: 5000, cached_tokens: 4096, completion_tokens: 900, reasoning_tokens: 700 }
    })
    expect(readChatCompletion(json).usage).toEqual({
      inputTokens: 5000,
      cachedInputTokens: 4096,
      outputTokens: 900,
      reasoningTokens: 700
    })
    expect(readChatUsage(undefined)).toEqual({
      inputTokens: 0,
      cachedInputTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0
    })
  })

  it('joins text parts, as some gateways send content as an array', () => {
    const json = {
      choices: [
        {
          finish_reason: 'stop',
          message: {
            content: [
              { type: 'text', text: '{"x":' },
              { type: 'text', text: '2}' }
            ]
          }
        }
      ]
    }
    expect(readChatCompletion(json).text).toBe('{"x":2}')
  })

  it('reads a body without choices as failed, with the error message a gateway sent', () => {
    expect(readChatCompletion({ error: { message: 'upstream timed out' } })).toMatchObject({
      status: 'failed',
      errorMessage: 'upstream timed out'
    })
    expect(readChatCompletion({ choices: [] })).toMatchObject({
      status: 'failed',
      errorMessage: 'the chat completion has no choices'
    })
    expect(() => readChatCompletion('nope')).toThrow(/not a chat completion/)
  })

  it('reads either endpoint into the same reading for the same answer', () => {
    const text = '{"overview":"o","findings":[]}'
    const chat = readEndpointReply(
      'chat-completions',
      chatCompletionResponse({ text, usage: { prompt_tokens: 10, completion_tokens: 5, reasoning_tokens: 1 } })
    )
    const responses = readEndpointReply(
      'responses',
      completedResponse({ text, usage: { input_tokens: 10, output_tokens: 5, reasoning_tokens: 1 } })
    )
    expect({ ...chat, model: undefined }).toEqual({ ...responses, model: undefined })
  })
})
