//! `GET /v2/sandboxes`: its query (metadata filter, states, template, order) and its paging.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::Deserialize;

use e2b_wire::sandboxes::state::{PAUSED, RUNNING};

/// Most sandboxes on one page, and the default page size.
const MAX_LIMIT: u32 = 100;

/// Query of `GET /v2/sandboxes`.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    metadata: Option<String>,
    state: Option<String>,
    limit: Option<u32>,
    #[serde(rename = "nextToken")]
    next_token: Option<String>,
    order: Option<String>,
    template: Option<String>,
}

/// A checked listing request: which sandboxes, in which order, which page.
#[derive(Debug, PartialEq, Eq)]
pub struct Listing {
    /// Metadata every listed sandbox has.
    metadata: BTreeMap<String, String>,
    /// Whether running sandboxes are asked for.
    running: bool,
    /// Whether paused sandboxes are asked for.
    paused: bool,
    template: Option<String>,
    /// Oldest first, else newest first.
    pub ascending: bool,
    /// Index of the page's first sandbox.
    start: usize,
    limit: usize,
}

impl Listing {
    /// Checks a query; the error is the message of a 400.
    pub fn parse(q: ListQuery) -> Result<Self, String> {
        let limit = q.limit.unwrap_or(MAX_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(format!("limit must be between 1 and {MAX_LIMIT}"));
        }
        let metadata = parse_metadata(q.metadata.as_deref().unwrap_or_default())?;
        if let Some(states) = &q.state {
            if let Some(bad) = states.split(',').find(|s| *s != RUNNING && *s != PAUSED) {
                return Err(format!("invalid state {bad:?}: use {RUNNING} or {PAUSED}"));
            }
        }
        let wants = |state: &str| q.state.as_deref().is_none_or(|s| s.split(',').any(|s| s == state));
        let (running, paused) = (wants(RUNNING), wants(PAUSED));
        let start = match q.next_token.as_deref() {
            Some(t) if !t.is_empty() => parse_page_token(t).ok_or("invalid nextToken")?,
            _ => 0,
        };
        let ascending = q.order.as_deref() == Some("asc");
        Ok(Self { metadata, running, paused, template: q.template, ascending, start, limit: limit as usize })
    }

    /// True when a sandbox of this template (ID and alias), with this metadata, paused or not, is listed.
    pub fn matches(&self, template_id: &str, alias: &str, metadata: &BTreeMap<String, String>, paused: bool) -> bool {
        (if paused { self.paused } else { self.running })
            && self.metadata.iter().all(|(k, v)| metadata.get(k) == Some(v))
            && self.template.as_deref().is_none_or(|t| t == template_id || t == alias)
    }

    /// Whether running sandboxes are asked for.
    pub fn wants_running(&self) -> bool {
        self.running
    }

    /// This request's page of the matching, ordered sandboxes, and the token of the next page if any.
    pub fn page<'a, T>(&self, all: &'a [T]) -> (&'a [T], Option<String>) {
        let start = self.start.min(all.len());
        let end = (start + self.limit).min(all.len());
        let next = (end < all.len()).then(|| page_token(end));
        (&all[start..end], next)
    }
}

/// Parses a metadata filter: `k=v&k2=v2`, each key and value percent-encoded once more by the SDKs.
fn parse_metadata(filter: &str) -> Result<BTreeMap<String, String>, String> {
    let mut wanted = BTreeMap::new();
    for pair in filter.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        wanted.insert(percent_decode(k)?, percent_decode(v)?);
    }
    Ok(wanted)
}

/// Decodes one key or value of a metadata filter.
fn percent_decode(s: &str) -> Result<String, String> {
    // A `+` here can only be a form-encoded space: the SDKs encode a literal `+` as %2B.
    let spaced = s.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| "invalid metadata filter".to_string())
}

/// The token of the page that starts at index `start`.
pub fn page_token(start: usize) -> String {
    URL_SAFE_NO_PAD.encode(start.to_string())
}

