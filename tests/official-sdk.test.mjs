// Conformance: the official `e2b` package (a client nobody here wrote) drives e2b-local unchanged.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Volume, VolumeFileType, VolumeError, VolumeNotFoundError, VolumePathNotFoundError, AuthenticationError } from 'e2b'
import { startServer } from './support/e2b-local.mjs'

let server
let opts

before(async () => {
  server = await startServer()
  // The official SDK reaches a local server through these overrides, not debug mode.
  process.env.E2B_API_URL = server.url
  process.env.E2B_VOLUME_API_URL = server.url
  process.env.E2B_API_KEY = server.apiKey
  opts = { apiKey: server.apiKey, apiUrl: server.url }
})
after(() => server?.stop())

test('official SDK: volume lifecycle', async (t) => {
  const vol = await Volume.create('official-lifecycle', opts)
  await t.test('create', () => {
    assert.ok(vol instanceof Volume)
    assert.match(vol.volumeId, /^[0-9a-f-]{36}$/)
    assert.equal(vol.name, 'official-lifecycle')
    assert.ok(vol.token.length > 20)
  })

  await t.test('list and getInfo', async () => {
    const list = await Volume.list(opts)
    assert.ok(list.some((v) => v.volumeId === vol.volumeId && v.name === 'official-lifecycle'))

    const info = await Volume.getInfo(vol.volumeId, opts)
    assert.equal(info.volumeId, vol.volumeId)
    assert.equal(info.name, vol.name)
    assert.ok(info.token)
  })

  await t.test('connect', async () => {
    const again = await Volume.connect(vol.volumeId, opts)
    assert.equal(again.volumeId, vol.volumeId)
    await again.writeFile('/hello.txt', 'hi')
    assert.equal(await vol.readFile('/hello.txt'), 'hi')
  })

  await t.test('destroy, then not found; bad key and bad name', async () => {
    assert.equal(await Volume.destroy(vol.volumeId, opts), true)
    assert.equal(await Volume.destroy(vol.volumeId, opts), false)
    await assert.rejects(Volume.getInfo(vol.volumeId, opts), VolumeNotFoundError)
    await assert.rejects(Volume.connect(vol.volumeId, opts), (e) => e instanceof VolumeNotFoundError && e instanceof VolumeError)
    await assert.rejects(Volume.create('official-lifecycle-x', { ...opts, apiKey: 'e2b_0000' }), AuthenticationError)
    await assert.rejects(Volume.create('bad name', opts), (e) => e instanceof VolumeError && /400/.test(e.message))
  })
})

