//! Request bodies of uploads: which data kinds are accepted, and how a stream is sent where the
//! platform cannot stream a request body.

use js_sys::{Array, ArrayBuffer};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Response};

use crate::errors::Result;
use crate::transport::host;
use crate::transport::js::is_readable_stream;

/// Data to upload, by how it can be sent.
pub enum Upload {
    /// Sent as is: string, ArrayBuffer, typed array, DataView or Blob.
    Whole(JsValue),
    /// A ReadableStream.
    Stream(JsValue),
}

impl Upload {
    /// Sorts `data`; `None` for a kind that cannot be uploaded.
    pub fn classify(data: JsValue) -> Option<Self> {
        if data.is_string() || data.is_instance_of::<ArrayBuffer>() || ArrayBuffer::is_view(&data) {
            return Some(Self::Whole(data));
        }
        if data.is_instance_of::<Blob>() {
            return Some(Self::Whole(data));
        }
        is_readable_stream(&data).then_some(Self::Stream(data))
    }

    /// The data as given.
    pub fn value(&self) -> &JsValue {
        match self {
            Self::Whole(v) | Self::Stream(v) => v,
        }
    }

    /// The data as a request body, and whether it is streamed: a stream is sent as it is read where
    /// the platform can (Node) and `may_stream` allows it, and collected into a Blob first otherwise
    /// (browsers cannot stream request bodies over HTTP/1.1).
    pub async fn body(self, may_stream: bool) -> Result<(JsValue, bool)> {
        match self {
            Self::Whole(v) => Ok((v, false)),
            Self::Stream(s) if may_stream && host::is_node() => Ok((s, true)),
            Self::Stream(s) => {
                let response = Response::new_with_opt_readable_stream(Some(s.unchecked_ref()))?;
                Ok((JsFuture::from(response.blob()?).await?, false))
            }
        }
    }
}

/// A whole body as a Blob (for a multipart form).
pub fn blob_of(whole: JsValue) -> Result<Blob> {
    if whole.is_instance_of::<Blob>() {
        return Ok(whole.unchecked_into());
    }
    Ok(Blob::new_with_blob_sequence(&Array::of1(&whole))?)
}
