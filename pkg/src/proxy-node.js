// @ts-check
// The `proxy` option in Node: a request made with it goes through undici's ProxyAgent (a CONNECT
// tunnel to the proxy) and is sent with undici's own `fetch`, since Node's built-in fetch takes no
// dispatcher from another copy of undici. undici is an optional dependency, loaded on the first
// proxied request only, so that nothing else pays for it.
import { useProxy } from '../../src/js/fetch.js'

/** @typedef {(url: string, init: RequestInit) => Promise<Response>} Fetch */

/** One fetch per proxy URL, so that each proxy keeps its own pool of tunnels. @type {Map<string, Promise<Fetch>>} */
const fetchers = new Map()

/**
 * Imports a package at run time, out of sight of bundlers (they would bundle it or fail on its absence).
 * @param {string} name
 */
const load = (name) => import(/* webpackIgnore: true */ /* @vite-ignore */ name)

/**
 * The fetch that goes through `proxy`.
 * @param {string} proxy
 * @returns {Promise<Fetch>}
 */
function through(proxy) {
  let fetcher = fetchers.get(proxy)
  if (!fetcher) {
    fetcher = load('undici').then(
      ({ ProxyAgent, FormData, fetch }) => {
        const dispatcher = new ProxyAgent(proxy)
        return (url, init) => fetch(url, { ...init, body: own(init.body, FormData), dispatcher })
      },
      (cause) => {
        fetchers.delete(proxy)
        throw new Error("The 'proxy' option needs the 'undici' package in Node (npm install undici)", { cause })
      },
    )
    fetchers.set(proxy, fetcher)
  }
  return fetcher
}

/**
 * `body`, a form of Node's own fetch remade as undici's: undici reads only its own class as a form
 * (another it would send as "[object FormData]"). Its files and blobs are Node's, which both take.
 * @param {BodyInit | null | undefined} body
 * @param {new () => { append(name: string, value: FormDataEntryValue): void }} Form undici's FormData
 */
function own(body, Form) {
  if (!(body instanceof globalThis.FormData) || body instanceof Form) return body
  const form = new Form()
  for (const [name, value] of body) form.append(name, value)
  return form
}

useProxy((proxy, url, init) => through(proxy).then((send) => send(url, init)))
