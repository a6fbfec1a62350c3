/** Number and path formatting shared by every Markdown section we post. */
import { MAX_PATH_CHARS } from '../markdown/limits.js'
import { formatCodeSpan, sanitizeLine } from '../markdown/sanitize.js'

/** 12345 → "12,345". */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US')
}

/** "1 file", "2,000 files". */
export function formatQuantity(value: number, noun: string): string {
  return `${formatCount(value)} ${noun}${value === 1 ? '' : 's'}`
}

/** Inline code for a path or other diff/model text, safe in tables and for notifications. */
export function formatPath(path: string): string {
  return formatCodeSpan(sanitizeLine(path, MAX_PATH_CHARS))
}
