//! Cartable as a CAS 3.0 server, driven as a browser and a CAS client would: the login
//! hand-off through the portal's form, service tickets (single use, bound to their service
//! and session), the three validation endpoints and their formats, `renew`, `gateway`, and
//! the bad input the issue lists (an unregistered service, a replayed or foreign ticket, a
//! person the application is not open to, a disabled account). phpCAS itself is driven by
//! tests/idp/.

use crate::support::*;
use cartable::auth::{Allowed, Role};
use cartable::idp::apps::{self, App, AppInput, ClaimProfile, Protocol};
use cartable::ids::ClassId;

pub const SERVICE: &str = "http://app.test/cas/index.php";

/// The application most tests use: "A", for pupils, at `http://app.test/cas/`.
async fn pupils_app(s: &TestServer) -> App {
    cas_app(
        s,
        "A",
        "http://app.test/cas/",
        vec![Role::Pupil],
        vec![],
        ClaimProfile::Standard,
    )
    .await
}

/// Registers a CAS application for `prefix`.
pub async fn cas_app(
    s: &TestServer,
    name: &str,
    prefix: &str,
    roles: Vec<Role>,
    classes: Vec<ClassId>,
    profile: ClaimProfile,
) -> App {
    let input = AppInput {
        name: name.into(),
        protocol: Some(Protocol::Cas),
        cas_services: vec![prefix.into()],
        roles,
        classes,
        claim_profile: Some(profile),
        ..Default::default()
    };
    s.running
        .app
        .db
        .write(move |tx| {
            apps::create(tx, &Allowed::system("test"), input)
                .map(|(a, _)| a)
                .map_err(|e| cartable::db::Error::Task(e.to_string()))
        })
        .await
        .unwrap()
}

fn query_of(location: &str) -> Vec<(String, String)> {
    let url = reqwest::Url::parse(location)
        .or_else(|_| reqwest::Url::parse(&format!("http://x{location}")))
        .unwrap();
    url.query_pairs().into_owned().collect()
}

