//! HTTP Basic authentication for WebDAV, on the same accounts and the same throttled login
//! as the portal.
//!
//! Windows Explorer and Finder send dozens of requests per folder opened, each with the
//! password, and an argon2 check costs 30-40 ms and 19 MiB. So a successful login is
//! remembered for a few minutes under (data directory, username, SHA-256 of the password).
//! A remembered login is only used while the account's stored password hash is unchanged and
//! the account enabled (one indexed read per request), so a password change or a disabled
//! account takes effect at once; the principal itself is reloaded on every request, so class
//! changes do too.

use crate::app::App;
use crate::auth::{LoginError, Principal, load_principal};
use crate::ids::UserId;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

/// How long a successful login is remembered.
const TTL: Duration = Duration::from_secs(300);
/// Entries kept at most, so that the cache cannot grow without bound.
const MAX_ENTRIES: usize = 4096;

#[derive(Hash, PartialEq, Eq)]
struct Key {
    data_dir: PathBuf,
    username: String,
    password_sha256: [u8; 32],
}

struct Remembered {
    user: UserId,
    password_hash: String,
    at: Instant,
}

static CACHE: LazyLock<Mutex<HashMap<Key, Remembered>>> = LazyLock::new(Default::default);

/// Why a request carries no usable login.
pub enum Refused {
    /// No credentials, malformed ones, or wrong ones: 401.
    Unauthorized,
    /// Too many failures: 503 with Retry-After.
    Throttled(Duration),
    /// Something broke on our side.
    Internal,
}

/// The username and password of an `Authorization: Basic` header.
pub fn credentials(header: Option<&hyper::header::HeaderValue>) -> Option<(String, String)> {
    let v = header?.to_str().ok()?;
    let (scheme, b64) = v.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    let s = String::from_utf8(raw).ok()?;
    let (u, p) = s.split_once(':')?;
    Some((u.to_owned(), p.to_owned()))
}

/// Logs in with Basic credentials, through the remembered logins when possible.
pub async fn login(
    app: &App,
    username: &str,
    password: &str,
    client: IpAddr,
) -> Result<Principal, Refused> {
    let key = Key {
        data_dir: app.data_dir.clone(),
        username: username.to_owned(),
        password_sha256: Sha256::digest(password.as_bytes()).into(),
    };
    let hit = {
        let map = CACHE.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&key)
            .filter(|r| r.at.elapsed() < TTL)
            .map(|r| (r.user, r.password_hash.clone()))
    };
    if let Some((id, hash)) = hit {
        let p = app
            .db
            .read(move |c| {
                let current: Option<(Option<String>, bool)> = {
                    use rusqlite::OptionalExtension;
                    c.query_row(
                        "SELECT password_hash, disabled FROM users WHERE id = ?1",
                        [id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?
                };
                match current {
                    Some((Some(h), false)) if h == hash => Ok(load_principal(c, id)?),
                    _ => Ok(None),
                }
            })
            .await
            .map_err(|_| Refused::Internal)?;
        if let Some(p) = p {
            return Ok(p);
        }
        CACHE.lock().unwrap_or_else(|p| p.into_inner()).remove(&key);
    }
    let p = match app.auth.login(username, password, client).await {
        Ok(p) => p,
        Err(LoginError::Invalid) => return Err(Refused::Unauthorized),
        Err(LoginError::Throttled(d)) => return Err(Refused::Throttled(d)),
        Err(LoginError::Db(e)) => {
            log::error!("WebDAV login: {e}");
            return Err(Refused::Internal);
        }
    };
    let id = p.id;
    let hash: Option<String> = app
        .db
        .read(move |c| {
            Ok(
                c.query_row("SELECT password_hash FROM users WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?,
            )
        })
        .await
        .unwrap_or(None);
    if let Some(password_hash) = hash {
        let mut map = CACHE.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_ENTRIES {
            map.retain(|_, r| r.at.elapsed() < TTL);
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
        }
        map.insert(
            key,
            Remembered {
                user: id,
                password_hash,
                at: Instant::now(),
            },
        );
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_parsed() {
        let v = hyper::header::HeaderValue::from_static("Basic YW1pbmE6b3Blbjpzw6lzYW1l");
        let (u, p) = credentials(Some(&v)).unwrap();
        assert_eq!(u, "amina");
        assert_eq!(p, "open:sésame");
        let bad = hyper::header::HeaderValue::from_static("Bearer abc");
        assert!(credentials(Some(&bad)).is_none());
        assert!(credentials(None).is_none());
    }
}
