//! Watching a directory with inotify, as the calling user: its changes as envd's filesystem
//! events, named relative to it — and, when recursive, the changes below it, with directories
//! that appear watched as they appear (what they already hold reported as created).
//!
//! inotify (not a higher-level crate) because the watches must be added with the caller's
//! credentials (on a blocking thread switched to the user) and because E2B's events map one to
//! one from inotify's. Uploads publish through a hidden temporary name; watchers see the upload
//! as envd's own in-place writes show it: the file created and written.

use std::collections::{HashMap, HashSet, VecDeque};
use std::ffi::OsString;
use std::sync::Arc;

use e2b_wire::connect::Code;
use e2b_wire::envd::filesystem::{EntryInfo, EventType, FilesystemEvent, WatchDirRequest};
use futures_util::StreamExt;
use inotify::{EventMask, EventOwned, EventStream, Inotify, WatchMask, Watches};

use super::call::FsCall;
use super::entry::entry_info;
use crate::envd::connect::RpcError;
use crate::envd::user::{as_user, SandboxUser};
use crate::fs::{ConfinedRoot, Failure, TreePath, UPLOAD_TEMP_PREFIX};

/// What every watch reports.
const MASK: WatchMask = WatchMask::CREATE
    .union(WatchMask::MODIFY)
    .union(WatchMask::ATTRIB)
    .union(WatchMask::MOVED_FROM)
    .union(WatchMask::MOVED_TO)
    .union(WatchMask::DELETE)
    .union(WatchMask::DELETE_SELF)
    .union(WatchMask::MOVE_SELF)
    .union(WatchMask::ONLYDIR);
/// Bytes read from inotify at once.
const BUFFER: usize = 64 * 1024;
/// Filesystems whose changes inotify may never see: NFS, CIFS, SMB, SMB2 and FUSE.
const NETWORK_FILESYSTEMS: [u32; 5] = [0x6969, 0xFF53_4D42, 0x517B, 0xFE53_4D42, 0x6573_5546];

/// A directory being watched.
pub struct Watcher {
    events: EventStream<Vec<u8>>,
    watches: Watches,
    /// Each watched directory, relative to the watched one (`""`); `None` once moved out of it.
    dirs: HashMap<i32, Option<String>>,
    root_wd: i32,
    path: TreePath,
    recursive: bool,
    include_entry: bool,
    user: SandboxUser,
    root: Arc<ConfinedRoot>,
    /// Rename cookies of uploads being published.
    uploads: HashSet<u32>,
    /// Events translated and not yet taken.
    ready: VecDeque<FilesystemEvent>,
}

impl Watcher {
    /// Starts watching what `req` names: `not_found` if it does not exist, `invalid_argument` if
    /// it is no directory, or on a network filesystem unless those are allowed.
    pub async fn start(call: FsCall, req: &WatchDirRequest) -> Result<Self, RpcError> {
        let FsCall { user, root } = call;
        let path = user.resolve(&req.path).map_err(|e| RpcError::from_fs("watch", &req.path, e))?;
        let (raw, allow_network, recursive) = (req.path.clone(), req.allow_network_mounts, req.recursive);
        let inotify = Inotify::init().map_err(|e| RpcError::internal(format!("cannot watch: {e}")))?;
        // Shares the descriptor the event stream reads.
        let watches = inotify.watches();
        let (root, dirs) = {
            let (path, mut watches) = (path.clone(), watches.clone());
            blocking_as(user, move || {
                check_dir(&root, &path, &raw, allow_network)?;
                let dirs = add_tree(&mut watches, &path, "", recursive)?.0;
                Ok((root, dirs))
            })
            .await?
        };
        let root_wd = dirs.iter().find(|(_, rel)| rel.is_empty()).map(|(wd, _)| *wd).expect("the root is watched");
        let events = inotify.into_event_stream(vec![0u8; BUFFER]).map_err(|e| RpcError::internal(e.to_string()))?;
        Ok(Self {
            events,
            watches,
            dirs: dirs.into_iter().map(|(wd, rel)| (wd, Some(rel))).collect(),
            root_wd,
            path,
            recursive,
            include_entry: req.include_entry,
            user,
            root: Arc::new(root),
            uploads: HashSet::new(),
            ready: VecDeque::new(),
        })
    }

