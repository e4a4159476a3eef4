// @ts-check
// Where a download writes: the `Target` interface, and a browser's FileSystemDirectoryHandle as one.
// (A local folder in Node is local-node.js's `target`.)

/**
 * @typedef {object} Target
 * @property {(rel: string) => Promise<void>} directory makes a folder (and its parents)
 * @property {(rel: string) => Promise<{ size: number, mtime: number } | undefined>} existing the file
 *   already at `rel`, if any
 * @property {(rel: string, data: ReadableStream<Uint8Array> | Uint8Array, entry: { atime: Date, mtime: Date }) => Promise<void>} write
 *   writes a whole file (from a stream, or bytes already read), leaving none if the stream fails
 */

/**
 * A FileSystemDirectoryHandle as a download target. Writes go through `createWritable`, which the
 * browser commits only on close, so a cancelled file leaves nothing behind.
 * @param {any} root
 * @returns {Target}
 */
export function handleTarget(root) {
  /** @type {Map<string, Promise<any>>} */
  const dirs = new Map([['', Promise.resolve(root)]])
  /** @param {string} rel @returns {Promise<any>} */
  const dirOf = (rel) => {
    let dir = dirs.get(rel)
    if (!dir) {
      const i = rel.lastIndexOf('/')
      dir = dirOf(i < 0 ? '' : rel.slice(0, i)).then((parent) => parent.getDirectoryHandle(rel.slice(i + 1), { create: true }))
      dirs.set(rel, dir)
    }
    return dir
  }
  /** @param {string} rel */
  const split = (rel) => {
    const i = rel.lastIndexOf('/')
    return /** @type {const} */ ([i < 0 ? '' : rel.slice(0, i), rel.slice(i + 1)])
  }
  return {
    async directory(rel) {
      await dirOf(rel)
    },
    async existing(rel) {
      const [dir, name] = split(rel)
      try {
        const file = await (await (await dirOf(dir)).getFileHandle(name)).getFile()
        return { size: file.size, mtime: file.lastModified }
      } catch {
        return undefined
      }
    },
    async write(rel, data) {
      const [dir, name] = split(rel)
      const parent = await dirOf(dir)
      const existed = await parent.getFileHandle(name).then(() => true, () => false)
      const file = await parent.getFileHandle(name, { create: true })
      try {
        const writable = await file.createWritable()
        if (data instanceof Uint8Array) {
          await writable.write(data)
          await writable.close()
        } else {
          // pipeTo closes the writable (committing it) at the end, and aborts it (discarding it) on failure.
          await data.pipeTo(writable)
        }
      } catch (e) {
        // The handle made an empty file; a failed download leaves none.
        if (!existed) await parent.removeEntry(name).catch(() => {})
        throw e
      }
    },
  }
}
