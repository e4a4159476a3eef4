// @ts-check
// A volume folder's whole tree, from `list` calls (each at most MAX_DEPTH levels deep).
import { depthOf } from './paths.js'

/** Deepest listing the content API serves in one call. */
const MAX_DEPTH = 10

/**
 * Every entry under the volume folder `root` (clean), parents before children: one listing
 * MAX_DEPTH deep, then one more for each folder at that depth, and so on.
 * @param {(path: string, opts: object) => Promise<any[]>} list
 * @param {string} root
 * @param {object} opts
 * @returns {Promise<any[]>}
 */
export async function listTree(list, root, opts) {
  const all = /** @type {any[]} */ ([])
  let dirs = [root]
  while (dirs.length) {
    const listings = await Promise.all(dirs.map((dir) => list(dir, { ...opts, depth: MAX_DEPTH })))
    /** @type {string[]} */
    const deeper = []
    listings.forEach((entries, k) => {
      const base = depthOf(dirs[k])
      for (const e of entries) {
        all.push(e)
        if (e.type === 'directory' && e.target === undefined && depthOf(e.path) - base === MAX_DEPTH) deeper.push(e.path)
      }
    })
    dirs = deeper
  }
  return all
}
