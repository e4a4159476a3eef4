// e2b-wasm's Sandbox with volume mounts in Node, from the packed tarball, against a real e2b-local.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  Sandbox, Volume, CommandExitError, SandboxError, SandboxNotFoundError, FileNotFoundError, NotFoundError, FileType,
  TimeoutError,
} from 'e2b-wasm'
import { startServer } from './support/e2b-local.mjs'

let server
let opts
before(async () => {
  server = await startServer()
  opts = { apiKey: server.apiKey, apiUrl: server.url, sandboxUrl: server.url }
})
after(() => server?.stop())

test('the seed example: a volume mounted into a sandbox, both ways at once', async (t) => {
  const volume = await Volume.create('seed-data', opts)
  const sandbox = await Sandbox.create({ ...opts, volumeMounts: { '/mnt/my-data': volume } })
  try {
    await t.test('the sandbox runs with the volume mounted', async () => {
      assert.match(sandbox.sandboxId, /^[a-z0-9]{20}$/)
      assert.equal(await sandbox.isRunning(), true)
      const info = await sandbox.getInfo()
      assert.deepEqual(info.volumeMounts, [{ name: 'seed-data', path: '/mnt/my-data' }])
      assert.ok(info.startedAt instanceof Date && info.endAt > info.startedAt)
      assert.equal(info.state, 'running')
    })

    await t.test('files.write lands in the volume', async () => {
      const written = await sandbox.files.write('/mnt/my-data/by-files.txt', 'from files.write')
      assert.deepEqual(written, { name: 'by-files.txt', type: 'file', path: '/mnt/my-data/by-files.txt' })
      assert.equal(await volume.readFile('/by-files.txt'), 'from files.write')
    })

    await t.test("a shell's writes land in the volume", async () => {
      const run = await sandbox.commands.run('echo from-shell > /mnt/my-data/by-shell.txt; id -un')
      assert.deepEqual(run, { exitCode: 0, stdout: 'user\n', stderr: '' })
      assert.equal(await volume.readFile('/by-shell.txt'), 'from-shell\n')
    })

    await t.test("the volume API's writes are seen inside", async () => {
      await volume.writeFile('/by-volume.txt', 'from the volume API')
      assert.equal(await sandbox.files.read('/mnt/my-data/by-volume.txt'), 'from the volume API')
      assert.equal((await sandbox.commands.run('cat /mnt/my-data/by-volume.txt')).stdout, 'from the volume API')
      const bytes = await sandbox.files.read('/mnt/my-data/by-volume.txt', { format: 'bytes' })
      assert.equal(bytes.length, 19)
    })

    await t.test('files: list, getInfo, makeDir, rename, remove, exists', async () => {
      const names = (await sandbox.files.list('/mnt/my-data')).map((e) => e.name)
      assert.deepEqual(names, ['by-files.txt', 'by-shell.txt', 'by-volume.txt'])
      const entry = await sandbox.files.getInfo('/mnt/my-data/by-files.txt')
      assert.equal(entry.type, FileType.FILE)
      assert.equal(entry.owner, 'user')
      assert.ok(entry.modifiedTime instanceof Date)
      assert.equal(await sandbox.files.makeDir('/mnt/my-data/d/e'), true)
      assert.equal(await sandbox.files.makeDir('/mnt/my-data/d/e'), false)
      assert.equal((await volume.getInfo('/d/e')).type, 'directory')
      assert.equal((await sandbox.files.rename('/mnt/my-data/by-files.txt', '/mnt/my-data/d/moved.txt')).name, 'moved.txt')
      assert.equal(await volume.exists('/d/moved.txt'), true)
      await sandbox.files.remove('/mnt/my-data/d')
      assert.equal(await volume.exists('/d'), false)
      assert.equal(await sandbox.files.exists('/mnt/my-data/d'), false)
    })

    await t.test('files.write of several files and of a stream', async () => {
      const many = await sandbox.files.write([{ path: '/mnt/my-data/m1', data: 'one' }, { path: 'home.txt', data: new Uint8Array([104, 105]) }])
      assert.deepEqual(many.map((w) => w.path), ['/mnt/my-data/m1', '/home/user/home.txt'])
      assert.equal(await volume.readFile('/m1'), 'one')
      await sandbox.files.write('/mnt/my-data/streamed.bin', new Blob([new Uint8Array([1, 2, 3])]).stream())
      assert.deepEqual(await volume.readFile('/streamed.bin', { format: 'bytes' }), new Uint8Array([1, 2, 3]))
    })

    await t.test('commands stream their output and take envs, cwd and user', async () => {
      const chunks = []
      const streamed = await sandbox.commands.run('for i in 1 2 3; do echo $i; sleep 0.05; done; echo e >&2', {
        onStdout: (d) => chunks.push(d),
        envs: { X: '1' },
        cwd: '/mnt/my-data',
    })
    assert.equal(chunks.join(''), '1\n2\n3\n')
    assert.ok(chunks.length >= 2, 'output arrives as it is written')
    assert.equal(streamed.stderr, 'e\n')
    assert.equal((await sandbox.commands.run('pwd', { cwd: '/mnt/my-data' })).stdout, '/mnt/my-data\n')
    assert.equal((await sandbox.commands.run('echo $X', { envs: { X: 'y' } })).stdout, 'y\n')
    assert.equal((await sandbox.commands.run('id -u', { user: 'root' })).stdout, '0\n')
    })
  } finally {
    assert.equal(await sandbox.kill(), true)
  }
  await t.test('the data outlives the sandbox', async () => {
    assert.equal(await Sandbox.kill(sandbox.sandboxId, opts), false)
    assert.equal(await volume.readFile('/by-shell.txt'), 'from-shell\n', 'the data outlives the sandbox')
  })

  await t.test('a second sandbox sees the data; two share the volume at once; mounting by name works', async () => {
    const second = await Sandbox.create({ ...opts, volumeMounts: { '/data': volume } })
    const third = await Sandbox.create({ ...opts, volumeMounts: { '/shared/vol': 'seed-data' } })
    try {
      assert.equal((await second.commands.run('cat /data/by-shell.txt')).stdout, 'from-shell\n')
      await second.commands.run('echo together > /data/both.txt')
      assert.equal(await third.files.read('/shared/vol/both.txt'), 'together\n')
      assert.deepEqual((await third.getInfo()).volumeMounts, [{ name: 'seed-data', path: '/shared/vol' }])
    } finally {
      await second.kill()
      await third.kill()
    }
  })
})

