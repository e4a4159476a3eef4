// Volume explorer: manage E2B volumes from the browser with e2b-wasm (and nothing else).
import {
  Volume, Sandbox, VolumeError, VolumeNotFoundError, VolumePathNotFoundError, AuthenticationError,
  CommandExitError, TimeoutError,
} from 'e2b-wasm'

const $ = (id) => document.getElementById(id)
const STORE = 'e2b-explorer-connection'
const state = { volume: null, path: '/', upload: null }

/** Connection options from the form; the volume content API and envd share the API URL locally. */
function opts() {
  return { apiUrl: $('api-url').value.trim(), apiKey: $('api-key').value.trim() }
}

/** Shows a message; errors are put in words a person understands. */
function status(text, kind = 'ok') {
  const el = $('status')
  el.textContent = text
  el.className = `status ${kind}`
}

function explain(err) {
  if (err instanceof AuthenticationError) return 'Unauthorized: the API key was not accepted.'
  if (err instanceof VolumeNotFoundError) return 'That volume no longer exists.'
  if (err instanceof VolumePathNotFoundError) return `Not found: ${err.message.replace(/^Path /, '').replace(/ not found$/, '')} does not exist.`
  if (err instanceof CommandExitError) return `The command failed with exit code ${err.exitCode}.`
  if (err instanceof TimeoutError) return 'The server took too long to answer.'
  if (err?.name === 'AbortError') return 'Cancelled.'
  if (err instanceof TypeError) return `The server is unreachable at ${opts().apiUrl}. Is it running?`
  if (err instanceof VolumeError) {
    if (/already exists/.test(err.message)) return `That name is taken: ${err.message.replace(/^\d+: /, '')}.`
    return err.message.replace(/^(\d+): /, 'The server refused ($1): ')
  }
  return String(err?.message ?? err)
}

async function attempt(fn) {
  try {
    return await fn()
  } catch (err) {
    status(explain(err), 'error')
    return undefined
  }
}

