//! Error replies of each plane, in that plane's JSON shape.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use e2b_wire::{ApiError, ContentError};

/// A control-plane failure: `{code: <int>, message}`.
#[derive(Debug)]
pub struct ControlError {
    pub status: StatusCode,
    pub message: String,
}

impl ControlError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self { status, message: message.into() }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }
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
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl VolumeContentError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into() }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "INVALID_REQUEST", message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "PATH_NOT_FOUND", message)
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "PATH_ALREADY_EXISTS", message)
    }
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", message)
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "FORBIDDEN", message)
    }
    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!("internal error: {err}");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", format!("internal error: {err}"))
    }

    /// Maps an OS error of operation `op` on the user's `path` to the reply E2B users expect.
    pub fn from_io(op: &str, path: &str, err: &std::io::Error) -> Self {
        use std::io::ErrorKind as K;
        match err.raw_os_error().map(rustix::io::Errno::from_raw_os_error) {
            Some(rustix::io::Errno::NOENT) => Self::not_found(format!("failed to {op}: {path:?} not found.")),
            Some(rustix::io::Errno::EXIST) | Some(rustix::io::Errno::NOTEMPTY) => {
                Self::conflict(format!("failed to {op}: {path:?} already exists."))
            }
            Some(rustix::io::Errno::NOTDIR) => Self::bad_request(format!(
                "failed to {op}: {path:?}: a component of the path is a file, but must be a directory"
            )),
            Some(rustix::io::Errno::ISDIR) => {
                Self::new(StatusCode::CONFLICT, "IS_A_DIRECTORY", format!("failed to {op}: {path:?} is a directory"))
            }
            Some(rustix::io::Errno::LOOP) => {
                Self::bad_request(format!("failed to {op}: {path:?}: too many levels of symbolic links"))
            }
            Some(rustix::io::Errno::NAMETOOLONG) => {
                Self::bad_request(format!("failed to {op}: {path:?}: name too long"))
            }
            Some(rustix::io::Errno::NOSPC) | Some(rustix::io::Errno::DQUOT) => Self::new(
                StatusCode::INSUFFICIENT_STORAGE,
                "NO_SPACE",
                format!("failed to {op}: {path:?}: no space left on device"),
            ),
            Some(rustix::io::Errno::AGAIN) => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "BUSY",
                format!("failed to {op}: {path:?}: the volume changed during the request, try again"),
            ),
            _ if err.kind() == K::PermissionDenied => {
                Self::new(StatusCode::FORBIDDEN, "PERMISSION_DENIED", format!("failed to {op}: {path:?}: {err}"))
            }
            _ => Self::internal(format!("failed to {op}: {path:?}: {err}")),
        }
    }
}

impl IntoResponse for VolumeContentError {
    fn into_response(self) -> Response {
        let body = ContentError { code: self.code.to_string(), message: self.message };
        (self.status, Json(body)).into_response()
    }
}
