/** Bounded parallelism without a dependency. */

/**
 * Runs `worker` over `items` with at most `limit` calls in flight; results keep the input order.
 * When a worker rejects, no further items start, the calls already in flight are awaited, and the
 * first rejection is rethrown: nothing keeps running after the returned promise settles.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  worker: (item: T, index: number) => Promise<R>
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`concurrency limit must be a positive integer (got ${limit})`)
  }
  const results = new Array<R>(items.length)
  let next = 0
  let failure: { readonly error: unknown } | undefined

  // Each lane takes the next unclaimed index until the list ends or some worker failed.
  const runLane = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next
      next += 1
      try {
        results[index] = await worker(items[index] as T, index)
      } catch (error: unknown) {
        failure ??= { error }
      }
    }
  }

  const lanes = Array.from({ length: Math.min(limit, items.length) }, () => runLane())
  await Promise.all(lanes)
  if (failure !== undefined) throw failure.error
  return results
}
