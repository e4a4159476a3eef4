// A user's browser code: the same Volume API, run in Chromium against e2b-local (another origin).
// Each function returns named checks, which the test compares with `expected` one by one.
import { Volume, Sandbox, VolumeError, VolumePathNotFoundError, AuthenticationError, CommandExitError } from 'e2b-wasm'

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
