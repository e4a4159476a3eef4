//! The sandbox lifecycle beyond create and kill: what happens at the timeout (`policy`), egress
//! rules and workload identity (`network`), snapshots (`snapshots`) and metrics (`metrics`). The
//! methods themselves are on the `Sandbox` class (`sandbox::class`).

pub mod metrics;
pub mod network;
pub mod policy;
pub mod snapshots;
