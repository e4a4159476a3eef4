// How Node's build reads a big local file for an upload (pkg/src/transfer/local-node.js): in
// chunks, as the request takes them, and closed however the stream ends.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileStream } from '../../pkg/src/transfer/local-node.js'

const CHUNK = 512 * 1024

/** A temporary file of `size` bytes of a pattern; removed after the test. */
function file(t, size) {
  const dir = mkdtempSync(join(tmpdir(), 'e2b-wasm-local-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'f.bin')
  writeFileSync(path, new Uint8Array(size).map((_, i) => (i * 31) % 251))
  return path
}

/** The kernel's read position of an open descriptor. */
const position = (fd) => Number(/^pos:\s+(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))[1])

test('a file is read whole, in chunks, and closed at its end', async (t) => {
  const path = file(t, 5 * CHUNK + 123)
  const handle = await open(path)
  const sizes = []
  const parts = []
  for await (const chunk of fileStream(handle)) {
    sizes.push(chunk.length)
    parts.push(chunk)
  }
  assert.deepEqual(sizes, [CHUNK, CHUNK, CHUNK, CHUNK, CHUNK, 123])
  assert.deepEqual(Buffer.concat(parts), readFileSync(path))
  assert.equal(handle.fd, -1, 'the file is closed')
})

test('nothing is read far ahead of the reader', async (t) => {
  const handle = await open(file(t, 64 * CHUNK))
  const fd = handle.fd
  const reader = fileStream(handle).getReader()
  assert.equal((await reader.read()).value.length, CHUNK)
  await new Promise((r) => setTimeout(r, 200))
  assert.ok(position(fd) <= 2 * CHUNK, `read ${position(fd)} bytes for one chunk taken`)
  await reader.cancel()
  assert.equal(handle.fd, -1, 'a cancelled stream closes the file')
})
