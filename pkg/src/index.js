// @ts-check
// The package's entry, bundled by scripts/build-sdk.mjs for each platform (see there). The wasm is
// instantiated synchronously on import, so no loader, plugin or init call is needed; then the
// generated classes get what only JavaScript can give them (see classes.js).
import { initSync, Volume, Sandbox, Filesystem, Commands, CommandHandle, SandboxPaginator } from 'e2b-wasm:glue'
import wasm from 'e2b-wasm:wasm'
import {
  exposeStatics, subclassable, traceable, showable, volumeFields, sandboxFields,
} from './classes.js'
import { installTransfers } from './transfer/volume.js'

initSync({ module: wasm })
exposeStatics(Volume, Sandbox)
subclassable(Sandbox, ['create', 'connect'], (made, cls) => new cls(/** @type {any} */ (made).__connection()))
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
installTransfers(Volume)
for (const cls of [Volume, Sandbox, Filesystem, Commands, CommandHandle, SandboxPaginator]) traceable(cls)
showable(Volume, volumeFields)
showable(Sandbox, sandboxFields)

export * from '../../src/js/errors.js'
export { Volume, Sandbox }
export default Sandbox
