/**
 * A stand-in for the model's judgement, used behind the loopback Responses server: it reads the diff
 * the action really sent and answers with findings that cite it the way a real model does, right and
 * wrong: a good line, a line far outside the diff, a path that is not in the diff, a deleted line's
 * neighbourhood. Only the judgement is scripted; the HTTP exchange and the request are real.
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
}

/**
 * Findings for one request: one per file on its first added line (with a suggestion on every other
 * file), plus, when `wrongCitations` is set, one far outside the diff and one on a path that does not exist.
 */
export function scriptFindings(
  request: RecordedRequest,
  options: { readonly wrongCitations?: boolean; readonly perFile?: number } = {}
): { overview: string; findings: ScriptedFinding[] } {
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
        replacement: index % 2 === 0 ? 'const fixed = true' : null
      })
      index += 1
    }
  }
  const first = added[0]
  if (options.wrongCitations === true && first !== undefined) {
    findings.push({ ...baseFinding(first.path), line: first.line + 100_000, title: 'Cites a line far outside the diff' })
    findings.push({ ...baseFinding('no/such/file.ts'), line: 3, title: 'Cites a file that is not in the diff' })
  }
  return { overview: `Reviewed ${byPath.size} file(s).`, findings }
}

function baseFinding(path: string): ScriptedFinding {
  return { path, line: 1, start_line: null, severity: 'medium', category: 'bug', title: '', body: 'Out of place.', replacement: null }
}
