// Field access on plain objects for the wasm side: one call each, with no wrapper made per call,
// and the reshaping of JSON replies by the SDK's field tables (see src/transport/reply.rs).

/**
 * `obj[key]`, or `undefined` when it cannot be read (also on `undefined` and `null`).
 * @param {any} obj
 * @param {string} key
 */
function get(obj, key) {
  try {
    return obj == null ? undefined : obj[key]
  } catch {
    return undefined
  }
}

/**
 * `obj[key]` when it is a string and not empty, else `undefined`: an option or environment value
 * handed to the wasm as the JS string it is, with nothing copied.
 * @param {any} obj
 * @param {string} key
 */
function text(obj, key) {
  const value = get(obj, key)
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** The bit of each key of the last `keys` given to `present`, and that array. */
let bitOf = new Map()
/** @type {string[] | undefined} */
let indexed

/**
 * Which of `keys` `obj` holds (not `undefined` or `null`), one bit each in the order of `keys`, so
 * that the wasm reads only the options given. A plain object's own keys are looked at, as few as it
 * has; any other object (a class instance, whose getters live on its prototype, or one of another
 * realm) has every bit set, for each key to be read.
 * @param {any} obj
 * @param {string[]} keys at most 32
 */
function present(obj, keys) {
  if (keys !== indexed) {
    bitOf = new Map(keys.map((k, i) => [k, 1 << i]))
    indexed = keys
  }
  let bits = 0
  try {
    const proto = Object.getPrototypeOf(obj)
    if (proto !== Object.prototype && proto !== null) return 0xffffffff
    for (const key of Object.keys(obj)) {
      const bit = bitOf.get(key)
      if (bit !== undefined && get(obj, key) != null) bits |= bit
    }
  } catch {
    // A proxy that will not tell its keys: every key is read.
    return 0xffffffff
  }
  return bits >>> 0
}

/**
 * Where the string `obj[key]` is in `choices`: -1 when it is not a string or is empty (the option is
 * absent), -2 when it is another string.
 * @param {any} obj
 * @param {string} key
 * @param {string[]} choices
 */
function choose(obj, key, choices) {
  const value = get(obj, key)
  if (typeof value !== 'string' || value === '') return -1
  const at = choices.indexOf(value)
  return at < 0 ? -2 : at
}

/**
 * `obj[key] = value`; a failure (a frozen object) is ignored.
 * @param {any} obj
 * @param {string} key
 * @param {unknown} value
 */
function set(obj, key, value) {
  try {
    obj[key] = value
  } catch {}
}

/**
 * Copies the fields of `table` from `reply` onto `into`. Each row is `[replyName, name, kind]`;
 * absent scalars take their zero value (Connect's JSON leaves zero values out), `opt` and `date`
 * fields are left out when absent.
 * @param {any} reply
 * @param {[string, string, string][]} table
 * @param {Record<string, unknown>} into
 */
function reshape(reply, table, into) {
  for (const [from, to, kind] of table) {
    let v = reply?.[from]
    if (v == null) {
      if (kind === 'opt' || kind === 'date') continue
      v = kind === 'str' ? '' : kind === 'object' ? {} : kind === 'list' ? [] : 0
    } else if (kind === 'date') v = new Date(v)
    else if (kind === 'int64') v = Number(v)
    into[to] = v
  }
  return into
}

/**
 * Each item of `items` reshaped by `table` into a new object (`reshape`); an empty array when
 * `items` is not an array.
 * @param {unknown} items
 * @param {[string, string, string][]} table
 */
function reshapeEach(items, table) {
  return Array.isArray(items) ? items.map((item) => reshape(item, table, {})) : []
}

export { choose, get, present, reshape, reshapeEach, set, text }
