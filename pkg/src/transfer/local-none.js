// @ts-check
// Local folders where the build has no file access (browsers, bundlers, workerd): a path is refused
// with what to pass instead.
import { InvalidArgumentError } from '../../../src/js/errors.js'

const refuse = () =>
  new InvalidArgumentError(
    "a local folder path needs Node's own build of e2b-wasm; here pass a FileList, DataTransfer, FileSystemDirectoryHandle or an iterable of { path, data }",
  )

/** @returns {Promise<import('./sources.js').SourceEntries>} */
export function walk() {
  return Promise.reject(refuse())
}

/** @returns {import('./targets.js').Target} */
export function target() {
  throw refuse()
}
