//! `filesystem.Filesystem` over Connect: Stat, ListDir, MakeDir, Move and Remove in the sandbox,
//! as the calling user; one route per method.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use e2b_wire::connect::Code;
use e2b_wire::envd::filesystem::{
    method, EntryInfo, EntryResponse, FileType, ListDirRequest, ListDirResponse, MoveRequest, PathRequest, SERVICE,
};
use e2b_wire::envd::{rpc_path, Empty};
use rustix::fs::{FileType as Kind, Stat};

use super::connect::{self, RpcError, Unary};
use super::user::{as_user, SandboxUser};
use crate::fs::{ConfinedRoot, NewEntry, TreePath};
use crate::sandboxes::runtime::{USER_ID, USER_NAME};

/// The service's routes; methods e2b-local does not serve answer `unimplemented`.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route(&rpc_path(SERVICE, method::STAT), post(stat))
        .route(&rpc_path(SERVICE, method::LIST_DIR), post(list_dir))
        .route(&rpc_path(SERVICE, method::MAKE_DIR), post(make_dir))
        .route(&rpc_path(SERVICE, method::MOVE), post(move_entry))
        .route(&rpc_path(SERVICE, method::REMOVE), post(remove))
        .route(&rpc_path(SERVICE, "{method}"), post(unimplemented))
}

/// A filesystem call's user (from `Authorization: Basic`) and the sandbox's root (envd's own).
struct FsCall {
    user: SandboxUser,
    root: ConfinedRoot,
}

impl<S: Send + Sync> FromRequestParts<S> for FsCall {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        let _ = state;
        let user = SandboxUser::from_basic_auth(&parts.headers)
            .map_err(|e| RpcError::new(Code::Unauthenticated, e).into_response())?;
        let root = ConfinedRoot::open(std::path::Path::new("/"))
            .map_err(|e| RpcError::new(Code::Unavailable, format!("sandbox root: {e}")).into_response())?;
        Ok(Self { user, root })
    }
}

impl FsCall {
    /// Runs `f` on a blocking thread as the calling user.
    async fn run(
        self,
        f: impl FnOnce(&ConfinedRoot, SandboxUser) -> Result<Response, RpcError> + Send + 'static,
    ) -> Result<Response, RpcError> {
        let Self { user, root } = self;
        tokio::task::spawn_blocking(move || as_user(user, || f(&root, user)))
            .await
            .map_err(|e| RpcError::internal(e.to_string()))?
    }
}

async fn stat(call: FsCall, Unary(req): Unary<PathRequest>) -> Result<Response, RpcError> {
    call.run(move |root, user| {
        let path = user.resolve(&req.path).map_err(|e| RpcError::from_fs("stat", &req.path, e))?;
        let st = root.lstat(&path).map_err(|e| RpcError::from_fs("stat", &req.path, e))?;
        Ok(connect::unary(&EntryResponse { entry: Some(entry_info(root, &path, &st)) }))
    })
    .await
}

async fn list_dir(call: FsCall, Unary(req): Unary<ListDirRequest>) -> Result<Response, RpcError> {
    call.run(move |root, user| {
        let path = user.resolve(&req.path).map_err(|e| RpcError::from_fs("list", &req.path, e))?;
        let stats = root.list_stats(&path, req.depth.max(1)).map_err(|e| RpcError::from_fs("list", &req.path, e))?;
        let entries = stats.iter().map(|(p, st)| entry_info(root, p, st)).collect();
        Ok(connect::unary(&ListDirResponse { entries }))
    })
    .await
}

async fn make_dir(call: FsCall, Unary(req): Unary<PathRequest>) -> Result<Response, RpcError> {
    call.run(move |root, user| {
        let path = user.resolve(&req.path).map_err(|e| RpcError::from_fs("make directory", &req.path, e))?;
        if root.lstat(&path).is_ok() {
            return Err(RpcError::new(Code::AlreadyExists, format!("directory {} already exists", req.path)));
        }
        let new = NewEntry { uid: user.uid, gid: user.uid, mode: 0o755, parent_mode: 0o755 };
        root.make_dir(&path, new, true).map_err(|e| RpcError::from_fs("make directory", &req.path, e))?;
        let st = root.lstat(&path).map_err(|e| RpcError::from_fs("stat", &req.path, e))?;
        Ok(connect::unary(&EntryResponse { entry: Some(entry_info(root, &path, &st)) }))
    })
    .await
}

