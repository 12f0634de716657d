//! WebDAV at `/dav/`: login, what each account sees, who may write where, quotas, bad names,
//! locks that survive a restart, symlinks and broken uploads.

use crate::support::{PASSWORD, TestServer, plain_client as client};
use cartable::auth::Role;
use cartable::files::space_root;
use cartable::ids::{SpaceId, UserId};
use reqwest::{Method, RequestBuilder, Response};

fn m(name: &str) -> Method {
    Method::from_bytes(name.as_bytes()).unwrap()
}

fn dav(s: &TestServer, method: &str, path: &str, user: &str) -> RequestBuilder {
    client()
        .request(m(method), s.url(path))
        .basic_auth(user, Some(PASSWORD))
}

async fn propfind(s: &TestServer, path: &str, user: &str, depth: &str) -> Response {
    dav(s, "PROPFIND", path, user)
        .header("Depth", depth)
        .send()
        .await
        .unwrap()
}

/// The hrefs of a multistatus body.
fn hrefs(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find("href>") {
        rest = &rest[i + 5..];
        if let Some(j) = rest.find('<') {
            if !rest[..j].is_empty() {
                out.push(rest[..j].to_owned());
            }
            rest = &rest[j..];
        }
    }
    out
}

const LOCKINFO: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>test</D:owner></D:lockinfo>"#;

