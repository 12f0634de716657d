//! Discovery (OpenID Connect Discovery 1.0) and the public keys (JWKS): what an application
//! reads first, over plain loopback HTTP as over HTTPS, with the issuer of the origin it
//! asked by.

use super::{issuer, json};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::Req;
use hyper::StatusCode;
use serde_json::json;

pub async fn configuration(req: Req) -> Result<Response, WebError> {
    let iss = issuer(&req);
    let body = json!({
        "issuer": iss,
        "authorization_endpoint": format!("{iss}/oidc/authorize"),
        "token_endpoint": format!("{iss}/oidc/token"),
        "userinfo_endpoint": format!("{iss}/oidc/userinfo"),
        "jwks_uri": format!("{iss}/oidc/jwks"),
        "end_session_endpoint": format!("{iss}/oidc/logout"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "scopes_supported": crate::idp::oidc::SCOPES,
        "claims_supported": [
            "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "sid", "at_hash",
            "preferred_username", "name", "given_name", "family_name", "email",
            "email_verified", "locale", "roles", "groups", "school"
        ],
        "prompt_values_supported": ["none", "login"],
        "claims_parameter_supported": false,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
        "authorization_response_iss_parameter_supported": true,
        "backchannel_logout_supported": true,
        "backchannel_logout_session_supported": true,
        "frontchannel_logout_supported": false,
    });
    Ok(json(StatusCode::OK, &body))
}

/// The public keys: every key published now (the next one too, before it signs).
pub async fn jwks(req: Req) -> Result<Response, WebError> {
    let app = req.app.clone();
    let ring = req.app.db.read(move |c| Ok(app.idp.keyring(c)?)).await?;
    Ok(json(StatusCode::OK, &ring.jwks(crate::now())))
}
