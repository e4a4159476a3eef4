// Starts a real e2b-local process on an ephemeral loopback port with a temporary data dir.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Path of the e2b-local binary: $E2B_LOCAL_BIN, else this checkout's release build, else its debug build. */
export function serverBinary() {
  if (process.env.E2B_LOCAL_BIN) return process.env.E2B_LOCAL_BIN
  const release = join(root, 'target', 'release', 'e2b-local')
  return existsSync(release) ? release : join(root, 'target', 'debug', 'e2b-local')
}

/**
 * Starts e2b-local; resolves to { url, apiKey, dataDir, stop }.
 * @param {string[]} [args] extra `serve` arguments
 */
export async function startServer(args = []) {
  const dataDir = mkdtempSync(join(tmpdir(), 'e2b-local-test-'))
  const child = spawn(serverBinary(), ['serve', '--port', '0', '--data-dir', dataDir, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' },
  })
  const banner = {}
  const lines = createInterface({ input: child.stdout })
  await new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`e2b-local exited early with ${code}`)))
    lines.on('line', (line) => {
      const m = /^export (E2B_\w+)=(.*)$/.exec(line)
      if (m) banner[m[1]] = m[2]
      if (banner.E2B_API_URL && banner.E2B_API_KEY) resolve()
    })
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  return {
    url: banner.E2B_API_URL,
    apiKey: banner.E2B_API_KEY,
    dataDir,
    async stop() {
      child.kill('SIGTERM')
      await exited
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
