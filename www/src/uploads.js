// Uploads into the folder shown: files, folders and drops, with progress and cancel.
import { contentOpts } from './connection.js'
import { loadEntries } from './files.js'
import { state } from './state.js'
import { $, status, explain, formatSize, join } from './ui.js'

/** Uploads `[relativePath, File]` pairs into the current folder, with progress and cancel. */
async function upload(items) {
  if (!items.length || !state.volume) return
  const controller = new AbortController()
  state.upload = controller
  const total = items.reduce((n, [, f]) => n + f.size, 0)
  let done = 0
  let bytes = 0
  $('progress').hidden = false
  const show = () => {
    $('progress-bar').value = total ? bytes / total : done / items.length
    $('progress-text').textContent = `${done} of ${items.length} files, ${formatSize(bytes)} of ${formatSize(total)}`
  }
  show()
  let outcome = [`Uploaded ${items.length} file(s).`, 'ok']
  try {
    for (const [rel, file] of items) {
      await state.volume.writeFile(join(state.path, rel), file, contentOpts({ force: true, signal: controller.signal }))
      done += 1
      bytes += file.size
      show()
    }
  } catch (err) {
    outcome = [`${explain(err)} ${done} of ${items.length} files were uploaded.`, 'error']
  } finally {
    state.upload = null
    $('progress').hidden = true
    await loadEntries()
    status(...outcome)
  }
}

/** Walks dropped folders (webkitGetAsEntry) into `[relativePath, File]` pairs. */
async function entriesOf(entry, prefix = '') {
  if (entry.isFile) return [[prefix + entry.name, await new Promise((res, rej) => entry.file(res, rej))]]
  const reader = entry.createReader()
  const children = []
  for (;;) {
    const batch = await new Promise((res, rej) => reader.readEntries(res, rej))
    if (!batch.length) break
    children.push(...batch)
  }
  const nested = await Promise.all(children.map((c) => entriesOf(c, `${prefix}${entry.name}/`)))
  return nested.flat()
}

/** Wires the upload inputs, the drop zone and the cancel button. */
export function wireUploads() {
  $('cancel-upload').addEventListener('click', () => state.upload?.abort())
  $('upload-files').addEventListener('change', (e) => upload([...e.target.files].map((f) => [f.name, f])).then(() => (e.target.value = '')))
  $('upload-folder').addEventListener('change', (e) =>
    upload([...e.target.files].map((f) => [f.webkitRelativePath || f.name, f])).then(() => (e.target.value = '')),
  )
  const drop = $('drop')
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over') })
  drop.addEventListener('dragleave', () => drop.classList.remove('over'))
  drop.addEventListener('drop', async (e) => {
    e.preventDefault()
    drop.classList.remove('over')
    const entries = [...e.dataTransfer.items].map((i) => i.webkitGetAsEntry?.()).filter(Boolean)
    const items = entries.length ? (await Promise.all(entries.map((en) => entriesOf(en)))).flat() : [...e.dataTransfer.files].map((f) => [f.name, f])
    await upload(items)
  })
  drop.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') $('upload-files').click() })
}
