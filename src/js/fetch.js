// One HTTP exchange's JavaScript side, so that no Rust closure is made and few values cross per
// call: the request's URL and init, each built in one step, sent under the exchange's deadline
// (deadline.js), and a reply read whole in the same call.

import { Timer } from './deadline.js'
import { reshape, reshapeEach } from './object.js'

/**
 * How a request goes through the `proxy` option: installed by Node's builds (pkg/src/proxy-node.js);
 * elsewhere the option is kept but requests go straight, as the platform's fetch has no proxy.
 * @type {((proxy: string, url: string, init: RequestInit) => Promise<Response>) | undefined}
 */
let proxied

/**
 * Installs how requests go through a proxy (see `proxied`).
 * @param {(proxy: string, url: string, init: RequestInit) => Promise<Response>} send
 */
function useProxy(send) {
  proxied = send
}

/**
 * `fetch(url, init)`. The user's headers win over the SDK's, whatever their case. A streamed body
 * needs `duplex: 'half'` in Node, and is never sent on through a redirect: Node would keep every
 * chunk to replay it (E2B's APIs never redirect). It is also sent through `untilSettled`.
 * @param {string} url
 * @param {string} method
 * @param {Record<string, string>} headers the SDK's headers
 * @param {Record<string, unknown> | undefined} user the user's `headers` option
 * @param {BodyInit | undefined} body
 * @param {AbortSignal} signal
 * @param {boolean} streamed
 * @param {string | undefined} proxy the `proxy` option
 * @returns {Promise<Response>}
 */
function send(url, method, headers, user, body, signal, streamed, proxy) {
  /** @type {RequestInit & { duplex?: 'half' }} */
  const init = { method, headers, signal }
  if (user) {
    const merged = new Headers(headers)
    for (const [k, v] of Object.entries(user)) if (typeof v === 'string') merged.set(k, v)
    init.headers = merged
  }
  if (body !== undefined) init.body = body
  /** @type {(() => void) | undefined} */
  let settled
  if (streamed) {
    init.duplex = 'half'
    init.redirect = 'error'
    ;[init.body, settled] = untilSettled(/** @type {ReadableStream} */ (body), signal)
  }
  const sent = proxy && proxied ? proxied(proxy, url, init) : fetch(url, init)
  return settled ? sent.finally(settled) : sent
}

/**
 * A streamed request body that ends with its exchange: when `signal` aborts, or when the reply
 * (or the failure) comes before the body was all read, the caller's stream is cancelled and the
 * body errored. Node's fetch does neither: after an abort it keeps the stream locked and spins on
 * it, blocking the event loop for good when the stream never ends (seen in Node 18, 20 and 22).
 * Returns the body and what to call once the exchange has settled.
 * @param {ReadableStream} stream
 * @param {AbortSignal} signal
 * @returns {[ReadableStream, () => void]}
 */
function untilSettled(stream, signal) {
  const reader = stream.getReader()
  /** @type {ReadableStreamDefaultController} */
  let body
  let done = false
  const end = () => {
    if (done) return
    done = true
    signal.removeEventListener('abort', end)
    const reason = signal.aborted ? signal.reason : new Error('the request ended before its body was sent')
    reader.cancel(reason).catch(() => {})
    try {
      body.error(reason)
    } catch {
      // Already closed or errored.
    }
  }
  const guarded = new ReadableStream({
    start(controller) {
      body = controller
      if (signal.aborted) end()
      else signal.addEventListener('abort', end, { once: true })
    },
    async pull(controller) {
      const { done: last, value } = await reader.read()
      if (done) return
      if (!last) return controller.enqueue(value)
      done = true
      signal.removeEventListener('abort', end)
      controller.close()
    },
    cancel(reason) {
      done = true
      signal.removeEventListener('abort', end)
      return reader.cancel(reason)
    },
  }, { highWaterMark: 0 })
  return [guarded, end]
}

/** The last base URL `requestUrl` was given, and it without its trailing slashes. */
let lastBase = ''
let lastTrimmed = ''

/**
 * A request URL made of the JS strings it is given, none copied through the wasm: `base` without
 * its trailing slashes, then `prefix`, `route`, `?key=` and `value` encoded as `encodeURIComponent`
 * does (a lone surrogate is its URIError, as with the official SDK), then `rest`: further
 * parameters, already encoded (`&k=v…`).
 * @param {string} base
 * @param {string} prefix
 * @param {string} route
 * @param {string} key
 * @param {string} value
 * @param {string | undefined} rest
 */
function requestUrl(base, prefix, route, key, value, rest) {
  if (base !== lastBase) {
    let end = base.length
    while (end > 0 && base.charCodeAt(end - 1) === 47) end--
    lastBase = base
    lastTrimmed = base.slice(0, end)
  }
  return `${lastTrimmed}${prefix}${route}?${key}=${encodeURIComponent(value)}${rest ?? ''}`
}

