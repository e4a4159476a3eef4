// The consumer matrix: one minimal real app per tool (apps/), built with that tool's default setup
// from the packed e2b-wasm tarball, each running the round trip of roundtrip.js against one real
// e2b-local on loopback; browser builds run in headless Chromium. The tools come from
// scripts/setup-consumers.sh (tests/.cache), the tarball from scripts/pack-consumer.sh.
//
//   node --test-reporter=spec tests/consumers/run.mjs [tarball]
//
// E2B_MATRIX=<regex> runs only the cells whose names match (the others are reported as skipped).
// The last lines printed are the table of cells: ran or skipped, passed or failed, seconds.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer } from '../support/e2b-local.mjs'
import { serveFolder, CHROMIUM_ARGS } from '../support/static-server.mjs'
import { expected, REPORT_PREFIX } from './roundtrip.js'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const cache = join(root, 'tests', '.cache')
/** Where setup-consumers.sh installed the tools; the apps are copied in beside them each run. */
const tools = join(cache, 'consumers')
const work = join(tools, 'apps')
const bin = (/** @type {string} */ name) => join(tools, 'node_modules', '.bin', name)
const nodeVersions = readFileSync(join(here, 'node-versions'), 'utf8').split('\n').filter(Boolean)
const platform = `${process.platform}-${process.arch}`
const nodeBin = (/** @type {string} */ version) =>
  join(cache, 'node', version, 'node_modules', `node-${platform}`, 'bin', 'node')
/** wrangler wants Node 22 or later: the newest of the matrix's. */
const newestNode = nodeVersions.at(-1)

const only = process.env.E2B_MATRIX ? new RegExp(process.env.E2B_MATRIX, 'i') : null
/** @type {{ cell: string, ran: boolean, passed: boolean, seconds: number }[]} */
const table = []

/** Tools run quietly, without telemetry, and find the other tools first on PATH. */
const toolEnv = {
  ...process.env,
  PATH: `${join(tools, 'node_modules', '.bin')}:${process.env.PATH}`,
  NEXT_TELEMETRY_DISABLED: '1',
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_LOG_PATH: join(tools, 'wrangler-logs'),
  DENO_DIR: join(cache, 'deno'),
  DENO_NO_UPDATE_CHECK: '1',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
}

let server
let browser
let userDataDir
/** The environment a command-line app reads the server from. */
let serverEnv

before(async () => {
  const tarball = process.argv[2] ?? newestTarball()
  console.log(`consumer matrix: ${tarball}`)
  await sh('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: tools })
  rmSync(work, { recursive: true, force: true })
  cpSync(join(here, 'apps'), work, { recursive: true })
  for (const app of readdirSync(work)) cpSync(join(here, 'roundtrip.js'), join(work, app, 'roundtrip.js'))
  server = await startServer()
  serverEnv = { E2B_API_URL: server.url, E2B_API_KEY: server.apiKey }
  const { chromium } = createRequire(join(tools, 'package.json'))('playwright-core')
  userDataDir = mkdtempSync(join(tmpdir(), 'e2b-matrix-chromium-'))
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--disable-quic'],
  })
})

after(async () => {
  await browser?.close()
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true })
  await server?.stop()
  const width = Math.max(...table.map((r) => r.cell.length))
  const lines = table.map((r) =>
    `${r.cell.padEnd(width)}  ${r.ran ? 'ran    ' : 'skipped'}  ${!r.ran ? '      ' : r.passed ? 'passed' : 'FAILED'}  ${r.ran ? `${r.seconds.toFixed(1)} s` : ''}`)
  const ran = table.filter((r) => r.ran)
  console.log(['', 'consumer matrix:', ...lines,
    `${ran.length} of ${table.length} cells ran, ${ran.filter((r) => r.passed).length} passed, ` +
    `${table.reduce((s, r) => s + r.seconds, 0).toFixed(0)} s`].join('\n'))
})

/** The newest tarball scripts/pack-consumer.sh left in tests/.work. */
function newestTarball() {
  const dir = join(root, 'tests', '.work')
  const found = readdirSync(dir).filter((n) => /^e2b-wasm-.*\.tgz$/.test(n)).map((n) => join(dir, n))
  assert.ok(found.length > 0, 'no tarball: run scripts/pack-consumer.sh first')
  return found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]
}