async fn move_entry(call: FsCall, Unary(req): Unary<MoveRequest>) -> Result<Response, RpcError> {
    call.run(move |root, user| {
        let from = user.resolve(&req.source).map_err(|e| RpcError::from_fs("move", &req.source, e))?;
        let to = user.resolve(&req.destination).map_err(|e| RpcError::from_fs("move", &req.destination, e))?;
        root.rename(&from, &to).map_err(|e| RpcError::from_fs("move", &req.source, e))?;
        let st = root.lstat(&to).map_err(|e| RpcError::from_fs("stat", &req.destination, e))?;
        Ok(connect::unary(&EntryResponse { entry: Some(entry_info(root, &to, &st)) }))
    })
    .await
}

async fn remove(call: FsCall, Unary(req): Unary<PathRequest>) -> Result<Response, RpcError> {
    call.run(move |root, user| {
        let path = user.resolve(&req.path).map_err(|e| RpcError::from_fs("remove", &req.path, e))?;
        root.remove(&path).map_err(|e| RpcError::from_fs("remove", &req.path, e))?;
        Ok(connect::unary(&Empty {}))
    })
    .await
}

/// Any other method of the service (after the same user and sandbox checks as the others).
async fn unimplemented(_call: FsCall, Path(name): Path<String>) -> RpcError {
    RpcError::new(Code::Unimplemented, format!("{SERVICE}/{name} is not implemented"))
}

/// envd's description of one entry.
fn entry_info(root: &ConfinedRoot, path: &TreePath, st: &Stat) -> EntryInfo {
    let kind = Kind::from_raw_mode(st.st_mode);
    let perm = st.st_mode & 0o777;
    EntryInfo {
        name: path.name().to_string(),
        kind: wire_type(kind),
        path: path.as_str().to_string(),
        size: st.st_size.to_string(),
        mode: perm,
        permissions: permissions(kind, perm),
        owner: name_of(st.st_uid),
        group: name_of(st.st_gid),
        modified_time: Some(crate::timestamp::from_unix(st.st_mtime, st.st_mtime_nsec as i64).unwrap_or_default()),
        symlink_target: (kind == Kind::Symlink).then(|| root.resolved_target(path).unwrap_or_default()),
        metadata: Default::default(),
    }
}

fn wire_type(kind: Kind) -> FileType {
    match kind {
        Kind::RegularFile => FileType::File,
        Kind::Directory => FileType::Directory,
        Kind::Symlink => FileType::Symlink,
        _ => FileType::Unspecified,
    }
}

/// `ls -l`'s permission string, as envd writes it (`L` for a symlink).
fn permissions(kind: Kind, perm: u32) -> String {
    let letter = match kind {
        Kind::RegularFile => '-',
        Kind::Directory => 'd',
        Kind::Symlink => 'L',
        _ => '?',
    };
    let mut out = String::with_capacity(10);
    out.push(letter);
    for shift in [6, 3, 0] {
        let bits = (perm >> shift) & 7;
        out.push(if bits & 4 != 0 { 'r' } else { '-' });
        out.push(if bits & 2 != 0 { 'w' } else { '-' });
        out.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    out
}

/// The name of a sandbox uid or gid, or the number.
fn name_of(id: u32) -> String {
    match id {
        0 => "root".into(),
        USER_ID => USER_NAME.into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_read_like_ls() {
        assert_eq!(permissions(Kind::RegularFile, 0o644), "-rw-r--r--");
        assert_eq!(permissions(Kind::Directory, 0o755), "drwxr-xr-x");
        assert_eq!(permissions(Kind::Symlink, 0o777), "Lrwxrwxrwx");
        assert_eq!(permissions(Kind::Fifo, 0o000), "?---------");
    }

    #[test]
    fn owners_are_named_when_the_sandbox_knows_them() {
        assert_eq!((name_of(0), name_of(1000), name_of(9090)), ("root".into(), "user".into(), "9090".into()));
    }
}
