// e2b-wasm's Volume API in Node (ESM), from the packed tarball, against a real e2b-local.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import {
  Volume, VolumeFileType, VolumeError, VolumeNotFoundError, VolumePathNotFoundError,
  AuthenticationError, TimeoutError, SandboxError, InvalidArgumentError,
} from 'e2b-wasm'
import { startServer } from './support/e2b-local.mjs'

let server
let opts
before(async () => {
  server = await startServer()
  opts = { apiKey: server.apiKey, apiUrl: server.url }
})
after(() => server?.stop())

const text = (bytes) => new TextDecoder().decode(bytes)

test('volume lifecycle: create, list, getInfo, connect, destroy', async (t) => {
  const vol = await Volume.create('lifecycle', opts)
  await t.test('create', () => {
    assert.ok(vol instanceof Volume)
    assert.match(vol.volumeId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    assert.equal(vol.name, 'lifecycle')
    assert.equal(vol.token.split('.').length, 3)
    assert.equal(vol.domain, 'e2b.app', 'the config domain, as the official SDK')
  })

  await t.test('list', async () => {
    const all = await Volume.list(opts)
    assert.deepEqual(all.find((v) => v.volumeId === vol.volumeId), { volumeId: vol.volumeId, name: 'lifecycle' })
  })

  await t.test('getInfo gives a fresh token', async () => {
    const info = await Volume.getInfo(vol.volumeId, opts)
    assert.deepEqual(Object.keys(info).sort(), ['domain', 'name', 'token', 'volumeId'])
    assert.equal(info.domain, undefined)
    assert.equal(info.name, 'lifecycle')
    assert.notEqual(info.token, vol.token, 'a fresh token')
  })

  await t.test('connect', async () => {
    const again = await Volume.connect(vol.volumeId, opts)
    assert.equal(again.volumeId, vol.volumeId)
    await again.writeFile('/a.txt', 'from connect')
    assert.equal(await vol.readFile('/a.txt'), 'from connect')
    assert.equal(again.proxy, undefined)
  })

  await t.test('the proxy option is used (proxy.test.mjs): one on a closed port fails the call', async () => {
    const failed = await Volume.connect(vol.volumeId, { ...opts, proxy: 'http://127.0.0.1:9' }).catch((e) => e)
    assert.ok(failed instanceof TypeError, String(failed))
  })

  await t.test('destroy, then the volume is not found', async () => {
    assert.equal(await Volume.destroy(vol.volumeId, opts), true)
    assert.equal(await Volume.destroy(vol.volumeId, opts), false)
    const missing = await Volume.getInfo(vol.volumeId, opts).catch((e) => e)
    assert.ok(missing instanceof VolumeNotFoundError && missing instanceof VolumeError && missing instanceof Error)
    assert.equal(missing.name, 'VolumeNotFoundError')
    assert.equal(missing.message, `Volume ${vol.volumeId} not found`)
    await assert.rejects(Volume.connect(vol.volumeId, opts), VolumeNotFoundError)
  })
})

test('new Volume() makes no call and works with a known token', async () => {
  const made = await Volume.create('constructed', opts)
  const local = new Volume(made.volumeId, made.name, made.token)
  assert.equal(local.domain, undefined)
  await local.writeFile('/x', 'y', { apiUrl: server.url })
  assert.equal(await made.readFile('/x'), 'y')
  const bogus = new Volume('00000000-0000-4000-8000-000000000000', 'n', 'bad-token')
  const err = await bogus.getInfo('/', { apiUrl: server.url }).catch((e) => e)
  assert.ok(err instanceof AuthenticationError, String(err))
  assert.match(err.message, /^Unauthorized, please check your credentials\. - /)
  await Volume.destroy(made.volumeId, opts)
})

test('options are read however they are made: getters on a class, no prototype, undefined values, a per-call token', async () => {
  const vol = await Volume.create('option-shapes', opts)
  await vol.writeFile('/o.txt', 'abc')
  class ReadOpts {
    get format() { return 'bytes' }
  }
  assert.deepEqual([...(await vol.readFile('/o.txt', new ReadOpts()))], [97, 98, 99])
  const orphan = Object.assign(Object.create(null), { format: 'blob' })
  assert.equal(await (await vol.readFile('/o.txt', orphan)).text(), 'abc')
  const inherited = Object.create({ format: 'bytes' })
  assert.ok((await vol.readFile('/o.txt', inherited)) instanceof Uint8Array, 'an inherited option is read')
  const unset = { format: undefined, signal: undefined, requestTimeoutMs: undefined, headers: null }
  assert.equal(await vol.readFile('/o.txt', unset), 'abc')
  assert.equal(await vol.readFile('/o.txt', { format: '' }), 'abc', 'an empty format is the default')
  const bad = await vol.readFile('/o.txt', { format: 'xml' }).catch((e) => e)
  assert.ok(bad instanceof InvalidArgumentError, String(bad))
  assert.match(bad.message, /Unsupported format 'xml'/)
  const err = await vol.readFile('/o.txt', { token: 'not-this-volume' }).catch((e) => e)
  assert.ok(err instanceof AuthenticationError, String(err))
  // The volume's own token is untouched by a call that named another.
  assert.equal(await vol.readFile('/o.txt'), 'abc')
  await Volume.destroy(vol.volumeId, opts)
})

test('control-plane errors', async (t) => {
  await t.test('a taken name', async () => {
    await Volume.create('dup', opts)
    const dup = await Volume.create('dup', opts).catch((e) => e)
    assert.ok(dup instanceof VolumeError)
    assert.equal(dup.message, "400: Volume with name 'dup' already exists")
  })
  await t.test('an invalid name', async () => {
    const bad = await Volume.create('no spaces', opts).catch((e) => e)
    assert.equal(bad.message, '400: Invalid volume name')
  })
  await t.test('a wrong key', async () => {
    const auth = await Volume.list({ ...opts, apiKey: 'e2b_bad' }).catch((e) => e)
    assert.ok(auth instanceof AuthenticationError && !(auth instanceof SandboxError))
  })
  await t.test('no key at all', async () => {
    const saved = process.env.E2B_API_KEY
    delete process.env.E2B_API_KEY
    try {
      const nokey = await Volume.list({ apiUrl: server.url }).catch((e) => e)
      assert.ok(nokey instanceof AuthenticationError)
      assert.match(nokey.message, /API key is required/)
    } finally {
      if (saved !== undefined) process.env.E2B_API_KEY = saved
    }
  })
  await t.test('an invalid volume ID', async () => {
    await assert.rejects(Volume.getInfo('not-a-uuid', opts), (e) => e instanceof VolumeError && e.message === '400: Invalid volume ID')
  })
})

test('environment variables configure Node', async () => {
  const saved = { ...process.env }
  process.env.E2B_API_KEY = server.apiKey
  process.env.E2B_API_URL = server.url
  process.env.E2B_VOLUME_API_URL = server.url
  try {
    const vol = await Volume.create('from-env')
    const local = new Volume(vol.volumeId, vol.name, vol.token)
    await local.writeFile('/env.txt', 'env')
    assert.equal(await local.readFile('/env.txt'), 'env')
    assert.equal(await Volume.destroy(vol.volumeId), true)
  } finally {
    for (const k of ['E2B_API_KEY', 'E2B_API_URL', 'E2B_VOLUME_API_URL']) {
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
    }
  }
})

test('every content operation and format', async (t) => {
  const vol = await Volume.create('content', opts)
  const bytes = new Uint8Array([0, 1, 2, 128, 255])

  await t.test('writeFile accepts every data kind', async () => {
    const s = await vol.writeFile('/docs/readme.md', '# hi', { force: true })
    assert.deepEqual([s.name, s.type, s.path, s.size, s.mode, s.uid, s.gid], ['readme.md', VolumeFileType.FILE, '/docs/readme.md', 4, 0o666, 9090, 9090])
    for (const t of ['atime', 'mtime', 'ctime']) assert.ok(s[t] instanceof Date && !Number.isNaN(+s[t]))
    assert.equal(s.target, undefined)

    await vol.writeFile('/bin/ab.bin', bytes.buffer.slice(0), { force: true })
    await vol.writeFile('/bin/u8.bin', bytes)
    await vol.writeFile('/bin/view.bin', new DataView(bytes.buffer))
    await vol.writeFile('/bin/blob.bin', new Blob([bytes]))
    const streamed = await vol.writeFile('/bin/stream.bin', new Blob([bytes]).stream(), { mode: 0o600, uid: 1, gid: 2 })
    assert.deepEqual([streamed.size, streamed.mode, streamed.uid, streamed.gid], [5, 0o600, 1, 2])
    const empty = await vol.writeFile('/empty', '')
    assert.equal(empty.size, 0)
  })

  await t.test('readFile in every format', async () => {
    for (const p of ['ab', 'u8', 'view', 'blob', 'stream']) {
      assert.deepEqual(await vol.readFile(`/bin/${p}.bin`, { format: 'bytes' }), bytes, p)
    }
    assert.equal(await vol.readFile('/docs/readme.md'), '# hi')
    assert.equal(await vol.readFile('/docs/readme.md', { format: 'text' }), '# hi')
    const blob = await vol.readFile('/bin/u8.bin', { format: 'blob' })
    assert.ok(blob instanceof Blob)
    assert.deepEqual(new Uint8Array(await blob.arrayBuffer()), bytes)
    const stream = await vol.readFile('/bin/u8.bin', { format: 'stream' })
    assert.ok(stream instanceof ReadableStream)
    const got = []
    for await (const chunk of stream) got.push(...chunk)
    assert.deepEqual(new Uint8Array(got), bytes)
    assert.equal(await vol.readFile('/empty'), '')
    assert.deepEqual(await vol.readFile('/empty', { format: 'bytes' }), new Uint8Array())
    assert.equal((await vol.readFile('/empty', { format: 'blob' })).size, 0)
    let emptyChunks = 0
    for await (const c of await vol.readFile('/empty', { format: 'stream' })) emptyChunks += c.length
    assert.equal(emptyChunks, 0)
    assert.equal(await vol.readFile('/docs/readme.md', { format: 'text', requestTimeoutMs: 0 }), '# hi')
    await assert.rejects(vol.readFile('/empty', { format: 'json' }), InvalidArgumentError)
    await assert.rejects(vol.writeFile('/bad', 42), InvalidArgumentError)
  })

  await t.test('overwriting requires force, which resets owner and mode', async () => {
    const conflict = await vol.writeFile('/docs/readme.md', 'no').catch((e) => e)
    assert.ok(conflict instanceof VolumeError && conflict.message.startsWith('409: '))
    await vol.updateMetadata('/docs/readme.md', { mode: 0o600 })
    const over = await vol.writeFile('/docs/readme.md', 'yes', { force: true })
    assert.equal(over.mode, 0o666)
    assert.equal(await vol.readFile('/docs/readme.md'), 'yes')
  })

  await t.test('directories', async () => {
    const nf = await vol.makeDir('/a/b').catch((e) => e)
    assert.ok(nf instanceof VolumePathNotFoundError)
    assert.equal(nf.message, 'Path /a/b not found')
    const dir = await vol.makeDir('/a/b/c', { force: true, mode: 0o750, uid: 1000, gid: 1000 })
    assert.deepEqual([dir.type, dir.mode, dir.uid], ['directory', 0o750, 1000])
    await assert.rejects(vol.makeDir('/a/b/c'), (e) => e instanceof VolumeError && e.message.startsWith('409: '))
    assert.equal((await vol.makeDir('/a/b/c', { force: true })).mode, 0o750)
  })

  await t.test('listing', async () => {
    assert.deepEqual((await vol.list('/')).map((e) => e.path), ['/a', '/bin', '/docs', '/empty'])
    assert.deepEqual((await vol.list('/', { depth: 2 })).map((e) => e.path), [
      '/a', '/a/b', '/bin', '/bin/ab.bin', '/bin/blob.bin', '/bin/stream.bin', '/bin/u8.bin', '/bin/view.bin', '/docs', '/docs/readme.md', '/empty',
    ])
    assert.ok((await vol.list('/a', { depth: 3 })).every((e) => e.mtime instanceof Date))
    await assert.rejects(vol.list('/', { depth: 11 }), (e) => e instanceof VolumeError && e.message === '400: depth must be between 1 and 10')
    await assert.rejects(vol.list('/missing'), VolumePathNotFoundError)
  })

  await t.test('stat, exists and metadata', async () => {
    const info = await vol.getInfo('/bin/u8.bin')
    assert.deepEqual([info.name, info.size, info.type], ['u8.bin', 5, 'file'])
    assert.equal((await vol.getInfo('/')).name, '/')
    assert.equal(await vol.exists('/bin/u8.bin'), true)
    assert.equal(await vol.exists('/bin/nope'), false)
    const meta = await vol.updateMetadata('/bin/u8.bin', { uid: 7, gid: 8, mode: 0o640 })
    assert.deepEqual([meta.uid, meta.gid, meta.mode], [7, 8, 0o640])
    assert.equal((await vol.updateMetadata('/bin/u8.bin', {})).uid, 7)
    await assert.rejects(vol.updateMetadata('/nope', { mode: 1 }), VolumePathNotFoundError)
    await assert.rejects(vol.updateMetadata('/bin/u8.bin', { mode: -1 }), (e) => e instanceof VolumeError && e.message.startsWith('400: '))
  })

  await t.test('removal', async () => {
    assert.equal(await vol.remove('/a'), undefined)
    assert.equal(await vol.exists('/a/b/c'), false)
    await assert.rejects(vol.remove('/a'), VolumePathNotFoundError)
    await assert.rejects(vol.remove('/'), (e) => e instanceof VolumeError && e.message === '400: cannot delete root')
    await assert.rejects(vol.readFile('/nope.txt'), (e) => e instanceof VolumePathNotFoundError && e.name === 'VolumePathNotFoundError')
  })
  await Volume.destroy(vol.volumeId, opts)
})

test('headers, query encoding and a logger', async () => {
  const vol = await Volume.create('wire', opts)
  const lines = []
  const logger = { info: (m) => lines.push(m), error: (m) => lines.push(m) }
  await vol.writeFile('/dir with space/ü & ?.txt', 'odd', { force: true, logger, headers: { 'x-extra': '1' } })
  assert.equal(await vol.readFile('/dir with space/ü & ?.txt'), 'odd')
  assert.deepEqual((await vol.list('/dir with space')).map((e) => e.name), ['ü & ?.txt'])
  assert.ok(lines.some((l) => /^Request PUT .*\/file\?path=%2Fdir%20with%20space%2F%C3%BC%20%26%20%3F\.txt&force=true$/.test(l)), lines.join('\n'))
  assert.ok(lines.some((l) => l.startsWith('Response 201 PUT')))
  await Volume.destroy(vol.volumeId, opts)
})

/** A loopback peer that accepts connections and never answers. */
async function silentPeer() {
  const sockets = new Set()
  const srv = net.createServer((s) => sockets.add(s))
  await new Promise((r) => srv.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${srv.address().port}`,
    close: () => { for (const s of sockets) s.destroy(); srv.close() },
  }
}

/** The URL of a loopback port that was just closed. */
async function closedUrl() {
  const closed = net.createServer()
  await new Promise((r) => closed.listen(0, '127.0.0.1', r))
  const port = closed.address().port
  await new Promise((r) => closed.close(r))
  return `http://127.0.0.1:${port}`
}


test('timeouts and AbortSignal', async (t) => {
  const peer = await silentPeer()
  const vol = new Volume('00000000-0000-4000-8000-000000000000', 'n', 't')
  try {
    await t.test('requestTimeoutMs on a control-plane call', async () => {
      const t0 = Date.now()
      const err = await Volume.list({ apiKey: server.apiKey, apiUrl: peer.url, requestTimeoutMs: 200 }).catch((e) => e)
      assert.ok(err instanceof TimeoutError && err instanceof SandboxError, String(err))
      assert.equal(err.name, 'TimeoutError')
      assert.ok(Date.now() - t0 < 5000)
    })

    // The peer never answers: each call ends only because its fetch was aborted.
    await t.test('requestTimeoutMs on a content call', async () => {
      const readErr = await vol.readFile('/x', { apiUrl: peer.url, requestTimeoutMs: 150 }).catch((e) => e)
      assert.ok(readErr instanceof TimeoutError, String(readErr))
    })

    await t.test('a signal aborted during the call', async () => {
      const ac = new AbortController()
      setTimeout(() => ac.abort(), 100)
      const aborted = await vol.getInfo('/x', { apiUrl: peer.url, signal: ac.signal }).catch((e) => e)
      assert.equal(aborted.name, 'AbortError', String(aborted))
      assert.ok(!(aborted instanceof TimeoutError))
    })

    await t.test('a signal aborted before the call, with its reason', async () => {
      const already = AbortSignal.abort(new Error('stop'))
      await assert.rejects(Volume.list({ ...opts, signal: already }), /stop/)
    })
  } finally {
    peer.close()
  }
  await t.test("a closed loopback port: the platform's network error comes through", async () => {
    await assert.rejects(Volume.list({ apiKey: server.apiKey, apiUrl: await closedUrl() }), TypeError)
  })
})

test('content URLs: trailing slashes, E2B_VOLUME_API_URL over the volume\'s URL, paths that are not strings or not Unicode', async () => {
  const vol = await Volume.create('urls', opts)
  await vol.writeFile('/u.txt', 'u')
  assert.equal(await vol.readFile('/u.txt', { apiUrl: `${server.url}///` }), 'u')
  const saved = process.env.E2B_VOLUME_API_URL
  process.env.E2B_VOLUME_API_URL = await closedUrl()
  try {
    await assert.rejects(vol.readFile('/u.txt'), TypeError, 'the environment beats the URL the volume was made with')
    assert.equal(await vol.readFile('/u.txt', { apiUrl: server.url }), 'u', 'the option beats the environment')
    process.env.E2B_VOLUME_API_URL = ''
    assert.equal(await vol.readFile('/u.txt'), 'u', 'an empty variable counts as unset')
  } finally {
    if (saved === undefined) delete process.env.E2B_VOLUME_API_URL
    else process.env.E2B_VOLUME_API_URL = saved
  }
  const notText = await vol.getInfo(42).catch((e) => e)
  assert.ok(notText instanceof InvalidArgumentError, String(notText))
  assert.equal(notText.message, 'path must be a string')
  // A lone surrogate cannot be encoded: the official SDK's encodeURIComponent throws URIError too.
  await assert.rejects(vol.getInfo('/bad\uD800'), URIError)
  await Volume.destroy(vol.volumeId, opts)
})

test('a stream that stalls ends with TimeoutError after streamIdleTimeoutMs', async () => {
  // A loopback peer that sends headers and one chunk, then nothing.
  const { createServer } = await import('node:http')
  const stall = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' })
    res.write('first chunk')
  })
  await new Promise((r) => stall.listen(0, '127.0.0.1', r))
  try {
    const vol = new Volume('00000000-0000-4000-8000-000000000000', 'n', 't')
    const url = `http://127.0.0.1:${stall.address().port}`
    const stream = await vol.readFile('/x', { format: 'stream', apiUrl: url, streamIdleTimeoutMs: 200 })
    const reader = stream.getReader()
    const first = await reader.read()
    assert.equal(new TextDecoder().decode(first.value), 'first chunk')
    const t0 = Date.now()
    const err = await reader.read().catch((e) => e)
    assert.ok(err instanceof TimeoutError, String(err))
    assert.ok(Date.now() - t0 < 3000)
  } finally {
    stall.closeAllConnections()
    stall.close()
  }
})

