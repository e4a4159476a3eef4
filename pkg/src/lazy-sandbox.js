// @ts-check
// `Sandbox` and `getSignature` in the browsers' build, ahead of their wasm: the class that users
// import, extend and check with `instanceof` exists at once, and its statics and `getSignature` load
// the sandbox half (sandbox-half.js, its own wasm) on their first call (`list` and `listSnapshots`,
// which return a paginator at once, on its first page). Once loaded, this class inherits the
// generated class's statics and prototype, and the generated `create`, `connect` and `fork` make
// instances of it (or of the subclass they are called on).
import { nameAll, traceable } from './classes.js'

/** The statics of the generated `Sandbox` that return a promise (tests/build/entries.test.mjs checks the lists). */
const ASYNC_STATICS = [
  'create', 'connect', 'kill', 'getInfo', 'getFullInfo', 'getMetrics', 'setTimeout', 'pause', 'betaPause',
  'fork', 'createSnapshot', 'deleteSnapshot', 'updateNetwork',
]
/** The statics that return a paginator at once, by the paginator's class name. */
const PAGINATOR_STATICS = { list: 'SandboxPaginator', listSnapshots: 'SnapshotPaginator' }

/** @type {Promise<typeof import('./sandbox-half.js')> | undefined} */
let loading
/** @type {(Function & Record<string, any>) | undefined} */
let Generated

/**
 * The sandbox half, loaded once. A failed load (the module unreachable) is not kept: the next call
 * imports again, and Chromium and bundlers' chunk loaders then fetch the module again.
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
for (const name of ASYNC_STATICS) {
  const value = {
    /** @this {unknown} @param {...unknown} args */
    async [name](...args) {
      const { Sandbox: generated } = await half()
      return /** @type {any} */ (generated)[name].apply(this, args)
    },
  }[name]
  Object.defineProperty(Sandbox, name, { value, writable: true, configurable: true })
}
for (const [name, paginator] of Object.entries(PAGINATOR_STATICS)) {
  const Lazy = lazyPaginator(paginator)
  const value = {
    /** @this {unknown} @param {...unknown} args */
    [name](...args) {
      return new Lazy(() => /** @type {any} */ (Generated)[name].apply(this, args), args[0])
    },
  }[name]
  Object.defineProperty(Sandbox, name, { value, writable: true, configurable: true })
}
traceable(/** @type {any} */ (Sandbox), 'Sandbox')

/**
 * A paginator class named `name` that makes the generated paginator (`make`) on its first page,
 * once the sandbox half is loaded; until then it has a next page, from the `nextToken` option.
 * @param {string} name
 */
function lazyPaginator(name) {
  const cls = class {
    /** @type {any} */
    #real
    #make
    #token
    /** @param {() => any} make @param {any} opts */
    constructor(make, opts) {
      this.#make = make
      this.#token = opts?.nextToken
    }

    /** Whether there is a next page. */
    get hasNext() {
      return this.#real ? this.#real.hasNext : true
    }

    /** The token of the next page. */
    get nextToken() {
      return this.#real ? this.#real.nextToken : this.#token
    }

    /** The next page. @param {unknown} [opts] */
    async nextItems(opts) {
      await half()
      this.#real ??= this.#make()
      return this.#real.nextItems(opts)
    }

    /** Frees the generated paginator, if made. */
    free() {
      this.#real?.free()
    }

    [Symbol.dispose]() {
      this.free()
    }
  }
  Object.defineProperty(cls, 'name', { value: name })
  traceable(cls, name)
  return cls
}

/** Signs a file link (see the generated function's documentation). @param {any} opts */
export async function getSignature(opts) {
  return (await half()).getSignature(opts)
}
nameAll({ Sandbox, getSignature })
