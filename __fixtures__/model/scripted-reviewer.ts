/**
 * A stand-in for the model's judgement, used behind the loopback Responses server: it reads the diff
 * the action really sent and answers with findings that cite it the way a real model does, right and
 * wrong: a good line, a line far outside the diff, a path that is not in the diff, a deleted line's
 * neighbourhood. Every finding carries a confidence and every answer a verdict, as the schema asks;
 * in noisy mode the answer also carries the doubtful findings a real model adds (low confidence, on real
 * lines). Only the judgement is scripted; the HTTP exchange and the request are real.
 */
import { readSentInput } from '../servers/chat-completions-shapes.js'
import type { RecordedRequest } from '../servers/responses-server.js'

export interface CitedLine {
  readonly path: string
  readonly line: number
  readonly kind: '+' | ' ' | '-'
}

/** The `<file path="…">` blocks and numbered lines of the `<diff>` in a recorded request. */
export function readSentDiff(request: RecordedRequest): CitedLine[] {
  // Responses `input` or the chat `user` message: both endpoints carry the same text.
  const input = readSentInput(request)
  const diff = input.slice(input.indexOf('<diff>'))
  const lines: CitedLine[] = []
  let path = ''
  for (const row of diff.split('\n')) {
    const header = /^<file path=("(?:[^"\\]|\\.)*")/.exec(row)
    if (header?.[1] !== undefined) {
      path = JSON.parse(header[1]) as string
      continue
    }
    const numbered = /^ *(\d+) ([+ ]) /.exec(row)
    if (numbered?.[1] !== undefined && path !== '') {
      lines.push({ path, line: Number(numbered[1]), kind: numbered[2] as '+' | ' ' })
    }
  }
  return lines
}

export interface ScriptedFinding {
  path: string
  line: number
  start_line: number | null
  severity: 'critical' | 'high' | 'medium' | 'low' | 'nit'
  category: string
  title: string
  body: string
  replacement: string | null
  /** Optional so a test can script an answer that leaves it out, as a provider ignoring strict mode does. */
  confidence?: number
}

/** The answer's verdict fields, as the schema names them. */
export interface ScriptedVerdict {
  verdict: 'correct' | 'incorrect'
  verdict_reason: string
  verdict_confidence: number
}

/** Confidence of every planted finding: well above any sensible `min-confidence`, so they are all posted. */
export const PLANTED_CONFIDENCE = 0.9
/** Noise findings per file in noisy mode, unless `noisePerFile` says otherwise. */
export const NOISE_PER_FILE = 2
/** Confidences of the noise findings, in turn: all below the default `min-confidence` of 0.5. */
export const NOISE_CONFIDENCES = [0.15, 0.3, 0.45, 0.2] as const
/** Every noise finding's title starts with this, so tests and the benchmark can tell noise from planted findings. */
export const NOISE_TITLE_PREFIX = 'Speculative concern'

export interface ScriptOptions {
  /** Adds one finding far outside the diff and one on a path that does not exist. */
  readonly wrongCitations?: boolean
  /** Planted findings per file, on its first added lines (default 1). */
  readonly perFile?: number
  /**
   * Noisy mode: adds low-confidence findings ({@link NOISE_CONFIDENCES}) on real added lines of each file
   * of the sent chunk, severities high to nit in turn, so a doubtful high finding competes with planted ones.
   */
  readonly noisy?: boolean
  /** Noise findings per file in noisy mode (default {@link NOISE_PER_FILE}). */
  readonly noisePerFile?: number
}

/**
 * Findings for one request: one per file on its first added line (with a suggestion on every other
 * file), plus, when `wrongCitations` is set, one far outside the diff and one on a path that does not exist,
 * and in noisy mode the noise findings. All planted findings have confidence {@link PLANTED_CONFIDENCE}; the
 * verdict is `incorrect` when a planted finding is high or critical.
 */
export function scriptFindings(
  request: RecordedRequest,
  options: ScriptOptions = {}
): { overview: string; findings: ScriptedFinding[] } & ScriptedVerdict {
  const sent = readSentDiff(request)
  const added = sent.filter((line) => line.kind === '+')
  const byPath = new Map<string, CitedLine[]>()
  for (const line of added) byPath.set(line.path, [...(byPath.get(line.path) ?? []), line])
  const findings: ScriptedFinding[] = []
  let index = 0
  for (const [path, lines] of byPath) {
    for (const line of lines.slice(0, options.perFile ?? 1)) {
      findings.push({
        path,
        line: line.line,
        start_line: null,
        severity: (['high', 'medium', 'low', 'nit'] as const)[index % 4] ?? 'low',
        category: 'bug',
        title: `Possible problem ${index} in ${path.split('/').pop() ?? path}`,
        body: `Check line ${line.line}; cc @octo-org/security-team.`,
        replacement: index % 2 === 0 ? 'const fixed = true' : null,
        confidence: PLANTED_CONFIDENCE
      })
      index += 1
    }
  }
  const first = added[0]
  if (options.wrongCitations === true && first !== undefined) {
    findings.push({
      ...baseFinding(first.path),
      line: first.line + 100_000,
      title: 'Cites a line far outside the diff'
    })
    findings.push({ ...baseFinding('no/such/file.ts'), line: 3, title: 'Cites a file that is not in the diff' })
  }
  const noise = options.noisy === true ? scriptNoise(byPath, options.noisePerFile ?? NOISE_PER_FILE) : []
  return { overview: `Reviewed ${byPath.size} file(s).`, findings: [...findings, ...noise], ...scriptVerdict(findings) }
}

/**
 * Noise: `perFile` findings per file on its added lines, from the last one backwards (so they rarely share
 * a line with the planted findings, which take the first ones), each with a title of its own.
 */
function scriptNoise(byPath: ReadonlyMap<string, readonly CitedLine[]>, perFile: number): ScriptedFinding[] {
  const noise: ScriptedFinding[] = []
  for (const [path, lines] of byPath) {
    for (let n = 0; n < perFile; n += 1) {
      const line = lines[Math.max(0, lines.length - 1 - n)] ?? lines[0]
      if (line === undefined) continue
      const index = noise.length
      noise.push({
        path,
        line: line.line,
        start_line: null,
        severity: (['high', 'medium', 'low', 'nit'] as const)[index % 4] ?? 'low',
        category: 'maintainability',
        title: `${NOISE_TITLE_PREFIX} ${index} in ${path.split('/').pop() ?? path}`,
        body: `This might misbehave somewhere else (line ${line.line}).`,
        replacement: null,
        confidence: NOISE_CONFIDENCES[index % NOISE_CONFIDENCES.length] ?? 0.1
      })
    }
  }
  return noise
}

/** The verdict a reviewer would give for these planted findings. */
function scriptVerdict(planted: readonly ScriptedFinding[]): ScriptedVerdict {
  const blocking = planted.filter((finding) => finding.severity === 'critical' || finding.severity === 'high')
  if (blocking.length === 0) {
    return { verdict: 'correct', verdict_reason: 'Nothing here breaks existing behaviour.', verdict_confidence: 0.8 }
  }
  return {
    verdict: 'incorrect',
    verdict_reason: `${blocking.length} high-severity problem(s), starting with "${blocking[0]?.title ?? ''}".`,
    verdict_confidence: 0.85
  }
}

function baseFinding(path: string): ScriptedFinding {
  return {
    path,
    line: 1,
    start_line: null,
    severity: 'medium',
    category: 'bug',
    title: '',
    body: 'Out of place.',
    replacement: null,
    confidence: PLANTED_CONFIDENCE
  }
}
