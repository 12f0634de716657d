//! OpenID Connect's rules, apart from HTTP: the short-lived codes the authorization endpoint
//! hands out ([`codes`]), what an application was granted and its refresh tokens
//! ([`grants`]), the tokens themselves ([`tokens`]) and what makes an authorization request
//! acceptable ([`request`]). The web door (`web/pages/idp/`) reads requests and writes answers.
//!
//! Speed shapes it: a whole login (authorize, token, userinfo) makes ONE database write, the
//! grant at the token endpoint. Codes live in memory (a restart costs a login in progress a
//! retry), access tokens are sealed with an HMAC and name their grant, so userinfo only reads,
//! and client secrets are compared as SHA-256 (they are random, not passwords).

pub mod codes;
pub mod grants;
pub mod request;
pub mod tokens;

use crate::auth::Throttle;

/// Clocks disagree: boards without a real-time clock boot late, and applications' servers
/// drift. Every time checked here allows this much either way.
pub const SKEW: i64 = 300;
/// How long a code may wait for the token endpoint.
pub const CODE_LIFETIME: i64 = 60;
/// Access and ID tokens.
pub const ACCESS_LIFETIME: i64 = 3600;
/// A refresh token lives this long after its last use: longer than a school day, and it ends
/// with the portal session anyway.
pub const REFRESH_LIFETIME: i64 = 14 * 3600;
/// The scopes understood; others are dropped from what is granted.
pub const SCOPES: [&str; 3] = ["openid", "profile", "email"];

/// An error the OAuth specifications name, with a short description for the developer
/// reading the application's log (never a detail of ours).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OAuthError {
    pub error: &'static str,
    pub description: &'static str,
}

impl OAuthError {
    pub const fn new(error: &'static str, description: &'static str) -> OAuthError {
        OAuthError { error, description }
    }
}

/// The OpenID Connect side of the identity provider's shared state.
pub struct Oidc {
    pub codes: codes::Codes,
    pub seal: tokens::Seal,
    /// Wrong client secrets, counted per client and address like failed logins.
    pub throttle: Throttle,
}

impl Oidc {
    pub fn new() -> Oidc {
        Oidc {
            codes: codes::Codes::default(),
            seal: tokens::Seal::default(),
            throttle: Throttle::default(),
        }
    }
}

impl Default for Oidc {
    fn default() -> Self {
        Oidc::new()
    }
}
