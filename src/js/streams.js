// Stream glue that runs once per chunk, kept in JavaScript so that no chunk crosses into wasm.

/**
 * Passes `body` through unchanged, but errors it with `makeError()` and calls `onIdle()` when no chunk
 * arrives for `idleMs` (checked once per period, so a stall is caught within one to two periods).
 * @param {ReadableStream<Uint8Array>} body
 * @param {number} idleMs
 * @param {() => unknown} makeError
 * @param {() => void} onIdle
 * @returns {ReadableStream<Uint8Array>}
 */
function guardIdle(body, idleMs, makeError, onIdle) {
  let seen = false
  /** @type {any} a number in browsers, an object with `unref()` in Node */
  let timer
  /** @param {TransformStreamDefaultController<Uint8Array>} controller */
  const arm = (controller) => {
    timer = setTimeout(() => {
      if (seen) {
        seen = false
        arm(controller)
        return
      }
      controller.error(makeError())
      onIdle()
    }, idleMs)
    // In Node, an idle timer alone must not keep the process alive.
    timer?.unref?.()
  }
  const guard = new TransformStream(
    {
      start: arm,
      transform(chunk, controller) {
        seen = true
        controller.enqueue(chunk)
      },
      flush() {
        clearTimeout(timer)
      },
    },
    // Small queues on both sides let the pipe run ahead instead of handing over one chunk at a time.
    { highWaterMark: 4 },
    { highWaterMark: 4 },
  )
  return body.pipeThrough(guard)
}

export { guardIdle }
