// Conformance: the official `e2b` package drives sandbox.files, sandbox.commands and sandbox.pty
// against e2b-local unchanged — watching directories, terminals, connecting to running commands,
// multi-file and gzip writes, metadata, signed links, and the errors of bad input — the same calls
// tests/sdk/sandbox-envd.test.mjs makes through e2b-wasm, so that both SDKs are held to the same
// server behaviour.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  Sandbox, FilesystemEventType, NotFoundError, FileNotFoundError, TimeoutError, SandboxError,
  SandboxNotFoundError, CommandExitError, InvalidArgumentError,
} from 'e2b'
import { startServer } from './support/e2b-local.mjs'

let server
let sandbox
before(async () => {
  server = await startServer()
  process.env.E2B_API_URL = server.url
  process.env.E2B_SANDBOX_URL = server.url
  process.env.E2B_API_KEY = server.apiKey
  sandbox = await Sandbox.create()
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
const decoder = new TextDecoder()

test('official SDK: files.watchDir', async (t) => {
  await sandbox.files.makeDir('/home/user/w')

  await t.test('events of writes, creations and removals, recursively, with entries', async () => {
    const seen = []
    let exited
    const handle = await sandbox.files.watchDir('/home/user/w', (e) => { seen.push(e) }, {
      recursive: true, includeEntry: true, onExit: (err) => { exited = err ?? null },
    })
    await sandbox.files.write('/home/user/w/a.txt', 'x')
    await sandbox.commands.run('mkdir -p /home/user/w/d && echo y > /home/user/w/d/b && rm /home/user/w/a.txt')
    await until(() => seen.some((e) => e.name === 'a.txt' && e.type === FilesystemEventType.REMOVE), 5000, 'remove')
    assert.ok(seen.some((e) => e.name === 'a.txt' && e.type === FilesystemEventType.WRITE), JSON.stringify(seen))
    assert.ok(seen.some((e) => e.name === 'd/b' && e.type === FilesystemEventType.CREATE), JSON.stringify(seen))
    assert.equal(seen.find((e) => e.name === 'd' && e.type === 'create')?.entry?.type, 'dir')
    await handle.stop()
    await until(() => exited !== undefined, 2000, 'onExit')
    assert.ok(exited instanceof TimeoutError && /^\[canceled\]/.test(exited.message), String(exited))
  })

  await t.test('timeoutMs ends the watch with a TimeoutError to onExit', async () => {
    let exited
    await sandbox.files.watchDir('/home/user/w', () => {}, { timeoutMs: 400, onExit: (e) => { exited = e ?? null } })
    await until(() => exited !== undefined, 5000, 'onExit')
    assert.ok(exited instanceof TimeoutError && /^\[deadline_exceeded\]/.test(exited.message), String(exited))
  })

  await t.test('watching what is no directory', async () => {
    const missing = await sandbox.files.watchDir('/home/user/nope', () => {}).catch((e) => e)
    assert.ok(missing instanceof FileNotFoundError && /^\[not_found\]/.test(missing.message), String(missing))
    await sandbox.files.write('/home/user/plain.txt', 'x')
    const file = await sandbox.files.watchDir('/home/user/plain.txt', () => {}).catch((e) => e)
    assert.ok(file instanceof SandboxError, String(file))
  })
})

test('official SDK: sandbox.pty', async (t) => {
  await t.test('a real terminal: tty, its size, resize, input, exit', async () => {
    let screen = ''
    const pty = await sandbox.pty.create({ cols: 80, rows: 24, onData: (d) => { screen += decoder.decode(d) } })
    await sandbox.pty.sendInput(pty.pid, new TextEncoder().encode('tty; stty size; echo "term=$TERM"\n'))
    await until(() => /24 80/.test(screen) && screen.includes('term=xterm'), 5000, 'stty size')
    assert.match(screen, /\/dev\/pts\/\d+/)
    assert.match(screen, /term=xterm-256color/)
    await sandbox.pty.resize(pty.pid, { cols: 100, rows: 40 })
    await sandbox.pty.sendInput(pty.pid, new TextEncoder().encode('stty size; exit 3\n'))
    const end = await pty.wait().catch((e) => e)
    assert.ok(end instanceof CommandExitError && end.exitCode === 3, String(end))
    assert.match(screen, /40 100/)
  })

  await t.test('connect to a running terminal; kill', async () => {
    const pty = await sandbox.pty.create({ cols: 120, rows: 30, cwd: '/tmp', envs: { GREETING: 'hello' }, onData: () => {} })
    await pty.disconnect()
    let again = ''
    const attached = await sandbox.pty.connect(pty.pid, { onData: (d) => { again += decoder.decode(d) } })
    await sandbox.pty.sendInput(pty.pid, new TextEncoder().encode('echo "$PWD:$GREETING:$((20+22))"\n'))
    await until(() => again.includes('/tmp:hello:42'), 5000, 'output after connect')
    assert.equal(await sandbox.pty.kill(pty.pid), true)
    assert.ok((await attached.wait().catch((e) => e)) instanceof CommandExitError)
    assert.equal(await sandbox.pty.kill(pty.pid), false)
  })

  await t.test('unknown pids', async () => {
    await assert.rejects(sandbox.pty.sendInput(999999, new Uint8Array([1])), NotFoundError)
    await assert.rejects(sandbox.pty.resize(999999, { cols: 1, rows: 1 }), NotFoundError)
    await assert.rejects(sandbox.pty.connect(999999), NotFoundError)
  })
})

test('official SDK: commands connect, disconnect and stdin', async (t) => {
  await t.test('connect to a running command and wait for it', async () => {
    const bg = await sandbox.commands.run('for i in 1 2 3 4 5; do echo tick$i; sleep 0.2; done', { background: true })
    const out = []
    const attached = await sandbox.commands.connect(bg.pid, { onStdout: (d) => { out.push(d) } })
    assert.equal((await attached.wait()).exitCode, 0)
    assert.match(out.join(''), /tick5\n$/)
    await assert.rejects(sandbox.commands.connect(999999), NotFoundError)
  })

  await t.test('disconnect leaves the command running; wait then rejects', async () => {
    const bg = await sandbox.commands.run('sleep 0.5; echo late > /tmp/late.txt', { background: true })
    await bg.disconnect()
    const waited = await bg.wait().catch((e) => e)
    assert.ok(waited instanceof TimeoutError && /^\[canceled\]/.test(waited.message), String(waited))
    await sleep(900)
    assert.equal(await sandbox.files.read('/tmp/late.txt'), 'late\n')
  })

  await t.test('stdin as bytes, closeStdin on the handle and by pid', async () => {
    const cat = await sandbox.commands.run('cat', { background: true, stdin: true })
    await cat.sendStdin(new TextEncoder().encode('bytes '))
    await cat.sendStdin('and text')
    await cat.closeStdin()
    assert.equal((await cat.wait()).stdout, 'bytes and text')
    await assert.rejects(sandbox.commands.closeStdin(999999), NotFoundError)
    await assert.rejects(sandbox.commands.sendStdin(999999, 'x'), NotFoundError)
  })
})

test('official SDK: files writeFiles, metadata, gzip and write errors', async (t) => {
  await t.test('writeFiles', async () => {
    const written = await sandbox.files.writeFiles([
      { path: '/home/user/many/a.txt', data: 'A' }, { path: '/home/user/many/b.txt', data: 'B' },
    ])
    assert.deepEqual(written.map((w) => w.path), ['/home/user/many/a.txt', '/home/user/many/b.txt'])
    assert.equal(await sandbox.files.read('/home/user/many/b.txt'), 'B')
  })

  await t.test('metadata is stored and read back; invalid keys are refused', async () => {
    const info = await sandbox.files.write('/home/user/m.txt', 'hi', { metadata: { Author: 'someone', purpose: 'x y' } })
    assert.deepEqual(info.metadata, { author: 'someone', purpose: 'x y' })
    assert.deepEqual((await sandbox.files.getInfo('/home/user/m.txt')).metadata, { author: 'someone', purpose: 'x y' })
    assert.deepEqual((await sandbox.files.rename('/home/user/m.txt', '/home/user/m2.txt')).metadata, { author: 'someone', purpose: 'x y' })
    assert.equal((await sandbox.files.write('/home/user/plain2.txt', 'x')).metadata, undefined)
    await assert.rejects(sandbox.files.write('/home/user/bad.txt', 'x', { metadata: { 'bad key': 'v' } }), InvalidArgumentError)
  })

  await t.test('gzip both ways', async () => {
    const body = 'gzipped '.repeat(1000)
    await sandbox.files.write('/home/user/g.txt', body, { gzip: true })
    assert.equal(await sandbox.files.read('/home/user/g.txt', { gzip: true }), body)
    assert.equal(await sandbox.files.read('/home/user/g.txt'), body)
    assert.equal((await sandbox.files.getInfo('/home/user/g.txt')).size, body.length)
  })

  await t.test('writes without a path; removing what does not exist', async () => {
    await assert.rejects(sandbox.files.write(undefined, 'x'), { message: 'Path or files are required' })
    await assert.rejects(sandbox.files.write('/home/user/x', [{ path: '/a', data: 'x' }]), /Cannot specify both path/)
    await sandbox.files.remove('/home/user/never-was')
  })
})

test('official SDK: signed links of a secure sandbox', async (t) => {
  const secure = await Sandbox.create({ secure: true })
  try {
    await secure.files.write('/home/user/s.txt', 'signed')
    await t.test('download and upload links work with a plain fetch', async () => {
      assert.equal(await (await fetch(await secure.downloadUrl('/home/user/s.txt', { useSignatureExpiration: 60 }))).text(), 'signed')
      const form = new FormData()
      form.append('file', new Blob(['via link']), 'u.txt')
      const up = await fetch(await secure.uploadUrl('/home/user/u.txt'), { method: 'POST', body: form })
      assert.equal(up.status, 200)
      assert.equal(await secure.files.read('/home/user/u.txt'), 'via link')
    })
    await t.test('expired and tampered signatures are refused', async () => {
      const expired = await fetch(await secure.downloadUrl('/home/user/s.txt', { useSignatureExpiration: -10 }))
      assert.equal(expired.status, 401)
      const url = new URL(await secure.downloadUrl('/home/user/s.txt'))
      url.searchParams.set('path', '/home/user/u.txt')
      assert.equal((await fetch(url)).status, 401)
    })
  } finally {
    await secure.kill()
  }
})

test('official SDK: a sandbox killed mid-run, and commands on it afterwards', async () => {
  const doomed = await Sandbox.create()
  const long = doomed.commands.run('sleep 30').catch((e) => e)
  await sleep(1000)
  await doomed.kill()
  const midRun = await long
  // The stream breaks off: the official SDK calls that a timeout of the killed sandbox.
  assert.ok(midRun instanceof TimeoutError, String(midRun))
  const after = await doomed.commands.run('echo hi').catch((e) => e)
  assert.ok(after instanceof SandboxNotFoundError, String(after))
  assert.equal(after.message, 'Sandbox is probably not running anymore')
  await assert.rejects(doomed.files.watchDir('/home/user', () => {}), SandboxNotFoundError)
  await assert.rejects(doomed.pty.create({ cols: 80, rows: 24, onData() {} }), SandboxNotFoundError)
})
