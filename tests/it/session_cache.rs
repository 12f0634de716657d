//! Sessions and logins are remembered in memory (`auth::cache`); these check that every way a
//! credential stops working takes effect on the very next request, at the web, WebDAV and SMTP
//! submission doors, with the memory warm: logout, a password change, an admin's reset, a
//! disabled account, a role change, a class change, and the same from the command line (a
//! separate process, as a maintainer over SSH).

use crate::smtp::{Client, domain, port};
use crate::support::{PASSWORD, TestServer, csrf_for, location, login, plain_client};
use cartable::auth::Role;
use cartable::smtp::Kind;
use reqwest::Method;

const NEW_PASSWORD: &str = "a-new-password-for-real";

/// One person at the three doors: a browser session, a WebDAV client, and a mail client
/// that authenticated once and keeps its connection open.
struct Doors {
    user: &'static str,
    cookie: String,
    smtp: Client,
}

async fn web(s: &TestServer, cookie: &str, path: &str) -> reqwest::Response {
    plain_client()
        .get(s.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

async fn dav(s: &TestServer, user: &str, password: &str) -> (u16, String) {
    let r = plain_client()
        .request(Method::from_bytes(b"PROPFIND").unwrap(), s.url("/dav/"))
        .basic_auth(user, Some(password))
        .header("Depth", "1")
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn smtp_login(s: &TestServer, user: &str, password: &str) -> (Client, String) {
    let (mut c, _) = Client::connect(port(s, Kind::Submission)).await;
    c.cmd("EHLO client.test").await;
    let r = c.login(user, password).await;
    (c, r)
}

/// MAIL FROM the person's own address, then RSET: the reply to MAIL.
async fn smtp_mail(s: &TestServer, c: &mut Client, user: &str) -> String {
    let r = c.cmd(&format!("MAIL FROM:<{user}@{}>", domain(s))).await;
    c.cmd("RSET").await;
    r
}

impl Doors {
    /// Logs `user` in at every door and uses each twice, so that memory holds them.
    async fn open(s: &TestServer, user: &'static str) -> Doors {
        let r = login(&s.client(), &s.base, user, PASSWORD).await;
        assert_eq!(r.status(), 303, "{user} logs in");
        let cookie = crate::support::session_cookie(&r);
        for _ in 0..2 {
            assert_eq!(web(s, &cookie, "/").await.status(), 200);
            assert_eq!(dav(s, user, PASSWORD).await.0, 207);
        }
        let (mut smtp, r) = smtp_login(s, user, PASSWORD).await;
        assert!(r.starts_with("235"), "{r}");
        assert!(smtp_mail(s, &mut smtp, user).await.starts_with("250"));
        let (sessions, logins) = s.running.app.auth.cache.len();
        assert!(sessions >= 1 && logins >= 1, "memory is warm");
        Doors { user, cookie, smtp }
    }

    /// Every door refuses what this person had: the cookie, the password, the open mail
    /// connection's next message.
    async fn all_refused(&mut self, s: &TestServer, why: &str) {
        let r = web(s, &self.cookie, "/profile").await;
        assert_eq!(r.status(), 303, "{why}: the old cookie");
        assert_eq!(location(&r), "/login?next=%2Fprofile", "{why}");
        assert_eq!(
            dav(s, self.user, PASSWORD).await.0,
            401,
            "{why}: WebDAV with the old password"
        );
        let r = smtp_mail(s, &mut self.smtp, self.user).await;
        assert!(r.starts_with("530"), "{why}: the open SMTP connection: {r}");
        let (_, r) = smtp_login(s, self.user, PASSWORD).await;
        assert!(
            r.starts_with("535"),
            "{why}: SMTP AUTH with the old password: {r}"
        );
    }
}

async fn admin_client(s: &TestServer) -> reqwest::Client {
    s.user("the.admin", Role::Admin).await;
    s.logged_in("the.admin").await
}

/// Posts the admin's account form for `id` with `fields` (first and last name kept).
async fn admin_edit(s: &TestServer, admin: &reqwest::Client, id: i64, fields: &[(&str, &str)]) {
    let path = format!("/admin/users/{id}");
    let csrf = csrf_for(admin, &s.base, &path).await;
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("first_name", "Test"),
        ("last_name", "x"),
    ];
    form.extend_from_slice(fields);
    let r = admin.post(s.url(&path)).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 303, "the admin's change is saved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_ends_the_cookie_at_once_and_only_that_one() {
    let s = TestServer::start().await;
    s.user("awa", Role::Pupil).await;
    let d = Doors::open(&s, "awa").await;
    let other = Doors::open(&s, "awa").await;
    let c = plain_client();
    let page = web(&s, &d.cookie, "/").await.text().await.unwrap();
    let csrf = crate::support::csrf_in(&page);
    let r = c
        .post(s.url("/logout"))
        .header("cookie", &d.cookie)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(web(&s, &d.cookie, "/").await.status(), 303, "logged out");
    assert_eq!(
        web(&s, &other.cookie, "/").await.status(),
        200,
        "the other device"
    );
    // Logging out of the portal is not changing the password: the mail client goes on.
    assert_eq!(dav(&s, "awa", PASSWORD).await.0, 207);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_ends_the_old_password_and_the_other_sessions() {
    let s = TestServer::start().await;
    s.user("kofi", Role::Teacher).await;
    let mut d = Doors::open(&s, "kofi").await;
    // The change is made from another browser, which stays logged in.
    let r = login(&s.client(), &s.base, "kofi", PASSWORD).await;
    let changer = crate::support::session_cookie(&r);
    let page = web(&s, &changer, "/password").await.text().await.unwrap();
    let csrf = crate::support::csrf_in(&page);
    let r = plain_client()
        .post(s.url("/password"))
        .header("cookie", &changer)
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", PASSWORD),
            ("new", NEW_PASSWORD),
            ("confirm", NEW_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "the password is changed");
    d.all_refused(&s, "password changed").await;
    assert_eq!(
        web(&s, &changer, "/").await.status(),
        200,
        "the changing session"
    );
    assert_eq!(dav(&s, "kofi", NEW_PASSWORD).await.0, 207);
    let (_, r) = smtp_login(&s, "kofi", NEW_PASSWORD).await;
    assert!(r.starts_with("235"), "{r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admins_reset_and_disabling_end_every_door() {
    let s = TestServer::start().await;
    let admin = admin_client(&s).await;
    let reset = s.user("lea", Role::Pupil).await;
    let disabled = s.user("hugo", Role::Pupil).await;
    let mut lea = Doors::open(&s, "lea").await;
    let mut hugo = Doors::open(&s, "hugo").await;

    let path = format!("/admin/users/{}/password", reset.0);
    let csrf = csrf_for(&admin, &s.base, &format!("/admin/users/{}", reset.0)).await;
    let r = admin
        .post(s.url(&path))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the new password is shown");
    lea.all_refused(&s, "password reset").await;

    admin_edit(
        &s,
        &admin,
        disabled.0,
        &[("role", "pupil"), ("disabled", "on")],
    )
    .await;
    hugo.all_refused(&s, "account disabled").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_change_is_seen_on_the_next_request_at_every_door() {
    let s = TestServer::start().await;
    let admin = admin_client(&s).await;
    let id = s.user("m.sankara", Role::Teacher).await;
    let mut d = Doors::open(&s, "m.sankara").await;
    assert_eq!(web(&s, &d.cookie, "/admin/").await.status(), 200);
    assert!(
        dav(&s, "m.sankara", PASSWORD)
            .await
            .1
            .contains("/dav/Staff/")
    );

    admin_edit(&s, &admin, id.0, &[("role", "pupil")]).await;

    // The same cookie and password, a pupil's rights from the very next request.
    assert_eq!(web(&s, &d.cookie, "/admin/").await.status(), 403);
    let (status, listing) = dav(&s, "m.sankara", PASSWORD).await;
    assert_eq!(status, 207);
    assert!(!listing.contains("/dav/Staff/"), "the staff room is gone");
    // The open mail connection goes on with the new principal.
    assert!(
        smtp_mail(&s, &mut d.smtp, "m.sankara")
            .await
            .starts_with("250")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_class_change_is_seen_on_the_next_request() {
    let s = TestServer::start().await;
    let pupil = s.user("ines", Role::Pupil).await;
    let class = s.class("5e B").await;
    let d = Doors::open(&s, "ines").await;
    assert!(!dav(&s, "ines", PASSWORD).await.1.contains("Classes"));
    s.add_member(class, pupil).await;
    let listing = dav(&s, "ines", PASSWORD).await.1;
    assert!(listing.contains("/dav/Classes/"), "{listing}");
    let page = web(&s, &d.cookie, "/files").await.text().await.unwrap();
    assert!(page.contains("5e B"), "the class's space is listed");
}

/// `cartable user ...` run as a maintainer would, a separate process on the same data.
fn cli(s: &TestServer, args: &[&str], stdin: Option<&str>) {
    let out = crate::support::process::cartable(s.dir.path(), args, stdin);
    assert!(
        out.status.success(),
        "cartable {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_is_heard_at_once_though_it_is_another_process() {
    let s = TestServer::start().await;
    s.user("yao", Role::Pupil).await;
    s.user("ngozi", Role::Teacher).await;
    let mut yao = Doors::open(&s, "yao").await;
    let mut ngozi = Doors::open(&s, "ngozi").await;

    cli(&s, &["user", "disable", "yao"], None);
    yao.all_refused(&s, "disabled from the command line").await;

    cli(
        &s,
        &["user", "passwd", "ngozi", "--password-stdin"],
        Some(&format!("{NEW_PASSWORD}\n")),
    );
    ngozi
        .all_refused(&s, "password set from the command line")
        .await;
    assert_eq!(dav(&s, "ngozi", NEW_PASSWORD).await.0, 207);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn last_use_is_written_in_batches_not_per_request() {
    let s = TestServer::start().await;
    s.user("oumar", Role::Pupil).await;
    let d = Doors::open(&s, "oumar").await;
    let last_seen = || async {
        s.running
            .app
            .db
            .read(
                |c| Ok(c.query_row("SELECT last_seen FROM sessions", [], |r| r.get::<_, i64>(0))?),
            )
            .await
            .unwrap()
    };
    let before = cartable::now() - 3600;
    s.running
        .app
        .db
        .write(move |tx| Ok(tx.execute("UPDATE sessions SET last_seen = ?1", [before])?))
        .await
        .unwrap();
    for _ in 0..5 {
        assert_eq!(web(&s, &d.cookie, "/").await.status(), 200);
    }
    assert_eq!(last_seen().await, before, "no write per request");
    s.running.app.auth.save_session_uses().await.unwrap();
    assert!(
        last_seen().await >= cartable::now() - 5,
        "the batch wrote it"
    );
}
