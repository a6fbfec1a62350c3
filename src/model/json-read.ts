/**
 * Defensive reads of JSON from a model API: answers are untrusted and gateways differ, so every field is
 * checked for its type and a missing or wrong one reads as absent (or 0 for counts).
 */
export type JsonObject = Readonly<Record<string, unknown>>

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function readString(object: JsonObject | undefined, key: string): string | undefined {
  const value = object?.[key]
  return typeof value === 'string' ? value : undefined
}

/** A non-negative finite number, else 0: usage counts some gateways omit or send as null. */
export function readCount(object: JsonObject | undefined, key: string): number {
  const value = object?.[key]
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0
}

export function child(object: JsonObject | undefined, key: string): JsonObject | undefined {
  const value = object?.[key]
  return isObject(value) ? value : undefined
}
