// The volume explorer (www/) in headless Chromium against a real e2b-local: what a person does with it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { readFile, mkdtemp, mkdir, writeFile } from 'node:fs/promises'
import { join, dirname } from 'node:path'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { Sandbox as OfficialSandbox, Volume as OfficialVolume } from 'e2b'
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
    const png = await snap(page, 'explorer.png')
    assert.ok(png.length > 20_000, `the screenshot has content (${png.length} bytes)`)
  })

  await t.test('phone width: still usable, nothing overflows sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 1, `no horizontal scrolling at phone width (${overflow}px)`)
    await snap(page, 'explorer-phone.png')
  })
  assert.deepEqual(errors, [])
  await context.close()
})

/**
 * Saves what the page shows into tests/.work/`name`. The viewport only: a full-page capture (Chromium's
 * captureBeyondViewport) once hung the page's rendering for good, failing every step after it.
 */
function snap(page, name) {
  return page.screenshot({ path: join(root, 'tests', '.work', name) })
}

/** The sandboxes running on the server, seen through the official SDK. */
async function running() {
  return OfficialSandbox.list({ apiUrl: server.url, apiKey: server.apiKey }).nextItems()
}

/** Waits until `check()` is true, for at most `ms`; `what` names it in the failure. */
async function until(check, what, ms = 10_000) {
  const start = Date.now()
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms: ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

test('a terminal on the volume, with a live tree of the mounted folder', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  const screen = page.locator('#terminal-screen')
  /** What the terminal shows, one line per row. */
  const shown = () => screen.locator('.xterm-rows').innerText()
  /** Types `line` and Enter into the terminal, as a person at the keyboard. */
  const type = async (line) => {
    await screen.click()
    await page.keyboard.type(line)
    await page.keyboard.press('Enter')
  }
  /** Waits for a status line; a failure says what the status line said instead. */
  const statusSays = (text) =>
    page.locator('#status').getByText(text).waitFor({ timeout: 30_000 }).catch(async (e) => {
      throw new Error(`status: ${await page.locator('#status').textContent()} (${e.message})`)
    })
  const untilShown = (re, what) => until(async () => re.test((await shown()).replace(/\u00a0/g, ' ')), what)

  await t.test('open a terminal: a sandbox with the volume mounted, and a shell on a PTY', async () => {
    await page.goto(site.url)
    await page.getByRole('button', { name: 'Connect' }).click()
    await page.getByLabel('New volume name').fill('terminal-vol')
    await page.getByRole('button', { name: 'Create', exact: true }).click()
    await page.getByRole('heading', { name: 'Files of terminal-vol' }).waitFor()
    assert.equal(await page.getByLabel('Mount path').last().inputValue(), '/mnt/volume')
    await page.getByRole('button', { name: 'Open terminal' }).click()
    await statusSays('Terminal open: the volume terminal-vol is at /mnt/volume.')
    await page.getByRole('tree').getByText('(empty)').waitFor()
    const sandboxes = await running()
    assert.equal(sandboxes.length, 1)
    assert.deepEqual(sandboxes[0].volumeMounts, [{ name: 'terminal-vol', path: '/mnt/volume' }])
    // The shell starts in the mounted folder and sees a terminal.
    await type('pwd; tty -s && echo "IS A $(echo T)TY"')
    await untilShown(/^\/mnt\/volume$/m, 'the working directory')
    await untilShown(/^IS A TTY$/m, 'a TTY')
  })

  await t.test('a command typed in the terminal writes into the volume: the tree shows it without a refresh', async () => {
    await type('mkdir -p notes && echo "hello from the terminal" > notes/hello.txt')
    await page.locator('#live-tree li[data-path="notes/hello.txt"]').waitFor()
    assert.equal(await page.locator('#live-tree li[data-path="notes"] > span').textContent(), 'notes/')
    // The file table follows too, listed again after the change.
    await page.locator('tr[data-path="/notes"]').waitFor()
    const volume = (await OfficialVolume.list({ apiUrl: server.url, apiKey: server.apiKey })).find((v) => v.name === 'terminal-vol')
    const official = await OfficialVolume.connect(volume.volumeId, { apiUrl: server.url, apiKey: server.apiKey })
    assert.equal(await official.readFile('/notes/hello.txt', { apiUrl: server.url }), 'hello from the terminal\n')
  })

  await t.test('changes made elsewhere (the volume API) appear too; removals and renames leave the tree', async () => {
    const volume = (await OfficialVolume.list({ apiUrl: server.url, apiKey: server.apiKey })).find((v) => v.name === 'terminal-vol')
    const official = await OfficialVolume.connect(volume.volumeId, { apiUrl: server.url, apiKey: server.apiKey })
    await official.writeFile('/from-api.txt', 'written beside the terminal', { apiUrl: server.url })
    await page.locator('#live-tree li[data-path="from-api.txt"]').waitFor()
    await type('mv notes/hello.txt notes/renamed.txt && rm from-api.txt')
    await page.locator('#live-tree li[data-path="notes/renamed.txt"]').waitFor()
    await until(async () => (await page.locator('#live-tree li[data-path="notes/hello.txt"], #live-tree li[data-path="from-api.txt"]').count()) === 0, 'the old names gone')
  })

  await t.test('a resize reaches the program (stty size)', async () => {
    const before = await screen.getAttribute('data-size')
    assert.match(before, /^\d+ \d+$/)
    await type('echo "SIZE $(stty size)"')
    await untilShown(new RegExp(`^SIZE ${before}$`, 'm'), `stty size ${before}`)
    await page.setViewportSize({ width: 1000, height: 900 })
    await until(async () => (await screen.getAttribute('data-size')) !== before, 'the terminal resized')
    const after = await screen.getAttribute('data-size')
    assert.notEqual(after.split(' ')[1], before.split(' ')[1], 'a narrower window has fewer columns')
    await type('clear; echo "SIZE $(stty size)"')
    await untilShown(new RegExp(`^SIZE ${after}$`, 'm'), `stty size ${after}`)
  })

  await t.test('a burst of 1,200 new files: the tree keeps up, drawing 1,000 entries and counting the rest', async () => {
    await type('mkdir many && (cd many && touch $(seq -f f%04g 1200))')
    await page.getByRole('tree').getByText('… and 203 more').waitFor()
    assert.equal(await page.locator('#live-tree li[data-path]').count(), 1000)
    await type('rm -r many')
    await until(async () => (await page.locator('#live-tree li[data-path]').count()) === 2, 'the burst gone from the tree')
  })

  await t.test('the terminal view, saved and checked to be non-blank', async () => {
    await type('ls -R')
    await untilShown(/renamed\.txt/, 'the listing')
    const png = await snap(page, 'explorer-terminal.png')
    assert.ok(png.length > 20_000, `the screenshot has content (${png.length} bytes)`)
  })

  await t.test('phone width: the terminal fits, nothing overflows sideways', async () => {
    const before = await screen.getAttribute('data-size')
    await page.setViewportSize({ width: 390, height: 844 })
    await until(async () => (await screen.getAttribute('data-size')) !== before, 'the terminal resized')
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 1, `no horizontal scrolling at phone width (${overflow}px)`)
    await snap(page, 'explorer-terminal-phone.png')
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  await t.test('closing the panel kills the sandbox', async () => {
    await page.getByRole('button', { name: 'Close terminal' }).click()
    await page.getByText('Terminal closed; its sandbox was stopped.').waitFor()
    assert.equal(await page.locator('#terminal-panel').isHidden(), true)
    await until(async () => (await running()).length === 0, 'no sandbox left running')
  })

  await t.test('when the shell exits, the panel closes and the sandbox is killed', async () => {
    await page.getByRole('button', { name: 'Open terminal' }).click()
    await statusSays('Terminal open')
    assert.equal((await running()).length, 1)
    await type('exit')
    await statusSays('The shell ended; its sandbox was stopped.')
    assert.equal(await page.locator('#terminal-panel').isHidden(), true)
    await until(async () => (await running()).length === 0, 'no sandbox left running')
  })

  await t.test('closing the tab kills the sandbox', async () => {
    await page.getByRole('button', { name: 'Open terminal' }).click()
    await statusSays('Terminal open')
    assert.equal((await running()).length, 1)
    assert.deepEqual(errors, [])
    await page.close({ runBeforeUnload: true })
    await until(async () => (await running()).length === 0, 'no sandbox left running')
  })
  await context.close()
})

test('folder transfers: progress in bytes and files, and a folder downloaded into a picked folder', async (t) => {
  const folder = await mkdtemp(join(tmpdir(), 'explorer-transfer-'))
  const files = Array.from({ length: 40 }, (_, i) => [`big/part-${String(i).padStart(2, '0')}.bin`, Buffer.alloc(256 * 1024, i)])
  await mkdir(join(folder, 'big'), { recursive: true })
  for (const [path, data] of files) await writeFile(join(folder, path), data)
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))

  await t.test('a folder upload shows files and bytes as they go', async () => {
    await page.goto(site.url)
    await page.getByRole('button', { name: 'Connect' }).click()
    await page.getByLabel('New volume name').fill('transfer-vol')
    await page.getByRole('button', { name: 'Create', exact: true }).click()
    await page.getByRole('heading', { name: 'Files of transfer-vol' }).waitFor()
    // Every text the progress line shows, as it changes.
    await page.evaluate(() => {
      window.progressTexts = []
      new MutationObserver(() => window.progressTexts.push(document.getElementById('progress-text').textContent))
        .observe(document.getElementById('progress-text'), { childList: true, characterData: true, subtree: true })
    })
    await page.locator('#upload-folder').setInputFiles(join(folder, 'big'))
    await page.locator('#status').getByText('Uploaded 40 file(s). 10.0 MiB in all.').waitFor({ timeout: 30_000 })
    const texts = await page.evaluate(() => window.progressTexts)
    assert.equal(texts.at(-1), '40 of 40 files, 10.0 MiB of 10.0 MiB')
    assert.equal(texts[0], 'Starting…')
    assert.ok(texts.length > 2, 'progress is shown along the way, not only at the end')
    assert.ok(texts.slice(1).every((x) => /^\d+ of 40 files, [\d.]+ (B|KiB|MiB) of 10\.0 MiB$/.test(x)), texts.join('\n'))
    await page.locator('tr[data-path="/big"]').waitFor()
  })

  await t.test('download the folder shown into a picked folder', async () => {
    await page.getByRole('button', { name: 'Open folder big' }).click()
    await page.locator('tr[data-path="/big/part-39.bin"]').waitFor()
    // The picker needs a person; the page's private file system gives a real directory handle instead.
    await page.evaluate(() => {
      window.showDirectoryPicker = async () => (await navigator.storage.getDirectory()).getDirectoryHandle('picked', { create: true })
    })
    await page.getByRole('button', { name: 'Download folder' }).click()
    await page.locator('#status').getByText('Downloaded 40 file(s) of /big into picked.').waitFor({ timeout: 30_000 })
    const saved = await page.evaluate(async () => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('picked')
      const out = {}
      for await (const [name, handle] of dir.entries()) {
        if (handle.kind === 'directory') out[name] = 'dir'
        else {
          const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer())
          out[name] = `${bytes.length}:${bytes[0]}:${bytes.at(-1)}`
        }
      }
      return out
    })
    const expected = Object.fromEntries(files.map(([path, data], i) => [path.slice('big/'.length), `${data.length}:${i}:${i}`]))
    assert.deepEqual(saved, expected)
  })

  await t.test('drop files onto the drop zone: they go into the folder shown', async () => {
    await page.evaluate(() => {
      const dt = new DataTransfer()
      dt.items.add(new File(['dropped text'], 'dropped.txt', { type: 'text/plain' }))
      dt.items.add(new File([new Uint8Array(5000)], 'zeros.bin'))
      document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }))
    })
    await page.locator('#status').getByText('Uploaded 2 file(s). 4.9 KiB in all.').waitFor()
    await page.locator('tr[data-path="/big/dropped.txt"]').waitFor()
    assert.equal(await page.locator('tr[data-path="/big/zeros.bin"] td').nth(1).textContent(), '4.9 KiB')
  })

  await t.test('cancel an upload midway; the same upload again skips what arrived and sends the rest', async () => {
    const many = join(folder, 'many')
    await mkdir(many)
    for (let i = 0; i < 300; i++) await writeFile(join(many, `f${String(i).padStart(4, '0')}.txt`), `file ${i}\n`.padEnd(1024, '.'))
    await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('button', { name: 'transfer-vol' }).click()
    await page.locator('tr[data-path="/big"]').waitFor()
    // A person's click on Cancel, as soon as the first files have arrived.
    await page.evaluate(() => {
      const text = document.getElementById('progress-text')
      const observer = new MutationObserver(() => {
        if (!/^[1-9]\d* of 300 files/.test(text.textContent)) return
        observer.disconnect()
        document.getElementById('cancel-upload').click()
      })
      observer.observe(text, { childList: true, characterData: true, subtree: true })
    })
    await page.locator('#upload-folder').setInputFiles(many)
    await page.locator('#status').getByText(/^Cancelled\. \d+ of 300 files were done\.$/).waitFor().catch(async (e) => {
      throw new Error(`status: ${await page.locator('#status').textContent()}; progress: ${await page.locator('#progress-text').textContent()} (${e.message})`)
    })
    assert.equal(await page.locator('#progress').isHidden(), true)
    const volume = (await OfficialVolume.list({ apiUrl: server.url, apiKey: server.apiKey })).find((v) => v.name === 'transfer-vol')
    const official = await OfficialVolume.connect(volume.volumeId, { apiUrl: server.url, apiKey: server.apiKey })
    const arrived = (await official.list('/many', { apiUrl: server.url })).length
    assert.ok(arrived < 300, `the upload stopped early (${arrived} files arrived)`)

    await page.locator('#upload-folder').setInputFiles(many)
    const done = page.locator('#status').getByText(/^Uploaded \d+ file\(s\)\./)
    await done.waitFor({ timeout: 60_000 })
    const [, sent, skipped = '0'] = /^Uploaded (\d+) file\(s\)\. [\d.]+ \w+ in all\.(?: Skipped (\d+) entr(?:y|ies) \(existing\)\.)?$/.exec(await done.textContent()) ?? []
    assert.ok(sent, await done.textContent())
    assert.equal(Number(sent) + Number(skipped), 300)
    assert.ok(Number(skipped) >= arrived, `the files that arrived before the cancel are skipped (${skipped} of ${arrived})`)
    assert.equal((await official.list('/many', { apiUrl: server.url })).length, 300)
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
