// Peak RSS growth of one process while it streams 1 GiB up, then (measured apart) 1 GiB down, through
// one client: `volume` (Volume.writeFile / readFile) or `files` (sandbox.files.write / read, into a
// mounted volume). Prints `{ upMiB, downMiB }`.
import { loadSdk, generated, drain } from './sdks.mjs'

const [which, via, apiUrl, apiKey] = process.argv.slice(2)
const { Volume, Sandbox } = await loadSdk(which)
process.env.E2B_VOLUME_API_URL = apiUrl
const opts = { apiKey, apiUrl }
const GIB = 1024 ** 3
const vol = await Volume.create(`rss-${which.replace(/\W/g, '')}-${via}-${process.pid}`, opts)
let sbx
try {
  // Overwrites need `force` on the volume content API; the sandbox's files are overwritten freely.
  let write = (stream) => vol.writeFile('/big.bin', stream, { force: true })
  let read = () => vol.readFile('/big.bin', { format: 'stream' })
  if (via === 'files') {
    sbx = await Sandbox.create({ ...opts, sandboxUrl: apiUrl, volumeMounts: { '/mnt/data': vol } })
    write = (stream) => sbx.files.write('/mnt/data/big.bin', stream)
    read = () => sbx.files.read('/mnt/data/big.bin', { format: 'stream', requestTimeoutMs: 0 })
  }
  // A first small round trip, so that what is measured is the stream, not the client's start.
  await write(generated(1024))
  await drain(await read())

  /** Peak RSS growth over a baseline while `f` runs, sampled every 20 ms. */
  const growth = async (f) => {
    global.gc?.()
    const base = process.memoryUsage().rss
    let peak = base
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
    await f()
    clearInterval(timer)
    return (Math.max(peak, process.memoryUsage().rss) - base) / 2 ** 20
  }
  const upMiB = await growth(() => write(generated(GIB)))
  let n = 0
  const downMiB = await growth(async () => (n = await drain(await read())))
  if (n !== GIB) throw new Error(`read ${n} bytes`)
  console.log(JSON.stringify({ upMiB, downMiB }))
} finally {
  await sbx?.kill()
  await Volume.destroy(vol.volumeId, opts)
}
