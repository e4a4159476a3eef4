//! What the control plane's sandbox handlers share: reading a JSON body, checking a timeout, and
//! the reply for a sandbox that does not exist (`{code: 404}`, which the SDKs look for).

use std::time::Duration;

use axum::extract::rejection::JsonRejection;
use axum::Json;

use crate::errors::ControlError;

/// The longest timeout accepted (24 hours, E2B's Pro limit).
pub const MAX_TIMEOUT_SECS: i32 = 24 * 3600;

/// The body, or a 400 saying why it is not one.
pub fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, ControlError> {
    body.map(|Json(t)| t)
        .map_err(|e| ControlError::bad_request(format!("Error when parsing request: {}", e.body_text())))
}

/// An optional body: absent (no content) is `T::default()`, anything else must parse.
pub fn optional_body<T: Default>(body: Result<Json<T>, JsonRejection>) -> Result<T, ControlError> {
    match body {
        Err(JsonRejection::MissingJsonContentType(_)) => Ok(T::default()),
        other => json_body(other),
    }
}

/// 404 for sandbox `id`.
pub fn not_found(id: &str) -> ControlError {
    ControlError::not_found(format!("sandbox \"{id}\" not found"))
}

/// A timeout in seconds, if within what E2B accepts.
pub fn checked_timeout(secs: i32) -> Result<Duration, ControlError> {
    if !(0..=MAX_TIMEOUT_SECS).contains(&secs) {
        return Err(ControlError::bad_request(format!("timeout must be between 0 and {MAX_TIMEOUT_SECS} seconds")));
    }
    Ok(Duration::from_secs(secs as u64))
}
