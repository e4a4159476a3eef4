//! What every filesystem call starts from: the calling user (from `Authorization: Basic`) and the
//! sandbox's root (envd's own), and running blocking file work as that user.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use e2b_wire::connect::Code;

use crate::envd::connect::RpcError;
use crate::envd::user::{as_user, SandboxUser};
use crate::fs::ConfinedRoot;

/// A filesystem call's user and the sandbox's root.
pub struct FsCall {
    /// Who acts.
    pub user: SandboxUser,
    /// The sandbox's root.
    pub root: ConfinedRoot,
}

impl<S: Send + Sync> FromRequestParts<S> for FsCall {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let user = SandboxUser::from_basic_auth(&parts.headers)
            .map_err(|e| RpcError::new(Code::Unauthenticated, e).into_response())?;
        let root = ConfinedRoot::open(std::path::Path::new("/"))
            .map_err(|e| RpcError::new(Code::Unavailable, format!("sandbox root: {e}")).into_response())?;
        Ok(Self { user, root })
    }
}

impl FsCall {
    /// Runs `f` on a blocking thread as the calling user.
    pub async fn run<T: Send + 'static>(
        self,
        f: impl FnOnce(&ConfinedRoot, SandboxUser) -> Result<T, RpcError> + Send + 'static,
    ) -> Result<T, RpcError> {
        let Self { user, root } = self;
        tokio::task::spawn_blocking(move || as_user(user, || f(&root, user)))
            .await
            .map_err(|e| RpcError::internal(e.to_string()))?
    }
}
