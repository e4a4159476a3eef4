// Conformance: the official `e2b` package runs the volume-mount flow against e2b-local unchanged.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Sandbox, Volume, CommandExitError, SandboxError, NotFoundError } from 'e2b'
import { startServer } from './support/e2b-local.mjs'

let server
let opts
before(async () => {
  server = await startServer()
  process.env.E2B_API_URL = server.url
  process.env.E2B_VOLUME_API_URL = server.url
  process.env.E2B_SANDBOX_URL = server.url
  process.env.E2B_API_KEY = server.apiKey
  opts = { apiKey: server.apiKey, apiUrl: server.url }
})
after(() => server?.stop())

test('official SDK: the seed example, mounts, persistence and sharing', async (t) => {
  const volume = await Volume.create('official-mounted', opts)
  const sandbox = await Sandbox.create({ volumeMounts: { '/mnt/my-data': volume }, envs: { SANDBOX_WIDE: 'yes' } })
  try {
    await t.test('the sandbox runs with the volume mounted', async () => {
      const info = await sandbox.getInfo()
      assert.deepEqual(info.volumeMounts, [{ name: 'official-mounted', path: '/mnt/my-data' }])
      assert.equal(await sandbox.isRunning(), true)
    })

    await t.test('files and shells write into the volume, and read what it holds', async () => {
      await sandbox.files.write('/mnt/my-data/from-files.txt', 'written by files.write')
      assert.equal(await volume.readFile('/from-files.txt'), 'written by files.write')

      const run = await sandbox.commands.run('echo from-shell > /mnt/my-data/from-shell.txt && whoami && pwd')
      assert.equal(run.exitCode, 0)
      assert.equal(run.stdout, 'user\n/home/user\n')
      assert.equal(await volume.readFile('/from-shell.txt'), 'from-shell\n')

      await volume.writeFile('/from-volume.txt', 'written through the volume API')
      assert.equal(await sandbox.files.read('/mnt/my-data/from-volume.txt'), 'written through the volume API')
      const cat = await sandbox.commands.run('cat /mnt/my-data/from-volume.txt')
      assert.equal(cat.stdout, 'written through the volume API')
    })

    await t.test('files: list, exists, makeDir, rename, remove', async () => {
      const listed = await sandbox.files.list('/mnt/my-data')
      assert.deepEqual(listed.map((e) => e.name).sort(), ['from-files.txt', 'from-shell.txt', 'from-volume.txt'])
      assert.equal(await sandbox.files.exists('/mnt/my-data/nope'), false)
      assert.equal(await sandbox.files.makeDir('/mnt/my-data/dir/sub'), true)
      assert.equal((await volume.getInfo('/dir/sub')).type, 'directory')
      const moved = await sandbox.files.rename('/mnt/my-data/from-files.txt', '/mnt/my-data/dir/moved.txt')
      assert.equal(moved.path, '/mnt/my-data/dir/moved.txt')
      await sandbox.files.remove('/mnt/my-data/dir')
      assert.equal(await volume.exists('/dir'), false)
    })

    await t.test('commands stream their output and take envs', async () => {
      const out = []
      const streamed = await sandbox.commands.run('for i in 1 2 3; do echo $i; done; echo oops >&2', {
        onStdout: (d) => out.push(d),
        envs: { GREETING: 'hi' },
    })
    assert.equal(out.join(''), '1\n2\n3\n')
    assert.equal(streamed.stderr, 'oops\n')
    assert.equal((await sandbox.commands.run('echo $GREETING', { envs: { GREETING: 'hello' } })).stdout, 'hello\n')
    assert.equal((await sandbox.commands.run('echo $SANDBOX_WIDE')).stdout, 'yes\n')
    })

    await t.test('background processes: List, SendInput, CloseStdin and SendSignal', async () => {
      const catProc = await sandbox.commands.run('cat', { background: true, stdin: true })
      assert.ok((await sandbox.commands.list()).some((p) => p.pid === catProc.pid))
      await sandbox.commands.sendStdin(catProc.pid, 'through stdin\n')
      await sandbox.commands.closeStdin(catProc.pid)
      const catResult = await catProc.wait()
      assert.equal(catResult.stdout, 'through stdin\n')
      const sleeper = await sandbox.commands.run('sleep 30', { background: true })
      assert.equal(await sleeper.kill(), true)
      const killed = await sleeper.wait().catch((e) => e)
      assert.ok(killed instanceof CommandExitError, String(killed))
      assert.equal(await sandbox.commands.kill(99999), false)
    })

    await t.test('a failing command is a CommandExitError', async () => {
      const failed = await sandbox.commands.run('exit 3').catch((e) => e)
      assert.ok(failed instanceof CommandExitError && failed instanceof SandboxError)
      assert.equal(failed.exitCode, 3)
    })
  } finally {
    assert.equal(await sandbox.kill(), true)
  }
  await t.test('a killed sandbox is gone', async () => {
    assert.equal(await Sandbox.kill(sandbox.sandboxId), false)
    await assert.rejects(Sandbox.getInfo(sandbox.sandboxId), NotFoundError)
  })

  await t.test('after kill, the data stays and a new sandbox, mounting by name, sees it', async () => {
    const second = await Sandbox.create({ volumeMounts: { '/data': 'official-mounted' } })
    const third = await Sandbox.create({ volumeMounts: { '/shared': volume } })
    try {
      assert.equal((await second.commands.run('cat /data/from-shell.txt')).stdout, 'from-shell\n')
      // Two sandboxes share one volume at the same time.
      await second.commands.run('echo shared > /data/both.txt')
      assert.equal((await third.commands.run('cat /shared/both.txt')).stdout, 'shared\n')
    } finally {
      await second.kill()
      await third.kill()
    }
  })
  await Volume.destroy(volume.volumeId, opts)
})

test('official SDK: separate volumes stay separate; bad mounts are refused', async (t) => {
  const a = await Volume.create('official-a', opts)
  const b = await Volume.create('official-b', opts)
  await t.test('separate volumes stay separate', async () => {
    const sa = await Sandbox.create({ volumeMounts: { '/mnt/v': a } })
    const sb = await Sandbox.create({ volumeMounts: { '/mnt/v': b } })
    try {
      await sa.files.write('/mnt/v/secret.txt', 'only a')
      assert.equal(await sb.files.exists('/mnt/v/secret.txt'), false)
      assert.equal((await sb.commands.run('ls -A /mnt/v')).stdout, '')
      // Each sandbox sees only its own processes.
      const comms = await sb.commands.run('cat /proc/[0-9]*/comm')
      assert.ok(!comms.stdout.includes('e2b-local'), comms.stdout)
    } finally {
      await sa.kill()
      await sb.kill()
    }
  })
  await t.test('bad mounts are refused, each named', async () => {
    const err = await Sandbox.create({ volumeMounts: { 'relative': a, '/ok/../x': b, '/m': 'missing-volume' } }).catch((e) => e)
    assert.ok(err instanceof SandboxError)
    assert.match(err.message, /invalid mounts/)
    assert.match(err.message, /volume mount #0: path must be absolute/)
    assert.match(err.message, /volume mount #1: path must not contain any '\.' or '\.\.' components/)
    assert.match(err.message, /volume mount #2: volume 'missing-volume' not found/)
  })
})
