// Folder transfers with the open volume, through the SDK's `volume.upload` and `volume.download`:
// files, folders and drops up into the folder shown, that folder down into a folder the person
// picks, with one progress bar (bytes and files) and a cancel button.
import { contentOpts } from './connection.js'
import { loadEntries } from './files.js'
import { state } from './state.js'
import { $, status, explain, formatSize } from './ui.js'

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`

/** Runs one transfer with the progress bar shown; `run(opts)` gets the options to pass on. */
async function transfer(verb, run) {
  if (!state.volume) return undefined
  if (state.transfer) {
    status('Another transfer is running: wait for it, or cancel it.', 'error')
    return undefined
  }
  const controller = new AbortController()
  state.transfer = controller
  let last = { bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0 }
  const show = (p) => {
    last = p
    $('progress-bar').value = p.bytesTotal ? p.bytesDone / p.bytesTotal : p.filesTotal ? p.filesDone / p.filesTotal : 0
    $('progress-text').textContent =
      `${p.filesDone} of ${plural(p.filesTotal, 'file', 'files')}, ${formatSize(p.bytesDone)} of ${formatSize(p.bytesTotal)}`
  }
  $('progress-bar').setAttribute('aria-label', `${verb} progress`)
  $('progress-bar').value = 0
  $('progress-text').textContent = 'Starting…'
  $('progress').hidden = false
  try {
    return await run(contentOpts({ signal: controller.signal, onProgress: show }))
  } catch (err) {
    status(`${explain(err)} ${last.filesDone} of ${plural(last.filesTotal, 'file was', 'files were')} done.`, 'error')
    return undefined
  } finally {
    state.transfer = null
    $('progress').hidden = true
  }
}

/** Words for what a transfer skipped or could not move. */
function leftOut(report) {
  const notes = []
  if (report.skipped.length) notes.push(`Skipped ${plural(report.skipped.length, 'entry', 'entries')} (${[...new Set(report.skipped.map((s) => s.reason))].join(', ')}).`)
  if (report.failed.length) notes.push(`${plural(report.failed.length, 'file', 'files')} failed: ${report.failed.map((f) => f.path).join(', ')}.`)
  return notes.join(' ')
}

/** Uploads a `FileList` or a drop's `DataTransfer` into the folder shown. Files already there with
 *  the same size and no older are skipped, so that a cancelled upload, started again, resumes. */
async function upload(source) {
  const report = await transfer('Upload', (opts) => state.volume.upload(state.path, source, { ...opts, force: true, skipExisting: true }))
  // Quietly: the status line keeps what the transfer said.
  await loadEntries({ quiet: true })
  if (report) status(`Uploaded ${report.files} file(s). ${formatSize(report.bytes)} in all. ${leftOut(report)}`.trim(), report.failed.length ? 'error' : 'ok')
}

/** Downloads the folder shown into a folder the person picks (where the browser lets a page write one). */
async function downloadFolder() {
  const to = await showDirectoryPicker({ mode: 'readwrite' }).catch(() => null)
  if (!to) return
  const from = state.path
  const report = await transfer('Download', (opts) => state.volume.download(from, { ...opts, to }))
  if (report) status(`Downloaded ${report.files} file(s) of ${from} into ${to.name || 'the folder you picked'}. ${formatSize(report.bytes)} in all. ${leftOut(report)}`.trim(), report.failed.length ? 'error' : 'ok')
}

/** Wires the upload inputs, the drop zone, the folder download and the cancel button. */
export function wireTransfers() {
  $('cancel-upload').addEventListener('click', () => state.transfer?.abort())
  for (const id of ['upload-files', 'upload-folder']) {
    $(id).addEventListener('change', async (e) => {
      await upload(e.target.files)
      e.target.value = ''
    })
  }
  const drop = $('drop')
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over') })
  drop.addEventListener('dragleave', () => drop.classList.remove('over'))
  drop.addEventListener('drop', (e) => {
    e.preventDefault()
    drop.classList.remove('over')
    // The SDK reads the drop's entries before this handler returns, while the browser allows it.
    upload(e.dataTransfer)
  })
  drop.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') $('upload-files').click() })
  const download = $('download-folder')
  if (typeof showDirectoryPicker === 'function') download.addEventListener('click', downloadFolder)
  else download.hidden = true
}
