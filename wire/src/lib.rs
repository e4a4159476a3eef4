//! E2B's wire types and protocol facts, written once for the e2b-wasm SDK and the e2b-local server.
//!
//! Layout:
//! - `volumes`: the control plane's `/volumes` and the volume content API (re-exported at the root);
//! - `sandboxes`: the control plane's `/sandboxes` and `/v2/sandboxes`;
//! - `envd`: the agent inside each sandbox — its port, REST file routes, and the Connect services
//!   `filesystem` and `process`;
//! - `connect`: the Connect protocol itself — error codes and envelope framing;
//! - `headers`: the HTTP header names of all three;
//! - `fields`: the JSON field names of the replies a client reads field by field.
//!
//! Field names follow `spec/openapi.yml` (control plane), `spec/openapi-volumecontent.yml`
//! (volume content API) and `spec/envd/` (envd, in the Connect protocol's JSON mapping); a test
//! checks them against those files. Timestamps travel as RFC 3339 strings, as on the wire.

pub mod connect;
pub mod envd;
pub mod fields;
pub mod headers;
pub mod sandboxes;
mod volumes;

pub use volumes::*;
