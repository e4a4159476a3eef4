#!/usr/bin/env node
// @ts-check
// Runs a command beside a fresh e2b-local: starts the server (tests/support/e2b-local.mjs), runs the
// command with E2B_TEST_API_URL/E2B_TEST_API_KEY and VITE_E2B_API_URL/VITE_E2B_API_KEY set to it,
// stops the server and exits with the command's code.
//
//   node scripts/with-e2b-local.mjs [--port N] [--keep-data] [--print-banner] -- command [args…]
import { spawn } from 'node:child_process'
import { parseArgs } from 'node:util'
import { startServer } from '../tests/support/e2b-local.mjs'

const { values, positionals } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'keep-data': { type: 'boolean', default: false },
    'print-banner': { type: 'boolean', default: false },
  },
  allowPositionals: true,
})
const [command, ...args] = positionals
if (!command) {
  console.error('usage: with-e2b-local.mjs [--port N] [--keep-data] [--print-banner] -- command [args…]')
  process.exit(2)
}

const server = await startServer({ port: Number(values.port), keepData: values['keep-data'] })
if (values['print-banner']) console.log(server.banner.join('\n'))
const env = {
  ...process.env,
  E2B_TEST_API_URL: server.url,
  E2B_TEST_API_KEY: server.apiKey,
  VITE_E2B_API_URL: server.url,
  VITE_E2B_API_KEY: server.apiKey,
}
const child = spawn(command, args, { stdio: 'inherit', env })
// Ctrl-C reaches the whole process group: let the command end, then stop the server.
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => child.kill(signal))
const code = await new Promise((resolve) => {
  child.once('error', (e) => {
    console.error(`with-e2b-local: ${command}: ${e.message}`)
    resolve(127)
  })
  child.once('exit', (c, s) => resolve(c ?? (s ? 1 : 0)))
})
await server.stop()
process.exit(code)
