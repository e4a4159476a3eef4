// @ts-check
// The sandbox half of the browsers' build (dist/web/sandbox.js), loaded by lazy-sandbox.js on first
// use: wasm-bindgen's glue and wasm of the crate built with only its `sandbox` feature, instantiated
// on import, and the generated classes set up as in the one-wasm entry.
// Named imports only: the glue's async loader (its default export) reads `import.meta.url`, which
// bundlers would take for a file to emit.
import {
  initSync, Sandbox, Filesystem, Commands, CommandHandle, SandboxPaginator, SnapshotPaginator, Pty, WatchHandle, getSignature,
} from 'e2b-wasm:sandbox-glue'
import wasm from 'e2b-wasm:sandbox-wasm'
import { setUpSandbox } from './sandbox.js'

initSync({ module: wasm })
setUpSandbox({ Sandbox, Filesystem, Commands, CommandHandle, SandboxPaginator, SnapshotPaginator, Pty, WatchHandle, getSignature })

export { Sandbox, getSignature }
