//! Signed `/files` URLs of secure sandboxes: a link that reads (`GET`) or writes (`POST`) one path
//! as one user without the access token, because it carries a hash of them with the token
//! (`v1_` + unpadded base64 of SHA-256), and optionally a time after which it is refused.

use base64::Engine as _;
use e2b_wire::envd::{signature_payload, FileOperation, SIGNATURE_PREFIX};
use sha2::{Digest as _, Sha256};

/// What a signed request asks for, as its query spells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The `path` parameter as sent (empty when absent).
    pub path: String,
    /// `read` for a download, `write` for an upload.
    pub operation: FileOperation,
    /// The `username` parameter as sent (empty when absent).
    pub user: String,
    /// The `signature` parameter.
    pub signature: String,
    /// The `signature_expiration` parameter: Unix seconds.
    pub expiration: Option<i64>,
}

/// Why a signature is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// It was not made with the sandbox's token for this request.
    Invalid,
    /// It was, but its time has passed.
    Expired,
}

impl Refusal {
    /// The message of the 401 reply.
    pub fn message(self) -> &'static str {
        match self {
            Refusal::Invalid => "invalid signature",
            Refusal::Expired => "signature is already expired",
        }
    }
}

/// The signature `token` gives `path`, `operation` and `user` (until `expiration`).
pub fn sign(path: &str, operation: FileOperation, user: &str, token: &str, expiration: Option<i64>) -> String {
    let digest = Sha256::digest(signature_payload(path, operation, user, token, expiration).as_bytes());
    let encoded = base64::engine::general_purpose::STANDARD_NO_PAD.encode(digest);
    format!("{SIGNATURE_PREFIX}{encoded}")
}

impl Signed {
    /// True when `token` made this signature (compared in constant time), expired or not.
    pub fn made_with(&self, token: &str) -> bool {
        use subtle::ConstantTimeEq as _;
        let expected = sign(&self.path, self.operation, &self.user, token, self.expiration);
        expected.len() == self.signature.len() && bool::from(expected.as_bytes().ct_eq(self.signature.as_bytes()))
    }

    /// Lets the request through when `token` made the signature and, at `now` (Unix seconds), it
    /// has not expired.
    pub fn check(&self, token: &str, now: i64) -> Result<(), Refusal> {
        if !self.made_with(token) {
            return Err(Refusal::Invalid);
        }
        match self.expiration {
            Some(at) if at < now => Err(Refusal::Expired),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(signature: String, expiration: Option<i64>) -> Signed {
        Signed {
            path: "/home/user/a.txt".into(),
            operation: FileOperation::Read,
            user: "".into(),
            signature,
            expiration,
        }
    }

    #[test]
    fn signatures_are_unpadded_base64_of_sha256_after_v1() {
        // SHA-256 of "p:read::t" in base64 is "72NTvJrILEPB3XKClWTVldqJRT97TDh0zDDlZpWcNTY=".
        assert_eq!(sign("p", FileOperation::Read, "", "t", None), "v1_72NTvJrILEPB3XKClWTVldqJRT97TDh0zDDlZpWcNTY");
        let a = sign("p", FileOperation::Read, "", "t", None);
        for other in [
            sign("q", FileOperation::Read, "", "t", None),
            sign("p", FileOperation::Write, "", "t", None),
            sign("p", FileOperation::Read, "root", "t", None),
            sign("p", FileOperation::Read, "", "u", None),
            sign("p", FileOperation::Read, "", "t", Some(1)),
        ] {
            assert_ne!(a, other, "every part is signed");
        }
    }

    #[test]
    fn only_the_tokens_signature_before_its_time_passes() {
        let token = "secret-token";
        let forever = signed(sign("/home/user/a.txt", FileOperation::Read, "", token, None), None);
        assert_eq!(forever.check(token, i64::MAX), Ok(()));
        assert_eq!(forever.check("other-token", 0), Err(Refusal::Invalid));
        let until = signed(sign("/home/user/a.txt", FileOperation::Read, "", token, Some(100)), Some(100));
        assert_eq!(until.check(token, 100), Ok(()));
        assert_eq!(until.check(token, 101), Err(Refusal::Expired));
        let moved = Signed { expiration: Some(200), ..until.clone() };
        assert_eq!(moved.check(token, 0), Err(Refusal::Invalid), "the expiry is signed");
        let as_write = Signed { operation: FileOperation::Write, ..forever.clone() };
        assert_eq!(as_write.check(token, 0), Err(Refusal::Invalid));
        let garbage = signed("v1_".into(), None);
        assert!(!garbage.made_with(token));
        assert_eq!(Refusal::Expired.message(), "signature is already expired");
    }
}
