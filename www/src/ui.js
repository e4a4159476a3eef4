// Small DOM helpers, the status line, and errors put in words a person understands.
import {
  VolumeError, VolumeNotFoundError, VolumePathNotFoundError, AuthenticationError, CommandExitError, TimeoutError,
} from 'e2b-wasm'
import { opts } from './connection.js'

/** The element with this id. */
export const $ = (id) => document.getElementById(id)

/** Shows a message in the status line. */
export function status(text, kind = 'ok') {
  const el = $('status')
  el.textContent = text
  el.className = `status ${kind}`
}

/** An error in words. */
export function explain(err) {
  if (err instanceof AuthenticationError) return 'Unauthorized: the API key was not accepted.'
  if (err instanceof VolumeNotFoundError) return 'That volume no longer exists.'
  if (err instanceof VolumePathNotFoundError) return `Not found: ${err.message.replace(/^Path /, '').replace(/ not found$/, '')} does not exist.`
  if (err instanceof CommandExitError) return `The command failed with exit code ${err.exitCode}.`
  if (err instanceof TimeoutError) return 'The server took too long to answer.'
  if (err?.name === 'AbortError') return 'Cancelled.'
  if (err instanceof TypeError) return `The server is unreachable at ${opts().apiUrl}. Is it running?`
  if (err instanceof VolumeError) {
    if (/already exists/.test(err.message)) return `That name is taken: ${err.message.replace(/^\d+: /, '')}.`
    return err.message.replace(/^(\d+): /, 'The server refused ($1): ')
  }
  return String(err?.message ?? err)
}

/** Runs `fn`; a failure is shown in the status line and yields `undefined`. */
export async function attempt(fn) {
  try {
    return await fn()
  } catch (err) {
    status(explain(err), 'error')
    return undefined
  }
}

export const formatSize = (n) => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`)
export const formatMode = (m) => '0' + m.toString(8).padStart(3, '0')
/** A child's path in a volume folder. */
export const join = (dir, name) => (dir === '/' ? `/${name}` : `${dir}/${name}`)

/** A button that calls `onClick`. */
export function button(label, onClick, extra = {}) {
  const b = document.createElement('button')
  b.type = 'button'
  b.textContent = label
  Object.assign(b, extra)
  b.addEventListener('click', onClick)
  return b
}
