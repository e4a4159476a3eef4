// @ts-check
// The browsers' entry (dist/web), in two halves with a wasm each: the `Volume` half is instantiated
// synchronously on import, and the `Sandbox` half loads on the first call of a `Sandbox` static or of
// `getSignature` (lazy-sandbox.js), so a page that only uses volumes loads a third of the bytes.
// The classes get what the one-wasm entry (index.js) gives them.
import { initSync, Volume } from 'e2b-wasm:glue'
import wasm from 'e2b-wasm:wasm'
import { nameAll } from './classes.js'
import { setUpVolume } from './volume.js'
import { Sandbox, getSignature } from './lazy-sandbox.js'
import * as errors from '../../src/js/errors.js'

initSync({ module: wasm })
nameAll(errors)
setUpVolume(Volume)

export * from '../../src/js/errors.js'
export { Volume, Sandbox, getSignature }
export default Sandbox
