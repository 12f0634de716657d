//! HTTP Basic authentication for WebDAV, on the same accounts and the same throttled login
//! as the portal.
//!
//! Windows Explorer and Finder send dozens of requests per folder opened, each with the
//! password, and an argon2 check costs 30-40 ms and 19 MiB. So a successful login is
//! remembered in memory by [`Auth::login_remembered`](crate::auth::Auth::login_remembered),
//! shared with SMTP AUTH, and forgotten on any change to the account (its password, its
//! role, its classes, disabling it): such a change takes effect on the next request.

use crate::app::App;
use crate::auth::{LoginError, Principal};
use base64::Engine;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

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
) -> Result<Arc<Principal>, Refused> {
    match app.auth.login_remembered(username, password, client).await {
        Ok(p) => Ok(p),
        Err(LoginError::Invalid) => Err(Refused::Unauthorized),
        Err(LoginError::Throttled(d)) => Err(Refused::Throttled(d)),
        Err(LoginError::Db(e)) => {
            log::error!("WebDAV login: {e}");
            Err(Refused::Internal)
        }
    }
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
