//! The office's work through the admin pages, end to end over HTTP: importing a class list
//! (all or nothing), login slips, password resets, new accounts, settings and the audit log.

use crate::support::*;
use cartable::auth::Role;

/// The text of the first element `<tag class="class">…</tag>` in `html`.
/// The text of every `<tag class="class" ...>` element, inner tags (`<bdi>`) left out.
fn element_text(html: &str, tag: &str, class: &str) -> Vec<String> {
    let open = format!("<{tag} class=\"{class}\"");
    let close = format!("</{tag}>");
    html.match_indices(&open)
        .map(|(i, _)| {
            let rest = &html[i..];
            let inner = &rest[rest.find('>').unwrap() + 1..rest.find(&close).unwrap()];
            let mut text = String::new();
            let mut in_tag = false;
            for ch in inner.chars() {
                match ch {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text.trim().to_owned()
        })
        .collect()
}

async fn upload(
    s: &TestServer,
    c: &reqwest::Client,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let csrf = csrf_for(c, &s.base, "/admin/import").await;
    let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    c.post(s.url("/admin/import"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn count_users(s: &TestServer) -> i64 {
    s.running
        .app
        .db
        .read(|c| Ok(c.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_class_list_with_one_bad_line_imports_nothing() {
    let s = TestServer::start().await;
    s.user("office", Role::Staff).await;
    let c = s.logged_in("office").await;
    let before = count_users(&s).await;
    let csv = "nom;prénom;classe\nDiallo;Awa;6e A\n;Kofi;6e A\nTraoré;Mariam;6e A\n";
    let r = upload(&s, &c, "6eA.csv", csv.as_bytes().to_vec()).await;
    assert_eq!(r.status(), 303);
    let preview_path = location(&r);
    let page = page_text(&c, s.url(&preview_path)).await;
    assert!(page.contains("class=\"problem\""), "the bad line is marked");
    assert!(
        !page.contains("id=\"import-form\""),
        "no import button while a line has a problem"
    );
    // Posting anyway (a replayed or forged form) writes nothing.
    let r = c
        .post(s.url(&preview_path))
        .form(&[("csrf", csrf_in(&page))])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "got {}", r.status());
    assert_eq!(count_users(&s).await, before);
    let classes: i64 = s
        .running
        .app
        .db
        .read(|c| Ok(c.query_row("SELECT count(*) FROM classes", [], |r| r.get(0))?))
        .await
        .unwrap();
    assert_eq!(classes, 0, "not even the class was made");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_office_spreadsheet_imports_then_slips_let_pupils_in() {
    let s = TestServer::start().await;
    s.user("office", Role::Staff).await;
    let c = s.logged_in("office").await;
    // What a French spreadsheet saves: BOM, `;`, CRLF, accents, two classes.
    let csv = "\u{feff}Nom;Prénom;Classe\r\nN'Diaye;Aïssatou;5e B\r\nRakotomalala;Héry;5e B\r\nOuédraogo;Issa;4e C\r\n";
    let r = upload(&s, &c, "export.csv", csv.as_bytes().to_vec()).await;
    let preview_path = location(&r);
    let page = page_text(&c, s.url(&preview_path)).await;
    for needle in [
        "Aïssatou",
        "Héry",
        "Ouédraogo",
        "5e B",
        "4e C",
        "aissatou.ndiaye",
    ] {
        assert!(page.contains(needle), "the preview shows {needle}");
    }
    assert!(page.contains("id=\"import-form\""));
    let r = c
        .post(s.url(&preview_path))
        .form(&[("csrf", csrf_in(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "the import is applied");
    // Imported accounts have no password: nobody can log in before the slips.
    assert_eq!(
        login(&s.client(), &s.base, "aissatou.ndiaye", "")
            .await
            .status(),
        200
    );
    let class: i64 = s
        .running
        .app
        .db
        .read(|c| {
            Ok(
                c.query_row("SELECT id FROM classes WHERE name = '5e B'", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .await
        .unwrap();
    let class_page = page_text(&c, s.url(&format!("/admin/classes/{class}"))).await;
    let slips = c
        .post(s.url(&format!("/admin/classes/{class}/slips")))
        .form(&[("csrf", csrf_in(&class_page))])
        .send()
        .await
        .unwrap();
    assert_eq!(slips.status(), 200);
    let html = slips.text().await.unwrap();
    let users = element_text(&html, "dd", "username");
    let passwords = element_text(&html, "dd", "pw");
    assert_eq!(users.len(), 2, "one slip per pupil of 5e B");
    assert_eq!(passwords.len(), 2);
    let i = users.iter().position(|u| u == "aissatou.ndiaye").unwrap();
    let pupil = s.client();
    let r = login(&pupil, &s.base, "aissatou.ndiaye", &passwords[i]).await;
    assert_eq!(
        location(&r),
        "/password",
        "a slip's password must be changed at once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_resets_a_pupil_who_is_logged_out_everywhere() {
    let s = TestServer::start().await;
    let t = s.user("m.kone", Role::Teacher).await;
    let p = s.user("sekou", Role::Pupil).await;
    let class = s.class("6e A").await;
    s.add_member(class, t).await;
    s.add_member(class, p).await;
    let pupil = s.logged_in("sekou").await;
    let teacher = s.logged_in("m.kone").await;
    let page = page_text(&teacher, s.url(&format!("/admin/classes/{}", class.0))).await;
    let r = teacher
        .post(s.url(&format!("/admin/users/{}/password", p.0)))
        .form(&[("csrf", csrf_in(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let new = element_text(&r.text().await.unwrap(), "dd", "pw")
        .pop()
        .expect("the new password is shown");
    assert_eq!(
        pupil.get(s.url("/")).send().await.unwrap().status(),
        303,
        "the pupil's session ended"
    );
    assert_eq!(
        login(&s.client(), &s.base, "sekou", PASSWORD)
            .await
            .status(),
        200,
        "the old password is gone"
    );
    let r = login(&s.client(), &s.base, "sekou", &new).await;
    assert_eq!(location(&r), "/password");
    // The reset is in the audit log, with who did it.
    s.user("root", Role::Admin).await;
    let admin = s.logged_in("root").await;
    let audit = page_text(&admin, s.url("/admin/audit")).await;
    assert!(
        audit.contains("m.kone") && audit.contains("sekou"),
        "{audit}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_accounts_get_a_one_time_password_and_bad_input_changes_nothing() {
    let s = TestServer::start().await;
    s.user("office", Role::Staff).await;
    let c = s.logged_in("office").await;
    let form_page = page_text(&c, s.url("/admin/users/new")).await;
    let csrf = csrf_in(&form_page);
    let post = |fields: Vec<(&'static str, &'static str)>| {
        let mut f = vec![("csrf", csrf.clone())];
        f.extend(fields.into_iter().map(|(k, v)| (k, v.to_owned())));
        c.post(s.url("/admin/users/new")).form(&f).send()
    };
    let before = count_users(&s).await;
    let bad = post(vec![
        ("first_name", "Ama"),
        ("last_name", "Mensah"),
        ("username", "Ama Mensah!"),
        ("role", "pupil"),
    ])
    .await
    .unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("class=\"error\""));
    // The office may not make an administrator.
    let admin = post(vec![
        ("first_name", "Evil"),
        ("last_name", "Admin"),
        ("role", "admin"),
    ])
    .await
    .unwrap();
    assert!(
        admin.status() == 403 || admin.status() == 400,
        "got {}",
        admin.status()
    );
    assert_eq!(count_users(&s).await, before);
    let ok = post(vec![
        ("first_name", "Ama"),
        ("last_name", "Mensah"),
        ("role", "parent"),
        ("language", "en"),
    ])
    .await
    .unwrap();
    assert_eq!(ok.status(), 200);
    let html = ok.text().await.unwrap();
    let username = element_text(&html, "dd", "username").pop().unwrap();
    let pw = element_text(&html, "dd", "pw").pop().unwrap();
    assert_eq!(username, "ama.mensah");
    let r = login(&s.client(), &s.base, &username, &pw).await;
    assert_eq!(location(&r), "/password");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_are_validated_and_take_effect() {
    let s = TestServer::start().await;
    s.user("root", Role::Admin).await;
    let c = s.logged_in("root").await;
    let page = page_text(&c, s.url("/admin/settings")).await;
    let csrf = csrf_in(&page);
    let save = |host: &'static str| {
        c.post(s.url("/admin/settings"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("school_name", "Lycée de Ziguinchor"),
                ("host_names", host),
                ("mail_domain", "lycee.sn"),
                ("default_language", "en"),
                ("school_year", "2026-2027"),
            ])
            .send()
    };
    let bad = save("not a host name!").await.unwrap();
    assert_eq!(bad.status(), 400);
    assert_eq!(
        s.running.app.settings().school_name,
        "Cartable",
        "nothing changed"
    );
    let ok = save("ent.lycee.sn, 10.0.0.2").await.unwrap();
    assert_eq!(ok.status(), 303);
    let home = page_text(&c, s.url("/")).await;
    assert!(home.contains("Lycée de Ziguinchor"));
    let settings = s.running.app.settings();
    assert_eq!(
        settings.host_names,
        vec!["ent.lycee.sn".to_owned(), "10.0.0.2".to_owned()]
    );
    assert_eq!(settings.mail_domain, "lycee.sn");
}
