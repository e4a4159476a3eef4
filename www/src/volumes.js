// The volume list: listing, creating, opening and deleting volumes.
import { Volume } from 'e2b-wasm'
import { opts } from './connection.js'
import { loadEntries } from './files.js'
import { state } from './state.js'
import { closeTerminal } from './terminal.js'
import { $, status, attempt, button } from './ui.js'

/** Lists the volumes in the side bar. */
export async function loadVolumes() {
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
  // A terminal belongs to the volume it was opened on.
  await closeTerminal()
  state.volume = volume
  state.path = '/'
  $('browser').hidden = false
  $('browser-title').textContent = `Files of ${volume.name}`
  for (const b of $('volume-list').querySelectorAll('button')) b.setAttribute('aria-current', String(b.dataset.volumeId === id))
  await loadEntries()
}

/** Wires creating and deleting volumes. */
export function wireVolumes() {
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
    await closeTerminal()
    if (await attempt(() => Volume.destroy(v.volumeId, opts()))) {
      state.volume = null
      $('browser').hidden = true
      await loadVolumes()
      status(`Deleted volume ${v.name}.`)
    }
  })
}
