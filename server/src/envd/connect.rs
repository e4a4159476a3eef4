//! axum glue for the Connect protocol as envd speaks it (JSON codec), over the protocol facts in
//! `e2b_wire::connect`: request extractors, unary and streamed replies, and errors.
//! Written here because no maintained Rust crate serves Connect's JSON codec over axum.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use e2b_wire::connect::{
    envelope, Code, ConnectError, EndStream, EnvelopeReader, ENVELOPE_HEADER_LEN, FLAG_COMPRESSED, FLAG_END_STREAM,
    STREAM_CONTENT_TYPE,
};
use e2b_wire::headers;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::fs::FsError;

/// A Connect error: a code and a message.
#[derive(Debug)]
pub struct RpcError {
    /// Connect code.
    pub code: Code,
    /// Message for people.
    pub message: String,
}

impl RpcError {
    /// An error with this code.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
    /// `invalid_argument`.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(Code::InvalidArgument, message)
    }
    /// `not_found`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(Code::NotFound, message)
    }
    /// `internal`.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(Code::Internal, message)
    }
    /// The reply to a filesystem failure of `op` on the user's `path`, from the one table in `fs`.
    pub fn from_fs(op: &str, path: &str, err: FsError) -> Self {
        let (code, message) = err.connect_reply(op, path);
        Self::new(code, message)
    }

    /// The error as the last envelope of a stream.
    pub fn end_envelope(self) -> Bytes {
        end_envelope(&EndStream { error: Some(ConnectError { code: self.code, message: self.message }) })
    }
}

impl IntoResponse for RpcError {
    /// A unary error reply: the code's HTTP status and `{code, message}`.
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(ConnectError { code: self.code, message: self.message })).into_response()
    }
}

/// The request message of a unary call (an empty body is the empty message).
pub struct Unary<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for Unary<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = Bytes::from_request(req, state).await.map_err(IntoResponse::into_response)?;
        parse_message(&body).map(Unary).map_err(IntoResponse::into_response)
    }
}

/// The single enveloped request message of a server-streaming call.
pub struct StreamRequest<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for StreamRequest<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = Bytes::from_request(req, state).await.map_err(IntoResponse::into_response)?;
        parse_stream_request(&body).map(StreamRequest).map_err(IntoResponse::into_response)
    }
}

/// Parses one JSON message (blank is the empty message).
fn parse_message<T: DeserializeOwned + Default>(body: &[u8]) -> Result<T, RpcError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| RpcError::invalid(format!("invalid request: {e}")))
}

/// Parses the first envelope of a stream request body.
fn parse_stream_request<T: DeserializeOwned + Default>(body: &[u8]) -> Result<T, RpcError> {
    if body.len() < ENVELOPE_HEADER_LEN {
        return Err(RpcError::invalid("the request must be one Connect envelope"));
    }
    if body[0] & FLAG_COMPRESSED != 0 {
        return Err(RpcError::new(Code::Unimplemented, "compressed envelopes are not supported"));
    }
    let mut reader = EnvelopeReader::default();
    reader.push(body);
    let first = reader.next_envelope().ok_or_else(|| RpcError::invalid("the request envelope is cut short"))?;
    parse_message(&first.payload)
}

/// A unary reply.
pub fn unary<T: Serialize>(message: &T) -> Response {
    Json(message).into_response()
}

/// A data envelope carrying `message`.
pub fn message_envelope<T: Serialize>(message: &T) -> Bytes {
    envelope(0, &serde_json::to_vec(message).expect("JSON")).into()
}

/// The last envelope of a stream that ended well.
pub fn end_ok() -> Bytes {
    end_envelope(&EndStream::default())
}

fn end_envelope(end: &EndStream) -> Bytes {
    envelope(FLAG_END_STREAM, &serde_json::to_vec(end).expect("JSON")).into()
}

/// A streaming reply from a stream of envelopes.
pub fn stream_response(body: Body) -> Response {
    ([(header::CONTENT_TYPE, STREAM_CONTENT_TYPE)], body).into_response()
}

/// A streaming call that fails before its first message: as Connect servers answer it, HTTP 200
/// and a stream of one end envelope carrying the error (clients read codes only from there).
pub fn stream_error(err: RpcError) -> Response {
    stream_response(Body::from(err.end_envelope()))
}

/// How often an idle stream carries a keepalive when the client names no interval.
const DEFAULT_KEEPALIVE: Duration = Duration::from_secs(30);
/// The longest keepalive interval a client may ask for (a day).
const MAX_KEEPALIVE_SECS: u64 = 24 * 60 * 60;

/// How often an idle stream carries a keepalive: the client's `Keepalive-Ping-Interval` (seconds),
/// else 30 s.
pub fn keepalive(headers: &HeaderMap) -> Duration {
    let asked = headers.get(headers::KEEPALIVE_PING_INTERVAL).and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok());
    match asked {
        Some(secs) if secs > 0 => Duration::from_secs(secs.min(MAX_KEEPALIVE_SECS)),
        _ => DEFAULT_KEEPALIVE,
    }
}

