// Stream glue that runs once per chunk, kept in JavaScript so that no chunk crosses into wasm.

/**
 * `body`, read through unchanged, except that it errors with `error` and aborts `exchange` when no
 * chunk arrives for `idleMs`. The timer is armed once per period and checks whether a chunk came
 * (a stall is caught within one to two periods); a chunk only sets a flag.
 * @param {ReadableStream<Uint8Array>} body
 * @param {number} idleMs
 * @param {unknown} error
 * @param {{ abort(): void }} exchange
 * @returns {ReadableStream<Uint8Array>}
 */
function guardIdle(body, idleMs, error, exchange) {
  const reader = body.getReader()
  let seen = false
  /** @type {any} a number in browsers, an object with `unref()` in Node */
  let timer
  /** @param {ReadableStreamDefaultController<Uint8Array>} controller */
  const arm = (controller) => {
    timer = setTimeout(() => {
      if (seen) {
        seen = false
        arm(controller)
        return
      }
      controller.error(error)
      exchange.abort()
    }, idleMs)
    // In Node, an idle timer alone must not keep the process alive.
    timer?.unref?.()
  }
  return new ReadableStream({
    start: arm,
    async pull(controller) {
      const { done, value } = await reader.read()
      seen = true
      if (done) {
        clearTimeout(timer)
        controller.close()
      } else controller.enqueue(value)
    },
    cancel(reason) {
      clearTimeout(timer)
      return reader.cancel(reason)
    },
  })
}

/**
 * An AbortController that `signal` (the caller's, if any) also aborts, with its reason: for a
 * stream the SDK may stop by itself (`WatchHandle.stop`, `CommandHandle.disconnect`).
 * @param {AbortSignal | undefined} signal
 * @returns {AbortController}
 */
function linkedController(signal) {
  const controller = new AbortController()
  if (signal) {
    if (signal.aborted) controller.abort(signal.reason)
    else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true })
  }
  return controller
}

/**
 * Calls `callback(value)`; resolves when what it returned settles, so that callbacks run one at a
 * time, in order, as the official SDK awaits them. `undefined` when nothing was returned to wait for.
 * @param {Function | undefined} callback
 * @param {unknown} value
 * @returns {Promise<unknown> | undefined}
 */
function callAndWait(callback, value) {
  if (typeof callback !== 'function') return undefined
  const out = callback(value)
  // Any thenable, not only a native promise, is waited for (as `await` would), as a native promise.
  return out && typeof out.then === 'function' ? Promise.resolve(out) : undefined
}

/**
 * `data` (anything a Blob is made of, or a ReadableStream) gzip-compressed: as a stream when
 * `stream` (where request bodies can be streamed), else collected into a Blob.
 * @param {BlobPart | ReadableStream<Uint8Array>} data
 * @param {boolean} stream
 * @returns {Promise<ReadableStream<Uint8Array> | Blob>}
 */
async function gzipped(data, stream) {
  /** @type {ReadableStream<any>} */
  const source = typeof (/** @type {any} */ (data))?.getReader === 'function'
    ? /** @type {ReadableStream<Uint8Array>} */ (data)
    : new Blob([/** @type {BlobPart} */ (data)]).stream()
  const compressed = source.pipeThrough(new CompressionStream('gzip'))
  return stream ? compressed : new Response(compressed).blob()
}

export { guardIdle, linkedController, callAndWait, gzipped }
