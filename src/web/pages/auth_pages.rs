//! Logging in, logging out, and changing one's password (forced at first login).

use crate::auth::{LoginError, SESSION_COOKIE, Session, check_password_rules};
use crate::web::error::WebError;
use crate::web::pages::cas::Lingering;
use crate::web::req::{Req, redirect, safe_next};
use crate::web::{Response, cookie};
use hyper::StatusCode;
use minijinja::context;
use serde::Deserialize;

#[derive(Deserialize, Default)]
struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(mut req: Req) -> Result<Response, WebError> {
    if req.principal.is_some() {
        return Ok(redirect("/"));
    }
    let q: NextQuery = req.query().unwrap_or_default();
    let next = safe_next(q.next.as_deref());
    let resp = req.render(
        "login.html",
        context! { next => next, username => "", error => None::<String> },
    )?;
    Ok(widen_form_action(&req, &next, resp).await)
}

/// A login page on the way to an application (`next` is its authorization request) lets the
/// form's redirect chain end at that application: see [`crate::web::csp`].
async fn widen_form_action(req: &Req, next: &str, mut resp: Response) -> Response {
    let extra = crate::web::pages::idp::form_action_origins(&req.app, next).await;
    if !extra.is_empty() {
        resp.headers_mut().insert(
            hyper::header::CONTENT_SECURITY_POLICY,
            crate::web::csp(&extra),
        );
    }
    resp
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn login(mut req: Req) -> Result<Response, WebError> {
    let form: LoginForm = req.form().await?;
    let next = safe_next(form.next.as_deref());
    let ip = req.conn.peer.ip();
    match req.app.auth.login(&form.username, &form.password, ip).await {
        Ok(p) => {
            let client = req
                .header(hyper::header::USER_AGENT)
                .unwrap_or("")
                .chars()
                .take(200)
                .collect::<String>();
            let client = format!("{ip} {client}");
            let user = p.id;
            let old = req.session.as_ref().map(|s| s.token_hash.clone());
            let (_, token) = req
                .app
                .db
                .write(move |tx| {
                    if let Some(old) = old {
                        Session::delete(tx, &old)?;
                    }
                    Ok(Session::create(tx, user, &client)?)
                })
                .await?;
            let secure = req.conn.https;
            req.set_cookies
                .push(cookie(SESSION_COOKIE, &token, secure, None));
            let mut resp = redirect(&if p.must_change_password {
                password_page(&next)
            } else {
                next
            });
            req.apply_cookies(&mut resp);
            Ok(resp)
        }
        Err(e) => {
            let (status, key, minutes) = match &e {
                LoginError::Invalid => (StatusCode::OK, "error.login_invalid", 0),
                LoginError::Throttled(d) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    "error.login_throttled",
                    d.as_secs().div_ceil(60),
                ),
                LoginError::Db(err) => return Err(WebError::Internal(err.to_string())),
            };
            let error = req
                .app
                .i18n
                .format(req.lang, key, &[("minutes", &minutes.to_string())]);
            let resp = req.render_status(
                status,
                "login.html",
                context! { next => next, username => form.username, error => error },
            )?;
            Ok(widen_form_action(&req, &next, resp).await)
        }
    }
}

/// Ends this browser's portal session, however it was asked for (the portal's logout, an
/// application's, `prompt=login`, CAS `renew`): its row goes (the database's trigger queues
/// the logouts of the applications it signed in to), the logout worker is woken, the cookie
/// is cleared (with the response: [`Req::apply_cookies`]) and the request is anonymous from
/// here. Returns the applications that will not hear of it (no back-channel logout).
pub async fn end_portal_session(req: &mut Req) -> Result<Vec<Lingering>, WebError> {
    let mut lingering = Vec::new();
    if let Some(s) = req.session.take() {
        lingering = req
            .app
            .db
            .write(move |tx| {
                let lingering = crate::web::pages::cas::without_backchannel(tx, &s.sid)?;
                Session::delete(tx, &s.token_hash)?;
                Ok(lingering)
            })
            .await?;
        req.app.idp.kick();
        req.set_cookies
            .push(cookie(SESSION_COOKIE, "", req.conn.https, Some(0)));
    }
    req.principal = None;
    Ok(lingering)
}

pub async fn logout(mut req: Req) -> Result<Response, WebError> {
    let _: Csrf = req.form().await?;
    let lingering = end_portal_session(&mut req).await?;
    // Applications that will not hear of it are named, to be logged out of by hand.
    let mut resp = if lingering.is_empty() {
        redirect("/login")
    } else {
        crate::web::pages::cas::logged_out(&mut req, &lingering)?
    };
    req.apply_cookies(&mut resp);
    Ok(resp)
}

/// A form whose only field is its CSRF token.
#[derive(Deserialize)]
pub struct Csrf {
    #[allow(dead_code)]
    csrf: String,
}

/// The password page, keeping where the person was going (an application's login waits
/// behind a forced password change).
pub fn password_page(next: &str) -> String {
    if next == "/" {
        "/password".into()
    } else {
        crate::web::req::with_next("/password", next)
    }
}

pub async fn password_form(mut req: Req) -> Result<Response, WebError> {
    let forced = req.principal()?.must_change_password;
    let q: NextQuery = req.query().unwrap_or_default();
    let next = safe_next(q.next.as_deref());
    let resp = req.render(
        "password.html",
        context! { forced => forced, error => None::<String>, next => next },
    )?;
    Ok(widen_form_action(&req, &next, resp).await)
}

#[derive(Deserialize)]
struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
    next: Option<String>,
}

pub async fn change_password(mut req: Req) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let form: PasswordForm = req.form().await?;
    let forced = p.must_change_password;
    let next = safe_next(form.next.as_deref());
    let fail = |req: &mut Req, key: &str| {
        let error = req.t(key);
        req.render_status(
            StatusCode::OK,
            "password.html",
            context! { forced => forced, error => error, next => next },
        )
    };
    // The current password goes through the same throttled check as a login.
    match req
        .app
        .auth
        .login(&p.username, &form.current, req.conn.peer.ip())
        .await
    {
        Ok(_) => {}
        Err(LoginError::Invalid) => return fail(&mut req, "error.password_current_wrong"),
        Err(LoginError::Throttled(_)) => return fail(&mut req, "error.login_throttled_short"),
        Err(LoginError::Db(e)) => return Err(WebError::Internal(e.to_string())),
    }
    if form.new != form.confirm {
        return fail(&mut req, "error.password_mismatch");
    }
    if form.new == form.current {
        return fail(&mut req, "error.password_unchanged");
    }
    if let Err(e) = check_password_rules(&p.username, &form.new) {
        return fail(&mut req, e.key());
    }
    let hash = req.app.auth.hash_password(&form.new).await;
    let keep = req.session.as_ref().map(|s| s.token_hash.clone());
    let allowed = crate::auth::Allowed::for_self(&p, "change_own_password");
    req.app
        .db
        .write(move |tx| {
            Ok(crate::accounts::set_password_hash(
                tx,
                &allowed,
                p.id,
                &hash,
                false,
                keep.as_deref(),
            )?)
        })
        .await?;
    Ok(redirect(if next == "/" {
        "/?msg=password_changed"
    } else {
        &next
    }))
}
