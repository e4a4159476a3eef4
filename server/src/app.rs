//! The application: every area's routes in one router, with CORS, one log line a request, and
//! control-plane error replies for unknown routes and methods.

use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::{HeaderName, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use e2b_wire::headers;
use tower_http::cors::{AllowHeaders, AllowMethods, AllowOrigin, CorsLayer};

use crate::errors::ControlError;
use crate::state::SharedState;
use crate::{envd, sandboxes, volumes};

/// Builds the application.
pub fn router(state: SharedState) -> Router {
    Router::new()
        .merge(volumes::routes(&state))
        .merge(sandboxes::routes(&state))
        .merge(envd::routes(state.sandboxes.clone()))
        .fallback(unknown_route)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(cors())
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

/// Lets pages on any origin call every route with the SDKs' custom headers.
fn cors() -> CorsLayer {
    let exposed = [headers::NEXT_TOKEN, headers::TOTAL_RUNNING, headers::GRPC_STATUS, headers::GRPC_MESSAGE]
        .map(|name| HeaderName::from_bytes(name.as_bytes()).expect("a valid header name"));
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods(AllowMethods::mirror_request())
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers(exposed)
        .max_age(Duration::from_secs(3600))
}

async fn unknown_route(method: Method, uri: Uri) -> ControlError {
    ControlError::not_found(format!("no route for {method} {}", uri.path()))
}

async fn method_not_allowed(method: Method, uri: Uri) -> ControlError {
    ControlError::new(StatusCode::METHOD_NOT_ALLOWED, format!("{method} is not allowed on {}", uri.path()))
}

/// Logs method, path, status and duration of every request.
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
