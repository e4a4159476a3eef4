// Where a small call's time goes: a 1 KiB read through bare `fetch`, through the SDK's own JavaScript
// exchange alone (src/js/fetch.js: the deadline's signal and timer, no wasm) and through e2b-wasm,
// against one e2b-local, the clients in a new random order each round. A wrapper around `fetch` marks
// when it is called and when it answers, splitting each call into before `fetch`, `fetch` itself and
// after. Not part of `npm run bench`: run `node bench/phases.mjs` after `npm run build`.
import { startServer } from '../tests/support/e2b-local.mjs'
import { loadSdk, bareVolume, median, shuffled } from './sdks.mjs'
import { exchange } from '../src/js/fetch.js'

const RUNS = Number(process.env.BENCH_PHASE_RUNS ?? 2000)

const server = await startServer()
const platformFetch = globalThis.fetch
/** When the last `fetch` was called, and when it answered. */
const marks = { called: 0, answered: 0 }
/** The last request's init, as e2b-wasm made it. */
let lastInit
globalThis.fetch = (url, init) => {
  marks.called = performance.now()
  lastInit = init
  const answer = platformFetch(url, init)
  answer.then(() => (marks.answered = performance.now()), () => {})
  return answer
}
try {
  const opts = { apiKey: server.apiKey, apiUrl: server.url }
  process.env.E2B_VOLUME_API_URL = server.url
  const { Volume } = await loadSdk('e2b-wasm')
  const vol = await Volume.create('phases', opts)
  await vol.writeFile('/small.bin', new Uint8Array(1024).fill(1))
  await vol.readFile('/small.bin', { format: 'bytes' })
  const { headers } = lastInit
  const bare = bareVolume(server.url, vol)
  const url = `${server.url}/volumecontent/${vol.volumeId}/file?path=%2Fsmall.bin`
  const clients = {
    'bare fetch': () => bare.readFile('/small.bin', { format: 'bytes' }),
    'JS exchange': () => exchange(url, 'GET', headers, undefined, undefined, false, 3_600_000, undefined, 'bytes', undefined),
    'e2b-wasm': () => vol.readFile('/small.bin', { format: 'bytes' }),
    'e2b-wasm, no options': () => vol.readFile('/small.bin'),
  }
  const names = Object.keys(clients)
  const phases = Object.fromEntries(names.map((n) => [n, { before: [], fetch: [], after: [], total: [] }]))
  for (let i = 0; i < RUNS + 50; i++) {
    for (const name of shuffled(names)) {
      const start = performance.now()
      await clients[name]()
      const end = performance.now()
      if (i < 50) continue
      const p = phases[name]
      p.before.push(marks.called - start)
      p.fetch.push(marks.answered - marks.called)
      p.after.push(end - marks.answered)
      p.total.push(end - start)
    }
  }
  const us = (/** @type {number[]} */ xs) => `${(median(xs) * 1000).toFixed(1)} µs`
  console.log(`| 1 KiB read, median of ${RUNS} | before fetch | fetch | after | total | to bare fetch |`)
  console.log('| --- | --- | --- | --- | --- | --- |')
  const floor = median(phases['bare fetch'].total)
  for (const name of names) {
    const p = phases[name]
    console.log(`| ${name} | ${us(p.before)} | ${us(p.fetch)} | ${us(p.after)} | ${us(p.total)} | ${(median(p.total) / floor).toFixed(2)} |`)
  }
  await Volume.destroy(vol.volumeId, opts)
} finally {
  await server.stop()
}
