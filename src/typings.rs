//! TypeScript declarations shared by every area: the logger, connection options and the user name
//! type. (Each area's own types are in its `typings` module; wasm-bindgen writes them all into the
//! package's generated typings.)

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const SHARED: &str = r#"
/** Something that logs; each method is optional. */
export interface Logger {
  /** Called with debug messages. */
  debug?: (...args: any[]) => void
  /** Called for each request and successful response. */
  info?: (...args: any[]) => void
  /** Called with warnings. */
  warn?: (...args: any[]) => void
  /** Called for failed requests and error responses. */
  error?: (...args: any[]) => void
}

/** Options of control-plane calls, and the base of every sandbox's options. */
export interface ConnectionOpts {
  /** E2B API key; defaults to the `E2B_API_KEY` environment variable (Node only). */
  apiKey?: string
  /** Accepted for compatibility; the API key is checked by the server. */
  validateApiKey?: boolean
  /** Accepted for compatibility (E2B's access tokens are for its own tools). */
  accessToken?: string
  /** E2B domain; defaults to `E2B_DOMAIN`, else `e2b.app`. */
  domain?: string
  /** Control-plane URL; defaults to `E2B_API_URL`, else `https://api.<domain>`. */
  apiUrl?: string
  /** envd URL for every sandbox; defaults to `E2B_SANDBOX_URL`, else E2B's per-sandbox host. */
  sandboxUrl?: string
  /** Debug mode: talk to `localhost`; defaults to `E2B_DEBUG`. */
  debug?: boolean
  /** Timeout of each request in milliseconds (default 60 000; 0 disables it). */
  requestTimeoutMs?: number
  /** Accepted for compatibility: requests are not retried. */
  retries?: number
  /** Receives a line for each request and response. */
  logger?: Logger
  /** Extra headers sent with each request. */
  headers?: Record<string, string>
  /** Extra headers for control-plane requests only. */
  apiHeaders?: Record<string, string>
  /** Aborts the request in flight. */
  signal?: AbortSignal
  /** HTTP proxy URL for every request, kept by the volumes and sandboxes made with these options:
   * honoured in Node (it needs the `undici` package); elsewhere the platform's proxy settings apply. */
  proxy?: string
}

/** A sandbox user: `user` (the default) or `root`, or any user the template has. */
export type Username = string
"#;
