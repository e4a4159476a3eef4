// e2b-wasm's sandbox lifecycle in Node, from the packed tarball, against a real e2b-local: pause and
// resume with a volume mounted, snapshots, forks, metrics, network rules, the timeout's policy, bad
// input; and the requests it sends, recorded beside those of the official SDK.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import {
  Sandbox, Volume, SandboxError, SandboxNotFoundError, InvalidArgumentError, TemplateError,
} from 'e2b-wasm'
import { startServer } from './support/e2b-local.mjs'

// The official SDK comes from the workspace that runs the tests, not from the user's package.
const workspace = createRequire(process.env.E2B_WORKSPACE_PACKAGE_JSON ?? import.meta.url)

let server
let opts
before(async () => {
  server = await startServer({ args: ['--sandbox-metrics-interval-secs', '1'] })
  opts = { apiKey: server.apiKey, apiUrl: server.url, sandboxUrl: server.url }
})
after(() => server?.stop())

/**
 * A loopback proxy in front of e2b-local that records each request: method, path, query, the
 * keys of a JSON body, and the headers.
 */
async function recorder() {
  const seen = []
  const proxy = createServer(async (req, res) => {
    const chunks = []
    for await (const c of req) chunks.push(c)
    const body = Buffer.concat(chunks)
    const url = new URL(req.url, 'http://x')
    let keys
    if (body.length && /json/.test(req.headers['content-type'] ?? '')) {
      try { keys = Object.keys(JSON.parse(body.toString())).sort() } catch {}
    }
    seen.push({ method: req.method, path: url.pathname, query: [...url.searchParams], keys, body: body.toString(), headers: req.headers })
    const headers = { ...req.headers }
    for (const hop of ['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect']) delete headers[hop]
    let reply
    try {
      reply = await fetch(server.url + req.url, {
        method: req.method, headers, body: body.length ? body : undefined, redirect: 'manual',
      })
    } catch (e) {
      res.writeHead(502).end(String(e.cause ?? e))
      return
    }
    const out = {}
    reply.headers.forEach((v, k) => { if (k !== 'content-encoding' && k !== 'transfer-encoding' && k !== 'content-length') out[k] = v })
    res.writeHead(reply.status, out)
    res.end(Buffer.from(await reply.arrayBuffer()))
  })
  await new Promise((r) => proxy.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${proxy.address().port}`,
    seen,
    close: () => new Promise((r) => proxy.close(r)),
  }
}

test('the issue flow: a volume through pause, resume, snapshot and fork', async (t) => {
  const volume = await Volume.create('lifecycle-data', opts)
  const sandbox = await Sandbox.create({ ...opts, volumeMounts: { '/mnt/data': volume } })
  let snapshot
  try {
    await t.test('write into the volume and into the sandbox\'s own files', async () => {
      await sandbox.files.write('/mnt/data/before.txt', 'written before the pause')
      await sandbox.files.write('/home/user/own.txt', 'the sandbox\'s own file')
      await sandbox.commands.run('nohup sleep 600 >/dev/null 2>&1 &')
    })

    await t.test('pause: paused, and pausing again says false', async () => {
      assert.equal(await sandbox.pause(), true)
      const info = await sandbox.getInfo()
      assert.equal(info.state, 'paused')
      assert.deepEqual(info.volumeMounts, [{ name: 'lifecycle-data', path: '/mnt/data' }])
      assert.equal(await sandbox.pause(), false, 'a paused sandbox is not paused again')
      assert.equal(await Sandbox.betaPause(sandbox.sandboxId, opts), false)
      const listed = await Sandbox.list({ ...opts, query: { state: ['paused'] } }).nextItems()
      assert.ok(listed.some((s) => s.sandboxId === sandbox.sandboxId && s.state === 'paused'))
    })

    await t.test('the volume API writes while the sandbox is paused', async () => {
      await volume.writeFile('/while-paused.txt', 'written while paused')
    })

    await t.test('connect resumes it: both files are there, and its processes still run', async () => {
      const again = await Sandbox.connect(sandbox.sandboxId, { ...opts, timeoutMs: 120_000 })
      assert.ok(again instanceof Sandbox)
      assert.equal((await sandbox.getInfo()).state, 'running')
      assert.equal(await again.files.read('/mnt/data/while-paused.txt'), 'written while paused')
      assert.equal(await sandbox.files.read('/mnt/data/before.txt'), 'written before the pause')
      assert.equal(await sandbox.files.read('/home/user/own.txt'), 'the sandbox\'s own file')
      const sleeps = await sandbox.commands.run('pgrep -c -x sleep')
      assert.equal(sleeps.stdout.trim(), '1', 'the process frozen by the pause runs on')
      assert.equal(await sandbox.connect(), sandbox, 'sandbox.connect() resolves to the same object')
    })

    await t.test('a snapshot: taken, listed, named', async () => {
      snapshot = await sandbox.createSnapshot({ name: 'lifecycle-snap' })
      assert.equal(typeof snapshot.snapshotId, 'string')
      assert.ok(Array.isArray(snapshot.names) && snapshot.names.length >= 1, JSON.stringify(snapshot))
      const own = await sandbox.listSnapshots().nextItems()
      assert.deepEqual(own.map((s) => s.snapshotId), [snapshot.snapshotId])
      const byName = Sandbox.listSnapshots({ ...opts, name: 'lifecycle-snap' })
      assert.deepEqual((await byName.nextItems()).map((s) => s.snapshotId), [snapshot.snapshotId])
      assert.equal(byName.hasNext, false)
      await assert.rejects(byName.nextItems(), /No more items to fetch/)
      assert.equal((await sandbox.getInfo()).state, 'running', 'the sandbox runs on after its snapshot')
    })

    await t.test('fork: new sandboxes with its files and the same volume mount', async () => {
      const forks = await sandbox.fork({ count: 2, timeoutMs: 60_000 })
      assert.equal(forks.length, 2)
      try {
        for (const f of forks) {
          assert.ok(f instanceof Sandbox, String(f))
          assert.notEqual(f.sandboxId, sandbox.sandboxId)
          assert.equal(await f.files.read('/home/user/own.txt'), 'the sandbox\'s own file')
          assert.deepEqual((await f.getInfo()).volumeMounts, [{ name: 'lifecycle-data', path: '/mnt/data' }])
        }
        await forks[0].files.write('/mnt/data/from-fork.txt', 'a fork writes the shared volume')
        assert.equal(await sandbox.files.read('/mnt/data/from-fork.txt'), 'a fork writes the shared volume')
      } finally {
        for (const f of forks) if (f instanceof Sandbox) await f.kill()
      }
    })
  } finally {
    assert.equal(await sandbox.kill(), true)
  }

  await t.test('a sandbox from the snapshot, with the same volume', async () => {
    const restored = await Sandbox.create(snapshot.snapshotId, { ...opts, volumeMounts: { '/mnt/data': volume } })
    try {
      assert.equal(await restored.files.read('/home/user/own.txt'), 'the sandbox\'s own file')
      assert.equal(await restored.files.read('/mnt/data/while-paused.txt'), 'written while paused')
      const byName = await Sandbox.create('lifecycle-snap', opts)
      assert.equal(await byName.files.read('/home/user/own.txt'), 'the sandbox\'s own file')
      await byName.kill()
    } finally {
      await restored.kill()
    }
    assert.equal(await Sandbox.deleteSnapshot(snapshot.snapshotId, opts), true)
    assert.equal(await Sandbox.deleteSnapshot(snapshot.snapshotId, opts), false)
    const gone = await Sandbox.create(snapshot.snapshotId, opts).catch((e) => e)
    assert.ok(gone instanceof SandboxError && gone.statusCode === 404, String(gone))
  })
})

test('metrics grow under load', async () => {
  const s = await Sandbox.create({ ...opts, timeoutMs: 120_000 })
  try {
    const wait = async (check, ms = 15_000) => {
      const end = Date.now() + ms
      for (;;) {
        const got = await s.getMetrics()
        if (check(got)) return got
        if (Date.now() > end) assert.fail(`metrics never matched: ${JSON.stringify(got.at(-1))}`)
        await new Promise((r) => setTimeout(r, 500))
      }
    }
    const idle = (await wait((m) => m.length > 0)).at(-1)
    assert.ok(idle.timestamp instanceof Date)
    assert.equal(idle.cpuCount, 2)
    assert.equal(idle.memTotal, 512 * 2 ** 20)
    for (const key of ['cpuUsedPct', 'memUsed', 'memCache', 'diskUsed', 'diskTotal']) assert.equal(typeof idle[key], 'number', key)
    await s.commands.run("nohup python3 -c 'b = bytearray(100 << 20)\nwhile True: pass' >/dev/null 2>&1 &")
    await s.commands.run('dd if=/dev/zero of=~/fill bs=1M count=50 2>/dev/null')
    const busy = (await wait((m) => {
      const now = m.at(-1)
      return now.cpuUsedPct > 20 && now.memUsed > idle.memUsed + 80 * 2 ** 20 && now.diskUsed > idle.diskUsed + 40 * 2 ** 20
    })).at(-1)
    assert.ok(busy.timestamp > idle.timestamp)
    // `start` is sent in whole seconds.
    const from = new Date(Math.floor(busy.timestamp.getTime() / 1000) * 1000)
    const tail = await Sandbox.getMetrics(s.sandboxId, { ...opts, start: from })
    assert.ok(tail.length >= 1 && tail.every((m) => m.timestamp >= from), JSON.stringify(tail))
    assert.deepEqual(await s.getMetrics({ end: new Date(idle.timestamp.getTime() - 3_600_000) }), [])
  } finally {
    await s.kill()
  }
  await assert.rejects(Sandbox.getMetrics(s.sandboxId, opts), SandboxNotFoundError)
})

test('network rules: given at creation, shown by getInfo, replaced by updateNetwork', async () => {
  const s = await Sandbox.create({
    ...opts,
    allowInternetAccess: true,
    // (e2b-local refuses request transforms, so the callbacks get no rules to list.)
    network: { allowOut: ({ rules }) => [...rules.keys(), '10.9.8.7'], denyOut: ({ allTraffic }) => [allTraffic] },
  })
  try {
    const info = await s.getInfo()
    assert.deepEqual(info.network.allowOut, ['10.9.8.7'])
    assert.deepEqual(info.network.denyOut, ['0.0.0.0/0'])
    await s.updateNetwork({ denyOut: ['10.0.0.0/8'] })
    const after = await Sandbox.getFullInfo(s.sandboxId, opts)
    assert.deepEqual(after.network.denyOut, ['10.0.0.0/8'])
    assert.equal(after.network.allowOut, undefined, 'an absent field is cleared')
    await Sandbox.updateNetwork(s.sandboxId, { allowInternetAccess: false }, opts)
    const closed = await s.getInfo()
    assert.equal(closed.allowInternetAccess, false)
    assert.equal(closed.network, undefined, 'no rules are left')
    assert.equal((await s.commands.run('echo still here')).stdout, 'still here\n')
    await s.pause()
    const paused = await s.updateNetwork({ denyOut: [] }).catch((e) => e)
    assert.ok(paused instanceof SandboxError && paused.statusCode === 409, String(paused))
  } finally {
    await s.kill()
  }
  await assert.rejects(Sandbox.updateNetwork('nosuchsandbox', {}, opts), SandboxNotFoundError)
})

test('lifecycle: paused at the timeout, resumed by connect', async () => {
  const s = await Sandbox.create({ ...opts, timeoutMs: 1500, lifecycle: { onTimeout: 'pause', autoResume: false } })
  await s.files.write('/home/user/kept.txt', 'kept through the timeout')
  const info = await s.getInfo()
  assert.deepEqual(info.lifecycle, { onTimeout: 'pause', autoResume: false })
  await new Promise((r) => setTimeout(r, 3000))
  assert.equal((await s.getInfo()).state, 'paused')
  const back = await Sandbox.connect(s.sandboxId, { ...opts, timeoutMs: 60_000 })
  assert.equal(await back.files.read('/home/user/kept.txt'), 'kept through the timeout')
  // A reboot starts it afresh from its files.
  assert.equal(await back.pause({ keepMemory: false }), true)
  await Sandbox.connect(s.sandboxId, { ...opts, onResume: 'reboot' })
  assert.equal(await back.files.read('/home/user/kept.txt'), 'kept through the timeout')
  await back.kill()
})

test('bad input gets the error class and text of e2b 2.51', async (t) => {
  const invalid = async (promise, text) => {
    const e = await promise.catch((x) => x)
    assert.ok(e instanceof InvalidArgumentError, String(e))
    assert.equal(e.message, text)
  }
  await t.test('lifecycle, onResume, network and iam are checked before any request', async () => {
    const noKey = { apiUrl: server.url, apiKey: undefined }
    await invalid(Sandbox.create({ ...noKey, lifecycle: { onTimeout: 'sleep' } }), 'onTimeout must be one of: pause, kill (got "sleep").')
    await invalid(Sandbox.create({ ...noKey, lifecycle: { onTimeout: { action: 'nap' } } }), 'onTimeout.action must be one of: pause, kill (got "nap").')
    await invalid(Sandbox.create({ ...noKey, lifecycle: { onTimeout: { action: 'kill', keepMemory: true } } }), "onTimeout.keepMemory is only allowed when action is 'pause'.")
    await invalid(Sandbox.create({ ...noKey, lifecycle: { onTimeout: 'kill', autoResume: true } }), "autoResume can only be true when onTimeout action is 'pause'.")
    const fsOnly = Sandbox.create({ ...noKey, lifecycle: { onTimeout: { action: 'pause', keepMemory: false }, autoResume: true } })
    await invalid(fsOnly, 'autoResume: true is not a valid value when keepMemory: false - a filesystem-only snapshot cannot be auto-resumed by traffic and must be resumed explicitly using Sandbox.connect().')
    await invalid(Sandbox.connect('x', { ...noKey, onResume: 'warm' }), 'onResume must be one of: restore, reboot (got "warm").')
    await invalid(Sandbox.create({ ...noKey, network: { egressProxy: { port: 1 } } }), "network egressProxy must be an object with a string 'address' (e.g. 'proxy.example.com:1080').")
    await invalid(Sandbox.create({ ...noKey, network: { rules: { 'a.b': [{ transform: async () => ({}) }] } } }), "Network transform callback for 'a.b' must be synchronous, it returned a promise. Resolve the value before creating the sandbox.")
    await invalid(Sandbox.create({ ...noKey, network: { rules: { 'a.b': [{ transform: () => [] }] } } }), "Network transform callback for 'a.b' must return a transform object, got array.")
    await invalid(Sandbox.create({ ...noKey, iam: { tokens: { t: { audience: 1 } } } }), "iam token 't' must have string 'audience' and 'tokenType' properties.")
    const naming = (token) => ({ rules: { 'a.b': [{ transform: ({ iam }) => ({ headers: { A: `Bearer ${iam.tokens[token]}` } }) }] } })
    const aws = { tokens: { aws: { audience: 'sts', tokenType: 'JWT-SVID' } } }
    await invalid(Sandbox.create({ ...noKey, iam: aws, network: naming('nope') }), "Network transform references iam token 'nope', which is not registered. Registered tokens: 'aws'.")
    await invalid(Sandbox.create({ ...noKey, network: naming('aws') }), "Network transform references iam token 'aws', which is not registered. Pass it to Sandbox.create as iam: { tokens: { 'aws': Secret.iamToken({ audience, tokenType }) } }.")
    const probed = { rules: { 'a.b': [{ transform: ({ iam }) => ({ headers: { A: JSON.stringify(Object.keys(iam.tokens)) + String(iam.tokens.then) } }) }] } }
    const fine = await Sandbox.create({ ...noKey, iam: aws, network: probed }).catch((e) => e)
    assert.ok(!(fine instanceof InvalidArgumentError), 'reading what the runtime reads off objects is no token reference')
  })
  await t.test('unknown sandboxes and snapshots', async () => {
    await assert.rejects(Sandbox.pause('nosuchsandbox', opts), (e) => e instanceof SandboxNotFoundError && e.message === 'Sandbox nosuchsandbox not found')
    await assert.rejects(Sandbox.createSnapshot('nosuchsandbox', opts), SandboxNotFoundError)
    await assert.rejects(Sandbox.fork('nosuchsandbox', opts), SandboxNotFoundError)
    await assert.rejects(Sandbox.connect('nosuchsandbox', opts), (e) => e instanceof SandboxNotFoundError && e.message === 'Paused sandbox nosuchsandbox not found')
    assert.equal(await Sandbox.deleteSnapshot('no-such-snapshot', opts), false)
    const unknown = await Sandbox.create('no-such-snapshot:default', opts).catch((e) => e)
    assert.ok(unknown instanceof SandboxError && unknown.statusCode === 404, String(unknown))
  })
  await t.test('mcp: the mcp-gateway template by default; a gateway that cannot start kills its sandbox', async () => {
    const noTemplate = await Sandbox.create({ ...opts, mcp: { exa: { apiKey: 'k' } } }).catch((e) => e)
    assert.ok(noTemplate instanceof SandboxError && noTemplate.statusCode === 404, String(noTemplate))
    assert.match(noTemplate.message, /mcp-gateway/)
    const before = (await Sandbox.list(opts).nextItems()).length
    const noGateway = await Sandbox.create('base', { ...opts, mcp: { exa: { apiKey: 'k' } } }).catch((e) => e)
    assert.ok(noGateway instanceof SandboxError, String(noGateway))
    assert.match(noGateway.message, /^Failed to start MCP gateway: .*mcp-gateway/)
    assert.equal((await Sandbox.list(opts).nextItems()).length, before, 'the sandbox was killed')
    const s = new Sandbox({ sandboxId: 'sbx', apiKey: 'k', domain: 'example.dev' })
    assert.equal(s.getMcpUrl(), 'https://50005-sbx.example.dev/mcp')
  })
  await t.test('fork count below 1, and a bad snapshot name', async () => {
    const s = await Sandbox.create(opts)
    try {
      const none = await s.fork({ count: 0 }).catch((e) => e)
      assert.ok(none instanceof SandboxError && none.statusCode === 400, String(none))
      assert.match(none.message, /^400: count must be between 1 and 100/)
      const bad = await s.createSnapshot({ name: 'Bad Name!' }).catch((e) => e)
      assert.ok(bad instanceof SandboxError && bad.statusCode === 400, String(bad))
    } finally {
      await s.kill()
    }
  })
})

test('debug mode makes no control-plane call for create, connect, kill and metrics', async () => {
  const rec = await recorder()
  try {
    const d = { apiKey: 'e2b_unused', apiUrl: rec.url, debug: true }
    const s = await Sandbox.create(d)
    assert.equal(s.sandboxId, 'debug_sandbox_id')
    assert.equal(s.getHost(3000), 'localhost:3000')
    assert.equal(await s.kill(), true)
    assert.equal(await Sandbox.kill('any', d), true)
    assert.deepEqual(await s.getMetrics(), [])
    await s.setTimeout(1000)
    const c = await Sandbox.connect('abc', d)
    assert.equal(c.sandboxId, 'abc')
    // As in 2.51, debug mode returns before the options are looked at.
    await Sandbox.connect('abc', { ...d, onResume: 'warm' })
    await Sandbox.create({ ...d, lifecycle: { onTimeout: 'sleep' } })
    assert.deepEqual(rec.seen, [])
  } finally {
    await rec.close()
  }
})

test("a sandbox's own options stay its own: timeoutMs, signal and headers do not leak", async () => {
  const rec = await recorder()
  try {
    const o = { apiKey: server.apiKey, apiUrl: rec.url, sandboxUrl: rec.url, headers: { 'X-Custom': 'mine' }, apiHeaders: { 'X-Api-Only': 'api' } }
    const s = await Sandbox.create({ ...o, timeoutMs: 120_000, metadata: {} })
    try {
      await s.commands.run('true')
      await Sandbox.connect(s.sandboxId, { ...o, timeoutMs: 240_000 }).then((again) => again.commands.run('true'))
      assert.deepEqual((await s.getInfo()).metadata, {})
      const envd = rec.seen.filter((r) => r.path.startsWith('/process.'))
      assert.equal(envd.length, 2)
      for (const r of envd) {
        assert.equal(r.headers['connect-timeout-ms'], '60000', 'the default command timeout of 2.51')
        assert.equal(r.headers['x-custom'], undefined, 'custom headers are not sent to envd')
        assert.equal(r.headers['x-api-only'], undefined)
      }
      const api = rec.seen.filter((r) => r.path.startsWith('/v2/sandboxes') || r.path.startsWith('/sandboxes'))
      assert.ok(api.length >= 3 && api.every((r) => r.headers['x-custom'] === 'mine' && r.headers['x-api-only'] === 'api'))
    } finally {
      await s.kill()
    }
  } finally {
    await rec.close()
  }
})

test("the sandbox's domain: from the reply, else the configured one", async (t) => {
  const urls = []
  const real = globalThis.fetch
  // Only foreign hosts are captured here: nothing is sent anywhere.
  globalThis.fetch = async (url) => { urls.push(String(url)); throw new TypeError('not sent') }
  try {
    const own = new Sandbox({ sandboxId: 'sbx1', sandboxDomain: 'byoc.example.dev', apiKey: 'k' })
    assert.equal(own.sandboxDomain, 'byoc.example.dev')
    assert.equal(own.getHost(8080), '8080-sbx1.byoc.example.dev')
    await own.isRunning().catch(() => {})
    const plain = new Sandbox({ sandboxId: 'sbx2', apiKey: 'k' })
    assert.equal(plain.sandboxDomain, 'e2b.app')
    await plain.isRunning().catch(() => {})
    const routed = new Sandbox({ sandboxId: 'sbx3', sandboxDomain: 'e2b.dev', domain: 'example.dev', apiKey: 'k' })
    await routed.isRunning().catch(() => {})
  } finally {
    globalThis.fetch = real
  }
  assert.deepEqual(urls, [
    'https://49983-sbx1.byoc.example.dev/health',
    'https://sandbox.e2b.app/health',
    'https://sandbox.e2b.dev/health',
  ])
})

test('the same requests on the wire as e2b 2.51', async () => {
  const official = workspace('e2b')
  const sides = {}
  for (const [name, sdk] of [['e2b-wasm', { Sandbox, Volume }], ['e2b', official]]) {
    const rec = await recorder()
    const o = { apiKey: server.apiKey, apiUrl: rec.url, sandboxUrl: server.url }
    const ids = new Map()
    const vol = await sdk.Volume.create(`wire-${name}`, { ...opts })
    const s = await sdk.Sandbox.create({
      ...o, timeoutMs: 60_000, metadata: { side: name }, envs: { A: '1' }, secure: false, allowInternetAccess: true,
      volumeMounts: { '/mnt/v': vol }, lifecycle: { onTimeout: { action: 'pause', keepMemory: true }, autoResume: true },
      network: { allowOut: ['10.1.2.3'], denyOut: ['10.0.0.0/8'], maskRequestHost: 'h' },
    })
    ids.set(s.sandboxId, '<sandbox>')
    await sdk.Sandbox.connect(s.sandboxId, { ...o, timeoutMs: 90_000 })
    await sdk.Sandbox.list({ ...o, query: { metadata: { side: name }, state: ['running', 'paused'] }, limit: 5 }).nextItems()
    await s.getInfo()
    await s.setTimeout(80_000)
    await s.updateNetwork({ denyOut: ['10.0.0.0/8'], allowInternetAccess: true })
    await s.getMetrics({ start: new Date(1_000_000_000_000), end: new Date(4_000_000_000_000) })
    await s.pause({ keepMemory: true })
    await s.pause()
    await s.connect()
    const snap = await s.createSnapshot({ name: `wire-${name}` })
    ids.set(snap.snapshotId, '<snapshot>')
    await s.listSnapshots({ limit: 10 }).nextItems()
    await sdk.Sandbox.listSnapshots({ ...o, name: `wire-${name}` }).nextItems()
    const forks = await s.fork({ count: 1, timeoutMs: 30_000 })
    for (const f of forks) ids.set(f.sandboxId, '<fork>')
    for (const f of forks) await f.kill()
    await sdk.Sandbox.deleteSnapshot(snap.snapshotId, o)
    await s.kill()
    await sdk.Sandbox.kill(s.sandboxId, o)
    await rec.close()
    const plain = (text) => [...ids].reduce((t, [id, name]) => t.split(encodeURIComponent(id)).join(name).split(id).join(name), text)
    sides[name] = rec.seen.map((r) => ({
      call: `${r.method} ${plain(r.path)}`,
      query: r.query.map(([k, v]) => [k, plain(v).replace(`side=${name}`, 'side=<side>').replace(`wire-${name}`, 'wire-<side>')]),
      keys: r.keys,
      body: r.keys && JSON.parse(plain(r.body).split(name).join('<side>')),
    }))
  }
  assert.deepEqual(sides['e2b-wasm'], sides.e2b)
  // And what they are: the v2 routes for create, connect and list; no `secure`.
  const calls = sides.e2b.map((r) => r.call)
  assert.deepEqual(calls.slice(0, 3), ['POST /v2/sandboxes', 'POST /v2/sandboxes/<sandbox>/connect', 'GET /v2/sandboxes'])
  assert.ok(!sides['e2b-wasm'][0].keys.includes('secure'))
  assert.deepEqual(sides['e2b-wasm'][0].keys, [
    'allow_internet_access', 'autoPause', 'autoPauseMemory', 'autoResume', 'envVars', 'metadata', 'network', 'templateID', 'timeout', 'volumeMounts',
  ])
})

test('an envd too old for metrics is a TemplateError before any request', async () => {
  const rec = await recorder()
  try {
    const old = new Sandbox({ sandboxId: 'x', envdVersion: '0.1.4', apiKey: 'k', apiUrl: rec.url })
    await assert.rejects(old.getMetrics(), (e) => e instanceof TemplateError && /update the template/.test(e.message))
    assert.deepEqual(rec.seen, [])
  } finally {
    await rec.close()
  }
})

test('forks of a subclass are of that subclass', async () => {
  class MySandbox extends Sandbox {}
  const mine = await MySandbox.create(opts)
  try {
    const [own] = await mine.fork()
    const [viaStatic] = await MySandbox.fork(mine.sandboxId, opts)
    const [base] = await Sandbox.fork(mine.sandboxId, opts)
    assert.ok(own instanceof MySandbox && viaStatic instanceof MySandbox, `${own} ${viaStatic}`)
    assert.ok(base instanceof Sandbox && !(base instanceof MySandbox))
    assert.equal((await own.commands.run('echo forked')).stdout, 'forked\n')
    for (const f of [own, viaStatic, base]) assert.equal(await f.kill(), true)
  } finally {
    await mine.kill()
  }
})

test('create bodies are those of e2b 2.51, option by option', async () => {
  const official = workspace('e2b')
  const cases = [
    {},
    { timeoutMs: 1500, metadata: {}, envs: { A: '1' }, secure: false },
    { lifecycle: { onTimeout: 'pause' } },
    { lifecycle: { onTimeout: { action: 'pause', keepMemory: false } } },
    { lifecycle: { onTimeout: 'kill', autoResume: false } },
    { lifecycle: { onTimeout: { action: 'pause' }, autoResume: true }, allowInternetAccess: false },
    { network: { allowOut: ({ allTraffic }) => [allTraffic], denyOut: [], allowPublicTraffic: false, httpsPorts: [8443] } },
    // Refused by e2b-local (400), but sent all the same.
    { network: { egressProxy: { address: 'p:1080', username: 'u', password: 'p', extra: 1 }, maskRequestHost: 'm' } },
    {
      iam: { tokens: { aws: { audience: 'sts', tokenType: 'JWT-SVID' }, none: null } },
      network: { allowOut: ({ rules }) => [...rules.keys()], rules: new Map([['api.x', [{ transform: ({ iam }) => ({ headers: { A: iam.tokens.aws } }) }, {}]]]) },
    },
  ]
  const bodies = {}
  for (const [name, sdk] of [['e2b-wasm', Sandbox], ['e2b', official.Sandbox]]) {
    const rec = await recorder()
    for (const extra of cases) {
      const made = await sdk.create({ apiKey: server.apiKey, apiUrl: rec.url, sandboxUrl: server.url, ...extra }).catch((e) => e)
      if (made instanceof Error) assert.ok(made.statusCode === 400, String(made))
      else await made.kill()
    }
    // An update carries no iam: any token a transform names is its placeholder.
    const any = { allowOut: ({ rules }) => [...rules.keys()], rules: { h: [{ transform: ({ iam }) => ({ headers: { A: iam.tokens.anything } }) }] } }
    await sdk.updateNetwork('nosuchsandbox', any, { apiKey: server.apiKey, apiUrl: rec.url }).catch(() => {})
    await rec.close()
    bodies[name] = rec.seen.filter((r) => r.method === 'POST' || r.method === 'PUT').map((r) => JSON.parse(r.body))
  }
  assert.equal(bodies.e2b.length, cases.length + 1)
  assert.deepEqual(bodies.e2b.at(-1).rules, { h: [{ transform: { headers: { A: '${e2b.identity.tokens.anything}' } } }] })
  assert.deepEqual(bodies['e2b-wasm'], bodies.e2b)
})
