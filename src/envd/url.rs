//! The base URL of a sandbox's envd, by the official SDK's rules.

use e2b_wire::envd::ENVD_PORT;

/// Domains whose envd is reached through one routing host (outside browsers).
const ROUTED_DOMAINS: &[&str] = &["e2b.app", "e2b.dev", "e2b.pro", "e2b-staging.dev"];

/// Where one sandbox's envd is reached.
pub struct Target<'a> {
    /// `sandboxUrl` option or `E2B_SANDBOX_URL`.
    pub sandbox_url: Option<&'a str>,
    /// Debug mode: localhost.
    pub debug: bool,
    /// The configured domain.
    pub domain: &'a str,
    /// The sandbox's ID.
    pub sandbox_id: &'a str,
    /// The domain the API named for this sandbox.
    pub sandbox_domain: Option<&'a str>,
    /// Running in a browser, where the routing host is not used.
    pub in_browser: bool,
}

/// The envd URL: the chosen one, else localhost in debug mode, else the routing host of E2B's own
/// domains (outside browsers), else the sandbox's own host.
pub fn base_url(t: &Target<'_>) -> String {
    if let Some(url) = t.sandbox_url {
        return url.trim_end_matches('/').to_string();
    }
    if t.debug {
        return format!("http://localhost:{ENVD_PORT}");
    }
    if !t.in_browser && ROUTED_DOMAINS.contains(&t.domain) {
        return format!("https://sandbox.{}", t.domain);
    }
    format!("https://{ENVD_PORT}-{}.{}", t.sandbox_id, t.sandbox_domain.unwrap_or(t.domain))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn target(domain: &str) -> Target<'_> {
        Target { sandbox_url: None, debug: false, domain, sandbox_id: "sbx", sandbox_domain: None, in_browser: false }
    }

    #[test]
    fn a_chosen_url_wins_then_debug() {
        let t = Target { sandbox_url: Some("http://127.0.0.1:3000/"), debug: true, ..target("e2b.app") };
        assert_eq!(base_url(&t), "http://127.0.0.1:3000");
        assert_eq!(base_url(&Target { debug: true, ..target("e2b.app") }), "http://localhost:49983");
    }

    #[test]
    fn e2b_domains_route_through_one_host_outside_browsers() {
        assert_eq!(base_url(&target("e2b.app")), "https://sandbox.e2b.app");
        assert_eq!(base_url(&target("e2b-staging.dev")), "https://sandbox.e2b-staging.dev");
        assert_eq!(base_url(&Target { in_browser: true, ..target("e2b.app") }), "https://49983-sbx.e2b.app");
    }

    #[test]
    fn other_domains_use_the_sandboxs_own_host() {
        assert_eq!(base_url(&target("example.dev")), "https://49983-sbx.example.dev");
        let named = Target { sandbox_domain: Some("eu.example.dev"), ..target("example.dev") };
        assert_eq!(base_url(&named), "https://49983-sbx.eu.example.dev");
    }
}
