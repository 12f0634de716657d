//! Logging in and out, sessions, CSRF, Origin checks, throttling and forced password changes,
//! as a browser meets them.

use crate::support::*;
use cartable::auth::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_sets_a_session_and_shows_the_dashboard() {
    let s = TestServer::start().await;
    s.user("amina", Role::Pupil).await;
    let c = s.client();
    let r = login(&c, &s.base, "amina", PASSWORD).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/");
    let session = session_set_cookie(&r).expect("a session cookie");
    assert!(session.contains("HttpOnly"), "{session}");
    assert!(session.contains("SameSite=Lax"), "{session}");
    let page = c.get(s.url("/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Test amina"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_user_and_wrong_password_get_the_same_answer() {
    let s = TestServer::start().await;
    s.user("kofi", Role::Pupil).await;
    let c = s.client();
    let wrong = login(&c, &s.base, "kofi", "not-the-password").await;
    let wrong_status = wrong.status();
    let wrong_body = wrong.text().await.unwrap();
    let unknown = login(&c, &s.base, "nobody-here", "not-the-password").await;
    assert_eq!(wrong_status, unknown.status());
    let unknown_body = unknown.text().await.unwrap();
    let msg = "Identifiant inconnu ou mot de passe incorrect.";
    assert!(wrong_body.contains(msg) && unknown_body.contains(msg));
    // The pages differ only by the username echoed back into the form.
    assert_eq!(
        wrong_body.replace("kofi", "X").len(),
        unknown_body.replace("nobody-here", "X").len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_or_missing_csrf_token_is_refused() {
    let s = TestServer::start().await;
    s.user("awa", Role::Pupil).await;
    let c = s.client();
    let _ = csrf_for(&c, &s.base, "/login").await;
    for token in ["forged-token-forged-token-forged-token-forged-1", ""] {
        let r = c
            .post(s.url("/login"))
            .form(&[("csrf", token), ("username", "awa"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        assert!(
            session_set_cookie(&r).is_none(),
            "no session for a forged form"
        );
        assert!(r.text().await.unwrap().contains("formulaire a expiré"));
    }
    // A token from another visitor's cookie does not work either.
    let other = s.client();
    let theirs = csrf_for(&other, &s.base, "/login").await;
    let r = c
        .post(s.url("/login"))
        .form(&[
            ("csrf", theirs.as_str()),
            ("username", "awa"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // Logged in, the session's token is needed: the login page's token no longer counts.
    let c = s.logged_in("awa").await;
    let r = c
        .post(s.url("/logout"))
        .form(&[("csrf", "0".repeat(48))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        c.get(s.url("/")).send().await.unwrap().status(),
        200,
        "still logged in"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_from_another_origin_is_refused() {
    let s = TestServer::start().await;
    s.user("binta", Role::Pupil).await;
    let c = s.client();
    let csrf = csrf_for(&c, &s.base, "/login").await;
    let r = c
        .post(s.url("/login"))
        .header("origin", "http://evil.example")
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "binta"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = c
        .post(s.url("/login"))
        .header("origin", s.base.clone())
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "binta"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_throttle_the_account_even_with_the_right_password() {
    let s = TestServer::start().await;
    s.user("moussa", Role::Pupil).await;
    let c = s.client();
    for _ in 0..5 {
        let r = login(&c, &s.base, "moussa", "wrong-password").await;
        assert_eq!(r.status(), 200);
    }
    let r = login(&c, &s.base, "moussa", PASSWORD).await;
    assert_eq!(r.status(), 429);
    assert!(r.text().await.unwrap().contains("essais manqués"));
    // Another account from the same address is not locked out by one pupil's mistakes.
    s.user("fatou", Role::Pupil).await;
    assert_eq!(login(&c, &s.base, "fatou", PASSWORD).await.status(), 303);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_ends_the_session_for_good() {
    let s = TestServer::start().await;
    s.user("ibrahim", Role::Teacher).await;
    let c = s.client();
    let r = login(&c, &s.base, "ibrahim", PASSWORD).await;
    let token = session_cookie(&r);
    let home = page_text(&c, s.url("/")).await;
    let r = c
        .post(s.url("/logout"))
        .form(&[("csrf", csrf_in(&home))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    // Replaying the old cookie by hand gets the login page, not the dashboard.
    let raw = plain_client();
    let r = raw
        .get(s.url("/"))
        .header("cookie", token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with("/login"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_makes_a_new_session_id_and_drops_the_old_one() {
    let s = TestServer::start().await;
    s.user("yao", Role::Pupil).await;
    let c = s.client();
    let token = session_cookie;
    let first = login(&c, &s.base, "yao", PASSWORD).await;
    let first_token = token(&first);
    // Logging in again from the same browser (the dashboard's token, as a form would send).
    let home = page_text(&c, s.url("/")).await;
    let r = c
        .post(s.url("/login"))
        .form(&[
            ("csrf", csrf_in(&home).as_str()),
            ("username", "yao"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let second_token = token(&r);
    assert_ne!(first_token, second_token);
    let raw = plain_client();
    let old = raw
        .get(s.url("/"))
        .header("cookie", first_token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        old.status(),
        303,
        "the session from before the login is gone"
    );
    let new = raw
        .get(s.url("/"))
        .header("cookie", second_token)
        .send()
        .await
        .unwrap();
    assert_eq!(new.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_session_asks_to_log_in_again() {
    let s = TestServer::start().await;
    s.user("salif", Role::Pupil).await;
    let c = s.logged_in("salif").await;
    s.running
        .app
        .db
        .write(|tx| Ok(tx.execute("UPDATE sessions SET last_seen = last_seen - 9 * 3600", [])?))
        .await
        .unwrap();
    let r = c.get(s.url("/profile")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/login?next=%2Fprofile");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_login_forces_a_password_change() {
    let s = TestServer::start().await;
    s.user_with("aicha", Role::Pupil, true).await;
    let c = s.client();
    let r = login(&c, &s.base, "aicha", PASSWORD).await;
    assert_eq!(location(&r), "/password");
    // Every page leads back to the password form until it is done, keeping where it was going.
    for (path, to) in [
        ("/", "/password"),
        ("/profile", "/password?next=%2Fprofile"),
        ("/admin/", "/password?next=%2Fadmin%2F"),
    ] {
        let r = c.get(s.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 303, "{path}");
        assert_eq!(location(&r), to, "{path}");
    }
    let page = page_text(&c, s.url("/password")).await;
    assert!(page.contains("Bienvenue"));
    let csrf = csrf_in(&page);
    // Bad input first: a mismatch and a too-short password change nothing.
    for (new, confirm, msg) in [
        (
            "mangue-verte-42",
            "mangue-verte-43",
            "ne sont pas identiques",
        ),
        ("court", "court", "au moins 8"),
        ("aicha-1234567", "aicha-1234567", "identifiant"),
    ] {
        let r = c
            .post(s.url("/password"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("current", PASSWORD),
                ("new", new),
                ("confirm", confirm),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.text().await.unwrap().contains(msg), "{msg}");
    }
    let r = c
        .post(s.url("/password"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", PASSWORD),
            ("new", "mangue-verte-42"),
            ("confirm", "mangue-verte-42"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let home = c.get(s.url("/")).send().await.unwrap();
    assert_eq!(home.status(), 200);
    assert!(home.text().await.unwrap().contains("Bonjour"));
    // The old password is gone, the new one works.
    assert_eq!(
        login(&s.client(), &s.base, "aicha", PASSWORD)
            .await
            .status(),
        200
    );
    assert_eq!(
        login(&s.client(), &s.base, "aicha", "mangue-verte-42")
            .await
            .status(),
        303
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_account_cannot_log_in_and_is_logged_out() {
    let s = TestServer::start().await;
    let id = s.user("oumar", Role::Pupil).await;
    let c = s.logged_in("oumar").await;
    s.running
        .app
        .db
        .write(move |tx| {
            Ok(cartable::accounts::set_disabled(
                tx,
                &cartable::auth::Allowed::system("test"),
                id,
                true,
            )?)
        })
        .await
        .unwrap();
    assert_eq!(c.get(s.url("/")).send().await.unwrap().status(), 303);
    let r = login(&s.client(), &s.base, "oumar", PASSWORD).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Identifiant inconnu ou mot de passe incorrect.")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_never_redirects_off_site() {
    let s = TestServer::start().await;
    s.user("nafi", Role::Pupil).await;
    for next in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let c = s.client();
        let csrf = csrf_for(&c, &s.base, "/login").await;
        let r = c
            .post(s.url("/login"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", "nafi"),
                ("password", PASSWORD),
                ("next", next),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/", "{next}");
    }
}
