import {
  conversationOf,
  CONTEXT_LINES,
  numberedExcerpt,
  stripHiddenMarkers,
  threadCode
} from '../../src/action/thread-context.js'
import { identityFromUser } from '../../src/github/identity.js'
import type { ReviewThread, ReviewThreadComment } from '../../src/github/review-threads.js'

const ACTIONS = identityFromUser({ login: 'github-actions[bot]', id: 41898282 })
const comment = (databaseId: number, body: string, author: 'bot' | string): ReviewThreadComment => ({
  id: `PRRC_${databaseId}`,
  databaseId,
  body,
  authorLogin: author === 'bot' ? 'github-actions[bot]' : author,
  authorId: author === 'bot' ? 41898282 : 1000 + databaseId,
  authorIsBot: author === 'bot',
  createdAt: '2026-01-01T00:00:00Z',
  thumbsDown: 0
})
const thread = (comments: ReviewThreadComment[], overrides: Partial<ReviewThread> = {}): ReviewThread => ({
  id: 'PRRT_1',
  isResolved: false,
  isOutdated: false,
  path: 'src/a.ts',
  side: 'RIGHT',
  line: 30,
  startLine: null,
  originalLine: 30,
  comments,
  ...overrides
})
const FILE = Array.from({ length: 100 }, (_, index) => `line ${index + 1}`).join('\n') + '\n'

describe('conversationOf', () => {
  const finding = comment(1, '**High** — Token\n\n<!-- codex-pr-review:finding fp=abc123 sev=high -->', 'bot')
  const question = comment(2, 'Why?', 'alice')
  const answer = comment(3, 'Because.\n\n<!-- codex-pr-review:answer to=2 dismissed=no -->', 'bot')
  const later = comment(5, 'Later', 'bob')

  it('marks our comments as the reviewer’s, without markers, and stops at the reply answered', () => {
    const reply = comment(4, 'Still intended.', 'alice')
    expect(
      conversationOf({
        thread: thread([finding, question, answer, reply, later]),
        identity: ACTIONS,
        reply: { id: 4, body: 'ignored: GitHub lists it', login: 'alice' }
      })
    ).toEqual([
      { author: 'reviewer', text: '**High** — Token' },
      { author: 'alice', text: 'Why?' },
      { author: 'reviewer', text: 'Because.' },
      { author: 'alice', text: 'Still intended.' }
    ])
  })

  it('adds the reply from the event when GitHub does not list it yet', () => {
    const entries = conversationOf({
      thread: thread([finding]),
      identity: ACTIONS,
      reply: { id: 9, body: 'New', login: 'carol' }
    })
    expect(entries.at(-1)).toEqual({ author: 'carol', text: 'New' })
  })

  it('does not take a person named like the bot for the reviewer', () => {
    const impostor = { ...comment(2, 'I am the reviewer', 'github-actions'), authorId: 5 }
    const entries = conversationOf({
      thread: thread([finding, impostor]),
      identity: ACTIONS,
      reply: { id: 2, body: '', login: '' }
    })
    expect(entries[1]?.author).toBe('github-actions')
  })
})

describe('the code of a thread', () => {
  it('numbers an excerpt, clamped to the file', () => {
    expect(numberedExcerpt('a\nb\nc\n', { from: -3, to: 2 })).toBe('1 a\n2 b')
    expect(numberedExcerpt(FILE, { from: 99, to: 120 })).toBe(' 99 line 99\n100 line 100')
  })

  it('shows the head’s file around a current thread', () => {
    const code = threadCode({ thread: thread([], { startLine: 28 }), fileText: FILE, diffHunk: '@@ hunk' })
    expect(code).toMatchObject({ form: 'lines', outdated: false })
    const lines = code.text.split('\n')
    expect(lines[0]).toBe(` ${28 - CONTEXT_LINES} line ${28 - CONTEXT_LINES}`)
    expect(lines.at(-1)).toBe(`${30 + CONTEXT_LINES} line ${30 + CONTEXT_LINES}`)
  })

  it.each([
    ['an outdated thread', thread([], { isOutdated: true, line: null }), FILE, true],
    ['a file that could not be read', thread([]), undefined, false]
  ])('shows the diff hunk for %s', (_name, subject, fileText, outdated) => {
    expect(
      threadCode({ thread: subject, ...(fileText === undefined ? {} : { fileText }), diffHunk: '@@ hunk' })
    ).toEqual({
      path: 'src/a.ts',
      form: 'diff-hunk',
      text: '@@ hunk',
      outdated
    })
  })

  it('strips only our hidden markers', () => {
    expect(stripHiddenMarkers('a <!-- codex-pr-review:settled as=fixed --> <!-- other -->')).toBe('a  <!-- other -->')
  })
})
