//! Which origins the login page (and the logout confirmation) must allow in `form-action`:
//! the application a pending login will be sent back to. Chromium checks `form-action` on
//! every redirect after a form is sent, so `POST /login` → `303 /oidc/authorize` → `302` to
//! the application fails under `form-action 'self'` alone.
//!
//! Only an address the registry vouches for is added: a registered OIDC redirect URI, or a
//! CAS `service` under a registered prefix.

use crate::app::App;

/// The extra `form-action` origins for a login page whose `next` is `next`.
pub async fn form_action_origins(app: &App, next: &str) -> Vec<String> {
    let (path, query) = next.split_once('?').unwrap_or((next, ""));
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    match path {
        "/oidc/authorize" => {
            let (Some(client), Some(uri)) = (get("client_id"), get("redirect_uri")) else {
                return Vec::new();
            };
            match super::oidc_app(app, client).await {
                Ok(Some(a)) if a.redirect_registered(&uri) => {
                    super::origin(&uri).into_iter().collect()
                }
                _ => Vec::new(),
            }
        }
        "/cas/login" => cas_origins(app, next).await,
        _ => Vec::new(),
    }
}

/// CAS: the origin of a `service` that a registered CAS application serves (the rule is the
/// CAS module's).
async fn cas_origins(app: &App, next: &str) -> Vec<String> {
    let next = next.to_owned();
    app.db
        .read(move |c| Ok(crate::idp::cas::login_form_action(c, &next)))
        .await
        .ok()
        .flatten()
        .into_iter()
        .collect()
}
