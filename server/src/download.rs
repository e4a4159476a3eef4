//! A file as a reply: read whole when it fits in one chunk, else its bytes streamed in chunks, with
//! its length when the filesystem's length can be trusted (and never more bytes than that length),
//! else read to its end.

use std::fs::File;
use std::io::{self, Read as _};

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tokio::io::AsyncReadExt as _;

/// Chunk size of downloads.
const CHUNK: usize = 256 * 1024;

/// A file opened for a reply: read already when it fits in one chunk.
pub enum Opened {
    /// The whole file.
    Whole(Vec<u8>),
    /// The file to stream, `size` bytes long if known.
    Streamed(File, Option<u64>),
}

impl Opened {
    /// Reads `file` whole if it is known to fit in one chunk (call it on the blocking thread that
    /// opened it): one trip to the blocking pool per small file, where streaming takes one per chunk
    /// besides, and a reply with no chunk buffer to allocate.
    pub fn read(file: File, size: Option<u64>) -> io::Result<Self> {
        match size {
            Some(size) if size <= CHUNK as u64 => {
                let mut bytes = Vec::with_capacity(size as usize);
                // Never more than the stated length, should the file grow meanwhile.
                (&file).take(size).read_to_end(&mut bytes)?;
                Ok(Self::Whole(bytes))
            }
            _ => Ok(Self::Streamed(file, size)),
        }
    }

    /// The reply carrying the file.
    pub fn reply(self) -> Response {
        match self {
            Self::Whole(bytes) => {
                ([(header::CONTENT_TYPE, "application/octet-stream")], Body::from(bytes)).into_response()
            }
            Self::Streamed(file, size) => file_reply(file, size),
        }
    }
}

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
