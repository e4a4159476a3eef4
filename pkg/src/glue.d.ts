// The imports scripts/build-sdk.mjs resolves for the entries: wasm-bindgen's glue (typed through
// pkg/tsconfig.json's `paths`, from the build's output), the wasm itself, inlined as bytes (the
// sandbox half's, `sandbox-glue` and `sandbox-wasm`, in the browsers' build), and the
// `proxy` option's routing (pkg/src/proxy-node.js in Node's builds, nothing elsewhere).
declare module 'e2b-wasm:wasm' {
  const bytes: Uint8Array
  export default bytes
}

declare module 'e2b-wasm:sandbox-wasm' {
  const bytes: Uint8Array
  export default bytes
}

declare module 'e2b-wasm:proxy' {}
