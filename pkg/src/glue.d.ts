// The two imports scripts/build-sdk.mjs resolves for the entry: wasm-bindgen's glue (typed through
// pkg/tsconfig.json's `paths`, from the build's output) and the wasm itself, inlined as bytes.
declare module 'e2b-wasm:wasm' {
  const bytes: Uint8Array
  export default bytes
}
