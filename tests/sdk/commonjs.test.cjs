// e2b-wasm through require() in Node (CommonJS), from the packed tarball.
const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { Volume, VolumeError, VolumePathNotFoundError, VolumeFileType } = require('e2b-wasm')

let server
let opts
before(async () => {
  const { startServer } = await import('./support/e2b-local.mjs')
  server = await startServer()
  opts = { apiKey: server.apiKey, apiUrl: server.url }
})
after(() => server && server.stop())

test('require() gives the same working SDK as import', async () => {
  const esm = await import('e2b-wasm')
  assert.equal(esm.Volume, Volume, 'one instance for CJS and ESM')
  const vol = await Volume.create('cjs', opts)
  const stat = await vol.writeFile('/hello.txt', 'from cjs')
  assert.equal(stat.type, VolumeFileType.FILE)
  assert.equal(await vol.readFile('/hello.txt'), 'from cjs')
  const err = await vol.getInfo('/missing').catch((e) => e)
  assert.ok(err instanceof VolumePathNotFoundError && err instanceof VolumeError && err instanceof Error)
  assert.equal(await Volume.destroy(vol.volumeId, opts), true)
})
