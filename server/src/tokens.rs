//! Volume content tokens: HS256 JWTs bound to one volume, minted by the control plane.

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// Issuer and audience of every token this server mints.
const ISSUER: &str = "e2b-local";
const AUDIENCE: &str = "e2b-local-volumes";
const KEY_ID: &str = "e2b-local-1";
/// Team ID of the single local team.
pub const LOCAL_TEAM_ID: &str = "00000000-0000-4000-8000-000000000001";

/// Claims, as E2B's control plane puts them in a volume token.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Subject: the team.
    pub sub: String,
    /// The team's ID.
    pub teamid: String,
    /// The volume the token is for.
    pub volid: String,
    /// The volume's kind.
    pub voltype: String,
    /// Issued at (Unix seconds).
    pub iat: u64,
    /// Not before (Unix seconds).
    pub nbf: u64,
    /// Expires at (Unix seconds).
    pub exp: u64,
    /// Unique token ID.
    pub jti: String,
}

/// Why a token was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum TokenError {
    /// Missing, malformed, badly signed or expired: 401.
    Invalid(String),
    /// Valid, but for another volume: 403.
    WrongVolume,
}

/// Mints and checks volume tokens with one secret.
pub struct TokenIssuer {
    encoding: EncodingKey,
    decoding: DecodingKey,
    ttl_secs: u64,
}

impl TokenIssuer {
    /// Makes an issuer from a secret and a token lifetime.
    pub fn new(secret: &[u8], ttl_secs: u64) -> Self {
        let encoding = EncodingKey::from_secret(secret).expect("an HMAC key of any length is valid");
        let decoding = DecodingKey::from_secret(secret).expect("an HMAC key of any length is valid");
        Self { encoding, decoding, ttl_secs }
    }

    /// A fresh token for `volume_id`.
    pub fn mint(&self, volume_id: &str) -> String {
        let now = now_secs();
        let claims = Claims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: LOCAL_TEAM_ID.into(),
            teamid: LOCAL_TEAM_ID.into(),
            volid: volume_id.into(),
            voltype: "local".into(),
            iat: now,
            nbf: now,
            exp: now + self.ttl_secs,
            jti: uuid::Uuid::new_v4().to_string(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(KEY_ID.into());
        encode(&header, &claims, &self.encoding).expect("HS256 signing cannot fail")
    }

    /// Checks `token` and that it is bound to `volume_id`.
    pub fn verify(&self, token: &str, volume_id: &str) -> Result<Claims, TokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.validate_nbf = true;
        validation.set_audience(&[AUDIENCE]);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "nbf", "aud", "iss"]);
        let data =
            decode::<Claims>(token, &self.decoding, &validation).map_err(|e| TokenError::Invalid(e.to_string()))?;
        if data.claims.volid != volume_id {
            return Err(TokenError::WrongVolume);
        }
        Ok(data.claims)
    }
}

fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_bound_to_one_volume() {
        let issuer = TokenIssuer::new(b"secret-secret-secret-secret-1234", 60);
        let t = issuer.mint("vol-a");
        assert_eq!(issuer.verify(&t, "vol-a").unwrap().volid, "vol-a");
        assert_eq!(issuer.verify(&t, "vol-b").unwrap_err(), TokenError::WrongVolume);
        let other = TokenIssuer::new(b"another-secret-another-secret-12", 60);
        assert!(matches!(other.verify(&t, "vol-a"), Err(TokenError::Invalid(_))));
        assert!(matches!(issuer.verify("not.a.jwt", "vol-a"), Err(TokenError::Invalid(_))));
    }
}
