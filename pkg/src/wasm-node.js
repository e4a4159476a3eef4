// @ts-check
/// <reference types="node" />
// The wasm for Node, read from the file beside the CommonJS bundle (dist/node/e2b_wasm_bg.wasm)
// rather than inlined: Node scans a CommonJS file for its export names whenever ESM imports it, and
// a bundle carrying the wasm as text would make that scan (and so `import`) several times slower.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export default readFileSync(join(__dirname, 'e2b_wasm_bg.wasm'))
