//! Volumes on the control plane: create, get (with a fresh token), list and destroy.

use e2b_wire::NewVolume;

use crate::config::ApiConfig;
use crate::control_plane::{ensure_ok, send};
use crate::errors::{Error, Family, Result};
use crate::transport::body::json_text;
use crate::transport::fetch::Read;
use crate::transport::query::component;
use crate::transport::reply::Reply;

fn volume_path(id: &str) -> String {
    ["/volumes/", &component(id)].concat()
}

/// `POST /volumes`: the new volume's `VolumeAndToken`.
pub async fn create(cfg: &ApiConfig, name: String) -> Result<Reply> {
    let reply = send(cfg, "POST", "/volumes", Some(json_text(&NewVolume { name })?), Read::Json).await?;
    ensure_ok(&reply, Family::Volume)?;
    Ok(Reply(reply.body))
}

/// `GET /volumes/{id}`: the volume with a fresh token (`VolumeAndToken`).
pub async fn get(cfg: &ApiConfig, volume_id: &str) -> Result<Reply> {
    let reply = send(cfg, "GET", &volume_path(volume_id), None, Read::Json).await?;
    if reply.status() == 404 {
        return Err(Error::VolumeNotFound(volume_id.to_string()));
    }
    ensure_ok(&reply, Family::Volume)?;
    Ok(Reply(reply.body))
}

/// `GET /volumes`: every volume of the team (`Volume` items; `null` is none).
pub async fn list(cfg: &ApiConfig) -> Result<Reply> {
    let reply = send(cfg, "GET", "/volumes", None, Read::Json).await?;
    ensure_ok(&reply, Family::Volume)?;
    Ok(Reply(reply.body))
}

/// `DELETE /volumes/{id}`; `false` when there was no such volume.
pub async fn destroy(cfg: &ApiConfig, volume_id: &str) -> Result<bool> {
    let reply = send(cfg, "DELETE", &volume_path(volume_id), None, Read::Nothing).await?;
    if reply.status() == 404 {
        return Ok(false);
    }
    ensure_ok(&reply, Family::Volume)?;
    Ok(true)
}
