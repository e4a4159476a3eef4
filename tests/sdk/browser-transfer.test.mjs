// Folder transfers in headless Chromium, from the packed package in a plain module page, against
// e2b-local on another origin (see browser/transfer.js for the user's code).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { startServer } from './support/e2b-local.mjs'
import { serveFolder, CHROMIUM_ARGS } from './support/static-server.mjs'
import { expected } from './browser/transfer.js'

const here = dirname(fileURLToPath(import.meta.url))
// Tools come from the workspace that runs the tests, not from the user's package.
const { chromium } = createRequire(process.env.E2B_WORKSPACE_PACKAGE_JSON)('playwright-core')

let server
let browser
before(async () => {
  server = await startServer()
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
})
after(async () => {
  await browser?.close()
  await server?.stop()
})

test('folder transfers in Chromium: handles, FileList, DataTransfer, iterables; progress, cancel, resume', async (t) => {
  const site = await serveFolder(here)
  try {
    const page = await browser.newPage()
    const errors = []
    page.on('pageerror', (e) => errors.push(String(e)))
    await page.goto(`${site.url}/browser/transfer.html`)
    await page.waitForFunction(() => window.e2bReady === true, null, { timeout: 20000 })
    const got = await page.evaluate((o) => window.runTransfers(o), { apiUrl: server.url, apiKey: server.apiKey })
    await page.close()
    assert.deepEqual(errors, [])
    assert.deepEqual(Object.keys(got).sort(), Object.keys(expected).sort(), 'the page ran every check')
    for (const [name, value] of Object.entries(expected)) await t.test(name, () => assert.deepEqual(got[name], value))
  } finally {
    site.close()
  }
})
