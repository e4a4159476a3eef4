//! The routing table: every route e2b-local serves, with CORS and one log line a request.

use std::time::Instant;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::cors::{AllowHeaders, AllowMethods, AllowOrigin, CorsLayer};

use crate::errors::ControlError;
use crate::state::SharedState;
use crate::{content_api, control_plane, envd, sandboxes_api};

/// Builds the application.
pub fn router(state: SharedState) -> Router {
    let volumes = Router::new()
        .route("/volumes", get(control_plane::list_volumes).post(control_plane::create_volume))
        .route("/volumes/{volume_id}", get(control_plane::get_volume).delete(control_plane::delete_volume));

    let content = Router::new()
        .route(
            "/volumecontent/{volume_id}/path",
            get(content_api::stat).patch(content_api::update_metadata).delete(content_api::remove),
        )
        .route("/volumecontent/{volume_id}/dir", get(content_api::list_dir).post(content_api::make_dir))
        .route("/volumecontent/{volume_id}/file", get(content_api::read_file).put(content_api::write_file))
        // Uploads are streamed to disk, never buffered, so they need no size limit.
        .layer(DefaultBodyLimit::disable());

    let sandboxes = Router::new()
        .route("/sandboxes", post(sandboxes_api::create))
        // The official SDK creates through /v2/sandboxes since 2.x.
        .route("/v2/sandboxes", get(sandboxes_api::list).post(sandboxes_api::create))
        .route("/sandboxes/{id}", get(sandboxes_api::get).delete(sandboxes_api::kill))
        .route("/sandboxes/{id}/timeout", post(sandboxes_api::set_timeout))
        .route("/sandboxes/{id}/connect", post(sandboxes_api::connect));

    // envd of every sandbox; the `E2b-Sandbox-Id` header picks the sandbox.
    let envd = Router::new()
        .route("/health", get(envd_health))
        .route("/files", get(envd::files::download).post(envd::files::upload))
        .route("/filesystem.Filesystem/{method}", post(envd::filesystem::call))
        .route("/process.Process/{method}", post(envd::process::call))
        .layer(DefaultBodyLimit::disable());

    Router::new()
        .merge(volumes)
        .merge(content)
        .merge(sandboxes)
        .merge(envd)
        .fallback(unknown_route)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(cors())
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

/// Lets pages on any origin call every route with the SDKs' custom headers.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods(AllowMethods::mirror_request())
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers([
            HeaderName::from_static("x-next-token"),
            HeaderName::from_static("x-total-running"),
            HeaderName::from_static("grpc-status"),
            HeaderName::from_static("grpc-message"),
        ])
        .max_age(std::time::Duration::from_secs(3600))
}

async fn envd_health(_sandbox: envd::SandboxAccess) -> StatusCode {
    StatusCode::NO_CONTENT
}

async fn unknown_route(method: Method, uri: axum::http::Uri) -> ControlError {
    ControlError::not_found(format!("no route for {method} {}", uri.path()))
}

async fn method_not_allowed(method: Method, uri: axum::http::Uri) -> Response {
    let err = ControlError::new(StatusCode::METHOD_NOT_ALLOWED, format!("{method} is not allowed on {}", uri.path()));
    err.into_response()
}

async fn log_request(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let response = next.run(req).await;
    tracing::info!(
        target: "e2b_local::http",
        "{method} {path} {} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}
