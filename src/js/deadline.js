// An exchange's deadline: the request timeout (it bounds the wait for the reply, and the body too
// unless the body is returned as a stream) and the user's AbortSignal, joined in one signal for
// `fetch`. A small call spends more here than in the wasm, so Node gets two shortcuts, each
// measured on a 1 KiB read (README, design notes: "A deadline's signal, in Node").

/**
 * The signal of a deadline, where the platform's fetch follows one that is not an AbortSignal:
 * Node's fetch (undici) follows any object with `aborted` and `addEventListener`, and Node 20 takes
 * about 4 µs to make a real AbortSignal (an EventTarget given another prototype, then fields each
 * stored the slow way). It has EventEmitter's `getMaxListeners` and `setMaxListeners`, which Node's
 * `events` helpers (that undici calls on every signal it follows) look for.
 */
class AbortLike {
  constructor() {
    this.aborted = false
    /** @type {unknown} */
    this.reason = undefined
    /** @type {Function[]} */
    this.listening = []
    this.maxListeners = 0
  }

  /** @param {string} type @param {Function} listener */
  addEventListener(type, listener) {
    if (type === 'abort' && !this.aborted) this.listening.push(listener)
  }

  /** @param {string} type @param {Function} listener */
  removeEventListener(type, listener) {
    const at = this.listening.indexOf(listener)
    if (at >= 0) this.listening.splice(at, 1)
  }

  getMaxListeners() {
    return this.maxListeners
  }

  /** @param {number} n */
  setMaxListeners(n) {
    this.maxListeners = n
  }

  /**
   * Aborts with `reason` (by default the AbortError a platform's signal has); each listener is
   * called once, as with `{ once: true }`.
   * @param {unknown} [reason]
   */
  abort(reason = new DOMException('This operation was aborted', 'AbortError')) {
    if (this.aborted) return
    this.aborted = true
    this.reason = reason
    const listening = this.listening
    this.listening = []
    for (const listener of listening) listener.call(this, { type: 'abort', target: this })
  }
}

/** Whether the platform's `Request` follows an `AbortLike`; found on first use. */
let likeFollowed = /** @type {boolean | undefined} */ (undefined)

/**
 * True where a request made with an `AbortLike` is aborted by it (Node); false where `Request`
 * wants a real AbortSignal (browsers, Deno, Bun, workerd) or does not follow it. Nothing is sent.
 */
function followsLike() {
  if (likeFollowed === undefined) {
    try {
      const like = new AbortLike()
      const request = new Request('http://127.0.0.1/', { signal: /** @type {any} */ (like) })
      like.abort()
      likeFollowed = request.signal.aborted === true
    } catch {
      likeFollowed = false
    }
  }
  return likeFollowed
}

/** The longest delay a timer takes (Node fires a longer one at once). */
const MAX_DELAY = 2 ** 31 - 1

/** Idle timers, one per timeout length in use (a few at most), that keep Node's lists alive. */
const keepers = new Map()
/** The shortest timeout whose list is kept: a keeper wakes once per its length, and does nothing. */
const MIN_KEPT = 10_000

/**
 * Keeps Node's timer list for `ms` alive with one idle, unref'd interval of that length. Node drops
 * a length's list when its last timer is cleared and makes it again for the next timer (a
 * dictionary store and a priority-queue insert, about 3 µs), which a call's timer, most often the
 * only one of its length, would pay at every call. Elsewhere (no `unref`) nothing is kept.
 * @param {number} ms
 */
function keepTimerList(ms) {
  if (keepers.has(ms) || keepers.size >= 4 || ms < MIN_KEPT || ms > MAX_DELAY) return
  const keeper = setInterval(() => {}, ms)
  const unref = /** @type {any} */ (keeper)?.unref
  if (typeof unref === 'function') unref.call(keeper)
  else clearInterval(keeper)
  keepers.set(ms, keeper)
}

class Timer {
  /**
   * @param {number} timeoutMs 0 for none
   * @param {AbortSignal | undefined} user the caller's signal; aborting it aborts with its reason
   * @param {string | undefined} proxy the `proxy` option: a proxied request gets a real AbortSignal
   *   (it goes through another fetch than the platform's)
   */
  constructor(timeoutMs, user, proxy) {
    const controller = !proxy && followsLike() ? new AbortLike() : new AbortController()
    this.controller = controller
    /** The signal to give `fetch`. */
    this.signal = /** @type {AbortSignal} */ (controller instanceof AbortLike ? controller : controller.signal)
    /** True once the timeout (not the user) aborted the exchange. */
    this.timedOut = false
    if (timeoutMs > 0) {
      keepTimerList(timeoutMs)
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

export { AbortLike, followsLike, Timer }
