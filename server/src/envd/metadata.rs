//! Upload metadata: the `X-Metadata-<key>: <value>` headers of `POST /files`, checked as envd.yaml
//! says (printable US-ASCII, bounded sizes) and turned into the key → value map a file carries.

use std::collections::BTreeMap;

use axum::http::HeaderMap;
use e2b_wire::envd::{MAX_METADATA_BYTES, MAX_METADATA_KEY_BYTES, METADATA_HEADER_PREFIX, METADATA_XATTR_PREFIX};

/// The metadata an upload's headers carry (keys lowercased, the first of repeated headers); the
/// error says which header is wrong.
pub fn from_headers(headers: &HeaderMap) -> Result<BTreeMap<String, String>, String> {
    let prefix = METADATA_HEADER_PREFIX.to_ascii_lowercase();
    let mut metadata = BTreeMap::new();
    let mut total = 0;
    // Header names arrive lowercased; `keys()` yields each name once, `get` its first value.
    for name in headers.keys() {
        let Some(key) = name.as_str().strip_prefix(prefix.as_str()) else { continue };
        if key.is_empty() {
            continue; // `X-Metadata-` alone names no key
        }
        let value = headers.get(name).map(|v| v.as_bytes()).unwrap_or_default();
        if !key.bytes().all(printable) {
            return Err(format!("invalid metadata key {key:?}: use printable US-ASCII"));
        }
        if key.len() > MAX_METADATA_KEY_BYTES {
            return Err(format!("metadata key {key:?} is longer than {MAX_METADATA_KEY_BYTES} bytes"));
        }
        if !value.iter().copied().all(printable) {
            return Err(format!("invalid value of metadata key {key:?}: use printable US-ASCII"));
        }
        total += METADATA_XATTR_PREFIX.len() + key.len() + value.len();
        if total > MAX_METADATA_BYTES {
            return Err(format!("the metadata is larger than {MAX_METADATA_BYTES} bytes"));
        }
        let value = String::from_utf8(value.to_vec()).expect("printable ASCII");
        metadata.insert(key.to_string(), value);
    }
    Ok(metadata)
}

/// A byte envd.yaml allows in metadata (0x20–0x7E).
fn printable(b: u8) -> bool {
    (0x20..=0x7e).contains(&b)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&str, &[u8])]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_bytes(v).unwrap());
        }
        h
    }

    #[test]
    fn keys_are_lowercased_and_the_first_value_wins() {
        let got = from_headers(&headers(&[
            ("X-Metadata-Author", b"mish"),
            ("x-metadata-purpose", b"up load"),
            ("X-Metadata-Author", b"second"),
            ("X-Metadata-", b"ignored"),
            ("X-Access-Token", b"secret"),
        ]))
        .unwrap();
        assert_eq!(got, BTreeMap::from([("author".into(), "mish".into()), ("purpose".into(), "up load".into())]));
        assert!(from_headers(&HeaderMap::new()).unwrap().is_empty());
    }

    #[test]
    fn unprintable_values_and_oversized_metadata_are_refused() {
        let err = |pairs: &[(&str, &[u8])]| from_headers(&headers(pairs)).unwrap_err();
        assert_eq!(
            err(&[("X-Metadata-a", b"tab\there")]),
            "invalid value of metadata key \"a\": use printable US-ASCII"
        );
        assert!(err(&[("X-Metadata-a", b"caf\xc3\xa9")]).contains("printable"));
        let long_key = format!("X-Metadata-{}", "k".repeat(MAX_METADATA_KEY_BYTES + 1));
        assert!(err(&[(&long_key, b"v")]).contains("longer than 246 bytes"));
        let fits = format!("X-Metadata-{}", "k".repeat(MAX_METADATA_KEY_BYTES));
        assert!(from_headers(&headers(&[(&fits, b"v")])).is_ok());
        let big = vec![b'v'; 2100];
        assert_eq!(err(&[("X-Metadata-a", &big), ("X-Metadata-b", &big)]), "the metadata is larger than 4096 bytes");
    }
}
