//! Sandboxes as isolated Linux containers, run by an OCI runtime (runc, from the distribution's
//! packages): a user namespace mapping the sandbox's ids to an unprivileged host range, its own
//! mount, PID, network, IPC, UTS and cgroup namespaces, a seccomp filter, no new privileges, a
//! cgroup with memory, pids and CPU limits, and a root filesystem in size-limited memory with the
//! host's system directories read-only. envd runs inside as the first process.
//!
//! Starting a container takes the runtime tens of milliseconds, so a few are kept started ahead
//! ("warm"); a sandbox takes one and gets its volumes, settings and network then.
//!
//! Each sandbox's system (`/usr`, `/etc`, `/opt`) is its own writable overlay over the host's,
//! seen through its id mapping, with what only host root may read hidden.
//!
//! `config` is how sandboxes run; `pool` hands out containers, some started ahead; `container` is one
//! container's life; `oci` and `seccomp` its configuration; `rootfs` its root filesystem and
//! `system` its writable system (over `userns` mappings); `archive` its files as one archive;
//! `runc` the runtime; `handle` the kernel's handle on it; `reaper` reaps what exits; `attach`
//! volume mounts; `network` internet access; `firewall` egress rules; `usage` resource use;
//! `slots` host id ranges.

mod archive;
mod attach;
mod config;
mod container;
mod firewall;
mod handle;
mod network;
mod oci;
mod pool;
mod reaper;
mod rootfs;
mod runc;
mod seccomp;
mod slots;
mod system;
mod usage;
mod userns;

pub use attach::helper_main as mount_helper_main;
pub use config::{Config, SHARED_DIR, USER_ID, USER_NAME};
pub use container::Container;
pub use firewall::{Cidr, Egress};
pub use network::find as find_pasta;
pub use oci::Limits;
pub use pool::{Runtime, StartError};
pub use rootfs::{ENVD_PATH, SYSTEM_DIRS, SYSTEM_LINKS};
pub use slots::DEFAULT_BASE as DEFAULT_UID_BASE;
pub use usage::Usage;
