// @ts-check
/// <reference types="node" />
// The wasm for Node, read from the package's one wasm file (dist/e2b_wasm_bg.wasm, beside the
// folder of the CommonJS bundle) rather than inlined: Node scans a CommonJS file for its export names
// whenever ESM imports it, and a bundle carrying the wasm as text would make that scan (and so
// `import`) several times slower. Bundlers get dist/node/bundled.mjs instead, as they move this file.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export default readFileSync(join(__dirname, '..', 'e2b_wasm_bg.wasm'))
