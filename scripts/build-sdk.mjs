// @ts-check
// Builds the npm package in pkg/: the Rust SDK compiled to wasm and bound by wasm-bindgen, then the
// entry files of pkg/src bundled by esbuild, once for each kind of host the exports map names:
// - dist/web/: browsers, web workers and bundlers for them — ESM in two halves, each with its wasm
//   inlined: index.js with `Volume`, and sandbox.js, which index.js imports on first use of
//   `Sandbox` (the crate built with one feature each; shared modules in a chunk of their own);
// - dist/single/index.js: hosts and bundlers that resolve only the `default` condition (Rollup's
//   node-resolve unless told `browser: true`, whose `output.file` cannot take a second chunk) — one
//   ES module, one wasm with both halves, inlined;
// - dist/node/index.cjs (and the files it requires) and dist/node/index.mjs: Node itself — CommonJS,
//   the wasm read from dist/e2b_wasm_bg.wasm;
// - dist/node/bundled.mjs: Node code that a bundler bundles (Next.js server code, esbuild's node
//   platform) — ESM, the wasm inlined, as a bundle cannot carry a file read beside __dirname;
// - dist/workerd/index.js: Cloudflare's workerd, which compiles no wasm from bytes at run time —
//   ESM importing dist/e2b_wasm_bg.wasm, which wrangler hands over as a compiled module.
// Prints the size of every file: what browsers load, and the rest.
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateRawSync, gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const pkg = join(root, 'pkg')
const dist = join(pkg, 'dist')
/** wasm-bindgen's output for the whole crate (its typings are read by pkg/tsconfig.json). */
const glue = join(root, 'target', 'e2b-wasm-glue')

/** @param {string} cmd @param {string[]} args */
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' })

/**
 * Builds the crate (with only `feature`, or with all) into wasm-bindgen's glue in `dir`, the wasm
 * optimised for size; returns the wasm's path.
 * @param {string} dir @param {string} [feature]
 */
const bindgen = (dir, feature) => {
  run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '-p', 'e2b-wasm',
    ...(feature ? ['--no-default-features', '--features', feature] : [])])
  rmSync(dir, { recursive: true, force: true })
  run('wasm-bindgen', ['--target', 'web', '--out-dir', dir, join(root, 'target', 'wasm32-unknown-unknown', 'release', 'e2b_wasm.wasm')])
  const bg = join(dir, 'e2b_wasm_bg.wasm')
  // binaryen from npm: Debian's older wasm-opt mishandles the externref table. Inlining functions
  // that have one caller shrinks the raw file but makes it gzip worse (each async body is then one
  // unique blob): without it the file is ~4 KiB smaller once gzipped; `--converge` repeats until no gain.
  run(join(root, 'node_modules', '.bin', 'wasm-opt'), [
    '-Oz', '--one-caller-inline-max-function-size', '0', '--converge', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
    '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue', bg, '-o', bg,
  ])
  shortenGlueImports(bg, join(dir, 'e2b_wasm.js'))
  return bg
}

/**
 * Reads the unsigned LEB128 number at `at`: `[value, offset after it]`.
 * @param {Uint8Array} bytes @param {number} at @returns {[number, number]}
 */
const readLeb = (bytes, at) => {
  let value = 0
  for (let shift = 1; ; shift *= 128) {
    const b = bytes[at++]
    value += (b & 0x7f) * shift
    if (b < 0x80) return [value, at]
  }
}
/** `n` as unsigned LEB128. @param {number} n */
const leb = (n) => {
  const out = []
  do {
    const low = n % 128
    n = Math.floor(n / 128)
    out.push(n ? low | 0x80 : low)
  } while (n)
  return out
}
/** The import module of wasm-bindgen's own glue functions. */
const GLUE_MODULE = './e2b_wasm_bg.js'
/** wasm-bindgen's names for its glue functions end in a hash of 16 hex digits. */
const HASHED = /^__wbg_\w+_[0-9a-f]{16}$/

/**
 * Gives wasm-bindgen's glue functions short names (`$0`, `$1`, …), in the wasm's import section and
 * in the glue that defines them: their hashed names (~30 bytes each, a third of them random hex)
 * are written twice, in the wasm and in the JS, and gzip can do little with them (~4 KiB).
 * Each name must be in the glue exactly once, as the key that defines it. (binaryen's
 * `--minify-imports` renames only imports of emscripten's `env` module, so none of these.)
 * @param {string} wasmFile @param {string} glueFile
 */
