//! The Connect protocol as envd speaks it (JSON codec): error codes with their HTTP and numeric
//! forms, and the envelope framing of streamed messages.

use serde::{Deserialize, Serialize};

/// `Content-Type` of unary Connect calls and of their error replies.
pub const UNARY_CONTENT_TYPE: &str = "application/json";
/// `Content-Type` of server-streaming Connect calls, both ways.
pub const STREAM_CONTENT_TYPE: &str = "application/connect+json";
/// Value of the `Connect-Protocol-Version` header.
pub const PROTOCOL_VERSION: &str = "1";

/// Envelope flag: the payload is compressed (never sent by e2b-local or the SDKs).
pub const FLAG_COMPRESSED: u8 = 0x01;
/// Envelope flag: the last envelope of a stream, carrying `{}` or `{"error": …}`.
pub const FLAG_END_STREAM: u8 = 0x02;
/// Bytes before an envelope's payload: one flag byte and a 4-byte big-endian length.
pub const ENVELOPE_HEADER_LEN: usize = 5;

/// A Connect error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    Canceled,
    InvalidArgument,
    DeadlineExceeded,
    NotFound,
    AlreadyExists,
    PermissionDenied,
    ResourceExhausted,
    FailedPrecondition,
    Aborted,
    OutOfRange,
    Unimplemented,
    Internal,
    Unavailable,
    DataLoss,
    Unauthenticated,
    #[serde(other)]
    Unknown,
}

/// Every code with its wire name, its number (as gRPC numbers it) and the HTTP status Connect gives it.
const CODES: [(Code, &str, u8, u16); 16] = [
    (Code::Canceled, "canceled", 1, 499),
    (Code::Unknown, "unknown", 2, 500),
    (Code::InvalidArgument, "invalid_argument", 3, 400),
    (Code::DeadlineExceeded, "deadline_exceeded", 4, 504),
    (Code::NotFound, "not_found", 5, 404),
    (Code::AlreadyExists, "already_exists", 6, 409),
    (Code::PermissionDenied, "permission_denied", 7, 403),
    (Code::ResourceExhausted, "resource_exhausted", 8, 429),
    (Code::FailedPrecondition, "failed_precondition", 9, 400),
    (Code::Aborted, "aborted", 10, 409),
    (Code::OutOfRange, "out_of_range", 11, 400),
    (Code::Unimplemented, "unimplemented", 12, 501),
    (Code::Internal, "internal", 13, 500),
    (Code::Unavailable, "unavailable", 14, 503),
    (Code::DataLoss, "data_loss", 15, 500),
    (Code::Unauthenticated, "unauthenticated", 16, 401),
];

impl Code {
    fn row(self) -> (Code, &'static str, u8, u16) {
        CODES[CODES.iter().position(|r| r.0 == self).unwrap_or(1)]
    }

    /// The wire spelling, e.g. `not_found`.
    pub fn as_str(self) -> &'static str {
        self.row().1
    }

    /// The numeric code (`not_found` is 5).
    pub fn number(self) -> u8 {
        self.row().2
    }

    /// The HTTP status of a unary error reply with this code.
    pub fn http_status(self) -> u16 {
        self.row().3
    }

    /// Parses a wire spelling; anything unknown is `Unknown`.
    pub fn parse(name: &str) -> Code {
        CODES.iter().find(|r| r.1 == name).map_or(Code::Unknown, |r| r.0)
    }

    /// The code a client infers from the HTTP status of an error reply that has no Connect body.
    pub fn from_http_status(status: u16) -> Code {
        match status {
            400 => Code::Internal,
            401 => Code::Unauthenticated,
            403 => Code::PermissionDenied,
            404 => Code::Unimplemented,
            429 | 502 | 503 | 504 => Code::Unavailable,
            _ => Code::Unknown,
        }
    }
}

/// A Connect error: the body of a failed unary call, and the `error` of a failed stream's end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectError {
    /// The error code.
    pub code: Code,
    /// Human-readable message.
    #[serde(default)]
    pub message: String,
}

/// The payload of a stream's last envelope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndStream {
    /// Set when the stream failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ConnectError>,
}

/// Frames `payload` as one envelope with `flags`.
pub fn envelope(flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(ENVELOPE_HEADER_LEN + payload.len());
    out.push(flags);
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// One envelope read off a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// Its flags (`FLAG_END_STREAM` on the last one).
    pub flags: u8,
    /// Its payload, a JSON message.
    pub payload: Vec<u8>,
}

impl Envelope {
    /// True for the last envelope of a stream.
    pub fn is_end(&self) -> bool {
        self.flags & FLAG_END_STREAM != 0
    }
}

/// Splits a byte stream into envelopes, whatever the chunk boundaries.
#[derive(Debug, Default)]
pub struct EnvelopeReader {
    buf: Vec<u8>,
}

impl EnvelopeReader {
    /// Adds received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next complete envelope, if one has arrived.
    pub fn next_envelope(&mut self) -> Option<Envelope> {
        let (flags, len) = self.header()?;
        if self.buf.len() < ENVELOPE_HEADER_LEN + len {
            return None;
        }
        let payload = self.buf[ENVELOPE_HEADER_LEN..ENVELOPE_HEADER_LEN + len].to_vec();
        self.buf.drain(..ENVELOPE_HEADER_LEN + len);
        Some(Envelope { flags, payload })
    }

    /// Bytes received that do not yet form an envelope.
    pub fn pending(&self) -> usize {
        self.buf.len()
    }

    fn header(&self) -> Option<(u8, usize)> {
        let h = self.buf.get(..ENVELOPE_HEADER_LEN)?;
        Some((h[0], u32::from_be_bytes([h[1], h[2], h[3], h[4]]) as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_every_form() {
        for (code, name, number, status) in CODES {
            assert_eq!(Code::parse(name), code);
            assert_eq!(code.as_str(), name);
            assert_eq!(code.number(), number);
            assert_eq!(code.http_status(), status);
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<Code>(&format!("\"{name}\"")).unwrap(), code);
        }
        assert_eq!(Code::parse("no_such_code"), Code::Unknown);
        assert_eq!(serde_json::from_str::<Code>("\"no_such_code\"").unwrap(), Code::Unknown);
        assert_eq!(Code::from_http_status(404), Code::Unimplemented);
        assert_eq!(Code::from_http_status(502), Code::Unavailable);
        assert_eq!(Code::from_http_status(418), Code::Unknown);
    }

    #[test]
    fn envelopes_survive_any_chunking() {
        let mut stream = envelope(0, br#"{"a":1}"#);
        stream.extend(envelope(FLAG_END_STREAM, b"{}"));
        for split in 0..=stream.len() {
            let mut reader = EnvelopeReader::default();
            let mut got = Vec::new();
            for part in [&stream[..split], &stream[split..]] {
                reader.push(part);
                while let Some(e) = reader.next_envelope() {
                    got.push(e);
                }
            }
            assert_eq!(got.len(), 2, "split at {split}");
            assert_eq!(got[0], Envelope { flags: 0, payload: br#"{"a":1}"#.to_vec() });
            assert!(got[1].is_end() && got[1].payload == b"{}");
            assert_eq!(reader.pending(), 0);
        }
    }

    #[test]
    fn the_end_of_a_failed_stream_carries_the_error() {
        let end: EndStream = serde_json::from_str(r#"{"error":{"code":"not_found","message":"gone"}}"#).unwrap();
        assert_eq!(end.error, Some(ConnectError { code: Code::NotFound, message: "gone".into() }));
        assert_eq!(serde_json::to_string(&EndStream::default()).unwrap(), "{}");
    }
}