const formatSize = (n) => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`)
const formatMode = (m) => '0' + m.toString(8).padStart(3, '0')
const join = (dir, name) => (dir === '/' ? `/${name}` : `${dir}/${name}`)

function button(label, onClick, extra = {}) {
  const b = document.createElement('button')
  b.type = 'button'
  b.textContent = label
  Object.assign(b, extra)
  b.addEventListener('click', onClick)
  return b
}

// --- volumes ---------------------------------------------------------------------------------

async function loadVolumes() {
  const list = await attempt(() => Volume.list(opts()))
  if (!list) return
  const ul = $('volume-list')
  ul.replaceChildren()
  for (const v of list.sort((a, b) => a.name.localeCompare(b.name))) {
    const li = document.createElement('li')
    const b = button(v.name, () => openVolume(v.volumeId))
    b.setAttribute('aria-current', String(state.volume?.volumeId === v.volumeId))
    b.dataset.volumeId = v.volumeId
    li.append(b)
    ul.append(li)
  }
  status(list.length ? `${list.length} volume(s).` : 'No volumes yet: create one.', 'ok')
}

async function openVolume(id) {
  const volume = await attempt(() => Volume.connect(id, opts()))
  if (!volume) return
  state.volume = volume
  state.path = '/'
  $('browser').hidden = false
  $('browser-title').textContent = `Files of ${volume.name}`
  for (const b of $('volume-list').querySelectorAll('button')) b.setAttribute('aria-current', String(b.dataset.volumeId === id))
  await loadEntries()
}

$('create-volume').addEventListener('submit', async (e) => {
  e.preventDefault()
  const name = $('volume-name').value.trim()
  if (!/^[a-zA-Z0-9_-]+$/.test(name)) return status('Names may hold only letters, digits, "-" and "_".', 'error')
  const v = await attempt(() => Volume.create(name, opts()))
  if (!v) return
  $('volume-name').value = ''
  status(`Created volume ${v.name}.`)
  await loadVolumes()
  await openVolume(v.volumeId)
})

$('delete-volume').addEventListener('click', async () => {
  const v = state.volume
  if (!v || !confirm(`Delete volume "${v.name}" and every file in it?`)) return
  if (await attempt(() => Volume.destroy(v.volumeId, opts()))) {
    state.volume = null
    $('browser').hidden = true
    await loadVolumes()
    status(`Deleted volume ${v.name}.`)
  }
})

// --- files -----------------------------------------------------------------------------------

function contentOpts(extra = {}) {
  return { apiUrl: opts().apiUrl, ...extra }
}

function renderBreadcrumbs() {
  const ol = $('breadcrumbs')
  ol.replaceChildren()
  const parts = state.path.split('/').filter(Boolean)
  const crumbs = [['/', state.volume.name], ...parts.map((p, i) => ['/' + parts.slice(0, i + 1).join('/'), p])]
  crumbs.forEach(([path, label], i) => {
    const li = document.createElement('li')
    if (i === crumbs.length - 1) {
      li.textContent = label
      li.setAttribute('aria-current', 'page')
    } else {
      li.append(button(label, () => go(path), { className: 'link' }))
    }
    ol.append(li)
  })
}

async function go(path) {
  state.path = path
  await loadEntries()
}

async function loadEntries() {
  renderBreadcrumbs()
  const depth = Number($('depth').value)
  const entries = await attempt(() => state.volume.list(state.path, contentOpts({ depth })))
  if (!entries) return
  const tbody = $('entries')
  tbody.replaceChildren()
  for (const e of entries) {
    const tr = document.createElement('tr')
    tr.dataset.path = e.path
    const level = e.path.split('/').length - (state.path === '/' ? 2 : state.path.split('/').length)
    const name = document.createElement('td')
    name.className = 'name'
    name.style.paddingLeft = `${0.4 + level * 1.2}rem`
    if (e.type === 'directory') name.append(button(`${e.name}/`, () => go(e.path), { className: 'link', ariaLabel: `Open folder ${e.name}` }))
    else name.textContent = e.name
    const cells = [formatSize(e.size), formatMode(e.mode), `${e.uid}:${e.gid}`, e.mtime.toLocaleString()]
    tr.append(name, ...cells.map((c) => Object.assign(document.createElement('td'), { textContent: c })))
    const actions = document.createElement('td')
    actions.className = 'actions'
    if (e.type === 'file') {
      actions.append(button('Preview', () => preview(e), { ariaLabel: `Preview ${e.name}` }))
      actions.append(button('Download', () => download(e), { ariaLabel: `Download ${e.name}` }))
    }
    actions.append(button('Mode', () => changeMode(e), { ariaLabel: `Change mode of ${e.name}` }))
    actions.append(button('Delete', () => remove(e), { className: 'danger', ariaLabel: `Delete ${e.name}` }))
    tr.append(actions)
    tbody.append(tr)
  }
  status(`${state.volume.name}:${state.path} — ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}.`)
}

async function preview(e) {
  const isImage = /\.(png|jpe?g|gif|webp|svg)$/i.test(e.name)
  $('preview').hidden = false
  $('preview-title').textContent = `Preview of ${e.path}`
  if (isImage) {
    const blob = await attempt(() => state.volume.readFile(e.path, contentOpts({ format: 'blob' })))
    if (!blob) return
    const img = $('preview-image')
    img.src = URL.createObjectURL(blob)
    img.alt = e.name
    img.hidden = false
    $('preview-text').hidden = true
  } else {
    const text = await attempt(() => state.volume.readFile(e.path, contentOpts({ format: 'text' })))
    if (text === undefined) return
    $('preview-text').textContent = text.length > 100_000 ? text.slice(0, 100_000) + '\n…' : text
    $('preview-text').hidden = false
    $('preview-image').hidden = true
  }
}

async function download(e) {
  const blob = await attempt(() => state.volume.readFile(e.path, contentOpts({ format: 'blob' })))
  if (!blob) return
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = e.name
  document.body.append(a)
  a.click()
  a.remove()
}

async function changeMode(e) {
  const input = prompt(`New mode for ${e.name} (octal, e.g. 644)`, e.mode.toString(8))
  if (input === null) return
  if (!/^[0-7]{1,4}$/.test(input)) return status('A mode is 1 to 4 octal digits, such as 644.', 'error')
  if (await attempt(() => state.volume.updateMetadata(e.path, { mode: parseInt(input, 8) }, contentOpts()))) await loadEntries()
}

async function remove(e) {
  const what = e.type === 'directory' ? `the folder ${e.path} and everything in it` : e.path
  if (!confirm(`Delete ${what}?`)) return
  const removed = await attempt(async () => {
    await state.volume.remove(e.path, contentOpts())
    return true
  })
  if (removed) {
    await loadEntries()
    status(`Deleted ${e.path}.`)
  }
}

$('mkdir').addEventListener('submit', async (ev) => {
  ev.preventDefault()
  const name = $('mkdir-name').value.trim()
  if (!name) return
  if (await attempt(() => state.volume.makeDir(join(state.path, name), contentOpts({ force: true })))) {
    $('mkdir-name').value = ''
    await loadEntries()
  }
})
$('depth').addEventListener('change', () => loadEntries())
$('refresh').addEventListener('click', () => loadEntries())

// --- uploads ---------------------------------------------------------------------------------

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

$('cancel-upload').addEventListener('click', () => state.upload?.abort())
$('upload-files').addEventListener('change', (e) => upload([...e.target.files].map((f) => [f.name, f])).then(() => (e.target.value = '')))
$('upload-folder').addEventListener('change', (e) =>
  upload([...e.target.files].map((f) => [f.webkitRelativePath || f.name, f])).then(() => (e.target.value = '')),
)

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

// --- sandbox ---------------------------------------------------------------------------------

$('run').addEventListener('submit', async (e) => {
  e.preventDefault()
  const out = $('run-output')
  out.textContent = 'Starting a sandbox…'
  const sandboxUrl = $('sandbox-url').value.trim() || opts().apiUrl
  const mount = $('mount-path').value.trim()
  const sandbox = await attempt(() => Sandbox.create({ ...opts(), sandboxUrl, volumeMounts: { [mount]: state.volume } }))
  if (!sandbox) return (out.textContent = '')
  try {
    out.textContent = `$ ${$('command').value}\n`
    const res = await sandbox.commands.run($('command').value, { onStdout: (d) => (out.textContent += d), onStderr: (d) => (out.textContent += d) })
    out.textContent += `\n[exit ${res.exitCode}]`
  } catch (err) {
    out.textContent += `\n[${explain(err)}]`
  } finally {
    await sandbox.kill().catch(() => {})
    await loadEntries()
    out.textContent += '\n[sandbox ended]'
  }
})

// --- connection --------------------------------------------------------------------------------

function restore() {
  const saved = JSON.parse(localStorage.getItem(STORE) ?? '{}')
  $('api-url').value = saved.apiUrl ?? import.meta.env.VITE_E2B_API_URL ?? 'http://127.0.0.1:3000'
  $('api-key').value = saved.apiKey ?? import.meta.env.VITE_E2B_API_KEY ?? ''
}

$('connect').addEventListener('submit', async (e) => {
  e.preventDefault()
  localStorage.setItem(STORE, JSON.stringify(opts()))
  await loadVolumes()
})

restore()
if (opts().apiKey) loadVolumes()