const shortenGlueImports = (wasmFile, glueFile) => {
  const bytes = readFileSync(wasmFile)
  let glue = readFileSync(glueFile, 'utf8')
  const utf8 = new TextDecoder()
  /** @type {Map<string, string>} */
  const short = new Map()
  for (let at = 8; at < bytes.length;) {
    const [size, start] = readLeb(bytes, at + 1)
    const end = start + size
    if (bytes[at] !== 2) { // not the import section
      at = end
      continue
    }
    let [count, p] = readLeb(bytes, start)
    const name = () => {
      const [n, from] = readLeb(bytes, p)
      p = from + n
      return bytes.subarray(from, p)
    }
    const limits = () => {
      const flags = bytes[p++]
      p = readLeb(bytes, p)[1]
      if (flags & 1) p = readLeb(bytes, p)[1]
    }
    /** @type {number[]} */
    const out = leb(count)
    for (; count > 0; count--) {
      const module = name()
      let field = utf8.decode(name())
      const desc = p
      const kind = bytes[p++]
      if (kind === 0) p = readLeb(bytes, p)[1] // a function: its type
      else if (kind === 1) { p++; limits() } // a table: its element type and limits
      else if (kind === 2) limits() // a memory
      else if (kind === 3) p += 2 // a global: its type and mutability
      else if (kind === 4) p = readLeb(bytes, p + 1)[1] // a tag
      else throw new Error(`wasm import of unknown kind ${kind}`)
      if (utf8.decode(module) === GLUE_MODULE && HASHED.test(field)) {
        if (!short.has(field)) {
          const parts = glue.split(field)
          if (parts.length !== 2) throw new Error(`${field} is in the glue ${parts.length - 1} times, not once`)
          short.set(field, `$${short.size.toString(36)}`)
          glue = parts.join(short.get(field))
        }
        field = /** @type {string} */ (short.get(field))
      }
      const fieldBytes = Buffer.from(field)
      out.push(...leb(module.length), ...module, ...leb(fieldBytes.length), ...fieldBytes, ...bytes.subarray(desc, p))
    }
    writeFileSync(wasmFile, Buffer.concat([bytes.subarray(0, at), Buffer.from([2, ...leb(out.length), ...out]), bytes.subarray(end)]))
    writeFileSync(glueFile, glue)
    return
  }
}
const bg = bindgen(glue)
/** The crate built with one feature, for the browsers' build: its glue's folder and its wasm. */
const half = (/** @type {string} */ feature) => {
  const dir = join(root, 'target', `e2b-wasm-glue-${feature}`)
  return { glue: dir, wasm: bindgen(dir, feature) }
}
const volumeHalf = half('volume')
const sandboxHalf = half('sandbox')

const srcJs = join(root, 'src', 'js')
/** The glue's imports of its copies of src/js (its "snippets"). */
const SNIPPET = /^\.\/snippets\/[^/]+\/src\/js\/([^/]+)\.js$/
/** The entry's imports of src/js. */
const SRC_JS = /\/src\/js\/([^/]+)\.js$/

/**
 * Resolves the entry's two virtual imports — wasm-bindgen's glue (of `glueDir`), and the wasm
 * (`wasm`: the file itself, inlined; a module that reads it; or, `external`, an import of it left to
 * the host) — and every import of src/js (the entry's, and the glue's of its snippet copies) to the
 * files themselves, so that the entry and the glue share one module. The browsers' build also
 * resolves the sandbox half's glue and wasm (`sandbox`). `split` keeps the glue and each src/js
 * module out of the bundle, as separate files beside it (`glue.cjs`, `<name>.cjs`). The entry's
 * local file access (`e2b-wasm:local`, for folder transfers) is Node's file system only in Node's
 * own build (`nodeFs`); elsewhere it refuses local paths, so that no other build references
 * `node:fs`. The `proxy` option's routing (`e2b-wasm:proxy`) is undici's in Node's builds
 * (`nodeProxy`), nothing elsewhere.
 * @param {{ wasm: string, glueDir?: string, sandbox?: { glue: string, wasm: string }, external?: boolean,
 *   split?: boolean, nodeFs?: boolean, nodeProxy?: boolean }} options
 * @returns {import('esbuild').Plugin}
 */
