// @ts-check
// wasm-bindgen allows one export per name on a class, so Rust exports each static that shares its
// name with an instance method (`Volume.getInfo` and `volume.getInfo`) as `__static_<name>`. The
// entry gives every such static its real name here; no list of names is kept anywhere.

/** The prefix the Rust side gives those statics. */
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
