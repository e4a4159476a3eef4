// Conformance: the official `e2b` package runs the sandbox lifecycle against e2b-local unchanged —
// pause and resume with a volume mounted, snapshots, forks, metrics, network rules and bad input.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Sandbox, Volume, SandboxError, SandboxNotFoundError, InvalidArgumentError } from 'e2b'
import { startServer } from './support/e2b-local.mjs'

let server
let opts
before(async () => {
  server = await startServer({ args: ['--sandbox-metrics-interval-secs', '1'] })
  // The official SDK sends volume content calls to their own API, which e2b-local serves at its origin.
  process.env.E2B_VOLUME_API_URL = server.url
  opts = { apiKey: server.apiKey, apiUrl: server.url, sandboxUrl: server.url }
})
after(() => server?.stop())

test('official SDK: a volume through pause, resume, snapshot and fork', async (t) => {
  const volume = await Volume.create('official-lifecycle', opts)
  const sandbox = await Sandbox.create({ ...opts, volumeMounts: { '/mnt/data': volume } })
  let snapshot
  try {
    await t.test('write, pause, write through the volume API while paused', async () => {
      await sandbox.files.write('/mnt/data/before.txt', 'written before the pause')
      await sandbox.files.write('/home/user/own.txt', 'own file')
      assert.equal(await sandbox.pause(), true)
      assert.equal((await sandbox.getInfo()).state, 'paused')
      assert.equal(await sandbox.pause(), false)
      await volume.writeFile('/while-paused.txt', 'written while paused')
    })

    await t.test('connect resumes it, and it reads both', async () => {
      await Sandbox.connect(sandbox.sandboxId, opts)
      assert.equal((await sandbox.getInfo()).state, 'running')
      assert.equal(await sandbox.files.read('/mnt/data/while-paused.txt'), 'written while paused')
      assert.equal(await sandbox.files.read('/mnt/data/before.txt'), 'written before the pause')
      assert.equal(await sandbox.files.read('/home/user/own.txt'), 'own file')
    })

    await t.test('a snapshot, listed', async () => {
      snapshot = await sandbox.createSnapshot({ name: 'official-snap' })
      const listed = await sandbox.listSnapshots().nextItems()
      assert.deepEqual(listed.map((s) => s.snapshotId), [snapshot.snapshotId])
    })

    await t.test('fork: a running copy with the same volume mount', async () => {
      const [fork] = await sandbox.fork({ count: 1 })
      assert.ok(fork instanceof Sandbox, String(fork))
      try {
        assert.equal(await fork.files.read('/home/user/own.txt'), 'own file')
        assert.deepEqual((await fork.getInfo()).volumeMounts, [{ name: 'official-lifecycle', path: '/mnt/data' }])
      } finally {
        await fork.kill()
      }
    })
  } finally {
    await sandbox.kill()
  }

  await t.test('a sandbox from the snapshot with the same volume', async () => {
    const restored = await Sandbox.create(snapshot.snapshotId, { ...opts, volumeMounts: { '/mnt/data': volume } })
    try {
      assert.equal(await restored.files.read('/home/user/own.txt'), 'own file')
      assert.equal(await restored.files.read('/mnt/data/while-paused.txt'), 'written while paused')
    } finally {
      await restored.kill()
    }
    assert.equal(await Sandbox.deleteSnapshot(snapshot.snapshotId, opts), true)
    assert.equal(await Sandbox.deleteSnapshot(snapshot.snapshotId, opts), false)
  })
})

test('official SDK: metrics grow under load', async () => {
  const s = await Sandbox.create({ ...opts, timeoutMs: 120_000 })
  try {
    const latest = async () => (await s.getMetrics()).at(-1)
    const until = async (check) => {
      for (let i = 0; i < 30; i++) {
        const m = await latest()
        if (m && check(m)) return m
        await new Promise((r) => setTimeout(r, 500))
      }
      assert.fail(`metrics never matched: ${JSON.stringify(await latest())}`)
    }
    const idle = await until(() => true)
    assert.ok(idle.timestamp instanceof Date)
    await s.commands.run("nohup python3 -c 'b = bytearray(100 << 20)\nwhile True: pass' >/dev/null 2>&1 &")
    await s.commands.run('dd if=/dev/zero of=~/fill bs=1M count=50 2>/dev/null')
    await until((m) => m.cpuUsedPct > 20 && m.memUsed > idle.memUsed + 80 * 2 ** 20 && m.diskUsed > idle.diskUsed + 40 * 2 ** 20)
  } finally {
    await s.kill()
  }
})

test('official SDK: network rules and the timeout policy', async () => {
  const s = await Sandbox.create({ ...opts, network: { denyOut: ({ allTraffic }) => [allTraffic] }, lifecycle: { onTimeout: 'pause' } })
  try {
    const info = await s.getInfo()
    assert.deepEqual(info.network.denyOut, ['0.0.0.0/0'])
    assert.deepEqual(info.lifecycle, { onTimeout: 'pause', autoResume: false })
    await s.updateNetwork({ allowOut: ['10.1.2.3'] })
    const after = await s.getInfo()
    assert.deepEqual(after.network.allowOut, ['10.1.2.3'])
    assert.equal(after.network.denyOut, undefined)
  } finally {
    await s.kill()
  }
})

test('official SDK: bad input', async () => {
  await assert.rejects(Sandbox.create({ ...opts, lifecycle: { onTimeout: 'sleep' } }), InvalidArgumentError)
  await assert.rejects(Sandbox.pause('nosuchsandbox', opts), SandboxNotFoundError)
  await assert.rejects(Sandbox.fork('nosuchsandbox', opts), SandboxNotFoundError)
  await assert.rejects(Sandbox.connect('nosuchsandbox', opts), SandboxNotFoundError)
  const unknown = await Sandbox.create('no-such-snapshot:default', opts).catch((e) => e)
  assert.ok(unknown instanceof SandboxError && unknown.statusCode === 404, String(unknown))
  const s = await Sandbox.create(opts)
  try {
    const none = await s.fork({ count: 0 }).catch((e) => e)
    assert.ok(none instanceof SandboxError && none.statusCode === 400, String(none))
  } finally {
    await s.kill()
  }
})
