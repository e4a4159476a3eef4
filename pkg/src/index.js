// @ts-check
// The package's entry with one wasm holding both halves, bundled by scripts/build-sdk.mjs for Node,
// Node under a bundler, workerd and hosts that resolve only `default` (see there; browsers get
// web.js). The wasm is instantiated synchronously on import, so no loader, plugin or init call is
// needed; then the generated classes get what only JavaScript can give them (volume.js, sandbox.js).
// Named imports only: the glue's async loader (its default export) reads `import.meta.url`, which
// bundlers would take for a file to emit.
import {
  initSync, Volume, Sandbox, Filesystem, Commands, CommandHandle, SandboxPaginator, SnapshotPaginator, Pty, WatchHandle, getSignature,
} from 'e2b-wasm:glue'
import wasm from 'e2b-wasm:wasm'
import { nameAll } from './classes.js'
import { setUpVolume } from './volume.js'
import { setUpSandbox } from './sandbox.js'
import * as errors from '../../src/js/errors.js'
// Node's builds route the `proxy` option's requests (pkg/src/proxy-node.js); other builds get nothing.
import 'e2b-wasm:proxy'

initSync({ module: wasm })
nameAll(errors)
setUpVolume(Volume)
setUpSandbox({ Sandbox, Filesystem, Commands, CommandHandle, SandboxPaginator, SnapshotPaginator, Pty, WatchHandle, getSignature })

export * from '../../src/js/errors.js'
export { Volume, Sandbox, getSignature }
export default Sandbox
