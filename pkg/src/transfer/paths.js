// @ts-check
// Paths of a transfer: relative paths of the source (always `/`-separated) joined to a volume path.
import { InvalidArgumentError } from '../../../src/js/errors.js'

/**
 * `path` as clean relative segments joined by `/` (no empty, `.` or leading parts); a `..` part is
 * refused, as it would leave the folder being transferred.
 * @param {string} path
 */
export function relative(path) {
  const parts = String(path).split(/[/\\]/).filter((p) => p !== '' && p !== '.')
  if (parts.includes('..')) throw new InvalidArgumentError(`path ${JSON.stringify(path)} leaves the folder being transferred`)
  return parts.join('/')
}

/** A volume path in the server's clean form: a leading `/`, no trailing one. @param {string} path */
export function absolute(path) {
  return '/' + String(path).split('/').filter((p) => p !== '' && p !== '.').join('/')
}

/** `rel` under the volume folder `root` (both clean). @param {string} root @param {string} rel */
export function under(root, rel) {
  if (!rel) return root
  return root === '/' ? `/${rel}` : `${root}/${rel}`
}

/** The parent of a clean relative path (`''` for a top-level one). @param {string} rel */
export function parentOf(rel) {
  const i = rel.lastIndexOf('/')
  return i < 0 ? '' : rel.slice(0, i)
}

/** The number of parts of a clean absolute path. @param {string} path */
export function depthOf(path) {
  return path === '/' ? 0 : path.split('/').length - 1
}
