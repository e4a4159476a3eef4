// Requests to one PTY, in order: keystrokes are sent one request at a time (those typed meanwhile
// go together in the next), and of several sizes only the newest is sent.
const concat = (chunks) => {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}

/** Input and sizes for the PTY `pid` of `pty` (a sandbox's `pty` module). */
export class PtyChannel {
  #pty
  #pid
  #onError
  #typed = []
  #sending = false
  #size = null
  #sentSize = null
  #resizing = false
  /** Resolves each time the PTY has taken a new size; see `whenSized`. */
  #sizeListeners = []

  constructor(pty, pid, onError) {
    this.#pty = pty
    this.#pid = pid
    this.#onError = onError
  }

  /** Sends `bytes` after everything typed before them. */
  input(bytes) {
    this.#typed.push(bytes)
    this.#drainInput()
  }

  /** Makes the PTY `cols` × `rows`, unless a newer size comes first. */
  resize(cols, rows) {
    this.#size = { cols, rows }
    this.#drainSize()
  }

  /** Calls `fn({cols, rows})` each time the program's window has taken a new size. */
  onSized(fn) {
    this.#sizeListeners.push(fn)
  }

  async #drainInput() {
    if (this.#sending) return
    this.#sending = true
    try {
      while (this.#typed.length) await this.#pty.sendInput(this.#pid, concat(this.#typed.splice(0)))
    } catch (err) {
      this.#typed.length = 0
      this.#onError(err)
    } finally {
      this.#sending = false
    }
  }

  async #drainSize() {
    if (this.#resizing) return
    this.#resizing = true
    try {
      while (this.#size && (this.#size.cols !== this.#sentSize?.cols || this.#size.rows !== this.#sentSize?.rows)) {
        const size = this.#size
        await this.#pty.resize(this.#pid, size)
        this.#sentSize = size
        for (const fn of this.#sizeListeners) fn(size)
      }
    } catch (err) {
      this.#onError(err)
    } finally {
      this.#resizing = false
    }
  }
}
