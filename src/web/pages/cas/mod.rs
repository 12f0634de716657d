//! The CAS 3.0 door (`/cas/...`): where CAS applications (phpCAS, Moodle's CAS login, a
//! publisher's resource) send people to log in and out, and validate the tickets they bring
//! back. The rules are in [`crate::idp::cas`]; this module turns requests into them and their
//! answers into redirects, pages and the protocol's XML, JSON or text.
//!
//! People meet Cartable pages here (an unregistered service, a refusal, the logged-out page),
//! never a redirect to an address that is not a registered service's. Applications meet the
//! protocol's answers, with status 200 and the code the specification names for a failure.

mod login;
pub(crate) use login::without_backchannel;
mod validate;

use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::Req;
use crate::web::router::Router;
use hyper::StatusCode;
use hyper::header::{self, HeaderValue};
use minijinja::context;
use serde::Serialize;

pub fn routes(r: &mut Router) {
    r.get("/cas/login", login::login);
    r.get("/cas/logout", login::logout);
    r.get("/cas/validate", validate::validate_v1);
    r.get("/cas/serviceValidate", validate::service_validate);
    r.get("/cas/p3/serviceValidate", validate::service_validate);
    // Cartable issues no proxy tickets, so proxy validation is service validation (the Java
    // CAS client validates there by default).
    r.get("/cas/proxyValidate", validate::service_validate);
    r.get("/cas/p3/proxyValidate", validate::service_validate);
}

/// The query's parameters; a malformed query string is `None`.
struct Params(Vec<(String, String)>);

impl Params {
    fn of(req: &Req) -> Option<Params> {
        serde_urlencoded::from_str(req.uri.query().unwrap_or(""))
            .ok()
            .map(Params)
    }

    /// The parameter's value, when given once (given twice is as bad as not at all).
    fn one(&self, name: &str) -> Option<&str> {
        let mut it = self.0.iter().filter(|(k, _)| k == name);
        let first = it.next()?;
        it.next().is_none().then_some(first.1.as_str())
    }

    /// A flag such as `renew=true`: set unless absent, empty or `false`.
    fn flag(&self, name: &str) -> bool {
        self.0
            .iter()
            .any(|(k, v)| k == name && !v.is_empty() && !v.eq_ignore_ascii_case("false"))
    }
}

/// The CAS base URL as the request reached it: the issuer applications are told, with
/// `/cas`.
fn cas_base(req: &Req) -> String {
    format!("{}/cas", super::idp::issuer(req))
}

/// A `302 Found` to `location` (an application's address: registered, checked by the caller).
fn found(req: &mut Req, location: &str) -> Result<Response, WebError> {
    let value =
        HeaderValue::from_str(location).map_err(|_| WebError::BadRequest("cas.error_service"))?;
    let mut resp = Response::new(crate::web::empty());
    *resp.status_mut() = StatusCode::FOUND;
    resp.headers_mut().insert(header::LOCATION, value);
    req.apply_cookies(&mut resp);
    Ok(resp)
}

/// An application someone stays logged in to after a Cartable logout.
#[derive(Serialize)]
pub(crate) struct Lingering {
    name: String,
    url: String,
}

/// A Cartable page of this door: a refusal, or the logged-out page.
struct Page<'a> {
    status: StatusCode,
    title: String,
    message: String,
    error: bool,
    lingering: &'a [Lingering],
    link: &'a str,
    link_text: String,
}

fn page(req: &mut Req, p: Page<'_>) -> Result<Response, WebError> {
    req.render_status(
        p.status,
        "cas/page.html",
        context! {
            title => p.title, message => p.message, error => p.error, lingering => p.lingering,
            link => p.link, link_text => p.link_text,
        },
    )
}

/// The page after a logout that some applications will not hear of: it names them, so that
/// the person logs out of them by hand (a shared classroom PC). Used by the portal's logout too.
pub(crate) fn logged_out(req: &mut Req, lingering: &[Lingering]) -> Result<Response, WebError> {
    let (title, message, link_text) = (
        req.t("cas.logged_out_title"),
        req.t("cas.logged_out"),
        req.t("cas.login_again"),
    );
    page(
        req,
        Page {
            status: StatusCode::OK,
            title,
            message,
            error: false,
            lingering,
            link: "/login",
            link_text,
        },
    )
}

/// A page that says why Cartable will not log the person in to the application.
fn refusal(req: &mut Req, status: StatusCode, message: String) -> Result<Response, WebError> {
    page(
        req,
        Page {
            status,
            title: req.t("cas.error_title"),
            message,
            error: true,
            lingering: &[],
            link: "/",
            link_text: req.t("cas.back_home"),
        },
    )
}
