// An ES module script, as Node, Bun and Deno run it.
import { Volume, Sandbox } from 'e2b-wasm'
import { report } from './roundtrip.js'

await report({ Volume, Sandbox }, process.env)
