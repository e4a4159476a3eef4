//! Sandboxes: the `Sandbox` class, its control-plane calls and lifecycle, the paginator of
//! `Sandbox.list`, and `sandbox.files`, `sandbox.commands` and `sandbox.pty` (which reach the sandbox
//! through `crate::envd`).

pub mod api;
mod callback;
pub mod class;
pub mod command_handle;
pub mod commands;
pub mod create;
pub mod entry;
mod envd_typings;
pub mod filesystem;
pub mod info;
pub mod lifecycle;
pub mod paginator;
pub mod process;
pub mod pty;
pub mod run;
mod typings;
pub mod watch;
