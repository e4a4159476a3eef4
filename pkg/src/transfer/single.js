// @ts-check
// Progress on one file: `writeFile` and `readFile` with `onProgress`.
import { Progress } from './progress.js'
import { counted, chunked, collect } from './counting.js'
import { sizeOf } from './sources.js'

/** In Node, a body at least this big is sent as a counted stream when progress is asked for. */
const STREAM_FOR_PROGRESS_MIN = 1024 * 1024

/** Whether this is Node, which can stream a request body over HTTP/1.1 (browsers collect it first). */
const streamsUploads = () => !!(/** @type {any} */ (globalThis).process?.versions?.node)

/**
 * @typedef {(path: string, data: unknown, opts?: object) => Promise<any>} WriteFile
 * @typedef {(path: string, opts?: object) => Promise<any>} ReadFile
 */

/**
 * Writes `data` with `write`, reporting the bytes sent to `onBytes` (as they go for a stream, or
 * for a big body when `split`, else all at once when sent); resolves to the new entry.
 * @param {WriteFile} write
 * @param {string} path
 * @param {unknown} data
 * @param {object} opts
 * @param {(n: number) => void} onBytes
 * @param {boolean} split
 */
export async function writeCounted(write, path, data, opts, onBytes, split) {
  const size = sizeOf(data)
  let body = data
  if (typeof ReadableStream !== 'undefined' && data instanceof ReadableStream) body = counted(data, onBytes)
  else if (split && size !== undefined && size >= STREAM_FOR_PROGRESS_MIN && streamsUploads()) {
    body = counted(chunked(/** @type {any} */ (data)), onBytes)
  }
  const entry = await write(path, body, opts)
  if (body === data) onBytes(size ?? entry.size)
  return entry
}

/**
 * `writeFile` with `onProgress`.
 * @param {WriteFile} write
 * @param {string} path
 * @param {unknown} data
 * @param {Record<string, any>} opts
 */
export async function writeWithProgress(write, path, data, opts) {
  const { onProgress, ...rest } = opts
  const progress = new Progress(onProgress)
  progress.plan(1, sizeOf(data) ?? 0)
  let sent = 0
  try {
    const entry = await writeCounted(write, path, data, rest, (n) => {
      sent += n
      progress.bytes(n)
    }, true)
    // A stream's size is known once sent.
    if (progress.counts.bytesTotal < sent) progress.counts.bytesTotal = sent
    progress.file()
    return entry
  } finally {
    progress.finish()
  }
}

/**
 * `readFile` with `onProgress`: the file is read as a stream and counted, its size asked of
 * `getInfo` at the same time, then given in the format asked for.
 * @param {ReadFile} read
 * @param {ReadFile} getInfo
 * @param {string} path
 * @param {Record<string, any>} opts
 */
export async function readWithProgress(read, getInfo, path, opts) {
  const { onProgress, format = 'text', ...rest } = opts
  if (!['text', 'bytes', 'blob', 'stream'].includes(format)) return read(path, opts)
  const progress = new Progress(onProgress)
  const info = getInfo(path, rest).catch(() => undefined)
  const stream = await read(path, { ...rest, format: 'stream' })
  progress.plan(1, (await info)?.size ?? 0)
  const body = counted(stream, (n) => progress.bytes(n), () => {
    progress.file()
    progress.finish()
  })
  return format === 'stream' ? body : collect(body, format)
}
