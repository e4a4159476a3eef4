// Volume explorer: manage E2B volumes from the browser with e2b-wasm (and nothing else). This
// entry wires each area of the page (each in its own module) and restores the connection.
import { opts, restore, save } from './connection.js'
import { wireFiles } from './files.js'
import { wireRun } from './run.js'
import { wireTerminal } from './terminal.js'
import { wireTransfers } from './transfers.js'
import { $ } from './ui.js'
import { loadVolumes, wireVolumes } from './volumes.js'

wireVolumes()
wireFiles()
wireTransfers()
wireRun()
wireTerminal()

$('connect').addEventListener('submit', async (e) => {
  e.preventDefault()
  save()
  await loadVolumes()
})

restore()
if (opts().apiKey) loadVolumes()
