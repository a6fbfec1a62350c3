import { ConfigError } from '../errors.js'

/** Reads one raw input by name ('' when unset), as `core.getInput` or a CLI flag table does. */
export type InputReader = (name: string) => string

/** Parses a whole number input within [min, max]; the error names the input, the value and the range. */
export function readInteger(
  read: InputReader,
  options: { readonly name: string; readonly fallback: number; readonly min: number; readonly max: number }
): number {
  const raw = read(options.name).trim()
  if (raw === '') return options.fallback
  const cleaned = raw.replaceAll('_', '')
  if (!/^-?\d+$/.test(cleaned)) {
    throw new ConfigError(
      `Input "${options.name}" must be a whole number between ${options.min} and ${options.max}; got "${raw}".`
    )
  }
  const value = Number(cleaned)
  if (!Number.isSafeInteger(value) || value < options.min || value > options.max) {
    throw new ConfigError(`Input "${options.name}" must be between ${options.min} and ${options.max}; got ${raw}.`)
  }
  return value
}

/**
 * Parses a decimal number input within [min, max], e.g. `0.5`, `.75` or `1`; the error names the input,
 * the value and the range. No exponents, percentages or thousands separators: a threshold is written plainly.
 */
export function readDecimal(
  read: InputReader,
  options: { readonly name: string; readonly fallback: number; readonly min: number; readonly max: number }
): number {
  const raw = read(options.name).trim()
  if (raw === '') return options.fallback
  const range = `between ${options.min} and ${options.max}`
  if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(raw)) {
    throw new ConfigError(
      `Input "${options.name}" must be a number ${range}, such as ${options.fallback}; got "${raw}".`
    )
  }
  const value = Number(raw)
  if (value < options.min || value > options.max) {
    throw new ConfigError(`Input "${options.name}" must be ${range}; got ${raw}.`)
  }
  return value
}

/**
 * Parses an amount of US dollars within [0, max], e.g. `0.50`, `$2` or `10`; 0 means "no limit". The error
 * names the input, the value and the range.
 */
export function readDollars(
  read: InputReader,
  options: { readonly name: string; readonly max: number; readonly example: string }
): number {
  const raw = read(options.name).trim()
  if (raw === '') return 0
  const cleaned = raw.replace(/^\$/, '').replaceAll('_', '')
  const range = `an amount of US dollars from 0 to ${options.max}, such as ${options.example} (0 = no limit)`
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(cleaned)) {
    throw new ConfigError(`Input "${options.name}" must be ${range}; got "${raw}".`)
  }
  const value = Number(cleaned)
  if (!Number.isFinite(value) || value > options.max) {
    throw new ConfigError(`Input "${options.name}" must be ${range}; got ${raw}.`)
  }
  return value
}

/** Parses one of a fixed set of values, case-insensitively. */
export function readChoice<T extends string>(
  read: InputReader,
  options: { readonly name: string; readonly fallback: T; readonly allowed: readonly T[] }
): T {
  const raw = read(options.name).trim().toLowerCase()
  if (raw === '') return options.fallback
  const match = options.allowed.find((value) => value === raw)
  if (match === undefined) {
    throw new ConfigError(
      `Input "${options.name}" must be one of ${options.allowed.join(', ')}; got "${read(options.name).trim()}".`
    )
  }
  return match
}

const TRUE_VALUES = ['true', 'yes', 'on', '1']
const FALSE_VALUES = ['false', 'no', 'off', '0']

/** Parses a boolean input the way YAML 1.2 core schema users expect. */
export function readBoolean(
  read: InputReader,
  options: { readonly name: string; readonly fallback: boolean }
): boolean {
  const raw = read(options.name).trim().toLowerCase()
  if (raw === '') return options.fallback
  if (TRUE_VALUES.includes(raw)) return true
  if (FALSE_VALUES.includes(raw)) return false
  throw new ConfigError(`Input "${options.name}" must be true or false; got "${read(options.name).trim()}".`)
}

/**
 * Splits a list input on newlines and on commas outside `{}` (so `*.{ts,tsx}` stays one glob).
 * Blank entries and `#` comments are ignored, which lets a YAML block scalar carry notes.
 */
export function readList(read: InputReader, name: string): string[] {
  const entries: string[] = []
  for (const line of read(name).split(/\r?\n/)) {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    entries.push(...splitTopLevelCommas(trimmed))
  }
  return entries
}

function splitTopLevelCommas(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let current = ''
  for (const char of text) {
    if (char === '{') depth += 1
    if (char === '}') depth = Math.max(0, depth - 1)
    if (char === ',' && depth === 0) {
      parts.push(current)
      current = ''
      continue
    }
    current += char
  }
  parts.push(current)
  return parts.map((part) => part.trim()).filter((part) => part !== '')
}

/**
 * True for hosts that name this machine: `localhost`, 127.0.0.0/8, `::1` and its IPv4-mapped forms. Takes
 * `URL.hostname`, which the URL parser has already normalised (`127.1` ⇒ `127.0.0.1`, `[::ffff:127.0.0.1]` ⇒
 * `[::ffff:7f00:1]`, lower case).
 */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)) return true
  return /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(hostname)
}

/**
 * Parses an http(s) URL input and drops a trailing slash, so `${base}/responses` is always right. The API
 * key is sent to this URL, so plain http is refused for any host but this machine unless `allowInsecure`.
 */
export function readBaseUrl(
  read: InputReader,
  options: {
    readonly name: string
    readonly fallback: string
    /** Input that allows http to other hosts, named in the error. */
    readonly allowInsecureInput: string
    readonly allowInsecure: boolean
  }
): string {
  const raw = read(options.name).trim() || options.fallback
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError(`Input "${options.name}" must be an http(s) URL such as ${options.fallback}; got "${raw}".`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`Input "${options.name}" must use http or https; got "${url.protocol}" in "${raw}".`)
  }
  if (url.username !== '' || url.password !== '') {
    // Credentials in the URL would end up in logs and error messages; the key has its own input.
    throw new ConfigError(`Input "${options.name}" must not contain credentials; pass the key through "api-key".`)
  }
  if (url.protocol === 'http:' && !options.allowInsecure && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(
      `Input "${options.name}" uses http:// for a host that is not this machine (${url.host}): the API key would ` +
        `cross the network unencrypted. Use https, or set "${options.allowInsecureInput}: true" if the network ` +
        'path is trusted.'
    )
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ConfigError(`Input "${options.name}" must not have a query or fragment; got "${raw}".`)
  }
  return url.toString().replace(/\/+$/, '')
}
