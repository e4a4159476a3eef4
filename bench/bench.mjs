// e2b-wasm against bare `fetch` (the floor) and the official e2b SDK, on the same e2b-local, in one
// run. Prints Markdown tables: latency and throughput with ratios, memory, sandboxes, import time,
// the browser build's size per file, and folder transfers (bench/transfer.mjs).
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join, dirname, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer } from '../tests/support/e2b-local.mjs'
import { loadSdk, bareVolume, generated, drain, median, shuffled } from './sdks.mjs'
import { benchTransfers } from './transfer.mjs'

const here = dirname(fileURLToPath(import.meta.url))
/** The clients, in table order; `fetch+signal` is bare fetch with a timeout's signal (small calls only). */
const CLIENTS = ['fetch', 'fetch+signal', 'e2b-wasm', 'e2b']
/** The clients of the throughput rounds. */
const STREAMERS = ['fetch', 'e2b-wasm', 'e2b']
const SDKS = ['e2b-wasm', 'e2b']
const SMALL_RUNS = Number(process.env.BENCH_SMALL_RUNS ?? 300)
const BIG_ROUNDS = Number(process.env.BENCH_BIG_ROUNDS ?? 5)
const BIG = 256 * 1024 * 1024

/**
 * Median time of each op, the ops interleaved run by run so that all see the same server and
 * machine state, in a new random order each run so that none always follows the same one (each
 * leaves the process's caches and garbage to the next); `between` (untimed) runs after each op.
 */
async function interleaved(runs, ops, between = async () => {}) {
  const times = ops.map(() => [])
  for (let i = 0; i < runs + 10; i++) {
    for (const [k, op] of shuffled([...ops.entries()])) {
      const t = performance.now()
      await op(i)
      if (i >= 10) times[k].push(performance.now() - t)
      await between()
    }
  }
  return times.map(median)
}

