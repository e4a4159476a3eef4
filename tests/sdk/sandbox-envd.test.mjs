// e2b-wasm's sandbox.files, sandbox.commands and sandbox.pty beyond the basics, in Node, from the
// packed tarball, against a real e2b-local: watching directories, terminals, connecting to running
// commands, multi-file and gzip writes, metadata, signed URLs, and the errors of bad input.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  Sandbox, CommandExitError, SandboxError, SandboxNotFoundError, FileNotFoundError, NotFoundError,
  InvalidArgumentError, TimeoutError,
} from 'e2b-wasm'
import { startServer } from './support/e2b-local.mjs'

let server
let opts
let sandbox
before(async () => {
  server = await startServer()
  opts = { apiKey: server.apiKey, apiUrl: server.url, sandboxUrl: server.url }
  sandbox = await Sandbox.create(opts)
})
after(async () => {
  await sandbox?.kill().catch(() => {})
  await server?.stop()
})

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
/** Waits until `check()` is true, or fails after `ms`. */
async function until(check, ms = 5000, what = 'condition') {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`)
    await sleep(25)
  }
}
const text = (chunks) => new TextDecoder().decode(Buffer.concat(chunks.map((c) => Buffer.from(c))))

test('files.watchDir', async (t) => {
  await sandbox.files.makeDir('/home/user/w')

  await t.test('events of writes, creations and removals, recursively, with entries', async () => {
    const seen = []
    let exited
    const handle = await sandbox.files.watchDir('/home/user/w', (e) => { seen.push(e) }, {
      recursive: true, includeEntry: true, onExit: (err) => { exited = err ?? null },
    })
    await sandbox.files.write('/home/user/w/a.txt', 'x')
    await sandbox.commands.run('mkdir -p /home/user/w/d && echo y > /home/user/w/d/b && rm /home/user/w/a.txt')
    await until(() => seen.some((e) => e.name === 'a.txt' && e.type === 'remove'), 5000, 'the remove event')
    assert.ok(seen.some((e) => e.name === 'a.txt' && e.type === 'write'), JSON.stringify(seen))
    assert.ok(seen.some((e) => e.name === 'd/b' && e.type === 'create'), JSON.stringify(seen))
    const created = seen.find((e) => e.name === 'd' && e.type === 'create')
    assert.equal(created?.entry?.type, 'dir')
    assert.equal(created?.entry?.path, '/home/user/w/d')
    assert.equal(exited, undefined, 'onExit waits for the end')
    await handle.stop()
    await until(() => exited !== undefined, 2000, 'onExit')
    // As the official SDK reports a stop: a canceled stream.
    assert.ok(exited instanceof TimeoutError, String(exited))
    assert.match(exited.message, /^\[canceled\]/)
    const count = seen.length
    await sandbox.files.write('/home/user/w/after-stop.txt', 'x')
    await sleep(300)
    assert.equal(seen.length, count, 'no event after stop')
  })

  await t.test('not recursive by default; events are awaited one at a time, in order', async () => {
    const names = []
    let busy = false
    const handle = await sandbox.files.watchDir('/home/user/w', async (e) => {
      assert.equal(busy, false, 'one callback at a time')
      busy = true
      await sleep(20)
      names.push(e.name)
      busy = false
    })
    await sandbox.commands.run('for i in 1 2 3; do echo $i > /home/user/w/n$i; done; echo z > /home/user/w/d/deep')
    await until(() => names.includes('n3'), 5000, 'n3')
    await sleep(200)
    assert.deepEqual([...new Set(names)], ['n1', 'n2', 'n3'])
    assert.equal(names.some((n) => n.includes('deep')), false)
    await handle.stop()
  })

  await t.test('timeoutMs ends the watch with a TimeoutError to onExit', async () => {
    let exited
    await sandbox.files.watchDir('/home/user/w', () => {}, { timeoutMs: 400, onExit: (e) => { exited = e ?? null } })
    await until(() => exited !== undefined, 5000, 'onExit')
    assert.ok(exited instanceof TimeoutError, String(exited))
    assert.match(exited.message, /^\[deadline_exceeded\]/)
  })

  await t.test('watching what is no directory', async () => {
    const missing = await sandbox.files.watchDir('/home/user/nope', () => {}).catch((e) => e)
    assert.ok(missing instanceof FileNotFoundError, String(missing))
    assert.match(missing.message, /^\[not_found\]/)
    await sandbox.files.write('/home/user/plain.txt', 'x')
    const file = await sandbox.files.watchDir('/home/user/plain.txt', () => {}).catch((e) => e)
    assert.ok(file instanceof SandboxError, String(file))
    await assert.rejects(sandbox.files.watchDir('/home/user/w', 'not a function'), InvalidArgumentError)
  })
})

test('sandbox.pty', async (t) => {
  await t.test('a real terminal: tty, its size, resize, input, exit', async () => {
    const chunks = []
    const pty = await sandbox.pty.create({ cols: 80, rows: 24, onData: (d) => { chunks.push(d) } })
    assert.ok(pty.pid > 0)
    assert.ok((await sandbox.commands.list()).some((p) => p.pid === pty.pid))
    await sandbox.pty.sendInput(pty.pid, new TextEncoder().encode('tty; stty size; echo "term=$TERM"\n'))
    await until(() => /\d+ \d+/.test(text(chunks)) && text(chunks).includes('term=xterm'), 5000, 'stty size')
    assert.ok(chunks.every((c) => c instanceof Uint8Array))
    const screen = text(chunks)
    assert.match(screen, /\/dev\/pts\/\d+/)
    assert.match(screen, /24 80/)
    assert.match(screen, /term=xterm-256color/)
    await sandbox.pty.resize(pty.pid, { cols: 100, rows: 40 })
    await sandbox.pty.sendInput(pty.pid, new TextEncoder().encode('stty size; exit 3\n'))
    const end = await pty.wait().catch((e) => e)
    assert.ok(end instanceof CommandExitError, String(end))
    assert.equal(end.exitCode, 3)
    assert.match(text(chunks), /40 100/)
    assert.equal(pty.exitCode, 3)
    assert.equal(pty.stdout, '')
  })

  await t.test('cwd, envs and user; connect to a running terminal; kill', async () => {
    const first = []
    const pty = await sandbox.pty.create({
      cols: 120, rows: 30, cwd: '/tmp', envs: { GREETING: 'hello' }, user: 'root', onData: (d) => { first.push(d) },
    })
    await sandbox.pty.sendInput(pty.pid, new TextEncoder().encode('echo "$PWD:$GREETING:$(id -un)"\n'))
    await until(() => text(first).includes('/tmp:hello:root'), 5000, 'the echo')
    await pty.disconnect()
    const again = []
    const attached = await sandbox.pty.connect(pty.pid, { onData: (d) => { again.push(d) } })
    assert.equal(attached.pid, pty.pid)
    await sandbox.pty.sendInput(pty.pid, new TextEncoder().encode('echo "again-$((20+22))"\n'))
    await until(() => text(again).includes('again-42'), 5000, 'output after connect')
    assert.equal(text(first).includes('again-42'), false, 'the disconnected handle gets nothing more')
    await assert.rejects(attached.sendStdin('x'), (e) => e instanceof SandboxError && /not supported/.test(e.message))
    assert.equal(await sandbox.pty.kill(pty.pid), true)
    const killed = await attached.wait().catch((e) => e)
    assert.ok(killed instanceof CommandExitError, String(killed))
    assert.equal(await sandbox.pty.kill(pty.pid), false)
  })

  await t.test('bad input', async () => {
    await assert.rejects(sandbox.pty.sendInput(999999, new Uint8Array([1])), NotFoundError)
    await assert.rejects(sandbox.pty.resize(999999, { cols: 1, rows: 1 }), NotFoundError)
    await assert.rejects(sandbox.pty.connect(999999), NotFoundError)
    await assert.rejects(sandbox.pty.create({ rows: 24, onData() {} }), InvalidArgumentError)
    await assert.rejects(sandbox.pty.sendInput(1, 42), InvalidArgumentError)
  })
})

test('commands: connect, disconnect, stdin, error', async (t) => {
  await t.test('connect to a running command and wait for it', async () => {
    const bg = await sandbox.commands.run('for i in 1 2 3 4 5; do echo tick$i; sleep 0.2; done', { background: true })
    const out = []
    const attached = await sandbox.commands.connect(bg.pid, { onStdout: (d) => { out.push(d) } })
    assert.equal(attached.pid, bg.pid)
    const result = await attached.wait()
    assert.equal(result.exitCode, 0)
    assert.match(out.join(''), /tick5\n$/)
    assert.equal(attached.stdout, result.stdout)
    await assert.rejects(sandbox.commands.connect(999999), NotFoundError)
  })

  await t.test('disconnect leaves the command running; wait then rejects', async () => {
    const out = []
    const bg = await sandbox.commands.run('sleep 0.5; echo late > /tmp/late.txt; echo late', {
      background: true, onStdout: (d) => { out.push(d) },
    })
    await bg.disconnect()
    const waited = await bg.wait().catch((e) => e)
    assert.ok(waited instanceof TimeoutError && /^\[canceled\]/.test(waited.message), String(waited))
    await sleep(900)
    assert.equal(await sandbox.files.read('/tmp/late.txt'), 'late\n')
    assert.deepEqual(out, [])
    assert.equal(bg.exitCode, undefined)
  })

  await t.test('stdin as bytes, closeStdin on the handle and by pid', async () => {
    const cat = await sandbox.commands.run('cat', { background: true, stdin: true })
    await cat.sendStdin(new TextEncoder().encode('bytes '))
    await cat.sendStdin('and text')
    await cat.closeStdin()
    assert.equal((await cat.wait()).stdout, 'bytes and text')
    const wc = await sandbox.commands.run('wc -c', { background: true, stdin: true })
    await sandbox.commands.sendStdin(wc.pid, new Uint8Array([0, 1, 2, 255]))
    await sandbox.commands.closeStdin(wc.pid)
    assert.equal((await wc.wait()).stdout.trim(), '4')
    await assert.rejects(sandbox.commands.closeStdin(999999), NotFoundError)
    await assert.rejects(sandbox.commands.sendStdin(999999, 'x'), NotFoundError)
    await assert.rejects(cat.sendStdin(42), InvalidArgumentError)
  })

  await t.test('the error of an ended command', async () => {
    const bad = await sandbox.commands.run('exit 3', { background: true })
    const failed = await bad.wait().catch((e) => e)
    assert.ok(failed instanceof CommandExitError)
    assert.equal(bad.exitCode, 3)
    assert.equal(bad.error, failed.error)
    const running = await sandbox.commands.run('sleep 5', { background: true })
    assert.equal(running.error, undefined)
    await running.kill()
  })
})

test('output callbacks that return a promise are awaited, one at a time, before the result', async (t) => {
  /** A callback that takes `ms` over each chunk, noting when it starts and ends. */
  const slow = (log, ms) => async (chunk) => {
    log.push(`start ${chunk.trim()}`)
    await sleep(ms)
    log.push(`end ${chunk.trim()}`)
  }
  await t.test('onStdout and onStderr', async () => {
    const log = []
    const result = await sandbox.commands.run('for i in 1 2 3; do echo out$i; sleep 0.05; echo err$i >&2; sleep 0.05; done', {
      onStdout: slow(log, 120), onStderr: slow(log, 120),
    })
    assert.equal(result.stdout, 'out1\nout2\nout3\n')
    assert.equal(log.length % 2, 0, log.join(', '))
    for (let i = 0; i < log.length; i += 2) {
      assert.match(log[i], /^start /, log.join(', '))
      assert.equal(log[i + 1], log[i].replace('start', 'end'), `each call ends before the next starts: ${log.join(', ')}`)
    }
    assert.ok(log.includes('end err3'), `every call is over when run resolves: ${log.join(', ')}`)
  })
  await t.test('a PTY\'s onData', async () => {
    const log = []
    const pty = await sandbox.pty.create({ cols: 80, rows: 24, onData: async (bytes) => {
      log.push('start')
      await sleep(60)
      log.push(`end ${bytes.length}`)
    } })
    await sandbox.pty.sendInput(pty.pid, new TextEncoder().encode('echo one; sleep 0.1; echo two; exit\n'))
    await pty.wait()
    assert.ok(log.length >= 2, log.join(', '))
    for (let i = 0; i < log.length; i += 2) assert.deepEqual([log[i], log[i + 1]?.slice(0, 3)], ['start', 'end'], log.join(', '))
  })
  await t.test('a rejection fails the command with its error', async () => {
    const boom = new Error('the callback failed')
    const err = await sandbox.commands.run('echo hi', { onStdout: async () => { throw boom } }).catch((e) => e)
    assert.equal(err, boom)
  })
  await t.test('a thenable that is not a native promise is waited for too', async () => {
    const log = []
    // What a promise library returns: `then` only, settled later.
    const thenable = (chunk) => ({
      then(resolve) {
        log.push(`start ${chunk.trim()}`)
        setTimeout(() => {
          log.push(`end ${chunk.trim()}`)
          resolve()
        }, 80)
      },
    })
    await sandbox.commands.run('echo a; sleep 0.05; echo b', { onStdout: thenable })
    // Every call ended before the next began, and the last before run resolved.
    assert.ok(log.length >= 2 && log.length % 2 === 0, log.join(', '))
    for (let i = 0; i < log.length; i += 2) assert.equal(log[i + 1], log[i].replace('start', 'end'), log.join(', '))
  })
})

test('a command on a killed sandbox is a SandboxNotFoundError', async () => {
  const doomed = await Sandbox.create(opts)
  await doomed.kill()
  const run = await doomed.commands.run('echo hi').catch((e) => e)
  assert.ok(run instanceof SandboxNotFoundError, String(run))
  assert.equal(run.message, 'Sandbox is probably not running anymore')
  await assert.rejects(doomed.files.watchDir('/home/user', () => {}), SandboxNotFoundError)
  await assert.rejects(doomed.pty.create({ cols: 80, rows: 24, onData() {} }), SandboxNotFoundError)
})

test('files: writeFiles, metadata, gzip and the errors of writes', async (t) => {
  await t.test('writeFiles sends several files in one request', async () => {
    const written = await sandbox.files.writeFiles([
      { path: '/home/user/many/a.txt', data: 'A' },
      { path: '/home/user/many/b.bin', data: new Uint8Array([1, 2, 3]) },
    ])
    assert.deepEqual(written.map((w) => w.path), ['/home/user/many/a.txt', '/home/user/many/b.bin'])
    assert.equal(await sandbox.files.read('/home/user/many/a.txt'), 'A')
    assert.deepEqual([...await sandbox.files.read('/home/user/many/b.bin', { format: 'bytes' })], [1, 2, 3])
    assert.deepEqual(await sandbox.files.writeFiles([]), [])
    const one = await sandbox.files.writeFiles([{ path: '/home/user/many/c.txt', data: 'C' }])
    assert.ok(Array.isArray(one) && one.length === 1, 'a list of one stays a list')
  })

  await t.test('metadata is stored with the file and read back in entries', async () => {
    const info = await sandbox.files.write('/home/user/m.txt', 'hi', { metadata: { Author: 'someone', purpose: 'x y' } })
    assert.equal(info.path, '/home/user/m.txt')
    assert.deepEqual(info.metadata, { author: 'someone', purpose: 'x y' })
    assert.deepEqual((await sandbox.files.getInfo('/home/user/m.txt')).metadata, { author: 'someone', purpose: 'x y' })
    const listed = (await sandbox.files.list('/home/user')).find((e) => e.name === 'm.txt')
    assert.deepEqual(listed.metadata, { author: 'someone', purpose: 'x y' })
    const moved = await sandbox.files.rename('/home/user/m.txt', '/home/user/m2.txt')
    assert.deepEqual(moved.metadata, { author: 'someone', purpose: 'x y' })
    // No metadata: none reported, as the official SDK reports it.
    const plain = await sandbox.files.write('/home/user/plain2.txt', 'x')
    assert.equal('metadata' in plain, false)
    assert.equal((await sandbox.files.getInfo('/home/user/plain2.txt')).metadata, undefined)
  })

  await t.test('invalid metadata is an InvalidArgumentError with the official text', async () => {
    const key = await sandbox.files.write('/home/user/bad.txt', 'x', { metadata: { 'bad key': 'v' } }).catch((e) => e)
    assert.ok(key instanceof InvalidArgumentError, String(key))
    assert.equal(key.message, 'Invalid metadata key "bad key": keys must be non-empty and use only HTTP token characters (letters, digits and !#$%&\'*+-.^_`|~).')
    const value = await sandbox.files.write('/home/user/bad.txt', 'x', { metadata: { k: 'é' } }).catch((e) => e)
    assert.ok(value instanceof InvalidArgumentError, String(value))
    assert.equal(value.message, 'Invalid metadata value for key "k": values must be printable US-ASCII.')
    assert.equal(await sandbox.files.exists('/home/user/bad.txt'), false, 'nothing was written')
  })

  await t.test('gzip both ways, for text, bytes and streams', async () => {
    const body = 'gzipped '.repeat(1000)
    const info = await sandbox.files.write('/home/user/g.txt', body, { gzip: true })
    assert.equal(info.path, '/home/user/g.txt')
    assert.equal(await sandbox.files.read('/home/user/g.txt', { gzip: true }), body)
    assert.equal(await sandbox.files.read('/home/user/g.txt'), body)
    assert.equal((await sandbox.files.getInfo('/home/user/g.txt')).size, body.length, 'stored decompressed')
    const stream = new Blob(['streamed and gzipped']).stream()
    await sandbox.files.write('/home/user/gs.txt', stream, { gzip: true })
    assert.equal(await sandbox.files.read('/home/user/gs.txt'), 'streamed and gzipped')
    const many = await sandbox.files.write([{ path: '/home/user/g1', data: '1' }, { path: '/home/user/g2', data: '2' }], { gzip: true })
    assert.deepEqual(many.map((w) => w.name), ['g1', 'g2'])
    const read = await sandbox.files.read('/home/user/g.txt', { gzip: true, format: 'stream' })
    assert.equal(await new Response(read).text(), body)
  })

  await t.test('useOctetStream: each file as raw bytes in a request of its own, or streams in one form', async () => {
    // What kind of body each upload sent, seen on its way to the platform's fetch.
    const real = globalThis.fetch
    const sent = []
    globalThis.fetch = (input, init) => {
      const req = input instanceof Request ? input : null
      if ((req ? req.method : init?.method) === 'POST' && new URL(req ? req.url : input).pathname === '/files') {
        const type = new Headers(req ? req.headers : init?.headers).get('content-type') ?? (init?.body instanceof FormData ? 'multipart/form-data' : null)
        sent.push(type?.split(';')[0])
      }
      return real(input, init)
    }
    try {
      const files = [{ path: '/home/user/o/a.txt', data: 'A' }, { path: '/home/user/o/b.bin', data: new Uint8Array([7, 8]) }]
      const octet = await sandbox.files.write(files, { useOctetStream: true })
      assert.deepEqual(octet.map((w) => w.path), ['/home/user/o/a.txt', '/home/user/o/b.bin'])
      assert.deepEqual(sent.splice(0), ['application/octet-stream', 'application/octet-stream'])
      assert.equal(await sandbox.files.read('/home/user/o/a.txt'), 'A')
      assert.deepEqual([...await sandbox.files.read('/home/user/o/b.bin', { format: 'bytes' })], [7, 8])
      // A stream goes in the form with the rest when raw bytes are refused.
      const stream = new Blob(['from a stream']).stream()
      await sandbox.files.write([{ path: '/home/user/o/s.txt', data: stream }, { path: '/home/user/o/c.txt', data: 'C' }], { useOctetStream: false })
      assert.deepEqual(sent.splice(0), ['multipart/form-data'])
      assert.equal(await sandbox.files.read('/home/user/o/s.txt'), 'from a stream')
      // By default, as before: a stream alone as raw bytes, the rest in a form.
      await sandbox.files.write([{ path: '/home/user/o/s2.txt', data: new Blob(['s2']).stream() }, { path: '/home/user/o/d.txt', data: 'D' }])
      assert.deepEqual(sent.splice(0), ['application/octet-stream', 'multipart/form-data'])
      assert.equal(await sandbox.files.read('/home/user/o/s2.txt'), 's2')
    } finally {
      globalThis.fetch = real
    }
  })

  await t.test('writes without a path: the official errors', async () => {
    const none = await sandbox.files.write(undefined, 'x').catch((e) => e)
    assert.ok(none instanceof Error && !(none instanceof SandboxError), String(none))
    assert.equal(none.message, 'Path or files are required')
    const both = await sandbox.files.write('/home/user/x', [{ path: '/a', data: 'x' }]).catch((e) => e)
    assert.match(both.message, /^Cannot specify both path and array of files/)
    await assert.rejects(sandbox.files.write([{ data: 'x' }]), InvalidArgumentError)
  })

  await t.test('removing a path that does not exist succeeds', async () => {
    await sandbox.files.remove('/home/user/never-was')
  })
})

