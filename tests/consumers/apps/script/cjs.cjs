// A CommonJS script: e2b-wasm through require().
const { Volume, Sandbox } = require('e2b-wasm')

import('./roundtrip.js')
  .then(({ report }) => report({ Volume, Sandbox }, process.env))
  .catch((e) => {
    console.error(e)
    process.exitCode = 1
  })
