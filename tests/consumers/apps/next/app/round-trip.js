'use client'
import { useEffect } from 'react'
import { Volume, Sandbox } from 'e2b-wasm'
import { inPage } from '../roundtrip.js'

export default function RoundTrip() {
  useEffect(() => {
    inPage({ Volume, Sandbox })
  }, [])
  return <p>round trip in the browser</p>
}