    /// The next change; an error ends the watch.
    pub async fn next(&mut self) -> Result<FilesystemEvent, RpcError> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Ok(event);
            }
            let raw = match self.events.next().await {
                Some(Ok(raw)) => raw,
                Some(Err(e)) => return Err(RpcError::internal(format!("watcher error: {e}"))),
                None => return Err(RpcError::internal("the watcher closed")),
            };
            let changes = self.translate(raw).await?;
            let entries = self.entries(&changes).await;
            self.ready.extend(changes.into_iter().zip(entries).map(|((name, kind), entry)| FilesystemEvent {
                name,
                kind,
                entry,
            }));
        }
    }

    /// The changes one inotify event stands for, as (name relative to the watched directory, type).
    async fn translate(&mut self, raw: EventOwned) -> Result<Vec<(String, EventType)>, RpcError> {
        let mask = raw.mask;
        if mask.contains(EventMask::Q_OVERFLOW) {
            return Err(RpcError::internal("watcher error: too many changes at once, events were lost"));
        }
        let wd = raw.wd.get_watch_descriptor_id();
        if mask.contains(EventMask::IGNORED) {
            self.dirs.remove(&wd);
            return Ok(Vec::new());
        }
        let Some(Some(dir)) = self.dirs.get(&wd).cloned() else { return Ok(Vec::new()) };
        let Some(leaf) = raw.name.as_ref().map(lossy) else {
            // The directory itself: only the watched one's own removal or move is news (its
            // parent reports those of the directories below it).
            return Ok(if wd == self.root_wd {
                kinds(mask).into_iter().map(|k| (".".into(), k)).collect()
            } else {
                Vec::new()
            });
        };
        let name = if dir.is_empty() { leaf.clone() } else { format!("{dir}/{leaf}") };
        if leaf.starts_with(UPLOAD_TEMP_PREFIX) {
            if mask.contains(EventMask::MOVED_FROM) {
                self.uploads.insert(raw.cookie);
            }
            return Ok(Vec::new());
        }
        if unnamed_file(&leaf) && !self.exists(&name).await {
            // The kernel names a file made with O_TMPFILE (an upload being written) `#<inode>`.
            return Ok(Vec::new());
        }
        if mask.contains(EventMask::MOVED_TO) && self.uploads.remove(&raw.cookie) {
            return Ok(vec![(name.clone(), EventType::Create), (name, EventType::Write)]);
        }
        let mut changes: Vec<(String, EventType)> = kinds(mask).into_iter().map(|k| (name.clone(), k)).collect();
        if self.recursive && mask.contains(EventMask::ISDIR) {
            if mask.intersects(EventMask::CREATE | EventMask::MOVED_TO) {
                changes.extend(self.watch_new_dir(&name).await?.into_iter().map(|n| (n, EventType::Create)));
            } else if mask.contains(EventMask::MOVED_FROM) {
                // Its watches stay until it is back inside (MOVED_TO) or gone; silent meanwhile.
                let below = format!("{name}/");
                for rel in self.dirs.values_mut() {
                    if rel.as_ref().is_some_and(|r| *r == name || r.starts_with(&below)) {
                        *rel = None;
                    }
                }
            }
        }
        Ok(changes)
    }

    /// True when `rel` names an entry (seen as the user).
    async fn exists(&self, rel: &str) -> bool {
        let Ok(path) = TreePath::parse(&format!("{}/{rel}", self.path.as_str())) else { return false };
        let root = self.root.clone();
        blocking_as(self.user, move || Ok(root.lstat(&path).is_ok())).await.unwrap_or(false)
    }

    /// Watches a directory that appeared (and those in it); returns what it already holds.
    async fn watch_new_dir(&mut self, rel: &str) -> Result<Vec<String>, RpcError> {
        let (mut watches, path, rel) = (self.watches.clone(), self.path.clone(), rel.to_string());
        let (added, found) = blocking_as(self.user, move || add_tree(&mut watches, &path, &rel, true)).await?;
        self.dirs.extend(added.into_iter().map(|(wd, rel)| (wd, Some(rel))));
        Ok(found)
    }

    /// Each change's entry, when asked for and it can be stat-ed.
    async fn entries(&self, changes: &[(String, EventType)]) -> Vec<Option<EntryInfo>> {
        if !self.include_entry || changes.is_empty() {
            return vec![None; changes.len()];
        }
        let (root, base) = (self.root.clone(), self.path.clone());
        let names: Vec<String> = changes.iter().map(|(n, _)| n.clone()).collect();
        let stat = move || {
            names
                .iter()
                .map(|name| {
                    let path = TreePath::parse(&format!("{}/{name}", base.as_str())).ok()?;
                    let st = root.lstat(&path).ok()?;
                    Some(entry_info(&root, &path, &st))
                })
                .collect()
        };
        blocking_as(self.user, move || Ok(stat())).await.unwrap_or_else(|_| vec![None; changes.len()])
    }
}

