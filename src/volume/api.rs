//! Volumes on the control plane: create, get (with a fresh token), list and destroy.

use e2b_wire::{NewVolume, Volume, VolumeAndToken};

use crate::config::ApiConfig;
use crate::control_plane::{ensure_ok, send};
use crate::errors::{Error, Family, Result};
use crate::transport::body::{json, json_text, parse};
use crate::transport::query::component;

fn volume_path(id: &str) -> String {
    format!("/volumes/{}", component(id))
}

/// `POST /volumes`.
pub async fn create(cfg: &ApiConfig, name: String) -> Result<VolumeAndToken> {
    let (res, flight) = send(cfg, "POST", "/volumes", Some(json_text(&NewVolume { name })?)).await?;
    ensure_ok(&res, &flight, Family::Volume).await?;
    parse(&res, &flight).await
}

/// `GET /volumes/{id}`: the volume with a fresh token.
pub async fn get(cfg: &ApiConfig, volume_id: &str) -> Result<VolumeAndToken> {
    let (res, flight) = send(cfg, "GET", &volume_path(volume_id), None).await?;
    if res.status() == 404 {
        return Err(Error::VolumeNotFound(volume_id.to_string()));
    }
    ensure_ok(&res, &flight, Family::Volume).await?;
    parse(&res, &flight).await
}

/// `GET /volumes`: every volume of the team.
pub async fn list(cfg: &ApiConfig) -> Result<Vec<Volume>> {
    let (res, flight) = send(cfg, "GET", "/volumes", None).await?;
    ensure_ok(&res, &flight, Family::Volume).await?;
    let list = json(&res, &flight).await?;
    Ok(if list.is_null() { Vec::new() } else { serde_wasm_bindgen::from_value(list)? })
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
