//! Starting and stopping the server: data directory, keys, listener, graceful shutdown.

use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::os::unix::fs::DirBuilderExt as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::serve::ListenerExt as _;
use tokio::net::TcpListener;

use crate::cli::ServeArgs;
use crate::ids;
use crate::state::{AppState, DataDir};
use crate::store::Store;
use crate::tokens::TokenIssuer;

type BoxError = Box<dyn std::error::Error>;

/// Runs `e2b-local serve` until SIGINT or SIGTERM, then kills every sandbox.
pub async fn serve(args: ServeArgs) -> Result<(), BoxError> {
    let data = DataDir::new(&args.data_dir());
    let data_root = prepare(&data)?;
    let store = Store::open(&data.database()).map_err(|e| format!("cannot open the database: {e}"))?;
    let secret = hex::decode(store.setting_or_init("token_secret", ids::random_hex::<32>)?)?;
    let api_key = choose_api_key(args.api_key.as_deref(), store.first_api_key()?)?;
    store.add_api_key(&api_key)?;

    let state = Arc::new(AppState {
        store,
        tokens: TokenIssuer::new(&secret, args.token_ttl_secs),
        volumes_dir: data.volumes(),
        trash_dir: data.trash(),
        data_dir: data_root,
        sandboxes_dir: data.sandboxes(),
        sandboxes: Default::default(),
    });
    let sandboxes = state.sandboxes.clone();

    let listener = listen(args.host, args.port).await?;
    // The banner goes to stdout (for people and scripts); logs go to stderr.
    let mut out = std::io::stdout().lock();
    out.write_all(banner(listener.local_addr()?, &data.root, &api_key).as_bytes())?;
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

/// Creates the data directory's folders, finishes removing deleted volumes, removes the files of
/// sandboxes from before a restart (sandboxes do not survive one); returns the canonical root.
fn prepare(data: &DataDir) -> Result<PathBuf, BoxError> {
    for dir in [data.root.clone(), data.volumes(), data.trash(), data.sandboxes()] {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    empty(&data.trash());
    empty(&data.sandboxes());
    Ok(std::fs::canonicalize(&data.root)?)
}

/// Removes everything inside `dir`, as far as possible.
fn empty(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The API key to accept: the one given, else the one kept from an earlier start, else a new one.
fn choose_api_key(given: Option<&str>, kept: Option<String>) -> Result<String, BoxError> {
    match (given, kept) {
        (Some(key), _) if key.trim().is_empty() => Err("--api-key must not be empty".into()),
        (Some(key), _) => Ok(key.to_string()),
        (None, Some(key)) => Ok(key),
        (None, None) => Ok(format!("e2b_{}", ids::random_hex::<20>())),
    }
}

/// Binds the listener.
async fn listen(host: IpAddr, port: u16) -> Result<TcpListener, BoxError> {
    Ok(TcpListener::bind((host, port)).await.map_err(|e| format!("cannot listen on {host}:{port}: {e}"))?)
}

/// What the server prints at start: where it listens, and how to point an SDK at it.
fn banner(addr: SocketAddr, data_root: &Path, api_key: &str) -> String {
    let url = format!("http://{addr}");
    format!(
        "e2b-local listening on {url} (data in {})\n\
         Point any E2B SDK at it with:\n\
         export E2B_API_URL={url}\n\
         export E2B_VOLUME_API_URL={url}\n\
         export E2B_SANDBOX_URL={url}\n\
         export E2B_API_KEY={api_key}\n",
        data_root.display()
    )
}

/// Resolves at SIGTERM or SIGINT.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_key_is_the_given_one_else_the_kept_one_else_new() {
        assert_eq!(choose_api_key(Some("e2b_given"), Some("e2b_kept".into())).unwrap(), "e2b_given");
        assert_eq!(choose_api_key(None, Some("e2b_kept".into())).unwrap(), "e2b_kept");
        let new = choose_api_key(None, None).unwrap();
        assert!(new.starts_with("e2b_") && new.len() == 44, "{new}");
        assert_eq!(choose_api_key(Some(" "), None).unwrap_err().to_string(), "--api-key must not be empty");
    }

    #[test]
    fn the_banner_tells_how_to_point_an_sdk_here() {
        let text = banner("127.0.0.1:3000".parse().unwrap(), Path::new("/data"), "e2b_k");
        assert_eq!(
            text,
            "e2b-local listening on http://127.0.0.1:3000 (data in /data)\nPoint any E2B SDK at it with:\n\
             export E2B_API_URL=http://127.0.0.1:3000\nexport E2B_VOLUME_API_URL=http://127.0.0.1:3000\n\
             export E2B_SANDBOX_URL=http://127.0.0.1:3000\nexport E2B_API_KEY=e2b_k\n"
        );
    }
}
