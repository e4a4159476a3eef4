//! A file as a reply: its bytes streamed in chunks, with its length when the filesystem's length
//! can be trusted (and never more bytes than that length), else read to its end.

use std::fs::File;

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tokio::io::AsyncReadExt as _;

/// Chunk size of downloads.
const CHUNK: usize = 256 * 1024;

/// The reply carrying `file`, `size` bytes long if known.
pub fn file_reply(file: File, size: Option<u64>) -> Response {
    let file = tokio::fs::File::from_std(file);
    let octets = [(header::CONTENT_TYPE, "application/octet-stream")];
    match size {
        // A file that grows meanwhile must not send more than its stated length.
        Some(size) => {
            let stream = tokio_util::io::ReaderStream::with_capacity(file.take(size), CHUNK);
            (octets, [(header::CONTENT_LENGTH, size.to_string())], Body::from_stream(stream)).into_response()
        }
        None => (octets, Body::from_stream(tokio_util::io::ReaderStream::with_capacity(file, CHUNK))).into_response(),
    }
}
