/**
 * Maps the path a model cited to a file of the diff. Models echo paths as `./src/x.ts`, `b/src/x.ts`
 * or a shortened `x.ts`; GitHub answers an unknown path with 422 "path is invalid" for the whole review.
 */
import type { LineIndex } from '../diff/line-index.js'

export type PathResolution =
  { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string }

export interface ResolvePathOptions {
  readonly lineIndex: LineIndex
  /** Only these can be cited: the model saw no other file. */
  readonly reviewedPaths: ReadonlySet<string>
}

/** One prefix a model (or a diff header) puts before a repository path. */
const STRIPPABLE_PREFIX = /^(?:\.\/|a\/|b\/|\/)/

/**
 * Exact match first; then the path with `./`, `a/`, `b/` or `/` stripped one at a time (so a real `a/`
 * directory still matches exactly); then a unique reviewed file ending in `/` + the path.
 */
export function resolveFindingPath(cited: string, options: ResolvePathOptions): PathResolution {
  if (isReviewed(cited, options)) return { ok: true, path: cited }
  const variants = pathVariants(cited)
  const exact = variants.find((variant) => isReviewed(variant, options))
  if (exact !== undefined) return { ok: true, path: exact }
  const known = [...options.lineIndex.keys()].filter((path) => options.reviewedPaths.has(path))
  for (const variant of variants) {
    if (variant === '') continue
    const matches = known.filter((path) => path.endsWith(`/${variant}`))
    if (matches.length === 1 && matches[0] !== undefined) return { ok: true, path: matches[0] }
    if (matches.length > 1) {
      return { ok: false, reason: `path ${cited} matches ${matches.length} files in this diff, so it is ambiguous` }
    }
  }
  if (variants.some((variant) => options.lineIndex.has(variant))) {
    return { ok: false, reason: `path ${cited} was not part of the reviewed diff` }
  }
  return { ok: false, reason: `path ${cited} is not part of this diff` }
}

function isReviewed(path: string, options: ResolvePathOptions): boolean {
  return options.lineIndex.has(path) && options.reviewedPaths.has(path)
}

function pathVariants(cited: string): string[] {
  const variants: string[] = []
  let current = cited.trim().replace(/\\/g, '/')
  variants.push(current)
  while (STRIPPABLE_PREFIX.test(current)) {
    current = current.replace(STRIPPABLE_PREFIX, '')
    variants.push(current)
  }
  return variants
}
