// The volume explorer (www/) in headless Chromium against a real e2b-local: what a person does with it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { readFile, mkdtemp, mkdir, writeFile } from 'node:fs/promises'
import { join, dirname } from 'node:path'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { build } from 'vite'
import { startServer } from './support/e2b-local.mjs'
import { serveFolder as serve, CHROMIUM_ARGS } from './support/static-server.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
let server
let site
let browser

before(async () => {
  server = await startServer()
  process.env.VITE_E2B_API_URL = server.url
  process.env.VITE_E2B_API_KEY = server.apiKey
  const outDir = join(root, 'tests', '.work', 'www-dist')
  await build({ configFile: join(root, 'www', 'vite.config.js'), logLevel: 'warn', build: { outDir, emptyOutDir: true } })
  site = await serve(outDir)
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  })
})
after(async () => {
  await browser?.close()
  site?.close()
  await server?.stop()
})

test('a person manages a volume in the explorer', async (t) => {
  const folder = await mkdtemp(join(tmpdir(), 'explorer-upload-'))
  await mkdir(join(folder, 'project', 'src'), { recursive: true })
  await writeFile(join(folder, 'project', 'README.md'), '# Hello from the explorer\n')
  await writeFile(join(folder, 'project', 'src', 'main.rs'), 'fn main() {}\n')
  const binary = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256))
  await writeFile(join(folder, 'project', 'data.bin'), binary)

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true })
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  page.on('dialog', (d) => d.accept())
  await t.test('connect to the server', async () => {
    await page.goto(site.url)
    await page.getByRole('button', { name: 'Connect' }).click()
    await page.getByText('No volumes yet').waitFor()
  })

  await t.test('create a volume; the name rules are shown before sending', async () => {
    await page.getByLabel('New volume name').fill('explorer-vol')
    await page.getByRole('button', { name: 'Create', exact: true }).click()
    await page.getByRole('heading', { name: 'Files of explorer-vol' }).waitFor()
    assert.ok(await page.getByText('Letters, digits').isVisible())
  })

  await t.test('upload a folder of several files, with progress, then browse it', async () => {
    await page.locator('#upload-folder').setInputFiles(join(folder, 'project'))
    await page.getByText('Uploaded 3 file(s).').waitFor({ timeout: 5000 }).catch(async (e) => { throw new Error(`upload: ${await page.locator('#status').textContent()} ${e}`) })
    await page.getByRole('button', { name: 'Open folder project' }).click()
    await page.getByRole('listitem').filter({ hasText: 'project' }).last().waitFor()
    await page.locator('#depth').selectOption('2')
    await page.locator('tr[data-path="/project/src/main.rs"]').waitFor()
    const sizes = await page.locator('tr[data-path="/project/data.bin"] td').nth(1).textContent()
    assert.equal(sizes, '2.9 KiB')
  })

  await t.test('preview a text file', async () => {
    await page.getByRole('button', { name: 'Preview README.md' }).click()
    await page.getByText('# Hello from the explorer').waitFor()
  })

  await t.test('download one and compare bytes', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download data.bin' }).click()])
    const saved = await readFile(await download.path())
    assert.ok(saved.equals(binary), 'downloaded bytes match the uploaded file')
  })

  await t.test('run a command in a sandbox with the volume mounted', async () => {
    await page.getByRole('textbox', { name: 'Command' }).fill('ls /mnt/data/project')
    await page.getByRole('button', { name: 'Run' }).click()
    await page.locator('#run-output').getByText('[exit 0]').waitFor({ timeout: 20000 })
    // After the command, the page kills the sandbox and lists the folder again.
    await page.locator('#run-output').getByText('[sandbox ended]').waitFor()
    assert.match(await page.locator('#run-output').textContent(), /README\.md[\s\S]*data\.bin[\s\S]*src/)
  })

  await t.test('delete an entry (confirmed)', async () => {
    await page.getByRole('button', { name: 'Delete data.bin' }).click()
    await page.getByText('Deleted /project/data.bin.').waitFor()
    assert.equal(await page.locator('tr[data-path="/project/data.bin"]').count(), 0)
  })

  await t.test('a taken name is an error in words', async () => {
    await page.getByLabel('New volume name').fill('explorer-vol')
    await page.getByRole('button', { name: 'Create', exact: true }).click()
    await page.getByText('That name is taken').waitFor()
  })

  await t.test('the main view, saved and checked to be non-blank', async () => {
    const shot = join(root, 'tests', '.work', 'explorer.png')
    const png = await page.screenshot({ path: shot, fullPage: true })
    assert.ok(png.length > 20_000, `the screenshot has content (${png.length} bytes)`)
  })

  await t.test('phone width: still usable, nothing overflows sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 1, `no horizontal scrolling at phone width (${overflow}px)`)
    await page.screenshot({ path: join(root, 'tests', '.work', 'explorer-phone.png') })
  })
  assert.deepEqual(errors, [])
  await context.close()
})

test('errors read as words: unauthorized and unreachable', async (t) => {
  const page = await browser.newPage()
  await t.test('unauthorized', async () => {
    await page.goto(site.url)
    await page.getByLabel('API key').fill('e2b_wrong')
    await page.getByRole('button', { name: 'Connect' }).click()
    await page.getByText('Unauthorized: the API key was not accepted.').waitFor()
  })
  await t.test('unreachable', async () => {
    const closed = createServer()
    await new Promise((r) => closed.listen(0, '127.0.0.1', r))
    const port = closed.address().port
    await new Promise((r) => closed.close(r))
    await page.getByLabel('API URL').fill(`http://127.0.0.1:${port}`)
    await page.getByRole('button', { name: 'Connect' }).click()
    await page.getByText('The server is unreachable').waitFor()
  })
  await t.test('keyboard: every control is reachable with Tab', async () => {
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(() => document.activeElement?.tagName)
    assert.ok(['INPUT', 'BUTTON', 'SELECT'].includes(focused))
  })
  await page.close()
})
