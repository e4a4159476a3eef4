// The open volume's files: breadcrumbs, the listing, and what can be done to one entry.
import { contentOpts } from './connection.js'
import { state } from './state.js'
import { $, status, attempt, button, formatSize, formatMode, join } from './ui.js'

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

/** Lists the folder shown; `quiet` leaves the status line alone (for updates nobody asked for). */
export async function loadEntries({ quiet = false } = {}) {
  if (!state.volume) return
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
  if (!quiet) status(`${state.volume.name}:${state.path} — ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}.`)
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

/** Wires the toolbar: new folder, depth and refresh. */
export function wireFiles() {
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
}
