//! Query strings and path segments, percent-encoded as the official SDK's `encodeURIComponent` does.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What `encodeURIComponent` escapes: everything but letters, digits and `-_.!~*'()`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// What `URLSearchParams` escapes in a form string: everything but letters, digits and `*-._`
/// (spaces become `+`, which an already encoded component never holds).
const FORM: &AsciiSet = &NON_ALPHANUMERIC.remove(b'*').remove(b'-').remove(b'.').remove(b'_');

/// `encodeURIComponent(value)`.
pub fn component(value: &str) -> String {
    // Collected chunk by chunk: `to_string` would go through the formatting machinery.
    utf8_percent_encode(value, COMPONENT).collect()
}

/// Appends `?k=v&…` to `url`, encoding each value as a component; absent values are skipped.
pub fn with_query<K: AsRef<str>>(url: &str, params: &[(K, Option<String>)]) -> String {
    let mut out = url.to_string();
    push_pairs(&mut out, '?', params);
    out
}

/// `&k=v…` for the parameters that follow others, encoded as in [`with_query`]; empty when every
/// value is absent.
pub fn more<K: AsRef<str>>(params: &[(K, Option<String>)]) -> String {
    let mut out = String::new();
    push_pairs(&mut out, '&', params);
    out
}

/// Appends each present `k=v`, the first after `sep` and the rest after `&`.
fn push_pairs<K: AsRef<str>>(out: &mut String, mut sep: char, params: &[(K, Option<String>)]) {
    for (k, v) in params {
        if let Some(v) = v {
            out.push(sep);
            out.push_str(k.as_ref());
            out.push('=');
            out.extend(utf8_percent_encode(v, COMPONENT));
            sep = '&';
        }
    }
}

/// `new URLSearchParams(pairs with each key and value encodeURIComponent-ed).toString()`: how the
/// official SDK packs a metadata filter into one query value.
pub fn encoded_form<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let form = |s: &str| utf8_percent_encode(&component(s), FORM).collect::<String>();
    pairs.into_iter().map(|(k, v)| format!("{}={}", form(k), form(v))).collect::<Vec<_>>().join("&")
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn components_are_encoded_like_encode_uri_component() {
        assert_eq!(component("/dir with space/ü & ?.txt"), "%2Fdir%20with%20space%2F%C3%BC%20%26%20%3F.txt");
        assert_eq!(component("a-b_c.d!e~f*g'h(i)j"), "a-b_c.d!e~f*g'h(i)j");
        assert_eq!(component("=+#%"), "%3D%2B%23%25");
    }

    #[test]
    fn queries_skip_absent_values() {
        let q = with_query("/files", &[("path", Some("/a b".into())), ("username", None), ("x", Some("1".into()))]);
        assert_eq!(q, "/files?path=%2Fa%20b&x=1");
        assert_eq!(with_query("/v2/sandboxes", &[("limit", None)]), "/v2/sandboxes");
        assert_eq!(
            more(&[("uid", Some("1".into())), ("mode", None), ("force", Some("true".into()))]),
            "&uid=1&force=true"
        );
        assert_eq!(more::<&str>(&[("depth", None)]), "");
    }

    #[test]
    fn metadata_filters_are_encoded_then_form_encoded() {
        // As `new URLSearchParams({ [encodeURIComponent(k)]: encodeURIComponent(v) }).toString()`.
        assert_eq!(encoded_form([("suite", "sdk")]), "suite=sdk");
        assert_eq!(encoded_form([("a b", "c&d"), ("k", "it's (x)")]), "a%2520b=c%2526d&k=it%27s%2520%28x%29");
        assert_eq!(encoded_form([("ü!~*", "x")]), "%25C3%25BC%21%7E*=x");
    }
}
