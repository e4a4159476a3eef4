// @ts-check
// What the entries add to the generated `Sandbox` and the classes it hands out: their names, the
// statics, `create`, `connect` and `fork` for subclasses, `sandbox.connect()` resolving to the
// sandbox it was called on, stack traces and what a sandbox shows (see classes.js).
import { nameAll, exposeStatics, subclassable, traceable, showable, sandboxFields } from './classes.js'

/**
 * Sets up the generated sandbox classes, once, right after their wasm is instantiated.
 * @param {Pick<typeof import('e2b-wasm:glue'), 'Sandbox' | 'Filesystem' | 'Commands' | 'CommandHandle' |
 *   'SandboxPaginator' | 'SnapshotPaginator' | 'Pty' | 'WatchHandle' | 'getSignature'>} glue
 */
export function setUpSandbox(glue) {
  const { Sandbox, Filesystem, Commands, CommandHandle, SandboxPaginator, SnapshotPaginator, Pty, WatchHandle, getSignature } = glue
  nameAll({ Sandbox, Filesystem, Commands, CommandHandle, SandboxPaginator, SnapshotPaginator, Pty, WatchHandle, getSignature })
  exposeStatics(Sandbox)
  /** A sandbox of class `cls` for the one the generated code made. @param {any} made @param {any} cls */
  const sandboxTwin = (made, cls) => new cls(made.__connection())
  subclassable(Sandbox, ['create', 'connect'], sandboxTwin)
  // `sandbox.connect()` resolves to the sandbox it was called on.
  const connect = Sandbox.prototype.connect
  Object.defineProperty(Sandbox.prototype, 'connect', {
    /** @this {import('e2b-wasm:glue').Sandbox} @param {import('e2b-wasm:glue').SandboxConnectOpts} [opts] */
    async value(opts) {
      const twin = /** @type {import('e2b-wasm:glue').Sandbox} */ (await connect.call(this, opts))
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
    /** @this {import('e2b-wasm:glue').Sandbox} @param {import('e2b-wasm:glue').SandboxForkOpts} [opts] */
    async value(opts) {
      return ownForks(await forkOwn.call(this, opts), this.constructor)
    },
    writable: true,
    configurable: true,
  })
  for (const cls of [Sandbox, Filesystem, Commands, CommandHandle, SandboxPaginator, SnapshotPaginator, Pty, WatchHandle]) {
    traceable(/** @type {any} */ (cls))
  }
  showable(Sandbox, sandboxFields)
}
