//! Error replies of the HTTP planes, each in its plane's JSON shape: the control plane's
//! `{code: <status>, message}`, the volume content API's `{code: "<CODE>", message}` and envd
//! REST's `{message, code: <status>}`. (Connect errors are with the Connect glue, in `envd`.)

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use e2b_wire::envd::EnvdError;
use e2b_wire::{ApiError, ContentError};

use crate::fs::FsError;

/// A control-plane failure: `{code: <int>, message}`.
#[derive(Debug)]
pub struct ControlError {
    /// HTTP status, repeated in the body.
    pub status: StatusCode,
    /// Message for people.
    pub message: String,
}

impl ControlError {
    /// A failure with this status.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self { status, message: message.into() }
    }
    /// 400.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }
    /// 401.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }
    /// 500, logged.
    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!("internal error: {err}");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, format!("internal error: {err}"))
    }
}

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        let body = ApiError { code: i32::from(self.status.as_u16()), message: self.message };
        (self.status, Json(body)).into_response()
    }
}

/// A volume-content failure: `{code: "<STRING>", message}`.
#[derive(Debug)]
pub struct VolumeContentError {
    /// HTTP status.
    pub status: StatusCode,
    /// String code, e.g. `PATH_NOT_FOUND`.
    pub code: &'static str,
    /// Message for people.
    pub message: String,
}

impl VolumeContentError {
    /// A failure with this status and code.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into() }
    }
    /// 400 `INVALID_REQUEST`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "INVALID_REQUEST", message)
    }
    /// 401 `UNAUTHORIZED`.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", message)
    }
    /// 403 `FORBIDDEN`.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "FORBIDDEN", message)
    }
    /// 500 `INTERNAL`, logged.
    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!("internal error: {err}");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", format!("internal error: {err}"))
    }
    /// The reply to a filesystem failure of `op` on the user's `path`, from the one table in `fs`.
    pub fn from_fs(op: &str, path: &str, err: FsError) -> Self {
        let reply = err.content_reply(op, path);
        if reply.status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!("{}", reply.message);
        }
        Self::new(reply.status, reply.code, reply.message)
    }
}

impl IntoResponse for VolumeContentError {
    fn into_response(self) -> Response {
        let body = ContentError { code: self.code.to_string(), message: self.message };
        (self.status, Json(body)).into_response()
    }
}

/// An envd REST failure (and any refusal before an envd call): `{message, code: <int>}`.
#[derive(Debug)]
pub struct EnvdRestError {
    /// HTTP status, repeated in the body.
    pub status: StatusCode,
    /// Message for people.
    pub message: String,
}

impl EnvdRestError {
    /// A failure with this status.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self { status, message: message.into() }
    }
    /// The reply to a filesystem failure of `op` on the user's `path`, from the one table in `fs`.
    pub fn from_fs(op: &str, path: &str, err: FsError) -> Self {
        let (status, message) = err.rest_reply(op, path);
        Self::new(status, message)
    }
}

impl IntoResponse for EnvdRestError {
    fn into_response(self) -> Response {
        (self.status, Json(EnvdError { message: self.message, code: self.status.as_u16() })).into_response()
    }
}
