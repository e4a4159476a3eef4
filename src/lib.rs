//! e2b-wasm: E2B volumes from JavaScript, compiled to WebAssembly.
//!
//! A drop-in for the official `e2b` package's `Volume` and `Sandbox` APIs that runs in Node
//! and in browsers.
//! Requests go through the platform's `fetch`; file bodies stay JS values and never enter
//! wasm memory. `volume` holds the class, `http` one call, `config` URL and option
//! precedence, `errors` the error classes, `entry` the conversion of listings and stats.

mod commands;
mod config;
mod entry;
mod env;
mod envd;
mod errors;
mod filesystem;
mod http;
mod js;
mod options;
mod sandbox;
mod volume;

pub use commands::{CommandHandle, Commands};
pub use filesystem::Filesystem;
pub use sandbox::{Sandbox, SandboxPaginator};
pub use volume::Volume;