/** The last lines of a tool's output, for failure messages. */
const tail = (/** @type {string} */ text) => text.trim().split('\n').slice(-40).join('\n')

/**
 * Runs a command to its end; resolves to its output, rejects with its tail on failure.
 * @param {string} cmd @param {string[]} args
 * @param {{ cwd: string, env?: Record<string, string>, timeoutMs?: number }} options
 */
function sh(cmd, args, { cwd, env = {}, timeoutMs = 300_000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...toolEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('error', reject)
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve(out)
      else reject(new Error(`${cmd} ${args.join(' ')} (in ${cwd}) ended with ${code ?? signal}:\n${tail(out)}`))
    })
  })
}

/**
 * Starts a long-running command (a dev or production server) in its own process group and
 * resolves once its output matches `ready`; `stop` ends the group.
 * @param {string} cmd @param {string[]} args
 * @param {{ cwd: string, env?: Record<string, string>, ready: RegExp }} options
 */
async function daemon(cmd, args, { cwd, env = {}, ready }) {
  const child = spawn(cmd, args, { cwd, env: { ...toolEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let out = ''
  const exited = new Promise((resolve) => child.once('exit', resolve))
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${cmd} was not ready in 90 s:\n${tail(out)}`)), 90_000)
      const onData = (/** @type {Buffer} */ d) => {
        out += d
        if (ready.test(out)) {
          clearTimeout(timer)
          resolve(undefined)
        }
      }
      child.stdout.on('data', onData)
      child.stderr.on('data', onData)
      child.once('exit', (code) => reject(new Error(`${cmd} exited with ${code}:\n${tail(out)}`)))
    })
  } catch (e) {
    stopGroup(child.pid)
    throw e
  }
  return {
    output: () => out,
    async stop() {
      stopGroup(child.pid)
      await exited
    },
  }
}

/** Ends the process group this runner started as `pid`. */
function stopGroup(/** @type {number | undefined} */ pid) {
  try {
    if (pid) process.kill(-pid, 'SIGTERM')
  } catch {
    // already gone
  }
}

/** A free loopback port. */
async function freePort() {
  const probe = createServer()
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', () => resolve(undefined)))
  const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address())
  await new Promise((resolve) => probe.close(() => resolve(undefined)))
  return port
}

/** The round trip's checks from a command-line app's output. */
function reported(/** @type {string} */ output) {
  const line = output.split('\n').find((l) => l.startsWith(REPORT_PREFIX))
  assert.ok(line, `the app printed no round trip:\n${tail(output)}`)
  return JSON.parse(line.slice(REPORT_PREFIX.length))
}

/** The query string that hands a page or a Worker the server's URL and key. */
const serverQuery = () => `apiUrl=${encodeURIComponent(server.url)}&apiKey=${encodeURIComponent(server.apiKey)}`

/** Opens `url` in Chromium and returns the checks its round trip left; page errors fail it. */
async function inBrowser(/** @type {string} */ url) {
  const page = await browser.newPage()
  const errors = /** @type {string[]} */ ([])
  page.on('pageerror', (e) => errors.push(String(e)))
  try {
    await page.goto(`${url}${url.includes('?') ? '&' : '?'}${serverQuery()}`)
    await page.waitForFunction(() => window.e2bResult || window.e2bError, null, { timeout: 60_000 })
    const { result, error } = await page.evaluate(() => ({ result: window.e2bResult, error: window.e2bError }))
    assert.equal(error, undefined, 'the round trip failed in the page')
    assert.deepEqual(errors, [], 'no error on the page')
    return result
  } finally {
    await page.close()
  }
}

/** Serves a built browser app's folder and runs its page. */
async function staticSite(/** @type {string} */ dir, page = 'index.html') {
  assert.ok(existsSync(join(dir, page)), `the build made ${page}`)
  const site = await serveFolder(dir)
  try {
    return await inBrowser(`${site.url}/${page}`)
  } finally {
    site.close()
  }
}

/**
 * One cell of the matrix: a test that builds and runs one app and compares its round trip with
 * `expected`, and a row of the table.
 * @param {string} name
 * @param {(t: import('node:test').TestContext) => Promise<unknown>} body returns the checks, or
 *   compares them itself (returning nothing)
 */
function cell(name, body) {
  const skip = only !== null && !only.test(name)
  const row = { cell: name, ran: !skip, passed: false, seconds: 0 }
  table.push(row)
  test(name, { skip: skip && `not in E2B_MATRIX` }, async (t) => {
    const start = performance.now()
    try {
      const checks = await body(t)
      if (checks !== undefined) assert.deepEqual(checks, expected)
      row.passed = true
    } finally {
      row.seconds = (performance.now() - start) / 1000
    }
  })
}

const app = (/** @type {string} */ name) => join(work, name)
/** Compiles the TypeScript app once, for every Node version. */
let tsBuild
const compileTs = () => (tsBuild ??= sh(bin('tsc'), ['-p', '.'], { cwd: app('node-ts') }))

// Node: ESM, CommonJS and TypeScript compiled to CommonJS with a default import, on each version.
for (const version of nodeVersions) {
  const major = version.split('.')[0]
  const node = nodeBin(version)
  cell(`Node ${major} ESM`, async () => reported(await sh(node, ['esm.js'], { cwd: app('script'), env: serverEnv })))
  cell(`Node ${major} CommonJS`, async () => reported(await sh(node, ['cjs.cjs'], { cwd: app('script'), env: serverEnv })))
  cell(`Node ${major} TypeScript → CommonJS (tsc, default import)`, async () => {
    await compileTs()
    return reported(await sh(node, ['dist/index.js'], { cwd: app('node-ts'), env: serverEnv }))
  })
}

cell('Bun ESM', async () => reported(await sh(bin('bun'), ['esm.js'], { cwd: app('script'), env: serverEnv })))
cell('Bun CommonJS', async () => reported(await sh(bin('bun'), ['cjs.cjs'], { cwd: app('script'), env: serverEnv })))
cell('Deno', async () => reported(await sh(bin('deno'), ['run', '-A', 'esm.js'], { cwd: app('script'), env: serverEnv })))

cell('esbuild, Node bundle (--platform=node)', async () => {
  await sh(bin('esbuild'), ['esm.js', '--bundle', '--platform=node', '--format=esm', '--outfile=dist/node.mjs'], { cwd: app('script') })
  return reported(await sh(process.execPath, ['dist/node.mjs'], { cwd: app('script'), env: serverEnv }))
})

cell('Cloudflare workerd (wrangler dev)', async () => {
  const [port, inspector] = [await freePort(), await freePort()]
  const wrangler = await daemon(bin('wrangler'), ['dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector)], {
    cwd: app('workerd'),
    env: { PATH: `${dirname(nodeBin(newestNode))}:${toolEnv.PATH}` },
    ready: /Ready on http/,
  })
  try {
    const res = await fetch(`http://127.0.0.1:${port}/?${serverQuery()}`)
    const body = await res.text()
    assert.equal(res.status, 200, body)
    return JSON.parse(body)
  } finally {
    await wrangler.stop()
  }
})

// Browser builds, each served as a static site and run in Chromium.
cell('Vite (vite build)', async () => {
  await sh(bin('vite'), ['build'], { cwd: app('vite') })
  return staticSite(join(app('vite'), 'dist'))
})
cell('webpack 5 (no config)', async () => {
  await sh(bin('webpack'), [], { cwd: app('webpack') })
  return staticSite(app('webpack'))
})
cell('Rollup (@rollup/plugin-node-resolve)', async () => {
  await sh(bin('rollup'), ['-c'], { cwd: app('rollup') })
  return staticSite(app('rollup'))
})
cell('Rollup (@rollup/plugin-node-resolve, browser: true, output.dir)', async () => {
  await sh(bin('rollup'), ['-c', 'rollup.browser.config.js'], { cwd: app('rollup') })
  assert.ok(readdirSync(join(app('rollup'), 'dist-browser')).length >= 2, 'the sandbox half is a chunk of its own')
  return staticSite(app('rollup'), 'browser.html')
})
cell('esbuild, browser bundle', async () => {
  await sh(bin('esbuild'), ['main.js', '--bundle', '--outfile=dist/main.js'], { cwd: app('esbuild') })
  return staticSite(app('esbuild'))
})
cell('Parcel 2 (parcel build)', async () => {
  await sh(bin('parcel'), ['build', 'index.html'], { cwd: app('parcel') })
  return staticSite(join(app('parcel'), 'dist'))
})

// Next.js's app router, built by Turbopack and by webpack: the client component in Chromium, and
// the route handler and the server component on the server.
for (const [bundler, flags] of /** @type {const} */ ([['Turbopack', []], ['webpack', ['--webpack']]])) {
  cell(`Next.js, ${bundler} (next build ${flags.join(' ')})`.replace(' )', ')'), async (t) => {
    rmSync(join(app('next'), '.next'), { recursive: true, force: true })
    await sh(bin('next'), ['build', ...flags], { cwd: app('next'), timeoutMs: 600_000 })
    const port = await freePort()
    const next = await daemon(bin('next'), ['start', '-H', '127.0.0.1', '-p', String(port)], {
      cwd: app('next'),
      env: serverEnv,
      ready: /Ready in/,
    })
    const site = `http://127.0.0.1:${port}`
    try {
      await t.test('client component, in the browser', async () => assert.deepEqual(await inBrowser(`${site}/`), expected))
      await t.test('route handler, on the server', async () => {
        const res = await fetch(`${site}/api/roundtrip`)
        assert.equal(res.status, 200)
        assert.deepEqual(await res.json(), expected)
      })
      await t.test('server component, on the server', async () => {
        const html = await (await fetch(`${site}/server`)).text()
        const m = /<pre id="checks">([^<]*)<\/pre>/.exec(html)
        assert.ok(m, `the page shows its checks:\n${html.slice(0, 2000)}`)
        const text = m[1].replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, '&')
        assert.deepEqual(JSON.parse(text), expected)
      })
    } finally {
      await next.stop()
    }
  })
}

