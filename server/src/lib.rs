//! e2b-local: an E2B-compatible server for one machine.
//!
//! Layout: `routes` is the routing table; `control_plane` and `content_api` hold the handlers
//! of each plane; `confined_fs` does confined filesystem work; `store` and `tokens` keep records
//! and mint volume tokens; `server` starts it all.

pub mod app;
pub mod auth;
pub mod cli;
pub mod envd;
pub mod errors;
pub mod fs;
pub mod ids;
pub mod sandboxes;
pub mod server;
pub mod state;
pub mod store;
pub mod timestamp;
pub mod tokens;
pub mod volumes;
