// @ts-check
// `Sandbox` and `getSignature` in the browsers' build, ahead of their wasm: the class that users
// import, extend and check with `instanceof` exists at once, and its statics (all async) and
// `getSignature` load the sandbox half (sandbox-half.js, its own wasm) on their first call. Once
// loaded, this class inherits the generated class's statics and prototype, and the generated
// `create`, `connect` and `fork` make instances of it (or of the subclass they are called on).
import { nameAll, traceable } from './classes.js'

/** The statics of the generated `Sandbox` (tests/build/entries.test.mjs checks the list). */
const SANDBOX_STATICS = [
  'create', 'connect', 'list', 'kill', 'getInfo', 'getFullInfo', 'getMetrics', 'setTimeout', 'pause', 'betaPause',
  'fork', 'createSnapshot', 'listSnapshots', 'deleteSnapshot', 'updateNetwork',
]

/** @type {Promise<typeof import('./sandbox-half.js')> | undefined} */
let loading
/** @type {(Function & Record<string, any>) | undefined} */
let Generated

/**
 * The sandbox half, loaded once. A failed load (the module unreachable) is not kept: the next call
 * imports again (bundlers' chunk loaders fetch again; a browser's own module loader may keep the
 * failure until the page reloads).
 */
const half = () => (loading ??= import('./sandbox-half.js').then(
  (m) => {
    Object.setPrototypeOf(Sandbox, m.Sandbox)
    Object.setPrototypeOf(Sandbox.prototype, m.Sandbox.prototype)
    Generated = /** @type {any} */ (m.Sandbox)
    return m
  },
  (error) => {
    loading = undefined
    throw error
  },
))

/** A sandbox (see the generated class's documentation, which the typings carry). */
export class Sandbox {
  /** Made by `create`, `connect` and `fork`, once the sandbox half is loaded. @param {...unknown} args */
  constructor(...args) {
    if (!Generated) throw new TypeError('Sandbox: use Sandbox.create() or Sandbox.connect()')
    return Reflect.construct(Generated, args, new.target)
  }
}
for (const name of SANDBOX_STATICS) {
  const value = {
    /** @this {unknown} @param {...unknown} args */
    async [name](...args) {
      const { Sandbox: generated } = await half()
      return /** @type {any} */ (generated)[name].apply(this, args)
    },
  }[name]
  Object.defineProperty(Sandbox, name, { value, writable: true, configurable: true })
}
traceable(/** @type {any} */ (Sandbox), 'Sandbox')

/** Signs a file link (see the generated function's documentation). @param {any} opts */
export async function getSignature(opts) {
  return (await half()).getSignature(opts)
}
nameAll({ Sandbox, getSignature })
