// The server side, as a server component rendered on each request.
import { connection } from 'next/server'
import { Volume, Sandbox } from 'e2b-wasm'
import { roundTrip } from '../../roundtrip.js'

export default async function Page() {
  await connection()
  const server = { apiUrl: process.env.E2B_API_URL, apiKey: process.env.E2B_API_KEY }
  const checks = await roundTrip({ Volume, Sandbox }, server)
  return <pre id="checks">{JSON.stringify(checks)}</pre>
}
