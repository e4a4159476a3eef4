// A user's browser code: the same Volume API, run in Chromium against e2b-local (another origin).
// Each function returns named checks, which the test compares with `expected` one by one.
import {
  Volume, Sandbox, VolumeError, VolumePathNotFoundError, AuthenticationError, CommandExitError, FileNotFoundError,
  NotFoundError, InvalidArgumentError, SandboxNotFoundError, TimeoutError,
} from 'e2b-wasm'

export async function run({ apiUrl, apiKey }) {
  const opts = { apiKey, apiUrl }
  const checks = {}
  const vol = await Volume.create(`browser-${Math.random().toString(36).slice(2)}`, opts)
  checks.createGivesAVolume = vol instanceof Volume
  await vol.writeFile('/hello.txt', 'hello from the browser', { force: true })
  checks.readText = await vol.readFile('/hello.txt')
  await vol.writeFile('/bytes.bin', new Uint8Array([1, 2, 3]))
  checks.readBytes = Array.from(await vol.readFile('/bytes.bin', { format: 'bytes' }))
  const blob = await vol.readFile('/bytes.bin', { format: 'blob' })
  checks.readBlobSize = blob.size
  // Browsers cannot stream request bodies over HTTP/1.1: the SDK collects the stream first.
  await vol.writeFile('/from-stream.bin', new Blob([new Uint8Array([9, 8])]).stream())
  const stream = await vol.readFile('/from-stream.bin', { format: 'stream' })
  const chunks = []
  for (const reader = stream.getReader(); ;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(...value)
  }
  checks.streamWrittenAndRead = chunks
  checks.listedPaths = (await vol.list('/')).map((e) => e.path)
  checks.mtimeIsADate = (await vol.getInfo('/hello.txt')).mtime instanceof Date
  const missing = await vol.getInfo('/missing').catch((e) => e)
  checks.missingPathError = missing instanceof VolumePathNotFoundError && missing instanceof VolumeError && missing.name
  const denied = await Volume.list({ apiUrl, apiKey: 'e2b_wrong' }).catch((e) => e)
  checks.wrongKeyIsAuthenticationError = denied instanceof AuthenticationError
  checks.destroyed = await Volume.destroy(vol.volumeId, opts)
  return checks
}

/** The seed example in a browser: a volume mounted into sandboxes, shared and kept after kill. */
export async function runSandbox({ apiUrl, apiKey }) {
  const opts = { apiKey, apiUrl, sandboxUrl: apiUrl }
  const checks = {}
  const volume = await Volume.create(`browser-mount-${Math.random().toString(36).slice(2)}`, opts)
  const sandbox = await Sandbox.create({ ...opts, volumeMounts: { '/mnt/my-data': volume } })
  checks.mountPath = (await sandbox.getInfo()).volumeMounts[0].path
  await sandbox.files.write('/mnt/my-data/from-browser.txt', 'written in Chromium')
  checks.filesWriteSeenByVolume = await volume.readFile('/from-browser.txt')
  const out = []
  const run = await sandbox.commands.run('cat /mnt/my-data/from-browser.txt; echo; echo shell > /mnt/my-data/shell.txt', { onStdout: (d) => out.push(d) })
  checks.commandStdout = run.stdout
  checks.commandOnStdout = out.join('')
  checks.shellWriteSeenByVolume = await volume.readFile('/shell.txt')
  const failed = await sandbox.commands.run('exit 7').catch((e) => e)
  checks.failedCommandExitCode = failed instanceof CommandExitError && failed.exitCode
  const other = await Sandbox.create({ ...opts, volumeMounts: { '/shared': volume.name } })
  checks.otherSandboxReads = (await other.commands.run('cat /shared/shell.txt')).stdout
  checks.killed = await sandbox.kill()
  checks.dataOutlivesTheSandbox = await other.files.read('/shared/from-browser.txt')
  // A sandbox with its own volume sees nothing of this one.
  const own = await Volume.create(`browser-own-${Math.random().toString(36).slice(2)}`, opts)
  const separate = await Sandbox.create({ ...opts, volumeMounts: { '/shared': own } })
  checks.separateSeesTheFile = await separate.files.exists('/shared/from-browser.txt')
  checks.separateListing = (await separate.commands.run('ls -A /shared')).stdout
  await separate.kill()
  await other.kill()
  await Volume.destroy(own.volumeId, opts)
  checks.destroyed = await Volume.destroy(volume.volumeId, opts)
  return checks
}

