// A user's browser code moving folders: from a FileList, a DataTransfer, a directory handle (the
// origin-private file system stands in for a picked folder) and iterables, into a volume and back.
// Returns named checks, which tests/sdk/browser-transfer.test.mjs compares one by one.
import { Volume, VolumeError } from 'e2b-wasm'

const TREE = {
  'readme.md': '# hello\n',
  'empty.txt': '',
  'src/main.rs': 'fn main() {}\n',
  'src/deep/er/file.txt': 'deep',
  'empty-dir': null,
  'ünïcödé/日本語 ファイル.txt': 'こんにちは',
}

/** Writes TREE into a fresh folder of the origin-private file system. */
async function makeHandleTree(name) {
  const opfs = await navigator.storage.getDirectory()
  await opfs.removeEntry(name, { recursive: true }).catch(() => {})
  const root = await opfs.getDirectoryHandle(name, { create: true })
  for (const [path, content] of Object.entries(TREE)) {
    const parts = path.split('/')
    let dir = root
    const last = content === null ? parts.length : parts.length - 1
    for (const part of parts.slice(0, last)) dir = await dir.getDirectoryHandle(part, { create: true })
    if (content !== null) {
      const w = await (await dir.getFileHandle(parts.at(-1), { create: true })).createWritable()
      await w.write(content)
      await w.close()
    }
  }
  return root
}

/** A directory handle's tree: path → text, or null for a folder. */
async function readHandleTree(dir, prefix = '') {
  const out = {}
  for await (const h of dir.values()) {
    const path = prefix ? `${prefix}/${h.name}` : h.name
    if (h.kind === 'directory') Object.assign(out, { [path]: null }, await readHandleTree(h, path))
    else out[path] = await (await h.getFile()).text()
  }
  return out
}

/** A volume folder's tree, as readHandleTree gives a handle's. */
async function volumeTree(vol, path) {
  const out = {}
  for (const e of await vol.list(path, { depth: 10 })) {
    out[e.path.slice(path.length + 1)] = e.type === 'directory' ? null : await vol.readFile(e.path)
  }
  return out
}

const sorted = (tree) => JSON.stringify(Object.fromEntries(Object.entries(tree).sort(([a], [b]) => (a < b ? -1 : 1))))

