// A user's browser code: the same Volume API, run in Chromium against e2b-local (another origin).
import { Volume, Sandbox, VolumeError, VolumePathNotFoundError, AuthenticationError, CommandExitError } from 'e2b-wasm'

export async function run({ apiUrl, apiKey }) {
  const opts = { apiKey, apiUrl }
  const log = []
  const vol = await Volume.create(`browser-${Math.random().toString(36).slice(2)}`, opts)
  log.push(vol instanceof Volume)
  await vol.writeFile('/hello.txt', 'hello from the browser', { force: true })
  log.push(await vol.readFile('/hello.txt'))
  await vol.writeFile('/bytes.bin', new Uint8Array([1, 2, 3]))
  log.push(Array.from(await vol.readFile('/bytes.bin', { format: 'bytes' })))
  const blob = await vol.readFile('/bytes.bin', { format: 'blob' })
  log.push(blob.size)
  // Browsers cannot stream request bodies over HTTP/1.1: the SDK collects the stream first.
  await vol.writeFile('/from-stream.bin', new Blob([new Uint8Array([9, 8])]).stream())
  const stream = await vol.readFile('/from-stream.bin', { format: 'stream' })
  const chunks = []
  for (const reader = stream.getReader(); ;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(...value)
  }
  log.push(chunks)
  log.push((await vol.list('/')).map((e) => e.path))
  log.push((await vol.getInfo('/hello.txt')).mtime instanceof Date)
  const missing = await vol.getInfo('/missing').catch((e) => e)
  log.push(missing instanceof VolumePathNotFoundError && missing instanceof VolumeError && missing.name)
  const denied = await Volume.list({ apiUrl, apiKey: 'e2b_wrong' }).catch((e) => e)
  log.push(denied instanceof AuthenticationError)
  log.push(await Volume.destroy(vol.volumeId, opts))
  return log
}

/** The seed example in a browser: a volume mounted into sandboxes, shared and kept after kill. */
export async function runSandbox({ apiUrl, apiKey }) {
  const opts = { apiKey, apiUrl, sandboxUrl: apiUrl }
  const log = []
  const volume = await Volume.create(`browser-mount-${Math.random().toString(36).slice(2)}`, opts)
  const sandbox = await Sandbox.create({ ...opts, volumeMounts: { '/mnt/my-data': volume } })
  log.push((await sandbox.getInfo()).volumeMounts[0].path)
  await sandbox.files.write('/mnt/my-data/from-browser.txt', 'written in Chromium')
  log.push(await volume.readFile('/from-browser.txt'))
  const out = []
  const run = await sandbox.commands.run('cat /mnt/my-data/from-browser.txt; echo; echo shell > /mnt/my-data/shell.txt', { onStdout: (d) => out.push(d) })
  log.push(run.stdout, out.join(''))
  log.push(await volume.readFile('/shell.txt'))
  const failed = await sandbox.commands.run('exit 7').catch((e) => e)
  log.push(failed instanceof CommandExitError && failed.exitCode)
  const other = await Sandbox.create({ ...opts, volumeMounts: { '/shared': volume.name } })
  log.push((await other.commands.run('cat /shared/shell.txt')).stdout)
  log.push(await sandbox.kill())
  log.push(await other.files.read('/shared/from-browser.txt'))
  // A sandbox with its own volume sees nothing of this one.
  const own = await Volume.create(`browser-own-${Math.random().toString(36).slice(2)}`, opts)
  const separate = await Sandbox.create({ ...opts, volumeMounts: { '/shared': own } })
  log.push(await separate.files.exists('/shared/from-browser.txt'), (await separate.commands.run('ls -A /shared')).stdout)
  await separate.kill()
  await other.kill()
  await Volume.destroy(own.volumeId, opts)
  log.push(await Volume.destroy(volume.volumeId, opts))
  return log
}

export const expectedSandbox = [
  '/mnt/my-data',
  'written in Chromium',
  'written in Chromium\n',
  'written in Chromium\n',
  'shell\n',
  7,
  'shell\n',
  true,
  'written in Chromium',
  false,
  '',
  true,
]

export const expected = [
  true,
  'hello from the browser',
  [1, 2, 3],
  3,
  [9, 8],
  ['/bytes.bin', '/from-stream.bin', '/hello.txt'],
  true,
  'VolumePathNotFoundError',
  true,
  true,
]
