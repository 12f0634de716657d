//! The application registry (issue #15, item 1): `cartable app ...` and `/admin/apps` write
//! the same records with the same rules; a client secret is shown once and works until it is
//! replaced; bad input changes nothing; only admins reach the pages; each person's dashboard
//! shows the applications they may use, and no other.

use crate::support::oidc::count;
use crate::support::process::cartable;
use crate::support::*;
use cartable::auth::{Allowed, Role};
use cartable::idp::apps::{self, App};
use cartable::ids::ClassId;

/// A page's text with minijinja's escaped slashes put back.
async fn text(c: &reqwest::Client, url: String) -> String {
    page_text(c, url).await.replace("&#x2f;", "/")
}

fn run(s: &TestServer, args: &[&str]) -> (bool, String, String) {
    let out = cartable(s.dir.path(), args, None);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn app(s: &TestServer, slug: &str) -> Option<App> {
    let slug = slug.to_owned();
    s.running
        .app
        .db
        .read(move |c| Ok(apps::by_slug(c, &slug)))
        .await
        .unwrap()
        .unwrap()
}

/// A class of the school year the settings name (what `--class` and the form offer).
async fn class_this_year(s: &TestServer, name: &str) -> ClassId {
    let name = name.to_owned();
    let year = s.running.app.settings().school_year.clone();
    s.running
        .app
        .db
        .write(move |tx| {
            Ok(cartable::accounts::create_class(
                tx,
                &Allowed::system("test"),
                &name,
                &year,
            )?)
        })
        .await
        .unwrap()
}

/// The secret printed on a page, between `<code class="secret" ...>` and `</code>`.
fn secret_in(html: &str) -> Option<String> {
    let at = html.find("<code class=\"secret\"")?;
    let at = at + html[at..].find('>')? + 1;
    Some(html[at..].split('<').next()?.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_and_the_pages_agree_and_a_secret_is_shown_once() {
    let s = TestServer::start().await;
    s.user("r.admin", Role::Admin).await;
    class_this_year(&s, "6e A").await;
    let admin = s.logged_in("r.admin").await;

    // The command line registers Moodle from its preset; the page shows it, and what to paste.
    let (ok, out, err) = run(
        &s,
        &[
            "app",
            "add",
            "--preset",
            "moodle",
            "--base",
            "https://moodle.test",
            "--role",
            "pupil",
            "--class",
            "6e A",
        ],
    );
    assert!(ok, "{err}");
    assert!(out.contains("client_id: moodle\n"), "{out}");
    let first = out
        .lines()
        .find_map(|l| l.strip_prefix("client_secret: "))
        .expect("a confidential client's secret")
        .to_owned();
    let moodle = app(&s, "moodle").await.unwrap();
    assert!(moodle.secret_matches(&first));
    assert_eq!(
        moodle.redirect_uris,
        vec!["https://moodle.test/admin/oauth2callback.php"]
    );
    let list = text(&admin, s.url("/admin/apps")).await;
    assert!(list.contains("Moodle") && list.contains(&format!("/admin/apps/{}", moodle.id)));
    let page = text(&admin, s.url(&format!("/admin/apps/{}", moodle.id))).await;
    let host = &s.running.app.settings().host_names[0];
    for needle in [
        format!("https://{host}/.well-known/openid-configuration"),
        "https://moodle.test/admin/oauth2callback.php".into(),
        "href=\"/ca\"".into(),
        ">moodle<".into(),
    ] {
        assert!(page.contains(&needle), "{needle} missing from the app page");
    }
    assert!(!page.contains(&first), "the secret is never shown again");
    // The preset chooser on the application's page fills from what it holds, saving nothing.
    let csrf = csrf_in(&page);
    let r = admin
        .post(s.url(&format!("/admin/apps/{}", moodle.id)))
        .form(&[
            ("csrf", csrf.as_str()),
            ("preset", "nextcloud"),
            ("base", "https://cloud.test"),
            ("action", "fill"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let filled = r.text().await.unwrap().replace("&#x2f;", "/");
    assert!(filled.contains("https://cloud.test/apps/user_oidc/code"));
    assert!(filled.contains("value=\"Moodle\""), "the name stays");
    assert_eq!(
        app(&s, "moodle").await.unwrap().updated_at,
        moodle.updated_at
    );
    assert!(secret_in(&page).is_none());

    // The page registers a CAS application, the preset filled on the server first.
    let csrf = csrf_for(&admin, &s.base, "/admin/apps/new").await;
    let fill = admin
        .post(s.url("/admin/apps/new"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("preset", "moodle-cas"),
            ("base", "https://cas-app.test"),
            ("name", ""),
            ("protocol", "oidc"),
            ("action", "fill"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(fill.status(), 200);
    let filled = fill.text().await.unwrap().replace("&#x2f;", "/");
    assert!(
        filled.contains("https://cas-app.test/login/index.php"),
        "{filled}"
    );
    assert!(filled.contains("value=\"Moodle (CAS)\""));
    let made = admin
        .post(s.url("/admin/apps/new"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "Bibliothèque"),
            ("slug", ""),
            ("protocol", "cas"),
            (
                "cas_services",
                "https://cas-app.test/login\r\nhttps://cas-app.test/other",
            ),
            ("roles", "teacher"),
            ("roles", "pupil"),
            ("claims", "ent_fr"),
            ("action", "save"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), 200);
    let made = made.text().await.unwrap().replace("&#x2f;", "/");
    assert!(
        made.contains(&format!("https://{host}/cas")),
        "CAS base URL shown"
    );
    assert!(
        secret_in(&made).is_none(),
        "a CAS application has no secret"
    );
    let (ok, out, _) = run(&s, &["app", "list"]);
    assert!(ok);
    assert_eq!(
        out,
        "bibliotheque\tcas\tBibliothèque\nmoodle\toidc\tMoodle\n"
    );
    let (ok, out, _) = run(&s, &["app", "show", "bibliotheque"]);
    assert!(ok);
    assert!(out.contains("service: https://cas-app.test/other"), "{out}");
    assert!(
        out.contains("roles: teacher, pupil") && out.contains("claims: ent_fr"),
        "{out}"
    );
    assert!(
        out.contains(&format!("cas_base_url: https://{host}/cas")),
        "{out}"
    );

    // A confidential OIDC client made on the page: its secret on that page only, and it works.
    let made = admin
        .post(s.url("/admin/apps/new"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "Wiki"),
            ("protocol", "oidc"),
            ("redirect_uris", "https://wiki.test/cb"),
            ("roles", "teacher"),
            ("claims", "standard"),
            ("action", "save"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let wiki_secret = secret_in(&made).expect("the new secret, once");
    let wiki = app(&s, "wiki").await.unwrap();
    assert!(wiki.secret_matches(&wiki_secret));
    let again = text(&admin, s.url(&format!("/admin/apps/{}", wiki.id))).await;
    assert!(!again.contains(&wiki_secret));

    // A new secret from the page, then one from the command line: each replaces the last.
    let r = admin
        .post(s.url(&format!("/admin/apps/{}/secret", wiki.id)))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let second = secret_in(&r).expect("the replaced secret, once");
    let (ok, out, _) = run(&s, &["app", "secret", "wiki"]);
    assert!(ok);
    let third = out
        .lines()
        .find_map(|l| l.strip_prefix("client_secret: "))
        .unwrap()
        .to_owned();
    let wiki = app(&s, "wiki").await.unwrap();
    assert!(wiki.secret_matches(&third));
    assert!(!wiki.secret_matches(&second) && !wiki.secret_matches(&wiki_secret));

    // Edited on the page, seen by the command line; removed by the command line, gone from
    // the page.
    let r = admin
        .post(s.url(&format!("/admin/apps/{}", wiki.id)))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "Wiki de l'école"),
            ("protocol", "oidc"),
            (
                "redirect_uris",
                "https://wiki.test/cb\nhttps://wiki.test/cb2",
            ),
            ("roles", "teacher"),
            ("claims", "standard"),
            ("disabled", "on"),
            ("action", "save"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, out, _) = run(&s, &["app", "show", "wiki"]);
    assert!(
        out.contains("name: Wiki de l'école") && out.contains("disabled: yes"),
        "{out}"
    );
    assert!(out.contains("redirect_uri: https://wiki.test/cb2"), "{out}");
    assert!(!out.contains(&third), "show never prints the secret");
    let (ok, _, _) = run(&s, &["app", "remove", "wiki"]);
    assert!(ok);
    let r = admin
        .get(s.url(&format!("/admin/apps/{}", wiki.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // Every change is in the audit log, by the admin or the system.
    let rows = count(
        &s,
        "SELECT count(*) FROM audit_log WHERE action = 'manage_apps' AND target LIKE 'app %'",
    )
    .await;
    // moodle add, bibliotheque add, wiki add, page secret, cli secret, edit, remove
    assert_eq!(rows, 7);
    let by_admin = count(
        &s,
        "SELECT count(*) FROM audit_log WHERE action = 'manage_apps' AND actor = 'r.admin'",
    )
    .await;
    assert_eq!(by_admin, 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_with_nothing_changed() {
    let s = TestServer::start().await;
    s.user("b.admin", Role::Admin).await;
    let (ok, _, err) = run(
        &s,
        &[
            "app",
            "add",
            "--name",
            "Kiwix",
            "--protocol",
            "proxy",
            "--internal-url",
            "http://127.0.0.1:9/",
            "--role",
            "pupil",
        ],
    );
    assert!(ok, "{err}");
    let before_apps = count(&s, "SELECT count(*) FROM apps").await;
    let before_audit = count(&s, "SELECT count(*) FROM audit_log").await;
    let kiwix = app(&s, "kiwix").await.unwrap();
    for args in [
        vec!["app", "add", "--name", "X", "--protocol", "oidc"],
        vec!["app", "add", "--name", "X", "--protocol", "smtp"],
        vec![
            "app",
            "add",
            "--name",
            "X",
            "--protocol",
            "oidc",
            "--redirect-uri",
            "javascript:alert(1)",
        ],
        vec![
            "app",
            "add",
            "--name",
            "X",
            "--protocol",
            "oidc",
            "--redirect-uri",
            "https://x.test/cb#f",
        ],
        vec![
            "app",
            "add",
            "--name",
            "Kiwix",
            "--protocol",
            "proxy",
            "--internal-url",
            "http://a/",
        ],
        vec![
            "app",
            "add",
            "--name",
            "X",
            "--slug",
            "Bad Slug",
            "--protocol",
            "proxy",
            "--internal-url",
            "http://a/",
        ],
        vec![
            "app",
            "add",
            "--preset",
            "moodle",
            "--base",
            "https://m.test",
            "--class",
            "9e Z",
        ],
        vec!["app", "add", "--preset", "nope", "--base", "https://m.test"],
        vec!["app", "add", "--preset", "moodle", "--base", "not a url"],
        vec![
            "app",
            "add",
            "--name",
            "X",
            "--protocol",
            "cas",
            "--service",
            "https://c.test/",
            "--role",
            "wizard",
        ],
        vec!["app", "add", "--name", "X", "--protocol", "cas"],
        vec!["app", "edit", "kiwix", "--internal-url", "ftp://x/"],
        vec!["app", "edit", "nope", "--name", "Y"],
        vec!["app", "secret", "kiwix"],
        vec!["app", "remove", "nope"],
        vec!["app", "show", "nope"],
    ] {
        let (ok, out, err) = run(&s, &args);
        assert!(!ok, "{args:?} was accepted: {out}");
        assert_eq!(
            err.trim().lines().count(),
            1,
            "{args:?}: one line, got {err:?}"
        );
        assert!(err.starts_with("cartable: "), "{args:?}: {err}");
    }
    // The same on the page: a 400 with the form, nothing written.
    let admin = s.logged_in("b.admin").await;
    let csrf = csrf_for(&admin, &s.base, "/admin/apps/new").await;
    for fields in [
        vec![
            ("name", ""),
            ("protocol", "oidc"),
            ("redirect_uris", "https://a.test/cb"),
        ],
        vec![
            ("name", "Y"),
            ("protocol", "oidc"),
            ("redirect_uris", "javascript:alert(1)"),
        ],
        vec![("name", "Y"), ("protocol", "proxy"), ("internal_url", "")],
        vec![
            ("name", "Y"),
            ("protocol", "cas"),
            ("cas_services", "https://c.test/"),
            ("classes", "999999"),
        ],
        vec![
            ("name", "Kiwix"),
            ("protocol", "proxy"),
            ("internal_url", "http://a/"),
        ],
        vec![
            ("name", "Y"),
            ("protocol", "oidc"),
            ("preset", "moodle"),
            ("base", "nope"),
            ("action", "fill"),
        ],
    ] {
        let mut f = vec![("csrf", csrf.as_str())];
        f.extend(fields.iter().copied());
        let r = admin
            .post(s.url("/admin/apps/new"))
            .form(&f)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{fields:?}");
        assert!(r.text().await.unwrap().contains("role=\"alert\""));
    }
    let r = admin
        .post(s.url(&format!("/admin/apps/{}", kiwix.id)))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "K"),
            ("protocol", "proxy"),
            ("internal_url", "gopher://x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // Without the CSRF token: refused.
    let r = admin
        .post(s.url(&format!("/admin/apps/{}/delete", kiwix.id)))
        .form(&[("csrf", "nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(count(&s, "SELECT count(*) FROM apps").await, before_apps);
    assert_eq!(
        count(&s, "SELECT count(*) FROM audit_log").await,
        before_audit
    );
    let after = app(&s, "kiwix").await.unwrap();
    assert_eq!(after.internal_url, kiwix.internal_url);
    assert_eq!(after.updated_at, kiwix.updated_at);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admins_reach_the_registry_and_tiles_follow_roles_and_classes() {
    let s = TestServer::start().await;
    s.user("t.admin", Role::Admin).await;
    let teacher = s.user("t.teacher", Role::Teacher).await;
    let in_class = s.user("t.pupil", Role::Pupil).await;
    let other = s.user("t.other", Role::Pupil).await;
    let parent = s.user("t.parent", Role::Parent).await;
    s.user("t.staff", Role::Staff).await;
    let a = class_this_year(&s, "6e A").await;
    let b = class_this_year(&s, "5e B").await;
    s.add_member(a, in_class).await;
    s.add_member(b, other).await;
    s.add_member(a, teacher).await;
    s.link_parent(parent, in_class).await;
    let (ok, _, err) = run(
        &s,
        &[
            "app",
            "add",
            "--name",
            "Kolibri",
            "--icon",
            "📚",
            "--protocol",
            "oidc",
            "--redirect-uri",
            "https://k.test/cb",
            "--launch-url",
            "https://k.test/go",
            "--role",
            "pupil",
            "--role",
            "parent",
            "--class",
            "6e A",
        ],
    );
    assert!(ok, "{err}");
    let (ok, _, err) = run(
        &s,
        &[
            "app",
            "add",
            "--name",
            "Kiwix",
            "--protocol",
            "proxy",
            "--internal-url",
            "http://127.0.0.1:9/",
            "--role",
            "pupil",
            "--role",
            "teacher",
        ],
    );
    assert!(ok, "{err}");
    let (ok, _, _) = run(
        &s,
        &[
            "app",
            "add",
            "--name",
            "Off",
            "--protocol",
            "proxy",
            "--internal-url",
            "http://127.0.0.1:9/",
            "--role",
            "pupil",
            "--disabled",
        ],
    );
    assert!(ok);
    let kolibri = app(&s, "kolibri").await.unwrap();

    for (who, kolibri_tile, kiwix_tile) in [
        ("t.pupil", true, true),
        ("t.other", false, true),
        ("t.parent", true, false),
        ("t.teacher", false, true),
        ("t.staff", false, false),
        ("t.admin", false, false),
    ] {
        let c = s.logged_in(who).await;
        let home = text(&c, s.url("/")).await;
        assert_eq!(
            home.contains("href=\"https://k.test/go\""),
            kolibri_tile,
            "{who}: {home}"
        );
        assert_eq!(home.contains("href=\"/apps/kiwix/\""), kiwix_tile, "{who}");
        assert!(
            !home.contains("/apps/off/"),
            "{who}: a disabled app has no tile"
        );
        assert_eq!(
            home.contains("id=\"my-apps\""),
            kolibri_tile || kiwix_tile,
            "{who}"
        );
        if who == "t.admin" {
            continue;
        }
        let csrf = csrf_in(&home);
        let id = kolibri.id;
        for (get, path) in [
            (true, "/admin/apps".to_owned()),
            (true, "/admin/apps/new".into()),
            (false, "/admin/apps/new".into()),
            (true, format!("/admin/apps/{id}")),
            (false, format!("/admin/apps/{id}")),
            (false, format!("/admin/apps/{id}/secret")),
            (false, format!("/admin/apps/{id}/delete")),
        ] {
            let r = if get {
                c.get(s.url(&path)).send().await.unwrap()
            } else {
                c.post(s.url(&path))
                    .form(&[
                        ("csrf", csrf.as_str()),
                        ("name", "Hack"),
                        ("protocol", "proxy"),
                        ("internal_url", "http://evil/"),
                    ])
                    .send()
                    .await
                    .unwrap()
            };
            assert_eq!(r.status(), 403, "{who} {path}");
        }
    }
    let after = app(&s, "kolibri").await.unwrap();
    assert_eq!(after.updated_at, kolibri.updated_at);
    assert_eq!(count(&s, "SELECT count(*) FROM apps").await, 3);
}

/// Tokens fail everywhere when the box's clock is wrong: `cartable status` and the system page
/// say whether it is synchronised, and warn when it is behind what the box already recorded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_and_the_system_page_warn_about_a_wrong_clock() {
    let s = TestServer::start().await;
    s.user("c.admin", Role::Admin).await;
    let (ok, out, err) = run(&s, &["status"]);
    assert!(ok, "{err}");
    assert!(out.lines().any(|l| l.starts_with("clock: ")), "{out}");
    assert!(!out.contains("behind the last recorded event"), "{out}");
    let admin = s.logged_in("c.admin").await;
    let page = text(&admin, s.url("/admin/system")).await;
    assert!(page.contains("id=\"clock\""));
    assert!(!page.contains("id=\"clock-behind\""));
    // An event recorded a day from now: the clock is behind it.
    s.running
        .app
        .db
        .write(|tx| {
            tx.execute(
                "INSERT INTO audit_log (at, actor, action) VALUES (?1, 'system', 'test')",
                [cartable::now() + 86400],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let (_, out, _) = run(&s, &["status"]);
    assert!(
        out.contains("clock: WARNING: behind the last recorded event"),
        "{out}"
    );
    let page = text(&admin, s.url("/admin/system")).await;
    assert!(page.contains("id=\"clock-behind\""), "{page}");
}

/// `cartable app rotate-key` publishes the next key at once and lets it sign a day later
/// (`--now`: at once); the key it printed is the one in the database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotate_key_adds_the_next_key_with_notice() {
    let s = TestServer::start().await;
    let keys = |s: &TestServer| {
        let db = s.running.app.db.clone();
        async move {
            db.read(|c| {
                let mut st =
                    c.prepare("SELECT kid, signs_from FROM idp_keys ORDER BY signs_from")?;
                let rows: Vec<(String, i64)> = st
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                Ok(rows)
            })
            .await
            .unwrap()
        }
    };
    assert_eq!(keys(&s).await.len(), 1, "a key is made at start");
    let (ok, out, err) = run(&s, &["app", "rotate-key"]);
    assert!(ok, "{err}");
    let kid = out
        .lines()
        .find_map(|l| l.strip_prefix("kid: "))
        .unwrap()
        .to_owned();
    let now = cartable::now();
    let all = keys(&s).await;
    assert_eq!(all.len(), 2);
    let (k, from) = &all[1];
    assert_eq!(k, &kid);
    assert!((from - now - 86400).abs() < 60, "signs a day from now");
    let (ok, out, _) = run(&s, &["app", "rotate-key", "--now"]);
    assert!(ok);
    let kid = out
        .lines()
        .find_map(|l| l.strip_prefix("kid: "))
        .unwrap()
        .to_owned();
    let all = keys(&s).await;
    assert!(
        all.iter().any(|(k, f)| *k == kid && (f - now).abs() < 60),
        "{all:?}"
    );
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM audit_log WHERE action = 'rotate_signing_key'"
        )
        .await,
        2
    );
}
