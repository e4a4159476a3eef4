// The built entry points (pkg/dist): each exports the wasm classes, everything src/js/errors.js
// exports, and `Sandbox` as default; statics carry their real names; Node's `import` and
// `require` share one instance. Run after `npm run build`.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import * as errors from '../../src/js/errors.js'

const require = createRequire(import.meta.url)
const expected = ['Volume', 'Sandbox', 'getSignature', ...Object.keys(errors)].sort()
const named = (mod) => Object.keys(mod).filter((k) => k !== 'default' && k !== '__esModule').sort()

/** The statics that share a name with an instance method (see src/lib.rs). */
const STATICS = { Volume: ['getInfo', 'list'], Sandbox: ['connect', 'kill', 'getInfo', 'setTimeout', 'list'] }

function checkEntry(mod) {
  assert.deepEqual(named(mod), expected)
  assert.equal(mod.default, mod.Sandbox)
  for (const name of expected) {
    if (typeof mod[name] === 'function') assert.equal(mod[name].name, name, `${name} keeps its class name`)
  }
  for (const [cls, names] of Object.entries(STATICS)) {
    for (const name of names) assert.equal(typeof mod[cls][name], 'function', `${cls}.${name}`)
    assert.ok(typeof mod[cls].prototype[names.at(-1)] === 'function' || cls === 'Sandbox', `${cls}.prototype keeps its methods`)
    assert.deepEqual(Object.getOwnPropertyNames(mod[cls]).filter((k) => k.startsWith('__static_')), [])
  }
  assert.equal(typeof mod.Volume.prototype.getInfo, 'function')
  assert.equal(typeof mod.Sandbox.prototype.getInfo, 'function')
}

test('Node ESM entry', async () => {
  checkEntry(await import('../../pkg/dist/node/index.mjs'))
})

test('Node CommonJS entry, the same instance as ESM', async () => {
  const cjs = require('../../pkg/dist/node/index.cjs')
  checkEntry(cjs)
  const esm = await import('../../pkg/dist/node/index.mjs')
  assert.equal(esm.Volume, cjs.Volume)
  assert.equal(esm.VolumeError, cjs.VolumeError)
})

test('browser and bundler entry', async () => {
  checkEntry(await import('../../pkg/dist/web/index.js'))
})

test('errors from the wasm are the exported classes', async () => {
  const { Volume, InvalidArgumentError } = await import('../../pkg/dist/web/index.js')
  const err = await new Volume('v', 'n', 't').writeFile('/x', 42).catch((e) => e)
  assert.ok(err instanceof InvalidArgumentError, String(err))
})
