// @ts-check
// Builds the npm package in pkg/: the Rust SDK compiled to wasm and bound by wasm-bindgen, then the
// entry files of pkg/src bundled by esbuild — as ESM for browsers and bundlers (dist/web/index.js,
// the wasm inlined) and as CommonJS for Node (dist/node/index.cjs and the files it requires, with
// dist/node/index.mjs for `import`). Prints the sizes of what browsers load.
import { execFileSync } from 'node:child_process'
import { copyFileSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
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

const srcJs = join(root, 'src', 'js')
/** The glue's imports of its copies of src/js (its "snippets"). */
const SNIPPET = /^\.\/snippets\/[^/]+\/src\/js\/([^/]+)\.js$/
/** The entry's imports of src/js. */
const SRC_JS = /\/src\/js\/([^/]+)\.js$/

/**
 * Resolves the entry's two virtual imports — wasm-bindgen's glue, and the wasm's bytes (`wasm`: the
 * file itself, inlined, or a module that reads it) — and every import of src/js (the entry's, and
 * the glue's of its snippet copies) to the files themselves, so that the entry and the glue share
 * one module. `split` keeps the glue and each src/js module out of the bundle, as separate files
 * beside it (`glue.cjs`, `<name>.cjs`).
 * @param {{ wasm: string, split?: boolean }} options
 * @returns {import('esbuild').Plugin}
 */
const gluePlugin = ({ wasm, split = false }) => ({
  name: 'e2b-wasm-glue',
  setup(b) {
    const srcJsModule = (/** @type {string} */ name) =>
      split ? { path: `./${name}.cjs`, external: true } : { path: join(srcJs, `${name}.js`) }
    b.onResolve({ filter: /^e2b-wasm:glue$/ }, () =>
      split ? { path: './glue.cjs', external: true } : { path: join(glue, 'e2b_wasm.js') })
    b.onResolve({ filter: /^e2b-wasm:wasm$/ }, () => ({ path: wasm }))
    b.onResolve({ filter: SNIPPET }, (a) => srcJsModule(/** @type {RegExpExecArray} */ (SNIPPET.exec(a.path))[1]))
    b.onResolve({ filter: SRC_JS }, (a) => srcJsModule(/** @type {RegExpExecArray} */ (SRC_JS.exec(a.path))[1]))
  },
})

rmSync(dist, { recursive: true, force: true })
/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  loader: { '.wasm': 'binary' },
  // Classes keep their names (`Sandbox.name`), which bundling would otherwise change.
  keepNames: true,
  logLevel: 'warning',
  // The glue's async loader reads `import.meta.url`; the entry never uses it (it calls `initSync`),
  // but esbuild warns about it in the CommonJS build.
  logOverride: { 'empty-import-meta': 'silent' },
}
const entry = join(pkg, 'src', 'index.js')

// Browsers and bundlers: one ES module, the wasm inlined. The target names the oldest engines
// supported; it also keeps esbuild's wasm decoder off APIs only newer engines have.
const webPlugins = [gluePlugin({ wasm: bg })]
await build({ ...common, entryPoints: [entry], format: 'esm', platform: 'browser', target: 'es2022', plugins: webPlugins, outfile: join(dist, 'web', 'index.js') })

// Node: CommonJS, so that `require` works on Node 18, in small files: Node scans the CommonJS file an
// ES module imports for its export names, so the entry (index.cjs) stays small and the glue
// (glue.cjs) and the wasm (read from e2b_wasm_bg.wasm) are separate; src/js modules are files of
// their own that both require.
/** @type {import('esbuild').BuildOptions} */
const nodeOptions = { ...common, format: 'cjs', platform: 'node', target: 'node18', outdir: join(dist, 'node'), outExtension: { '.js': '.cjs' } }
const nodePlugins = [gluePlugin({ wasm: join(pkg, 'src', 'wasm-node.js'), split: true })]
await build({ ...nodeOptions, entryPoints: readdirSync(srcJs).map((n) => join(srcJs, n)), bundle: false })
await build({ ...nodeOptions, entryPoints: { glue: join(glue, 'e2b_wasm.js') }, plugins: nodePlugins })
await build({ ...nodeOptions, entryPoints: { index: entry }, plugins: nodePlugins })
copyFileSync(bg, join(dist, 'node', 'e2b_wasm_bg.wasm'))
copyFileSync(join(pkg, 'src', 'node.mjs'), join(dist, 'node', 'index.mjs'))
// CommonJS consumers of the typings need a .d.cts twin.
copyFileSync(join(pkg, 'index.d.ts'), join(pkg, 'index.d.cts'))

const wasmBytes = readFileSync(bg)
const webFiles = readdirSync(join(dist, 'web')).map((n) => readFileSync(join(dist, 'web', n)))
const size = (/** @type {Buffer[]} */ files, /** @type {boolean} */ gz) =>
  files.reduce((sum, f) => sum + (gz ? gzipSync(f, { level: 9 }).length : f.length), 0)
console.log(`built pkg/dist: wasm ${wasmBytes.length} bytes (gzip ${size([wasmBytes], true)}); ` +
  `dist/web ${size(webFiles, false)} bytes (gzip ${size(webFiles, true)})`)
