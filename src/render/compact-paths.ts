import { describeSkip } from '../diff/filter.js'
import type { SkippedFile } from '../types.js'
import { escapeTableCell, sanitizeLine } from '../markdown/sanitize.js'
import { formatCount, formatPath } from './format.js'

/** Folders with at least this many files of the same reason are listed as one row. */
export const MIN_FOLDER_GROUP = 3

function folderOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash === -1 ? '' : path.slice(0, slash + 1)
}

/**
 * Groups files by (folder, reason) so a long list still names where every file is: a folder with
 * several files skipped for one reason becomes one row with its count; the others keep their own row.
 * Order follows the first file of each group.
 */
export function compactSkippedRows(files: readonly SkippedFile[], renderRow: (file: SkippedFile) => string): string[] {
  const groups = new Map<string, SkippedFile[]>()
  for (const file of files) {
    const key = `${file.reason}\u0000${folderOf(file.path)}`
    groups.set(key, [...(groups.get(key) ?? []), file])
  }
  return [...groups.values()].flatMap((group) => {
    const first = group[0]
    if (first === undefined) return []
    if (group.length < MIN_FOLDER_GROUP || folderOf(first.path) === '') return group.map(renderRow)
    const details = new Set(group.map((file) => file.detail))
    const reason = details.size === 1 ? describeSkip(first) : first.reason
    const folder = `${formatPath(folderOf(first.path))} (${formatCount(group.length)} files)`
    return [`| ${escapeTableCell(folder)} | ${escapeTableCell(sanitizeLine(reason, 300))} |`]
  })
}

/** The same grouping for the reviewed-files list: a folder with several reviewed files is one line. */
export function compactPathItems(paths: readonly string[]): string[] {
  const groups = new Map<string, string[]>()
  for (const path of paths) groups.set(folderOf(path), [...(groups.get(folderOf(path)) ?? []), path])
  return [...groups.entries()].flatMap(([folder, group]) =>
    group.length < MIN_FOLDER_GROUP || folder === ''
      ? group.map((path) => `- ${formatPath(path)}`)
      : [`- ${formatPath(folder)} (${formatCount(group.length)} files)`]
  )
}
