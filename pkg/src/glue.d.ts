// The imports scripts/build-sdk.mjs resolves for the entry: wasm-bindgen's glue (typed through
// pkg/tsconfig.json's `paths`, from the build's output), the wasm itself, inlined as bytes, and the
// `proxy` option's routing (pkg/src/proxy-node.js in Node's builds, nothing elsewhere).
declare module 'e2b-wasm:wasm' {
  const bytes: Uint8Array
  export default bytes
}

declare module 'e2b-wasm:proxy' {}
