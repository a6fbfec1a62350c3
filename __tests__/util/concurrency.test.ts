import { mapWithConcurrency } from '../../src/util/concurrency.js'

/** A promise the test settles by hand, so ordering is controlled without timers. */
function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve()
}

describe('mapWithConcurrency', () => {
  it('keeps input order even when later items finish first', async () => {
    const gates = [deferred<void>(), deferred<void>(), deferred<void>()]
    const run = mapWithConcurrency([0, 1, 2], 3, async (item) => {
      await gates[item]?.promise
      return item * 10
    })
    gates[2]?.resolve()
    gates[1]?.resolve()
    gates[0]?.resolve()
    await expect(run).resolves.toEqual([0, 10, 20])
  })

  it('never runs more than the limit at once, and passes indexes', async () => {
    let active = 0
    let peak = 0
    const seen: number[] = []
    await mapWithConcurrency(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 3, async (_item, index) => {
      active += 1
      peak = Math.max(peak, active)
      seen.push(index)
      await flush()
      active -= 1
    })
    expect(peak).toBe(3)
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4, 5, 6])
  })

  it('handles an empty list and a limit larger than the list', async () => {
    await expect(mapWithConcurrency([], 4, async () => 1)).resolves.toEqual([])
    await expect(mapWithConcurrency([1, 2], 10, async (x) => x + 1)).resolves.toEqual([2, 3])
  })

  it('rejects with the first error only after in-flight work settles, and starts nothing new', async () => {
    const slow = deferred<string>()
    const started: number[] = []
    let settled = false
    const run = mapWithConcurrency([0, 1, 2, 3], 2, async (item) => {
      started.push(item)
      if (item === 0) throw new Error('first failed')
      const value = await slow.promise
      settled = true
      return value
    })
    let rejected = false
    run.catch(() => {
      rejected = true
    })
    await flush()
    expect(rejected).toBe(false)
    slow.resolve('done')
    await expect(run).rejects.toThrow('first failed')
    expect(settled).toBe(true)
    expect(started).toEqual([0, 1])
  })

  it('catches a worker that throws synchronously', async () => {
    const worker = ((): Promise<number> => {
      throw new Error('sync')
    }) as (item: number) => Promise<number>
    await expect(mapWithConcurrency([1], 1, worker)).rejects.toThrow('sync')
  })

  it.each([[0], [-1], [1.5], [Number.NaN]])('rejects limit %p', async (limit) => {
    await expect(mapWithConcurrency([1], limit, async (x) => x)).rejects.toThrow(RangeError)
  })
})