// The package as installed: what the npm page shows, and builds that bundlers can take whole.
cell('the installed package: README, LICENSE, metadata, self-contained builds', async () => {
  const dir = join(tools, 'node_modules', 'e2b-wasm')
  const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  assert.match(readFileSync(join(dir, 'README.md'), 'utf8'), /## In Next\.js/)
  assert.match(readFileSync(join(dir, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/)
  assert.equal(meta.license, 'Apache-2.0')
  for (const key of ['repository', 'homepage', 'bugs', 'sideEffects']) assert.ok(meta[key], `package.json has ${key}`)
  assert.match(meta.description, /Volume/)
  assert.match(meta.description, /Sandbox/)
  // A bundler would try to emit a file named in `new URL(…, import.meta.url)`; none is shipped.
  const web = readdirSync(join(dir, 'dist', 'web')).map((f) => `dist/web/${f}`)
  assert.ok(web.includes('dist/web/index.js') && web.includes('dist/web/sandbox.js'), String(web))
  for (const file of [...web, 'dist/single/index.js', 'dist/node/bundled.mjs', 'dist/workerd/index.js']) {
    const text = readFileSync(join(dir, file), 'utf8')
    assert.doesNotMatch(text, /import\.meta/, `${file} reads no import.meta`)
    assert.doesNotMatch(text, /\b(readFileSync|__dirname)\b/, `${file} reads no file`)
  }
  assert.match(readFileSync(join(dir, 'dist/workerd/index.js'), 'utf8'), /^import \w+ from "\.\.\/e2b_wasm_bg\.wasm";$/m)
  assert.ok(existsSync(join(dir, 'dist/e2b_wasm_bg.wasm')))
})

// The package as type checkers and linters see it.
cell('arethetypeswrong (attw --pack pkg)', async () => {
  const out = await sh(bin('attw'), ['--pack', join(root, 'pkg'), '--format', 'ascii'], { cwd: tools }).catch((e) => e.message)
  assert.match(out, /No problems found/, out)
})
cell('publint --strict pkg', async () => {
  const out = await sh(bin('publint'), ['--strict', join(root, 'pkg')], { cwd: tools })
  assert.match(out, /All good!/, out)
})
