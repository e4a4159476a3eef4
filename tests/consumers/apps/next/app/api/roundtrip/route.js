// The server side, as a route handler: the round trip's checks as JSON.
import { Volume, Sandbox } from 'e2b-wasm'
import { roundTrip } from '../../../roundtrip.js'

export async function GET() {
  const server = { apiUrl: process.env.E2B_API_URL, apiKey: process.env.E2B_API_KEY }
  return Response.json(await roundTrip({ Volume, Sandbox }, server))
}
