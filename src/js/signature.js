// SHA-256 through the platform's Web Crypto (Node 18+ and browsers), for signed file URLs: no
// hashing code in the wasm.

/**
 * Base64 of the SHA-256 of `text` (as UTF-8).
 * @param {string} text
 * @returns {Promise<string>}
 */
async function sha256Base64(text) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
  let binary = ''
  for (const byte of digest) binary += String.fromCharCode(byte)
  return btoa(binary)
}

export { sha256Base64 }
