//! e2b-local: an E2B-compatible server for one machine — the control plane (volumes and
//! sandboxes), the volume content API, and envd, run inside each sandbox (an isolated container).
//!
//! Layout (each area has a `routes()`; `app` merges them):
//! - `volumes/`: `/volumes` (`control`), `/volumecontent/{volumeID}/…` (`content`), and the
//!   start-up check that records and directories agree (`reconcile`);
//! - `sandboxes/`: `/sandboxes` and `/v2/sandboxes` (`api`, with `mounts`, `listing` and
//!   `replies`), what a sandbox is (`sandbox`), the running ones (`registry`), and `runtime/`,
//!   the containers they run in;
//! - `envd/`: envd as it runs inside a sandbox (`agent`, `init`, `state`; its REST `files` and its
//!   Connect services `filesystem` and `process`, over the Connect glue in `connect`, acting as a
//!   sandbox `user`), and the server's side of it (`proxy`);
//! - `fs/`: the confined filesystem volumes and envd work in, and its one failure → reply table;
//! - `app`: the router; `auth`: API key, volume token and envd access as route layers;
//!   `errors`: each plane's error reply; `download`: a file as a reply;
//! - `serve`: start and stop; `listener`: connection limits; `cli`: the command line; `state`:
//!   shared state and the data directory; `store`: SQLite records; `tokens`: volume tokens (JWT);
//!   `ids`: IDs and secrets; `timestamp`: RFC 3339 times; `unix_http`: HTTP to envd's socket.
//!
//! Protocol facts (field names, codes, framing, ports, header names) come from `e2b_wire`.

pub mod app;
pub mod auth;
pub mod cli;
pub mod download;
pub mod envd;
pub mod errors;
pub mod fs;
pub mod ids;
pub mod listener;
pub mod sandboxes;
pub mod serve;
pub mod state;
pub mod store;
pub mod timestamp;
pub mod tokens;
pub mod unix_http;
pub mod volumes;
