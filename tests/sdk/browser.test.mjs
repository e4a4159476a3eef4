// The packed package in headless Chromium: loaded by a plain <script type="module"> and by a Vite build,
// with no plugin and no init call, talking to e2b-local on another origin: volumes, and sandboxes
// with volume mounts; watchDir, pty and the other envd calls over fetch's streams.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { startServer } from './support/e2b-local.mjs'
import { serveFolder as serve, CHROMIUM_ARGS } from './support/static-server.mjs'
import { expected, expectedSandbox, expectedEnvd } from './browser/app.js'

const here = dirname(fileURLToPath(import.meta.url))
// Tools come from the workspace that runs the tests, not from the user's package.
const workspace = createRequire(process.env.E2B_WORKSPACE_PACKAGE_JSON)
const { chromium } = workspace('playwright-core')

let server
let browser
before(async () => {
  server = await startServer()
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  })
})
after(async () => {
  await browser?.close()
  await server?.stop()
})

async function runPage(url) {
  const page = await browser.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  const scripts = []
  page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname))
  await page.goto(url)
  await page.waitForFunction(() => window.e2bReady === true, null, { timeout: 20000 })
  const o = { apiUrl: server.url, apiKey: server.apiKey }
  const result = await page.evaluate((o) => window.runE2b(o), o)
  // The sandbox half is a script of its own, loaded on the first use of `Sandbox`.
  const withVolumes = [...scripts]
  const sandbox = await page.evaluate((o) => window.runSandbox(o), o)
  const sandboxHalf = scripts.slice(withVolumes.length)
  const envd = await page.evaluate((o) => window.runEnvd(o), o)
  await page.close()
  assert.deepEqual(errors, [])
  assert.equal(sandboxHalf.length, 1, `one script more once sandboxes are used: ${sandboxHalf}`)
  assert.ok(!withVolumes.includes(sandboxHalf[0]), 'not loaded for volumes')
  return { result, sandbox, envd, withVolumes, sandboxHalf }
}

/** Compares the page's named checks with the expected ones, each as its own subtest. */
async function compare(t, got, want) {
  assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), 'the page ran every check')
  for (const [name, value] of Object.entries(want)) await t.test(name, () => assert.deepEqual(got[name], value))
}

test('a plain <script type="module"> page', async (t) => {
  const site = await serve(here)
  try {
    const { result, sandbox, envd, withVolumes, sandboxHalf } = await runPage(`${site.url}/browser/plain.html`)
    assert.ok(withVolumes.includes('/node_modules/e2b-wasm/dist/web/index.js'), String(withVolumes))
    assert.deepEqual(sandboxHalf, ['/node_modules/e2b-wasm/dist/web/sandbox.js'])
    await t.test('volumes', (t) => compare(t, result, expected))
    await t.test('sandboxes', (t) => compare(t, sandbox, expectedSandbox))
    await t.test('files, commands and pty', (t) => compare(t, envd, expectedEnvd))
  } finally {
    site.close()
  }
})

test('the sandbox half: a paginator at once, and a failed load tried again on the next call', async () => {
  const site = await serve(here)
  const page = await browser.newPage()
  try {
    let requests = 0
    await page.route('**/dist/web/sandbox.js', (r) => (requests++ === 0 ? r.abort() : r.continue()))
    await page.goto(`${site.url}/browser/plain.html`)
    await page.waitForFunction(() => window.e2bReady === true, null, { timeout: 20000 })
    const got = await page.evaluate(async (o) => {
      const { Sandbox } = await import('e2b-wasm')
      const paginator = Sandbox.list(o)
      const atOnce = !(paginator instanceof Promise) && paginator.hasNext
      const failed = await paginator.nextItems().then(() => 'loaded', (e) => e instanceof TypeError)
      const page = await Sandbox.list(o).nextItems()
      return { atOnce, failed, listed: Array.isArray(page) }
    }, { apiUrl: server.url, apiKey: server.apiKey })
    assert.deepEqual(got, { atOnce: true, failed: true, listed: true })
    assert.equal(requests, 2)
  } finally {
    await page.close()
    site.close()
  }
})

test('a Vite production build with default settings', async (t) => {
  const { build } = await import(workspace.resolve('vite'))
  const outDir = join(here, 'browser', 'vite-dist')
  await build({ root: join(here, 'browser', 'vite-app'), logLevel: 'warn', build: { outDir, emptyOutDir: true } })
  const site = await serve(outDir)
  try {
    const { result, sandbox, envd } = await runPage(`${site.url}/index.html`)
    await t.test('volumes', (t) => compare(t, result, expected))
    await t.test('sandboxes', (t) => compare(t, sandbox, expectedSandbox))
    await t.test('files, commands and pty', (t) => compare(t, envd, expectedEnvd))
  } finally {
    site.close()
  }
})
