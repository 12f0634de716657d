//! The identity provider's signing keys: made on first start, kept in the database (so in the
//! data directory, in backups, and across updates), published as a JWKS, rotated from the
//! command line.
//!
//! Rotation adds a key that is published at once but signs only from [`ROTATION_NOTICE`]
//! later, so every application has fetched it before it meets a token signed with it; the
//! keys it replaces stay published until [`RETIRED_KEPT`] after that. Each key's `kid` is its
//! RFC 7638 thumbprint: applications cache keys by `kid`, and mod_auth_openidc, handed a new
//! key under an old `kid`, refuses every token until it restarts.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::signature::{KeyPair, RsaKeyPair};
use rusqlite::{Connection, Transaction};
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex};

/// How long a rotated-in key is published before it signs.
pub const ROTATION_NOTICE: i64 = 24 * 3600;
/// How long a replaced key stays published after its successor starts signing: longer than
/// any token it signed lives.
pub const RETIRED_KEPT: i64 = 2 * 24 * 3600;
const RSA_BITS: usize = 2048;

/// A new RSA key, as PKCS#8 DER. `rsa` makes it (ring cannot generate RSA keys); ring signs.
pub fn generate_der() -> Result<Vec<u8>, String> {
    use rsa::pkcs8::EncodePrivateKey;
    let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, RSA_BITS)
        .map_err(|e| format!("RSA key generation failed: {e}"))?;
    let der = key
        .to_pkcs8_der()
        .map_err(|e| format!("RSA key encoding failed: {e}"))?;
    Ok(der.as_bytes().to_vec())
}

pub struct Key {
    pub kid: String,
    pub pair: RsaKeyPair,
    pub signs_from: i64,
    pub retire_after: Option<i64>,
    /// The JWK's `n` and `e`, base64url.
    n: String,
    e: String,
}

impl Key {
    fn from_der(der: &[u8], signs_from: i64, retire_after: Option<i64>) -> Option<Key> {
        let pair = RsaKeyPair::from_pkcs8(der).ok()?;
        let (n, e) = components(&pair);
        Some(Key {
            kid: thumbprint(&n, &e),
            pair,
            signs_from,
            retire_after,
            n,
            e,
        })
    }

    /// The public key as ring verifies with it (PKCS#1 RSAPublicKey DER).
    pub fn public_der(&self) -> &[u8] {
        self.pair.public_key().as_ref()
    }

    pub fn jwk(&self) -> serde_json::Value {
        serde_json::json!({
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid, "n": self.n, "e": self.e
        })
    }
}

fn components(pair: &RsaKeyPair) -> (String, String) {
    let c = ring::rsa::PublicKeyComponents::<Vec<u8>>::from(pair.public());
    let strip = |v: &[u8]| {
        let start = v.iter().position(|b| *b != 0).unwrap_or(v.len());
        B64.encode(&v[start..])
    };
    (strip(&c.n), strip(&c.e))
}

/// RFC 7638: SHA-256 over the required members in lexicographic order, no spaces.
fn thumbprint(n: &str, e: &str) -> String {
    let canonical = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
    B64.encode(Sha256::digest(canonical.as_bytes()))
}

/// Every key the database holds, loaded.
pub struct KeyRing {
    keys: Vec<Key>,
}

impl KeyRing {
    /// The key that signs now: the newest whose time has come.
    pub fn signer(&self, now: i64) -> Option<&Key> {
        self.keys
            .iter()
            .filter(|k| k.signs_from <= now && k.retire_after.is_none_or(|r| r > now))
            .max_by_key(|k| k.signs_from)
    }

    /// The keys to publish: every key not yet past its retirement.
    pub fn published(&self, now: i64) -> impl Iterator<Item = &Key> {
        self.keys
            .iter()
            .filter(move |k| k.retire_after.is_none_or(|r| r > now))
    }

    pub fn jwks(&self, now: i64) -> serde_json::Value {
        let keys: Vec<serde_json::Value> = self.published(now).map(Key::jwk).collect();
        serde_json::json!({ "keys": keys })
    }

    pub fn find(&self, kid: &str) -> Option<&Key> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    /// Signs `claims` with the current key (see [`super::jws::sign`]).
    pub fn sign(&self, claims: &serde_json::Value) -> Result<String, super::jws::Error> {
        let key = self.signer(crate::now()).ok_or(super::jws::Error)?;
        super::jws::sign(&key.pair, &key.kid, claims)
    }

    /// The claims of a token one of our published keys signed.
    pub fn verify(&self, token: &str) -> Option<serde_json::Value> {
        let kid = super::jws::kid_of(token)?;
        let key = self.find(&kid)?;
        super::jws::verify(token, key.public_der())
    }
}

fn fingerprint(conn: &Connection) -> rusqlite::Result<String> {
    conn.prepare_cached(
        "SELECT COALESCE(group_concat(kid || ':' || signs_from || ':' || COALESCE(retire_after, ''), ','), '')
         FROM (SELECT * FROM idp_keys ORDER BY kid)",
    )?
    .query_row([], |r| r.get(0))
}

