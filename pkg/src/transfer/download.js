// @ts-check
// `volume.download`: a volume folder into a target (a local folder, a directory handle), or as a
// stream of files for the caller to save; a bounded number of files at once.
import { InvalidArgumentError } from '../../../src/js/errors.js'
import { runPool } from './pool.js'
import { Progress } from './progress.js'
import { absolute } from './paths.js'
import { listTree } from './remote.js'
import { newReport, transferOptions, follow, volumePathArg } from './report.js'
import { counted } from './counting.js'
import { handleTarget } from './targets.js'

/** Files up to this size are read whole before they are written; larger ones are streamed. */
const READ_WHOLE_MAX = 1024 * 1024

/**
 * The volume folder's files and folders, by path relative to it; symlinks and other entries are
 * reported as skipped.
 * @param {import('./upload.js').VolumeOps} vol
 * @param {string} root
 * @param {object} api
 */
async function plan(vol, root, api) {
  const strip = root === '/' ? 1 : root.length + 1
  const dirs = /** @type {string[]} */ ([])
  const files = /** @type {{ rel: string, entry: any }[]} */ ([])
  const skipped = /** @type {import('./sources.js').Skip[]} */ ([])
  for (const entry of await listTree(vol.list, root, api)) {
    const rel = entry.path.slice(strip)
    if (entry.target !== undefined || entry.type === 'symlink') skipped.push({ path: rel, reason: 'symlink' })
    else if (entry.type === 'directory') dirs.push(rel)
    else if (entry.type === 'file') files.push({ rel, entry })
    else skipped.push({ path: rel, reason: 'special' })
  }
  return { dirs, files, skipped }
}

/**
 * `volume.download(volumePath, opts)`: into `opts.to` (a promise of the report), else the files as
 * a `VolumeDownload`.
 * @param {import('./upload.js').VolumeOps} vol
 * @param {unknown} volumePath
 * @param {unknown} options
 * @param {{ target(dir: string): import('./targets.js').Target }} local
 */
export function download(vol, volumePath, options, local) {
  if (/** @type {any} */ (options)?.to === undefined) {
    return new VolumeDownload(vol, absolute(volumePathArg(volumePath)), transferOptions(options))
  }
  return (async () => {
    const o = transferOptions(options)
    const root = absolute(volumePathArg(volumePath))
    const to = /** @type {any} */ (o.to)
    if (typeof to === 'string') return downloadTo(vol, root, local.target(to), o)
    if (to && typeof to === 'object' && to.kind === 'directory' && typeof to.getFileHandle === 'function') {
      return downloadTo(vol, root, handleTarget(to), o)
    }
    throw new InvalidArgumentError('to must be a local folder path (Node) or a FileSystemDirectoryHandle')
  })()
}

/**
 * @param {import('./upload.js').VolumeOps} vol
 * @param {string} root
 * @param {import('./targets.js').Target} target
 * @param {ReturnType<typeof transferOptions>} o
 */
async function downloadTo(vol, root, target, o) {
  const report = newReport()
  const progress = new Progress(o.onProgress)
  const { controller, run, release } = follow(o.signal)
  const api = o.api
  try {
    const { dirs, files, skipped } = await run((signal) => plan(vol, root, { ...api, signal }))
    report.skipped.push(...skipped)
    progress.plan(files.length, files.reduce((sum, f) => sum + f.entry.size, 0))
    // Listed parents first, so each is made once; local folders are cheap to make one by one.
    for (const rel of ['', ...dirs]) {
      await target.directory(rel)
      if (rel) report.directories++
    }
    await runPool(files, o.concurrency, async ({ rel, entry }) => {
      let got = 0
      try {
        if (o.skipExisting) {
          const have = await target.existing(rel)
          // A file downloaded before carries the volume file's modification time (to the millisecond).
          if (have && have.size === entry.size && have.mtime >= entry.mtime.getTime() - 1) {
            report.skipped.push({ path: rel, reason: 'existing' })
            progress.bytes(entry.size)
            progress.file()
            return
          }
        }
        await run(async (signal) => {
          if (entry.size <= READ_WHOLE_MAX) {
            // A small file is read whole and then written: fewer steps per file, and a cancel
            // cannot cut the local write, as the signal is only the request's.
            const bytes = await vol.readFile(entry.path, { ...api, signal, format: 'bytes' })
            await target.write(rel, bytes, entry)
            got = bytes.length
            progress.bytes(got)
            return
          }
          const stream = await vol.readFile(entry.path, { ...api, signal, format: 'stream' })
          await target.write(rel, counted(stream, (n) => {
            got += n
            progress.bytes(n)
          }), entry)
        })
      } catch (error) {
        progress.bytes(-got)
        if (!o.continueOnError || controller.signal.aborted) {
          if (!controller.signal.aborted) controller.abort(error)
          throw error
        }
        report.failed.push({ path: rel, error })
        progress.file()
        return
      }
      report.files++
      report.bytes += got
      progress.file()
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

/** A download without a target: an async iterable of the folder's files, each a stream. */
class VolumeDownload {
  /**
   * @param {import('./upload.js').VolumeOps} vol
   * @param {string} root
   * @param {ReturnType<typeof transferOptions>} o
   */
  constructor(vol, root, o) {
    this.vol = vol
    this.root = root
    this.o = o
    /** What the download did so far. */
    this.report = newReport()
  }

  /** The files, in listing order; up to `concurrency` of them are requested ahead of the one read. */
  async *[Symbol.asyncIterator]() {
    const { vol, o, report } = this
    const progress = new Progress(o.onProgress)
    const { controller, run, link, release } = follow(o.signal)
    const api = o.api
    /** @type {Promise<{ rel: string, entry: any, stream?: ReadableStream<Uint8Array>, unlink?: () => void, error?: unknown }>[]} */
    const ahead = []
    try {
      const { files, skipped } = await run((signal) => plan(vol, this.root, { ...api, signal }))
      report.skipped.push(...skipped)
      progress.plan(files.length, files.reduce((sum, f) => sum + f.entry.size, 0))
      let next = 0
      const request = () => {
        const { rel, entry } = files[next++]
        // The stream outlives the call: its signal stays linked until it has been read or failed.
        const { signal, unlink } = link()
        ahead.push(vol.readFile(entry.path, { ...api, signal, format: 'stream' }).then(
          (stream) => ({ rel, entry, stream, unlink }),
          (error) => {
            unlink()
            return { rel, entry, error }
          },
        ))
      }
      while (next < files.length && ahead.length < o.concurrency) request()
      while (ahead.length) {
        const got = await /** @type {typeof ahead[0]} */ (ahead.shift())
        if (next < files.length) request()
        if (controller.signal.aborted) throw controller.signal.reason
        if (!got.stream) {
          if (!o.continueOnError) throw got.error
          report.failed.push({ path: got.rel, error: got.error })
          progress.file()
          continue
        }
        const stream = counted(got.stream, (n) => {
          report.bytes += n
          progress.bytes(n)
        }, () => {
          got.unlink?.()
          report.files++
          progress.file()
        })
        yield { path: got.rel, entry: got.entry, stream }
      }
    } finally {
      // Streams requested ahead but never handed out are cancelled.
      for (const p of ahead) p.then((got) => got.stream?.cancel().catch(() => {}))
      release()
      progress.finish()
    }
  }
}
// Its own name, which bundling would change (it is what `console.log` shows of a download).
Object.defineProperty(VolumeDownload, 'name', { value: 'VolumeDownload', configurable: true })
