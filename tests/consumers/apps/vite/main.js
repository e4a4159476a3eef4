import { Volume, Sandbox } from 'e2b-wasm'
import { inPage } from './roundtrip.js'

inPage({ Volume, Sandbox })
