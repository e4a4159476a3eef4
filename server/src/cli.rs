//! Command-line interface of `e2b-local`.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// An E2B-compatible server for one machine: volumes, their content API, and sandboxes.
#[derive(Debug, Parser)]
#[command(name = "e2b-local", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the control plane, the volume content API and envd on one port.
    Serve(ServeArgs),
    /// Run envd as a sandbox's first process (started by the server inside each sandbox).
    #[command(hide = true)]
    Envd,
    /// Mount the detached tree at descriptor 4 at TARGET inside the mount namespace at descriptor
    /// 3, making missing directories owned by OWNER (run by the server for volume mounts).
    #[command(hide = true)]
    MountInto {
        /// Absolute path inside the sandbox.
        target: String,
        /// Host uid (and gid) given to directories made on the way.
        owner: u32,
    },
}

/// Options of `e2b-local serve`.
#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1", env = "E2B_LOCAL_HOST")]
    pub host: IpAddr,
    /// Port to listen on; 0 picks a free port (printed at start).
    #[arg(long, default_value_t = 3000, env = "E2B_LOCAL_PORT")]
    pub port: u16,
    /// Where volumes and the database live [default: the user's data folder, e.g. ~/.local/share/e2b-local].
    #[arg(long, env = "E2B_LOCAL_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// API key to accept (kept in the data dir); without it one is generated on first start.
    #[arg(long, env = "E2B_LOCAL_API_KEY")]
    pub api_key: Option<String>,
    /// Lifetime of volume content tokens, in seconds.
    #[arg(long, default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..))]
    pub token_ttl_secs: u64,
    #[command(flatten)]
    pub sandboxes: SandboxArgs,
    #[command(flatten)]
    pub connections: ConnectionArgs,
}

/// Limits of sandboxes.
#[derive(Debug, Args, Clone)]
pub struct SandboxArgs {
    /// Most sandboxes running at once.
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_sandboxes: u32,
    /// Memory of a sandbox, in MiB (its own files, which live in memory, count too).
    #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u32).range(64..))]
    pub sandbox_memory_mb: u32,
    /// CPUs a sandbox may use.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..))]
    pub sandbox_cpus: u32,
    /// Processes and threads a sandbox may run.
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(16..))]
    pub sandbox_pids: u32,
    /// Size of a sandbox's own files (its root filesystem), in MiB.
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(16..))]
    pub sandbox_disk_mb: u32,
    /// Size of a sandbox's /tmp, in MiB.
    #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..))]
    pub sandbox_tmp_mb: u32,
    /// Sandboxes started ahead, so that creating one is quick.
    #[arg(long, default_value_t = 2)]
    pub warm_sandboxes: u32,
    /// Seconds between samples of each sandbox's resource use (its metrics).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
    pub sandbox_metrics_interval_secs: u64,
    /// The OCI runtime's executable [default: runc from the usual system directories].
    #[arg(long)]
    pub runc: Option<PathBuf>,
    /// First host uid of the ranges sandboxes' users map to (65536 ids each).
    #[arg(long, default_value_t = crate::sandboxes::runtime::DEFAULT_UID_BASE)]
    pub sandbox_uid_base: u32,
}

/// Limits of client connections.
#[derive(Debug, Args, Clone)]
pub struct ConnectionArgs {
    /// Most client connections open at once.
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Seconds a client has to send a request's headers.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout_secs: u64,
    /// Seconds after which a connection on which nothing moves is closed.
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout_secs: u64,
    /// Seconds open requests get to finish at shutdown.
    #[arg(long, default_value_t = 5)]
    pub shutdown_grace_secs: u64,
}

impl ServeArgs {
    /// The data directory to use.
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir
            .clone()
            .unwrap_or_else(|| dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("e2b-local"))
    }
}
