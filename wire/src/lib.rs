//! E2B's wire types, defined once for the e2b-wasm SDK and the e2b-local server.
//!
//! Field names follow `spec/openapi.yml` (control plane), `spec/openapi-volumecontent.yml`
//! (volume content API) and `spec/envd/` (envd, in the Connect protocol's JSON mapping).
//! Timestamps travel as RFC 3339 strings, as on the wire.

pub mod envd;
pub mod sandboxes;
mod volumes;

pub use volumes::*;
