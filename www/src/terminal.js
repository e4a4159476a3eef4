// The terminal panel: a sandbox with the open volume mounted, its shell on a PTY shown with
// xterm.js (see terminal-screen), and a live tree of the mounted folder. The sandbox is killed
// when the panel closes, when another volume is opened, and when the page goes away.
import { Sandbox } from 'e2b-wasm'
import { sandboxOpts } from './connection.js'
import { loadEntries } from './files.js'
import { LiveTree } from './live-tree.js'
import { PtyChannel } from './pty-channel.js'
import { state } from './state.js'
import { $, status, explain } from './ui.js'

/** The sandbox's lifetime, renewed while the panel is open: a sandbox whose kill never left the
 *  page (a navigation cancels it, a network may drop it) ends soon on its own. */
const LEASE_MS = 3 * 60_000
const RENEW_EVERY_MS = 30_000
/** The file table is listed again this long after the last change the tree saw. */
const TABLE_DELAY_MS = 300

const encoder = new TextEncoder()
/** The open terminal, or null. */
let session = null

/** Opens a terminal on a new sandbox with the open volume mounted at `mount`. */
async function openTerminal(mount) {
  if (session || !state.volume) return
  const s = { closed: false, volume: state.volume, disposers: [] }
  session = s
  $('terminal-start').disabled = true
  status('Starting a sandbox for the terminal…')
  try {
    s.sandbox = await Sandbox.create(sandboxOpts({ volumeMounts: { [mount]: s.volume }, timeoutMs: LEASE_MS }))
    if (s.closed) return void (await s.sandbox.kill().catch(() => {}))
    $('terminal-panel').hidden = false
    $('terminal-where').textContent = `${s.volume.name} at ${mount} in sandbox ${s.sandbox.sandboxId}`
    $('live-title').textContent = `Live view of ${mount}`

    const screen = $('terminal-screen')
    const { term, fit } = (await import('./terminal-screen.js')).createScreen(screen)
    s.term = term
    if (s.closed) return void term.dispose()

    s.handle = await s.sandbox.pty.create({
      cols: term.cols,
      rows: term.rows,
      cwd: mount,
      envs: { TERM: 'xterm-256color' },
      timeoutMs: 0,
      onData: (bytes) => s.closed || term.write(bytes),
    })
    if (s.closed) return
    const failed = (err) => s.closed || status(`The terminal: ${explain(err)}`, 'error')
    const channel = new PtyChannel(s.sandbox.pty, s.handle.pid, failed)
    channel.onSized(({ cols, rows }) => (screen.dataset.size = `${rows} ${cols}`))
    screen.dataset.size = `${term.rows} ${term.cols}`
    s.disposers.push(
      term.onData((text) => channel.input(encoder.encode(text))),
      // Bytes that are not text (some mouse reports) arrive one char per byte.
      term.onBinary((raw) => channel.input(Uint8Array.from(raw, (c) => c.charCodeAt(0)))),
      term.onResize(({ cols, rows }) => channel.resize(cols, rows)),
    )
    s.observer = new ResizeObserver(() => fit())
    s.observer.observe(screen)
    s.handle.wait().then(
      () => ended(s, 'The shell ended; its sandbox was stopped.'),
      (err) => ended(s, `The shell ended (${explain(err)}); its sandbox was stopped.`),
    )

    s.tree = new LiveTree($('live-tree'), () => {
      clearTimeout(s.tableTimer)
      s.tableTimer = setTimeout(() => state.volume === s.volume && loadEntries({ quiet: true }), TABLE_DELAY_MS)
    })
    await s.tree.start(s.sandbox.files, mount, (err) => err && !s.closed && status(`The live view stopped: ${explain(err)}`, 'error'))
    if (s.closed) return
    s.renew = setInterval(() => s.sandbox.setTimeout(LEASE_MS).catch(failed), RENEW_EVERY_MS)
    term.focus()
    status(`Terminal open: the volume ${s.volume.name} is at ${mount}.`)
  } catch (err) {
    if (s.closed) return
    status(`The terminal could not start: ${explain(err)}`, 'error')
    await closeTerminal()
  }
}

async function ended(s, message) {
  if (s.closed) return
  await closeTerminal()
  status(message)
}

/** Closes the terminal, if one is open, and kills its sandbox. */
export async function closeTerminal() {
  const s = session
  if (!s) return
  session = null
  s.closed = true
  clearInterval(s.renew)
  clearTimeout(s.tableTimer)
  s.observer?.disconnect()
  for (const d of s.disposers) d.dispose()
  s.term?.dispose()
  $('terminal-panel').hidden = true
  $('terminal-start').disabled = false
  delete $('terminal-screen').dataset.size
  $('live-tree').replaceChildren()
  // The sandbox goes first: a page being unloaded may allow only one more request.
  const killed = s.sandbox?.kill().catch(() => {})
  await Promise.all([killed, s.tree?.stop()])
}

/** Wires the panel's open and close controls, and the kill on leaving the page. */
export function wireTerminal() {
  $('terminal-open').addEventListener('submit', (e) => {
    e.preventDefault()
    openTerminal($('terminal-mount').value.trim())
  })
  $('terminal-close').addEventListener('click', async () => {
    await closeTerminal()
    status('Terminal closed; its sandbox was stopped.')
  })
  window.addEventListener('pagehide', () => closeTerminal())
}
