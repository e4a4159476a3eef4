//! The `e2b-local` binary.

use clap::Parser;
use e2b_local::cli::{Cli, Command};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let Cli { command: Command::Serve(args) } = Cli::parse();
    match e2b_local::server::serve(args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("e2b-local: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
