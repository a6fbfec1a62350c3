/**
 * What the CLI shows while it waits on the model, which can be minutes with a real one. On a terminal: one live
 * line on stderr (requests in flight, done, elapsed time, tokens so far), redrawn every second and whenever a
 * request starts or ends, and cleared around every other line printed. Not on a terminal (CI logs, a pipe):
 * the same status as a plain line every few seconds of waiting, so a log never looks stuck and never fills
 * with control characters.
 */
import type { ReviewProgress } from '../engine/review-chunks.js'
import type { Chunk, ChunkOutcome } from '../types.js'
import type { TextSink } from './stream-logger.js'
import { formatInteger, toTerminalText } from './terminal-text.js'

/** How often the live line is redrawn on a terminal. */
export const TERMINAL_REDRAW_MS = 1_000
/** How often a status line is printed while waiting, when stderr is not a terminal. */
export const PLAIN_INTERVAL_MS = 10_000
/** Carriage return, then "erase the whole line" (ECMA-48 EL 2). */
const CLEAR_LINE = '\r\u001b[2K'

/** Starts a repeating timer; returns a function that stops it. */
export type RepeatTimer = (callback: () => void, everyMs: number) => () => void

const defaultTimer: RepeatTimer = (callback, everyMs) => {
  const timer = setInterval(callback, everyMs)
  timer.unref()
  return () => clearInterval(timer)
}

export interface ProgressOptions {
  /** Where progress goes: stderr. */
  readonly sink: TextSink
  /** stderr is a terminal: draw a live line; else print plain lines. */
  readonly terminal: boolean
  /** The terminal's width; the live line is cut to it. */
  readonly columns?: number
  readonly now?: () => number
  /** Between plain status lines; {@link PLAIN_INTERVAL_MS} by default. */
  readonly intervalMs?: number
  readonly timer?: RepeatTimer
}

/** The engine's progress hooks, plus the stream the CLI's own lines must go through, and `stop`. */
export interface ProgressReporter extends ReviewProgress {
  /** stderr for everyone else: on a terminal, the live line is cleared before and redrawn after each write. */
  readonly sink: TextSink
  /** The number of requests to come, once the plan is known. */
  expect(total: number): void
  /** Ends the line (or the timer) once the review is over. */
  stop(): void
}

/** "2 of 5 requests done, 3 in flight, 1:05 elapsed, 12,345 tokens so far". */
export function describeProgress(state: {
  readonly total: number
  readonly done: number
  readonly inFlight: number
  readonly elapsedMs: number
  readonly tokens: number
}): string {
  const seconds = Math.floor(state.elapsedMs / 1000)
  const elapsed = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
  return (
    `${formatInteger(state.done)} of ${formatInteger(state.total)} requests done, ${formatInteger(state.inFlight)} in flight, ` +
    `${elapsed} elapsed, ${formatInteger(state.tokens)} tokens so far`
  )
}

function tokensOf(outcome: ChunkOutcome): number {
  const usage = outcome.ok ? outcome.review.usage : outcome.usage
  return usage.inputTokens + usage.outputTokens
}

/** A reporter; nothing is shown until the first request starts. */
export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  let total = 0
  const now = options.now ?? Date.now
  const timer = options.timer ?? defaultTimer
  const state = { done: 0, inFlight: 0, tokens: 0 }
  let startedAt: number | undefined
  let stopTimer: (() => void) | undefined
  let lineShown = false

  const status = (): string =>
    `Reviewing: ${describeProgress({ total, ...state, elapsedMs: startedAt === undefined ? 0 : now() - startedAt })}`
  const draw = (): void => {
    if (!options.terminal || startedAt === undefined || stopTimer === undefined) return
    const width = Math.max(20, (options.columns ?? 80) - 1)
    const text = toTerminalText(status())
    options.sink.write(`${CLEAR_LINE}${text.length > width ? `${text.slice(0, width - 1)}…` : text}`)
    lineShown = true
  }
  const clear = (): void => {
    if (!lineShown) return
    options.sink.write(CLEAR_LINE)
    lineShown = false
  }
  const start = (): void => {
    if (startedAt !== undefined) return
    startedAt = now()
    stopTimer = options.terminal
      ? timer(draw, TERMINAL_REDRAW_MS)
      : timer(() => {
          if (state.inFlight > 0) options.sink.write(`${status()}\n`)
        }, options.intervalMs ?? PLAIN_INTERVAL_MS)
  }

  return {
    sink: {
      write: (text: string) => {
        clear()
        const written = options.sink.write(text)
        draw()
        return written
      }
    },
    expect: (count: number) => {
      total = count
    },
    started: (_chunk: Chunk) => {
      start()
      state.inFlight += 1
      draw()
    },
    finished: (outcome: ChunkOutcome) => {
      state.inFlight = Math.max(0, state.inFlight - 1)
      state.done += 1
      state.tokens += tokensOf(outcome)
      draw()
    },
    notSent: (_outcome: ChunkOutcome) => {
      total = Math.max(state.done + state.inFlight, total - 1)
      draw()
    },
    stop: () => {
      stopTimer?.()
      stopTimer = undefined
      clear()
    }
  }
}
