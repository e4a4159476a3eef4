// @ts-check
// What the entry adds to the classes wasm-bindgen generates, in JavaScript because it is about
// JavaScript itself: statics under their real names, `create` and `connect` that make instances of
// the subclass they are called on, stack traces that name the SDK method and the caller's line,
// and what `console.log` and `JSON.stringify` show (never a token in full).

/**
 * Gives each function of `named` its key as its name: bundling renames classes and functions
 * (`_Sandbox`, or a letter once minified), and `console.log`, stack traces and checks by name show it.
 * @param {Record<string, unknown>} named
 */
export function nameAll(named) {
  for (const [name, value] of Object.entries(named)) {
    if (typeof value === 'function') Object.defineProperty(value, 'name', { value: name, configurable: true })
  }
}

/** The prefix Rust gives statics that share a name with an instance method (one export per name). */
export const STATIC_PREFIX = '__static_'

/**
 * Renames every static of `classes` whose name starts with `STATIC_PREFIX` to the rest of its name.
 * @param {...Function} classes
 */
export function exposeStatics(...classes) {
  for (const cls of classes) {
    const statics = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (cls))
    for (const key of Object.getOwnPropertyNames(cls)) {
      if (!key.startsWith(STATIC_PREFIX)) continue
      const value = statics[key]
      Object.defineProperty(cls, key.slice(STATIC_PREFIX.length), { value, writable: true, configurable: true })
      delete statics[key]
    }
  }
}

/**
 * Makes the statics `names` of `base` resolve to instances of the class they are called on:
 * `MySandbox.create()` is a `MySandbox`, made with `new MySandbox(…)` from what `twin` says of the
 * instance the generated static made (which is then freed).
 * @template {{ free(): void }} T
 * @param {Function & Record<string, any>} base
 * @param {string[]} names
 * @param {(made: T, cls: new (...args: any[]) => T) => T} twin
 */
export function subclassable(base, names, twin) {
  for (const name of names) {
    const make = base[name]
    const value = {
      /** @this {any} @param {...unknown} args */
      async [name](...args) {
        const made = await make.apply(base, args)
        if (this === base || typeof this !== 'function') return made
        const own = twin(made, this)
        made.free()
        return own
      },
    }[name]
    Object.defineProperty(base, name, { value, writable: true, configurable: true })
  }
}

/** V8's way to capture a stack without the frames above a function (elsewhere `new Error()`). */
const captureStack = /** @type {any} */ (Error).captureStackTrace

/**
 * Wraps every method of `cls` (statics and prototype) that returns a promise so that a rejection's
 * stack names the SDK method (`at Volume.getInfo`) and continues with the caller's own frames,
 * which an error made after an `await` in wasm would not have. The user's own abort reason is left
 * as it is.
 * @param {Function & Record<string, any>} cls
 * @param {string} [label] the class's public name
 */
export function traceable(cls, label = cls.name) {
  const targets = [
    /** @type {const} */ ([cls, `${label}.`]),
    /** @type {const} */ ([cls.prototype, `${label}.prototype.`]),
  ]
  for (const [target, prefix] of targets) {
    for (const key of Object.getOwnPropertyNames(target)) {
      const desc = Object.getOwnPropertyDescriptor(target, key)
      if (!desc || typeof desc.value !== 'function' || key === 'constructor' || key.startsWith('__')) continue
      if (key === 'free') continue
      const fn = desc.value
      const where = `${prefix.replace('.prototype.', '.')}${key}`
      const value = {
        /** @this {any} @param {...any} args */
        [key](...args) {
          // Engines without V8's async stack traces: the caller's frames now, as the call starts.
          const early = captureStack ? undefined : new Error().stack
          const result = fn.apply(this, args)
          return result instanceof Promise ? traced(result, where, early, args) : result
        },
      }[key]
      Object.defineProperty(target, key, { ...desc, value })
    }
  }
}

/**
 * `promise`, its rejection given the caller's frames (`withCaller`). In V8 they are captured only
 * on a rejection, here, where V8 adds the frames that await this call (`at async …`, through
 * `.then` chains too): capturing at every call cost about 18 µs, 4% of a small call (A/B against
 * e2b-local). A caller that neither awaits nor chains the call gets only the method's line.
 * @param {Promise<unknown>} promise
 * @param {string} where
 * @param {string | undefined} early the caller's stack taken as the call started (engines without
 *   `Error.captureStackTrace`)
 * @param {any[]} args
 */
async function traced(promise, where, early, args) {
  try {
    return await promise
  } catch (e) {
    /** @type {{ stack?: string }} */
    const site = {}
    if (!early) captureStack(site, traced)
    throw withCaller(e, where, early ?? site.stack, args)
  }
}

/**
 * `e` with a stack of its own first line, the SDK method, and the caller's frames.
 * @param {unknown} e
 * @param {string} where
 * @param {string | undefined} callerStack
 * @param {any[]} args
 */
function withCaller(e, where, callerStack, args) {
  if (!(e instanceof Error) || !callerStack) return e
  // The user's abort reason is theirs: leave it untouched.
  if (args.some((a) => a && typeof a === 'object' && a.signal && a.signal.reason === e)) return e
  const frames = callerStack.split('\n').filter((line) => /^\s+at /.test(line) || /@/.test(line))
  try {
    e.stack = [`${e.name}: ${e.message}`, `    at ${where} (e2b-wasm)`, ...frames].join('\n')
  } catch {
    // A frozen error keeps its stack.
  }
  return e
}

/** A token shown as its first characters only. */
const masked = (/** @type {string | undefined} */ token) => (token ? `${token.slice(0, 4)}…` : token)

/** Node's hook for `util.inspect` and `console.log`. */
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom')

/**
 * Gives `cls` a `toJSON` of `fields(instance)`, and an `inspect` that shows the same under the
 * instance's class name.
 * @param {Function} cls
 * @param {(self: any) => Record<string, unknown>} fields
 */
export function showable(cls, fields) {
  Object.defineProperty(cls.prototype, 'toJSON', {
    value() {
      return fields(this)
    },
    writable: true,
    configurable: true,
  })
  Object.defineProperty(cls.prototype, inspectSymbol, {
    /** @param {number} depth @param {object} options @param {(v: unknown, o: object) => string} inspect */
    value(depth, options, inspect) {
      return `${this.constructor.name} ${inspect(fields(this), options)}`
    },
    writable: true,
    configurable: true,
  })
}

/** What `Volume` shows. @param {any} v */
export const volumeFields = (v) => ({
  volumeId: v.volumeId,
  name: v.name,
  token: masked(v.token),
  domain: v.domain,
  debug: v.debug,
  proxy: v.proxy,
})

/** What `Sandbox` shows. @param {any} s */
export const sandboxFields = (s) => ({
  sandboxId: s.sandboxId,
  sandboxDomain: s.sandboxDomain,
  trafficAccessToken: masked(s.trafficAccessToken),
})
