/** Findings in every state the reports must handle: inline, summary-only (on and off the diff), held back. */
import { buildLineIndex } from '../../src/diff/line-index.js'
import type { BelowThresholdFinding } from '../../src/review/severity-gate.js'
import type { DiffFile, ModelFinding, PlacementResult } from '../../src/types.js'

export const FILE: DiffFile = {
  path: 'src/my file.ts',
  status: 'modified',
  binary: false,
  additions: 3,
  deletions: 0,
  hunks: [
    {
      header: '@@ -1,2 +1,5 @@',
      oldStart: 1,
      oldLines: 2,
      newStart: 1,
      newLines: 5,
      lines: [
        { kind: 'context', content: 'a', oldNumber: 1, newNumber: 1 },
        { kind: 'add', content: 'b', newNumber: 2 },
        { kind: 'add', content: 'c', newNumber: 3 },
        { kind: 'add', content: 'd', newNumber: 4 },
        { kind: 'context', content: 'e', oldNumber: 2, newNumber: 5 }
      ]
    }
  ]
}
export const LINE_INDEX = buildLineIndex([FILE])

export function modelFinding(overrides: Partial<ModelFinding> = {}): ModelFinding {
  return {
    path: FILE.path,
    line: 3,
    startLine: null,
    severity: 'high',
    category: 'bug',
    title: 'Wrong index',
    body: 'Uses `i + 1`.',
    replacement: null,
    chunkId: 1,
    ...overrides
  }
}

export const PLACEMENT: PlacementResult = {
  inline: [
    {
      finding: modelFinding({ severity: 'critical', category: 'security', title: 'SQL injection' }),
      path: FILE.path,
      line: 4,
      startLine: 2,
      fingerprint: 'fp-inline'
    }
  ],
  summaryOnly: [
    {
      finding: modelFinding({ severity: 'medium', line: 3, title: 'Over the limit' }),
      reason: 'over the max-comments limit (1)',
      fingerprint: 'fp-over'
    },
    {
      finding: modelFinding({ severity: 'high', line: 400, title: 'Far away' }),
      reason: 'line 400 is not in the diff',
      fingerprint: 'fp-far'
    }
  ],
  duplicates: 1
}

export const BELOW: readonly BelowThresholdFinding[] = [
  {
    finding: modelFinding({ severity: 'nit', line: 2, category: 'style', title: 'Naming' }),
    path: FILE.path,
    line: 2,
    fingerprint: 'fp-nit'
  }
]
