// The two SDKs under comparison, loaded the same way.
export async function loadSdk(which) {
  if (which === 'e2b-wasm') return import('../pkg/dist/node/index.mjs')
  if (which === 'e2b') return import('e2b')
  throw new Error(`unknown SDK ${which}`)
}

/** A ReadableStream of `total` bytes in 1 MiB chunks, generated on demand. */
export function generated(total) {
  const CHUNK = 1024 * 1024
  const chunk = new Uint8Array(CHUNK).fill(7)
  let sent = 0
  return new ReadableStream({
    pull(c) {
      if (sent >= total) return c.close()
      c.enqueue(chunk.slice(0, Math.min(CHUNK, total - sent)))
      sent += CHUNK
    },
  })
}

/** Reads a stream to its end; returns the byte count. */
export async function drain(stream) {
  let n = 0
  for await (const c of stream) n += c.length
  return n
}
