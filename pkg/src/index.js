// @ts-check
// The package's entry, bundled by scripts/build-sdk.mjs twice: as ESM for browsers and bundlers
// (dist/web/index.js, the wasm inlined) and as CommonJS for Node (dist/node/index.cjs, the wasm read
// from the file beside it). Either way the wasm is instantiated synchronously on import, so no
// loader, plugin or init call is needed.
import { initSync, Volume, Sandbox } from 'e2b-wasm:glue'
import wasm from 'e2b-wasm:wasm'
import { exposeStatics } from './statics.js'

initSync({ module: wasm })
exposeStatics(Volume, Sandbox)

export * from '../../src/js/errors.js'
export { Volume, Sandbox }
export default Sandbox
