//! envd, the agent inside each sandbox: the client for one sandbox (its URL by the official rules,
//! its headers, REST calls, Connect unary and server-stream calls, signatures of file links) and the
//! per-sandbox connection data.

pub mod base64;
pub mod client;
pub mod connection;
pub mod rpc;
pub mod signature;
pub mod url;