/** Waits until `check()` is true, or fails after `ms`. */
async function until(check, ms = 5000) {
  for (const end = Date.now() + ms; !check();) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** files.watchDir, sandbox.pty, commands.connect, gzip, metadata and signed links in a browser:
 * server streams read through fetch's streaming bodies. */
export async function runEnvd({ apiUrl, apiKey }) {
  const opts = { apiKey, apiUrl, sandboxUrl: apiUrl }
  const checks = {}
  const sandbox = await Sandbox.create({ ...opts, secure: true })
  try {
    await sandbox.files.makeDir('/home/user/w')
    const events = []
    let exited
    const watch = await sandbox.files.watchDir('/home/user/w', (e) => { events.push(`${e.type} ${e.name}`) }, {
      recursive: true, onExit: (e) => { exited = e },
    })
    await sandbox.commands.run('mkdir /home/user/w/d && echo x > /home/user/w/d/f')
    await until(() => events.includes('create d/f'))
    checks.watchSawCreations = events.includes('create d') && events.includes('create d/f')
    await watch.stop()
    await until(() => exited !== undefined)
    checks.watchStopReportedToOnExit = exited instanceof TimeoutError
    const missing = await sandbox.files.watchDir('/home/user/nope', () => {}).catch((e) => e)
    checks.watchOfAMissingDir = missing instanceof FileNotFoundError

    let screen = ''
    const decoder = new TextDecoder()
    const pty = await sandbox.pty.create({ cols: 80, rows: 24, onData: (d) => { screen += decoder.decode(d, { stream: true }) } })
    await sandbox.pty.sendInput(pty.pid, new TextEncoder().encode('tty; stty size\n'))
    await until(() => /24 80/.test(screen))
    await sandbox.pty.resize(pty.pid, { cols: 100, rows: 40 })
    await sandbox.pty.sendInput(pty.pid, new TextEncoder().encode('stty size; exit\n'))
    const ended = await pty.wait()
    checks.ptyIsATerminal = /\/dev\/pts\/\d+/.test(screen)
    checks.ptyResized = /40 100/.test(screen)
    checks.ptyExitCode = ended.exitCode
    checks.ptyUnknownPid = (await sandbox.pty.resize(999999, { cols: 1, rows: 1 }).catch((e) => e)) instanceof NotFoundError

    const bg = await sandbox.commands.run('for i in 1 2 3; do echo tick$i; sleep 0.2; done', { background: true })
    const out = []
    const attached = await sandbox.commands.connect(bg.pid, { onStdout: (d) => { out.push(d) } })
    await attached.wait()
    checks.connectSawTheRest = out.join('').endsWith('tick3\n')
    const cat = await sandbox.commands.run('cat', { background: true, stdin: true })
    await cat.sendStdin(new TextEncoder().encode('bytes'))
    await cat.closeStdin()
    checks.stdinBytesThenClosed = (await cat.wait()).stdout

    const body = 'gzipped in the browser '.repeat(100)
    await sandbox.files.write('/home/user/g.txt', body, { gzip: true })
    checks.gzipRoundTrip = (await sandbox.files.read('/home/user/g.txt', { gzip: true })) === body
    const meta = await sandbox.files.write('/home/user/m.txt', 'm', { metadata: { from: 'chromium' } })
    checks.metadata = meta.metadata
    const badKey = await sandbox.files.write('/home/user/m.txt', 'm', { metadata: { 'bad key': 'v' } }).catch((e) => e)
    checks.badMetadataKey = badKey instanceof InvalidArgumentError
    const many = await sandbox.files.writeFiles([{ path: '/home/user/a', data: 'a' }, { path: '/home/user/b', data: 'b' }])
    checks.writeFiles = many.map((w) => w.name)

    // A signed link is what a browser can use where it cannot set headers: a plain fetch.
    checks.downloadLink = await (await fetch(await sandbox.downloadUrl('/home/user/m.txt', { useSignatureExpiration: 60 }))).text()
    const form = new FormData()
    form.append('file', new Blob(['uploaded by link']), 'u.txt')
    await fetch(await sandbox.uploadUrl('/home/user/u.txt'), { method: 'POST', body: form })
    checks.uploadLink = await sandbox.files.read('/home/user/u.txt')
    checks.expiredLink = (await fetch(await sandbox.downloadUrl('/home/user/m.txt', { useSignatureExpiration: -10 }))).status
  } finally {
    await sandbox.kill()
  }
  const gone = await sandbox.commands.run('true').catch((e) => e)
  checks.commandOnAKilledSandbox = gone instanceof SandboxNotFoundError
  return checks
}

export const expectedEnvd = {
  watchSawCreations: true,
  watchStopReportedToOnExit: true,
  watchOfAMissingDir: true,
  ptyIsATerminal: true,
  ptyResized: true,
  ptyExitCode: 0,
  ptyUnknownPid: true,
  connectSawTheRest: true,
  stdinBytesThenClosed: 'bytes',
  gzipRoundTrip: true,
  metadata: { from: 'chromium' },
  badMetadataKey: true,
  writeFiles: ['a', 'b'],
  downloadLink: 'm',
  uploadLink: 'uploaded by link',
  expiredLink: 401,
  commandOnAKilledSandbox: true,
}

export const expectedSandbox = {
  mountPath: '/mnt/my-data',
  filesWriteSeenByVolume: 'written in Chromium',
  commandStdout: 'written in Chromium\n',
  commandOnStdout: 'written in Chromium\n',
  shellWriteSeenByVolume: 'shell\n',
  failedCommandExitCode: 7,
  otherSandboxReads: 'shell\n',
  killed: true,
  dataOutlivesTheSandbox: 'written in Chromium',
  separateSeesTheFile: false,
  separateListing: '',
  destroyed: true,
}

export const expected = {
  createGivesAVolume: true,
  readText: 'hello from the browser',
  readBytes: [1, 2, 3],
  readBlobSize: 3,
  streamWrittenAndRead: [9, 8],
  listedPaths: ['/bytes.bin', '/from-stream.bin', '/hello.txt'],
  mtimeIsADate: true,
  missingPathError: 'VolumePathNotFoundError',
  wrongKeyIsAuthenticationError: true,
  destroyed: true,
}
