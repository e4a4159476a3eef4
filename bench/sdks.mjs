// The three clients under comparison, loaded the same way: e2b-wasm, the official e2b SDK, and bare
// `fetch` (no SDK: the floor any fetch-based SDK can reach), with the stream and timing helpers the
// benchmarks share.

import { readFileSync } from 'node:fs'

/** e2b-wasm's version, as its requests name it. */
const { version } = JSON.parse(readFileSync(new URL('../pkg/package.json', import.meta.url), 'utf8'))

/** Loads an SDK's module. */
export async function loadSdk(which) {
  if (which === 'e2b-wasm') return import('../pkg/dist/node/index.mjs')
  if (which === 'e2b') return import('e2b')
  throw new Error(`unknown SDK ${which}`)
}

/**
 * The volume operations the benchmark times, through bare `fetch` on the volume content API: the
 * same requests e2b-wasm sends, headers included (the SDK metadata the official SDK sends too), so
 * that the difference is what the SDK does around `fetch`.
 * @param {string} url the volume content API's URL
 * @param {{ volumeId: string, token: string }} vol
 * @param {{ timed?: boolean }} [options] `timed`: each request carries a signal of its own that a
 *   timer would abort, as an SDK's request under a timeout does
 */
export function bareVolume(url, vol, { timed = false } = {}) {
  const base = `${url}/volumecontent/${vol.volumeId}`
  const auth = {
    lang: 'js',
    lang_version: process.versions.node,
    package_version: version,
    publisher: 'e2b-wasm',
    sdk_runtime: 'node',
    Authorization: `Bearer ${vol.token}`,
  }
  const q = (path) => `?path=${encodeURIComponent(path)}`
  const ok = (r) => {
    if (!r.ok) throw new Error(`${r.status} ${r.statusText}`)
    return r
  }
  /** `fetch`, with a timeout's signal when `timed`. @param {string} u @param {RequestInit} [init] */
  const send = async (u, init = {}) => {
    if (!timed) return fetch(u, init)
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), 60_000)
    try {
      return await fetch(u, { ...init, signal: controller.signal })
    } finally {
      clearTimeout(timer)
    }
  }
  return {
    getInfo: async (path) => (await send(`${base}/path${q(path)}`, { headers: auth }).then(ok)).json(),
    list: async (path) => (await send(`${base}/dir${q(path)}`, { headers: auth }).then(ok)).json(),
    readFile: async (path, opts) => {
      const r = ok(await send(`${base}/file${q(path)}`, { headers: auth }))
      return opts?.format === 'stream' ? r.body : new Uint8Array(await r.arrayBuffer())
    },
    writeFile: async (path, data) => {
      const stream = data instanceof ReadableStream
      const init = {
        method: 'PUT',
        headers: { ...auth, 'Content-Type': 'application/octet-stream' },
        body: data,
        ...(stream ? { duplex: 'half' } : {}),
      }
      return (await send(`${base}/file${q(path)}&force=true`, init).then(ok)).json()
    },
  }
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

/** The median of `xs`. @param {number[]} xs */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** A copy of `items` in a random order (Fisher–Yates). @template T @param {T[]} items */
export function shuffled(items) {
  const out = [...items]
  for (let j = out.length - 1; j > 0; j--) {
    const r = Math.floor(Math.random() * (j + 1))
    ;[out[j], out[r]] = [out[r], out[j]]
  }
  return out
}
