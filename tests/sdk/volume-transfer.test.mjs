// Folder transfers (`volume.upload`, `volume.download`) and progress on single files, in Node, from
// the packed tarball, against a real e2b-local and real temporary folders.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, watch, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Volume, InvalidArgumentError, VolumeError, VolumePathNotFoundError } from 'e2b-wasm'
import { startServer } from './support/e2b-local.mjs'

let server
let opts
const temps = []
before(async () => {
  server = await startServer()
  opts = { apiKey: server.apiKey, apiUrl: server.url }
})
after(async () => {
  await server?.stop()
  for (const dir of temps) rmSync(dir, { recursive: true, force: true })
})

const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'e2b-transfer-'))
  temps.push(dir)
  return dir
}
let volumes = 0
const newVolume = () => Volume.create(`transfer-${++volumes}-${process.pid}`, opts)

/** Writes `files` (relative path → content; `null` for an empty folder) under `root`. */
function makeTree(root, files) {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel)
    if (content === null) mkdirSync(path, { recursive: true })
    else {
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, content)
    }
  }
}

/** Every file and folder under `root`: relative path → content as text, or `null` for a folder. */
function readTree(root, rel = '') {
  const out = {}
  for (const d of readdirSync(join(root, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${d.name}` : d.name
    if (d.isDirectory()) {
      out[path] = null
      Object.assign(out, readTree(root, path))
    } else out[path] = readFileSync(join(root, path), 'utf8')
  }
  return out
}

/** The volume folder `path` as `readTree` gives a local one. */
async function volumeTree(vol, path) {
  const out = {}
  const base = path === '/' ? 1 : path.length + 1
  for (const e of await vol.list(path, { depth: 10 })) {
    out[e.path.slice(base)] = e.type === 'directory' ? null : await vol.readFile(e.path)
  }
  return out
}

const sorted = (tree) => Object.fromEntries(Object.entries(tree).sort(([a], [b]) => (a < b ? -1 : 1)))

const NESTED = {
  'readme.md': '# hello\n',
  'empty.txt': '',
  'src/main.rs': 'fn main() {}\n',
  'src/deep/er/still/file.txt': 'deep',
  'empty-dir': null,
  'src/deep/empty-too': null,
  'ünïcödé/日本語 ファイル.txt': 'こんにちは',
  'ünïcödé/emoji 🎉.bin': '🎉🎉',
}

test('upload a local folder: nested and empty folders, empty files, unicode names; symlinks and special files skipped', async (t) => {
  const src = temp()
  makeTree(src, NESTED)
  symlinkSync('readme.md', join(src, 'link-to-readme'))
  execFileSync('mkfifo', [join(src, 'a-fifo')])
  const vol = await newVolume()
  const calls = []
  const report = await vol.upload('/dest/project', src, { onProgress: (p) => calls.push(p) })

  await t.test('the report', () => {
    assert.equal(report.files, 6)
    assert.equal(report.bytes, Object.values(NESTED).reduce((n, c) => n + (c === null ? 0 : Buffer.byteLength(c)), 0))
    assert.equal(report.directories, 7, 'each folder of the source, once')
    assert.deepEqual(report.skipped.sort((a, b) => (a.path < b.path ? -1 : 1)), [
      { path: 'a-fifo', reason: 'special' },
      { path: 'link-to-readme', reason: 'symlink' },
    ])
    assert.deepEqual(report.failed, [])
  })

  await t.test('the volume holds the same tree', async () => {
    const expected = sorted({ ...NESTED, src: null, 'src/deep': null, 'src/deep/er': null, 'src/deep/er/still': null, 'ünïcödé': null })
    assert.deepEqual(sorted(await volumeTree(vol, '/dest/project')), expected)
  })

  await t.test('progress: totals up front, never going back, ending at the totals', () => {
    assert.ok(calls.length >= 2, 'a first and a last call')
    const last = calls.at(-1)
    assert.deepEqual(last, { bytesDone: report.bytes, bytesTotal: report.bytes, filesDone: 6, filesTotal: 6 })
    for (const p of calls) assert.deepEqual([p.filesTotal, p.bytesTotal], [6, report.bytes])
    for (let i = 1; i < calls.length; i++) {
      assert.ok(calls[i].bytesDone >= calls[i - 1].bytesDone && calls[i].filesDone >= calls[i - 1].filesDone)
    }
  })

  await t.test('owner and mode as writeFile takes them', async () => {
    const vol2 = await newVolume()
    await vol2.upload('/', src, { uid: 1000, gid: 1001, mode: 0o640 })
    const file = await vol2.getInfo('/src/main.rs')
    assert.deepEqual([file.uid, file.gid, file.mode], [1000, 1001, 0o640])
    const dir = await vol2.getInfo('/src/deep')
    assert.deepEqual([dir.uid, dir.gid, dir.type], [1000, 1001, 'directory'])
  })

  await t.test('a big file (streamed from disk) arrives whole, with progress as it goes', async () => {
    const big = temp()
    const bytes = new Uint8Array(9 * 1024 * 1024).map((_, i) => (i * 7) % 256)
    writeFileSync(join(big, 'big.bin'), bytes)
    const seen = []
    const r = await vol.upload('/big', big, { onProgress: (p) => seen.push(p.bytesDone) })
    assert.equal(r.bytes, bytes.length)
    assert.deepEqual(await vol.readFile('/big/big.bin', { format: 'bytes' }), bytes)
    assert.equal(seen.at(-1), bytes.length)
  })

  await t.test('big files cancelled midway: no partial file in the volume, no local file left open', async () => {
    const big = temp()
    for (let i = 0; i < 3; i++) writeFileSync(join(big, `b${i}.bin`), new Uint8Array(48 * 1024 * 1024).fill(i + 1))
    const openHere = () => readdirSync('/proc/self/fd').flatMap((fd) => {
      try {
        const target = readlinkSync(`/proc/self/fd/${fd}`)
        return target.startsWith(big) ? [target] : []
      } catch {
        return []
      }
    })
    const stop = new AbortController()
    let sent = 0
    const reason = new Error('stopped midway')
    const err = await vol.upload('/cut', big, {
      signal: stop.signal,
      // Stopped once some bytes have gone, however fast the machine.
      onProgress: (p) => { sent = Math.max(sent, p.bytesDone); if (p.bytesDone > 0) stop.abort(reason) },
    }).catch((e) => e)
    assert.equal(err, reason)
    assert.ok(sent > 0 && sent < 3 * 48 * 1024 * 1024, `${sent} bytes sent`)
    const landed = (await vol.list('/cut').catch(() => [])).filter((e) => e.type === 'file')
    for (const e of landed) assert.equal(e.size, 48 * 1024 * 1024, `${e.path} is whole`)
    for (let wait = 0; openHere().length && wait < 100; wait++) await new Promise((r) => setTimeout(r, 20))
    assert.deepEqual(openHere(), [])
  })

  await t.test('a big file is streamed down whole; cancelled midway it leaves nothing behind', async () => {
    const bytes = new Uint8Array(64 * 1024 * 1024).map((_, i) => (i * 13) % 256)
    await vol.writeFile('/huge/huge.bin', bytes, { force: true })
    const whole = temp()
    await vol.download('/huge', { to: whole })
    assert.deepEqual(new Uint8Array(readFileSync(join(whole, 'huge.bin'))), bytes)

    const cut = temp()
    const stop = new AbortController()
    // Stop as soon as the file is being written (its temporary file appears).
    const watcher = watch(cut, () => stop.abort())
    const err = await vol.download('/huge', { to: cut, signal: stop.signal }).catch((e) => e)
    watcher.close()
    assert.equal(err?.name, 'AbortError')
    assert.deepEqual(readdirSync(cut), [], 'no file and no temporary file')
  })

  await t.test('without force an existing file fails; with force it is replaced', async () => {
    await assert.rejects(vol.upload('/dest/project', src), VolumeError)
    writeFileSync(join(src, 'readme.md'), '# changed\n')
    const again = await vol.upload('/dest/project', src, { force: true })
    assert.equal(again.files, 6)
    assert.equal(await vol.readFile('/dest/project/readme.md'), '# changed\n')
  })
})

test('download a volume folder into a local folder, then again with skipExisting', async (t) => {
  const src = temp()
  makeTree(src, NESTED)
  const vol = await newVolume()
  await vol.upload('/data', src)
  await vol.writeFile('/outside.txt', 'not downloaded')
  const dest = join(temp(), 'into', 'here')
  const calls = []
  const report = await vol.download('/data', { to: dest, onProgress: (p) => calls.push(p) })

  await t.test('the same tree, byte for byte, nothing else', () => {
    assert.deepEqual(sorted(readTree(dest)), sorted(readTree(src)))
    assert.equal(report.files, 6)
    assert.equal(report.directories, 7)
    assert.deepEqual(report.failed, [])
    assert.deepEqual(calls.at(-1), { bytesDone: report.bytes, bytesTotal: report.bytes, filesDone: 6, filesTotal: 6 })
  })

  await t.test('files keep the volume files\' modification times', async () => {
    const remote = await vol.getInfo('/data/src/main.rs')
    assert.equal(Math.round(statSync(join(dest, 'src/main.rs')).mtimeMs), remote.mtime.getTime())
  })

  await t.test('skipExisting skips files already there, and fetches changed ones', async () => {
    await vol.writeFile('/data/src/main.rs', 'fn main() { changed() }\n', { force: true })
    const again = await vol.download('/data', { to: dest, skipExisting: true })
    assert.equal(again.files, 1)
    assert.equal(again.skipped.filter((s) => s.reason === 'existing').length, 5)
    assert.equal(readFileSync(join(dest, 'src/main.rs'), 'utf8'), 'fn main() { changed() }\n')
  })

  await t.test('a missing folder is VolumePathNotFoundError', async () => {
    await assert.rejects(vol.download('/nope', { to: temp() }), VolumePathNotFoundError)
  })
})

test('a 1,000-file tree up, and down as a stream of files', async (t) => {
  const src = temp()
  const files = {}
  for (let i = 0; i < 1000; i++) files[`d${i % 10}/sub${i % 3}/f${i}.txt`] = `file ${i} `.repeat(1 + (i % 7))
  makeTree(src, files)
  const vol = await newVolume()
  const calls = []
  const report = await vol.upload('/tree', src, { onProgress: (p) => calls.push(p) })

  await t.test('uploaded, with throttled progress', async () => {
    assert.equal(report.files, 1000)
    assert.deepEqual(report.failed, [])
    assert.ok(calls.length < 200, `progress is throttled (${calls.length} calls for 1,000 files)`)
    assert.equal(calls.at(-1).filesDone, 1000)
    assert.equal((await vol.list('/tree', { depth: 10 })).filter((e) => e.type === 'file').length, 1000)
  })

  await t.test('downloaded as { path, entry, stream } items, each the file\'s content', async () => {
    const download = vol.download('/tree', { concurrency: 16 })
    const seen = {}
    for await (const item of download) {
      assert.equal(item.entry.path, `/tree/${item.path}`)
      seen[item.path] = await new Response(item.stream).text()
    }
    assert.deepEqual(sorted(seen), sorted(files))
    assert.equal(download.report.files, 1000)
    assert.equal(download.report.bytes, Object.values(files).reduce((n, c) => n + c.length, 0))
  })

  await t.test('downloaded into a local folder: every file whole, each with the volume file\'s modification time', async () => {
    const dest = temp()
    const got = await vol.download('/tree', { to: dest })
    assert.equal(got.files, 1000)
    assert.deepEqual(got.failed, [])
    const local = Object.fromEntries(Object.entries(readTree(dest)).filter(([, c]) => c !== null))
    assert.deepEqual(sorted(local), sorted(files))
    for (const e of await vol.list('/tree', { depth: 10 })) {
      if (e.type !== 'file') continue
      assert.equal(Math.round(statSync(join(dest, e.path.slice('/tree/'.length))).mtimeMs), e.mtime.getTime(), e.path)
    }
  })

  await t.test('breaking out of the iteration early is fine', async () => {
    let n = 0
    for await (const item of vol.download('/tree')) {
      await item.stream.cancel()
      if (++n === 3) break
    }
    assert.equal(n, 3)
  })
})

test('cancel midway, then resume with skipExisting', async (t) => {
  const src = temp()
  const files = {}
  for (let i = 0; i < 300; i++) files[`part${i % 4}/f${String(i).padStart(3, '0')}.bin`] = `${i}:`.padEnd(48 * 1024, 'x')
  makeTree(src, files)
  const vol = await newVolume()
  const controller = new AbortController()
  const reason = new Error('stopped by the user')
  // The folder's files, read as the upload asks for them; the user stops once the 100th is taken
  // and some have landed (so always midway, whatever the machine's speed).
  let taken = 0
  let landed = 0
  async function* folder() {
    for (const path of Object.keys(files)) {
      if (++taken === 100) {
        for (let wait = 0; landed === 0 && wait < 1000; wait++) await new Promise((r) => setTimeout(r, 10))
        controller.abort(reason)
      }
      yield { path, data: readFileSync(join(src, path)) }
    }
  }
  const onProgress = (p) => { landed = p.filesDone }
  const cancelled = await vol.upload('/big', folder(), { signal: controller.signal, onProgress }).catch((e) => e)

  const present = (await vol.list('/big', { depth: 10 })).filter((e) => e.type === 'file')
  await t.test('the upload rejects with the abort reason, midway', () => {
    assert.equal(cancelled, reason)
    assert.ok(present.length > 0 && present.length < 100, `${present.length} of 300 files were uploaded`)
  })

  await t.test('no partial file: every file in the volume is whole', () => {
    for (const e of present) assert.equal(e.size, 48 * 1024, e.path)
  })

  await t.test('resuming (from the folder itself) uploads only the rest', async () => {
    const resumed = await vol.upload('/big', src, { skipExisting: true })
    // A file whose body was all sent when the abort came may still land (whole) after the listing.
    assert.equal(resumed.files + resumed.skipped.length, 300)
    assert.ok(resumed.skipped.length >= present.length && resumed.files > 0)
    assert.ok(resumed.skipped.every((s) => s.reason === 'existing'))
    const all = (await vol.list('/big', { depth: 10 })).filter((e) => e.type === 'file')
    assert.equal(all.length, 300)
    for (const e of all) assert.equal(e.size, 48 * 1024, e.path)
  })

  await t.test('a download cancelled midway leaves no partial file, and resumes', async () => {
    const dest = temp()
    const stop = new AbortController()
    // Stop once ten files have appeared in part0 (a quarter of all files go there): always midway.
    mkdirSync(join(dest, 'part0'))
    const appeared = new Set()
    const watcher = watch(join(dest, 'part0'), (_, name) => appeared.add(name).size >= 10 && stop.abort())
    const err = await vol.download('/big', { to: dest, concurrency: 4, signal: stop.signal }).catch((e) => e)
    watcher.close()
    assert.equal(err?.name, 'AbortError')
    const local = Object.entries(readTree(dest)).filter(([, c]) => c !== null)
    assert.ok(local.length >= 10 && local.length < 300, `${local.length} files downloaded`)
    for (const [path, content] of local) assert.equal(content, files[path], `${path} is whole (no partial or temporary file)`)
    const resumed = await vol.download('/big', { to: dest, skipExisting: true })
    assert.equal(resumed.files, 300 - local.length)
    assert.deepEqual(sorted(Object.fromEntries(Object.entries(readTree(dest)).filter(([, c]) => c !== null))), sorted(files))
  })

  await t.test('e2b-local drops a streamed upload aborted mid-body', async () => {
    const stop = new AbortController()
    let sent = 0
    const body = new ReadableStream({
      async pull(c) {
        if (sent === 4) {
          stop.abort()
          await new Promise((r) => setTimeout(r, 50))
        }
        // Ending the body now would complete the file, were the request still going.
        if (stop.signal.aborted) return c.close()
        sent++
        c.enqueue(new Uint8Array(256 * 1024))
      },
    })
    await assert.rejects(vol.writeFile('/cut.bin', body, { signal: stop.signal }))
    await new Promise((r) => setTimeout(r, 200))
    assert.equal(await vol.exists('/cut.bin'), false)
  })
})

test('a failing file is reported and the rest goes on with continueOnError; otherwise the upload stops', async (t) => {
  await t.test('an unreadable local file (permission), uploaded by an unprivileged user', async () => {
    const src = temp()
    chmodSync(src, 0o755)
    makeTree(src, { 'a.txt': 'a', 'secret/locked.txt': 'no', 'b/c.txt': 'c' })
    chmodSync(join(src, 'secret/locked.txt'), 0o000)
    const vol = await newVolume()
    // Root reads anything: the upload runs in a child process as `nobody`.
    const script = join(src, '..', `child-${process.pid}.mjs`)
    writeFileSync(script, `
      import { Volume } from ${JSON.stringify(import.meta.resolve('e2b-wasm'))}
      const [volumeId, apiUrl, apiKey, src, mode] = process.argv.slice(2)
      const vol = await Volume.connect(volumeId, { apiUrl, apiKey })
      const out = await vol.upload('/' + mode, src, { continueOnError: mode === 'continue' })
        .then((r) => ({ ...r, failed: r.failed.map((f) => ({ path: f.path, code: f.error.code })) }), (e) => ({ rejected: e.code }))
      console.log(JSON.stringify(out))
    `)
    chmodSync(script, 0o644)
    const run = (mode) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [script, vol.volumeId, server.url, server.apiKey, src, mode], { uid: 65534, gid: 65534 })
        let out = ''
        let err = ''
        child.stdout.on('data', (d) => (out += d))
        child.stderr.on('data', (d) => (err += d))
        child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(err))))
      })
    const stopped = await run('stop')
    assert.deepEqual(stopped, { rejected: 'EACCES' })
    const report = await run('continue')
    assert.deepEqual(report.failed, [{ path: 'secret/locked.txt', code: 'EACCES' }])
    assert.equal(report.files, 2)
    assert.equal(await vol.readFile('/continue/b/c.txt'), 'c')
    assert.equal(await vol.exists('/continue/secret/locked.txt'), false)
  })

  await t.test('a file the volume refuses (a folder is in its way)', async () => {
    const vol = await newVolume()
    await vol.makeDir('/in/the-way', { force: true })
    const items = [
      { path: 'one.txt', data: '1' },
      { path: 'the-way', data: 'blocked' },
      { path: 'two/three.txt', data: new Uint8Array([3]) },
    ]
    const report = await vol.upload('/in', items, { continueOnError: true, force: true })
    assert.equal(report.files, 2)
    assert.equal(report.failed.length, 1)
    assert.equal(report.failed[0].path, 'the-way')
    assert.ok(report.failed[0].error instanceof VolumeError)
    await assert.rejects(vol.upload('/in', items, { force: true }), VolumeError)
  })
})

test('iterables of { path, data }', async (t) => {
  const vol = await newVolume()
  await t.test('an array of every kind of data writeFile takes', async () => {
    const calls = []
    const report = await vol.upload('/items', [
      { path: 'text.txt', data: 'héllo' },
      { path: '/sub/bytes.bin', data: new Uint8Array([1, 2, 3]) },
      { path: 'sub/buffer.bin', data: new Uint8Array([4, 5]).buffer },
      { path: 'sub/blob.bin', data: new Blob(['blob']) },
      { path: 'stream.bin', data: new Blob(['streamed']).stream() },
    ], { onProgress: (p) => calls.push(p) })
    assert.equal(report.files, 5)
    assert.equal(await vol.readFile('/items/text.txt'), 'héllo')
    assert.deepEqual([...(await vol.readFile('/items/sub/buffer.bin', { format: 'bytes' }))], [4, 5])
    assert.equal(await vol.readFile('/items/stream.bin'), 'streamed')
    assert.equal(calls.at(-1).bytesDone, 6 + 3 + 2 + 4 + 8)
    assert.equal(calls[0].filesTotal, 5)
  })

  await t.test('an async generator, read as the upload goes', async () => {
    async function* gen() {
      for (let i = 0; i < 20; i++) yield { path: `gen/${i}.txt`, data: String(i) }
    }
    const calls = []
    const report = await vol.upload('/', gen(), { concurrency: 3, onProgress: (p) => calls.push(p) })
    assert.equal(report.files, 20)
    assert.equal(await vol.readFile('/gen/19.txt'), '19')
    assert.deepEqual(calls.at(-1), { bytesDone: 30, bytesTotal: 30, filesDone: 20, filesTotal: 20 })
  })

  await t.test('bad arguments are InvalidArgumentError', async () => {
    await assert.rejects(vol.upload('/', 42), InvalidArgumentError)
    await assert.rejects(vol.upload('/', [{ path: '../escape', data: 'x' }]), InvalidArgumentError)
    await assert.rejects(vol.upload('/', [], { concurrency: 0 }), InvalidArgumentError)
    await assert.rejects(vol.download('/', { to: 42 }), InvalidArgumentError)
  })
})

test('onProgress on writeFile and readFile', async (t) => {
  const vol = await newVolume()
  const big = new Uint8Array(6 * 1024 * 1024).map((_, i) => i % 251)
  await t.test('writeFile reports bytes as they are sent', async () => {
    const calls = []
    const entry = await vol.writeFile('/big.bin', big, { onProgress: (p) => calls.push(p) })
    assert.equal(entry.size, big.length)
    assert.deepEqual(calls.at(-1), { bytesDone: big.length, bytesTotal: big.length, filesDone: 1, filesTotal: 1 })
    assert.deepEqual(calls[0], { bytesDone: 0, bytesTotal: big.length, filesDone: 0, filesTotal: 1 }, 'the total up front')
    for (let i = 1; i < calls.length; i++) assert.ok(calls[i].bytesDone >= calls[i - 1].bytesDone)
  })

  await t.test('readFile reports bytes as they arrive, in each format', async () => {
    for (const format of ['bytes', 'text', 'blob', 'stream']) {
      const calls = []
      const got = await vol.readFile('/big.bin', { format, onProgress: (p) => calls.push(p) })
      const bytes = format === 'bytes' ? got : format === 'text' ? null : new Uint8Array(await new Response(got).arrayBuffer())
      if (bytes) assert.deepEqual(bytes, big, format)
      else assert.equal(got, new TextDecoder().decode(big))
      assert.deepEqual(calls.at(-1), { bytesDone: big.length, bytesTotal: big.length, filesDone: 1, filesTotal: 1 }, format)
    }
    await assert.rejects(vol.readFile('/missing', { onProgress: () => {} }), VolumePathNotFoundError)
  })
})
