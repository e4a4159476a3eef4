// @ts-check
// Builds the npm package in pkg/: the Rust SDK compiled to wasm and bound by wasm-bindgen, then the
// entry files of pkg/src bundled by esbuild — as ESM for browsers and bundlers (dist/web/index.js)
// and as CommonJS for Node (dist/node/index.cjs, with dist/node/index.mjs for `import`), the wasm
// inlined in both. Prints the sizes of what browsers load.
import { execFileSync } from 'node:child_process'
import { copyFileSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const pkg = join(root, 'pkg')
const dist = join(pkg, 'dist')
/** wasm-bindgen's output (its typings are read by pkg/tsconfig.json). */
const glue = join(root, 'target', 'e2b-wasm-glue')

/** @param {string} cmd @param {string[]} args */
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' })

run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '-p', 'e2b-wasm'])
rmSync(glue, { recursive: true, force: true })
const wasm = join(root, 'target', 'wasm32-unknown-unknown', 'release', 'e2b_wasm.wasm')
run('wasm-bindgen', ['--target', 'web', '--out-dir', glue, wasm])
const bg = join(glue, 'e2b_wasm_bg.wasm')
// binaryen from npm: Debian's older wasm-opt mishandles the externref table.
run(join(root, 'node_modules', '.bin', 'wasm-opt'), [
  '-Oz', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue', bg, '-o', bg,
])

/**
 * Resolves the entry's two virtual imports to wasm-bindgen's glue and wasm, and the glue's copies of
 * src/js (its "snippets") to the files themselves, so that the entry and the glue share one module.
 * @type {import('esbuild').Plugin}
 */
const gluePlugin = {
  name: 'e2b-wasm-glue',
  setup(b) {
    b.onResolve({ filter: /^e2b-wasm:glue$/ }, () => ({ path: join(glue, 'e2b_wasm.js') }))
    b.onResolve({ filter: /^e2b-wasm:wasm$/ }, () => ({ path: bg }))
    b.onResolve({ filter: /^\.\/snippets\/[^/]+\/src\/js\/[^/]+\.js$/ }, (a) => ({ path: join(root, 'src', 'js', basename(a.path)) }))
  },
}

rmSync(dist, { recursive: true, force: true })
/** @type {import('esbuild').BuildOptions} */
const common = {
  entryPoints: [join(pkg, 'src', 'index.js')],
  bundle: true,
  loader: { '.wasm': 'binary' },
  plugins: [gluePlugin],
  // Classes keep their names (`Sandbox.name`), which bundling would otherwise change.
  keepNames: true,
  logLevel: 'warning',
  // The glue's async loader reads `import.meta.url`; the entry never uses it (it calls `initSync`),
  // so it is dropped from the bundle, but esbuild warns about it before that in the CommonJS build.
  logOverride: { 'empty-import-meta': 'silent' },
}
// Targets name the oldest platforms supported; they also keep esbuild's wasm decoder off APIs that
// newer engines alone have (`Uint8Array.fromBase64`).
await build({ ...common, format: 'esm', platform: 'browser', target: 'es2022', outfile: join(dist, 'web', 'index.js') })
await build({ ...common, format: 'cjs', platform: 'node', target: 'node18', outfile: join(dist, 'node', 'index.cjs') })
copyFileSync(join(pkg, 'src', 'node.mjs'), join(dist, 'node', 'index.mjs'))
// CommonJS consumers of the typings need a .d.cts twin.
copyFileSync(join(pkg, 'index.d.ts'), join(pkg, 'index.d.cts'))

const wasmBytes = readFileSync(bg)
const web = readdirSync(join(dist, 'web')).map((n) => readFileSync(join(dist, 'web', n)))
const size = (/** @type {Buffer[]} */ files, /** @type {boolean} */ gz) =>
  files.reduce((sum, f) => sum + (gz ? gzipSync(f, { level: 9 }).length : f.length), 0)
console.log(`built pkg/dist: wasm ${wasmBytes.length} bytes (gzip ${size([wasmBytes], true)}); ` +
  `dist/web ${size(web, false)} bytes (gzip ${size(web, true)})`)
