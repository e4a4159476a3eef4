//! The unary calls on entries: Stat, ListDir, MakeDir, Move and Remove, as the calling user.

use axum::response::Response;
use e2b_wire::connect::Code;
use e2b_wire::envd::filesystem::{EntryResponse, ListDirRequest, ListDirResponse, MoveRequest, PathRequest};
use e2b_wire::envd::Empty;

use super::call::FsCall;
use super::entry::entry_info;
use crate::envd::connect::{self, RpcError, Unary};
use crate::fs::{Failure, NewEntry};

/// `filesystem.Filesystem/Stat`.
pub async fn stat(call: FsCall, Unary(req): Unary<PathRequest>) -> Result<Response, RpcError> {
    call.run(move |root, user| {
        let path = user.resolve(&req.path).map_err(|e| RpcError::from_fs("stat", &req.path, e))?;
        let st = root.lstat(&path).map_err(|e| RpcError::from_fs("stat", &req.path, e))?;
        Ok(connect::unary(&EntryResponse { entry: Some(entry_info(root, &path, &st)) }))
    })
    .await
}

/// `filesystem.Filesystem/ListDir`.
pub async fn list_dir(call: FsCall, Unary(req): Unary<ListDirRequest>) -> Result<Response, RpcError> {
    call.run(move |root, user| {
        let path = user.resolve(&req.path).map_err(|e| RpcError::from_fs("list", &req.path, e))?;
        let stats = root.list_stats(&path, req.depth.max(1)).map_err(|e| RpcError::from_fs("list", &req.path, e))?;
        let entries = stats.iter().map(|(p, st)| entry_info(root, p, st)).collect();
        Ok(connect::unary(&ListDirResponse { entries }))
    })
    .await
}

/// `filesystem.Filesystem/MakeDir`: with its parents; an existing entry is `already_exists`.
pub async fn make_dir(call: FsCall, Unary(req): Unary<PathRequest>) -> Result<Response, RpcError> {
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

/// `filesystem.Filesystem/Move` (the entry keeps its metadata: it is the same file).
pub async fn move_entry(call: FsCall, Unary(req): Unary<MoveRequest>) -> Result<Response, RpcError> {
    call.run(move |root, user| {
        let from = user.resolve(&req.source).map_err(|e| RpcError::from_fs("move", &req.source, e))?;
        let to = user.resolve(&req.destination).map_err(|e| RpcError::from_fs("move", &req.destination, e))?;
        root.rename(&from, &to).map_err(|e| RpcError::from_fs("move", &req.source, e))?;
        let st = root.lstat(&to).map_err(|e| RpcError::from_fs("stat", &req.destination, e))?;
        Ok(connect::unary(&EntryResponse { entry: Some(entry_info(root, &to, &st)) }))
    })
    .await
}

/// `filesystem.Filesystem/Remove`: a file, a symlink or a whole tree; a path that does not exist
/// is already removed (as E2B answers, like `rm -rf`).
pub async fn remove(call: FsCall, Unary(req): Unary<PathRequest>) -> Result<Response, RpcError> {
    call.run(move |root, user| {
        let path = user.resolve(&req.path).map_err(|e| RpcError::from_fs("remove", &req.path, e))?;
        match root.remove(&path) {
            Err(e) if e.failure() != Failure::NotFound => return Err(RpcError::from_fs("remove", &req.path, e)),
            _ => {}
        }
        Ok(connect::unary(&Empty {}))
    })
    .await
}
