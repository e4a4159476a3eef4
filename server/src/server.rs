//! Starting and stopping the server: data directory, keys, listener, graceful shutdown.

use std::io::Write as _;
use std::os::unix::fs::DirBuilderExt as _;
use std::sync::Arc;

use axum::serve::ListenerExt as _;

use crate::cli::ServeArgs;
use crate::ids;
use crate::state::{AppState, DataDir};
use crate::store::Store;
use crate::tokens::TokenIssuer;

/// Runs `e2b-local serve` until SIGINT or SIGTERM, then kills every sandbox.
pub async fn serve(args: ServeArgs) -> Result<(), Box<dyn std::error::Error>> {
    let data = DataDir::new(&args.data_dir());
    for dir in [data.root.clone(), data.volumes(), data.trash(), data.sandboxes()] {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    empty_trash(&data);
    // Sandboxes do not survive a restart; their leftover home folders are removed.
    if let Ok(entries) = std::fs::read_dir(data.sandboxes()) {
        for entry in entries.flatten() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    let data_root = std::fs::canonicalize(&data.root)?;

    let store = Store::open(&data.database()).map_err(|e| format!("cannot open the database: {e}"))?;
    let secret = store.setting_or_init("token_secret", ids::random_hex::<32>)?;
    let secret = hex::decode(secret)?;
    let api_key = match &args.api_key {
        Some(key) if key.trim().is_empty() => return Err("--api-key must not be empty".into()),
        Some(key) => key.clone(),
        None => match store.first_api_key()? {
            Some(key) => key,
            None => format!("e2b_{}", ids::random_hex::<20>()),
        },
    };
    store.add_api_key(&api_key)?;

    let state = Arc::new(AppState {
        store,
        tokens: TokenIssuer::new(&secret, args.token_ttl_secs),
        volumes_dir: data.volumes(),
        trash_dir: data.trash(),
        api_key: api_key.clone(),
        data_dir: data_root,
        sandboxes_dir: data.sandboxes(),
        sandboxes: Default::default(),
    });
    let sandboxes = state.sandboxes.clone();

    let listener = tokio::net::TcpListener::bind((args.host, args.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", args.host, args.port))?;
    let addr = listener.local_addr()?;
    let url = format!("http://{addr}");
    // The banner goes to stdout (for people and scripts); logs go to stderr.
    let mut out = std::io::stdout().lock();
    writeln!(out, "e2b-local listening on {url} (data in {})", data.root.display())?;
    writeln!(out, "Point any E2B SDK at it with:")?;
    writeln!(out, "export E2B_API_URL={url}")?;
    writeln!(out, "export E2B_VOLUME_API_URL={url}")?;
    writeln!(out, "export E2B_SANDBOX_URL={url}")?;
    writeln!(out, "export E2B_API_KEY={api_key}")?;
    out.flush()?;
    drop(out);

    // Replies go out as headers then body; without TCP_NODELAY, Nagle's algorithm and the
    // client's delayed ACK can hold the body back for 40 ms.
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!("cannot set TCP_NODELAY: {e}");
        }
    });
    axum::serve(listener, crate::app::router(state)).with_graceful_shutdown(shutdown_signal()).await?;
    sandboxes.kill_all().await;
    tracing::info!("e2b-local stopped");
    Ok(())
}

async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    let mut int = signal(SignalKind::interrupt()).expect("SIGINT handler");
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
    tracing::info!("shutting down");
}

/// Finishes removing volumes deleted before a restart.
fn empty_trash(data: &DataDir) {
    if let Ok(entries) = std::fs::read_dir(data.trash()) {
        for entry in entries.flatten() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
