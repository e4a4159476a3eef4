#!/usr/bin/env node
// @ts-check
// Runs a command beside a fresh e2b-local: starts the server (tests/support/e2b-local.mjs), runs the
// command with E2B_TEST_API_URL/E2B_TEST_API_KEY and VITE_E2B_API_URL/VITE_E2B_API_KEY set to it,
// stops the server and exits with the command's code.
//
//   node scripts/with-e2b-local.mjs [--port N] [--keep-data] [--print-banner] -- command [args…]
import { parseArgs } from 'node:util'
import { startServer } from '../tests/support/e2b-local.mjs'
import { runCommand } from './run-command.mjs'

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
const code = await runCommand('with-e2b-local', command, args, env)
await server.stop()
process.exit(code)
