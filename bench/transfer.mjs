// Folder transfers: e2b-wasm's `upload` and `download` against a sequential loop of the official
// SDK's `writeFile`/`readFile`, for many small files and a few big ones, up and down, on one
// e2b-local. Also times `upload` at several concurrencies (what the default was chosen from).
// Run alone with `node bench/transfer.mjs`, or as part of `npm run bench`.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer } from '../tests/support/e2b-local.mjs'
import { bareVolume, loadSdk, median } from './sdks.mjs'

const ROUNDS = Number(process.env.BENCH_TRANSFER_ROUNDS ?? 3)
/** Files at once for the bare-fetch floor: e2b-wasm's default `concurrency`. */
const DEFAULT_AT_ONCE = 16
/**
 * Where the local folders are made: $BENCH_LOCAL_DIR, else a memory file system when there is one.
 * Both sides create every local file (and the official loop as many as e2b-wasm); on a disk whose
 * file creation slows after removals (ext4 without a journal scans past recently freed inodes), that
 * cost swung the download figures 1.0–1.6× from run to run. e2b-local's volumes stay on disk.
 */
const LOCAL = process.env.BENCH_LOCAL_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir())

/** A local folder of `count` files of `size` bytes, spread over ten subfolders. */
function makeFolder(count, size) {
  const dir = mkdtempSync(join(LOCAL, 'e2b-bench-transfer-'))
  const files = []
  for (let i = 0; i < count; i++) {
    const rel = `d${i % 10}/f${i}.bin`
    mkdirSync(join(dir, `d${i % 10}`), { recursive: true })
    const bytes = new Uint8Array(size)
    for (let k = 0; k < size; k += 4096) bytes[k] = (i + k) & 255
    writeFileSync(join(dir, rel), bytes)
    files.push(rel)
  }
  return { dir, files }
}

/** The official SDK's way today: one `writeFile` after another. */
async function loopUp(vol, folder, dest) {
  for (const rel of folder.files) await vol.writeFile(`${dest}/${rel}`, readFileSync(join(folder.dir, rel)), { force: true })
}

/** And one `readFile` after another, each written to a local file. */
async function loopDown(vol, src, to) {
  for (const e of await vol.list(src, { depth: 10 })) {
    const local = join(to, e.path.slice(src.length + 1))
    if (e.type === 'directory') mkdirSync(local, { recursive: true })
    else writeFileSync(local, await vol.readFile(e.path, { format: 'bytes' }))
  }
}

/**
 * The floor under any fetch-based folder transfer: every file of `folder` sent (`up`, from memory,
 * parents made by `force`) or fetched and dropped (`down`), `at` at once through bare `fetch`, with
 * no local file read or written and no SDK.
 */
async function bareAtOnce(bare, folder, dest, direction, at) {
  const data = direction === 'up' ? folder.files.map((rel) => readFileSync(join(folder.dir, rel))) : []
  let next = 0
  const worker = async () => {
    while (next < folder.files.length) {
      const k = next++
      const path = `${dest}/${folder.files[k]}`
      if (direction === 'up') await bare.writeFile(path, data[k])
      else await bare.readFile(path)
    }
  }
  const t = performance.now()
  await Promise.all(Array.from({ length: at }, worker))
  return (performance.now() - t) / 1000
}

/**
 * Times the folder transfers on `server`; returns a Markdown section.
 * @param {{ url: string, apiKey: string }} server
 */
