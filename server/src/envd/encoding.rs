//! Content codings of `/files`, as envd.yaml has them: an upload sent with `Content-Encoding: gzip`
//! is inflated as it streams in; a download is gzipped when the client's `Accept-Encoding` prefers
//! gzip, sent as is when identity is acceptable, and refused (406) when neither is. Both ways
//! stream in bounded memory.

use std::fs::File;
use std::io;

use async_compression::tokio::bufread::{GzipDecoder, GzipEncoder};
use async_compression::Level;
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::{Stream, TryStreamExt};
use tokio::io::AsyncReadExt as _;
use tokio_util::io::{ReaderStream, StreamReader};

/// The codings envd speaks besides identity, for messages.
const SUPPORTED: &str = "[identity, gzip]";
/// Chunk size of gzipped downloads.
const CHUNK: usize = 64 * 1024;

/// How a body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    /// As is.
    Identity,
    /// gzip.
    Gzip,
}

/// The coding of an upload's body, from `Content-Encoding`; the error names an unsupported one.
pub fn of_request(headers: &HeaderMap) -> Result<Coding, String> {
    let Some(value) = headers.get(header::CONTENT_ENCODING) else { return Ok(Coding::Identity) };
    let text = value.to_str().unwrap_or_default();
    match name_of(text).as_str() {
        "" | "identity" => Ok(Coding::Identity),
        "gzip" | "x-gzip" => Ok(Coding::Gzip),
        _ => Err(format!("unsupported Content-Encoding: {text}, supported: {SUPPORTED}")),
    }
}

/// The coding of a download, from `Accept-Encoding` and its q-values (none or empty: identity);
/// `None` when the client accepts none that envd speaks.
pub fn for_reply(headers: &HeaderMap) -> Option<Coding> {
    let Some(value) = headers.get(header::ACCEPT_ENCODING) else { return Some(Coding::Identity) };
    let mut offers: Vec<(String, f32)> = value
        .to_str()
        .unwrap_or_default()
        .split(',')
        .map(|item| {
            let mut parts = item.split(';');
            let name = name_of(parts.next().unwrap_or_default());
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (name, q)
        })
        .filter(|(name, _)| !name.is_empty())
        .collect();
    if offers.is_empty() {
        return Some(Coding::Identity);
    }
    // Identity is acceptable unless refused by name, or by `*;q=0` without being named.
    let named = |n: &str| offers.iter().find(|(name, _)| name == n).map(|(_, q)| *q);
    let identity_refused = match named("identity") {
        Some(q) => q <= 0.0,
        None => named("*").is_some_and(|q| q <= 0.0),
    };
    offers.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (name, q) in &offers {
        if *q <= 0.0 {
            continue;
        }
        match name.as_str() {
            "gzip" | "x-gzip" => return Some(Coding::Gzip),
            "identity" => return Some(Coding::Identity),
            "*" => return Some(if identity_refused { Coding::Gzip } else { Coding::Identity }),
            _ => {}
        }
    }
    (!identity_refused).then_some(Coding::Identity)
}

/// The message of the 406 reply.
pub fn not_acceptable() -> String {
    format!("no acceptable encoding found, supported: {SUPPORTED}")
}

/// A coding's name, lowercased and trimmed (codings ignore case).
fn name_of(text: &str) -> String {
    text.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// `body` as it was before gzip; a corrupt stream ends in an error.
pub fn gunzip<S, E>(body: S) -> impl Stream<Item = io::Result<Bytes>> + Send + Unpin
where
    S: Stream<Item = Result<Bytes, E>> + Send + Unpin,
    E: std::fmt::Display,
{
    let reader = StreamReader::new(body.map_err(|e| io::Error::other(e.to_string())));
    let mut decoder = GzipDecoder::new(reader);
    // Several gzip members one after another are one body, as `gzip -d` reads them.
    decoder.multiple_members(true);
    ReaderStream::with_capacity(decoder, CHUNK)
}

/// The reply carrying `file` (at most `size` bytes when known) gzipped: streamed, so without a
/// `Content-Length`.
pub fn gzip_reply(file: File, size: Option<u64>) -> Response {
    let file = tokio::fs::File::from_std(file);
    let limit = size.unwrap_or(u64::MAX);
    let reader = tokio::io::BufReader::with_capacity(CHUNK, file.take(limit));
    // The fastest level: downloads are gzipped whenever a client offers it (browsers always do).
    let encoder = GzipEncoder::with_quality(reader, Level::Fastest);
    let body = Body::from_stream(ReaderStream::with_capacity(encoder, CHUNK));
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream")),
        (header::CONTENT_ENCODING, HeaderValue::from_static("gzip")),
        (header::VARY, HeaderValue::from_static("accept-encoding")),
    ];
    (headers, body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, value.parse().unwrap());
        h
    }

    #[test]
    fn downloads_take_the_preferred_coding_envd_speaks() {
        let accept = |v: &str| for_reply(&with(header::ACCEPT_ENCODING, v));
        assert_eq!(for_reply(&HeaderMap::new()), Some(Coding::Identity));
        assert_eq!(accept("gzip"), Some(Coding::Gzip));
        assert_eq!(accept("br, gzip, deflate"), Some(Coding::Gzip));
        assert_eq!(accept("GZIP;q=0.5, identity;q=0.8"), Some(Coding::Identity));
        assert_eq!(accept("gzip;q=0, br"), Some(Coding::Identity), "identity stays acceptable");
        assert_eq!(accept("br"), Some(Coding::Identity));
        assert_eq!(accept("*"), Some(Coding::Identity));
        assert_eq!(accept("identity;q=0, *"), Some(Coding::Gzip));
        assert_eq!(accept("br, identity;q=0"), None);
        assert_eq!(accept("br, *;q=0"), None);
        assert_eq!(accept(""), Some(Coding::Identity));
    }

    #[test]
    fn uploads_may_be_gzip_or_identity() {
        let sent = |v: &str| of_request(&with(header::CONTENT_ENCODING, v));
        assert_eq!(of_request(&HeaderMap::new()), Ok(Coding::Identity));
        assert_eq!(sent("gzip"), Ok(Coding::Gzip));
        assert_eq!(sent(" Identity "), Ok(Coding::Identity));
        assert_eq!(sent("br"), Err("unsupported Content-Encoding: br, supported: [identity, gzip]".to_string()));
    }

    #[tokio::test]
    async fn gunzip_inflates_across_chunks_and_fails_on_garbage() {
        use futures_util::StreamExt;
        let mut gz = async_compression::tokio::bufread::GzipEncoder::new(&b"hello, world"[..]);
        let mut packed = Vec::new();
        gz.read_to_end(&mut packed).await.unwrap();
        let chunks: Vec<Result<Bytes, String>> = packed.chunks(3).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
        let out: Vec<u8> = gunzip(futures_util::stream::iter(chunks)).map(|c| c.unwrap().to_vec()).concat().await;
        assert_eq!(out, b"hello, world");
        let garbage = futures_util::stream::iter(vec![Ok::<_, String>(Bytes::from_static(b"not gzip at all"))]);
        let failed: Vec<io::Result<Bytes>> = gunzip(garbage).collect().await;
        assert!(failed.iter().any(|r| r.is_err()));
    }
}
