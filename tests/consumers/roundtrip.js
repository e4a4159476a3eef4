// The round trip every app of the consumer matrix runs through e2b-wasm, in its own runtime and as
// its own tool built it: a volume written, read and listed, then mounted into a sandbox whose shell
// reads the file back. The app hands over the classes it imported, so this file imports nothing.

/** What a passing round trip returns (run.mjs compares it key by key). */
export const expected = {
  created: true,
  readBack: 'hello from the matrix',
  listed: ['/hello.txt'],
  mounted: '/mnt/data',
  catOutput: 'hello from the matrix',
  killed: true,
  destroyed: true,
}

/**
 * Runs the round trip against the server at `apiUrl` and returns its named checks.
 * @param {{ Volume: any, Sandbox: any }} sdk the classes the app imported from e2b-wasm
 * @param {{ apiUrl: string, apiKey: string }} server
 */
export async function roundTrip({ Volume, Sandbox }, { apiUrl, apiKey }) {
  // e2b-local serves sandboxes' envd on its own API address.
  const opts = { apiUrl, apiKey, sandboxUrl: apiUrl }
  const checks = {}
  const volume = await Volume.create(`matrix-${Math.random().toString(36).slice(2)}`, opts)
  checks.created = volume instanceof Volume
  await volume.writeFile('/hello.txt', 'hello from the matrix')
  checks.readBack = await volume.readFile('/hello.txt')
  checks.listed = (await volume.list('/')).map((e) => e.path)
  const sandbox = await Sandbox.create({ ...opts, volumeMounts: { '/mnt/data': volume } })
  try {
    checks.mounted = (await sandbox.getInfo()).volumeMounts[0]?.path
    checks.catOutput = (await sandbox.commands.run('cat /mnt/data/hello.txt')).stdout
  } finally {
    checks.killed = await sandbox.kill()
  }
  checks.destroyed = await Volume.destroy(volume.volumeId, opts)
  return checks
}

/** The start of the line a command-line app prints, which run.mjs looks for in its output. */
export const REPORT_PREFIX = 'E2B-ROUNDTRIP '

/**
 * A command-line app's round trip: the server from `env` (the app's `process.env`: E2B_API_URL and
 * E2B_API_KEY), the checks printed as one line; a failure is thrown.
 * @param {{ Volume: any, Sandbox: any }} sdk
 * @param {Record<string, string | undefined>} env
 */
export async function report(sdk, env) {
  const checks = await roundTrip(sdk, { apiUrl: env.E2B_API_URL ?? '', apiKey: env.E2B_API_KEY ?? '' })
  console.log(REPORT_PREFIX + JSON.stringify(checks))
}

/**
 * A browser page's round trip: the server from the page's query string (`apiUrl`, `apiKey`), the
 * checks left in `window.e2bResult`, or the failure in `window.e2bError`.
 * @param {{ Volume: any, Sandbox: any }} sdk
 */
export function inPage(sdk) {
  const query = new URLSearchParams(location.search)
  const server = { apiUrl: query.get('apiUrl') ?? '', apiKey: query.get('apiKey') ?? '' }
  return roundTrip(sdk, server).then(
    (checks) => {
      window.e2bResult = checks
    },
    (e) => {
      window.e2bError = String(e?.stack ?? e)
    },
  )
}
