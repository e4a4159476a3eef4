// @ts-check
// Bounded concurrency: a fixed number of workers taking items from one (possibly lazy) source.

/**
 * Runs `work` on each item of `items`, at most `limit` at once, until the items run out, `stop()`
 * turns true or `work` throws (then no new item is taken; the first error is thrown once the
 * running ones settle).
 * @template T
 * @param {Iterable<T> | AsyncIterable<T>} items
 * @param {number} limit
 * @param {(item: T) => Promise<void>} work
 * @param {() => boolean} stop
 */
export async function runPool(items, limit, work, stop) {
  const it = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]()
  /** @type {{ error: unknown } | undefined} */
  let failure
  const worker = async () => {
    while (!failure && !stop()) {
      /** @type {IteratorResult<T>} */
      let next
      try {
        next = await it.next()
      } catch (error) {
        failure ??= { error }
        return
      }
      if (next.done) return
      try {
        await work(next.value)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.floor(limit) || 1) }, worker))
  if (failure) throw failure.error
}
