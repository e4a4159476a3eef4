// Cold import-and-init time of one SDK, in a fresh process.
const which = process.argv[2]
const t0 = performance.now()
const mod = which === 'e2b-wasm' ? await import('../pkg/dist/node/index.mjs') : await import('e2b')
if (typeof mod.Volume !== 'function') throw new Error('no Volume')
console.log(JSON.stringify({ ms: performance.now() - t0 }))