fn load(conn: &Connection) -> rusqlite::Result<KeyRing> {
    let mut stmt = conn.prepare_cached(
        "SELECT kid, private_der, signs_from, retire_after FROM idp_keys ORDER BY signs_from",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Vec<u8>>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, Option<i64>>(3)?,
        ))
    })?;
    let mut keys = Vec::new();
    for row in rows {
        let (kid, der, from, retire) = row?;
        match Key::from_der(&der, from, retire) {
            Some(k) => keys.push(k),
            None => log::error!("signing key {kid} in the database is unreadable; skipped"),
        }
    }
    Ok(KeyRing { keys })
}

/// The loaded key ring, kept while the database's keys stay the same.
#[derive(Default)]
pub struct Cache {
    ring: Mutex<Option<(String, Arc<KeyRing>)>>,
}

impl Cache {
    pub fn get(&self, conn: &Connection) -> rusqlite::Result<Arc<KeyRing>> {
        let fp = fingerprint(conn)?;
        if let Some((f, ring)) = &*self.ring.lock().unwrap_or_else(|p| p.into_inner())
            && *f == fp
        {
            return Ok(ring.clone());
        }
        let ring = Arc::new(load(conn)?);
        *self.ring.lock().unwrap_or_else(|p| p.into_inner()) = Some((fp, ring.clone()));
        Ok(ring)
    }
}

fn insert(tx: &Transaction<'_>, der: &[u8], signs_from: i64) -> crate::db::Result<String> {
    let key = Key::from_der(der, signs_from, None)
        .ok_or_else(|| crate::db::Error::Task("the new key does not load".into()))?;
    tx.execute(
        "INSERT INTO idp_keys (kid, alg, private_der, created_at, signs_from) VALUES (?1, 'RS256', ?2, ?3, ?4)",
        rusqlite::params![key.kid, der, crate::now(), signs_from],
    )?;
    Ok(key.kid)
}

/// Makes the first key when there is none that signs or will sign. Slow (an RSA key takes a
/// moment): call it on a blocking thread, before the listeners open.
pub fn ensure(db: &crate::db::Db) -> Result<(), String> {
    let now = crate::now();
    let live: i64 = db
        .read_blocking(move |c| {
            Ok(c.query_row(
                "SELECT count(*) FROM idp_keys WHERE retire_after IS NULL OR retire_after > ?1",
                [now],
                |r| r.get(0),
            )?)
        })
        .map_err(|e| e.to_string())?;
    if live > 0 {
        return Ok(());
    }
    let der = generate_der()?;
    let kid = db
        .write_blocking(move |tx| insert(tx, &der, now))
        .map_err(|e| e.to_string())?;
    log::info!("made the identity provider's signing key {kid}");
    Ok(())
}

/// Adds the next key, published now and signing from `ROTATION_NOTICE` (or `notice`)
/// seconds on; the keys signing today retire `RETIRED_KEPT` after that. Keys already past
/// retirement are deleted. Returns the new key's `kid`.
pub fn rotate(tx: &Transaction<'_>, der: &[u8], notice: i64) -> crate::db::Result<String> {
    let now = crate::now();
    let from = now + notice.max(0);
    tx.execute(
        "DELETE FROM idp_keys WHERE retire_after IS NOT NULL AND retire_after <= ?1",
        [now],
    )?;
    tx.execute(
        "UPDATE idp_keys SET retire_after = ?1 WHERE retire_after IS NULL",
        [from + RETIRED_KEPT],
    )?;
    insert(tx, der, from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_key_is_published_before_it_signs() {
        let (_dir, db) = crate::accounts::test_db();
        ensure(&db).unwrap();
        ensure(&db).unwrap();
        let cache = Cache::default();
        let first = db.read_blocking(|c| Ok(cache.get(c)?)).unwrap();
        let now = crate::now();
        let old_kid = first.signer(now).unwrap().kid.clone();
        assert_eq!(first.jwks(now)["keys"].as_array().unwrap().len(), 1);
        let der = generate_der().unwrap();
        let new_kid = db
            .write_blocking(move |tx| rotate(tx, &der, ROTATION_NOTICE))
            .unwrap();
        assert_ne!(new_kid, old_kid);
        let ring = db.read_blocking(|c| Ok(cache.get(c)?)).unwrap();
        let kids: Vec<String> = ring.published(now).map(|k| k.kid.clone()).collect();
        assert!(kids.contains(&old_kid) && kids.contains(&new_kid));
        assert_eq!(
            ring.signer(now).unwrap().kid,
            old_kid,
            "the old key still signs"
        );
        let later = now + ROTATION_NOTICE + 1;
        assert_eq!(ring.signer(later).unwrap().kid, new_kid);
        let gone = now + ROTATION_NOTICE + RETIRED_KEPT + 1;
        assert_eq!(ring.published(gone).count(), 1);
        // A token signed now verifies with the published key, and the JWK has no private part.
        let t = ring.sign(&serde_json::json!({"a": 1})).unwrap();
        assert_eq!(ring.verify(&t).unwrap()["a"], 1);
        let jwk = ring.find(&old_kid).unwrap().jwk();
        assert!(jwk.get("d").is_none() && jwk.get("p").is_none());
    }
}