/// The start index a page token stands for.
pub fn parse_page_token(token: &str) -> Option<usize> {
    String::from_utf8(URL_SAFE_NO_PAD.decode(token).ok()?).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(query: &str) -> Result<Listing, String> {
        let q: ListQuery = serde_urlencoded_like(query);
        Listing::parse(q)
    }

    /// Parses a query string as axum's `Query` would.
    fn serde_urlencoded_like(query: &str) -> ListQuery {
        let uri: axum::http::Uri = format!("/v2/sandboxes?{query}").parse().unwrap();
        axum::extract::Query::<ListQuery>::try_from_uri(&uri).unwrap().0
    }

    fn meta(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn metadata_filters_are_decoded_once_more() {
        assert_eq!(parse_metadata("team=red&n=1").unwrap(), meta(&[("team", "red"), ("n", "1")]));
        assert_eq!(parse_metadata("a+b=c+d").unwrap(), meta(&[("a b", "c d")]), "+ is a space");
        assert_eq!(parse_metadata("k=a%2Bb").unwrap(), meta(&[("k", "a+b")]), "%2B is a plus");
        assert_eq!(parse_metadata("k=%C3%A9&&flag").unwrap(), meta(&[("k", "é"), ("flag", "")]));
        assert_eq!(parse_metadata("").unwrap(), meta(&[]));
        for bad in ["k=%ff", "%C3=v"] {
            assert_eq!(parse_metadata(bad).unwrap_err(), "invalid metadata filter", "{bad}");
        }
        // Through the query string: `team%3Da%2Bb%252Bc` arrives as `team=a+b%2Bc`.
        let l = listing("metadata=team%3Da%2Bb%252Bc").unwrap();
        assert!(l.matches("base", "base", &meta(&[("team", "a b+c"), ("other", "x")]), false));
        assert!(!l.matches("base", "base", &meta(&[("team", "a b c")]), false));
        assert_eq!(listing("metadata=team%3D%25ff").unwrap_err(), "invalid metadata filter");
    }

    #[test]
    fn queries_are_checked_in_order() {
        assert_eq!(listing("limit=0&state=nope").unwrap_err(), "limit must be between 1 and 100");
        assert_eq!(listing("limit=101").unwrap_err(), "limit must be between 1 and 100");
        assert_eq!(listing("state=running,sleeping").unwrap_err(), "invalid state \"sleeping\": use running or paused");
        assert_eq!(listing("nextToken=@@").unwrap_err(), "invalid nextToken");
        assert_eq!(listing("nextToken=").unwrap().start, 0);
        assert!(listing("order=asc").unwrap().ascending && !listing("order=desc").unwrap().ascending);
    }

    #[test]
    fn states_and_templates_select() {
        let m = meta(&[]);
        assert!(listing("").unwrap().matches("base", "base", &m, false));
        assert!(listing("state=running,paused").unwrap().matches("base", "base", &m, false));
        assert!(
            !listing("state=paused").unwrap().matches("base", "base", &m, false),
            "a running sandbox is not paused"
        );
        assert!(listing("template=base").unwrap().matches("base", "base", &m, false));
        assert!(!listing("template=python").unwrap().matches("base", "base", &m, false));
        // Paused ones too, by state.
        assert!(listing("").unwrap().matches("base", "base", &m, true));
        assert!(listing("state=paused").unwrap().matches("base", "base", &m, true));
        assert!(!listing("state=running").unwrap().matches("base", "base", &m, true));
        assert!(!listing("state=paused").unwrap().wants_running());
        // A snapshot's sandboxes are found by its ID or its name.
        assert!(listing("template=snap").unwrap().matches("abc", "snap", &m, false));
        assert!(listing("template=abc").unwrap().matches("abc", "snap", &m, false));
        assert!(!listing("template=base").unwrap().matches("abc", "snap", &m, false));
    }

    #[test]
    fn pages_chain_through_their_tokens() {
        let all: Vec<u32> = (0..5).collect();
        let (first, next) = listing("limit=2").unwrap().page(&all);
        assert_eq!(first, [0, 1]);
        let next = next.unwrap();
        assert_eq!(parse_page_token(&next), Some(2));
        let (second, next) = listing(&format!("limit=2&nextToken={next}")).unwrap().page(&all);
        assert_eq!(second, [2, 3]);
        let (last, next) = listing(&format!("limit=2&nextToken={}", next.unwrap())).unwrap().page(&all);
        assert_eq!((last, next), (&[4][..], None));
        let (beyond, next) = listing(&format!("nextToken={}", page_token(9))).unwrap().page(&all);
        assert!(beyond.is_empty() && next.is_none());
        assert_eq!(page_token(1), "MQ");
        assert_eq!(parse_page_token("not base64!"), None);
    }
}