fn tmp_files(s: &TestServer) -> usize {
    std::fs::read_dir(s.dir.path().join("files/.tmp"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_dav_path_needs_a_login() {
    let s = TestServer::start().await;
    s.user("amina", Role::Pupil).await;
    for path in [
        "/dav",
        "/dav/",
        "/dav/Classes/",
        "/dav/amina/",
        "/dav/nobody/x",
    ] {
        for method in ["PROPFIND", "GET", "OPTIONS", "PUT", "MKCOL"] {
            let r = client()
                .request(m(method), s.url(path))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 401, "{method} {path}");
            assert_eq!(
                r.headers()["www-authenticate"],
                "Basic realm=\"Cartable\", charset=\"UTF-8\""
            );
        }
    }
    let r = propfind(&s, "/dav/", "amina", "0").await;
    assert_eq!(r.status(), 207);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_are_refused_then_throttled() {
    let s = TestServer::start().await;
    s.user("amina", Role::Pupil).await;
    let wrong = || {
        client()
            .request(m("PROPFIND"), s.url("/dav/"))
            .basic_auth("amina", Some("not-the-password"))
    };
    for _ in 0..5 {
        assert_eq!(wrong().send().await.unwrap().status(), 401);
    }
    let r = wrong().send().await.unwrap();
    assert_eq!(r.status(), 503);
    assert!(r.headers().contains_key("retry-after"));
    // An unknown user gets the same answer as a wrong password.
    let r = client()
        .request(m("PROPFIND"), s.url("/dav/"))
        .basic_auth("nobody", Some("whatever"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_account_sees_exactly_its_spaces() {
    let s = TestServer::start().await;
    let pupil = s.user("amina", Role::Pupil).await;
    let teacher = s.user("prof", Role::Teacher).await;
    s.user("bob", Role::Pupil).await;
    let a = s.class("6e A").await;
    let b = s.class("6e B").await;
    s.add_member(a, pupil).await;
    s.add_member(a, teacher).await;
    let _ = b;

    let r = propfind(&s, "/dav/", "amina", "1").await;
    assert_eq!(r.status(), 207);
    assert_eq!(r.headers()["dav"], "1, 2");
    let mut got = hrefs(&r.text().await.unwrap());
    got.sort();
    assert_eq!(
        got,
        vec!["/dav/", "/dav/Classes/", "/dav/Homework/", "/dav/amina/"]
    );
    let got = hrefs(
        &propfind(&s, "/dav/Classes/", "amina", "1")
            .await
            .text()
            .await
            .unwrap(),
    );
    assert_eq!(got, vec!["/dav/Classes/", "/dav/Classes/6e%20A/"]);

    let mut got = hrefs(
        &propfind(&s, "/dav", "prof", "1")
            .await
            .text()
            .await
            .unwrap(),
    );
    got.sort();
    assert_eq!(
        got,
        vec![
            "/dav/",
            "/dav/Classes/",
            "/dav/Homework/",
            "/dav/Staff/",
            "/dav/prof/"
        ]
    );

    // Another account, another class, the staff room: all the same 404 as a made-up name.
    for path in [
        "/dav/bob/",
        "/dav/prof/",
        "/dav/Classes/6e%20B/",
        "/dav/Staff/",
        "/dav/nobody/",
        "/dav/Classes/nothing/",
    ] {
        assert_eq!(
            propfind(&s, path, "amina", "0").await.status(),
            404,
            "{path}"
        );
        let r = dav(&s, "PUT", &format!("{path}x.txt"), "amina")
            .body("x")
            .send()
            .await
            .unwrap();
        assert!(
            r.status() == 404 || r.status() == 409,
            "PUT in {path}: {}",
            r.status()
        );
    }

    // OPTIONS on the root and a parent answer what Explorer and Finder look for.
    for path in ["/dav", "/dav/", "/dav/Classes/"] {
        let r = dav(&s, "OPTIONS", path, "amina").send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["dav"], "1, 2");
        assert_eq!(r.headers()["ms-author-via"], "DAV");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pupils_read_their_class_space_and_teachers_write_it() {
    let s = TestServer::start().await;
    let pupil = s.user("amina", Role::Pupil).await;
    let teacher = s.user("prof", Role::Teacher).await;
    let a = s.class("6e A").await;
    s.add_member(a, pupil).await;
    s.add_member(a, teacher).await;
    let url = "/dav/Classes/6e%20A/cours.txt";
    let r = dav(&s, "PUT", url, "amina").body("x").send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = dav(&s, "PUT", url, "prof")
        .body("le cours")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = dav(&s, "GET", url, "amina").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "le cours");
    let r = dav(&s, "MKCOL", "/dav/Classes/6e%20A/sub/", "amina")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = dav(&s, "DELETE", url, "amina").send().await.unwrap();
    assert_eq!(r.status(), 403);
    // A MOVE out of the class space into the pupil's own: refused, nothing changed.
    let r = dav(&s, "MOVE", url, "amina")
        .header("Destination", s.url("/dav/amina/cours.txt"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = dav(&s, "GET", url, "amina").send().await.unwrap();
    assert_eq!(r.status(), 200);
    // A COPY is a read of the class space and a write of their own: allowed.
    let r = dav(&s, "COPY", url, "amina")
        .header("Destination", s.url("/dav/amina/cours.txt"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    // The virtual folders are read-only.
    let r = dav(&s, "PUT", "/dav/x.txt", "prof")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = dav(&s, "MKCOL", "/dav/Classes/new/", "prof")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_over_quota_is_refused_and_leaves_nothing() {
    let s = TestServer::start().await;
    let id = s.user("amina", Role::Pupil).await;
    s.running
        .app
        .db
        .write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES ('quota_pupil', '1')
                 ON CONFLICT (key) DO UPDATE SET value = '1'",
                [],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let big = vec![b'x'; 2 * 1024 * 1024];
    let r = dav(&s, "PUT", "/dav/amina/big.bin", "amina")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 507);
    let root = space_root(s.dir.path(), SpaceId::Personal(id));
    assert!(!root.join("big.bin").exists());
    assert_eq!(tmp_files(&s), 0);
    // A chunked body (no declared length) is stopped as it goes.
    let stream = futures_util::stream::iter(
        (0..40).map(|_| Ok::<_, std::io::Error>(bytes::Bytes::from(vec![b'y'; 64 * 1024]))),
    );
    let r = dav(&s, "PUT", "/dav/amina/big2.bin", "amina")
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await;
    if let Ok(r) = r {
        assert_eq!(r.status(), 507);
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(!root.join("big2.bin").exists());
    assert_eq!(tmp_files(&s), 0);
    let r = dav(&s, "PUT", "/dav/amina/small.txt", "amina")
        .body("fits")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_names_are_refused_and_nothing_is_created() {
    let s = TestServer::start().await;
    let id = s.user("amina", Role::Pupil).await;
    let root = space_root(s.dir.path(), SpaceId::Personal(id));
    let r = dav(&s, "PUT", "/dav/amina/Devoir.txt", "amina")
        .body("1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    for (path, method) in [
        ("/dav/amina/a%2Fb.txt", "PUT"),
        ("/dav/amina/a%5Cb.txt", "PUT"),
        ("/dav/amina/..%2F..%2Fescape.txt", "PUT"),
        ("/dav/amina/%2E%2E/escape.txt", "PUT"),
        ("/dav/amina/bell%07.txt", "PUT"),
        ("/dav/amina/line%0Abreak.txt", "PUT"),
        ("/dav/amina/what%3F.txt", "PUT"),
        ("/dav/amina/devoir.TXT", "PUT"),
        ("/dav/amina/DEVOIR.txt", "MKCOL"),
        ("/dav/amina/trailing.", "MKCOL"),
        ("/dav/amina/evil%E2%80%AEtxt.exe", "PUT"),
    ] {
        let r = dav(&s, method, path, "amina")
            .body("x")
            .send()
            .await
            .unwrap();
        assert!(
            r.status().is_client_error(),
            "{method} {path} answered {}",
            r.status()
        );
    }
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, vec!["Devoir.txt"]);
    assert!(!s.dir.path().join("files/users/escape.txt").exists());
    assert!(!s.dir.path().join("files/escape.txt").exists());
    // A MOVE onto a name that clashes in case with another file is refused too.
    dav(&s, "PUT", "/dav/amina/autre.txt", "amina")
        .body("2")
        .send()
        .await
        .unwrap();
    let r = dav(&s, "MOVE", "/dav/amina/autre.txt", "amina")
        .header("Destination", s.url("/dav/amina/DEVOIR.TXT"))
        .send()
        .await
        .unwrap();
    assert!(
        !r.status().is_success() || r.status() == 207,
        "{}",
        r.status()
    );
    assert!(root.join("autre.txt").exists());
    assert!(!root.join("DEVOIR.TXT").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_stops_other_writers_and_survives_a_restart() {
    let s = TestServer::start().await;
    s.user("prof", Role::Teacher).await;
    s.user("prof2", Role::Teacher).await;
    let url = "/dav/Staff/plan.txt";
    let r = dav(&s, "PUT", url, "prof").body("v1").send().await.unwrap();
    assert_eq!(r.status(), 201);
    let r = dav(&s, "LOCK", url, "prof")
        .header("Timeout", "Second-3600")
        .body(LOCKINFO)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let token = r.headers()["lock-token"].to_str().unwrap().to_owned();
    let r = dav(&s, "PUT", url, "prof2")
        .body("v2")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 423);
    let r = dav(&s, "LOCK", url, "prof2")
        .body(LOCKINFO)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 423);

    let dir = s.stop();
    let s = TestServer::start_in(dir).await;
    let r = dav(&s, "PUT", url, "prof2")
        .body("v2")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 423, "the lock survived the restart");
    // A stolen token does not help another account.
    let r = dav(&s, "PUT", url, "prof2")
        .header("If", format!("({token})"))
        .body("v2")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 423);
    let r = dav(&s, "PUT", url, "prof")
        .header("If", format!("({token})"))
        .body("v3")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = dav(&s, "UNLOCK", url, "prof")
        .header("Lock-Token", token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = dav(&s, "PUT", url, "prof2")
        .body("v4")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_symlink_planted_in_a_space_is_not_followed() {
    let s = TestServer::start().await;
    let id = s.user("amina", Role::Pupil).await;
    let root = space_root(s.dir.path(), SpaceId::Personal(id));
    std::fs::create_dir_all(&root).unwrap();
    let secret = s.dir.path().join("secret");
    std::fs::create_dir_all(&secret).unwrap();
    std::fs::write(secret.join("key.txt"), b"secret").unwrap();
    std::os::unix::fs::symlink(&secret, root.join("dir-link")).unwrap();
    std::os::unix::fs::symlink(secret.join("key.txt"), root.join("file-link")).unwrap();
    for path in [
        "/dav/amina/file-link",
        "/dav/amina/dir-link/key.txt",
        "/dav/amina/dir-link/",
    ] {
        let r = dav(&s, "GET", path, "amina").send().await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
        assert_eq!(propfind(&s, path, "amina", "0").await.status(), 404);
    }
    let listing = propfind(&s, "/dav/amina/", "amina", "1")
        .await
        .text()
        .await
        .unwrap();
    assert!(!listing.contains("link"), "{listing}");
    let r = dav(&s, "PUT", "/dav/amina/dir-link/new.txt", "amina")
        .body("x")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error());
    assert!(!secret.join("new.txt").exists());
    let r = dav(&s, "PUT", "/dav/amina/file-link", "amina")
        .body("overwritten")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error());
    assert_eq!(std::fs::read(secret.join("key.txt")).unwrap(), b"secret");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_upload_leaves_no_file() {
    use tokio::io::AsyncWriteExt;
    let s = TestServer::start().await;
    let id = s.user("amina", Role::Pupil).await;
    let addr = s.base.trim_start_matches("http://").to_owned();
    let auth = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(format!("amina:{PASSWORD}"))
    };
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "PUT /dav/amina/half.bin HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Basic {auth}\r\nContent-Length: 3000000\r\n\r\n"
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    tcp.write_all(&vec![b'z'; 1_500_000]).await.unwrap();
    tcp.flush().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    drop(tcp);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let root = space_root(s.dir.path(), SpaceId::Personal(UserId(id.0)));
    assert!(!root.join("half.bin").exists());
    assert_eq!(tmp_files(&s), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dead_properties_are_kept() {
    let s = TestServer::start().await;
    s.user("amina", Role::Pupil).await;
    dav(&s, "PUT", "/dav/amina/a.txt", "amina")
        .body("a")
        .send()
        .await
        .unwrap();
    let patch = r#"<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:Z="http://example.com/ns"><D:set><D:prop><Z:colour>bleu</Z:colour></D:prop></D:set></D:propertyupdate>"#;
    let r = dav(&s, "PROPPATCH", "/dav/amina/a.txt", "amina")
        .body(patch)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 207);
    let r = dav(&s, "MOVE", "/dav/amina/a.txt", "amina")
        .header("Destination", s.url("/dav/amina/b.txt"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let body = r#"<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><Z:colour xmlns:Z="http://example.com/ns"/></D:prop></D:propfind>"#;
    let r = dav(&s, "PROPFIND", "/dav/amina/b.txt", "amina")
        .header("Depth", "0")
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("bleu"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_on_the_network_sends_dav_to_https() {
    let s = TestServer::start_with(vec!["0.0.0.0:0".parse().unwrap()]).await;
    s.user("amina", Role::Pupil).await;
    let port = s.running.http[0].0.port();
    let r = client()
        .request(m("PROPFIND"), format!("http://127.0.0.1:{port}/dav/amina/"))
        .basic_auth("amina", Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 301);
    let loc = r.headers()["location"].to_str().unwrap();
    assert!(loc.starts_with("https://"), "{loc}");
    // Over HTTPS the same request works.
    let r = s
        .client()
        .request(m("PROPFIND"), format!("{}/dav/amina/", s.https_base))
        .basic_auth("amina", Some(PASSWORD))
        .header("Depth", "0")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 207);
}

/// `Depth: infinity` walked every tree an account sees in one request when it carried an
/// `X-Litmus` header (dav-server honours infinity for the litmus suite), and answered 501
/// without one; RFC 4918 says 403 with `propfind-finite-depth`. A PROPFIND without `Depth`
/// means infinity and is refused the same way on a folder; on a file it is depth 0. Depth 0
/// and 1 work as before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn depth_infinity_is_403_with_or_without_x_litmus() {
    let s = TestServer::start().await;
    s.user("amina", Role::Pupil).await;
    for (method, path) in [
        ("MKCOL", "/dav/amina/Cours/"),
        ("MKCOL", "/dav/amina/Cours/Maths/"),
        ("PUT", "/dav/amina/Cours/Maths/profond.txt"),
    ] {
        let body = if method == "PUT" { "x" } else { "" };
        let r = dav(&s, method, path, "amina")
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{method} {path}: {}", r.status());
    }
    for path in ["/dav/", "/dav/amina/", "/dav/amina/Cours/"] {
        for litmus in [None, Some("props: 3 (propfind_d0)")] {
            for depth in [Some("infinity"), Some("Infinity"), None] {
                let mut req = dav(&s, "PROPFIND", path, "amina");
                if let Some(l) = litmus {
                    req = req.header("X-Litmus", l);
                }
                if let Some(d) = depth {
                    req = req.header("Depth", d);
                }
                let r = req.send().await.unwrap();
                let what = format!("{path} depth {depth:?} litmus {litmus:?}");
                assert_eq!(r.status(), 403, "{what}");
                assert!(
                    r.headers()["content-type"]
                        .to_str()
                        .unwrap()
                        .starts_with("application/xml"),
                    "{what}"
                );
                let body = r.text().await.unwrap();
                assert!(
                    body.contains(
                        r#"<D:error xmlns:D="DAV:"><D:propfind-finite-depth/></D:error>"#
                    ),
                    "{what}: {body}"
                );
                assert!(!body.contains("profond"), "{what}");
            }
        }
    }
    // On a file, infinity is depth 0 (RFC 4918 §9.1): its own properties, nothing more; on
    // nothing, a 404.
    for depth in [Some("infinity"), None] {
        for litmus in [None, Some("props: 24 (propwformed)")] {
            let mut req = dav(
                &s,
                "PROPFIND",
                "/dav/amina/Cours/Maths/profond.txt",
                "amina",
            );
            if let Some(d) = depth {
                req = req.header("Depth", d);
            }
            if let Some(l) = litmus {
                req = req.header("X-Litmus", l);
            }
            let r = req.send().await.unwrap();
            assert_eq!(r.status(), 207, "file, depth {depth:?}");
            assert_eq!(
                hrefs(&r.text().await.unwrap()),
                vec!["/dav/amina/Cours/Maths/profond.txt"]
            );
        }
        let mut req = dav(&s, "PROPFIND", "/dav/amina/absent.txt", "amina");
        if let Some(d) = depth {
            req = req.header("Depth", d);
        }
        assert_eq!(req.send().await.unwrap().status(), 404, "{depth:?}");
    }
    // Depth 0 and 1 still answer, to the depth asked.
    let r = propfind(&s, "/dav/amina/Cours/", "amina", "0").await;
    assert_eq!(r.status(), 207);
    assert_eq!(hrefs(&r.text().await.unwrap()), vec!["/dav/amina/Cours/"]);
    let r = propfind(&s, "/dav/amina/Cours/", "amina", "1").await;
    assert_eq!(r.status(), 207);
    let mut got = hrefs(&r.text().await.unwrap());
    got.sort();
    assert_eq!(got, vec!["/dav/amina/Cours/", "/dav/amina/Cours/Maths/"]);
    let r = dav(&s, "PROPFIND", "/dav/amina/", "amina")
        .header("Depth", "1")
        .header("X-Litmus", "props: 4")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 207);
    assert!(!r.text().await.unwrap().contains("Maths"));
    // A depth that means nothing is a bad request, not a walk.
    for bad in ["2", "infinite", ""] {
        let r = propfind(&s, "/dav/amina/", "amina", bad).await;
        assert_eq!(r.status(), 400, "depth {bad:?}");
    }
    // The other methods keep their depths: deleting a folder takes what is in it.
    let r = dav(&s, "DELETE", "/dav/amina/Cours/", "amina")
        .header("Depth", "infinity")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
}
