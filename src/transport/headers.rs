//! Headers every call carries: the SDK's metadata and user agent. (The user's own `headers` option is
//! added last, by the call itself.)

use crate::transport::host;

/// Headers as a call takes them.
pub type Pairs = Vec<(&'static str, String)>;

/// The metadata every API call carries, as the official SDK sends it.
pub fn with_metadata() -> Pairs {
    vec![
        ("lang", "js".into()),
        ("lang_version", host::runtime_version()),
        ("package_version", env!("CARGO_PKG_VERSION").into()),
        ("publisher", "e2b-wasm".into()),
        ("sdk_runtime", host::runtime().into()),
    ]
}

/// Names the SDK in `User-Agent` where the platform lets a request set it (Node).
pub fn user_agent(headers: &mut Pairs) {
    if host::is_node() {
        headers.push(("User-Agent", concat!("e2b-wasm/", env!("CARGO_PKG_VERSION")).into()));
    }
}