test('signed links of a secure sandbox', async (t) => {
  const secure = await Sandbox.create({ ...opts, secure: true })
  try {
    await secure.files.write('/home/user/s.txt', 'signed')
    await t.test('a download link works with a plain fetch, and its expiration is checked', async () => {
      const url = await secure.downloadUrl('/home/user/s.txt')
      assert.match(url, /[?&]signature=v1_/)
      assert.equal(await (await fetch(url)).text(), 'signed')
      const timed = new URL(await secure.downloadUrl('/home/user/s.txt', { useSignatureExpiration: 60 }))
      const at = Number(timed.searchParams.get('signature_expiration'))
      assert.ok(Math.abs(at - (Date.now() / 1000 + 60)) < 5, String(at))
      assert.equal(await (await fetch(timed)).text(), 'signed')
      const expired = await fetch(await secure.downloadUrl('/home/user/s.txt', { useSignatureExpiration: -10 }))
      assert.equal(expired.status, 401)
      assert.match(await expired.text(), /expired/)
    })
    await t.test('an upload link takes a multipart POST', async () => {
      const url = await secure.uploadUrl('/home/user/u.txt')
      const form = new FormData()
      form.append('file', new Blob(['via link']), 'u.txt')
      const up = await fetch(url, { method: 'POST', body: form })
      assert.equal(up.status, 200, await up.clone().text())
      assert.equal(await secure.files.read('/home/user/u.txt'), 'via link')
      const root = await secure.downloadUrl('/home/user/s.txt', { user: 'root' })
      assert.equal(new URL(root).searchParams.get('username'), 'root')
      assert.equal(await (await fetch(root)).text(), 'signed')
    })
    await t.test('a tampered, misused or missing signature is refused', async () => {
      const url = new URL(await secure.downloadUrl('/home/user/s.txt'))
      url.searchParams.set('path', '/home/user/u.txt')
      assert.equal((await fetch(url)).status, 401, 'signed for another path')
      const upload = await secure.uploadUrl('/home/user/s.txt')
      assert.equal((await fetch(upload)).status, 401, 'an upload link does not read')
      url.searchParams.delete('signature')
      assert.notEqual((await fetch(url)).status, 200, 'no signature')
    })
    await t.test('an unsigned sandbox may not ask for an expiration', async () => {
      const plain = new Sandbox({ ...opts, sandboxId: sandbox.sandboxId })
      const url = await plain.downloadUrl('/home/user/plain2.txt')
      assert.doesNotMatch(url, /signature/)
      await assert.rejects(plain.downloadUrl('/x', { useSignatureExpiration: 10 }), InvalidArgumentError)
    })
  } finally {
    await secure.kill()
  }
})

test("Sandbox.list: each page takes its own options, and an aborted page spoils no other", async () => {
  const paginator = Sandbox.list({ ...opts, limit: 1 })
  const aborted = await paginator.nextItems({ signal: AbortSignal.abort(new Error('not this page')) }).catch((e) => e)
  assert.equal(aborted.message, 'not this page')
  assert.equal(paginator.hasNext, true)
  const first = await paginator.nextItems()
  assert.equal(first.length, 1)
  const wrongKey = await Sandbox.list(opts).nextItems({ apiKey: 'e2b_wrong' }).catch((e) => e)
  assert.ok(wrongKey instanceof Error && /401|Unauthorized/.test(wrongKey.message), String(wrongKey))
  // As the official SDK: a page's undefined options leave the list's, and the query is the list's.
  const second = await Sandbox.create(opts)
  try {
    const pages = Sandbox.list({ ...opts, limit: 1 })
    assert.equal((await pages.nextItems({ apiKey: undefined, limit: 50 })).length, 1)
    assert.equal(pages.hasNext, true)
  } finally {
    await second.kill()
  }
})
