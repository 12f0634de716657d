//! Every page says its language and writing direction (`<html lang dir>`), chosen by the
//! person's account, then the school's default, then the browser's `Accept-Language`; Arabic
//! pages are right to left, the others left to right.

use crate::support::{TestServer, page_text};
use cartable::auth::Role;

/// The opening `<html>` tag a page in `lang` must start with.
fn html_tag(lang: &str) -> String {
    let dir = if lang == "ar" { "rtl" } else { "ltr" };
    format!("<html lang=\"{lang}\" dir=\"{dir}\">")
}

fn assert_page_in(body: &str, lang: &str, what: &str) {
    let tag = html_tag(lang);
    let head = &body[..body.len().min(200)];
    assert!(head.contains(&tag), "{what}: expected {tag} in {head}");
}

async fn get_with(s: &TestServer, c: &reqwest::Client, path: &str, accept: &str) -> String {
    c.get(s.url(path))
        .header("accept-language", accept)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_page_lang_and_dir_follow_accept_language() {
    let s = TestServer::start().await;
    s.set_default_language("auto").await;
    let c = s.client();
    for (accept, lang) in [
        ("ar", "ar"),
        ("ar-MA,fr;q=0.8", "ar"),
        ("pt-AO", "pt"),
        ("pt-BR,pt;q=0.9,en;q=0.5", "pt"),
        ("de-DE,pt;q=0.7,fr;q=0.3", "pt"),
        ("fr-FR", "fr"),
        ("fr-SN,fr;q=0.9", "fr"),
        ("en-GB,en;q=0.9", "en"),
        ("de", "fr"),
    ] {
        let body = get_with(&s, &c, "/login", accept).await;
        assert_page_in(
            &body,
            lang,
            &format!("/login with Accept-Language: {accept}"),
        );
    }
    // The pages around the login page too: the certificate page and an error page.
    for path in ["/ca", "/no-such-page"] {
        let body = get_with(&s, &c, path, "ar-DZ").await;
        assert_page_in(&body, "ar", path);
        let body = get_with(&s, &c, path, "pt-MZ").await;
        assert_page_in(&body, "pt", path);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn language_menu_names_each_language_in_its_own_name() {
    let s = TestServer::start().await;
    s.set_default_language("auto").await;
    let c = s.client();
    let all = [
        ("fr", "Français"),
        ("en", "English"),
        ("pt", "Português"),
        ("ar", "العربية"),
    ];
    for (lang, _) in all {
        let body = get_with(&s, &c, "/login", lang).await;
        assert_page_in(&body, lang, "/login");
        // Every other language is offered, marked with its own language, in its own name.
        for (code, name) in all.iter().filter(|(code, _)| *code != lang) {
            assert!(
                body.contains(&format!("href=\"/lang/{code}?next=")),
                "the {lang} page offers {code}: {body}"
            );
            assert!(
                body.contains(&format!("lang=\"{code}\">{name}</a>")),
                "{code} in its own name on the {lang} page: {body}"
            );
        }
        assert!(
            !body.contains(&format!("href=\"/lang/{lang}?")),
            "the {lang} page does not offer itself"
        );
    }
    // Choosing Arabic from the menu turns the next page right to left.
    let r = c.get(s.url("/lang/ar?next=/login")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let body = get_with(&s, &c, "/login", "fr").await;
    assert_page_in(&body, "ar", "/login after choosing Arabic");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn school_default_decides_for_a_visitor_without_a_cookie() {
    let s = TestServer::start().await;
    for (school, lang) in [("ar", "ar"), ("pt", "pt"), ("en", "en"), ("fr", "fr")] {
        s.set_default_language(school).await;
        for accept in ["fr-FR", "en", "ar", "pt-AO"] {
            // A fresh client each time: no language cookie.
            let body = get_with(&s, &s.client(), "/login", accept).await;
            assert_page_in(
                &body,
                lang,
                &format!("school default {school}, Accept-Language {accept}"),
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logged_in_pages_follow_the_account_language() {
    let s = TestServer::start().await;
    s.set_default_language("fr").await;
    s.user_in("layla.ar", Role::Teacher, "ar").await;
    s.user_in("joao.pt", Role::Pupil, "pt").await;
    s.user_in("anne.en", Role::Staff, "en").await;
    for (user, lang) in [("layla.ar", "ar"), ("joao.pt", "pt"), ("anne.en", "en")] {
        let c = s.logged_in(user).await;
        for path in [
            "/",
            "/profile",
            "/mail",
            "/forum",
            "/library",
            "/agenda",
            "/attendance",
            "/files",
            "/ca",
            "/no-such-page",
        ] {
            let body = get_with(&s, &c, path, "fr-FR").await;
            assert_page_in(&body, lang, &format!("{path} for {user}"));
        }
    }
    // The account's name, typed by a person, is isolated in the menu of a right-to-left page.
    let c = s.logged_in("layla.ar").await;
    let home = page_text(&c, s.url("/")).await;
    assert!(
        home.contains("<bdi>Test layla.ar</bdi>"),
        "the name in the menu is isolated: {home}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arabic_login_slips_are_right_to_left_with_usernames_left_to_right() {
    let s = TestServer::start().await;
    s.user_in("admin.ar", Role::Admin, "ar").await;
    let class = s.class("6e A").await;
    let pupil = s.user("amina.d", Role::Pupil).await;
    s.add_member(class, pupil).await;
    let c = s.logged_in("admin.ar").await;
    let class_page = page_text(&c, s.url(&format!("/admin/classes/{class}"))).await;
    assert_page_in(&class_page, "ar", "the class page");
    let r = c
        .post(s.url(&format!("/admin/classes/{class}/slips")))
        .form(&[("csrf", crate::support::csrf_in(&class_page))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let slips = r.text().await.unwrap();
    assert_page_in(&slips, "ar", "the slips");
    // Printed with the same page and the print stylesheet, right to left as well.
    assert!(slips.contains("/static/print.css"), "{slips}");
    // What the pupil types stays left to right inside the Arabic slip; their name and class
    // keep their own direction.
    for wanted in [
        "<dd class=\"username\"><bdi dir=\"ltr\">amina.d</bdi></dd>",
        "<dd class=\"pw\"><bdi dir=\"ltr\">",
        "<dd class=\"portal\"><bdi dir=\"ltr\">",
        "<p class=\"slip-name\"><bdi>Test amina.d</bdi></p>",
        "<p class=\"slip-class\"><bdi>6e A</bdi></p>",
    ] {
        assert!(slips.contains(wanted), "the slip has {wanted}: {slips}");
    }
}