const server = await startServer()
const opts = { apiKey: server.apiKey, apiUrl: server.url }
process.env.E2B_VOLUME_API_URL = server.url
process.env.E2B_SANDBOX_URL = server.url
process.env.E2B_API_URL = server.url
process.env.E2B_API_KEY = server.apiKey
/** results[measure][client] */
const results = {}
const put = (measure, client, value) => ((results[measure] ??= {})[client] = value)
/** The folder transfers' section (bench/transfer.mjs). */
let transfers = ''
try {
  const sdks = Object.fromEntries(await Promise.all(SDKS.map(async (w) => [w, await loadSdk(w)])))
  const kib = new Uint8Array(1024).fill(1)
  /** One volume per client, each with the same files. */
  const vols = {}
  const made = []
  for (const client of CLIENTS) {
    const bare = client.startsWith('fetch')
    const sdk = sdks[bare ? 'e2b-wasm' : client]
    const vol = await sdk.Volume.create(`bench-${client.replace(/\W/g, '')}`, opts)
    made.push(vol)
    vols[client] = bare ? bareVolume(server.url, vol, { timed: client === 'fetch+signal' }) : vol
    await vols[client].writeFile('/small.bin', kib)
    for (let i = 0; i < 20; i++) await vol.writeFile(`/dir/f${i}`, 'x', { force: true })
  }
  const small = {
    stat: (v) => v.getInfo('/small.bin'),
    list: (v) => v.list('/dir'),
    read: (v) => v.readFile('/small.bin', { format: 'bytes' }),
    write: (v) => v.writeFile('/small.bin', kib, { force: true }),
  }
  for (const [name, op] of Object.entries(small)) {
    const medians = await interleaved(SMALL_RUNS, CLIENTS.map((c) => () => op(vols[c])))
    CLIENTS.forEach((c, k) => put(name, c, medians[k]))
  }

  // Throughput: median of BIG_ROUNDS rounds, the clients interleaved.
  const speeds = Object.fromEntries(STREAMERS.map((c) => [c, { upload: [], download: [] }]))
  for (let round = 0; round < BIG_ROUNDS; round++) {
    for (const client of STREAMERS) {
      const vol = vols[client]
      let t = performance.now()
      await vol.writeFile('/big.bin', generated(BIG), { force: true })
      speeds[client].upload.push(BIG / 2 ** 20 / ((performance.now() - t) / 1000))
      t = performance.now()
      const n = await drain(await vol.readFile('/big.bin', { format: 'stream' }))
      if (n !== BIG) throw new Error(`${client} read ${n} bytes`)
      speeds[client].download.push(n / 2 ** 20 / ((performance.now() - t) / 1000))
    }
  }
  for (const client of STREAMERS) {
    put('upload', client, median(speeds[client].upload))
    put('download', client, median(speeds[client].download))
  }
  for (const vol of made) await sdks['e2b-wasm'].Volume.destroy(vol.volumeId, opts)

  // Sandboxes: create with one volume mount (killed right after, untimed, as a program that uses
  // sandboxes one after another does; the server caps how many run at once), and a command round trip.
  const mountVols = {}
  for (const w of SDKS) mountVols[w] = await sdks[w].Volume.create(`bench-mount-${w.replace(/\W/g, '')}`, opts)
  const sbxOpts = { ...opts, sandboxUrl: server.url }
  const created = []
  const creates = await interleaved(
    20,
    SDKS.map((w) => async () => {
      created.push(await sdks[w].Sandbox.create({ ...sbxOpts, volumeMounts: { '/mnt/data': mountVols[w] } }))
    }),
    async () => {
      for (const sbx of created.splice(0)) await sbx.kill()
    },
  )
  const runners = Object.fromEntries(await Promise.all(SDKS.map(async (w) => [w, await sdks[w].Sandbox.create(sbxOpts)])))
  const runs = await interleaved(50, SDKS.map((w) => () => runners[w].commands.run('true')))
  SDKS.forEach((w, k) => {
    put('create', w, creates[k])
    put('run', w, runs[k])
  })
  for (const w of SDKS) {
    await runners[w].kill()
    await sdks[w].Volume.destroy(mountVols[w].volumeId, opts)
  }

  // Memory and import time, each in a fresh process (run without blocking this one's event loop, so
  // that its idle connections to the server stay usable).
  const child = async (/** @type {string[]} */ args) => (await promisify(execFile)(process.execPath, args, { encoding: 'utf8' })).stdout
  for (const w of SDKS) {
    for (const via of ['volume', 'files']) {
      const args = [join(here, 'rss-child.mjs'), w, via, server.url, server.apiKey]
      const out = JSON.parse((await child(args)).trim().split('\n').pop())
      put(`rss-up-${via}`, w, out.upMiB)
      put(`rss-down-${via}`, w, out.downMiB)
    }
  }
  // The imports interleaved, as the small calls are, so that both SDKs meet the same machine (the
  // gigabytes just written may still be going to disk).
  const imports = Object.fromEntries(SDKS.map((w) => [w, []]))
  for (let i = 0; i < 7; i++) {
    for (const w of SDKS) imports[w].push(JSON.parse(await child([join(here, 'import-child.mjs'), w])).ms)
  }
  for (const w of SDKS) put('import', w, median(imports[w]))

  // Folder transfers against the official SDK's one-file-at-a-time loop (a Markdown section).
  transfers = await benchTransfers(server)
} finally {
  await server.stop()
}

const f = (x, d = 2) => (x === undefined ? '–' : x.toFixed(d))
const verdict = (ok) => (ok ? 'met' : '**missed**')

/**
 * A latency or throughput row: the clients, e2b-wasm's ratio to each (to bare fetch with a timeout's
 * signal where measured: the same request as the SDK's), and the targets.
 */
function row(label, key, unit, digits, targets) {
  const r = results[key]
  const toFetch = r['e2b-wasm'] / r.fetch
  const toSignal = r['fetch+signal'] === undefined ? undefined : r['e2b-wasm'] / r['fetch+signal']
  const toE2b = r['e2b-wasm'] / r.e2b
  const met = targets.check ? verdict(targets.check(toFetch, toE2b)) : '–'
  const value = (x) => (x === undefined ? '–' : `${f(x, digits)} ${unit}`)
  return `| ${label} | ${value(r.fetch)} | ${value(r['fetch+signal'])} | ${value(r['e2b-wasm'])} | ${value(r.e2b)} | ${f(toFetch)} | ${f(toSignal)} | ${f(toE2b)} | ${targets.text} | ${met} |`
}

