// The build's local file access (`e2b-wasm:local`, resolved by scripts/build-sdk.mjs to
// local-node.js in Node's own build and to local-none.js elsewhere); both export these.
declare module 'e2b-wasm:local' {
  export function walk(dir: string): Promise<import('./sources.js').SourceEntries>
  export function target(dir: string): import('./targets.js').Target
}
