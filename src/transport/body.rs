//! Bodies: JSON request bodies from wire types, a file's body in the format the caller asked for,
//! and the message of a failed reply.

use e2b_wire::fields::error;
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::errors::{Error, Result};
use crate::options::Options;
use crate::transport::fetch::{body_stream, Exchange, InFlight, Read, Response};
use crate::transport::js::get;

/// How a caller wants a file's body: the `format` option of `readFile` and `files.read`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyFormat {
    Text,
    Bytes,
    Blob,
    Stream,
}

impl BodyFormat {
    /// Parses the `format` option (absent: `text`); anything else is an `InvalidArgumentError`.
    pub fn parse(format: Option<&str>) -> Result<Self> {
        match format {
            None | Some("text") => Ok(Self::Text),
            Some("bytes") => Ok(Self::Bytes),
            Some("blob") => Ok(Self::Blob),
            Some("stream") => Ok(Self::Stream),
            Some(other) => Err(Error::InvalidArgument(format!(
                "Unsupported format '{other}': use 'text', 'bytes', 'blob' or 'stream'"
            ))),
        }
    }

    /// The `format` option of `opts`.
    pub fn from_opts(opts: &Options) -> Result<Self> {
        const ALL: [BodyFormat; 4] = [BodyFormat::Text, BodyFormat::Bytes, BodyFormat::Blob, BodyFormat::Stream];
        match opts.choice("format", &["text", "bytes", "blob", "stream"]) {
            Ok(at) => Ok(at.map_or(Self::Text, |at| ALL[at])),
            Err(other) => Self::parse(Some(&other)),
        }
    }

    /// How an exchange reads the body; `None` for a stream, which is read by the caller.
    pub fn read(self) -> Option<Read> {
        match self {
            Self::Text => Some(Read::Text),
            Self::Bytes => Some(Read::Bytes),
            Self::Blob => Some(Read::Blob),
            Self::Stream => None,
        }
    }
}

/// A successful reply's body as a stream (an empty one when it has none), guarded by `idle_ms`
/// (0: no guard) and the user's signal; the request timeout bounded only the wait for headers.
pub fn stream_body(response: &Response, flight: InFlight, idle_ms: f64) -> JsValue {
    flight.guard_idle_body(body_stream(response), idle_ms)
}

/// A request body: `value` as JSON text.
pub fn json_text<T: Serialize>(value: &T) -> Result<String> {
    let v = value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?;
    Ok(String::from(js_sys::JSON::stringify(&v)?))
}

/// A streamed reply's body as text (empty when it cannot be read), for its error's message.
pub async fn text(response: &Response, flight: &InFlight) -> String {
    match response.text() {
        Ok(p) => flight.wait(p).await.ok().and_then(|t| t.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// What a failed reply says.
pub struct Failure {
    /// The numeric `code` of its JSON body, if any (the SDKs key sandbox 404s on it).
    pub code: Option<i64>,
    /// `body.message`, else the raw body, else the status text.
    pub message: String,
}

/// What a failed reply says (of any E2B API: each has a JSON body with `message` and a `code`).
pub fn failure(reply: &Exchange) -> Failure {
    failure_of(&reply.response, reply.text())
}

/// What a failed reply with body `text` says.
pub fn failure_of(response: &Response, text: String) -> Failure {
    let json = js_sys::JSON::parse(&text).ok().filter(|v| v.is_object()).unwrap_or(JsValue::UNDEFINED);
    let code = get(&json, error::CODE).as_f64().map(|c| c as i64);
    let message = get(&json, error::MESSAGE).as_string().filter(|m| !m.is_empty());
    Failure { code, message: message.unwrap_or(if text.is_empty() { response.status_text() } else { text }) }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_and_default_to_text() {
        assert_eq!(BodyFormat::parse(None).ok(), Some(BodyFormat::Text));
        assert_eq!(BodyFormat::parse(Some("bytes")).ok(), Some(BodyFormat::Bytes));
        assert_eq!(BodyFormat::parse(Some("blob")).ok(), Some(BodyFormat::Blob));
        assert_eq!(BodyFormat::parse(Some("stream")).ok(), Some(BodyFormat::Stream));
        match BodyFormat::parse(Some("json")) {
            Err(Error::InvalidArgument(m)) => assert!(m.contains("'json'")),
            other => panic!("{other:?}"),
        }
    }
}
