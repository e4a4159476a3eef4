//! The `e2b-local` binary: parses the command line, sets up logging, serves.

use std::io::IsTerminal as _;
use std::process::ExitCode;

use clap::Parser;
use e2b_local::cli::{Cli, Command};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let Cli { command: Command::Serve(args) } = Cli::parse();
    // Logs go to stderr (`RUST_LOG` filters them; `info` by default), colored on a terminal.
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    match e2b_local::serve::serve(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("e2b-local: {e}");
            ExitCode::FAILURE
        }
    }
}