test('a stream can be cancelled through the signal while it is read', async () => {
  const vol = await Volume.create('cancel', opts)
  await vol.writeFile('/big', new Uint8Array(8 * 1024 * 1024))
  const ac = new AbortController()
  const stream = await vol.readFile('/big', { format: 'stream', signal: ac.signal })
  const reader = stream.getReader()
  await reader.read()
  ac.abort()
  await assert.rejects(async () => { for (;;) { const { done } = await reader.read(); if (done) break } }, (e) => e.name === 'AbortError')
  await Volume.destroy(vol.volumeId, opts)
})

test('256 MiB streamed each way', async () => {
  const vol = await Volume.create('big-stream', opts)
  const CHUNK = 1024 * 1024
  const TOTAL = 256
  let sent = 0
  const source = new ReadableStream({
    pull(c) {
      if (sent === TOTAL) return c.close()
      c.enqueue(new Uint8Array(CHUNK).fill(sent % 251))
      sent++
    },
  })
  const up = await vol.writeFile('/big.bin', source)
  assert.equal(up.size, CHUNK * TOTAL)
  const down = await vol.readFile('/big.bin', { format: 'stream' })
  let received = 0
  for await (const chunk of down) {
    const first = Math.floor(received / CHUNK) % 251
    assert.equal(chunk[0], first)
    received += chunk.length
  }
  assert.equal(received, CHUNK * TOTAL)
  await Volume.destroy(vol.volumeId, opts)
})