/// The call's deadline from `Connect-Timeout-Ms`, if any (0 or absent: none).
pub fn deadline(headers: &HeaderMap) -> Option<Duration> {
    let ms: u64 = headers.get(headers::CONNECT_TIMEOUT_MS)?.to_str().ok()?.parse().ok()?;
    (ms > 0).then(|| Duration::from_millis(ms))
}

#[cfg(test)]
mod tests {
    use e2b_wire::connect::Envelope;

    use super::*;

    #[derive(Debug, Default, PartialEq, serde::Deserialize)]
    struct Msg {
        #[serde(default)]
        a: u32,
    }

    #[test]
    fn stream_requests_are_one_envelope() {
        let mut body = envelope(0, br#"{"a":7}"#);
        assert_eq!(parse_stream_request::<Msg>(&body).unwrap(), Msg { a: 7 });
        body.extend(envelope(0, b"ignored"));
        assert_eq!(parse_stream_request::<Msg>(&body).unwrap(), Msg { a: 7 }, "only the first counts");
        let err = |b: &[u8]| parse_stream_request::<Msg>(b).unwrap_err();
        let short = err(&[0, 0]);
        assert_eq!(
            (short.code, short.message.as_str()),
            (Code::InvalidArgument, "the request must be one Connect envelope")
        );
        let cut = err(&envelope(0, b"{}")[..6]);
        assert_eq!((cut.code, cut.message.as_str()), (Code::InvalidArgument, "the request envelope is cut short"));
        let compressed = err(&envelope(FLAG_COMPRESSED, b"{}")[..6]);
        assert_eq!(compressed.code, Code::Unimplemented, "the flag is read before the length");
        assert_eq!(err(&envelope(0, b"{x")).code, Code::InvalidArgument);
        assert_eq!(parse_stream_request::<Msg>(&envelope(0, b"")).unwrap(), Msg::default());
    }

    #[test]
    fn streams_end_with_an_end_envelope() {
        let mut reader = EnvelopeReader::default();
        reader.push(&message_envelope(&serde_json::json!({"x": 1})));
        reader.push(&end_ok());
        reader.push(&RpcError::new(Code::DeadlineExceeded, "late").end_envelope());
        assert_eq!(reader.next_envelope(), Some(Envelope { flags: 0, payload: br#"{"x":1}"#.to_vec() }));
        assert_eq!(reader.next_envelope(), Some(Envelope { flags: FLAG_END_STREAM, payload: b"{}".to_vec() }));
        let failed = reader.next_envelope().unwrap();
        assert!(failed.is_end());
        assert_eq!(failed.payload, br#"{"error":{"code":"deadline_exceeded","message":"late"}}"#);
    }

    #[test]
    fn deadlines_come_from_the_timeout_header() {
        let mut h = HeaderMap::new();
        assert_eq!(deadline(&h), None);
        let name = axum::http::HeaderName::from_bytes(headers::CONNECT_TIMEOUT_MS.as_bytes()).unwrap();
        h.insert(name.clone(), "250".parse().unwrap());
        assert_eq!(deadline(&h), Some(Duration::from_millis(250)));
        h.insert(name.clone(), "0".parse().unwrap());
        assert_eq!(deadline(&h), None);
        h.insert(name, "soon".parse().unwrap());
        assert_eq!(deadline(&h), None);
    }

    #[test]
    fn keepalives_follow_the_clients_interval() {
        let mut h = HeaderMap::new();
        assert_eq!(keepalive(&h), Duration::from_secs(30));
        let name = axum::http::HeaderName::from_bytes(headers::KEEPALIVE_PING_INTERVAL.as_bytes()).unwrap();
        h.insert(name.clone(), "50".parse().unwrap());
        assert_eq!(keepalive(&h), Duration::from_secs(50));
        for bad in ["0", "-3", "soon"] {
            h.insert(name.clone(), bad.parse().unwrap());
            assert_eq!(keepalive(&h), Duration::from_secs(30), "{bad}");
        }
        h.insert(name, "99999999".parse().unwrap());
        assert_eq!(keepalive(&h), Duration::from_secs(24 * 60 * 60));
    }

    #[tokio::test]
    async fn unary_errors_take_their_codes_http_status() {
        let res = RpcError::new(Code::Unimplemented, "no").into_response();
        assert_eq!(res.status(), StatusCode::NOT_IMPLEMENTED);
        let body = axum::body::to_bytes(res.into_body(), 1024).await.unwrap();
        assert_eq!(&body[..], br#"{"code":"unimplemented","message":"no"}"#);
        assert_eq!(RpcError::new(Code::AlreadyExists, "").into_response().status(), StatusCode::CONFLICT);
    }
}
