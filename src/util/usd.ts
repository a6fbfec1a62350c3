/** Dollars as every view and log line shows them, so one amount never reads two ways in one run. */

/** Dollars with enough digits to tell small amounts apart: $0.0031, $1.24. */
export function formatUsd(value: number): string {
  if (value === 0) return '$0.00'
  return value < 1 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`
}
