//! Compact JWS (RFC 7515) signed RS256: the only kind of token Cartable signs (ID tokens and
//! logout tokens).
//!
//! Written by hand over ring rather than taken from a JWT crate: each of those brings a second
//! cryptography stack (aws-lc, OpenSSL, BoringSSL) or old dependencies, and signing is a header,
//! a payload and one call. Nothing here verifies foreign tokens; `id_token_hint` is checked
//! against our own keys with [`verify`].

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};

/// Signs `claims` with `key`, naming it `kid` in the header.
pub fn sign(key: &RsaKeyPair, kid: &str, claims: &serde_json::Value) -> Result<String, Error> {
    let header = serde_json::json!({ "alg": "RS256", "typ": "JWT", "kid": kid });
    sign_with_header(key, &header, claims)
}

/// Signs with a header of the caller's (a logout token's `typ` is `logout+jwt`).
pub fn sign_with_header(
    key: &RsaKeyPair,
    header: &serde_json::Value,
    claims: &serde_json::Value,
) -> Result<String, Error> {
    let mut out = B64.encode(serde_json::to_vec(header).map_err(|_| Error)?);
    out.push('.');
    out.push_str(&B64.encode(serde_json::to_vec(claims).map_err(|_| Error)?));
    let mut sig = vec![0u8; key.public().modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        out.as_bytes(),
        &mut sig,
    )
    .map_err(|_| Error)?;
    out.push('.');
    out.push_str(&B64.encode(sig));
    Ok(out)
}

/// The header's `kid` of a compact JWS, unverified (to pick the key that checks it).
pub fn kid_of(token: &str) -> Option<String> {
    let header = token.split('.').next()?;
    let bytes = B64.decode(header).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    if v.get("alg")?.as_str()? != "RS256" {
        return None;
    }
    Some(v.get("kid")?.as_str()?.to_owned())
}

/// The claims of a compact JWS whose RS256 signature `public_der` (a PKCS#1 RSAPublicKey, as
/// ring gives it) verifies; `None` for anything else.
pub fn verify(token: &str, public_der: &[u8]) -> Option<serde_json::Value> {
    let mut parts = token.split('.');
    let (h, p, s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || token.len() > 16 * 1024 {
        return None;
    }
    let sig = B64.decode(s).ok()?;
    let signed = &token[..h.len() + 1 + p.len()];
    ring::signature::UnparsedPublicKey::new(
        &ring::signature::RSA_PKCS1_2048_8192_SHA256,
        public_der,
    )
    .verify(signed.as_bytes(), &sig)
    .ok()?;
    serde_json::from_slice(&B64.decode(p).ok()?).ok()
}

#[derive(Debug, thiserror::Error)]
#[error("signing failed")]
pub struct Error;

#[cfg(test)]
mod tests {
    use super::*;
    use ring::signature::KeyPair;

    #[test]
    fn signs_what_ring_verifies_and_refuses_tampering() {
        let der = super::super::keys::generate_der().unwrap();
        let key = RsaKeyPair::from_pkcs8(&der).unwrap();
        let claims = serde_json::json!({ "sub": "abc", "aud": "moodle", "n": "é" });
        let token = sign(&key, "k1", &claims).unwrap();
        assert_eq!(kid_of(&token).as_deref(), Some("k1"));
        let public = key.public_key().as_ref().to_vec();
        assert_eq!(verify(&token, &public), Some(claims));
        // Change one claim: the signature no longer holds.
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = B64.encode(br#"{"sub":"admin","aud":"moodle"}"#);
        parts[1] = &forged;
        assert_eq!(verify(&parts.join("."), &public), None);
        assert_eq!(verify("a.b", &public), None);
        assert_eq!(verify("", &public), None);
    }
}
