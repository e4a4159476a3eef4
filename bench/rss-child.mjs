// Peak RSS growth of one SDK process while streaming 1 GiB up and 1 GiB down.
import { loadSdk, generated, drain } from './sdks.mjs'

const [which, apiUrl, apiKey] = process.argv.slice(2)
const { Volume } = await loadSdk(which)
process.env.E2B_VOLUME_API_URL = apiUrl
const opts = { apiKey, apiUrl }
const vol = await Volume.create(`rss-${which.replace(/\W/g, '')}-${process.pid}`, opts)
await vol.writeFile('/warm', 'x')
await vol.readFile('/warm')
global.gc?.()
const base = process.memoryUsage().rss
let peak = base
const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 20)
const GIB = 1024 ** 3
await vol.writeFile('/big.bin', generated(GIB))
const n = await drain(await vol.readFile('/big.bin', { format: 'stream' }))
clearInterval(timer)
peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024 > base ? process.resourceUsage().maxRSS * 1024 : 0)
if (n !== GIB) throw new Error(`read ${n} bytes`)
await Volume.destroy(vol.volumeId, opts)
console.log(JSON.stringify({ growthMiB: (peak - base) / 2 ** 20 }))
