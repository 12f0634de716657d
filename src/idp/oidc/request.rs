//! What makes an authorization request acceptable (OpenID Connect Core §3.1.2.1, RFC 6749
//! §4.1.1, RFC 7636), in two stages: first the client and its redirect URI, whose faults are
//! shown on a Cartable page (never a redirect to an address not registered); then the rest,
//! whose faults go back to the application's redirect URI.

use super::OAuthError;
use super::tokens::valid_pkce;

/// The longest value any parameter may have.
const VALUE_MAX: usize = 2048;

/// The request's parameters, each at most once.
pub struct Params(Vec<(String, String)>);

impl Params {
    /// `None` when a parameter is repeated (RFC 6749 §3.1) or too long.
    pub fn new(pairs: Vec<(String, String)>) -> Result<Params, &'static str> {
        for (i, (k, v)) in pairs.iter().enumerate() {
            if v.len() > VALUE_MAX || pairs[..i].iter().any(|(k2, _)| k2 == k) {
                return Err(k_static(k));
            }
        }
        Ok(Params(pairs))
    }

    /// A parameter; an empty value counts as absent (RFC 6749 §3.1).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }
}

/// Which parameter was repeated, for the page's message: the two that decide where errors
/// go are named.
fn k_static(k: &str) -> &'static str {
    match k {
        "client_id" => "client_id",
        "redirect_uri" => "redirect_uri",
        _ => "other",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Prompt {
    #[default]
    Default,
    /// Answer without showing anything: no session is `login_required`.
    None,
    /// Log in again, whatever the session.
    Login,
}

/// An accepted authorization request, past its client and redirect URI.
#[derive(Debug, Clone)]
pub struct AuthRequest {
    pub scopes: Vec<String>,
    pub nonce: Option<String>,
    pub challenge: Option<String>,
    pub prompt: Prompt,
    pub max_age: Option<i64>,
}

const fn err(error: &'static str, description: &'static str) -> OAuthError {
    OAuthError::new(error, description)
}

/// Checks the rest of the request for a client that is `public` (PKCE required).
pub fn check(p: &Params, public: bool) -> Result<AuthRequest, OAuthError> {
    if p.get("request").is_some() {
        return Err(err(
            "request_not_supported",
            "request objects are not supported",
        ));
    }
    if p.get("request_uri").is_some() {
        return Err(err(
            "request_uri_not_supported",
            "request_uri is not supported",
        ));
    }
    match p.get("response_type") {
        None => return Err(err("invalid_request", "response_type is missing")),
        Some("code") => {}
        Some(_) => {
            return Err(err(
                "unsupported_response_type",
                "only the code flow is supported",
            ));
        }
    }
    if p.get("response_mode").is_some_and(|m| m != "query") {
        return Err(err(
            "invalid_request",
            "only response_mode=query is supported",
        ));
    }
    let asked: Vec<&str> = p
        .get("scope")
        .unwrap_or("")
        .split(' ')
        .filter(|s| !s.is_empty())
        .collect();
    if !asked.contains(&"openid") {
        return Err(err("invalid_scope", "the scope must contain openid"));
    }
    let scopes: Vec<String> = super::SCOPES
        .iter()
        .filter(|s| asked.contains(s))
        .map(|s| (*s).to_owned())
        .collect();
    let challenge = p.get("code_challenge");
    match (challenge, p.get("code_challenge_method")) {
        (None, Some(_)) => {
            return Err(err(
                "invalid_request",
                "code_challenge_method without code_challenge",
            ));
        }
        (Some(_), None) | (Some(_), Some("plain")) => {
            return Err(err("invalid_request", "code_challenge_method must be S256"));
        }
        (Some(_), Some("S256")) | (None, None) => {}
        (Some(_), Some(_)) => {
            return Err(err("invalid_request", "code_challenge_method must be S256"));
        }
    }
    if let Some(c) = challenge
        && !valid_pkce(c)
    {
        return Err(err("invalid_request", "code_challenge is malformed"));
    }
    if public && challenge.is_none() {
        return Err(err(
            "invalid_request",
            "a public client must use PKCE (S256)",
        ));
    }
    let mut prompt = Prompt::Default;
    if let Some(v) = p.get("prompt") {
        let values: Vec<&str> = v.split(' ').filter(|s| !s.is_empty()).collect();
        if values.contains(&"none") {
            if values.len() > 1 {
                return Err(err("invalid_request", "prompt=none goes alone"));
            }
            prompt = Prompt::None;
        } else if values.contains(&"login") {
            prompt = Prompt::Login;
        }
        if values
            .iter()
            .any(|v| !matches!(*v, "none" | "login" | "consent" | "select_account"))
        {
            return Err(err("invalid_request", "unknown prompt value"));
        }
    }
    let max_age = match p.get("max_age") {
        None => None,
        Some(s) => match s.parse::<i64>() {
            Ok(n) if n >= 0 => Some(n),
            _ => {
                return Err(err(
                    "invalid_request",
                    "max_age must be a number of seconds",
                ));
            }
        },
    };
    let nonce = p.get("nonce").map(str::to_owned);
    Ok(AuthRequest {
        scopes,
        nonce,
        challenge: challenge.map(str::to_owned),
        prompt,
        max_age,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(q: &str) -> Params {
        Params::new(serde_urlencoded::from_str(q).unwrap()).unwrap()
    }

    const C: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    #[test]
    fn accepts_a_basic_request_and_drops_unknown_scopes() {
        let r = check(
            &params("response_type=code&scope=openid+profile+weird&nonce=n"),
            false,
        )
        .unwrap();
        assert_eq!(r.scopes, ["openid", "profile"]);
        assert_eq!(r.nonce.as_deref(), Some("n"));
        assert_eq!(r.prompt, Prompt::Default);
    }

    #[test]
    fn refuses_what_the_specifications_refuse() {
        let e = |q: &str, public| check(&params(q), public).unwrap_err().error;
        assert_eq!(
            e("response_type=token&scope=openid", false),
            "unsupported_response_type"
        );
        assert_eq!(e("scope=openid", false), "invalid_request");
        assert_eq!(
            e("response_type=code&scope=profile", false),
            "invalid_scope"
        );
        assert_eq!(
            e("response_type=code&scope=openid", true),
            "invalid_request"
        );
        let plain = format!(
            "response_type=code&scope=openid&code_challenge={C}&code_challenge_method=plain"
        );
        assert_eq!(e(&plain, true), "invalid_request");
        let ok = format!(
            "response_type=code&scope=openid&code_challenge={C}&code_challenge_method=S256"
        );
        assert!(check(&params(&ok), true).is_ok());
        assert_eq!(
            e("response_type=code&scope=openid&prompt=none+login", false),
            "invalid_request"
        );
        assert_eq!(
            e("response_type=code&scope=openid&max_age=-1", false),
            "invalid_request"
        );
        assert_eq!(
            e("response_type=code&scope=openid&request=x", false),
            "request_not_supported"
        );
        assert!(Params::new(serde_urlencoded::from_str("a=1&a=2").unwrap()).is_err());
    }
}
