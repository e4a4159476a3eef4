// A user's browser code: the same Volume API, run in Chromium against e2b-local (another origin).
import { Volume, VolumeError, VolumePathNotFoundError, AuthenticationError } from 'e2b-wasm'

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
