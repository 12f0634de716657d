//! The authorization matrix for documents: every role against every kind of space, reading
//! and writing, through both doors (the web file manager and WebDAV). Both doors must give
//! the same answers, because both ask the same policy.

use crate::support::*;
use cartable::auth::Role;
use reqwest::{Method, StatusCode};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Access {
    None,
    Read,
    Write,
}

const SPACES: [&str; 4] = ["m.pupil", "Classes/6e A", "Classes/5e B", "Staff"];

/// What each account may do in each space (columns in the order of [`SPACES`]).
fn expected(who: &str) -> [Access; 4] {
    use Access::*;
    match who {
        // The owner alone reaches a personal space: not even an admin reads a pupil's files.
        "m.pupil" => [Write, Read, None, None],
        "m.other" => [None, None, Read, None],
        "m.teacher" => [None, Write, None, Write],
        "m.teacher2" => [None, None, None, Write],
        "m.staff" => [None, None, None, Write],
        "m.admin" => [None, None, None, Write],
        "m.parent" => [None, None, None, None],
        _ => unreachable!(),
    }
}

fn encode(path: &str) -> String {
    path.replace(' ', "%20")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_against_every_space_through_both_doors() {
    let s = TestServer::start().await;
    let a = s.class("6e A").await;
    let b = s.class("5e B").await;
    let pupil = s.user("m.pupil", Role::Pupil).await;
    let other = s.user("m.other", Role::Pupil).await;
    let teacher = s.user("m.teacher", Role::Teacher).await;
    s.user("m.teacher2", Role::Teacher).await;
    s.user("m.staff", Role::Staff).await;
    s.user("m.admin", Role::Admin).await;
    let parent = s.user("m.parent", Role::Parent).await;
    s.add_member(a, pupil).await;
    s.add_member(b, other).await;
    s.add_member(a, teacher).await;
    s.link_parent(parent, pupil).await;

    let dav = reqwest::Client::new();
    let propfind = Method::from_bytes(b"PROPFIND").unwrap();
    let mkcol = Method::from_bytes(b"MKCOL").unwrap();
    for who in [
        "m.pupil",
        "m.other",
        "m.teacher",
        "m.teacher2",
        "m.staff",
        "m.admin",
        "m.parent",
    ] {
        let web = s.logged_in(who).await;
        let home = page_text(&web, s.url("/files")).await;
        let csrf = csrf_in(&home);
        for (space, want) in SPACES.iter().zip(expected(who)) {
            // Reading.
            let r = web
                .get(s.url(&format!("/files/{}", encode(space))))
                .send()
                .await
                .unwrap();
            let web_read = r.status() == StatusCode::OK;
            let r = dav
                .request(propfind.clone(), s.url(&format!("/dav/{}/", encode(space))))
                .basic_auth(who, Some(PASSWORD))
                .header("depth", "0")
                .send()
                .await
                .unwrap();
            let dav_read = r.status().as_u16() == 207;
            assert_eq!(
                web_read,
                want != Access::None,
                "{who} reading {space} on the web"
            );
            assert_eq!(
                dav_read,
                want != Access::None,
                "{who} reading {space} over WebDAV"
            );
            if want == Access::None {
                // Not even whether it exists: the same 404 as a made-up name.
                assert_eq!(r.status(), 404, "{who} probing {space} over WebDAV");
            }
            // Writing.
            let folder = format!("by-{who}");
            let r = web
                .post(s.url("/files-action/mkdir"))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("dir", space),
                    ("name", folder.as_str()),
                ])
                .send()
                .await
                .unwrap();
            let web_write = r.status() == StatusCode::SEE_OTHER;
            if !web_write {
                assert!(
                    r.status() == 403 || r.status() == 404,
                    "{who} writing {space}: {}",
                    r.status()
                );
            }
            let r = dav
                .request(
                    mkcol.clone(),
                    s.url(&format!("/dav/{}/dav-{folder}", encode(space))),
                )
                .basic_auth(who, Some(PASSWORD))
                .send()
                .await
                .unwrap();
            let dav_write = r.status() == StatusCode::CREATED;
            assert_eq!(
                web_write,
                want == Access::Write,
                "{who} writing {space} on the web"
            );
            assert_eq!(
                dav_write,
                want == Access::Write,
                "{who} writing {space} over WebDAV: {}",
                r.status()
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admins_quota_binds_both_doors() {
    let s = TestServer::start().await;
    s.user("q.admin", Role::Admin).await;
    s.user("q.pupil", Role::Pupil).await;
    let admin = s.logged_in("q.admin").await;
    let page = page_text(&admin, s.url("/admin/settings")).await;
    assert!(page.contains("name=\"quota_pupil\""));
    let csrf = csrf_in(&page);
    let bad = admin
        .post(s.url("/admin/quotas"))
        .form(&[("csrf", csrf.as_str()), ("quota_pupil", "lots")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let r = admin
        .post(s.url("/admin/quotas"))
        .form(&[("csrf", csrf.as_str()), ("quota_pupil", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let two_mib = vec![7u8; 2 * 1024 * 1024];
    let r = reqwest::Client::new()
        .put(s.url("/dav/q.pupil/big.bin"))
        .basic_auth("q.pupil", Some(PASSWORD))
        .body(two_mib.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 507);
    let web = s.logged_in("q.pupil").await;
    let home = page_text(&web, s.url("/files/q.pupil")).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf_in(&home))
        .text("dir", "q.pupil")
        .part(
            "files",
            reqwest::multipart::Part::bytes(two_mib).file_name("big.bin"),
        );
    let r = web
        .post(s.url("/files-action/upload"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(
        r.status().is_client_error(),
        "over quota on the web: {}",
        r.status()
    );
    assert_eq!(
        web.get(s.url("/files/q.pupil/big.bin"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

/// The drop box of one pupil for one assignment: only that pupil and the class's teachers
/// see it, through the homework pages and through `/dav/Homework/`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_against_a_drop_box_through_both_doors() {
    let s = TestServer::start().await;
    let a = s.class("6e A").await;
    let b = s.class("5e B").await;
    let pupil = s.user("d.pupil", Role::Pupil).await;
    let mate = s.user("d.mate", Role::Pupil).await;
    let other = s.user("d.other", Role::Pupil).await;
    let teacher = s.user("d.teacher", Role::Teacher).await;
    s.user("d.teacher2", Role::Teacher).await;
    s.user("d.staff", Role::Staff).await;
    s.user("d.admin", Role::Admin).await;
    let parent = s.user("d.parent", Role::Parent).await;
    s.add_member(a, pupil).await;
    s.add_member(a, mate).await;
    s.add_member(b, other).await;
    s.add_member(a, teacher).await;
    s.link_parent(parent, pupil).await;

    let t = s.logged_in("d.teacher").await;
    let csrf = csrf_for(&t, &s.base, "/homework").await;
    let due = cartable::homework::format_due(cartable::now() + 7 * 24 * 3600);
    let r = t
        .post(s.url("/homework"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("class", &a.0.to_string()),
            ("title", "Carte du Sahel"),
            ("instructions", "Une carte."),
            ("due", due.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = location(&r).split('?').next().unwrap().to_owned();
    let handed = reqwest::Client::new()
        .put(s.url("/dav/Homework/6e%20A%20-%20Carte%20du%20Sahel/carte.txt"))
        .basic_auth("d.pupil", Some(PASSWORD))
        .body("ma carte")
        .send()
        .await
        .unwrap();
    assert_eq!(handed.status(), 201, "the pupil hands in over WebDAV");
    let file = format!("{page}/files/{}/carte.txt", pupil.0);

    // (account, sees the hand-in on the web, sees the assignment folder over WebDAV)
    let table = [
        ("d.pupil", true, true),
        ("d.teacher", true, true),
        ("d.mate", false, true),
        ("d.other", false, false),
        ("d.teacher2", false, false),
        ("d.staff", false, false),
        ("d.admin", false, false),
        ("d.parent", false, false),
    ];
    let propfind = Method::from_bytes(b"PROPFIND").unwrap();
    for (who, reads_file, sees_folder) in table {
        let c = s.logged_in(who).await;
        let r = c.get(s.url(&file)).send().await.unwrap();
        assert_eq!(
            r.status() == StatusCode::OK,
            reads_file,
            "{who} reading the hand-in: {}",
            r.status()
        );
        if !reads_file {
            assert!(
                r.status() == 404 || r.status() == 403,
                "{who}: {}",
                r.status()
            );
        }
        let r = reqwest::Client::new()
            .request(
                propfind.clone(),
                s.url("/dav/Homework/6e%20A%20-%20Carte%20du%20Sahel/"),
            )
            .basic_auth(who, Some(PASSWORD))
            .header("depth", "1")
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let body = r.text().await.unwrap();
        assert_eq!(
            status == 207,
            sees_folder,
            "{who} listing the assignment over WebDAV: {status}"
        );
        // A classmate sees the assignment (their own, empty box), never the pupil's file.
        if who == "d.mate" {
            assert!(
                !body.contains("carte.txt"),
                "a classmate sees another pupil's hand-in"
            );
        }
    }
}
