//! Every way a web request can fail, mapped once to a status code and a page in the user's
//! language. Core errors (`db::Error`, `auth::Denied`) know no HTTP; this file is where they
//! become responses. Internal details go to the log, never to the page.

use crate::auth::Denied;
use hyper::StatusCode;

#[derive(Debug)]
pub enum WebError {
    /// No session: the page redirects to the login form.
    LoginRequired,
    /// Logged in, but `authorize` said no (or the target is not theirs to know about).
    Forbidden,
    NotFound,
    MethodNotAllowed,
    /// A malformed request; the key names the message shown.
    BadRequest(&'static str),
    /// A missing or wrong CSRF token, or a foreign Origin.
    Csrf,
    /// A body over the limit, in bytes.
    TooLarge(u64),
    /// Something broke on our side; the string goes to the log only.
    Internal(String),
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::LoginRequired => StatusCode::SEE_OTHER,
            WebError::Forbidden | WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The catalog key of the message the error page shows.
    pub fn message_key(&self) -> &'static str {
        match self {
            WebError::LoginRequired => "error.login_required",
            WebError::Forbidden => "error.forbidden",
            WebError::NotFound => "error.not_found",
            WebError::MethodNotAllowed => "error.method_not_allowed",
            WebError::BadRequest(key) => key,
            WebError::Csrf => "error.csrf",
            WebError::TooLarge(_) => "error.too_large",
            WebError::Internal(_) => "error.internal",
        }
    }
}

impl From<Denied> for WebError {
    fn from(_: Denied) -> Self {
        WebError::Forbidden
    }
}

impl From<crate::db::Error> for WebError {
    fn from(e: crate::db::Error) -> Self {
        WebError::Internal(e.to_string())
    }
}

impl From<rusqlite::Error> for WebError {
    fn from(e: rusqlite::Error) -> Self {
        WebError::Internal(e.to_string())
    }
}

impl From<minijinja::Error> for WebError {
    fn from(e: minijinja::Error) -> Self {
        WebError::Internal(format!("template: {e:#}"))
    }
}
