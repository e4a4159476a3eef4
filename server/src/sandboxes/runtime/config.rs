//! How the server runs sandboxes: its settings, the users every sandbox has, and the places
//! shared by every server on the machine.

use std::path::PathBuf;

use super::oci::Limits;

/// The sandbox user of E2B's templates.
pub const USER_NAME: &str = "user";
/// uid and gid of the sandbox user.
pub const USER_ID: u32 = 1000;

/// Where every e2b-local on the machine keeps sandboxes' bundles and id-range locks.
pub const SHARED_DIR: &str = "/run/e2b-local";
/// The cgroup under which every sandbox gets one of its own.
pub const CGROUP_PARENT: &str = "/e2b-local/";

/// How the server runs sandboxes.
#[derive(Debug, Clone)]
pub struct Config {
    /// The server's data directory, hidden from sandboxes.
    pub data_dir: PathBuf,
    /// Where containers' bundles live.
    pub bundles: PathBuf,
    /// The runtime's state directory.
    pub runtime_state: PathBuf,
    /// The runtime's executable (absolute); found among the usual places when absent.
    pub runc: Option<PathBuf>,
    /// The user-mode network stack, when installed (without it sandboxes have no internet).
    pub pasta: Option<PathBuf>,
    /// The executable run as envd inside sandboxes, and as the mount helper outside (this server's own).
    pub envd: PathBuf,
    /// Where host id ranges are locked (shared by every server on the machine).
    pub slots_dir: PathBuf,
    /// The first host id of the first range.
    pub uid_base: u32,
    /// Limits of every sandbox.
    pub limits: Limits,
    /// Size of a sandbox's own files (its root filesystem, in memory).
    pub disk_bytes: u64,
    /// Containers kept started ahead.
    pub warm: usize,
}
