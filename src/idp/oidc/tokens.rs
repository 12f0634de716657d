//! The tokens handed to applications, apart from the signed ID token: access tokens sealed
//! with an HMAC (self-contained, so userinfo needs no write and no token table), refresh
//! tokens (random, stored as SHA-256), and the PKCE and `at_hash` computations.
//!
//! The HMAC key is 32 random bytes kept in the `settings` table (`idp.access_token_key`), made
//! by the first token endpoint call inside its one write: so it lives in backups and across
//! restarts, and access tokens outlive a restart as their applications expect.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::hmac;
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

const KEY_SETTING: &str = "idp.access_token_key";

/// The access tokens' HMAC key, read once.
#[derive(Default)]
pub struct Seal {
    key: OnceLock<hmac::Key>,
}

fn key_of(hex_key: &str) -> Option<hmac::Key> {
    let bytes = hex::decode(hex_key).ok().filter(|b| b.len() == 32)?;
    Some(hmac::Key::new(hmac::HMAC_SHA256, &bytes))
}

impl Seal {
    /// The key, made if there is none yet (inside the caller's write).
    pub fn ensure(&self, tx: &Transaction<'_>) -> rusqlite::Result<&hmac::Key> {
        if let Some(k) = self.key.get() {
            return Ok(k);
        }
        let stored: Option<String> = read(tx)?;
        let hex_key = match stored.filter(|s| key_of(s).is_some()) {
            Some(s) => s,
            None => {
                let s = crate::random_token(32);
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [KEY_SETTING, &s],
                )?;
                s
            }
        };
        let key = key_of(&hex_key).ok_or(rusqlite::Error::InvalidQuery)?;
        Ok(self.key.get_or_init(|| key))
    }

    /// The key if one was made (a read: no token can be valid before).
    pub fn get(&self, conn: &Connection) -> rusqlite::Result<Option<&hmac::Key>> {
        if let Some(k) = self.key.get() {
            return Ok(Some(k));
        }
        let Some(key) = read(conn)?.as_deref().and_then(key_of) else {
            return Ok(None);
        };
        Ok(Some(self.key.get_or_init(|| key)))
    }
}

fn read(conn: &Connection) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([KEY_SETTING], |r| r.get(0))
        .optional()
}

/// What an access token says: its grant, its end, its scopes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    #[serde(rename = "g")]
    pub grant: i64,
    #[serde(rename = "e")]
    pub expires: i64,
    #[serde(rename = "s")]
    pub scope: String,
}

impl Access {
    pub fn seal(&self, key: &hmac::Key) -> String {
        let body = B64.encode(serde_json::to_vec(self).unwrap_or_default());
        let tag = hmac::sign(key, body.as_bytes());
        format!("{body}.{}", B64.encode(tag.as_ref()))
    }

    /// The token's contents if `key` sealed it and it has not expired (give or take
    /// [`super::SKEW`]).
    pub fn open(token: &str, key: &hmac::Key, now: i64) -> Option<Access> {
        if token.len() > 1024 {
            return None;
        }
        let (body, tag) = token.split_once('.')?;
        let tag = B64.decode(tag).ok()?;
        hmac::verify(key, body.as_bytes(), &tag).ok()?;
        let a: Access = serde_json::from_slice(&B64.decode(body).ok()?).ok()?;
        (a.expires + super::SKEW >= now).then_some(a)
    }

    pub fn scopes(&self) -> Vec<&str> {
        self.scope.split(' ').filter(|s| !s.is_empty()).collect()
    }
}

/// A new refresh token for `scope` and the hash the grant keeps of it. The scopes ride in
/// the token (the hash covers them, so they cannot be widened).
pub fn new_refresh(scope: &str) -> (String, String) {
    let token = format!("{}.{}", crate::random_token(32), B64.encode(scope));
    let hash = hash(&token);
    (token, hash)
}

/// The scopes a refresh token carries.
pub fn refresh_scope(token: &str) -> Option<String> {
    let (_, s) = token.split_once('.')?;
    String::from_utf8(B64.decode(s).ok()?).ok()
}

pub fn hash(token: &str) -> String {
    crate::sha256_hex(token)
}

/// A PKCE challenge as RFC 7636 allows it: 43 to 128 unreserved characters.
pub fn valid_pkce(s: &str) -> bool {
    (43..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// Whether `verifier` answers the S256 `challenge`.
pub fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    valid_pkce(verifier)
        && crate::constant_time_eq(
            B64.encode(Sha256::digest(verifier.as_bytes())).as_bytes(),
            challenge.as_bytes(),
        )
}

/// The ID token's `at_hash`: the left half of the access token's SHA-256, base64url.
pub fn at_hash(access_token: &str) -> String {
    let d = Sha256::digest(access_token.as_bytes());
    B64.encode(&d[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_tokens_open_only_with_their_key_and_in_time() {
        let key = hmac::Key::new(hmac::HMAC_SHA256, &[7u8; 32]);
        let other = hmac::Key::new(hmac::HMAC_SHA256, &[8u8; 32]);
        let a = Access {
            grant: 42,
            expires: 1000,
            scope: "openid profile".into(),
        };
        let t = a.seal(&key);
        assert_eq!(Access::open(&t, &key, 900), Some(a.clone()));
        assert_eq!(Access::open(&t, &other, 900), None);
        assert_eq!(Access::open(&t, &key, 1000 + super::super::SKEW + 1), None);
        let forged = format!("{}{}", &t[..t.len() - 2], "AA");
        assert_eq!(Access::open(&forged, &key, 900), None);
        assert_eq!(Access::open("x", &key, 900), None);
        assert_eq!(a.scopes(), ["openid", "profile"]);
    }

    #[test]
    fn pkce_s256_as_rfc_7636_appendix_b() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(pkce_matches(verifier, challenge));
        assert!(!pkce_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXX",
            challenge
        ));
        assert!(!pkce_matches("short", challenge));
        let (t, h) = new_refresh("openid email");
        assert_eq!(hash(&t), h);
        assert_eq!(refresh_scope(&t).as_deref(), Some("openid email"));
    }
}
