import { buildResponsesRequest, type BuildRequestOptions } from '../../src/model/build-request.js'
import {
  CONTEXT_INSTRUCTIONS,
  REVIEW_INSTRUCTIONS,
  REVIEW_INSTRUCTIONS_WITH_CONTEXT
} from '../../src/model/instructions.js'
import { buildVerificationRequest, VERIFY_INSTRUCTIONS } from '../../src/model/verify-findings.js'
import { measureRequestOverhead } from '../../src/engine/estimate.js'
import { countTokens } from '../../src/chunk/tokens.js'
import type { Chunk, ChunkContext } from '../../src/types.js'

const CONTEXT: ChunkContext = {
  text: '<context path="src/config.js" lines="3-3">\n   3 | const apiSecret = process.env.API_SECRET\n</context>\n',
  tokens: 25,
  blocks: [{ path: 'src/config.js', start: 3, end: 3, kinds: ['declaration'], tokens: 25 }]
}
const DIFF =
  '<file path="src/config.js" status="modified">\n@@ -50,1 +50,2 @@\n  50   x\n  51 + log(apiSecret)\n</file>\n'

const chunk = (context?: ChunkContext): Chunk => ({
  id: 1,
  pieces: [],
  text: DIFF,
  tokens: 30,
  changedLines: 1,
  ...(context === undefined ? {} : { context })
})
const options = (context?: ChunkContext): BuildRequestOptions => ({
  model: 'openai/gpt-5-1-codex-mini',
  reasoningEffort: 'medium',
  maxOutputTokens: 16_000,
  chunk: chunk(context),
  pullRequest: { title: 'Log config', body: '' }
})

describe('a request with context', () => {
  it('puts the context blocks after the PR text and before the diff', () => {
    const { input } = buildResponsesRequest(options(CONTEXT))
    expect(input).toBe(
      `<pull_request>\n<title>\nLog config\n</title>\n<description>\n(no description)\n</description>\n</pull_request>\n\n` +
        `${CONTEXT.text}\n<diff>\n${DIFF}\n</diff>`
    )
  })

  it('carries the context section in its instructions, even when its chunk found no context', () => {
    const empty = buildResponsesRequest(options({ text: '', tokens: 0, blocks: [] }))
    expect(empty.instructions).toBe(REVIEW_INSTRUCTIONS_WITH_CONTEXT)
    expect(empty.input).not.toContain('<context')
    expect(buildResponsesRequest(options(CONTEXT)).instructions).toBe(REVIEW_INSTRUCTIONS_WITH_CONTEXT)
  })

  it('is today’s request exactly without context', () => {
    const body = buildResponsesRequest(options())
    expect(body.instructions).toBe(REVIEW_INSTRUCTIONS)
    expect(body.input).not.toContain('<context')
  })

  it('adds the context section before the security rules, which still close the instructions', () => {
    expect(REVIEW_INSTRUCTIONS_WITH_CONTEXT).toContain(`\n\n${CONTEXT_INSTRUCTIONS}\n\n# Security\n`)
    expect(REVIEW_INSTRUCTIONS_WITH_CONTEXT.replace(`\n\n${CONTEXT_INSTRUCTIONS}`, '')).toBe(REVIEW_INSTRUCTIONS)
    expect(CONTEXT_INSTRUCTIONS).toContain(
      'Cite only lines numbered in the <diff>, never a line shown only in a context block.'
    )
  })

  it('lets the verifier see the same context, with a line saying what it is', () => {
    const { chunk: withContext, pullRequest } = options(CONTEXT)
    const request = buildVerificationRequest({
      model: 'openai/gpt-5-1-codex',
      reasoningEffort: 'medium',
      maxOutputTokens: 8_000,
      chunk: withContext,
      pullRequest,
      findings: []
    })
    expect(request.input).toContain(CONTEXT.text)
    expect(request.instructions.startsWith(VERIFY_INSTRUCTIONS)).toBe(true)
    expect(request.instructions).toContain('<context path=')
  })

  it('counts the longer instructions in the estimate when context is on', () => {
    const pullRequest = { title: 't', body: '' }
    expect(measureRequestOverhead(pullRequest, { withContext: true }).instructionTokens).toBe(
      countTokens(REVIEW_INSTRUCTIONS_WITH_CONTEXT)
    )
    expect(measureRequestOverhead(pullRequest).instructionTokens).toBe(countTokens(REVIEW_INSTRUCTIONS))
  })
})
