// The deadline of one HTTP exchange, in JavaScript so that no Rust closure is made per call: the
// request timeout (it bounds the wait for the reply, and the body too unless the body is returned as
// a stream) and the user's AbortSignal, joined in one AbortSignal for `fetch`.

class Timer {
  /**
   * @param {number} timeoutMs 0 for none
   * @param {AbortSignal | undefined} user the caller's signal; aborting it aborts with its reason
   */
  constructor(timeoutMs, user) {
    const controller = new AbortController()
    this.controller = controller
    /** The signal to give `fetch`. */
    this.signal = controller.signal
    /** True once the timeout (not the user) aborted the exchange. */
    this.timedOut = false
    if (timeoutMs > 0) {
      this.timer = setTimeout(() => {
        this.timedOut = true
        controller.abort()
      }, timeoutMs)
    }
    if (user) {
      if (user.aborted) controller.abort(user.reason)
      else {
        this.user = user
        this.onAbort = () => controller.abort(user.reason)
        user.addEventListener('abort', this.onAbort, { once: true })
      }
    }
  }

  /** Stops the timeout (a returned stream outlives it); the user's signal still cancels. */
  clearTimeout() {
    clearTimeout(this.timer)
  }

  /** Aborts the exchange (a streamed body went idle). */
  abort() {
    this.controller.abort()
  }

  /** Stops the timeout and forgets the user's signal (the exchange is over). */
  dispose() {
    clearTimeout(this.timer)
    if (this.user) this.user.removeEventListener('abort', /** @type {() => void} */ (this.onAbort))
  }
}

export { Timer }