const gluePlugin = ({ wasm, glueDir = glue, sandbox, external = false, split = false, nodeFs = false, nodeProxy = false }) => ({
  name: 'e2b-wasm-glue',
  setup(b) {
    const srcJsModule = (/** @type {string} */ name) =>
      split ? { path: `./${name}.cjs`, external: true } : { path: join(srcJs, `${name}.js`) }
    b.onResolve({ filter: /^e2b-wasm:glue$/ }, () =>
      split ? { path: './glue.cjs', external: true } : { path: join(glueDir, 'e2b_wasm.js') })
    b.onResolve({ filter: /^e2b-wasm:wasm$/ }, () =>
      external || !wasm.endsWith('.wasm') ? { path: wasm, external } : { path: wasm, namespace: 'e2b-wasm-inline' })
    if (sandbox) {
      b.onResolve({ filter: /^e2b-wasm:sandbox-glue$/ }, () => ({ path: join(sandbox.glue, 'e2b_wasm.js') }))
      b.onResolve({ filter: /^e2b-wasm:sandbox-wasm$/ }, () => ({ path: sandbox.wasm, namespace: 'e2b-wasm-inline' }))
    }
    b.onLoad({ filter: /.*/, namespace: 'e2b-wasm-inline' }, (a) => ({ contents: inlineWasm(a.path), resolveDir: root }))
    b.onResolve({ filter: /^e2b-wasm:local$/ }, () =>
      ({ path: join(pkg, 'src', 'transfer', nodeFs ? 'local-node.js' : 'local-none.js') }))
    b.onResolve({ filter: /^e2b-wasm:proxy$/ }, () =>
      nodeProxy ? { path: join(pkg, 'src', 'proxy-node.js') } : { path: 'none', namespace: 'e2b-wasm-empty' })
    b.onLoad({ filter: /.*/, namespace: 'e2b-wasm-empty' }, () => ({ contents: '' }))
    b.onResolve({ filter: SNIPPET }, (a) => srcJsModule(/** @type {RegExpExecArray} */ (SNIPPET.exec(a.path))[1]))
    b.onResolve({ filter: SRC_JS }, (a) => srcJsModule(/** @type {RegExpExecArray} */ (SRC_JS.exec(a.path))[1]))
  },
})

/**
 * A module whose default export is the wasm's bytes, for builds that inline it: deflated, then in
 * base64 — once the page is gzipped, a quarter smaller than the plain file in base64 (a small
 * synchronous inflater, fflate's, keeps the instantiation synchronous).
 * @param {string} file
 */
const inlineWasm = (file) => `import { inflateSync } from 'fflate'
const text = atob(${JSON.stringify(deflateRawSync(readFileSync(file), { level: 9 }).toString('base64'))})
const bytes = new Uint8Array(text.length)
for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i)
export default inflateSync(bytes)
`

rmSync(dist, { recursive: true, force: true })
/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  loader: { '.wasm': 'binary' },
  // No `keepNames`: it costs a call per function made at run time (a few microseconds a request)
  // and 1.6 KB of the browser build; the public classes are named by the entry instead.
  logLevel: 'warning',
  // The glue's async loader reads `import.meta.url`; the entry never uses it (it calls `initSync`),
  // but esbuild warns about it in the CommonJS build. wasm-bindgen's import object names a src/js
  // module twice when two extern blocks import from it; both keys hold the same module namespace.
  logOverride: { 'empty-import-meta': 'silent', 'duplicate-object-key': 'silent' },
}
const entry = join(pkg, 'src', 'index.js')

// Browsers and bundlers: ES modules, minified, as browsers load them as they are (the entries name
// the public classes). The `Volume` half is the entry (index.js), the `Sandbox` half (sandbox.js) a
// second entry that the first imports on first use; what both use is in a shared chunk. The
// target names the oldest engines supported; it also keeps esbuild's wasm decoder off APIs only
// newer engines have.
const webBuild = { ...common, format: /** @type {const} */ ('esm'), platform: /** @type {const} */ ('browser'), target: 'es2022', minify: true }
await build({
  ...webBuild,
  entryPoints: { index: join(pkg, 'src', 'web.js'), sandbox: join(pkg, 'src', 'sandbox-half.js') },
  splitting: true,
  chunkNames: 'shared-[hash]',
  outdir: join(dist, 'web'),
  plugins: [gluePlugin({ wasm: volumeHalf.wasm, glueDir: volumeHalf.glue, sandbox: sandboxHalf })],
})
// Hosts that resolve only `default`: one module, one wasm.
await build({ ...webBuild, entryPoints: [entry], plugins: [gluePlugin({ wasm: bg })], outfile: join(dist, 'single', 'index.js') })

// The one wasm file, for Node's CommonJS build and for workerd.
copyFileSync(bg, join(dist, 'e2b_wasm_bg.wasm'))