fn param(location: &str, name: &str) -> Option<String> {
    query_of(location)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

pub fn login_url(service: &str, extra: &str) -> String {
    let q = serde_urlencoded::to_string([("service", service)]).unwrap();
    format!("/cas/login?{q}{extra}")
}

/// Logs in on the portal's form with `next`, as the form carries it.
pub async fn login_with_next(
    s: &TestServer,
    c: &reqwest::Client,
    user: &str,
    next: &str,
) -> String {
    let csrf = csrf_for(c, &s.base, "/login").await;
    let r = c
        .post(s.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", user),
            ("password", PASSWORD),
            ("next", next),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "login of {user}");
    location(&r)
}

/// `/cas/login` for `service` (with `extra` parameters), through the login form if asked:
/// returns the final response (the redirect to the service, or a page).
pub async fn cas_login(
    s: &TestServer,
    c: &reqwest::Client,
    user: &str,
    service: &str,
    extra: &str,
) -> reqwest::Response {
    let r = c
        .get(s.url(&login_url(service, extra)))
        .send()
        .await
        .unwrap();
    let to = location(&r);
    if r.status() != 303 || !to.starts_with("/login?") {
        return r;
    }
    let next = param(&to, "next").expect("the login form comes back here");
    assert!(next.starts_with("/cas/login?"), "{next}");
    let back = login_with_next(s, c, user, &next).await;
    assert_eq!(back, next, "the login goes back to /cas/login");
    c.get(s.url(&back)).send().await.unwrap()
}

/// The ticket in a redirect to `service`.
pub fn ticket_in(r: &reqwest::Response, service: &str) -> String {
    assert_eq!(r.status(), 302, "a redirect to the service");
    let to = location(r);
    assert!(to.starts_with(&format!("{service}?ticket=ST-")), "{to}");
    param(&to, "ticket").unwrap()
}

async fn validate(s: &TestServer, path: &str, service: &str, ticket: &str, extra: &str) -> String {
    let q = serde_urlencoded::to_string([("service", service), ("ticket", ticket)]).unwrap();
    let r = plain_client()
        .get(s.url(&format!("{path}?{q}{extra}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "CAS answers 200 even to a failure");
    r.text().await.unwrap()
}

async fn grants(s: &TestServer) -> Vec<(String, String, String, String)> {
    s.running
        .app
        .db
        .read(|c| {
            let mut stmt = c.prepare(
                "SELECT kind, COALESCE(cas_ticket, ''), COALESCE(service, ''), iss FROM idp_grants ORDER BY id",
            )?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pupil_logs_in_through_the_portal_and_the_service_learns_the_ent_attributes() {
    let s = TestServer::start().await;
    let pupil = s.user("c.pupil", Role::Pupil).await;
    let class = s.class("6e A").await;
    s.add_member(class, pupil).await;
    cas_app(
        &s,
        "Moodle",
        "http://app.test/cas/",
        vec![Role::Pupil],
        vec![class],
        ClaimProfile::EntFr,
    )
    .await;
    let c = s.client();
    let r = cas_login(&s, &c, "c.pupil", SERVICE, "").await;
    let ticket = ticket_in(&r, SERVICE);
    assert!(ticket.len() >= 32);
    assert!(
        grants(&s).await.is_empty(),
        "nothing written before validation"
    );

    let xml = validate(&s, "/cas/p3/serviceValidate", SERVICE, &ticket, "").await;
    assert!(
        xml.contains("<cas:authenticationSuccess><cas:user>c.pupil</cas:user>"),
        "{xml}"
    );
    assert!(xml.contains("<cas:ENTClasse>6e A</cas:ENTClasse>"), "{xml}");
    assert!(
        xml.contains("<cas:ENTPersonProfils>National_ELV</cas:ENTPersonProfils>"),
        "{xml}"
    );
    assert!(xml.contains("<cas:groups>class:6e A</cas:groups>"), "{xml}");
    assert!(
        xml.contains("<cas:isFromNewLogin>true</cas:isFromNewLogin>"),
        "{xml}"
    );
    let g = grants(&s).await;
    assert_eq!(g.len(), 1);
    assert_eq!(
        g[0],
        (
            "cas".into(),
            ticket.clone(),
            SERVICE.into(),
            format!("{}/cas", s.base)
        )
    );

    // Replayed: refused, and nothing more is written.
    let again = validate(&s, "/cas/p3/serviceValidate", SERVICE, &ticket, "").await;
    assert!(
        again.contains(r#"<cas:authenticationFailure code="INVALID_TICKET">"#),
        "{again}"
    );
    assert_eq!(grants(&s).await.len(), 1);

    // Single sign-on: the next login needs no password, and is not "from a new login".
    let r = c.get(s.url(&login_url(SERVICE, ""))).send().await.unwrap();
    let ticket = ticket_in(&r, SERVICE);
    let xml = validate(&s, "/cas/serviceValidate", SERVICE, &ticket, "").await;
    assert!(xml.contains("<cas:user>c.pupil</cas:user>"), "{xml}");
    assert!(
        xml.contains("<cas:isFromNewLogin>false</cas:isFromNewLogin>"),
        "{xml}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_and_cas_1_answers() {
    let s = TestServer::start().await;
    s.user("c.teacher", Role::Teacher).await;
    cas_app(
        &s,
        "Wiki",
        "http://app.test/cas/",
        vec![Role::Teacher],
        vec![],
        ClaimProfile::Standard,
    )
    .await;
    let c = s.client();
    let r = cas_login(&s, &c, "c.teacher", SERVICE, "").await;
    let ticket = ticket_in(&r, SERVICE);
    let json = validate(
        &s,
        "/cas/p3/serviceValidate",
        SERVICE,
        &ticket,
        "&format=JSON",
    )
    .await;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let ok = &v["serviceResponse"]["authenticationSuccess"];
    assert_eq!(ok["user"], "c.teacher", "{json}");
    assert_eq!(ok["attributes"]["role"], serde_json::json!(["teacher"]));
    assert!(
        ok["attributes"].get("ENTClasse").is_none(),
        "standard profile: {json}"
    );
    let json = validate(
        &s,
        "/cas/p3/serviceValidate",
        SERVICE,
        &ticket,
        "&format=JSON",
    )
    .await;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["serviceResponse"]["authenticationFailure"]["code"],
        "INVALID_TICKET"
    );

    let r = c.get(s.url(&login_url(SERVICE, ""))).send().await.unwrap();
    let ticket = ticket_in(&r, SERVICE);
    assert_eq!(
        validate(&s, "/cas/validate", SERVICE, &ticket, "").await,
        "yes\nc.teacher\n"
    );
    assert_eq!(
        validate(&s, "/cas/validate", SERVICE, &ticket, "").await,
        "no\n\n"
    );

    // Malformed requests: the specification's INVALID_REQUEST, and no ticket is used up.
    let r = c.get(s.url(&login_url(SERVICE, ""))).send().await.unwrap();
    let ticket = ticket_in(&r, SERVICE);
    let bad = plain_client();
    for q in [
        format!("ticket={ticket}"),
        "service=http%3A%2F%2Fapp.test%2Fcas%2Findex.php".to_owned(),
        format!("service=x&service=y&ticket={ticket}"),
        "%%%".to_owned(),
    ] {
        let body = bad
            .get(s.url(&format!("/cas/serviceValidate?{q}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(body.contains(r#"code="INVALID_REQUEST""#), "{q}: {body}");
    }
    let r = c.get(s.url(&login_url(SERVICE, ""))).send().await.unwrap();
    let other = ticket_in(&r, SERVICE);
    let xml = validate(&s, "/cas/p3/proxyValidate", SERVICE, &other, "").await;
    assert!(xml.contains("<cas:user>c.teacher</cas:user>"), "{xml}");
    let xml = validate(&s, "/cas/serviceValidate", SERVICE, "PT-123", "").await;
    assert!(xml.contains(r#"code="INVALID_TICKET_SPEC""#), "{xml}");
    let xml = validate(&s, "/cas/serviceValidate", SERVICE, &ticket, "").await;
    assert!(xml.contains("<cas:user>c.teacher</cas:user>"), "{xml}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_for_another_service_is_refused_and_used_up() {
    let s = TestServer::start().await;
    s.user("c.pupil", Role::Pupil).await;
    pupils_app(&s).await;
    cas_app(
        &s,
        "B",
        "http://other.test/",
        vec![Role::Pupil],
        vec![],
        ClaimProfile::Standard,
    )
    .await;
    let c = s.client();
    let ticket = ticket_in(&cas_login(&s, &c, "c.pupil", SERVICE, "").await, SERVICE);
    let xml = validate(
        &s,
        "/cas/serviceValidate",
        "http://other.test/",
        &ticket,
        "",
    )
    .await;
    assert!(xml.contains(r#"code="INVALID_SERVICE""#), "{xml}");
    let xml = validate(&s, "/cas/serviceValidate", SERVICE, &ticket, "").await;
    assert!(xml.contains(r#"code="INVALID_TICKET""#), "consumed: {xml}");
    assert!(grants(&s).await.is_empty(), "nothing recorded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unregistered_service_gets_a_cartable_page_and_no_redirect() {
    let s = TestServer::start().await;
    s.set_default_language("en").await;
    s.user("c.pupil", Role::Pupil).await;
    cas_app(
        &s,
        "A",
        "http://app.test/cas",
        vec![Role::Pupil],
        vec![],
        ClaimProfile::Standard,
    )
    .await;
    let anonymous = s.client();
    let logged = s.logged_in("c.pupil").await;
    for service in [
        "http://evil.test/cas/index.php",
        "http://app.test/cas-evil/",
        "javascript:alert(1)",
        "http://app.test/cas#x",
    ] {
        for c in [&anonymous, &logged] {
            let r = c.get(s.url(&login_url(service, ""))).send().await.unwrap();
            assert_eq!(r.status(), 400, "{service}");
            assert!(r.headers().get("location").is_none());
            let body = r.text().await.unwrap();
            assert!(body.contains("does not know the application"), "{body}");
        }
    }
    // A malformed query is a plain bad request.
    let r = logged
        .get(s.url("/cas/login?service=%%"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_the_application_is_not_open_to_gets_a_403_page_without_a_loop() {
    let s = TestServer::start().await;
    s.set_default_language("en").await;
    let pupil = s.user("c.pupil", Role::Pupil).await;
    let other = s.user("c.other", Role::Pupil).await;
    s.user("c.parent", Role::Parent).await;
    let a = s.class("6e A").await;
    let b = s.class("6e B").await;
    s.add_member(a, pupil).await;
    s.add_member(b, other).await;
    cas_app(
        &s,
        "Moodle 6e A",
        "http://app.test/cas/",
        vec![Role::Pupil],
        vec![a],
        ClaimProfile::Standard,
    )
    .await;
    for user in ["c.other", "c.parent"] {
        let c = s.client();
        let r = cas_login(&s, &c, user, SERVICE, "").await;
        assert_eq!(r.status(), 403, "{user}");
        assert!(r.headers().get("location").is_none());
        assert!(
            crate::support::plain(&r.text().await.unwrap()).contains("may not use Moodle 6e A")
        );
        // Logged in now: the same page at once, still no loop.
        let r = c.get(s.url(&login_url(SERVICE, ""))).send().await.unwrap();
        assert_eq!(r.status(), 403);
        // gateway never shows a page: back to the service without a ticket.
        let r = c
            .get(s.url(&login_url(SERVICE, "&gateway=true")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 302);
        assert_eq!(location(&r), SERVICE);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn renew_asks_for_the_password_again_and_validation_can_require_it() {
    let s = TestServer::start().await;
    s.user("c.pupil", Role::Pupil).await;
    pupils_app(&s).await;
    let c = s.logged_in("c.pupil").await;
    // A ticket from the session: not good enough for a validation with renew.
    let r = c.get(s.url(&login_url(SERVICE, ""))).send().await.unwrap();
    let ticket = ticket_in(&r, SERVICE);
    let xml = validate(&s, "/cas/serviceValidate", SERVICE, &ticket, "&renew=true").await;
    assert!(xml.contains(r#"code="INVALID_TICKET""#), "{xml}");

    // renew=true: the session ends, the login form comes, then a ticket from that login.
    let r = c
        .get(s.url(&login_url(SERVICE, "&renew=true")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to = location(&r);
    assert!(to.starts_with("/login?next="), "{to}");
    let home = c.get(s.url("/")).send().await.unwrap();
    assert_eq!(home.status(), 303, "the portal session has ended");
    let next = param(&to, "next").unwrap();
    assert!(next.contains("renew=true"), "{next}");
    let back = login_with_next(&s, &c, "c.pupil", &next).await;
    let r = c.get(s.url(&back)).send().await.unwrap();
    let ticket = ticket_in(&r, SERVICE);
    let xml = validate(&s, "/cas/serviceValidate", SERVICE, &ticket, "&renew=true").await;
    assert!(xml.contains("<cas:user>c.pupil</cas:user>"), "{xml}");
    assert!(
        xml.contains("<cas:isFromNewLogin>true</cas:isFromNewLogin>"),
        "{xml}"
    );
    // The way back cannot be replayed to skip the password: the mark is used up.
    let r = c.get(s.url(&back)).send().await.unwrap();
    assert_eq!(r.status(), 303, "renew again asks for the password");
    assert!(location(&r).starts_with("/login?"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_without_a_session_goes_back_without_a_ticket() {
    let s = TestServer::start().await;
    s.user("c.pupil", Role::Pupil).await;
    pupils_app(&s).await;
    let c = s.client();
    let r = c
        .get(s.url(&login_url(SERVICE, "&gateway=true")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    assert_eq!(location(&r), SERVICE);
    let c = s.logged_in("c.pupil").await;
    let service = "http://app.test/cas/index.php?course=3";
    let r = c
        .get(s.url(&login_url(service, "&gateway=true")))
        .send()
        .await
        .unwrap();
    let to = location(&r);
    assert!(to.starts_with(&format!("{service}&ticket=ST-")), "{to}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_dies_with_its_session_and_a_disabled_account() {
    let s = TestServer::start().await;
    let pupil = s.user("c.pupil", Role::Pupil).await;
    s.user("c.admin", Role::Admin).await;
    pupils_app(&s).await;
    // Logged out at the portal before the service validates.
    let c = s.logged_in("c.pupil").await;
    let ticket = ticket_in(
        &c.get(s.url(&login_url(SERVICE, ""))).send().await.unwrap(),
        SERVICE,
    );
    let csrf = csrf_in(&page_text(&c, s.url("/")).await);
    c.post(s.url("/logout"))
        .form(&[("csrf", csrf)])
        .send()
        .await
        .unwrap();
    let xml = validate(&s, "/cas/serviceValidate", SERVICE, &ticket, "").await;
    assert!(xml.contains(r#"code="INVALID_TICKET""#), "{xml}");

    // Disabled by the office between the ticket and its validation.
    let c = s.logged_in("c.pupil").await;
    let ticket = ticket_in(
        &c.get(s.url(&login_url(SERVICE, ""))).send().await.unwrap(),
        SERVICE,
    );
    s.running
        .app
        .db
        .write(move |tx| {
            cartable::accounts::set_disabled(tx, &Allowed::system("test"), pupil, true)
                .map_err(|e| cartable::db::Error::Task(e.to_string()))
        })
        .await
        .unwrap();
    let xml = validate(&s, "/cas/serviceValidate", SERVICE, &ticket, "").await;
    assert!(xml.contains(r#"code="INVALID_TICKET""#), "{xml}");
    // And cannot log in to get another.
    let c = s.client();
    let r = c.get(s.url(&login_url(SERVICE, ""))).send().await.unwrap();
    let next = param(&location(&r), "next").unwrap();
    let csrf = csrf_for(&c, &s.base, "/login").await;
    let r = c
        .post(s.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "c.pupil"),
            ("password", PASSWORD),
            ("next", &next),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the login form again");
    assert!(grants(&s).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cas_logout_ends_the_session_and_goes_back_only_to_a_registered_service() {
    let s = TestServer::start().await;
    s.set_default_language("en").await;
    let pupil = s.user("c.pupil", Role::Pupil).await;
    pupils_app(&s).await;
    let c = s.logged_in("c.pupil").await;
    let r = c
        .get(s.url("/cas/logout?service=http%3A%2F%2Fapp.test%2Fcas%2Fbye"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    assert_eq!(location(&r), "http://app.test/cas/bye");
    assert_eq!(
        c.get(s.url("/")).send().await.unwrap().status(),
        303,
        "logged out"
    );

    // An OpenID Connect application without back-channel logout is listed on the page.
    let oidc = AppInput {
        name: "Old Wiki".into(),
        protocol: Some(Protocol::Oidc),
        redirect_uris: vec!["http://wiki.test/cb".into()],
        logout_url: "http://wiki.test/logout".into(),
        roles: vec![Role::Pupil],
        ..Default::default()
    };
    let c = s.logged_in("c.pupil").await;
    s.running
        .app
        .db
        .write(move |tx| {
            let (app, _) = apps::create(tx, &Allowed::system("test"), oidc)
                .map_err(|e| cartable::db::Error::Task(e.to_string()))?;
            tx.execute(
                "INSERT INTO idp_grants (app_id, user_id, session_sid, kind, iss, created_at)
                 SELECT ?1, ?2, sid, 'oidc', 'http://x', 0 FROM sessions WHERE user_id = ?2",
                rusqlite::params![app.id, pupil],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let r = c
        .get(s.url("/cas/logout?url=http%3A%2F%2Fevil.test%2F"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        200,
        "an unregistered address: the page, no redirect"
    );
    let body = r.text().await.unwrap();
    assert!(body.contains("You are logged out"), "{body}");
    assert!(
        body.contains(
            r#"<a href="http:&#x2f;&#x2f;wiki.test&#x2f;logout"><bdi>Old Wiki</bdi></a>"#
        ),
        "{body}"
    );
    assert_eq!(
        c.get(s.url("/")).send().await.unwrap().status(),
        303,
        "logged out"
    );
}

/// Browsers check `form-action` along the redirects after the login form: the login page of a
/// CAS login allows the service's origin, and only a registered one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_page_of_a_cas_login_may_end_at_the_service() {
    let s = TestServer::start().await;
    cas_app(
        &s,
        "A",
        "http://app.test:8080/cas/",
        vec![Role::Pupil],
        vec![],
        ClaimProfile::Standard,
    )
    .await;
    let c = s.client();
    let csp = |r: &reqwest::Response| {
        r.headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let service = "http://app.test:8080/cas/index.php";
    let r = c.get(s.url(&login_url(service, ""))).send().await.unwrap();
    let page = c.get(s.url(&location(&r))).send().await.unwrap();
    assert!(
        csp(&page).contains("form-action 'self' http://app.test:8080;"),
        "{}",
        csp(&page)
    );
    let next =
        serde_urlencoded::to_string([("next", "/cas/login?service=http%3A%2F%2Fevil.test%2F")])
            .unwrap();
    let page = c
        .get(s.url(&format!("/login?{next}")))
        .send()
        .await
        .unwrap();
    assert!(csp(&page).contains("form-action 'self';"), "{}", csp(&page));
}
