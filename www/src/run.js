// One command in a fresh sandbox with the open volume mounted; the sandbox ends with it.
import { Sandbox } from 'e2b-wasm'
import { sandboxOpts } from './connection.js'
import { loadEntries } from './files.js'
import { state } from './state.js'
import { $, attempt, explain } from './ui.js'

/** Wires the "Run in a sandbox" form. */
export function wireRun() {
  $('run').addEventListener('submit', async (e) => {
    e.preventDefault()
    const out = $('run-output')
    out.textContent = 'Starting a sandbox…'
    const mount = $('mount-path').value.trim()
    const sandbox = await attempt(() => Sandbox.create(sandboxOpts({ volumeMounts: { [mount]: state.volume } })))
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
}
