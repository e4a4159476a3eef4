// A Worker: each request runs the round trip against the server its query names.
import { Volume, Sandbox } from 'e2b-wasm'
import { roundTrip } from '../roundtrip.js'

export default {
  async fetch(request) {
    const query = new URL(request.url).searchParams
    const server = { apiUrl: query.get('apiUrl') ?? '', apiKey: query.get('apiKey') ?? '' }
    try {
      return Response.json(await roundTrip({ Volume, Sandbox }, server))
    } catch (e) {
      return new Response(String(e?.stack ?? e), { status: 500 })
    }
  },
}