/// The event types of an inotify mask, in the order E2B's envd reports them.
fn kinds(mask: EventMask) -> Vec<EventType> {
    let table = [
        (EventMask::CREATE | EventMask::MOVED_TO, EventType::Create),
        (EventMask::MOVED_FROM | EventMask::MOVE_SELF, EventType::Rename),
        (EventMask::ATTRIB, EventType::Chmod),
        (EventMask::MODIFY, EventType::Write),
        (EventMask::DELETE | EventMask::DELETE_SELF, EventType::Remove),
    ];
    table.into_iter().filter(|(bits, _)| mask.intersects(*bits)).map(|(_, kind)| kind).collect()
}

/// True for the magic number of a network filesystem, whose changes inotify may never see.
fn on_network(f_type: u32) -> bool {
    NETWORK_FILESYSTEMS.contains(&f_type)
}

/// True for the name the kernel gives a file that has none yet (`#<inode>`).
fn unnamed_file(name: &str) -> bool {
    name.strip_prefix('#').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn lossy(name: &OsString) -> String {
    name.to_string_lossy().into_owned()
}

/// Runs `f` as `user` on a blocking thread.
async fn blocking_as<T: Send + 'static>(
    user: SandboxUser,
    f: impl FnOnce() -> Result<T, RpcError> + Send + 'static,
) -> Result<T, RpcError> {
    tokio::task::spawn_blocking(move || as_user(user, f)).await.map_err(|e| RpcError::internal(e.to_string()))?
}

/// Checks that `path` (the user's `raw`) is a directory that may be watched.
fn check_dir(root: &ConfinedRoot, path: &TreePath, raw: &str, allow_network: bool) -> Result<(), RpcError> {
    let stat = root.stat(path).map_err(|e| match e.failure() {
        Failure::NotFound => RpcError::not_found(format!("path {} not found", path.as_str())),
        _ => RpcError::from_fs("watch", raw, e),
    })?;
    if stat.kind != e2b_wire::VolumeFileType::Directory {
        return Err(RpcError::invalid(format!("path {} not a directory", path.as_str())));
    }
    let fs = rustix::fs::statfs(path.as_str())
        .map_err(|e| RpcError::internal(format!("error checking mount status: {e}")))?;
    if !allow_network && on_network(fs.f_type as u32) {
        return Err(RpcError::invalid(format!("cannot watch path on network filesystem: {}", path.as_str())));
    }
    Ok(())
}

