//! Bodies: JSON request bodies from wire types, a file's body in the format the caller asked for,
//! JSON replies, and the message of a failed reply.

use e2b_wire::fields::error;
use serde::Serialize;
use wasm_bindgen::JsValue;
use web_sys::Response;

use crate::errors::{Error, Result};
use crate::options::Options;
use crate::transport::fetch::InFlight;
use crate::transport::js::get;
use crate::transport::reply::Reply;

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
        Self::parse(opts.string("format").as_deref())
    }
}

/// A successful file response's body in `format`; a stream is guarded by `idle_ms` (0: no guard).
/// File bytes stay JS values: they never enter wasm memory.
pub async fn read_file_body(
    response: &Response,
    flight: InFlight,
    format: BodyFormat,
    idle_ms: f64,
) -> Result<JsValue> {
    match format {
        BodyFormat::Stream => {
            let body = match response.body() {
                Some(b) => b.into(),
                None => Response::new()?.body().map(JsValue::from).unwrap_or(JsValue::NULL),
            };
            // The timeout bounded the wait for headers; from here on, the idle timeout and the
            // user's signal guard the body.
            Ok(flight.guard_idle_body(body, idle_ms))
        }
        BodyFormat::Bytes => Ok(js_sys::Uint8Array::new(&flight.wait(response.array_buffer()?).await?).into()),
        BodyFormat::Blob => flight.wait(response.blob()?).await,
        BodyFormat::Text => flight.wait(response.text()?).await,
    }
}

/// A JSON reply.
pub async fn json(response: &Response, flight: &InFlight) -> Result<Reply> {
    Ok(Reply(flight.wait(response.json()?).await?))
}

/// A request body: `value` as JSON text.
pub fn json_text<T: Serialize>(value: &T) -> Result<String> {
    let v = value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?;
    Ok(String::from(js_sys::JSON::stringify(&v)?))
}

/// A reply's body as text (empty when it cannot be read).
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

/// Reads a failed reply (of any E2B API: each has a JSON body with `message` and a `code`).
pub async fn failure(response: &Response, flight: &InFlight) -> Failure {
    let text = text(response, flight).await;
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
