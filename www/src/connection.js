// The connection the explorer uses: the API URL and key from the form, kept in localStorage.
const $ = (id) => document.getElementById(id)
const STORE = 'e2b-explorer-connection'

/** Connection options from the form. */
export function opts() {
  return { apiUrl: $('api-url').value.trim(), apiKey: $('api-key').value.trim() }
}

/** Options for the volume content API, which shares the API URL locally. */
export function contentOpts(extra = {}) {
  return { apiUrl: opts().apiUrl, ...extra }
}

/** Options for creating a sandbox: envd is reached at the sandbox URL, else at the API URL. */
export function sandboxOpts(extra = {}) {
  return { ...opts(), sandboxUrl: $('sandbox-url').value.trim() || opts().apiUrl, ...extra }
}

/** Fills the form from what was saved, else from the build's defaults. */
export function restore() {
  const saved = JSON.parse(localStorage.getItem(STORE) ?? '{}')
  $('api-url').value = saved.apiUrl ?? import.meta.env.VITE_E2B_API_URL ?? 'http://127.0.0.1:3000'
  $('api-key').value = saved.apiKey ?? import.meta.env.VITE_E2B_API_KEY ?? ''
}

/** Keeps the form's connection for the next visit. */
export function save() {
  localStorage.setItem(STORE, JSON.stringify(opts()))
}