/// Watches added: each watch descriptor with its directory, relative to the watched one.
type Added = Vec<(i32, String)>;

/// Watches the directory `rel` below `base` and, when `deep`, every directory under it; returns
/// the watches added and every entry found under `rel`.
fn add_tree(watches: &mut Watches, base: &TreePath, rel: &str, deep: bool) -> Result<(Added, Vec<String>), RpcError> {
    let full = |rel: &str| if rel.is_empty() { base.as_str().to_string() } else { format!("{}/{rel}", base.as_str()) };
    let mut added = Vec::new();
    let mut found = Vec::new();
    let mut todo = vec![rel.to_string()];
    while let Some(dir) = todo.pop() {
        let mask = if dir.is_empty() { MASK } else { MASK | WatchMask::DONT_FOLLOW };
        let wd = match watches.add(full(&dir), mask) {
            Ok(wd) => wd,
            // Gone, or no directory any more, since it was seen.
            Err(e) if dir != rel && matches!(e.raw_os_error(), Some(libc::ENOENT | libc::ENOTDIR)) => continue,
            Err(e) if e.raw_os_error() == Some(libc::ENOSPC) => {
                return Err(RpcError::new(Code::ResourceExhausted, "too many directories to watch"))
            }
            Err(e) if e.raw_os_error() == Some(libc::EACCES) => {
                return Err(RpcError::new(Code::PermissionDenied, format!("cannot watch {}: {e}", full(&dir))))
            }
            Err(e) => return Err(RpcError::internal(format!("cannot watch {}: {e}", full(&dir)))),
        };
        added.push((wd.get_watch_descriptor_id(), dir.clone()));
        if !deep {
            break;
        }
        let Ok(listing) = std::fs::read_dir(full(&dir)) else { continue };
        for item in listing.flatten() {
            let name = item.file_name().to_string_lossy().into_owned();
            if name.starts_with(UPLOAD_TEMP_PREFIX) {
                continue;
            }
            let child = if dir.is_empty() { name } else { format!("{dir}/{name}") };
            if item.file_type().is_ok_and(|t| t.is_dir()) {
                todo.push(child.clone());
            }
            found.push(child);
        }
    }
    Ok((added, found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_map_to_e2bs_event_types_in_its_order() {
        assert_eq!(kinds(EventMask::CREATE), [EventType::Create]);
        assert_eq!(kinds(EventMask::MOVED_TO | EventMask::ISDIR), [EventType::Create]);
        assert_eq!(kinds(EventMask::MOVED_FROM), [EventType::Rename]);
        assert_eq!(kinds(EventMask::MOVE_SELF), [EventType::Rename]);
        assert_eq!(kinds(EventMask::ATTRIB), [EventType::Chmod]);
        assert_eq!(kinds(EventMask::MODIFY), [EventType::Write]);
        assert_eq!(kinds(EventMask::DELETE_SELF), [EventType::Remove]);
        assert_eq!(
            kinds(EventMask::CREATE | EventMask::MODIFY | EventMask::DELETE),
            [EventType::Create, EventType::Write, EventType::Remove]
        );
        assert!(kinds(EventMask::IGNORED).is_empty());
    }

    #[test]
    fn network_filesystems_and_unnamed_files_are_told_apart() {
        for nfs_cifs_smb_smb2_fuse in [0x6969, 0xFF53_4D42, 0x517B, 0xFE53_4D42, 0x6573_5546] {
            assert!(on_network(nfs_cifs_smb_smb2_fuse));
        }
        for ext4_tmpfs_overlay in [0xEF53, 0x0102_1994, 0x794C_7630] {
            assert!(!on_network(ext4_tmpfs_overlay));
        }
        assert!(unnamed_file("#31") && unnamed_file("#1234567"));
        assert!(!unnamed_file("#") && !unnamed_file("#3a") && !unnamed_file("31") && !unnamed_file("a#1"));
    }
}
