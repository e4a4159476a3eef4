// @ts-check
// What a transfer did (`VolumeTransferReport`), and the options every transfer shares.
import { InvalidArgumentError } from '../../../src/js/errors.js'

/**
 * Files moved at once unless `concurrency` says otherwise. Measured with bench/transfer.mjs: on
 * e2b-local, uploads of many small files gain up to 16 to 32 at once (the server syncs each file to
 * disk); over a network each request's latency makes more at once pay even more.
 */
export const DEFAULT_CONCURRENCY = 16

/**
 * @typedef {object} Report
 * @property {number} files
 * @property {number} bytes
 * @property {number} directories
 * @property {import('./sources.js').Skip[]} skipped
 * @property {{ path: string, error: unknown }[]} failed
 */

/** @returns {Report} */
export const newReport = () => ({ files: 0, bytes: 0, directories: 0, skipped: [], failed: [] })

/**
 * The transfer options, apart from those passed on to each request (`api`).
 * @param {unknown} opts
 */
export function transferOptions(opts) {
  if (opts !== undefined && (typeof opts !== 'object' || opts === null)) throw new InvalidArgumentError('opts must be an object')
  const { concurrency = DEFAULT_CONCURRENCY, onProgress, skipExisting, continueOnError, signal, to, uid, gid, mode, force, ...api } =
    /** @type {Record<string, any>} */ (opts ?? {})
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new InvalidArgumentError('concurrency must be a positive integer')
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new InvalidArgumentError('onProgress must be a function')
  return { concurrency, onProgress, skipExisting: !!skipExisting, continueOnError: !!continueOnError, signal, to, owner: { uid, gid, mode, force }, api }
}

/**
 * An AbortController that follows `signal`: aborting it stops a transfer's requests, whether the
 * user aborted or a file failed. Each request gets a signal of its own (`run`), so that no signal
 * collects a listener per request (Node warns past ten).
 * @param {AbortSignal | undefined} signal
 */
export function follow(signal) {
  const controller = new AbortController()
  /** @type {Set<AbortController>} */
  const running = new Set()
  const abort = () => controller.abort(signal?.reason)
  if (signal?.aborted) abort()
  else signal?.addEventListener('abort', abort, { once: true })
  controller.signal.addEventListener('abort', () => {
    for (const c of running) c.abort(controller.signal.reason)
  }, { once: true })
  /** A signal that aborts with the transfer, and how to unlink it. */
  const link = () => {
    const own = new AbortController()
    if (controller.signal.aborted) own.abort(controller.signal.reason)
    else running.add(own)
    return { signal: own.signal, unlink: () => running.delete(own) }
  }
  return {
    controller,
    link,
    /**
     * Runs `call` with a signal that aborts with the transfer.
     * @template T
     * @param {(signal: AbortSignal) => Promise<T>} call
     * @returns {Promise<T>}
     */
    async run(call) {
      const { signal, unlink } = link()
      try {
        return await call(signal)
      } finally {
        unlink()
      }
    },
    release: () => signal?.removeEventListener('abort', abort),
  }
}

/** A volume path argument, checked. @param {unknown} path */
export function volumePathArg(path) {
  if (typeof path !== 'string') throw new InvalidArgumentError('volumePath must be a string')
  return path
}
