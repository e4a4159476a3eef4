//! IDs and secrets: random bytes from the OS, new sandbox and volume IDs, and reading a volume ID.

/// `N` random bytes.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).expect("the OS random source is available");
    buf
}

/// `N` random bytes as lowercase hex (`2 * N` characters).
pub fn random_hex<const N: usize>() -> String {
    hex::encode(random_bytes::<N>())
}

/// A new sandbox ID: 20 characters from `a-z0-9`.
pub fn sandbox_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    random_bytes::<20>().iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect()
}

/// A new volume ID: a random UUID, lowercase and hyphenated.
pub fn new_volume_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The canonical (lowercase, hyphenated) form of a volume ID given in any UUID spelling, if it is one.
pub fn parse_volume_id(raw: &str) -> Option<String> {
    uuid::Uuid::try_parse(raw).ok().map(|u| u.hyphenated().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_has_two_digits_a_byte() {
        let h = random_hex::<16>();
        assert_eq!(h.len(), 32);
        assert!(h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{h}");
        assert_ne!(h, random_hex::<16>(), "fresh each time");
    }

    #[test]
    fn sandbox_ids_are_lowercase_alphanumeric() {
        let id = sandbox_id();
        assert_eq!(id.len(), 20);
        assert!(id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()), "{id}");
        assert_ne!(id, sandbox_id());
    }

    #[test]
    fn volume_ids_read_in_any_uuid_spelling() {
        let id = new_volume_id();
        assert_eq!(parse_volume_id(&id).as_deref(), Some(id.as_str()));
        assert_eq!(parse_volume_id(&id.to_uppercase()).as_deref(), Some(id.as_str()));
        let simple = id.replace('-', "");
        assert_eq!(parse_volume_id(&simple).as_deref(), Some(id.as_str()));
        for bad in ["", "nope", "1234", "00000000-0000-0000-0000-00000000000g"] {
            assert_eq!(parse_volume_id(bad), None, "{bad:?}");
        }
    }
}
