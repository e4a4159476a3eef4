// e2b-wasm against the official e2b SDK, on the same e2b-local, in one run. Prints a Markdown table.
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer } from '../tests/support/e2b-local.mjs'
import { loadSdk, generated, drain } from './sdks.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const SDKS = ['e2b-wasm', 'e2b']
const SMALL_RUNS = Number(process.env.BENCH_SMALL_RUNS ?? 200)
const BIG = 256 * 1024 * 1024

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/**
 * Median latency of `op` for each SDK, alternating SDKs run by run so both see the same server state;
 * `between` (untimed) runs after each op.
 */
async function alternate(runs, ops, between = async () => {}) {
  const times = ops.map(() => [])
  for (let i = 0; i < runs + 10; i++) {
    for (const [k, op] of ops.entries()) {
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
const results = Object.fromEntries(SDKS.map((s) => [s, {}]))
try {
  const vols = {}
  const kib = new Uint8Array(1024).fill(1)
  for (const which of SDKS) {
    const { Volume } = await loadSdk(which)
    const vol = await Volume.create(`bench-${which.replace(/\W/g, '')}`, opts)
    await vol.writeFile('/small.bin', kib)
    for (let i = 0; i < 20; i++) await vol.writeFile(`/dir/f${i}`, 'x', { force: true })
    vols[which] = vol
  }
  const small = {
    stat: (v) => v.getInfo('/small.bin'),
    list: (v) => v.list('/dir'),
    read: (v) => v.readFile('/small.bin', { format: 'bytes' }),
    write: (v) => v.writeFile('/small.bin', kib, { force: true }),
  }
  for (const [name, op] of Object.entries(small)) {
    const medians = await alternate(SMALL_RUNS, SDKS.map((w) => () => op(vols[w])))
    SDKS.forEach((w, k) => (results[w][name] = medians[k]))
  }
  // Throughput: median of three runs, alternating SDKs.
  const speeds = Object.fromEntries(SDKS.map((w) => [w, { upload: [], download: [] }]))
  for (let round = 0; round < 3; round++) {
    for (const which of SDKS) {
      const vol = vols[which]
      let t = performance.now()
      await vol.writeFile('/big.bin', generated(BIG), { force: true })
      speeds[which].upload.push(BIG / 2 ** 20 / ((performance.now() - t) / 1000))
      t = performance.now()
      const n = await drain(await vol.readFile('/big.bin', { format: 'stream' }))
      speeds[which].download.push(n / 2 ** 20 / ((performance.now() - t) / 1000))
    }
  }
  for (const which of SDKS) {
    results[which].upload = median(speeds[which].upload)
    results[which].download = median(speeds[which].download)
    const { Volume } = await loadSdk(which)
    await Volume.destroy(vols[which].volumeId, opts)
  }
  // Sandboxes: create with one volume mount (then kill), and a `true` command round trip.
  process.env.E2B_SANDBOX_URL = server.url
  process.env.E2B_API_URL = server.url
  process.env.E2B_API_KEY = server.apiKey
  const sdks = Object.fromEntries(await Promise.all(SDKS.map(async (w) => [w, await loadSdk(w)])))
  const mountVols = {}
  for (const w of SDKS) mountVols[w] = await sdks[w].Volume.create(`bench-mount-${w.replace(/\W/g, '')}`, opts)
  const sbxOpts = { ...opts, sandboxUrl: server.url }
  // Each sandbox is killed right after it is created (and the kill is not timed), as a program that
  // uses sandboxes one after another does; the server caps how many run at once.
  const created = []
  const creates = await alternate(20, SDKS.map((w) => async () => {
    const sbx = await sdks[w].Sandbox.create({ ...sbxOpts, volumeMounts: { '/mnt/data': mountVols[w] } })
    created.push(sbx)
  }), async () => {
    for (const sbx of created.splice(0)) await sbx.kill()
  })
  const runners = Object.fromEntries(await Promise.all(SDKS.map(async (w) => [w, await sdks[w].Sandbox.create(sbxOpts)])))
  const runs = await alternate(50, SDKS.map((w) => () => runners[w].commands.run('true')))
  SDKS.forEach((w, k) => {
    results[w].create = creates[k]
    results[w].run = runs[k]
  })
  for (const w of SDKS) {
    await runners[w].kill()
    await sdks[w].Volume.destroy(mountVols[w].volumeId, opts)
  }
  for (const which of SDKS) {
    const out = execFileSync(process.execPath, [join(here, 'rss-child.mjs'), which, server.url, server.apiKey], { encoding: 'utf8' })
    results[which].rss = JSON.parse(out.trim().split('\n').pop()).growthMiB
    const times = []
    for (let i = 0; i < 7; i++) {
      times.push(JSON.parse(execFileSync(process.execPath, [join(here, 'import-child.mjs'), which], { encoding: 'utf8' })).ms)
    }
    results[which].import = median(times)
  }
} finally {
  await server.stop()
}

const web = join(here, '..', 'pkg', 'dist', 'web')
const files = (dir) => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]))
const gzip = files(web).reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0)

const ours = results['e2b-wasm']
const theirs = results.e2b
const f = (x, d = 2) => x.toFixed(d)
const row = (name, a, b, ratio, target, ok, unit) => `| ${name} | ${a} ${unit} | ${b} ${unit} | ${ratio} | ${target} | ${ok ? 'met' : 'missed'} |`
const lat = ['stat', 'list', 'read', 'write'].map((k) => {
  const ratio = ours[k] / theirs[k]
  const names = { stat: 'getInfo (stat), median', list: 'list (20 entries), median', read: 'readFile 1 KiB, median', write: 'writeFile 1 KiB, median' }
  return row(names[k], f(ours[k]), f(theirs[k]), f(ratio), '≤ 0.8', ratio <= 0.8, 'ms')
})
const up = ours.upload / theirs.upload
const down = ours.download / theirs.download
const imp = ours.import / theirs.import
console.log(`| measure | e2b-wasm | e2b 2.51.0 | ratio | target | |
| --- | --- | --- | --- | --- | --- |
${lat.join('\n')}
${row('Sandbox.create with one volume mount, median of 20', f(ours.create, 1), f(theirs.create, 1), f(ours.create / theirs.create), 'p50 ≤ 50 ms', ours.create <= 50, 'ms')}
| commands.run('true'), median of 50 | ${f(ours.run, 1)} ms | ${f(theirs.run, 1)} ms | ${f(ours.run / theirs.run)} | – | – |
${row('upload 256 MiB (stream), median of 3', f(ours.upload, 0), f(theirs.upload, 0), f(up), '≥ 1.0', up >= 1, 'MiB/s')}
${row('download 256 MiB (stream), median of 3', f(ours.download, 0), f(theirs.download, 0), f(down), '≥ 1.0', down >= 1, 'MiB/s')}
| SDK process RSS growth, 1 GiB up + 1 GiB down | ${f(ours.rss, 1)} MiB | ${f(theirs.rss, 1)} MiB | – | ≤ 64 MiB | ${ours.rss <= 64 ? 'met' : 'missed'} |
${row('cold import and init, median of 7', f(ours.import, 1), f(theirs.import, 1), f(imp), '≤ 0.3', imp <= 0.3, 'ms')}
| browser build, gzip (JS + wasm) | ${f(gzip / 1024, 1)} KB | cannot load in a browser | – | ≤ 60 KB | ${gzip / 1024 <= 60 ? 'met' : 'missed'} |
`)