test('background commands: stdin, list, kill, wait', async (t) => {
  const s = await Sandbox.create(opts)
  try {
    await t.test('stdin through the handle and by pid, then wait', async () => {
      const cat = await s.commands.run('cat', { background: true, stdin: true })
      assert.ok(cat.pid > 0)
      assert.ok((await s.commands.list()).some((p) => p.pid === cat.pid && p.cmd === '/bin/bash'))
      await cat.sendStdin('one\n')
      await s.commands.sendStdin(cat.pid, 'two\n')
      await s.commands.closeStdin(cat.pid)
      const result = await cat.wait()
      assert.equal(result.stdout, 'one\ntwo\n')
      assert.equal(cat.exitCode, 0)
    })
    await t.test('output while running, kill, and a killed wait', async () => {
      const lines = []
      const ticker = await s.commands.run('for i in 1 2 3; do echo tick; sleep 0.1; done; sleep 30', { background: true, onStdout: (d) => lines.push(d) })
      await new Promise((r) => setTimeout(r, 500))
      assert.equal(ticker.stdout, 'tick\ntick\ntick\n')
      assert.equal(await ticker.kill(), true)
      const killed = await ticker.wait().catch((e) => e)
      assert.ok(killed instanceof CommandExitError, String(killed))
      assert.equal(await s.commands.kill(ticker.pid), false)
    })
    await t.test('a background command that fails and is never awaited is no unhandled rejection', async () => {
      await s.commands.run('exit 9', { background: true })
    })
  } finally {
    await s.kill()
  }
})

test('sandboxes with their own volumes cannot see each other', async () => {
  const a = await Volume.create('own-a', opts)
  const b = await Volume.create('own-b', opts)
  const sa = await Sandbox.create({ ...opts, volumeMounts: { '/mnt/v': a } })
  const sb = await Sandbox.create({ ...opts, volumeMounts: { '/mnt/v': b } })
  try {
    await sa.files.write('/mnt/v/secret', 'a only')
    assert.equal(await sb.files.exists('/mnt/v/secret'), false)
    assert.equal((await sb.commands.run('ls -A /mnt/v')).stdout, '')
    const hunt = await sb.commands.run('find / -name secret 2>/dev/null || true')
    assert.equal(hunt.stdout, '', 'nothing of a is reachable from b')
    const procs = await sb.commands.run(`ls /proc | grep -c '^[0-9]'`)
    assert.ok(Number(procs.stdout) < 10, `b sees only its own processes: ${procs.stdout}`)
    assert.equal(await b.exists('/secret'), false)
  } finally {
    await sa.kill()
    await sb.kill()
  }
})

