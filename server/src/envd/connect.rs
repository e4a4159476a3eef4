//! The Connect protocol as envd speaks it: unary JSON calls, and server streams of enveloped
//! JSON messages (1 flag byte, 4-byte big-endian length, payload; flag 2 ends the stream).
//! Written here because no maintained Rust crate serves Connect's JSON codec over axum.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use e2b_wire::connect::{Code, ConnectError};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Flag of the last envelope of a stream.
const END_STREAM: u8 = 0x02;

/// A Connect error: a snake_case code and a message.
#[derive(Debug)]
pub struct RpcError {
    pub code: &'static str,
    pub message: String,
}

impl RpcError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new("invalid_argument", message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new("not_found", message)
    }

    fn status(&self) -> StatusCode {
        match self.code {
            "invalid_argument" | "failed_precondition" | "out_of_range" => StatusCode::BAD_REQUEST,
            "unauthenticated" => StatusCode::UNAUTHORIZED,
            "permission_denied" => StatusCode::FORBIDDEN,
            "not_found" => StatusCode::NOT_FOUND,
            "already_exists" | "aborted" => StatusCode::CONFLICT,
            "resource_exhausted" => StatusCode::TOO_MANY_REQUESTS,
            "unimplemented" => StatusCode::NOT_IMPLEMENTED,
            "unavailable" => StatusCode::SERVICE_UNAVAILABLE,
            "deadline_exceeded" => StatusCode::GATEWAY_TIMEOUT,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The error as the last envelope of a stream.
    pub fn end_envelope(&self) -> Bytes {
        let body = serde_json::json!({ "error": { "code": self.code, "message": self.message } });
        envelope(END_STREAM, &serde_json::to_vec(&body).expect("JSON"))
    }
}

impl IntoResponse for RpcError {
    fn into_response(self) -> Response {
        let status = self.status();
        (status, Json(ConnectError { code: Code::parse(self.code), message: self.message })).into_response()
    }
}

/// Parses a unary request body (an empty body is the empty message).
pub fn parse_unary<T: DeserializeOwned + Default>(body: &[u8]) -> Result<T, RpcError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| RpcError::invalid(format!("invalid request: {e}")))
}

/// A unary reply.
pub fn unary<T: Serialize>(message: &T) -> Response {
    Json(message).into_response()
}

/// One envelope.
pub fn envelope(flags: u8, payload: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(5 + payload.len());
    out.push(flags);
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
    out.into()
}

/// A data envelope carrying `message`.
pub fn message_envelope<T: Serialize>(message: &T) -> Bytes {
    envelope(0, &serde_json::to_vec(message).expect("JSON"))
}

/// The successful end of a stream.
pub fn end_ok() -> Bytes {
    envelope(END_STREAM, b"{}")
}

/// Parses the single enveloped request message of a server-streaming call.
pub fn parse_stream_request<T: DeserializeOwned + Default>(body: &[u8]) -> Result<T, RpcError> {
    if body.len() < 5 {
        return Err(RpcError::invalid("the request must be one Connect envelope"));
    }
    let len = u32::from_be_bytes([body[1], body[2], body[3], body[4]]) as usize;
    if body[0] & 0x01 != 0 {
        return Err(RpcError::new("unimplemented", "compressed envelopes are not supported"));
    }
    let payload = body.get(5..5 + len).ok_or_else(|| RpcError::invalid("the request envelope is cut short"))?;
    parse_unary(payload)
}

/// A streaming reply from a stream of envelopes.
pub fn stream_response(body: Body) -> Response {
    ([(header::CONTENT_TYPE, "application/connect+json")], body).into_response()
}

/// The call's deadline from `Connect-Timeout-Ms`, if any (0 or absent: none).
pub fn deadline(headers: &HeaderMap) -> Option<std::time::Duration> {
    let ms: u64 = headers.get("connect-timeout-ms")?.to_str().ok()?.parse().ok()?;
    (ms > 0).then(|| std::time::Duration::from_millis(ms))
}
