// @ts-check
// What the transfer area adds to the `Volume` class: `upload` and `download`, and `onProgress` on
// `writeFile` and `readFile`. Local folders come from the build's `e2b-wasm:local` (Node's file
// system in Node's own build, a refusal elsewhere; see scripts/build-sdk.mjs).
import * as local from 'e2b-wasm:local'
import { readSource } from './sources.js'
import { upload } from './upload.js'
import { download } from './download.js'
import { writeWithProgress, readWithProgress } from './single.js'

/**
 * Defines the transfer methods on `Volume.prototype`. Runs before the methods are wrapped for
 * stack traces, so transfers call the volume's own methods directly.
 * @param {Function} Volume
 */
export function installTransfers(Volume) {
  const proto = Volume.prototype
  const { writeFile, readFile, makeDir, list, getInfo } = proto
  /** @param {any} self @returns {import('./upload.js').VolumeOps} */
  const ops = (self) => ({
    writeFile: (path, data, opts) => writeFile.call(self, path, data, opts),
    makeDir: (path, opts) => makeDir.call(self, path, opts),
    list: (path, opts) => list.call(self, path, opts),
    readFile: (path, opts) => readFile.call(self, path, opts),
    getInfo: (path, opts) => getInfo.call(self, path, opts),
  })
  const methods = {
    /** @this {any} @param {string} path @param {unknown} data @param {any} [opts] */
    writeFile(path, data, opts) {
      if (typeof opts?.onProgress !== 'function') return writeFile.call(this, path, data, opts)
      return writeWithProgress(ops(this).writeFile, path, data, opts)
    },
    /** @this {any} @param {string} path @param {any} [opts] */
    readFile(path, opts) {
      if (typeof opts?.onProgress !== 'function') return readFile.call(this, path, opts)
      const vol = ops(this)
      return readWithProgress(vol.readFile, vol.getInfo, path, opts)
    },
    /** @this {any} @param {unknown} volumePath @param {unknown} source @param {unknown} [opts] */
    upload(volumePath, source, opts) {
      // Read the source at once: a drop's DataTransfer is only readable during its event.
      let entries
      try {
        entries = readSource(source, local)
      } catch (error) {
        entries = Promise.reject(error)
      }
      // A source that cannot be read is reported by `upload`, not as an unhandled rejection.
      entries.catch(() => {})
      return upload(ops(this), volumePath, entries, opts)
    },
    /** @this {any} @param {unknown} volumePath @param {unknown} [opts] */
    download(volumePath, opts) {
      return download(ops(this), volumePath, opts, local)
    },
  }
  for (const [name, value] of Object.entries(methods)) {
    Object.defineProperty(proto, name, { value, writable: true, configurable: true })
  }
}
