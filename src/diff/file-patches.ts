/**
 * GitHub's `pulls.listFiles` entries → DiffFile[], for pull requests whose unified diff GitHub refuses (406).
 * Each entry's `patch` holds only hunks; its paths and status come from the entry itself.
 */
import type { DiffFile, FileStatus, PullFileEntry } from '../types.js'
import { isSubprojectPatch } from './default-skips.js'
import { countChanges, parseHunks } from './parse.js'

/** Why a file from listFiles has no hunks although it changed. */
export const MISSING_PATCH_REASON = 'GitHub sent none (binary, or its diff is too large)'

const STATUS_BY_GITHUB_STATUS: Readonly<Record<string, FileStatus>> = {
  added: 'added',
  removed: 'deleted',
  modified: 'modified',
  renamed: 'renamed',
  copied: 'copied',
  changed: 'modified',
  unchanged: 'modified'
}

/** Translates listFiles entries; entries without a patch keep GitHub's counts and a `missingPatchReason`. */
export function parseFilePatches(entries: readonly PullFileEntry[]): DiffFile[] {
  return entries.map(translateEntry)
}

function translateEntry(entry: PullFileEntry): DiffFile {
  const status = STATUS_BY_GITHUB_STATUS[entry.status] ?? 'modified'
  const hasPreviousPath = (status === 'renamed' || status === 'copied') && entry.previousFilename !== undefined
  const base = {
    path: entry.filename,
    ...(hasPreviousPath ? { previousPath: entry.previousFilename } : {}),
    status,
    binary: false
  }
  if (entry.patch !== undefined && entry.patch.length > 0) {
    const hunks = parseHunks(entry.patch)
    return { ...base, hunks, ...countChanges(hunks), ...(isSubprojectPatch({ hunks }) ? { submodule: true } : {}) }
  }
  // A pure rename has no patch because nothing inside changed; anything else without one lost its patch.
  const lostPatch = entry.additions + entry.deletions > 0 || status !== 'renamed'
  return {
    ...base,
    hunks: [],
    additions: entry.additions,
    deletions: entry.deletions,
    ...(lostPatch ? { missingPatchReason: MISSING_PATCH_REASON } : {})
  }
}
