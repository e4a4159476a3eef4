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

export { get, reshape, set }