test('list, connect, timeouts and the end of a sandbox', async (t) => {
  const vol = await Volume.create('short-lived', opts)
  const s = await Sandbox.create({ ...opts, timeoutMs: 60_000, metadata: { suite: 'sdk', n: '1' }, volumeMounts: { '/mnt/x': vol } })
  const other = await Sandbox.create({ ...opts, metadata: { suite: 'other' } })
  try {
    await t.test('list by metadata, and page by page', async () => {
      const page = Sandbox.list({ ...opts, query: { metadata: { suite: 'sdk' } } })
      const items = await page.nextItems()
      assert.deepEqual(items.map((i) => i.sandboxId), [s.sandboxId])
      assert.deepEqual(items[0].metadata, { suite: 'sdk', n: '1' })
      assert.equal(page.hasNext, false)
      await assert.rejects(page.nextItems(), /No more items to fetch/)
      const paged = Sandbox.list({ ...opts, limit: 1 })
      assert.equal((await paged.nextItems()).length, 1)
      assert.equal(paged.hasNext, true)
      assert.equal((await paged.nextItems()).length, 1)
    })

    await t.test('connect, then the sandbox ends at its timeout', async () => {
      const again = await Sandbox.connect(s.sandboxId, opts)
      assert.equal((await again.commands.run('echo connected')).stdout, 'connected\n')
      await s.setTimeout(1000)
      await new Promise((r) => setTimeout(r, 2500))
      await assert.rejects(s.getInfo(), (e) => e instanceof SandboxNotFoundError && e instanceof NotFoundError)
      assert.equal(await s.isRunning(), false)
      await assert.rejects(Sandbox.connect(s.sandboxId, opts), SandboxNotFoundError)
      // As the official SDK reports a command on a sandbox that is gone.
      await assert.rejects(s.commands.run('true'), SandboxNotFoundError)
      assert.ok(!(await Sandbox.list(opts).nextItems()).some((i) => i.sandboxId === s.sandboxId))
    })
  } finally {
    await other.kill()
  }
  assert.equal(await vol.exists('/'), true, 'the volume is still there')
})

test('bad input gets a clear error of the right class', async (t) => {
  const vol = await Volume.create('bad-input', opts)
  await t.test('bad mounts', async () => {
    const mounts = await Sandbox.create({ ...opts, volumeMounts: { '/mnt/a': 'no-such-volume', 'rel': vol, '/x/../y': vol } }).catch((e) => e)
    assert.ok(mounts instanceof SandboxError)
    assert.equal(mounts.statusCode, 400)
    assert.match(mounts.message, /^400: invalid mounts:\n\t- volume mount #0: volume 'no-such-volume' not found\n\t- volume mount #1: path must be absolute\n\t- volume mount #2: path must not contain/)
  })
  await t.test('an unknown template or sandbox', async () => {
    const tpl = await Sandbox.create('no-such-template', opts).catch((e) => e)
    assert.ok(tpl instanceof SandboxError && tpl.statusCode === 404, String(tpl))
    await assert.rejects(Sandbox.getInfo('nosuchsandbox', opts), SandboxNotFoundError)
    await assert.rejects(Sandbox.connect('nosuchsandbox', opts), SandboxNotFoundError)
    assert.equal(await Sandbox.kill('nosuchsandbox', opts), false)
  })

  const s = await Sandbox.create({ ...opts, volumeMounts: { '/mnt/v': vol } })
  try {
    await t.test('a failing command is a CommandExitError', async () => {
      const missing = await s.commands.run('no-such-command-here').catch((e) => e)
      assert.ok(missing instanceof CommandExitError && missing instanceof SandboxError)
      assert.equal(missing.exitCode, 127)
      assert.match(missing.stderr, /not found/)
    })
    await t.test('writing where the user may not', async () => {
      const denied = await s.files.write('/etc/not-yours', 'x').catch((e) => e)
      assert.ok(denied instanceof SandboxError, String(denied))
      assert.match(denied.message, /403/)
      const shell = await s.commands.run('touch /usr/evil').catch((e) => e)
      // The system is writable for root (through sudo), not for the default user.
      assert.ok(shell instanceof CommandExitError && /Permission denied/.test(shell.stderr), String(shell))
    })
    await t.test('missing files are FileNotFoundError', async () => {
      await assert.rejects(s.files.read('/mnt/v/nope'), FileNotFoundError)
      await assert.rejects(s.files.getInfo('/nope'), FileNotFoundError)
    })
    await t.test('a command past its timeoutMs is a TimeoutError', async () => {
      const slow = await s.commands.run('sleep 5', { timeoutMs: 300 }).catch((e) => e)
      assert.ok(slow instanceof TimeoutError, String(slow))
    })
  } finally {
    await s.kill()
  }
})
