// TypeScript compiled to CommonJS by tsc, with the default import.
import Sandbox, { Volume } from 'e2b-wasm'
import { report } from './roundtrip.js'

report({ Volume, Sandbox }, process.env).catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