export async function runTransfers({ apiUrl, apiKey }) {
  const opts = { apiKey, apiUrl }
  const checks = {}
  const vol = await Volume.create(`browser-transfer-${Math.random().toString(36).slice(2)}`, opts)
  const wanted = sorted({ ...TREE, src: null, 'src/deep': null, 'src/deep/er': null, 'ünïcödé': null })

  // A directory handle: its contents, with nested and empty folders, empty files, unicode names.
  const handle = await makeHandleTree('upload-source')
  const calls = []
  const up = await vol.upload('/from-handle', handle, { onProgress: (p) => calls.push(p) })
  checks.handleReport = { files: up.files, directories: up.directories, skipped: up.skipped, failed: up.failed.length }
  checks.handleTreeInVolume = (await volumeTree(vol, '/from-handle')) && sorted(await volumeTree(vol, '/from-handle')) === wanted
  checks.handleProgressEnd = calls.at(-1)

  // A FileList (as an <input type="file" multiple> gives it) and a drop's DataTransfer.
  const dt = new DataTransfer()
  dt.items.add(new File(['one'], 'one.txt'))
  dt.items.add(new File(['two!'], 'two.txt'))
  const fromList = await vol.upload('/from-list', dt.files)
  const fromDrop = await vol.upload('/from-drop', dt)
  checks.fileListAndDrop = [fromList.files, fromDrop.files, await vol.readFile('/from-list/two.txt'), await vol.readFile('/from-drop/one.txt')]

  // Download into a directory handle, then again with skipExisting.
  const opfs = await navigator.storage.getDirectory()
  await opfs.removeEntry('download-target', { recursive: true }).catch(() => {})
  const target = await opfs.getDirectoryHandle('download-target', { create: true })
  const down = await vol.download('/from-handle', { to: target })
  checks.downloadReport = { files: down.files, directories: down.directories, failed: down.failed.length }
  checks.downloadedTree = sorted(await readHandleTree(target)) === wanted
  const again = await vol.download('/from-handle', { to: target, skipExisting: true })
  checks.downloadResumed = { files: again.files, existing: again.skipped.filter((s) => s.reason === 'existing').length }

  // A 1,000-file tree from an iterable, and back as a stream of files.
  const many = Array.from({ length: 1000 }, (_, i) => ({ path: `d${i % 10}/f${i}.txt`, data: `file ${i}` }))
  const manyCalls = []
  const upMany = await vol.upload('/many', many, { onProgress: (p) => manyCalls.push(p) })
  let seen = 0
  let same = 0
  for await (const item of vol.download('/many')) {
    seen++
    if ((await new Response(item.stream).text()) === `file ${item.path.split('/f')[1].split('.')[0]}`) same++
  }
  checks.thousandFiles = { uploaded: upMany.files, downloaded: seen, same, throttled: manyCalls.length < 200 }

  // Cancel midway, then resume: no partial file, only the rest sent again.
  const big = Array.from({ length: 200 }, (_, i) => ({
    path: `part${i % 4}/f${i}.bin`,
    data: new File([`${i}:`.padEnd(32 * 1024, 'x')], `f${i}.bin`, { lastModified: Date.now() - 60_000 }),
  }))
  const stop = new AbortController()
  let landed = 0
  // The user stops when the 80th file is taken and some files have landed: always midway, whatever
  // the machine's speed (on a busy machine none may have landed yet when the 80th is taken).
  async function* slowly() {
    for (const [i, item] of big.entries()) {
      if (i === 80) {
        for (let wait = 0; landed === 0 && wait < 1000; wait++) await new Promise((r) => setTimeout(r, 10))
        stop.abort()
      }
      yield item
    }
  }
  const onProgress = (/** @type {{ filesDone: number }} */ p) => { landed = p.filesDone }
  const cancelled = await vol.upload('/big', slowly(), { signal: stop.signal, onProgress }).catch((e) => e)
  const present = (await vol.list('/big', { depth: 10 })).filter((e) => e.type === 'file')
  const resumed = await vol.upload('/big', big, { skipExisting: true })
  checks.cancelAndResume = {
    abortError: cancelled?.name,
    // 80 files were taken (0 to 79), of 200: all of them may have landed by the time the abort comes.
    midway: present.length > 0 && present.length <= 80,
    allWhole: present.every((e) => e.size === 32 * 1024),
    // A file whose body was all sent when the abort came may still land (whole) after the listing.
    resumedRest: resumed.files + resumed.skipped.length === 200 && resumed.skipped.length >= present.length && resumed.files > 0,
    complete: (await vol.list('/big', { depth: 10 })).filter((e) => e.type === 'file').length,
  }

  // A file the volume refuses, reported while the rest goes on.
  await vol.makeDir('/blocked/in-the-way', { force: true })
  const partial = await vol.upload('/blocked', [
    { path: 'ok.txt', data: 'ok' },
    { path: 'in-the-way', data: 'no' },
  ], { continueOnError: true, force: true })
  checks.continueOnError = { files: partial.files, failed: partial.failed.map((f) => [f.path, f.error instanceof VolumeError]) }

  // Progress on single files.
  const bytes = new Uint8Array(2 * 1024 * 1024).fill(7)
  const wCalls = []
  await vol.writeFile('/single.bin', bytes, { onProgress: (p) => wCalls.push(p) })
  const rCalls = []
  const read = await vol.readFile('/single.bin', { format: 'bytes', onProgress: (p) => rCalls.push(p) })
  checks.singleFileProgress = [wCalls.at(-1), rCalls.at(-1), read.length]

  checks.destroyed = await Volume.destroy(vol.volumeId, opts)
  return checks
}

const end = (files, bytes) => ({ bytesDone: bytes, bytesTotal: bytes, filesDone: files, filesTotal: files })
const TREE_BYTES = Object.values(TREE).reduce((n, c) => n + (c === null ? 0 : new TextEncoder().encode(c).length), 0)
const MIB2 = 2 * 1024 * 1024

/** What runTransfers returns when all is well. */
export const expected = {
  handleReport: { files: 5, directories: 5, skipped: [], failed: 0 },
  handleTreeInVolume: true,
  handleProgressEnd: end(5, TREE_BYTES),
  fileListAndDrop: [2, 2, 'two!', 'one'],
  downloadReport: { files: 5, directories: 5, failed: 0 },
  downloadedTree: true,
  downloadResumed: { files: 0, existing: 5 },
  thousandFiles: { uploaded: 1000, downloaded: 1000, same: 1000, throttled: true },
  cancelAndResume: { abortError: 'AbortError', midway: true, allWhole: true, resumedRest: true, complete: 200 },
  continueOnError: { files: 1, failed: [['in-the-way', true]] },
  singleFileProgress: [end(1, MIB2), end(1, MIB2), MIB2],
  destroyed: true,
}
