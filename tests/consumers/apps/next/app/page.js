// The browser side: a client component runs the round trip once the page is up.
import RoundTrip from './round-trip.js'

export default function Page() {
  return <RoundTrip />
}
