//! Volumes: the control plane's `/volumes` (API key) and the volume content API's
//! `/volumecontent/{volumeID}/…` (volume token).

mod content;
mod control;
mod reconcile;

pub use reconcile::reconcile;

use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use axum::Router;

use crate::auth;
use crate::state::SharedState;

/// The routes of both volume planes, each behind its own authentication.
pub fn routes(state: &SharedState) -> Router<SharedState> {
    let control = Router::new()
        .route("/volumes", get(control::list).post(control::create))
        .route("/volumes/{volume_id}", get(control::get).delete(control::delete))
        .route_layer(from_fn_with_state(state.clone(), auth::api_key));

    let content = Router::new()
        .route("/volumecontent/{volume_id}/path", get(content::stat).patch(content::update).delete(content::remove))
        .route("/volumecontent/{volume_id}/dir", get(content::list_dir).post(content::make_dir))
        .route("/volumecontent/{volume_id}/file", get(content::read_file).put(content::write_file))
        .route_layer(from_fn_with_state(state.clone(), auth::volume_token))
        // Uploads are streamed to disk, never buffered, so they need no size limit.
        .layer(DefaultBodyLimit::disable());

    control.merge(content)
}
