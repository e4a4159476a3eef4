//! HTTP/1.1 over a Unix socket: how the server talks to envd inside a sandbox (one connection a
//! request; both bodies streamed).

use std::path::Path;

use axum::body::Body;
use axum::http::{Request, Response};
use hyper::body::Incoming;

/// Sends `req` to the server listening on `socket`; resolves once the reply's head has arrived.
pub async fn send(socket: &Path, req: Request<Body>) -> std::io::Result<Response<Incoming>> {
    let stream = tokio::net::UnixStream::connect(socket).await?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
        .await
        .map_err(std::io::Error::other)?;
    // The connection lives as long as the reply's body is being read.
    tokio::spawn(async move {
        let _ = conn.await;
    });
    sender.send_request(req).await.map_err(std::io::Error::other)
}
