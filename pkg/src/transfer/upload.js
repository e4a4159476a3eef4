// @ts-check
// `volume.upload`: a folder or a set of files into a volume folder, a bounded number at once.
import { VolumePathNotFoundError } from '../../../src/js/errors.js'
import { runPool } from './pool.js'
import { Progress } from './progress.js'
import { absolute, under, parentOf } from './paths.js'
import { listTree } from './remote.js'
import { newReport, transferOptions, follow, volumePathArg } from './report.js'
import { writeCounted } from './single.js'

/**
 * @typedef {object} VolumeOps the volume's own calls, bound to it
 * @property {(path: string, data: unknown, opts?: object) => Promise<any>} writeFile
 * @property {(path: string, opts?: object) => Promise<any>} makeDir
 * @property {(path: string, opts?: object) => Promise<any[]>} list
 * @property {(path: string, opts?: object) => Promise<any>} readFile
 * @property {(path: string, opts?: object) => Promise<any>} getInfo
 */

/**
 * Uploads the entries of a source (`entries`, read from it already) into `volumePath`.
 * @param {VolumeOps} vol
 * @param {unknown} volumePath
 * @param {Promise<import('./sources.js').SourceEntries>} entries
 * @param {unknown} options
 */
export async function upload(vol, volumePath, entries, options) {
  const o = transferOptions(options)
  const root = absolute(volumePathArg(volumePath))
  const report = newReport()
  const progress = new Progress(o.onProgress)
  const { controller, run, release } = follow(o.signal)
  const api = o.api
  const { uid, gid } = o.owner
  try {
    const source = await entries
    report.skipped.push(...source.skipped)
    const eager = Array.isArray(source.entries)
    if (eager) {
      const files = /** @type {import('./sources.js').UploadEntry[]} */ (source.entries).filter((e) => e.kind === 'file')
      progress.plan(files.length, files.reduce((sum, e) => sum + (e.size ?? 0), 0))
    }
    /** What is already there: only looked up to skip existing files. */
    const there = new Map()
    if (o.skipExisting) {
      const listed = await run((signal) => listTree(vol.list, root, { ...api, signal })).catch((e) => {
        if (e instanceof VolumePathNotFoundError) return []
        throw e
      })
      for (const e of listed) there.set(e.path, e)
      if (listed.length || root === '/') there.set(root, { type: 'directory' })
    }
    /** Folders made (or being made), each once, parents first; `force` makes an existing one fine. */
    const made = new Map()
    /** @param {string} rel @returns {Promise<void>} */
    const folder = (rel) => {
      let p = made.get(rel)
      if (!p) {
        const path = under(root, rel)
        p = (async () => {
          if (rel) await folder(parentOf(rel))
          if (path === '/' || there.get(path)?.type === 'directory') return
          await run((signal) => vol.makeDir(path, { ...api, signal, force: true, uid, gid }))
        })()
        made.set(rel, p)
      }
      return p
    }

    /** @param {import('./sources.js').UploadEntry} entry */
    const send = async (entry) => {
      if (entry.kind === 'directory') {
        await folder(entry.path)
        report.directories++
        return
      }
      if (!eager) progress.plan(1, entry.size ?? 0)
      const dest = under(root, entry.path)
      const old = there.get(dest)
      if (old?.type === 'file' && old.target === undefined && entry.size === old.size && (entry.mtime === undefined || old.mtime.getTime() >= entry.mtime)) {
        report.skipped.push({ path: entry.path, reason: 'existing' })
        progress.bytes(old.size)
        progress.file()
        return
      }
      let sent = 0
      try {
        await folder(parentOf(entry.path))
        const data = await entry.open?.()
        await run((signal) => writeCounted(vol.writeFile, dest, data, { ...api, ...o.owner, signal }, (n) => {
          sent += n
          progress.bytes(n)
        }, false))
      } catch (error) {
        progress.bytes(-sent)
        if (!o.continueOnError || controller.signal.aborted) throw error
        report.failed.push({ path: entry.path, error })
        progress.file()
        return
      }
      report.files++
      report.bytes += sent
      progress.file()
    }

    await runPool(source.entries, o.concurrency, async (entry) => {
      try {
        await send(entry)
      } catch (error) {
        // The first failure stops the rest: requests in flight are aborted (no partial file).
        if (!controller.signal.aborted) controller.abort(error)
        throw error
      }
    }, () => controller.signal.aborted)
    if (o.signal?.aborted) throw o.signal.reason
  } catch (error) {
    throw o.signal?.aborted ? o.signal.reason : error
  } finally {
    release()
    progress.finish()
  }
  return report
}
