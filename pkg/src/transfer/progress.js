// @ts-check
// Progress of a transfer: byte and file counts, and the user's callback, called at most once per
// THROTTLE_MS (the latest counts win) and once more when the transfer ends.

/** Least time between two progress calls, in milliseconds: smooth for a progress bar, cheap for 1,000 files. */
export const THROTTLE_MS = 100

/**
 * @typedef {object} TransferProgress
 * @property {number} bytesDone bytes moved so far
 * @property {number} bytesTotal bytes to move (grows while a lazy source is read)
 * @property {number} filesDone files finished (moved or skipped)
 * @property {number} filesTotal files to move (grows while a lazy source is read)
 */

/** Counts of one transfer, reported to `onProgress`. */
export class Progress {
  /** @param {((p: TransferProgress) => void) | undefined} onProgress */
  constructor(onProgress) {
    /** @type {TransferProgress} */
    this.counts = { bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0 }
    this.onProgress = typeof onProgress === 'function' ? onProgress : undefined
    this.last = 0
    /** @type {any} */
    this.timer = undefined
  }

  /** Adds files and bytes to the totals. @param {number} files @param {number} bytes */
  plan(files, bytes) {
    this.counts.filesTotal += files
    this.counts.bytesTotal += bytes
    this.emit()
  }

  /** Counts bytes moved. @param {number} n */
  bytes(n) {
    this.counts.bytesDone += n
    this.emit()
  }

  /** Counts a finished file. */
  file() {
    this.counts.filesDone++
    this.emit()
  }

  /** Calls the callback now if the last call is old enough, else once the throttle period ends. */
  emit() {
    if (!this.onProgress || this.timer) return
    const wait = this.last + THROTTLE_MS - Date.now()
    if (wait <= 0) return this.call()
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.call()
    }, wait)
    // In Node, a pending progress call alone must not keep the process alive.
    this.timer?.unref?.()
  }

  /** The final call, with the final counts. */
  finish() {
    clearTimeout(this.timer)
    this.timer = undefined
    this.call()
  }

  call() {
    if (!this.onProgress) return
    this.last = Date.now()
    try {
      this.onProgress({ ...this.counts })
    } catch {
      // A failing progress callback must not break the transfer it reports on.
    }
  }
}
