// @ts-check
// Bytes counted as they flow: a stream wrapped to report each chunk, and data cut into a stream.

/** Size of the chunks `chunked` cuts. */
const CHUNK = 1024 * 1024

/**
 * `stream`, unchanged, reporting the size of each chunk to `onBytes` and calling `onEnd` once it
 * has been read to the end.
 * @param {ReadableStream<Uint8Array>} stream
 * @param {(n: number) => void} onBytes
 * @param {() => void} [onEnd]
 * @returns {ReadableStream<Uint8Array>}
 */
export function counted(stream, onBytes, onEnd) {
  return stream.pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        onBytes(chunk.byteLength)
        controller.enqueue(chunk)
      },
      flush() {
        onEnd?.()
      },
    }),
  )
}

/**
 * Bytes, a string or a Blob as a stream of chunks (the Blob's own stream; views of the bytes, not
 * copies).
 * @param {string | ArrayBuffer | ArrayBufferView | Blob} data
 * @returns {ReadableStream<Uint8Array>}
 */
export function chunked(data) {
  if (typeof Blob !== 'undefined' && data instanceof Blob) return data.stream()
  const bytes =
    typeof data === 'string'
      ? new TextEncoder().encode(data)
      : data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : new Uint8Array(/** @type {ArrayBufferView} */ (data).buffer, /** @type {ArrayBufferView} */ (data).byteOffset, /** @type {ArrayBufferView} */ (data).byteLength)
  let at = 0
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close()
      controller.enqueue(bytes.subarray(at, (at += CHUNK)))
    },
  })
}

/**
 * Collects a stream whole, as `format` asks: text, bytes or a Blob.
 * @param {ReadableStream<Uint8Array>} stream
 * @param {'text' | 'bytes' | 'blob'} format
 */
export async function collect(stream, format) {
  /** @type {Uint8Array[]} */
  const chunks = []
  let size = 0
  for (const reader = stream.getReader(); ;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.byteLength
  }
  if (format === 'blob') return new Blob(/** @type {BlobPart[]} */ (chunks))
  const bytes = chunks.length === 1 ? chunks[0] : new Uint8Array(size)
  if (chunks.length !== 1) {
    let at = 0
    for (const c of chunks) {
      bytes.set(c, at)
      at += c.byteLength
    }
  }
  return format === 'text' ? new TextDecoder().decode(bytes) : bytes
}
