//! Reading the offline library through the real server (issue #18): collections written by
//! libzim (`support::zim_fixtures`), installed with the same function the CLI uses, read back
//! byte for byte; redirects, the main page, Range, validators, the policy and top bar; who
//! reads what; bad paths and collections that break or vanish under the reader.

use crate::support::*;
use cartable::auth::{Allowed, Role, SchoolAudience};
use cartable::library::{install, registry, registry::Collection};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?');

fn url_of(name: &str, path: &str) -> String {
    format!("/library/{name}/{}", utf8_percent_encode(path, PATH))
}

fn expected() -> Value {
    let text = std::fs::read_to_string(zim_fixtures().join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

async fn remove(s: &TestServer, c: &Collection) {
    let (app, c) = (s.running.app.clone(), c.clone());
    tokio::task::spawn_blocking(move || {
        install::remove(&app.db, app.library.dir(), &c, &Allowed::system("test")).unwrap()
    })
    .await
    .unwrap()
}

async fn set_audience(s: &TestServer, c: &Collection, audience: SchoolAudience) {
    let (id, name) = (c.id, c.name.clone());
    s.running
        .app
        .db
        .write(move |tx| {
            Ok(registry::set_audience(
                tx,
                &Allowed::system("test"),
                id,
                &name,
                &audience,
            )?)
        })
        .await
        .unwrap()
}

/// The page without the top bar the server put in it.
fn without_bar(body: &[u8]) -> Vec<u8> {
    let start = find(body, b"<div id=\"cartable-bar\"").expect("a top bar");
    let end = start + find(&body[start..], b"</form></div>").expect("the bar's end") + 13;
    [&body[..start], &body[end..]].concat()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Every entry of `file`, installed alone, as the server sends it.
async fn read_back(file: &str, prefix: &str) {
    let s = TestServer::start().await;
    s.user("r.pupil", Role::Pupil).await;
    let c = s
        .install_zim(&zim_fixtures().join(file), SchoolAudience::School)
        .await;
    let web = s.logged_in("r.pupil").await;
    let exp = expected();
    for e in exp["entries"].as_array().unwrap() {
        let path = format!("{prefix}{}", e["path"].as_str().unwrap());
        let want = hex(e["hex"].as_str().unwrap());
        let r = web
            .get(s.url(&url_of(&c.name, &path)))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{file}: {path}");
        let mime = e["mime"].as_str().unwrap();
        let ct = r.headers()["content-type"].to_str().unwrap().to_owned();
        let body = r.bytes().await.unwrap();
        if mime == "text/html" {
            assert_eq!(ct, "text/html; charset=utf-8", "{file}: {path}");
            assert_eq!(without_bar(&body), want, "{file}: {path}");
        } else {
            assert_eq!(ct, mime, "{file}: {path}");
            assert!(find(&body, b"cartable-bar").is_none());
            assert_eq!(body.len(), want.len(), "{file}: {path}");
            assert!(body[..] == want[..], "{file}: {path} differs");
        }
    }
    for rd in exp["redirects"].as_array().unwrap() {
        let path = format!("{prefix}{}", rd["path"].as_str().unwrap());
        let target = format!("{prefix}{}", rd["target"].as_str().unwrap());
        let r = web
            .get(s.url(&url_of(&c.name, &path)))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 302, "{file}: {path}");
        assert_eq!(location(&r), url_of(&c.name, &target), "{file}: {path}");
    }
    let main = format!("{prefix}{}", exp["main"].as_str().unwrap());
    for p in [
        format!("/library/{}", c.name),
        format!("/library/{}/", c.name),
    ] {
        let r = web.get(s.url(&p)).send().await.unwrap();
        assert_eq!(r.status(), 303, "{file}: {p}");
        assert_eq!(location(&r), url_of(&c.name, &main));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zstd_articles_read_back_byte_for_byte() {
    read_back("zstd.zim", "").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xz_articles_read_back_byte_for_byte() {
    read_back("xz.zim", "").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn split_archive_reads_back_byte_for_byte() {
    read_back("split.zimaa", "").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_namespace_collection_serves_its_a_paths() {
    read_back("v5.zim", "A/").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_ranges_validators_policy_and_bar() {
    let s = TestServer::start().await;
    s.user("r.pupil", Role::Pupil).await;
    let c = s
        .install_zim(&zim_fixtures().join("zstd.zim"), SchoolAudience::School)
        .await;
    let web = s.logged_in("r.pupil").await;
    let exp = expected();
    let audio = exp["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "media/son.ogg")
        .map(|e| hex(e["hex"].as_str().unwrap()))
        .unwrap();
    let url = s.url(&url_of(&c.name, "media/son.ogg"));

    let r = web
        .get(&url)
        .header("range", "bytes=1000-1999")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 206);
    assert_eq!(
        r.headers()["content-range"],
        format!("bytes 1000-1999/{}", audio.len()).as_str()
    );
    assert_eq!(r.bytes().await.unwrap()[..], audio[1000..2000]);
    let r = web
        .get(&url)
        .header("range", "bytes=-500")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 206);
    assert_eq!(r.bytes().await.unwrap()[..], audio[audio.len() - 500..]);
    let r = web
        .get(&url)
        .header("range", format!("bytes={}-", audio.len()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 416);
    assert_eq!(
        r.headers()["content-range"],
        format!("bytes */{}", audio.len()).as_str()
    );
    // HEAD: the length, no bytes.
    let r = web.head(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-length"],
        audio.len().to_string().as_str()
    );

    // Media: immutable, with a strong ETag that answers 304.
    let r = web.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["cache-control"],
        "private, max-age=31536000, immutable"
    );
    assert_eq!(r.headers()["accept-ranges"], "bytes");
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.contains(&c.uuid), "{etag}");
    assert_eq!(r.bytes().await.unwrap()[..], audio[..]);
    let r = web
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    assert!(r.bytes().await.unwrap().is_empty());
    // A stale If-Range gets the whole entry.
    let r = web
        .get(&url)
        .header("range", "bytes=0-9")
        .header("if-range", "\"other\"")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // An article: the policy, nosniff, the bar in the reader's language, a 304 by its ETag.
    let art = s.url(&url_of(&c.name, "Accueil"));
    let r = web.get(&art).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    for d in [
        "default-src 'self'",
        "connect-src 'none'",
        "script-src 'none'",
        "form-action 'self'",
        "frame-ancestors 'self'",
        "object-src 'none'",
    ] {
        assert!(csp.contains(d), "{d} in {csp}");
    }
    assert!(!csp.contains("http") && !csp.contains('*'), "{csp}");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.headers()["cache-control"], "private, no-cache");
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    let body = r.text().await.unwrap();
    let bar_at = body.find("<div id=\"cartable-bar\"").unwrap();
    assert!(body[..bar_at].ends_with("<body>"), "the bar follows <body>");
    assert!(body.contains("lang=\"fr\" dir=\"ltr\""));
    assert!(body.contains(&format!("href=\"/library/{}/\"", c.name)));
    assert!(body.contains("action=\"/library/search\""));
    assert!(body.contains(&format!("name=\"c\" value=\"{}\"", c.name)));
    assert!(body.contains("<a href=\"/\">"));
    let r = web
        .get(&art)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    assert!(
        r.headers()
            .get("content-security-policy")
            .is_some_and(|v| v.to_str().unwrap().contains("connect-src"))
    );

    // The image: no bar, its own type, the same policy.
    let r = web
        .get(s.url(&url_of(&c.name, "images/logo.png")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "image/png");
    assert!(r.headers().contains_key("content-security-policy"));
    let png = r.bytes().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"));

    // Relative links inside articles resolve under the collection's prefix.
    let base = reqwest::Url::parse(&art).unwrap();
    for link in [
        "École_primaire",
        "Garçon",
        "مدرسة",
        "dossier/Sous_page",
        "images/logo.png",
    ] {
        assert!(
            body.contains(&format!("=\"{link}\"")),
            "{link} is in the page"
        );
        let r = web.get(base.join(link).unwrap()).send().await.unwrap();
        assert_eq!(r.status(), 200, "{link}");
    }
    let sub = base.join("dossier/Sous_page").unwrap();
    let r = web
        .get(sub.join("../Accueil").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "../Accueil from the sub-folder");
    // No such entry: a 404 page.
    let r = web
        .get(s.url(&url_of(&c.name, "Nulle_part")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bar_follows_the_readers_language_right_to_left_in_arabic() {
    let s = TestServer::start().await;
    s.user_in("r.ar", Role::Pupil, "ar").await;
    let c = s
        .install_zim(&zim_fixtures().join("zstd.zim"), SchoolAudience::School)
        .await;
    let web = s.logged_in("r.ar").await;
    let r = web
        .get(s.url(&url_of(&c.name, "Garçon")))
        .send()
        .await
        .unwrap();
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    assert!(
        etag.ends_with("-ar\""),
        "the page's ETag names its bar's language"
    );
    let body = r.text().await.unwrap();
    assert!(body.contains("<div id=\"cartable-bar\" lang=\"ar\" dir=\"rtl\">"));
    assert!(body.contains("البوابة"));
    let list = web
        .get(s.url("/library"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.starts_with("<!doctype html>\n<html lang=\"ar\" dir=\"rtl\">"));
    assert!(list.contains("المكتبة"));
}

/// Who is logged in for the permission tests, and which audiences they read.
const PEOPLE: [&str; 8] = [
    "p.admin",
    "p.staff",
    "p.teacher",
    "p.pupil_a",
    "p.pupil_b",
    "p.parent_a",
    "p.parent_b",
    "anonymous",
];

fn reads(who: &str, audience: &str) -> bool {
    match (who, audience) {
        ("anonymous", _) => false,
        (_, "school") => true,
        // Staff (teachers included) read every collection.
        ("p.admin" | "p.staff" | "p.teacher", _) => true,
        (_, "staff") => false,
        ("p.pupil_a" | "p.parent_a", "classes") => true,
        _ => false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_audience_against_every_role() {
    let s = TestServer::start().await;
    let a = s.class("6e A").await;
    let b = s.class("5e B").await;
    s.user("p.admin", Role::Admin).await;
    s.user("p.staff", Role::Staff).await;
    // A teacher of neither class: staff read everything anyway.
    s.user("p.teacher", Role::Teacher).await;
    let pa = s.user("p.pupil_a", Role::Pupil).await;
    let pb = s.user("p.pupil_b", Role::Pupil).await;
    let parent_a = s.user("p.parent_a", Role::Parent).await;
    let parent_b = s.user("p.parent_b", Role::Parent).await;
    s.add_member(a, pa).await;
    s.add_member(b, pb).await;
    s.link_parent(parent_a, pa).await;
    s.link_parent(parent_b, pb).await;
    // Two collections (the fixtures hold two UUIDs); the first changes audience per round.
    let first = s
        .install_zim(&zim_fixtures().join("zstd.zim"), SchoolAudience::School)
        .await;
    let second = s
        .install_zim(&zim_fixtures().join("none.zim"), SchoolAudience::Staff)
        .await;
    assert_ne!(first.name, second.name);
    let mut clients = Vec::new();
    for who in PEOPLE {
        clients.push(if who == "anonymous" {
            s.client()
        } else {
            s.logged_in(who).await
        });
    }
    for (audience, kind) in [
        (SchoolAudience::School, "school"),
        (SchoolAudience::Classes(vec![a]), "classes"),
    ] {
        set_audience(&s, &first, audience).await;
        for (who, web) in PEOPLE.iter().zip(&clients) {
            let r = web.get(s.url("/library")).send().await.unwrap();
            if *who == "anonymous" {
                assert_eq!(r.status(), 303);
                assert!(location(&r).starts_with("/login?next="));
            } else {
                assert_eq!(r.status(), 200);
            }
            let list = r.text().await.unwrap();
            for (c, kind) in [(&first, kind), (&second, "staff")] {
                let listed = list.contains(&format!("id=\"collection-{}\"", c.name));
                assert_eq!(listed, reads(who, kind), "{who} lists {kind}");
                for path in [
                    url_of(&c.name, "Accueil"),
                    url_of(&c.name, "images/logo.png"),
                    format!("/library/{}/", c.name),
                    format!("/library/illustration/{}", c.name),
                ] {
                    let r = web.get(s.url(&path)).send().await.unwrap();
                    let want = match (*who, reads(who, kind)) {
                        ("anonymous", _) => 303,
                        (_, false) => 404,
                        _ if path.ends_with('/') => 303,
                        _ => 200,
                    };
                    assert_eq!(r.status(), want, "{who} on {path} ({kind})");
                    if *who == "anonymous" {
                        assert!(location(&r).starts_with("/login?next="), "{path}");
                    }
                }
            }
        }
    }
    // A collection that does not exist is the same 404.
    let r = clients[3]
        .get(s.url("/library/nothing_here/Accueil"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_empty_library_points_admins_to_the_admin_page() {
    let s = TestServer::start().await;
    s.user("e.admin", Role::Admin).await;
    s.user("e.pupil", Role::Pupil).await;
    let admin = page_text(&s.logged_in("e.admin").await, s.url("/library")).await;
    assert!(admin.contains("id=\"library-empty\""));
    assert!(admin.contains("href=\"/admin/library\""));
    let pupil = page_text(&s.logged_in("e.pupil").await, s.url("/library")).await;
    assert!(pupil.contains("id=\"library-empty\""));
    assert!(!pupil.contains("/admin/library"));
    // The portal links the library.
    let home = page_text(&s.logged_in("e.pupil").await, s.url("/")).await;
    assert!(home.contains("href=\"/library\""));
}

/// Sends `GET target` as written (no URL normalisation) with `cookie`; returns the status.
async fn raw_get(s: &TestServer, target: &str, cookie: &str) -> u16 {
    let addr = s.base.trim_start_matches("http://");
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    );
    tcp.write_all(req.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    tcp.read_to_end(&mut out).await.unwrap();
    let head = String::from_utf8_lossy(&out[..out.len().min(20)]).into_owned();
    head.split(' ').nth(1).unwrap_or("0").parse().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_paths_are_refused_cleanly() {
    let s = TestServer::start().await;
    s.user("b.pupil", Role::Pupil).await;
    let c = s
        .install_zim(&zim_fixtures().join("zstd.zim"), SchoolAudience::School)
        .await;
    let web = s.client();
    let r = login(&web, &s.base, "b.pupil", PASSWORD).await;
    let cookie = session_cookie(&r);
    let n = &c.name;
    assert_eq!(
        raw_get(&s, &format!("/library/{n}/Accueil"), &cookie).await,
        200
    );
    let long = format!("/library/{n}/{}", "a".repeat(5000));
    for target in [
        format!("/library/{n}/dossier/../Accueil"),
        format!("/library/{n}/../{n}/Accueil"),
        format!("/library/{n}/%2E%2E/Accueil"),
        format!("/library/{n}/./Accueil"),
        format!("/library/{n}/dossier%2FSous_page"),
        format!("/library/{n}/dossier%2fSous_page"),
        format!("/library/{n}/Acc%00ueil"),
        format!("/library/{n}/Acc%0Aueil"),
        format!("/library/{n}/%C3%28"),
        format!("/library/{n}/Gar%E7on"),
        long,
    ] {
        let status = raw_get(&s, &target, &cookie).await;
        assert_eq!(status, 400, "{}", &target[..target.len().min(80)]);
    }
    // Decoded once: `%2525` is the entry `%25`, which does not exist.
    assert_eq!(
        raw_get(&s, &format!("/library/{n}/Acc%2525"), &cookie).await,
        404
    );
    // A bad path in a collection one cannot see says nothing about it.
    assert_eq!(raw_get(&s, "/library/nothing/../x", &cookie).await, 404);
    // Nothing changed: the collection is there and reads.
    let list = s
        .running
        .app
        .db
        .read(|db| Ok(registry::list(db)?))
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        raw_get(&s, &format!("/library/{n}/Gar%C3%A7on"), &cookie).await,
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_collection_removed_while_open_is_a_404_next_time() {
    let s = TestServer::start().await;
    s.user("g.pupil", Role::Pupil).await;
    let c = s
        .install_zim(&zim_fixtures().join("zstd.zim"), SchoolAudience::School)
        .await;
    let web = s.logged_in("g.pupil").await;
    let art = s.url(&url_of(&c.name, "Accueil"));
    assert_eq!(web.get(&art).send().await.unwrap().status(), 200);
    remove(&s, &c).await;
    assert_eq!(web.get(&art).send().await.unwrap().status(), 404);
    let media = s.url(&url_of(&c.name, "media/son.ogg"));
    assert_eq!(web.get(&media).send().await.unwrap().status(), 404);
    let list = page_text(&web, s.url("/library")).await;
    assert!(!list.contains(&format!("collection-{}", c.name)));
    assert!(list.contains("id=\"library-empty\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_truncated_collection_is_an_error_page_with_details_for_staff_only() {
    let s = TestServer::start().await;
    s.user("t.admin", Role::Admin).await;
    s.user("t.pupil", Role::Pupil).await;
    // A copy of its own (the installed file is hard-linked to its source).
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("broken.zim");
    std::fs::copy(zim_fixtures().join("zstd.zim"), &copy).unwrap();
    let c = s.install_zim(&copy, SchoolAudience::School).await;
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&c.file)
        .unwrap();
    let len = f.metadata().unwrap().len();
    f.set_len(len / 2).unwrap();
    drop(f);
    let art = s.url(&url_of(&c.name, "Accueil"));
    let admin = s.logged_in("t.admin").await;
    let r = admin.get(&art).send().await.unwrap();
    assert_eq!(r.status(), 503);
    let page = plain(&r.text().await.unwrap());
    assert!(page.contains("id=\"library-problem-detail\""), "{page}");
    assert!(page.contains("truncated"), "{page}");
    let pupil = s.logged_in("t.pupil").await;
    let r = pupil.get(&art).send().await.unwrap();
    assert_eq!(r.status(), 503);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"library-problem\""));
    assert!(!page.contains("truncated"), "no reader details for pupils");
    // The main page too, and the listing still works (it opens no file).
    let r = pupil
        .get(s.url(&format!("/library/{}/", c.name)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    let r = pupil.get(s.url("/library")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}
