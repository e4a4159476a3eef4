// @ts-check
// The package's entry, bundled by scripts/build-sdk.mjs for each platform (see there). The wasm is
// instantiated synchronously on import, so no loader, plugin or init call is needed; then the
// generated classes get what only JavaScript can give them (see classes.js).
import {
  initSync, Volume, Sandbox, Filesystem, Commands, CommandHandle, SandboxPaginator, SnapshotPaginator, Pty,
  WatchHandle, getSignature,
} from 'e2b-wasm:glue'
import wasm from 'e2b-wasm:wasm'
import {
  exposeStatics, subclassable, traceable, showable, volumeFields, sandboxFields,
} from './classes.js'
import { installTransfers } from './transfer/volume.js'
import * as errors from '../../src/js/errors.js'
// Node's builds route the `proxy` option's requests (pkg/src/proxy-node.js); other builds get nothing.
import 'e2b-wasm:proxy'

initSync({ module: wasm })
// Bundling renames classes and functions (`_Sandbox`, or a letter once minified): each public one
// gets its name back, which `console.log`, stack traces and checks by name show.
const named = {
  Volume, Sandbox, Filesystem, Commands, CommandHandle, SandboxPaginator, SnapshotPaginator, Pty, WatchHandle, getSignature,
  ...errors,
}
for (const [name, value] of Object.entries(named)) {
  if (typeof value === 'function') Object.defineProperty(value, 'name', { value: name, configurable: true })
}
exposeStatics(Volume, Sandbox)
/** A sandbox of class `cls` for the one the generated code made. @param {any} made @param {any} cls */
const sandboxTwin = (made, cls) => new cls(made.__connection())
subclassable(Sandbox, ['create', 'connect'], sandboxTwin)
subclassable(Volume, ['create', 'connect'], (/** @type {any} */ made, cls) => {
  /** @type {any} */
  const own = new cls(made.volumeId, made.name, made.token, made.domain, made.debug, made.proxy)
  own.__adopt(made)
  return own
})
// `sandbox.connect()` resolves to the sandbox it was called on.
const connect = Sandbox.prototype.connect
Object.defineProperty(Sandbox.prototype, 'connect', {
  /** @this {Sandbox} @param {import('e2b-wasm:glue').SandboxConnectOpts} [opts] */
  async value(opts) {
    const twin = /** @type {Sandbox} */ (await connect.call(this, opts))
    twin.free()
    return this
  },
  writable: true,
  configurable: true,
})
// Forks are of the class `fork` is called on (the static) or of the sandbox's own class.
/** @param {unknown[]} forks @param {any} cls */
const ownForks = (forks, cls) => (cls === Sandbox || typeof cls !== 'function' ? forks : forks.map((f) => {
  if (!(f instanceof Sandbox)) return f
  const own = sandboxTwin(f, cls)
  f.free()
  return own
}))
const forkStatic = /** @type {any} */ (Sandbox).fork
const forkOwn = Sandbox.prototype.fork
Object.defineProperty(Sandbox, 'fork', {
  /** @param {...unknown} args */
  async value(...args) {
    return ownForks(await forkStatic.apply(Sandbox, args), this)
  },
  writable: true,
  configurable: true,
})
Object.defineProperty(Sandbox.prototype, 'fork', {
  /** @this {Sandbox} @param {import('e2b-wasm:glue').SandboxForkOpts} [opts] */
  async value(opts) {
    return ownForks(await forkOwn.call(this, opts), this.constructor)
  },
  writable: true,
  configurable: true,
})
installTransfers(Volume)
const classes = [Volume, Sandbox, Filesystem, Commands, CommandHandle, SandboxPaginator, SnapshotPaginator, Pty, WatchHandle]
for (const cls of classes) traceable(cls)
showable(Volume, volumeFields)
showable(Sandbox, sandboxFields)

export * from '../../src/js/errors.js'
export { Volume, Sandbox, getSignature }
export default Sandbox
