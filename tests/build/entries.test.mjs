// The built entry points (pkg/dist): each exports the wasm classes, everything src/js/errors.js
// exports, and `Sandbox` as default; statics carry their real names; Node's `import` and
// `require` share one instance; the browsers' build loads its sandbox half on first use, and its
// `Sandbox` then behaves as the one-wasm builds' does. Run after `npm run build`.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import * as errors from '../../src/js/errors.js'

const require = createRequire(import.meta.url)
const expected = ['Volume', 'Sandbox', 'getSignature', ...Object.keys(errors)].sort()
const named = (mod) => Object.keys(mod).filter((k) => k !== 'default' && k !== '__esModule').sort()

/** The statics that share a name with an instance method (see src/lib.rs). */
const STATICS = { Volume: ['getInfo', 'list'], Sandbox: ['connect', 'kill', 'getInfo', 'setTimeout', 'list'] }

/** Loads the browsers' sandbox half: `getSignature` without a token fails once the half is loaded. */
const loadSandboxHalf = async (mod) => {
  const error = await mod.getSignature({ path: '/x', operation: 'read' }).catch((e) => e)
  assert.match(String(error), /Access token is not set/)
}

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

test('the one-file entry of hosts that resolve only `default`', async () => {
  checkEntry(await import('../../pkg/dist/single/index.js'))
})

test('browser and bundler entry: the sandbox half loads on first use, then works as in one wasm', async () => {
  const mod = await import('../../pkg/dist/web/index.js')
  const node = await import('../../pkg/dist/node/index.mjs')
  // Before: the class and its statics, not yet its prototype's methods.
  assert.equal(mod.Sandbox.prototype.getInfo, undefined, 'the sandbox half is not loaded with the page')
  const generatedStatics = (cls) => Object.getOwnPropertyNames(cls).filter((k) => typeof cls[k] === 'function' && !k.startsWith('__')).sort()
  assert.deepEqual(generatedStatics(mod.Sandbox), generatedStatics(node.Sandbox), 'every static is there before the half loads')
  class MySandbox extends mod.Sandbox {}
  assert.throws(() => new mod.Sandbox({}), TypeError)
  // Each static returns what the generated one does: a promise, or a paginator at once.
  const closed = { apiKey: 'e2b_x', apiUrl: 'http://127.0.0.1:9', requestTimeoutMs: 2000 }
  const kind = (v) => {
    if (v instanceof Promise) return v.then(() => 'promise', () => 'promise')
    return typeof v?.nextItems === 'function' && typeof v.hasNext === 'boolean' ? `paginator ${v.constructor.name}` : typeof v
  }
  const kinds = async (cls) => Object.fromEntries(await Promise.all(generatedStatics(cls).map(async (k) => [k, await kind(cls[k](closed))])))
  assert.deepEqual(await kinds(mod.Sandbox), await kinds(node.Sandbox))
  const paginator = mod.Sandbox.list({ ...closed, nextToken: 'abc' })
  assert.equal(paginator.hasNext, true)
  assert.equal(paginator.nextToken, 'abc')
  assert.ok((await paginator.nextItems().catch((e) => e)) instanceof Error, 'its first page loads the half and asks the server')
  await loadSandboxHalf(mod)
  checkEntry(mod)
  // After: one class to users, its instances its own or their subclass's, and errors the shared ones.
  assert.deepEqual(Object.getOwnPropertyNames(mod.Sandbox.prototype), ['constructor'])
  const connection = { sandboxId: 'sbx', sandboxDomain: 'e2b.local', envdAccessToken: 'tok', envdVersion: '0.4.0' }
  const own = new MySandbox(connection)
  assert.ok(own instanceof MySandbox && own instanceof mod.Sandbox)
  assert.equal(own.sandboxId, 'sbx')
  assert.equal(own.constructor.name, 'MySandbox')
  assert.match(await own.downloadUrl('/a.txt'), /^https:\/\/49983-sbx\.e2b\.local\/files\?/)
  const refused = await mod.Sandbox.kill('sbx', { apiKey: 'e2b_x', apiUrl: 'http://127.0.0.1:9', requestTimeoutMs: 2000 }).catch((e) => e)
  assert.ok(refused instanceof Error)
  assert.match(refused.stack, /at Sandbox\.kill \(e2b-wasm\)\n\s+at .*entries\.test\.mjs/, 'the stack names the method and the caller')
  const invalid = await mod.Sandbox.create({ volumeMounts: { '/mnt': 42 }, apiKey: 'e2b_x', apiUrl: 'http://127.0.0.1:9' }).catch((e) => e)
  assert.ok(invalid instanceof mod.InvalidArgumentError, String(invalid))
})

test('errors from the wasm are the exported classes', async () => {
  const { Volume, InvalidArgumentError } = await import('../../pkg/dist/web/index.js')
  const err = await new Volume('v', 'n', 't').writeFile('/x', 42).catch((e) => e)
  assert.ok(err instanceof InvalidArgumentError, String(err))
})
