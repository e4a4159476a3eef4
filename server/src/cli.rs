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
}

impl ServeArgs {
    /// The data directory to use.
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir
            .clone()
            .unwrap_or_else(|| dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("e2b-local"))
    }
}
