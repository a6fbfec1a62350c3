/** Small statistics and formatting helpers for the benchmark's tables. */

/** Median of `values` (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

/** Milliseconds `work` took, by the monotonic clock. */
export function timeMs(work: () => unknown): number {
  const start = process.hrtime.bigint()
  work()
  return Number(process.hrtime.bigint() - start) / 1e6
}

/** Runs the garbage collector when node runs with --expose-gc (npm run bench does). */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc !== undefined) gc()
}

/** 12345.6 → "12,346". */
export function formatInteger(value: number): string {
  return Math.round(value).toLocaleString('en-US')
}

/** A number with `digits` decimals, grouped. */
export function formatDecimal(value: number, digits = 1): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

/** Bytes as MiB with one decimal. */
export function formatMiB(bytes: number): string {
  return `${formatDecimal(bytes / (1024 * 1024))} MiB`
}

/** A share as a percentage with `digits` decimals. */
export function formatPercent(share: number, digits = 1): string {
  return `${formatDecimal(share * 100, digits)}%`
}