test('a streamed upload fails cleanly on a redirect, and is not sent on', async () => {
  // A loopback peer that answers every request with a redirect to the real server.
  const { createServer } = await import('node:http')
  let redirected = 0
  const hop = createServer((req, res) => {
    redirected++
    req.resume()
    res.writeHead(307, { location: `${server.url}${req.url}` })
    res.end()
  })
  await new Promise((r) => hop.listen(0, '127.0.0.1', r))
  const vol = await Volume.create('redirects', opts)
  try {
    const stream = new ReadableStream({
      pull(c) {
        c.enqueue(new Uint8Array(64 * 1024).fill(1))
        c.close()
      },
    })
    const err = await vol.writeFile('/streamed.bin', stream, { apiUrl: `http://127.0.0.1:${hop.address().port}` }).catch((e) => e)
    assert.ok(err instanceof TypeError, String(err))
    assert.equal(redirected, 1)
    assert.equal(await vol.exists('/streamed.bin'), false, 'nothing was written')
  } finally {
    hop.closeAllConnections()
    hop.close()
    await Volume.destroy(vol.volumeId, opts)
  }
})

test("a streamed upload that ends early stops reading the caller's stream, and the process runs on", async () => {
  // In a child process, so that a blocked event loop (what Node's fetch alone does after an abort)
  // fails this test instead of hanging the suite.
  const child = `
    import { Volume } from 'e2b-wasm'
    const opts = { apiKey: process.env.KEY, apiUrl: process.env.URL }
    const vol = await Volume.create('early-end-' + process.pid, opts)
    const endless = () => {
      const s = { pulls: 0, cancelled: undefined }
      s.stream = new ReadableStream({
        pull(c) { s.pulls++; c.enqueue(new Uint8Array(64 * 1024)) },
        cancel(reason) { s.cancelled = String(reason?.message ?? reason) },
      })
      return s
    }
    const tick = () => new Promise((r) => setTimeout(() => r(true), 50))
    const out = {}
    // The caller aborts midway.
    const a = endless()
    const ac = new AbortController()
    const reason = new Error('enough')
    const aborting = setInterval(() => a.pulls > 20 && ac.abort(reason), 5)
    const err = await vol.writeFile('/a.bin', a.stream, { signal: ac.signal }).catch((e) => e)
    clearInterval(aborting)
    out.aborted = { rejected: err === reason, cancelled: a.cancelled, pulls: a.pulls, ticks: await tick() }
    out.aborted.pullsLater = a.pulls
    // The server answers before the body is read: the file exists and force is not set.
    await vol.writeFile('/b.bin', 'here')
    const b = endless()
    const refused = await vol.writeFile('/b.bin', b.stream).catch((e) => e)
    out.refused = { rejected: refused instanceof Error, cancelled: b.cancelled, ticks: await tick() }
    await Volume.destroy(vol.volumeId, opts)
    console.log(JSON.stringify(out))
  `
  const { execFile } = await import('node:child_process')
  const { dirname } = await import('node:path')
  const { fileURLToPath } = await import('node:url')
  const stdout = await new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', child], {
      cwd: dirname(fileURLToPath(import.meta.url)),
      env: { ...process.env, URL: server.url, KEY: server.apiKey },
      timeout: 30_000,
    }, (err, out, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(out)))
  })
  const out = JSON.parse(stdout.trim().split('\n').at(-1))
  assert.equal(out.aborted.rejected, true, 'rejects with the abort reason')
  assert.equal(out.aborted.cancelled, 'enough', "the caller's stream is cancelled with it")
  assert.equal(out.aborted.ticks, true, 'timers still run')
  assert.equal(out.aborted.pullsLater, out.aborted.pulls, 'and nothing more is read')
  // Node's fetch may report the refusal as its own network error: the server closed the connection
  // on the body it did not want.
  assert.equal(out.refused.rejected, true)
  assert.ok(out.refused.cancelled, "the caller's stream is cancelled once the answer came")
  assert.equal(out.refused.ticks, true)
})
