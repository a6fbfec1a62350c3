/**
 * Stable identity of a finding across chunks and runs. Only the path and the normalized title count:
 * the model rewords bodies and moves line numbers between runs, but a finding about the same thing in the
 * same file keeps its title closely enough to dedupe against comments left by earlier runs.
 */
import { createHash } from 'node:crypto'
import type { ModelFinding } from '../types.js'

/** Hex characters kept from the sha256: short enough for a hidden marker, long enough not to collide in one PR. */
export const FINGERPRINT_LENGTH = 12

/** Lowercases, trims and collapses whitespace; digits and punctuation are kept. */
export function normalizeTitle(title: string): string {
  return title.toLowerCase().replace(/\s+/g, ' ').trim()
}

/** Short stable hash of the finding's path and normalized title (body and category do not count). */
export function fingerprintFinding(finding: Pick<ModelFinding, 'path' | 'title' | 'body' | 'category'>): string {
  return createHash('sha256')
    .update(`${finding.path}\n${normalizeTitle(finding.title)}`)
    .digest('hex')
    .slice(0, FINGERPRINT_LENGTH)
}
