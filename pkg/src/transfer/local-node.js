// @ts-check
/// <reference types="node" />
// Local folders in Node (only Node's own build includes this file; the others get local-none.js):
// walking a folder to upload it, and the folder a download writes into.
import { closeSync, createWriteStream, futimesSync, openSync, readFileSync, statSync, utimes as utimesCb, writeFile as writeFileCb, writeSync } from 'node:fs'
import { mkdir, open, readdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises'
import { join, resolve, dirname, basename } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { InvalidArgumentError } from '../../../src/js/errors.js'

/** Files up to this size are read whole (one request with a length); larger ones are streamed. */
const READ_WHOLE_MAX = 4 * 1024 * 1024

/** Files stat'ed between two turns of the event loop while a folder is walked. */
const STAT_BATCH = 512

/**
 * The entries of the folder `dir` (its contents, not the folder itself); symlinks and special
 * files are skipped.
 * @param {string} dir
 * @returns {Promise<import('./sources.js').SourceEntries>}
 */
export async function walk(dir) {
  const root = resolve(dir)
  if (!(await stat(root)).isDirectory()) throw new InvalidArgumentError(`${dir} is not a folder`)
  /** @type {import('./sources.js').UploadEntry[]} */
  const entries = []
  /** @type {import('./sources.js').Skip[]} */
  const skipped = []
  let statted = 0
  /** @param {string} rel */
  const visit = async (rel) => {
    for (const d of await readdir(join(root, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${d.name}` : d.name
      if (d.isDirectory()) {
        entries.push({ path, kind: 'directory' })
        await visit(path)
      } else if (d.isFile()) {
        const full = join(root, path)
        // Synchronously: microseconds for an inode the listing just read, where an awaited stat
        // is a thread round trip, one file after another (a fifth of a second for 1,000 files).
        // The event loop still gets a turn per folder, and every STAT_BATCH files.
        const st = statSync(full)
        if (++statted % STAT_BATCH === 0) await new Promise((r) => setImmediate(r))
        entries.push({ path, kind: 'file', size: st.size, mtime: st.mtimeMs, open: () => openFile(full, st.size) })
      } else skipped.push({ path, reason: d.isSymbolicLink() ? 'symlink' : 'special' })
    }
  }
  await visit('')
  return { entries, skipped }
}

/**
 * Files up to this size are read synchronously: a few tens of microseconds each, where the four
 * promise round trips of an asynchronous read cost more main-thread time than the read itself.
 */
const READ_SYNC_MAX = 256 * 1024

/**
 * Chunk size of a streamed local file. Node's stream default (64 KiB) puts eight times as many
 * chunks through the request body: four 64 MiB files went up in 1.3–1.6 s with it, 0.8–1.0 s with
 * this (bench/transfer.mjs's big folder); 1 MiB gained nothing more.
 */
const STREAM_CHUNK = 512 * 1024

/** A local file's data: read whole when small, else a stream. @param {string} path @param {number} size */
async function openFile(path, size) {
  if (size <= READ_SYNC_MAX) return readFileSync(path)
  if (size <= READ_WHOLE_MAX) return readFile(path)
  // Opened now, so that a file that cannot be read fails here rather than mid-request.
  return fileStream(await open(path))
}

/**
 * The file behind `handle` as a web stream, read a chunk at a time as the request takes it (one
 * chunk ahead), and closed at its end, on error or on cancel. Not `Readable.toWeb`: Node 18's
 * reads the whole file ahead of a slower reader.
 * @param {import('node:fs/promises').FileHandle} handle
 * @returns {ReadableStream<Uint8Array>}
 */
export function fileStream(handle) {
  return new ReadableStream({
    async pull(controller) {
      const chunk = new Uint8Array(STREAM_CHUNK)
      let read
      try {
        read = (await handle.read(chunk, 0, STREAM_CHUNK, null)).bytesRead
      } catch (e) {
        await handle.close().catch(() => {})
        throw e
      }
      if (read > 0) return controller.enqueue(read < STREAM_CHUNK ? chunk.subarray(0, read) : chunk)
      await handle.close()
      controller.close()
    },
    cancel: () => handle.close(),
  })
}

/**
 * Files up to this size are written synchronously. Creating a file is the same kernel work on
 * either thread, but the four thread-pool round trips of an asynchronous write (open, write, close,
 * utimes) cost the main thread about twice what the synchronous calls do, and the main thread is
 * what bounds a download of many small files (measured with bench/transfer.mjs).
 */
const WRITE_SYNC_MAX = 256 * 1024

/**
 * Writes `data` as the file `path` with the volume file's times.
 * @param {string} path
 * @param {Uint8Array} data
 * @param {{ atime: Date, mtime: Date }} entry
 * @returns {void | Promise<void>}
 */
function writeWhole(path, data, entry) {
  if (data.length > WRITE_SYNC_MAX) return writeWholeAsync(path, data, entry)
  const fd = openSync(path, 'w')
  try {
    for (let done = 0; done < data.length; ) done += writeSync(fd, data, done)
    futimesSync(fd, entry.atime, entry.mtime)
  } finally {
    closeSync(fd)
  }
}

/**
 * `writeWhole` on libuv's threads, for bigger files. Callbacks, not fs/promises: one promise per
 * file rather than one per step.
 * @param {string} path
 * @param {Uint8Array} data
 * @param {{ atime: Date, mtime: Date }} entry
 * @returns {Promise<void>}
 */
function writeWholeAsync(path, data, entry) {
  return new Promise((resolve, reject) => {
    writeFileCb(path, data, (error) => {
      if (error) return reject(error)
      utimesCb(path, entry.atime, entry.mtime, (e) => (e ? reject(e) : resolve()))
    })
  })
}

/**
 * The local folder `dir` as a download target. A streamed file is written beside its final name and
 * renamed once complete, so that a cancelled download leaves no partial file; each file keeps the
 * volume's modification time, which `existing` compares on a resumed download.
 * @param {string} dir
 * @returns {import('./targets.js').Target}
 */
export function target(dir) {
  const root = resolve(dir)
  const local = (/** @type {string} */ rel) => join(root, ...rel.split('/'))
  return {
    async directory(rel) {
      await mkdir(local(rel), { recursive: true })
    },
    async existing(rel) {
      const st = await stat(local(rel)).catch(() => undefined)
      return st?.isFile() ? { size: st.size, mtime: st.mtimeMs } : undefined
    },
    async write(rel, data, entry) {
      const path = local(rel)
      if (data instanceof Uint8Array) {
        // Bytes already read are written at once: nothing can cut this write short but a crash,
        // whose partial file a resumed download replaces (its size or time differs).
        return writeWhole(path, data, entry)
      }
      const stream = data
      const temp = join(dirname(path), `.${basename(path)}.${Math.random().toString(36).slice(2, 10)}.partial`)
      try {
        await pipeline(Readable.fromWeb(/** @type {any} */ (stream)), createWriteStream(temp))
        await utimes(temp, entry.atime, entry.mtime)
        await rename(temp, path)
      } catch (e) {
        await rm(temp, { force: true })
        throw e
      }
    },
  }
}
