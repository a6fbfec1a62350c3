/** Resolves after `ms` milliseconds. Injected wherever code waits, so tests can record waits instead. */
export const sleep = (ms: number): Promise<void> =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms)
  })
