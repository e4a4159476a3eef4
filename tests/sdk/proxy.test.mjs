// The `proxy` option in Node: every request of a volume or sandbox made with it (control plane,
// volume content, envd) goes through that HTTP proxy, as with the official SDK. The proxy here is a
// loopback CONNECT proxy that tunnels to loopback only and counts what it carries.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import net from 'node:net'
import { Sandbox, Volume } from 'e2b-wasm'
import { startServer } from './support/e2b-local.mjs'

/** A CONNECT proxy on a loopback port: counts tunnels and the bytes sent up through them. */
async function startProxy() {
  const stats = { tunnels: 0, up: 0, targets: new Set() }
  const sockets = new Set()
  const proxy = createServer((req, res) => res.writeHead(405).end('CONNECT only'))
  proxy.on('connect', (req, client, head) => {
    const { hostname, port } = new URL(`http://${req.url}`)
    if (hostname !== '127.0.0.1' && hostname !== 'localhost') {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n')
      return
    }
    stats.tunnels += 1
    stats.targets.add(req.url)
    const upstream = net.connect(Number(port), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length) upstream.write(head)
      client.on('data', (chunk) => { stats.up += chunk.length })
      client.pipe(upstream).pipe(client)
    })
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => { client.destroy(); upstream.destroy() })
    }
  })
  await new Promise((r) => proxy.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${proxy.address().port}`,
    stats,
    close: () => {
      for (const s of sockets) s.destroy()
      return new Promise((r) => proxy.close(r))
    },
  }
}

let server
let proxy
let opts
before(async () => {
  server = await startServer()
  proxy = await startProxy()
  opts = { apiKey: server.apiKey, apiUrl: server.url, sandboxUrl: server.url }
})
after(async () => {
  await proxy?.close()
  await server?.stop()
})

const payload = (n) => new Uint8Array(n).fill(7)

test('a volume made with a proxy sends its control-plane and content calls through it', async () => {
  const before = proxy.stats.up
  const vol = await Volume.create('through-proxy', { ...opts, proxy: proxy.url })
  try {
    assert.equal(vol.proxy, proxy.url)
    assert.ok(proxy.stats.up > before, 'Volume.create went through the proxy')
    assert.deepEqual([...proxy.stats.targets], [new URL(server.url).host])

    const up = proxy.stats.up
    await vol.writeFile('/big.bin', payload(256 * 1024))
    assert.ok(proxy.stats.up - up >= 256 * 1024, 'the upload went through the proxy')
    const back = await vol.readFile('/big.bin', { format: 'bytes' })
    assert.equal(back.length, 256 * 1024)
    const listed = await vol.list('/')
    assert.deepEqual(listed.map((e) => e.name), ['big.bin'])
  } finally {
    await Volume.destroy(vol.volumeId, opts)
  }
})

test('a per-call proxy applies to that call; a volume without one goes direct', async () => {
  const vol = await Volume.create('direct', opts)
  try {
    assert.equal(vol.proxy, undefined)
    const before = proxy.stats.up
    await vol.writeFile('/direct.bin', payload(64 * 1024))
    assert.equal(proxy.stats.up, before, 'no proxy, no traffic through it')
    await vol.writeFile('/proxied.bin', payload(64 * 1024), { proxy: proxy.url })
    assert.ok(proxy.stats.up - before >= 64 * 1024, 'the call with a proxy went through it')
  } finally {
    await Volume.destroy(vol.volumeId, opts)
  }
})

test('a sandbox made with a proxy sends its control-plane and envd calls through it', async () => {
  const before = proxy.stats.up
  const sandbox = await Sandbox.create({ ...opts, proxy: proxy.url })
  try {
    assert.ok(proxy.stats.up > before, 'Sandbox.create went through the proxy')
    const up = proxy.stats.up
    await sandbox.files.write('/tmp/through.bin', payload(128 * 1024))
    assert.ok(proxy.stats.up - up >= 128 * 1024, 'files.write went through the proxy')
    const run = await sandbox.commands.run('wc -c < /tmp/through.bin')
    assert.equal(run.stdout.trim(), String(128 * 1024))
  } finally {
    await sandbox.kill()
  }
})

test('a proxy that refuses connections fails the call with the platform fetch error', async () => {
  const closed = net.createServer()
  await new Promise((r) => closed.listen(0, '127.0.0.1', r))
  const port = closed.address().port
  await new Promise((r) => closed.close(r))
  const failed = await Volume.create('never', { ...opts, proxy: `http://127.0.0.1:${port}` }).catch((e) => e)
  assert.ok(failed instanceof TypeError, String(failed))
  assert.deepEqual((await Volume.list(opts)).filter((v) => v.name === 'never'), [], 'nothing was made')
})

test('without undici installed, a proxied call fails with an error that says what to install', async () => {
  // A copy of the installed package in a folder of its own, where no undici can be found.
  const { cpSync, mkdtempSync, rmSync, writeFileSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const { join } = await import('node:path')
  const { createRequire } = await import('node:module')
  const { execFileSync } = await import('node:child_process')
  const installed = join(createRequire(import.meta.url).resolve('e2b-wasm'), '..', '..', '..')
  const dir = mkdtempSync(join(tmpdir(), 'e2b-wasm-no-undici-'))
  try {
    cpSync(installed, join(dir, 'node_modules', 'e2b-wasm'), { recursive: true })
    writeFileSync(join(dir, 'main.mjs'), `
      import { Volume } from 'e2b-wasm'
      const failed = await Volume.list(${JSON.stringify({ ...opts, proxy: proxy.url })}).catch((e) => e)
      console.log(JSON.stringify({ name: failed.name, message: failed.message }))`)
    const out = JSON.parse(execFileSync(process.execPath, [join(dir, 'main.mjs')], { encoding: 'utf8' }))
    assert.deepEqual(out, {
      name: 'Error',
      message: "The 'proxy' option needs the 'undici' package in Node (npm install undici)",
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
