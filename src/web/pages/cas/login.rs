//! `/cas/login` and `/cas/logout`: the person's side of CAS.
//!
//! Login: the service must fall under a registered CAS application's prefix (else a Cartable
//! page, never a redirect); no portal session means the portal's login form, then back here;
//! `renew` ends the session and asks for the password again; `gateway` never shows a page
//! and sends the person back without a ticket when it cannot give one; someone the
//! application is not open to gets a 403 page once, with no loop.

use super::{Lingering, Params, found, refusal};
use crate::auth::Action;
use crate::idp::apps;
use crate::idp::cas::Ticket;
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use hyper::StatusCode;

/// The login mark's parameter: added to `/cas/login`'s own address on the way through the
/// login form, so that the ticket issued on return counts as from a fresh login.
const MARK: &str = "rn";

pub async fn login(mut req: Req) -> Result<Response, WebError> {
    let Some(q) = Params::of(&req) else {
        return Err(WebError::BadRequest("error.bad_query"));
    };
    let Some(service) = q
        .one("service")
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
    else {
        // No service: a login to the portal itself.
        return match req.principal {
            Some(_) => Ok(redirect("/")),
            None => Err(WebError::LoginRequired),
        };
    };
    let app = if apps::valid_url(&service) {
        let s = service.clone();
        req.app
            .db
            .read(move |c| Ok(apps::for_service(c, &s)?))
            .await?
    } else {
        None
    };
    let Some(app) = app else {
        log::info!("CAS login for an unregistered service refused: {service:?}");
        let message = req.t("cas.error_service");
        return refusal(&mut req, StatusCode::BAD_REQUEST, message);
    };
    let renew = q.flag("renew");
    // The specification: with `renew`, `gateway` is ignored.
    let gateway = q.flag("gateway") && !renew;
    let fresh = match (q.one(MARK), &req.session) {
        (Some(mark), Some(s)) => req.app.idp.cas.fresh_login(mark, &s.sid),
        _ => false,
    };
    if renew && !fresh {
        // Single sign-on is bypassed: this session ends (its applications are logged out)
        // and the password is asked for again.
        let previous = req.session.as_ref().map(|s| s.sid.clone());
        crate::web::pages::auth_pages::end_portal_session(&mut req).await?;
        return to_login_form(req, &q, previous);
    }
    let (Some(session), Some(who)) = (req.session.clone(), req.principal.clone()) else {
        if gateway {
            return found(&mut req, &service);
        }
        return to_login_form(req, &q, None);
    };
    let audience = app.audience();
    if crate::auth::authorize(&who, &Action::UseApp { app: &audience }).is_err() {
        if gateway {
            return found(&mut req, &service);
        }
        log::info!(
            "CAS login of {} to {} refused by policy",
            who.username,
            app.slug
        );
        let message = req
            .app
            .i18n
            .format(req.lang, "cas.not_allowed", &[("app", &app.name)]);
        return refusal(&mut req, StatusCode::FORBIDDEN, message);
    }
    let ticket = Ticket {
        service: service.clone(),
        app: app.id,
        user: who.id,
        session_sid: session.sid.clone(),
        auth_time: session.created_at,
        primary: fresh,
    };
    let Ok(id) = req.app.idp.cas.issue(ticket) else {
        let message = req.t("cas.busy");
        return refusal(&mut req, StatusCode::SERVICE_UNAVAILABLE, message);
    };
    let sep = if service.contains('?') { '&' } else { '?' };
    found(&mut req, &format!("{service}{sep}ticket={id}"))
}

/// The portal's login form, coming back to this same request with a login mark.
fn to_login_form(mut req: Req, q: &Params, previous: Option<String>) -> Result<Response, WebError> {
    let mark = req.app.idp.cas.mark_login(previous);
    let mut back: Vec<(&str, &str)> =
        q.0.iter()
            .filter(|(k, _)| k != MARK)
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
    back.push((MARK, &mark));
    let back = serde_urlencoded::to_string(&back).unwrap_or_default();
    let next = format!("{}?{back}", req.uri.path());
    let mut resp = redirect(&crate::web::req::with_next("/login", &next));
    req.apply_cookies(&mut resp);
    Ok(resp)
}

/// `/cas/logout`: ends the portal session (the applications it logged in to are logged out
/// by the queue), then goes to `service` (or `url`) if it is a registered service's address,
/// else shows the logged-out page, with the applications that keep their own session.
pub async fn logout(mut req: Req) -> Result<Response, WebError> {
    let q = Params::of(&req).unwrap_or(Params(Vec::new()));
    let target = q
        .one("service")
        .or_else(|| q.one("url"))
        .filter(|u| apps::valid_url(u))
        .map(str::to_owned);
    let lingering = crate::web::pages::auth_pages::end_portal_session(&mut req).await?;
    if let Some(target) = target {
        let t = target.clone();
        let registered = req
            .app
            .db
            .read(move |c| Ok(apps::for_service(c, &t)?))
            .await?
            .is_some();
        if registered {
            return found(&mut req, &target);
        }
    }
    super::logged_out(&mut req, &lingering)
}

/// The applications this session logged in to that will not hear of its end (OpenID Connect
/// ones with no back-channel logout): the person must log out of them by hand.
pub(crate) fn without_backchannel(
    tx: &rusqlite::Transaction<'_>,
    sid: &str,
) -> rusqlite::Result<Vec<Lingering>> {
    let mut stmt = tx.prepare_cached(
        "SELECT DISTINCT a.name, CASE a.logout_url WHEN '' THEN a.launch_url ELSE a.logout_url END
         FROM idp_grants g JOIN apps a ON a.id = g.app_id
         WHERE g.session_sid = ?1 AND g.kind = 'oidc' AND a.backchannel_logout_url = ''
         ORDER BY a.name",
    )?;
    let rows = stmt.query_map([sid], |r| {
        Ok(Lingering {
            name: r.get(0)?,
            url: r.get(1)?,
        })
    })?;
    rows.collect()
}
