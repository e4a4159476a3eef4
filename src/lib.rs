//! e2b-wasm: E2B volumes and sandboxes from JavaScript, compiled to WebAssembly — a drop-in for the
//! official `e2b` package's `Volume` and `Sandbox` APIs that runs in Node and in browsers. Requests go
//! through the platform's `fetch`; file bodies stay JS values and never enter wasm memory.
//!
//! Layout (each module imports only those listed before it, so there are no import cycles):
//! - `errors/`: the `Error` enum, its one conversion into the JS error classes (`classes`), and
//!   the texts and mappings that mirror `e2b` 2.51.0 (`messages`);
//! - `options`: reading the option objects users pass;
//! - `transport/`: one `fetch` call with its timeout and abort (`fetch`, `idle`), common headers,
//!   query strings, bodies, uploads, the promise adapter, the host (env vars, runtime), JS fields;
//! - `config`: option and env precedence (URLs, keys, domains, deadlines);
//! - `control_plane`: requests with the API key, and the error of a failed reply;
//! - `envd/`: one sandbox's envd — base URL (`url`), headers and REST (`client`), Connect calls
//!   (`rpc`), base64, and the per-sandbox `Connection`;
//! - `volume/`: the `Volume` class (`class`), `/volumes` calls (`api`), content requests
//!   (`content`), entry conversion (`entry`);
//! - `sandbox/`: the `Sandbox` class (`class`), `/sandboxes` calls (`api`), the create request
//!   (`create`), `SandboxInfo` (`info`), `Sandbox.list` (`paginator`), `sandbox.files`
//!   (`filesystem`, `entry`) and `sandbox.commands` (`commands`, `run`, `process`, `command_handle`).
//!
//! Statics that share a name with an instance method (`getInfo`, `list`, `connect`, `kill`,
//! `setTimeout`) are exported as `__static_<name>`; the package's entry (`pkg/src/statics.js`)
//! gives them their names.

mod config;
mod control_plane;
mod envd;
mod errors;
mod options;
mod sandbox;
mod transport;
mod volume;

pub use sandbox::class::Sandbox;
pub use sandbox::command_handle::CommandHandle;
pub use sandbox::commands::Commands;
pub use sandbox::filesystem::Filesystem;
pub use sandbox::paginator::SandboxPaginator;
pub use volume::class::Volume;
