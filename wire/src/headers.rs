//! HTTP header names of E2B's protocols, as the official SDK spells them (HTTP ignores case).

/// The team's API key on control-plane calls.
pub const API_KEY: &str = "X-API-Key";
/// Picks the sandbox on envd calls routed by one host (`sandbox.<domain>`, or e2b-local).
pub const SANDBOX_ID: &str = "E2b-Sandbox-Id";
/// The sandbox port an envd call is for (always [`crate::envd::ENVD_PORT`]).
pub const SANDBOX_PORT: &str = "E2b-Sandbox-Port";
/// The sandbox's envd access token.
pub const ACCESS_TOKEN: &str = "X-Access-Token";
/// Cursor of the next page of `GET /v2/sandboxes`.
pub const NEXT_TOKEN: &str = "X-Next-Token";
/// Number of running sandboxes, on `GET /v2/sandboxes`.
pub const TOTAL_RUNNING: &str = "X-Total-Running";
/// Connect's protocol version header.
pub const CONNECT_PROTOCOL_VERSION: &str = "Connect-Protocol-Version";
/// Connect's call deadline, in milliseconds (absent or 0: none).
pub const CONNECT_TIMEOUT_MS: &str = "Connect-Timeout-Ms";
/// Seconds between keepalive events the client asks for on envd streams.
pub const KEEPALIVE_PING_INTERVAL: &str = "Keepalive-Ping-Interval";
/// gRPC status of a gRPC-Web reply (exposed to browsers for clients that read it).
pub const GRPC_STATUS: &str = "Grpc-Status";
/// gRPC message of a gRPC-Web reply (exposed to browsers for clients that read it).
pub const GRPC_MESSAGE: &str = "Grpc-Message";
/// The coding of a compressed `/files` body (`Content-Encoding` of an upload).
pub const CONTENT_ENCODING: &str = "Content-Encoding";
/// The codings a download may use (`Accept-Encoding`).
pub const ACCEPT_ENCODING: &str = "Accept-Encoding";
/// The one coding envd's `/files` compresses with.
pub const GZIP: &str = "gzip";