const latency = { text: '≤ 1.15× fetch, ≤ 0.7× e2b', check: (a, b) => a <= 1.15 && b <= 0.7 }
const stream = { text: '≥ 0.9× fetch', check: (a) => a >= 0.9 }
const none = { text: '–' }
console.log(`### Volume calls (${SMALL_RUNS} runs each, medians; throughput: median of ${BIG_ROUNDS})

| measure | bare fetch | bare fetch + timeout signal | e2b-wasm | e2b 2.51.0 | e2b-wasm / fetch | e2b-wasm / fetch + signal | e2b-wasm / e2b | target | |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${row('getInfo (stat)', 'stat', 'ms', 3, latency)}
${row('readFile 1 KiB', 'read', 'ms', 3, latency)}
${row('list (20 entries)', 'list', 'ms', 3, none)}
${row('writeFile 1 KiB', 'write', 'ms', 3, none)}
${row('upload 256 MiB (stream)', 'upload', 'MiB/s', 0, stream)}
${row('download 256 MiB (stream)', 'download', 'MiB/s', 0, stream)}
`)

const mem = (label, key) => {
  const r = results[key]
  return `| ${label} | ${f(r['e2b-wasm'], 1)} MiB | ${f(r.e2b, 1)} MiB | ≤ 64 MiB | ${verdict(r['e2b-wasm'] <= 64)} |`
}
console.log(`### Memory: RSS growth of a fresh Node process streaming 1 GiB

| measure | e2b-wasm | e2b 2.51.0 | target | |
| --- | --- | --- | --- | --- |
${mem('Volume.writeFile, 1 GiB stream up', 'rss-up-volume')}
${mem('Volume.readFile, 1 GiB stream down', 'rss-down-volume')}
${mem('sandbox.files.write, 1 GiB stream up', 'rss-up-files')}
${mem('sandbox.files.read, 1 GiB stream down', 'rss-down-files')}
`)

const two = (label, key, digits, target, check) => {
  const r = results[key]
  const ratio = r['e2b-wasm'] / r.e2b
  return `| ${label} | ${f(r['e2b-wasm'], digits)} ms | ${f(r.e2b, digits)} ms | ${f(ratio)} | ${target} | ${check ? verdict(check(r['e2b-wasm'], ratio)) : '–'} |`
}
console.log(`### Sandboxes and start-up

| measure | e2b-wasm | e2b 2.51.0 | ratio | target | |
| --- | --- | --- | --- | --- | --- |
${two('Sandbox.create with one volume mount, median of 20', 'create', 1, 'p50 ≤ 50 ms', (ms) => ms <= 50)}
${two("commands.run('true'), median of 50", 'run', 1, '–')}
${two('cold import and init, median of 7', 'import', 1, '≤ 0.3', (_, ratio) => ratio <= 0.3)}
`)

const web = join(here, '..', 'pkg', 'dist', 'web')
const files = (dir) => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]))
const sizes = files(web).map((file) => {
  const bytes = readFileSync(file)
  return { name: relative(web, file), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }
})
const kb = (n) => (n / 1024).toFixed(1)
// The sandbox half (sandbox.js) loads on the first use of `Sandbox`; the rest loads with the page.
const sum = (list, key) => list.reduce((total, s) => total + s[key], 0)
const volumesOnly = sizes.filter((s) => s.name !== 'sandbox.js')
const volumesGzip = sum(volumesOnly, 'gzip')
console.log(`### Browser build (every file a browser loads; the official SDK cannot load in a browser)

| file | raw | gzip |
| --- | --- | --- |
${sizes.map((s) => `| ${s.name} | ${kb(s.raw)} KB | ${kb(s.gzip)} KB |`).join('\n')}
| **a page that uses volumes** (all but sandbox.js) | ${kb(sum(volumesOnly, 'raw'))} KB | ${kb(volumesGzip)} KB (target ≤ 60 KB: ${verdict(volumesGzip / 1024 <= 60)}) |
| **a page that also uses sandboxes** (every file) | ${kb(sum(sizes, 'raw'))} KB | ${kb(sum(sizes, 'gzip'))} KB |
`)

console.log(transfers)
