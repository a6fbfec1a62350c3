/**
 * A pull request with a real history for re-run tests: a base commit, a first head, and a model stand-in
 * whose findings depend only on what it was sent (one per file, on the file's first added line, titled by
 * the path), so a re-review of the same code yields the same finding and fingerprint, as a steady model would.
 */
import { readSentDiff } from '../model/scripted-reviewer.js'
import type { RecordedRequest } from '../servers/responses-server.js'
import { addCommit, createCommitGraph, pullDiffOf, type FakeCommitGraph } from '../servers/fake-git.js'
import type { FakePull } from '../servers/github-shapes.js'

/** `count` numbered lines `<prefix> <n>`, each ending with a newline. */
export function numberedLines(prefix: string, count: number): string {
  return Array.from({ length: count }, (_, index) => `${prefix} ${index + 1}`).join('\n') + '\n'
}

/** Replaces 1-based line `line` of `text` with `lines` (several lines insert). */
export function replaceLine(text: string, line: number, ...lines: string[]): string {
  const all = text.split('\n')
  all.splice(line - 1, 1, ...lines)
  return all.join('\n')
}

export const BASE_FILES = {
  'src/app.ts': numberedLines('export const app =', 30),
  'src/util.ts': numberedLines('export const util =', 30),
  'README.md': '# hello\n'
}

export interface PullHistory {
  readonly graph: FakeCommitGraph
  readonly baseSha: string
  readonly pull: FakePull
}

/**
 * Base: src/app.ts, src/util.ts. First head: two lines added to src/app.ts after line 5 and a new
 * src/new.ts.
 */
export function createPullHistory(number = 21): PullHistory {
  const graph = createCommitGraph()
  const baseSha = addCommit(graph, { parents: [], changes: BASE_FILES, message: 'base' })
  const headSha = addCommit(graph, {
    parents: [baseSha],
    message: 'first change',
    changes: {
      'src/app.ts': replaceLine(
        BASE_FILES['src/app.ts'],
        5,
        'export const app = 5',
        'const token = readTokenFromEnv()',
        'send(token)'
      ),
      'src/new.ts': numberedLines('export const fresh =', 4)
    }
  })
  const pull: FakePull = {
    number,
    title: 'Send the token',
    body: 'Adds a sender.',
    headSha,
    baseSha,
    headRef: 'feature',
    baseRef: 'main',
    diff: pullDiffOf(graph, baseSha, headSha)
  }
  return { graph, baseSha, pull }
}

/** One finding per file of the sent diff, on its first added line, titled by the path only. */
export function steadyFindings(request: RecordedRequest): { overview: string; findings: unknown[] } {
  const firstAdded = new Map<string, number>()
  for (const line of readSentDiff(request)) {
    if (line.kind === '+' && !firstAdded.has(line.path)) firstAdded.set(line.path, line.line)
  }
  const findings = [...firstAdded].map(([path, line]) => ({
    path,
    line,
    start_line: null,
    severity: 'medium',
    category: 'bug',
    title: `Unchecked value in ${path}`,
    body: 'Validate it before use.',
    replacement: null
  }))
  return { overview: `Reviewed ${firstAdded.size} file(s).`, findings }
}

/** Paths of the `<file path="…">` blocks a request sent. */
export function sentPaths(request: RecordedRequest): string[] {
  return [...new Set(readSentDiff(request).map((line) => line.path))].sort()
}
