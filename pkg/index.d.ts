/// <reference lib="esnext.disposable" />
// e2b-wasm's typings: those wasm-bindgen generates from the crate (dist/types/glue), and those of
// the error classes (dist/types/errors). This entry only re-exports them: `Volume` and `Sandbox` as
// classes, and everything else the crate declares as types only (classes users never construct,
// such as `Filesystem` or `CommandHandle`, and the option and result interfaces).

export { Volume, Sandbox, getSignature } from './dist/types/glue.js'
export type * from './dist/types/glue.js'
export * from './dist/types/errors.js'

import { Sandbox } from './dist/types/glue.js'
export default Sandbox
