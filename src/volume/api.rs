//! Volumes on the control plane: create, get (with a fresh token), list and destroy.

use e2b_wire::NewVolume;

use crate::config::ApiConfig;
use crate::control_plane::{ensure_ok, send};
use crate::errors::{Error, Family, Result};
use crate::transport::body::{json, json_text};
use crate::transport::query::component;
use crate::transport::reply::Reply;

fn volume_path(id: &str) -> String {
    format!("/volumes/{}", component(id))
}

/// `POST /volumes`: the new volume's `VolumeAndToken`.
pub async fn create(cfg: &ApiConfig, name: String) -> Result<Reply> {
    let (res, flight) = send(cfg, "POST", "/volumes", Some(json_text(&NewVolume { name })?)).await?;
    ensure_ok(&res, &flight, Family::Volume).await?;
    json(&res, &flight).await
}

/// `GET /volumes/{id}`: the volume with a fresh token (`VolumeAndToken`).
pub async fn get(cfg: &ApiConfig, volume_id: &str) -> Result<Reply> {
    let (res, flight) = send(cfg, "GET", &volume_path(volume_id), None).await?;
    if res.status() == 404 {
        return Err(Error::VolumeNotFound(volume_id.to_string()));
    }
    ensure_ok(&res, &flight, Family::Volume).await?;
    json(&res, &flight).await
}

/// `GET /volumes`: every volume of the team (`Volume` items; `null` is none).
pub async fn list(cfg: &ApiConfig) -> Result<Reply> {
    let (res, flight) = send(cfg, "GET", "/volumes", None).await?;
    ensure_ok(&res, &flight, Family::Volume).await?;
    json(&res, &flight).await
}

/// `DELETE /volumes/{id}`; `false` when there was no such volume.
pub async fn destroy(cfg: &ApiConfig, volume_id: &str) -> Result<bool> {
    let (res, flight) = send(cfg, "DELETE", &volume_path(volume_id), None).await?;
    if res.status() == 404 {
        return Ok(false);
    }
    ensure_ok(&res, &flight, Family::Volume).await?;
    Ok(true)
}