/**
 * The promise of a reply's body: read as `read` asks when the status is 2xx (`json`, `text`,
 * `bytes` — an ArrayBuffer here, made a Uint8Array by `asRead` — `blob`, or `none` to drain it),
 * as text otherwise (for the error's message; empty when it cannot be read).
 * @param {Response} response
 * @param {'json' | 'text' | 'bytes' | 'blob' | 'none'} read
 * @returns {Promise<unknown>}
 */
function readBody(response, read) {
  if (!response.ok) return response.text().catch(() => '')
  if (read === 'json') return response.json()
  if (read === 'text') return response.text()
  if (read === 'blob') return response.blob()
  return response.arrayBuffer()
}

/**
 * What `readBody` resolved to, as the call wants it: a 2xx `bytes` body as a Uint8Array, a drained
 * one as `undefined`.
 * @param {Response} response
 * @param {'json' | 'text' | 'bytes' | 'blob' | 'none'} read
 * @param {unknown} body
 */
function asRead(response, read, body) {
  if (!response.ok) return body
  if (read === 'bytes') return new Uint8Array(/** @type {ArrayBuffer} */ (body))
  return read === 'none' ? undefined : body
}

/**
 * One whole exchange, for every call whose reply is read whole: sends the request, then reads the
 * body (`readBody`) under the same deadline. Resolves to `[response, body]`; rejects with the
 * platform's error, or with the `Timer` when the timeout ran out (the caller turns that into a
 * TimeoutError).
 * @param {string} url
 * @param {string} method
 * @param {Record<string, string>} headers
 * @param {Record<string, unknown> | undefined} user
 * @param {BodyInit | undefined} body
 * @param {boolean} streamed
 * @param {number} timeoutMs
 * @param {AbortSignal | undefined} signal
 * @param {'json' | 'text' | 'bytes' | 'blob' | 'none'} read
 * @param {string | undefined} proxy
 * @returns {Promise<[Response, unknown]>}
 */
async function exchange(url, method, headers, user, body, streamed, timeoutMs, signal, read, proxy) {
  const timer = new Timer(timeoutMs, signal, proxy)
  try {
    const response = await send(url, method, headers, user, body, timer.signal, streamed, proxy)
    return [response, asRead(response, read, await readBody(response, read))]
  } catch (e) {
    throw timer.timedOut ? timer : e
  } finally {
    timer.dispose()
  }
}

/**
 * `exchange`, then `settle(kind, subject, response, body)` on its outcome (with no response when
 * the timeout ran out), whose return value or throw the returned promise takes: a call read whole
 * with no Rust future, closure or promise adapter made for it (each costs the wasm boundary).
 * `settle` is made once; `kind` and `subject` tell it what the call was. A 2xx reply does not go
 * to `settle` when `success` says what it becomes: 1, its body as it is; 2, its JSON body reshaped
 * by the field table `table` (`reshape`); 3, each item of it reshaped (`reshapeEach`). It is
 * `exchange` written out rather than awaited: one async function and one promise fewer per call.
 * @param {string} url
 * @param {string} method
 * @param {Record<string, string>} headers
 * @param {Record<string, unknown> | undefined} user
 * @param {BodyInit | undefined} body
 * @param {boolean} streamed
 * @param {number} timeoutMs
 * @param {AbortSignal | undefined} signal
 * @param {'json' | 'text' | 'bytes' | 'blob' | 'none'} read
 * @param {string | undefined} proxy
 * @param {(kind: number, subject: unknown, response?: Response, body?: unknown) => unknown} settle
 * @param {number} kind
 * @param {unknown} subject
 * @param {0 | 1 | 2 | 3} success
 * @param {[string, string, string][] | undefined} table
 */
async function exchangeThen(url, method, headers, user, body, streamed, timeoutMs, signal, read, proxy, settle, kind, subject, success, table) {
  const timer = new Timer(timeoutMs, signal, proxy)
  let response
  let value
  try {
    response = await send(url, method, headers, user, body, timer.signal, streamed, proxy)
    value = asRead(response, read, await readBody(response, read))
  } catch (e) {
    if (timer.timedOut) return settle(kind, subject)
    throw e
  } finally {
    timer.dispose()
  }
  if (!success || !response.ok) return settle(kind, subject, response, value)
  if (success === 1) return value
  return success === 2 ? reshape(value, /** @type {any} */ (table), {}) : reshapeEach(value, /** @type {any} */ (table))
}

/**
 * A response's body as a stream; an empty one when the response has none.
 * @param {Response} response
 * @returns {ReadableStream<Uint8Array>}
 */
function bodyStream(response) {
  return response.body ?? new ReadableStream({ start: (c) => c.close() })
}

export { bodyStream, exchange, exchangeThen, requestUrl, send, useProxy }
