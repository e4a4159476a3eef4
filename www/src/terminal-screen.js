// The terminal's screen: xterm.js sized to its element. Loaded only when a terminal opens, so the
// explorer's first load does not carry it.
import { Terminal } from '@xterm/xterm'
import { FitAddon } from '@xterm/addon-fit'
import '@xterm/xterm/css/xterm.css'

/** A terminal drawn into `element`, as many cells as fit; `fit()` refits it after a resize. */
export function createScreen(element) {
  const term = new Terminal({ cursorBlink: true, fontSize: 13, scrollback: 5000, fontFamily: 'ui-monospace, monospace' })
  const fitAddon = new FitAddon()
  term.loadAddon(fitAddon)
  term.open(element)
  fitAddon.fit()
  return { term, fit: () => fitAddon.fit() }
}
