// @ts-check
// Starts a real e2b-local process on a loopback port: the one place that starts it and reads its
// banner, for the tests, the demo, the benchmark and the scripts (through scripts/with-e2b-local.mjs).
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
 * @typedef {object} ServerOptions
 * @property {number} [port] the port (default 0: any free one)
 * @property {boolean} [keepData] use the server's own data folder and keep it (default: a fresh
 *   temporary folder, removed on stop)
 * @property {string[]} [args] extra `serve` arguments
 */

/**
 * @typedef {object} Server
 * @property {string} url the API URL (`E2B_API_URL`)
 * @property {string} apiKey the API key (`E2B_API_KEY`)
 * @property {string | undefined} dataDir the temporary data folder, if one was made
 * @property {string[]} banner the lines the server printed on start
 * @property {() => Promise<void>} stop stops the server (and removes a temporary data folder)
 */

/**
 * Starts e2b-local and resolves once its banner names the API URL and key.
 * @param {ServerOptions} [options]
 * @returns {Promise<Server>}
 */
export async function startServer({ port = 0, keepData = false, args = [] } = {}) {
  const dataDir = keepData ? undefined : mkdtempSync(join(tmpdir(), 'e2b-local-test-'))
  const dataArgs = dataDir ? ['--data-dir', dataDir] : []
  const child = spawn(serverBinary(), ['serve', '--port', String(port), ...dataArgs, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' },
  })
  /** @type {Record<string, string>} */
  const vars = {}
  const banner = /** @type {string[]} */ ([])
  const lines = createInterface({ input: /** @type {import('node:stream').Readable} */ (child.stdout) })
  await new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`e2b-local exited early with ${code}`)))
    lines.on('line', (line) => {
      if (vars.E2B_API_URL && vars.E2B_API_KEY) return // past the banner: drained, not kept
      banner.push(line)
      const m = /^export (E2B_\w+)=(.*)$/.exec(line)
      if (m) vars[m[1]] = m[2]
      if (vars.E2B_API_URL && vars.E2B_API_KEY) resolve(undefined)
    })
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  return {
    url: vars.E2B_API_URL,
    apiKey: vars.E2B_API_KEY,
    dataDir,
    banner,
    async stop() {
      child.kill('SIGTERM')
      await exited
      if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
