//! `filesystem.Filesystem` over Connect: Stat, ListDir, MakeDir, Move, Remove, in the sandbox.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use e2b_wire::envd::filesystem::{
    EntryInfo, EntryResponse, FileType, ListDirRequest, ListDirResponse, MoveRequest, PathRequest,
};
use rustix::fs::{FileType as Kind, Stat};

use super::connect::{self, RpcError};
use super::{as_user, sandbox_root, SandboxAccess, SandboxUser};
use crate::fs::{ConfinedRoot, FsError, NewEntry, TreePath};
use crate::state::SharedState;

/// `POST /filesystem.Filesystem/{method}`.
pub async fn call(
    State(_state): State<SharedState>,
    SandboxAccess(sandbox): SandboxAccess,
    Path(method): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, RpcError> {
    let user = SandboxUser::from_basic_auth(&headers).map_err(|e| RpcError::new("unauthenticated", e))?;
    let root = sandbox_root(&sandbox).map_err(|e| RpcError::new("unavailable", format!("sandbox root: {e}")))?;
    tokio::task::spawn_blocking(move || as_user(user, || dispatch(&method, &root, user, &body)))
        .await
        .map_err(|e| RpcError::new("internal", e.to_string()))?
}

fn dispatch(method: &str, root: &ConfinedRoot, user: SandboxUser, body: &[u8]) -> Result<Response, RpcError> {
    match method {
        "Stat" => {
            let req: PathRequest = connect::parse_unary(body)?;
            let path = user.resolve(&req.path);
            let st = root.lstat(&path).map_err(|e| fs_err("stat", &req.path, e))?;
            Ok(connect::unary(&EntryResponse { entry: Some(entry_info(root, &path, &st)) }))
        }
        "ListDir" => {
            let req: ListDirRequest = connect::parse_unary(body)?;
            let path = user.resolve(&req.path);
            let stats = root.list_stats(&path, req.depth.max(1)).map_err(|e| fs_err("list", &req.path, e))?;
            let entries = stats.iter().map(|(p, st)| entry_info(root, p, st)).collect();
            Ok(connect::unary(&ListDirResponse { entries }))
        }
        "MakeDir" => {
            let req: PathRequest = connect::parse_unary(body)?;
            let path = user.resolve(&req.path);
            if root.lstat(&path).is_ok() {
                return Err(RpcError::new("already_exists", format!("directory {} already exists", req.path)));
            }
            let new = NewEntry { uid: user.uid, gid: user.uid, mode: 0o755, parent_mode: 0o755 };
            root.make_dir(&path, new, true).map_err(|e| fs_err("make directory", &req.path, e))?;
            let st = root.lstat(&path).map_err(|e| fs_err("stat", &req.path, e))?;
            Ok(connect::unary(&EntryResponse { entry: Some(entry_info(root, &path, &st)) }))
        }
        "Move" => {
            let req: MoveRequest = connect::parse_unary(body)?;
            let (from, to) = (user.resolve(&req.source), user.resolve(&req.destination));
            root.rename(&from, &to).map_err(|e| fs_err("move", &req.source, e))?;
            let st = root.lstat(&to).map_err(|e| fs_err("stat", &req.destination, e))?;
            Ok(connect::unary(&EntryResponse { entry: Some(entry_info(root, &to, &st)) }))
        }
        "Remove" => {
            let req: PathRequest = connect::parse_unary(body)?;
            let path = user.resolve(&req.path);
            root.remove(&path).map_err(|e| fs_err("remove", &req.path, e))?;
            Ok(connect::unary(&e2b_wire::envd::Empty {}))
        }
        other => Err(RpcError::new("unimplemented", format!("filesystem.Filesystem/{other} is not implemented"))),
    }
}

fn fs_err(op: &str, path: &str, err: FsError) -> RpcError {
    let (code, message) = err.connect_reply(op, path);
    RpcError::new(code.as_str(), message)
}

/// envd's description of one entry.
pub fn entry_info(root: &ConfinedRoot, path: &TreePath, st: &Stat) -> EntryInfo {
    let kind = Kind::from_raw_mode(st.st_mode);
    let (wire_kind, letter) = match kind {
        Kind::RegularFile => (FileType::File, '-'),
        Kind::Directory => (FileType::Directory, 'd'),
        Kind::Symlink => (FileType::Symlink, 'L'),
        _ => (FileType::Unspecified, '?'),
    };
    let perm = st.st_mode & 0o777;
    let mut permissions = String::with_capacity(10);
    permissions.push(letter);
    for shift in [6, 3, 0] {
        let bits = (perm >> shift) & 7;
        permissions.push(if bits & 4 != 0 { 'r' } else { '-' });
        permissions.push(if bits & 2 != 0 { 'w' } else { '-' });
        permissions.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    let modified = crate::timestamp::from_unix(st.st_mtime, st.st_mtime_nsec as i64).unwrap_or_default();
    EntryInfo {
        name: path.name().to_string(),
        kind: wire_kind,
        path: path.as_str().to_string(),
        size: st.st_size.to_string(),
        mode: perm,
        permissions,
        owner: name_of(st.st_uid),
        group: name_of(st.st_gid),
        modified_time: Some(modified),
        symlink_target: (kind == Kind::Symlink).then(|| root.resolved_target(path).unwrap_or_default()),
        metadata: Default::default(),
    }
}

fn name_of(id: u32) -> String {
    match id {
        0 => "root".into(),
        crate::sandboxes::runtime::USER_ID => crate::sandboxes::runtime::USER_NAME.into(),
        other => other.to_string(),
    }
}
