//! Secrets and IDs from the OS's random source.

/// `N` random bytes.
pub fn bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).expect("the OS random source is available");
    buf
}

/// `N` random bytes as lowercase hex (`2 * N` characters).
pub fn hex<const N: usize>() -> String {
    hex::encode(bytes::<N>())
}

/// A new sandbox ID: 20 characters from `a-z0-9`.
pub fn sandbox_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    bytes::<20>().iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_has_two_digits_a_byte() {
        let h = hex::<16>();
        assert_eq!(h.len(), 32);
        assert!(h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{h}");
        assert_ne!(h, super::hex::<16>(), "fresh each time");
    }

    #[test]
    fn sandbox_ids_are_lowercase_alphanumeric() {
        let id = sandbox_id();
        assert_eq!(id.len(), 20);
        assert!(id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()), "{id}");
        assert_ne!(id, sandbox_id());
    }
}