// Node: CommonJS, so that `require` works on Node 18, in small files: Node scans the CommonJS file an
// ES module imports for its export names, so the entry (index.cjs) stays small and the glue
// (glue.cjs) and the wasm (read from dist/e2b_wasm_bg.wasm) are separate; src/js modules are files of
// their own that both require.
/** @type {import('esbuild').BuildOptions} */
const nodeOptions = { ...common, format: 'cjs', platform: 'node', target: 'node18', outdir: join(dist, 'node'), outExtension: { '.js': '.cjs' } }
const nodePlugins = [gluePlugin({ wasm: join(pkg, 'src', 'wasm-node.js'), split: true, nodeFs: true, nodeProxy: true })]
await build({ ...nodeOptions, entryPoints: readdirSync(srcJs).filter((n) => n.endsWith('.js')).map((n) => join(srcJs, n)), bundle: false })
// A src/js module that imports another names it `./<name>.js`; beside it, that file is `<name>.cjs`.
for (const name of readdirSync(join(dist, 'node'))) {
  const file = join(dist, 'node', name)
  const text = readFileSync(file, 'utf8')
  const renamed = text.replace(/require\("\.\/([\w-]+)\.js"\)/g, 'require("./$1.cjs")')
  if (renamed !== text) writeFileSync(file, renamed)
}
await build({ ...nodeOptions, entryPoints: { glue: join(glue, 'e2b_wasm.js') }, plugins: nodePlugins })
await build({ ...nodeOptions, entryPoints: { index: entry }, plugins: nodePlugins })
copyFileSync(join(pkg, 'src', 'node.mjs'), join(dist, 'node', 'index.mjs'))

// Node under a bundler: one ES module with the wasm inlined, for bundlers that resolve the `module`
// condition (webpack and Turbopack in Next.js, esbuild); import and require get this one module.
const bundledPlugins = [gluePlugin({ wasm: bg, nodeProxy: true })]
await build({ ...common, entryPoints: [entry], format: 'esm', platform: 'node', target: 'node18', plugins: bundledPlugins, outfile: join(dist, 'node', 'bundled.mjs') })

// workerd: the wasm imported as a module; wrangler's default rules compile `.wasm` imports ahead.
const workerdPlugins = [gluePlugin({ wasm: '../e2b_wasm_bg.wasm', external: true })]
await build({ ...common, entryPoints: [entry], format: 'esm', platform: 'neutral', target: 'es2022', plugins: workerdPlugins, outfile: join(dist, 'workerd', 'index.js') })

// The typings: wasm-bindgen's, generated from the crate (dist/types/glue.d.ts), the error classes
// (src/js/errors.d.ts), and the entry's (pkg/index.d.ts), which only re-exports them. CommonJS
// consumers get .d.cts twins whose imports name the twins.
const types = join(dist, 'types')
mkdirSync(types, { recursive: true })
const twins = (/** @type {string} */ from, /** @type {string} */ to) => {
  const text = readFileSync(from, 'utf8')
  writeFileSync(`${to}.d.ts`, text)
  writeFileSync(`${to}.d.cts`, text.replace(/(from '\.[^']*)\.js'/g, "$1.cjs'"))
}
twins(join(glue, 'e2b_wasm.d.ts'), join(types, 'glue'))
twins(join(srcJs, 'errors.d.ts'), join(types, 'errors'))
twins(join(pkg, 'index.d.ts'), join(pkg, 'index'))

/** Every file under `dir`, as paths relative to `dist`. */
const files = (/** @type {string} */ dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dist, join(d.parentPath, d.name)))
    .sort()
const kb = (/** @type {number} */ n) => `${(n / 1024).toFixed(1)} KiB`
const line = (/** @type {string} */ name) => {
  const bytes = readFileSync(join(dist, name))
  return `  dist/${name.padEnd(22)} ${kb(bytes.length).padStart(10)}  gzip ${kb(gzipSync(bytes, { level: 9 }).length).padStart(10)}`
}
const gzipKb = (/** @type {string[]} */ names) =>
  kb(names.reduce((total, name) => total + gzipSync(readFileSync(join(dist, name)), { level: 9 }).length, 0))
const web = files(join(dist, 'web'))
const withVolumes = web.filter((f) => f !== join('web', 'sandbox.js'))
console.log(['built pkg/dist; what a browser loads (the wasm is inlined; sandbox.js on first use of Sandbox):',
  ...web.map(line), `  a page that uses volumes: gzip ${gzipKb(withVolumes)}; one that also uses sandboxes: gzip ${gzipKb(web)}`,
  'the rest (hosts that resolve only `default`, Node, Node under a bundler, workerd):',
  ...files(dist).filter((f) => !web.includes(f)).map(line)].join('\n'))
