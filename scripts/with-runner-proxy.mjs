#!/usr/bin/env node
// @ts-check
// Runs a command (a `wasm-pack test --chrome` run) with headless Chromium's requests to the
// wasm-bindgen test runner's page server handed on through a loopback proxy, one at a time.
//
// Why: that server (tiny_http) starts each new connection on a pool thread and can leave one queued
// when several arrive at once, until another connection closes. Chromium fetches the page's module
// graph (the glue's JS snippets) over several new keep-alive connections in parallel, so about one
// run in three never loaded (a snippet's request sat unread; the page stayed at "Loading
// scripts..." until the driver's five-minute timeout). Through this proxy the server sees a single
// connection.
//
// Chromium is pointed at the proxy by a copy of webdriver.json (WASM_BINDGEN_TEST_WEBDRIVER_JSON);
// requests to e2b-local (E2B_TEST_API_URL's port) bypass it, so the SDK's own traffic is unchanged.
//
//   node scripts/with-runner-proxy.mjs -- command [args…]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCommand } from './run-command.mjs'

const [command, ...args] = process.argv.slice(process.argv.indexOf('--') + 1)
if (!command || !process.argv.includes('--')) {
  console.error('usage: with-runner-proxy.mjs -- command [args…]')
  process.exit(2)
}
const apiPort = process.env.E2B_TEST_API_URL ? new URL(process.env.E2B_TEST_API_URL).port : ''

// One kept-alive upstream socket: requests reach the page server one after another.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
const proxy = http.createServer((req, res) => {
  const target = URL.canParse(req.url ?? '') ? new URL(/** @type {string} */ (req.url)) : undefined
  // Tests talk only to loopback: anything else the browser asks for is refused.
  if (!target || target.protocol !== 'http:' || target.hostname !== '127.0.0.1') {
    res.writeHead(502).end()
    return
  }
  const upstream = http.request(
    { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers, agent },
    (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers)
      reply.pipe(res)
    },
  )
  upstream.on('error', () => res.headersSent ? res.destroy() : res.writeHead(502).end())
  req.pipe(upstream)
})
// HTTPS tunnels (the browser's own background requests) are refused.
proxy.on('connect', (_req, socket) => socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'))
await new Promise((resolve) => proxy.listen(0, '127.0.0.1', () => resolve(undefined)))
const address = /** @type {import('node:net').AddressInfo} */ (proxy.address())

const dir = mkdtempSync(join(tmpdir(), 'runner-proxy-'))
const caps = JSON.parse(readFileSync(new URL('../webdriver.json', import.meta.url), 'utf8'))
const chrome = (caps['goog:chromeOptions'] ??= {})
// `<-loopback>` lets loopback requests use the proxy; e2b-local's port still goes direct.
const bypass = ['<-loopback>', ...(apiPort ? [`127.0.0.1:${apiPort}`] : [])].join(';')
chrome.args = [...(chrome.args ?? []), `--proxy-server=http://127.0.0.1:${address.port}`, `--proxy-bypass-list=${bypass}`]
const capsPath = join(dir, 'webdriver.json')
writeFileSync(capsPath, JSON.stringify(caps))

const env = { ...process.env, WASM_BINDGEN_TEST_WEBDRIVER_JSON: capsPath }
const code = await runCommand('with-runner-proxy', command, args, env)
proxy.close()
agent.destroy()
rmSync(dir, { recursive: true, force: true })
process.exit(code)
