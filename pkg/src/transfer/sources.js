// @ts-check
// What `volume.upload` can upload, read into one list of entries: a local folder (through the
// build's local file access), a browser's FileList, DataTransfer or FileSystemDirectoryHandle, or
// any iterable or async iterable of `{ path, data }`.
import { InvalidArgumentError } from '../../../src/js/errors.js'
import { relative } from './paths.js'

/**
 * @typedef {object} UploadEntry
 * @property {string} path clean relative path
 * @property {'file' | 'directory'} kind
 * @property {number} [size] bytes, when known before sending
 * @property {number} [mtime] last modification (ms since the epoch), when the source has one
 * @property {() => unknown} [open] the file's data, as `writeFile` takes it (may be a promise)
 */

/**
 * @typedef {object} Skip
 * @property {string} path the path in the source (for uploads) or the volume (for downloads)
 * @property {'symlink' | 'special' | 'existing'} reason
 */

/**
 * @typedef {object} SourceEntries
 * @property {UploadEntry[] | AsyncIterable<UploadEntry>} entries a list when the source is known
 *   whole (so that totals are known up front), else read as the upload goes
 * @property {Skip[]} skipped what the source holds but cannot be uploaded
 */

/**
 * @typedef {object} LocalFiles
 * @property {(dir: string) => Promise<SourceEntries>} walk the entries of a local folder
 */

/** @param {unknown} v @returns {v is Record<string, any>} */
const isObject = (v) => typeof v === 'object' && v !== null

/**
 * The entries of `source`. Runs its synchronous part at once: a DataTransfer's items can only be
 * read during the event that delivered it.
 * @param {unknown} source
 * @param {LocalFiles} local
 * @returns {Promise<SourceEntries>}
 */
export function readSource(source, local) {
  if (typeof source === 'string') return local.walk(source)
  if (isObject(source)) {
    if (typeof DataTransfer !== 'undefined' && source instanceof DataTransfer) return fromDataTransfer(source)
    if (typeof FileList !== 'undefined' && source instanceof FileList) return Promise.resolve(fromFiles(Array.from(source)))
    if (source.kind === 'directory' && typeof source.values === 'function') return fromHandle(source)
    if (Symbol.iterator in source) return Promise.resolve(fromItems(Array.from(/** @type {Iterable<unknown>} */ (source))))
    if (Symbol.asyncIterator in source) return Promise.resolve({ entries: lazyItems(/** @type {AsyncIterable<unknown>} */ (source)), skipped: [] })
  }
  return Promise.reject(new InvalidArgumentError(
    'upload source must be a local folder path (Node), a FileList, a DataTransfer, a FileSystemDirectoryHandle, or an iterable of { path, data }',
  ))
}

/** Bytes a `writeFile` data value holds, when known without reading it. @param {unknown} data */
export function sizeOf(data) {
  if (typeof data === 'string') return new TextEncoder().encode(data).length
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength
  if (typeof Blob !== 'undefined' && data instanceof Blob) return data.size
  return undefined
}

/**
 * One `{ path, data }` item as an entry.
 * @param {unknown} item
 * @returns {UploadEntry}
 */
function fromItem(item) {
  if (!isObject(item) || typeof item.path !== 'string') throw new InvalidArgumentError('each upload item must be { path, data }')
  const data = typeof item.data === 'string' ? new TextEncoder().encode(item.data) : item.data
  const mtime = typeof Blob !== 'undefined' && data instanceof Blob && 'lastModified' in data ? Number(data.lastModified) : undefined
  return { path: relative(item.path), kind: 'file', size: sizeOf(data), mtime, open: () => data }
}

/** @param {unknown[]} items @returns {SourceEntries} */
function fromItems(items) {
  return { entries: items.map(fromItem), skipped: [] }
}

/** @param {AsyncIterable<unknown>} items @returns {AsyncIterable<UploadEntry>} */
async function* lazyItems(items) {
  for await (const item of items) yield fromItem(item)
}

/**
 * Files of a FileList or a drop, each at its relative path (`webkitRelativePath` for a folder
 * picked with `<input webkitdirectory>`, so the folder's own name comes first).
 * @param {File[]} files
 * @returns {SourceEntries}
 */
function fromFiles(files) {
  const entries = files.map((file) => /** @type {UploadEntry} */ ({
    path: relative(file.webkitRelativePath || file.name),
    kind: 'file',
    size: file.size,
    mtime: file.lastModified,
    open: () => file,
  }))
  return { entries, skipped: [] }
}

/**
 * A drop's files and folders (each dropped folder under its own name), read through the entries
 * API, which sees inside folders and keeps empty ones.
 * @param {DataTransfer} dt
 * @returns {Promise<SourceEntries>}
 */
function fromDataTransfer(dt) {
  const items = Array.from(dt.items).filter((i) => i.kind === 'file')
  const roots = items.map((i) => (typeof i.webkitGetAsEntry === 'function' ? i.webkitGetAsEntry() : null))
  // A DataTransfer made by a script has no entries: its files are all there is.
  if (roots.some((r) => !r)) return Promise.resolve(fromFiles(Array.from(dt.files)))
  return (async () => {
    /** @type {UploadEntry[]} */
    const entries = []
    for (const root of /** @type {FileSystemEntry[]} */ (roots)) await walkEntry(root, '', entries)
    return { entries, skipped: [] }
  })()
}

/**
 * @param {FileSystemEntry} entry
 * @param {string} prefix
 * @param {UploadEntry[]} out
 */
async function walkEntry(entry, prefix, out) {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => /** @type {FileSystemFileEntry} */ (entry).file(resolve, reject))
    out.push({ path: relative(path), kind: 'file', size: file.size, mtime: file.lastModified, open: () => file })
    return
  }
  out.push({ path: relative(path), kind: 'directory' })
  const reader = /** @type {FileSystemDirectoryEntry} */ (entry).createReader()
  // readEntries gives a batch per call, and an empty one at the end.
  for (;;) {
    /** @type {FileSystemEntry[]} */
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject))
    if (!batch.length) break
    for (const child of batch) await walkEntry(child, path, out)
  }
}

/**
 * The contents of a directory handle (not the folder itself).
 * @param {any} root a FileSystemDirectoryHandle
 * @returns {Promise<SourceEntries>}
 */
async function fromHandle(root) {
  /** @type {UploadEntry[]} */
  const entries = []
  /** @param {any} dir @param {string} prefix */
  const walk = async (dir, prefix) => {
    for await (const handle of dir.values()) {
      const path = prefix ? `${prefix}/${handle.name}` : handle.name
      if (handle.kind === 'directory') {
        entries.push({ path, kind: 'directory' })
        await walk(handle, path)
      } else {
        const file = await handle.getFile()
        entries.push({ path, kind: 'file', size: file.size, mtime: file.lastModified, open: () => file })
      }
    }
  }
  await walk(root, '')
  return { entries, skipped: [] }
}
