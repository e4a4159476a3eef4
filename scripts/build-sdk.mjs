// Builds the npm package in pkg/: the Rust SDK compiled to wasm, with entry points for
// Node (CJS and ESM, one shared instance) and for browsers and bundlers (ESM, wasm inlined
// so that no loader, plugin or init call is needed).
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync, rmSync, mkdirSync, readdirSync, existsSync } from 'node:fs'
import { join, dirname, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'pkg', 'dist')
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' })

/** Names the package exports besides the wasm classes, all declared in src/js/errors.js. */
const SNIPPET_EXPORTS = [
  'VolumeFileType', 'VolumeError', 'VolumeNotFoundError', 'VolumePathNotFoundError', 'SandboxError',
  'TimeoutError', 'InvalidArgumentError', 'NotEnoughSpaceError', 'NotFoundError', 'FileNotFoundError',
  'SandboxNotFoundError', 'TemplateError', 'RateLimitError', 'AuthenticationError', 'ServiceBusyError',
  'CommandExitError', 'FileType',
]
const WASM_EXPORTS = ['Volume', 'Sandbox']
const ALL = [...WASM_EXPORTS, ...SNIPPET_EXPORTS]
// Statics that share a name with an instance method are exported from Rust under another name.
const STATIC_ALIASES = `for (const [cls, names] of [[Volume, ['getInfo', 'list']], [Sandbox, ['connect', 'kill', 'getInfo', 'setTimeout', 'list']]]) {
  for (const name of names) Object.defineProperty(cls, name, { value: cls['__' + name], writable: true, configurable: true })
}`

const wasmOptFlags = ['-Oz', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue']

run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '-p', 'e2b-wasm'])
const wasm = join(root, 'target', 'wasm32-unknown-unknown', 'release', 'e2b_wasm.wasm')
rmSync(dist, { recursive: true, force: true })
for (const target of ['web', 'nodejs']) {
  const out = join(dist, target === 'nodejs' ? 'node' : 'web')
  run('wasm-bindgen', ['--target', target, '--no-typescript', '--out-dir', out, wasm])
  const bg = join(out, 'e2b_wasm_bg.wasm')
  // binaryen from npm: Debian's older wasm-opt mishandles the externref table.
  run(join(root, 'node_modules', '.bin', 'wasm-opt'), [...wasmOptFlags, bg, '-o', bg])
}

/** Path (relative to `dir`) of a snippet (`src/js/<name>`) that wasm-bindgen copied there. */
function snippetPath(dir, name = 'errors.js') {
  const base = join(dir, 'snippets')
  const [hashed] = readdirSync(base)
  return './' + relative(dir, join(base, hashed, 'src', 'js', name))
}

// Node: CommonJS glue; the snippets are turned into CommonJS too (Node 18 cannot require ESM).
const node = join(dist, 'node')
writeFileSync(join(node, 'package.json'), '{ "type": "commonjs" }\n')
const nodeSnippet = snippetPath(node)
for (const name of readdirSync(join(root, 'src', 'js'))) {
  const file = join(node, snippetPath(node, name))
  const esm = readFileSync(file, 'utf8')
  const exportBlock = /^export \{([^}]*)\}\s*$/m
  if (!exportBlock.test(esm)) throw new Error(`src/js/${name} must end with one \`export { … }\` block`)
  writeFileSync(file, esm.replace(exportBlock, (_, names) => `module.exports = {${names}}\n`))
}
writeFileSync(join(node, 'index.cjs'), `'use strict'
const { Volume, Sandbox } = require('./e2b_wasm.js')
const errors = require(${JSON.stringify(nodeSnippet)})
${STATIC_ALIASES}
module.exports = { Volume, Sandbox, ...errors, default: Sandbox }
`)
writeFileSync(join(node, 'index.mjs'), `import sdk from './index.cjs'
export const { ${ALL.join(', ')} } = sdk
export default sdk.Sandbox
`)

// Browsers and bundlers: ESM glue, wasm inlined as base64 and instantiated synchronously.
const web = join(dist, 'web')
const wasmBytes = readFileSync(join(web, 'e2b_wasm_bg.wasm'))
rmSync(join(web, 'e2b_wasm_bg.wasm'))
writeFileSync(join(web, 'wasm.js'), `export default ${JSON.stringify(wasmBytes.toString('base64'))}\n`)
writeFileSync(join(web, 'index.js'), `import { initSync, Volume, Sandbox } from './e2b_wasm.js'
import wasm from './wasm.js'
export { ${SNIPPET_EXPORTS.join(', ')} } from ${JSON.stringify(snippetPath(web))}

initSync({ module: Uint8Array.from(atob(wasm), (c) => c.charCodeAt(0)) })
${STATIC_ALIASES}
export { Volume, Sandbox }
export default Sandbox
`)
console.log(`built pkg/dist: wasm ${wasmBytes.length} bytes`)

// CommonJS consumers of the typings need a .d.cts twin.
writeFileSync(join(root, 'pkg', 'index.d.cts'), readFileSync(join(root, 'pkg', 'index.d.ts')))
