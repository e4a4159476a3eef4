//! The server's side of envd: a client's call for a sandbox's envd (already authenticated by the
//! `auth::sandbox_access` layer) is passed to the envd inside that sandbox over its private
//! socket, and the reply passed back, both streamed. Replies are untrusted: hyper bounds what it
//! parses, and nothing in them is acted on here.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use e2b_wire::headers;

use crate::errors::EnvdRestError;
use crate::sandboxes::sandbox::Sandbox;

/// Headers that describe one hop, or carry the sandbox's credentials, which envd does not need.
const NOT_FORWARDED: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
    "te",
    "trailer",
    "host",
    headers::ACCESS_TOKEN,
    headers::SANDBOX_ID,
    headers::SANDBOX_PORT,
];

fn strip(headers: &mut HeaderMap) {
    for name in NOT_FORWARDED {
        headers.remove(*name);
    }
}

/// Any envd route: forwarded to the sandbox's envd.
pub async fn forward(Extension(sandbox): Extension<Arc<Sandbox>>, req: Request) -> Response {
    let (mut parts, body) = req.into_parts();
    strip(&mut parts.headers);
    parts.headers.insert(header::HOST, HeaderValue::from_static("envd"));
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    parts.uri = match path.parse() {
        Ok(uri) => uri,
        Err(_) => return EnvdRestError::new(StatusCode::BAD_REQUEST, "invalid request path").into_response(),
    };
    match crate::unix_http::send(&sandbox.container.envd_socket(), Request::from_parts(parts, body)).await {
        Ok(reply) => {
            let (mut parts, body) = reply.into_parts();
            strip(&mut parts.headers);
            Response::from_parts(parts, Body::new(body))
        }
        // E2B's proxy answers 502 when a sandbox's envd cannot be reached; the SDKs read it so.
        Err(e) => EnvdRestError::new(StatusCode::BAD_GATEWAY, format!("sandbox {:?} is not running: {e}", sandbox.id))
            .into_response(),
    }
}