test('official SDK: every content operation', async (t) => {
  const vol = await Volume.create('official-content', opts)
  const bytes = new Uint8Array([0, 1, 2, 250, 255])
  try {
    await t.test('writeFile with every data kind', async () => {
      const s1 = await vol.writeFile('/data/text.txt', 'hello world', { force: true })
      assert.equal(s1.type, VolumeFileType.FILE)
      assert.equal(s1.size, 11)
      assert.equal(s1.mode, 0o666)
      assert.equal(s1.uid, 9090)
      assert.ok(s1.mtime instanceof Date && !Number.isNaN(s1.mtime.getTime()))
      await vol.writeFile('/data/buf.bin', bytes.buffer.slice(0))
      await vol.writeFile('/data/blob.bin', new Blob([bytes]))
      const stream = new ReadableStream({
        start(c) {
          c.enqueue(new Uint8Array([1, 2]))
          c.enqueue(new Uint8Array([3]))
          c.close()
        },
    })
    const s4 = await vol.writeFile('/data/stream.bin', stream, { mode: 0o640, uid: 1000, gid: 1000 })
    assert.equal(s4.size, 3)
    assert.equal(s4.mode, 0o640)
    assert.equal(s4.uid, 1000)
    await vol.writeFile('/data/empty.txt', '')
    })

    await t.test('readFile in every format', async () => {
      assert.equal(await vol.readFile('/data/text.txt'), 'hello world')
      assert.equal(await vol.readFile('/data/text.txt', { format: 'text' }), 'hello world')
      assert.deepEqual(await vol.readFile('/data/buf.bin', { format: 'bytes' }), bytes)
      const blob = await vol.readFile('/data/blob.bin', { format: 'blob' })
      assert.deepEqual(new Uint8Array(await blob.arrayBuffer()), bytes)
      const rs = await vol.readFile('/data/stream.bin', { format: 'stream' })
      const chunks = []
      for await (const c of rs) chunks.push(...c)
      assert.deepEqual(chunks, [1, 2, 3])
      assert.equal(await vol.readFile('/data/empty.txt'), '')
    })

    await t.test('overwrite needs force', async () => {
      await assert.rejects(vol.writeFile('/data/text.txt', 'nope'), (e) => e instanceof VolumeError && /409/.test(e.message))
      await vol.writeFile('/data/text.txt', 'replaced', { force: true })
      assert.equal(await vol.readFile('/data/text.txt'), 'replaced')
    })

    await t.test('makeDir with and without force', async () => {
      const d = await vol.makeDir('/dirs/a')
        .then(() => assert.fail('parent missing'))
        .catch((e) => e)
      assert.ok(d instanceof VolumePathNotFoundError, String(d))
      const made = await vol.makeDir('/dirs/a/b', { force: true, mode: 0o750 })
      assert.equal(made.type, VolumeFileType.DIRECTORY)
      assert.equal(made.mode, 0o750)
      await assert.rejects(vol.makeDir('/dirs/a/b'), (e) => e instanceof VolumeError && /409/.test(e.message))
      assert.equal((await vol.makeDir('/dirs/a/b', { force: true })).path, '/dirs/a/b')
    })

    await t.test('list at depth 1 and 2', async () => {
      const one = await vol.list('/')
      assert.deepEqual(one.map((e) => e.path), ['/data', '/dirs'])
      const two = await vol.list('/', { depth: 2 })
      assert.deepEqual(two.map((e) => e.path), [
        '/data', '/data/blob.bin', '/data/buf.bin', '/data/empty.txt', '/data/stream.bin', '/data/text.txt', '/dirs', '/dirs/a',
      ])
      assert.ok(two.every((e) => e.atime instanceof Date))
    })

    await t.test('stat, exists, metadata', async () => {
      const st = await vol.getInfo('/data/buf.bin')
      assert.equal(st.name, 'buf.bin')
      assert.equal(st.size, 5)
      assert.equal(await vol.exists('/data/buf.bin'), true)
      assert.equal(await vol.exists('/nope'), false)
      const up = await vol.updateMetadata('/data/buf.bin', { mode: 0o600, uid: 1001, gid: 1002 })
      assert.deepEqual([up.mode, up.uid, up.gid], [0o600, 1001, 1002])
    })

    await t.test('remove', async () => {
      await vol.remove('/dirs')
      assert.equal(await vol.exists('/dirs/a/b'), false)
    })

    await t.test('errors', async () => {
      await assert.rejects(vol.readFile('/missing.txt'), (e) => e instanceof VolumePathNotFoundError && e.message === 'Path /missing.txt not found')
      await assert.rejects(vol.getInfo('/missing'), VolumePathNotFoundError)
      await assert.rejects(vol.list('/missing'), VolumePathNotFoundError)
      await assert.rejects(vol.remove('/missing'), VolumePathNotFoundError)
      await assert.rejects(vol.updateMetadata('/missing', { mode: 0o600 }), VolumePathNotFoundError)
      await assert.rejects(vol.list('/', { depth: 11 }), (e) => e instanceof VolumeError && /400/.test(e.message))
      await assert.rejects(vol.remove('/'), (e) => e instanceof VolumeError && /cannot delete root/.test(e.message))
      const stranger = new Volume(vol.volumeId, vol.name, 'not-a-token')
      await assert.rejects(stranger.getInfo('/'), AuthenticationError)
    })
  } finally {
    await Volume.destroy(vol.volumeId, opts)
  }
})
