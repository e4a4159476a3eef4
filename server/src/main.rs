//! The `e2b-local` binary: `serve` (the server), and the programs the server runs itself — envd
//! inside each sandbox (and `sudo` there, under that name), and the helper that mounts a volume
//! into one.

use std::io::IsTerminal as _;
use std::process::ExitCode;

use clap::Parser;
use e2b_local::cli::{Cli, Command, ServeArgs};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    // Inside a sandbox this binary is also `sudo`.
    if let Some(code) = e2b_local::envd::sudo::as_sudo() {
        return code;
    }
    match Cli::parse().command {
        Command::Serve(args) => serve(args),
        Command::Envd => e2b_local::envd::agent::run(),
        Command::MountInto { target, owner } => {
            match e2b_local::sandboxes::runtime::mount_helper_main(&target, owner) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    // Logs go to stderr (`RUST_LOG` filters them; `info` by default), colored on a terminal.
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    // Before any other thread exists.
    if let Err(e) = e2b_local::serve::isolate() {
        eprintln!("e2b-local: {e}");
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("e2b-local: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(e2b_local::serve::serve(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("e2b-local: {e}");
            ExitCode::FAILURE
        }
    }
}
