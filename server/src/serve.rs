//! Starting and stopping the server: data directory, keys, listener, graceful shutdown.

use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::os::unix::fs::DirBuilderExt as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::time::Duration;

use tokio::net::TcpListener;

use crate::cli::{ConnectionArgs, SandboxArgs, ServeArgs};
use crate::ids;
use crate::sandboxes::catalog::Catalog;
use crate::sandboxes::metrics::sample_every;
use crate::sandboxes::registry::Sandboxes;
use crate::sandboxes::runtime::{self, Runtime};
use crate::state::{AppState, DataDir};
use crate::store::Store;
use crate::tokens::TokenIssuer;

type BoxError = Box<dyn std::error::Error>;

/// Gives the server a mount namespace of its own (sandboxes' root filesystems are mounted there,
/// unseen by the host and gone with the server). Must run before any other thread exists;
/// without root, sandboxes cannot run and nothing is done.
pub fn isolate() -> Result<(), BoxError> {
    if !rustix::process::geteuid().is_root() {
        return Ok(());
    }
    // SAFETY: only the mount namespace is unshared, while the process has one thread.
    unsafe { rustix::thread::unshare_unsafe(rustix::thread::UnshareFlags::NEWNS) }
        .map_err(|e| format!("cannot make a mount namespace: {e}"))?;
    use rustix::mount::MountPropagationFlags as P;
    // Mounts made on the host still appear here; none made here reach the host.
    rustix::mount::mount_change("/", P::DOWNSTREAM | P::REC).map_err(|e| format!("cannot make / a slave: {e}"))?;
    Ok(())
}

/// Runs `e2b-local serve` until SIGINT or SIGTERM; then kills every sandbox, and gives open
/// requests a bounded grace period.
pub async fn serve(args: ServeArgs) -> Result<(), BoxError> {
    let data = DataDir::new(&args.data_dir());
    let data_root = prepare(&data)?;
    let store = Store::open(&data.database()).map_err(|e| format!("cannot open the database: {e}"))?;
    crate::volumes::reconcile(&store, &data.volumes(), &data.trash())?;
    let secret = hex::decode(store.setting_or_init("token_secret", ids::random_hex::<32>)?)?;
    let api_key = choose_api_key(args.api_key.as_deref(), store.first_api_key()?)?;
    // Only the key in use is valid: one given before and not now is refused.
    store.set_api_keys(&[api_key.as_str()])?;

    let runtime = Runtime::new(runtime_config(&args.sandboxes, &data, data_root)).await;
    runtime.refill();
    let state = Arc::new(AppState {
        store,
        tokens: TokenIssuer::new(&secret, args.token_ttl_secs),
        volumes_dir: data.volumes(),
        trash_dir: data.trash(),
        sandboxes: Arc::new(Sandboxes::new(data.paused())),
        snapshots: Catalog::new(data.snapshots()),
        runtime: runtime.clone(),
        max_sandboxes: args.sandboxes.max_sandboxes as usize,
        mounts_lock: Default::default(),
    });
    state.snapshots.tidy();
    let sandboxes = state.sandboxes.clone();
    let every = Duration::from_secs(args.sandboxes.sandbox_metrics_interval_secs);
    sample_every(sandboxes.clone(), runtime.clone(), every);

    // Signals are caught from before the banner: a SIGTERM right after it is a clean stop too.
    let signals = ShutdownSignals::new()?;
    let listener = listen(args.host, args.port).await?;
    // The banner goes to stdout (for people and scripts); logs go to stderr.
    let mut out = std::io::stdout().lock();
    out.write_all(banner(listener.local_addr()?, &data.root, &api_key).as_bytes())?;
    out.flush()?;
    drop(out);

    let stop = async move {
        signals.recv().await;
        // Sandboxes go first, so that their open streams end.
        sandboxes.kill_all().await;
        runtime.shutdown().await;
    };
    crate::listener::serve(listener, crate::app::router(state), listener_limits(&args.connections), stop).await;
    tracing::info!("e2b-local stopped");
    Ok(())
}

/// How the server runs sandboxes.
fn runtime_config(args: &SandboxArgs, data: &DataDir, data_root: PathBuf) -> runtime::Config {
    const MIB: u64 = 1 << 20;
    runtime::Config {
        data_dir: data_root,
        // The sandbox's root must reach its root filesystem's mount point through directories it
        // may search: not through the data directory, which is private.
        bundles: PathBuf::from(runtime::SHARED_DIR).join("bundles"),
        runtime_state: data.runtime_state(),
        runc: args.runc.clone(),
        pasta: runtime::find_pasta(),
        // Resolved now: bound into sandboxes by path, from this mount namespace.
        envd: std::fs::read_link("/proc/self/exe").unwrap_or_else(|_| PathBuf::from("/proc/self/exe")),
        slots_dir: PathBuf::from(runtime::SHARED_DIR).join("ids"),
        uid_base: args.sandbox_uid_base,
        limits: runtime::Limits {
            memory_bytes: u64::from(args.sandbox_memory_mb) * MIB,
            pids: i64::from(args.sandbox_pids),
            cpus: args.sandbox_cpus,
            tmp_bytes: u64::from(args.sandbox_tmp_mb) * MIB,
            shm_bytes: 64 * MIB,
        },
        disk_bytes: u64::from(args.sandbox_disk_mb) * MIB,
        warm: args.warm_sandboxes as usize,
    }
}

/// The listener's limits.
fn listener_limits(args: &ConnectionArgs) -> crate::listener::Limits {
    crate::listener::Limits {
        max_connections: args.max_connections as usize,
        header_timeout: Duration::from_secs(args.header_timeout_secs),
        idle_timeout: Duration::from_secs(args.idle_timeout_secs),
        grace: Duration::from_secs(args.shutdown_grace_secs),
    }
}

/// Creates the data directory's folders, finishes removing deleted volumes, removes the bundles and
/// paused files of sandboxes from before a restart (sandboxes do not survive one; snapshots do);
/// returns the canonical root.
fn prepare(data: &DataDir) -> Result<PathBuf, BoxError> {
    let dirs = [
        data.root.clone(),
        data.volumes(),
        data.trash(),
        data.sandboxes(),
        data.runtime_state(),
        data.snapshots(),
        data.paused(),
    ];
    for dir in dirs {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    // Only the server reads its data: volumes, keys and the token secret.
    std::fs::set_permissions(&data.root, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
    empty(&data.trash());
    empty(&data.sandboxes());
    empty(&data.paused());
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

/// SIGTERM and SIGINT, caught from the moment this is made.
struct ShutdownSignals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

impl ShutdownSignals {
    /// Starts catching both signals.
    fn new() -> std::io::Result<Self> {
        use tokio::signal::unix::{signal, SignalKind};
        Ok(Self { term: signal(SignalKind::terminate())?, int: signal(SignalKind::interrupt())? })
    }

    /// Resolves at the first of them.
    async fn recv(mut self) {
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.int.recv() => {}
        }
        tracing::info!("shutting down");
    }
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