export async function benchTransfers(server) {
  const opts = { apiKey: server.apiKey, apiUrl: server.url }
  // The official SDK finds the volume content API only through the environment.
  process.env.E2B_VOLUME_API_URL = server.url
  const wasm = await loadSdk('e2b-wasm')
  const official = await loadSdk('e2b')
  // Each folder is made when its turn comes, then flushed to disk (`sync`): the kernel writing back
  // 256 MiB of fresh files during the small files' rounds slowed whichever side ran first.
  const cases = [
    { label: '1,000 × 16 KiB', make: () => makeFolder(1000, 16 * 1024), folder: { dir: '', files: [''] } },
    { label: '4 × 64 MiB', make: () => makeFolder(4, 64 * 1024 * 1024), folder: { dir: '', files: [''] } },
  ]
  const rows = []
  const sweep = []
  /** Removals put off until everything is timed (see below). @type {(() => Promise<void>)[]} */
  const later = []
  // The machine's load, printed with the figures: they mean little on a busy machine.
  const load0 = loadavg().map((x) => x.toFixed(2)).join(' ')
  try {
    const volW = await wasm.Volume.create(`bench-transfer-wasm-${process.pid}`, opts)
    const volE = await official.Volume.create(`bench-transfer-e2b-${process.pid}`, opts)
    let n = 0
    const timed = async (f) => {
      const t = performance.now()
      await f()
      return (performance.now() - t) / 1000
    }
    const bare = bareVolume(server.url, volW)
    for (const c of cases) {
      c.folder = c.make()
      execFileSync('sync')
      const { label, folder } = c
      const small = folder.files.length >= 100
      const times = { loopUp: [], up: [], loopDown: [], down: [], floorUp: [], floorDown: [] }
      for (let r = 0; r < ROUNDS; r++) {
        const d = `/r${++n}`
        const outE = mkdtempSync(join(LOCAL, 'e2b-bench-down-'))
        const outW = mkdtempSync(join(LOCAL, 'e2b-bench-down-'))
        const ours = {
          up: async () => times.up.push(await timed(() => volW.upload(`${d}w`, folder.dir))),
          down: async () => times.down.push(await timed(() => volW.download(`${d}w`, { to: outW }))),
        }
        const theirs = {
          up: async () => times.loopUp.push(await timed(() => loopUp(volE, folder, `${d}e`))),
          down: async () => times.loopDown.push(await timed(() => loopDown(volE, `${d}e`, outE))),
        }
        // Each side goes first in every other round: whoever follows the other side's writes gets
        // a different machine.
        const [first, second] = r % 2 ? [ours, theirs] : [theirs, ours]
        await first.up()
        await second.up()
        await first.down()
        await second.down()
        if (small) {
          times.floorUp.push(await bareAtOnce(bare, folder, `${d}f`, 'up', DEFAULT_AT_ONCE))
          times.floorDown.push(await bareAtOnce(bare, folder, `${d}f`, 'down', DEFAULT_AT_ONCE))
        }
        // Many small files are removed only once all is timed (`later`): ext4 scans past recently
        // removed inodes on every create (`recently_deleted`, measured with perf at 44% of e2b-local's
        // upload time after a round of removals), which would time the removals, not the SDKs.
        later.push(async () => {
          rmSync(outE, { recursive: true, force: true })
          rmSync(outW, { recursive: true, force: true })
          await volW.remove(`${d}w`)
          await volE.remove(`${d}e`)
          if (small) await volW.remove(`${d}f`)
        })
        if (!small) await later.pop()()
      }
      const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.length ? median(v) : NaN]))
      const s = (x) => `${x.toFixed(2)} s`
      const floor = (x, loop) => (small ? `${s(x)} (${(loop / x).toFixed(1)}×)` : '–')
      rows.push(`| ${label} up | ${s(m.loopUp)} | ${s(m.up)} | ${(m.loopUp / m.up).toFixed(1)}× | ${floor(m.floorUp, m.loopUp)} |`)
      rows.push(`| ${label} down | ${s(m.loopDown)} | ${s(m.down)} | ${(m.loopDown / m.down).toFixed(1)}× | ${floor(m.floorDown, m.loopDown)} |`)
    }
    // The default concurrency: upload and download of the small files at several settings.
    for (const concurrency of [1, 2, 4, 8, 16, 32]) {
      const up = []
      const down = []
      for (let r = 0; r < ROUNDS; r++) {
        const d = `/c${++n}`
        up.push(await timed(() => volW.upload(d, cases[0].folder.dir, { concurrency })))
        const out = mkdtempSync(join(LOCAL, 'e2b-bench-down-'))
        down.push(await timed(() => volW.download(d, { to: out, concurrency })))
        later.push(async () => {
          rmSync(out, { recursive: true, force: true })
          await volW.remove(d)
        })
      }
      sweep.push(`| ${concurrency} | ${median(up).toFixed(2)} s | ${median(down).toFixed(2)} s |`)
    }
    for (const remove of later.splice(0)) await remove()
    await wasm.Volume.destroy(volW.volumeId, opts)
    await wasm.Volume.destroy(volE.volumeId, opts)
  } finally {
    for (const remove of later) await remove().catch(() => {})
    for (const c of cases) if (c.folder.dir) rmSync(c.folder.dir, { recursive: true, force: true })
  }
  return `### Folder transfers (median of ${ROUNDS}; local folder ↔ volume folder; local folders in ${LOCAL}; load average before ${load0}, after ${loadavg().map((x) => x.toFixed(2)).join(' ')})

| folder | e2b 2.51.0, sequential writeFile/readFile loop | e2b-wasm upload/download (default concurrency) | speed-up (target ≥ 3× for many small files) | floor: bare fetch, ${DEFAULT_AT_ONCE} at once, no local files (its speed-up) |
| --- | --- | --- | --- | --- |
${rows.join('\n')}

| concurrency | upload 1,000 × 16 KiB | download 1,000 × 16 KiB |
| --- | --- | --- |
${sweep.join('\n')}
`
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await startServer()
  try {
    console.log(await benchTransfers(server))
  } finally {
    await server.stop()
  }
}
