//! The web file manager, as a browser uses it: uploads (several files, streamed, quota,
//! cut-off bodies), downloads with ranges and validators, who sees and writes which space,
//! rename/move/delete/restore, and the names that are refused.

use crate::support::*;
use cartable::auth::Role;
use cartable::ids::UserId;
use reqwest::multipart::{Form, Part};
use std::path::PathBuf;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct School {
    s: TestServer,
    pupil: UserId,
}

/// A class "6e A" with pupil `p.amina` and teacher `t.marc`; a class "5e B" with `p.other`.
async fn school() -> School {
    let s = TestServer::start().await;
    let pupil = s.user("p.amina", Role::Pupil).await;
    let teacher = s.user("t.marc", Role::Teacher).await;
    let other = s.user("p.other", Role::Pupil).await;
    let a = s.class("6e A").await;
    let b = s.class("5e B").await;
    s.add_member(a, pupil).await;
    s.add_member(a, teacher).await;
    s.add_member(b, other).await;
    School { s, pupil }
}

impl School {
    fn personal(&self, id: UserId) -> PathBuf {
        self.s.dir.path().join("files/users").join(id.to_string())
    }
    fn tmp(&self) -> PathBuf {
        self.s.dir.path().join("files/.tmp")
    }
    /// Files left in the temporary folder (which may not exist yet).
    fn tmp_files(&self) -> usize {
        std::fs::read_dir(self.tmp()).map_or(0, |d| d.count())
    }
}

async fn upload(
    c: &reqwest::Client,
    base: &str,
    dir: &str,
    files: &[(&str, Vec<u8>)],
) -> reqwest::Response {
    let csrf = csrf_for(c, base, "/files").await;
    let mut form = Form::new().text("csrf", csrf).text("dir", dir.to_owned());
    for (name, data) in files {
        form = form.part(
            "files",
            Part::bytes(data.clone()).file_name(name.to_string()),
        );
    }
    c.post(format!("{base}/files-action/upload"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn post(
    c: &reqwest::Client,
    base: &str,
    op: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = csrf_for(c, base, "/files").await;
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    c.post(format!("{base}{op}"))
        .form(&form)
        .send()
        .await
        .unwrap()
}

async fn get(c: &reqwest::Client, url: String) -> (u16, String) {
    let r = c.get(url).send().await.unwrap();
    (r.status().as_u16(), text(r).await)
}

/// A page's text with the template engine's escapes undone, to search it as a person reads it.
async fn text(r: reqwest::Response) -> String {
    crate::support::plain(&r.text().await.unwrap())
        .replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 7 % 251) as u8).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_files_uploaded_at_once_come_back_byte_for_byte_with_ranges() {
    let sc = school().await;
    let s = &sc.s;
    let c = s.logged_in("p.amina").await;
    let big = pattern(700_000);
    let small = "Résumé de cours\n".as_bytes().to_vec();
    let r = upload(
        &c,
        &s.base,
        "p.amina",
        &[("cours.bin", big.clone()), ("Résumé.txt", small.clone())],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/files/p.amina?msg=files.uploaded");

    let (status, html) = get(&c, s.url("/files/p.amina")).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-name=\"cours.bin\""), "{html}");
    assert!(html.contains("R%C3%A9sum%C3%A9.txt"));

    let r = c
        .get(s.url("/files/p.amina/cours.bin"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(r.headers()["accept-ranges"], "bytes");
    assert_eq!(r.bytes().await.unwrap().as_ref(), &big[..]);
    let r = c
        .get(s.url("/files/p.amina/R%C3%A9sum%C3%A9.txt"))
        .send()
        .await
        .unwrap();
    let cd = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cd.contains("filename*=UTF-8''R%C3%A9sum%C3%A9.txt"), "{cd}");
    assert_eq!(r.bytes().await.unwrap().as_ref(), &small[..]);

    // A range: 206 and exactly those bytes.
    let r = c
        .get(s.url("/files/p.amina/cours.bin"))
        .header("range", "bytes=1000-1999")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 206);
    assert_eq!(r.headers()["content-range"], "bytes 1000-1999/700000");
    assert_eq!(r.bytes().await.unwrap().as_ref(), &big[1000..2000]);
    let r = c
        .get(s.url("/files/p.amina/cours.bin"))
        .header("range", "bytes=900000-")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 416);
    assert_eq!(r.headers()["content-range"], "bytes */700000");
    // The validator: an unchanged file is a 304.
    let r = c
        .get(s.url("/files/p.amina/cours.bin"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    // An HTML upload is never served as a page of the portal.
    upload(
        &c,
        &s.base,
        "p.amina",
        &[("page.html", b"<script>".to_vec())],
    )
    .await;
    let r = c
        .get(s.url("/files/p.amina/page.html"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/octet-stream");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(sc.tmp_files(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pupil_reads_their_class_space_but_cannot_write_it_nor_see_other_spaces() {
    let sc = school().await;
    let s = &sc.s;
    let teacher = s.logged_in("t.marc").await;
    let r = upload(
        &teacher,
        &s.base,
        "Classes/6e A",
        &[("consignes.txt", b"Lire le chapitre 3".to_vec())],
    )
    .await;
    assert_eq!(r.status(), 303);
    let other = s.logged_in("p.other").await;
    upload(
        &other,
        &s.base,
        "p.other",
        &[("secret.txt", b"mine".to_vec())],
    )
    .await;

    let pupil = s.logged_in("p.amina").await;
    let (status, html) = get(&pupil, s.url("/files")).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-path=\"Classes/6e A\""));
    assert!(!html.contains("5e B") && !html.contains("p.other"));
    let (status, html) = get(&pupil, s.url("/files/Classes/6e%20A")).await;
    assert_eq!(status, 200);
    assert!(html.contains("consignes.txt"));
    assert!(html.contains("id=\"read-only\"") && !html.contains("id=\"upload\""));
    let (status, body) = get(&pupil, s.url("/files/Classes/6e%20A/consignes.txt")).await;
    assert_eq!((status, body.as_str()), (200, "Lire le chapitre 3"));

    // Writing the class space: 403, nothing changed.
    let r = upload(&pupil, &s.base, "Classes/6e A", &[("x.txt", b"x".to_vec())]).await;
    assert_eq!(r.status(), 403);
    for (op, fields) in [
        (
            "/files-action/mkdir",
            vec![("dir", "Classes/6e A"), ("name", "new")],
        ),
        (
            "/files-action/delete",
            vec![("path", "Classes/6e A/consignes.txt")],
        ),
        (
            "/files-action/rename",
            vec![("path", "Classes/6e A/consignes.txt"), ("name", "y.txt")],
        ),
        (
            "/files-action/move",
            vec![("path", "p.amina/nothing"), ("dest", "Classes/6e A")],
        ),
    ] {
        let r = post(&pupil, &s.base, op, &fields).await;
        assert!(
            r.status() == 403 || r.status() == 404,
            "{op}: {}",
            r.status()
        );
    }
    let r = post(
        &pupil,
        &s.base,
        "/files-action/mkdir",
        &[("dir", "Classes/6e A"), ("name", "new")],
    )
    .await;
    assert_eq!(r.status(), 403);
    let (_, html) = get(&teacher, s.url("/files/Classes/6e%20A")).await;
    assert!(html.contains("consignes.txt") && !html.contains("x.txt"));

    // Spaces they cannot see are 404, never 403, whether or not the name exists.
    for path in [
        "/files/Classes/5e%20B",
        "/files/Classes/6e%20Z",
        "/files/p.other",
        "/files/p.other/secret.txt",
        "/files/p.nobody/secret.txt",
        "/files/Staff",
    ] {
        assert_eq!(get(&pupil, s.url(path)).await.0, 404, "{path}");
    }
    let r = upload(&pupil, &s.base, "p.other", &[("x.txt", b"x".to_vec())]).await;
    assert_eq!(r.status(), 404);
    // The teacher writes their class and sees the staff room; not the pupils' own spaces.
    assert_eq!(get(&teacher, s.url("/files/Staff")).await.0, 200);
    assert_eq!(get(&teacher, s.url("/files/p.amina")).await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rename_move_delete_and_restore_round_trip() {
    let sc = school().await;
    let s = &sc.s;
    let c = s.logged_in("p.amina").await;
    let root = sc.personal(sc.pupil);
    assert_eq!(
        post(
            &c,
            &s.base,
            "/files-action/mkdir",
            &[("dir", "p.amina"), ("name", "Maths")]
        )
        .await
        .status(),
        303
    );
    upload(&c, &s.base, "p.amina", &[("devoir.txt", b"42".to_vec())]).await;

    let r = post(
        &c,
        &s.base,
        "/files-action/rename",
        &[("path", "p.amina/devoir.txt"), ("name", "Devoir 1.txt")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert!(root.join("Devoir 1.txt").is_file() && !root.join("devoir.txt").exists());

    let r = post(
        &c,
        &s.base,
        "/files-action/move",
        &[("path", "p.amina/Devoir 1.txt"), ("dest", "p.amina/Maths")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/files/p.amina/Maths?msg=files.moved");
    assert_eq!(
        std::fs::read(root.join("Maths/Devoir 1.txt")).unwrap(),
        b"42"
    );

    // A folder cannot go into itself, nor to a space the pupil cannot write.
    let r = post(
        &c,
        &s.base,
        "/files-action/move",
        &[("path", "p.amina/Maths"), ("dest", "p.amina/Maths")],
    )
    .await;
    assert_eq!(r.status(), 400);
    assert!(text(r).await.contains("lui-même"));
    let r = post(
        &c,
        &s.base,
        "/files-action/move",
        &[("path", "p.amina/Maths"), ("dest", "Classes/6e A")],
    )
    .await;
    assert_eq!(r.status(), 403);
    assert!(root.join("Maths/Devoir 1.txt").is_file());

    // Delete the folder: gone from the space, listed in the trash, back on restore.
    let r = post(
        &c,
        &s.base,
        "/files-action/delete",
        &[("path", "p.amina/Maths")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert!(!root.join("Maths").exists());
    let (_, html) = get(&c, s.url("/trash")).await;
    assert!(html.contains("data-path=\"p.amina/Maths\""), "{html}");
    let at = html.find("/trash/").unwrap() + 7;
    let id: String = html[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    // Another pupil can neither restore it nor learn it exists.
    let other = s.logged_in("p.other").await;
    let r = post(&other, &s.base, &format!("/trash/{id}/restore"), &[]).await;
    assert_eq!(r.status(), 404);
    let (_, other_trash) = get(&other, s.url("/trash")).await;
    assert!(!other_trash.contains("Maths"));
    // A new "maths" takes the name: restoring is refused with a clear message.
    post(
        &c,
        &s.base,
        "/files-action/mkdir",
        &[("dir", "p.amina"), ("name", "maths")],
    )
    .await;
    let r = post(&c, &s.base, &format!("/trash/{id}/restore"), &[]).await;
    assert_eq!(r.status(), 400);
    assert!(text(r).await.contains("Impossible de restaurer"));
    std::fs::remove_dir(root.join("maths")).unwrap();
    let r = post(&c, &s.base, &format!("/trash/{id}/restore"), &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        std::fs::read(root.join("Maths/Devoir 1.txt")).unwrap(),
        b"42"
    );
    let (_, html) = get(&c, s.url("/trash")).await;
    assert!(html.contains("id=\"trash-empty\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_over_quota_upload_is_refused_and_leaves_nothing() {
    let sc = school().await;
    let s = &sc.s;
    s.running
        .app
        .db
        .write(|tx| {
            tx.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES ('quota_pupil', '1')",
                [],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let c = s.logged_in("p.amina").await;
    let (_, html) = get(&c, s.url("/files")).await;
    assert!(html.contains("1\u{a0}Mo"), "{html}");
    let r = upload(
        &c,
        &s.base,
        "p.amina",
        &[("a.bin", pattern(600_000)), ("b.bin", pattern(600_000))],
    )
    .await;
    assert_eq!(r.status(), 400);
    assert!(text(r).await.contains("quota"));
    let root = sc.personal(sc.pupil);
    assert!(!root.join("a.bin").exists() && !root.join("b.bin").exists());
    assert_eq!(sc.tmp_files(), 0);
    // What fits still goes in.
    let r = upload(&c, &s.base, "p.amina", &[("a.bin", pattern(600_000))]).await;
    assert_eq!(r.status(), 303);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_names_and_paths_are_refused_with_a_message() {
    let sc = school().await;
    let s = &sc.s;
    let c = s.logged_in("p.amina").await;
    let root = sc.personal(sc.pupil);
    post(
        &c,
        &s.base,
        "/files-action/mkdir",
        &[("dir", "p.amina"), ("name", "Maths")],
    )
    .await;
    for bad in [
        "..",
        ".",
        "a/b",
        "a\\b",
        "x\u{7}y",
        "con",
        "evil\u{202E}txt.exe",
        "trailing.",
    ] {
        let r = post(
            &c,
            &s.base,
            "/files-action/mkdir",
            &[("dir", "p.amina"), ("name", bad)],
        )
        .await;
        assert_eq!(r.status(), 400, "{bad:?}");
        assert!(text(r).await.contains("Ce nom n'est pas autorisé"));
    }
    let r = post(
        &c,
        &s.base,
        "/files-action/mkdir",
        &[("dir", "p.amina"), ("name", "MATHS")],
    )
    .await;
    assert_eq!(r.status(), 400);
    assert!(text(r).await.contains("porte déjà ce nom"));
    let r = upload(&c, &s.base, "p.amina", &[("maths", b"x".to_vec())]).await;
    assert_eq!(r.status(), 400);
    let r = upload(&c, &s.base, "p.amina", &[("a:b.txt", b"x".to_vec())]).await;
    assert_eq!(r.status(), 400);
    let r = upload(
        &c,
        &s.base,
        "p.amina",
        &[("same.txt", b"1".to_vec()), ("SAME.txt", b"2".to_vec())],
    )
    .await;
    assert_eq!(r.status(), 400);
    assert_eq!(std::fs::read_dir(&root).unwrap().count(), 1, "only Maths");
    for path in [
        "/files/p.amina/%2E%2E/p.other",
        "/files/p.amina/Maths%2F..%2F..",
        "/files/p.amina/%00",
    ] {
        assert_eq!(get(&c, s.url(path)).await.0, 404, "{path}");
    }
    let r = post(&c, &s.base, "/files-action/delete", &[("path", "p.amina")]).await;
    assert_eq!(r.status(), 400);
    // No CSRF token: refused.
    let r = c
        .post(s.url("/files-action/mkdir"))
        .form(&[("dir", "p.amina"), ("name", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(root.join("Maths").is_dir() && !root.join("x").exists());
}

/// Sends a raw upload request with `declared` as Content-Length and `body`, then closes.
async fn raw_upload(sc: &School, cookie: &str, csrf: &str, declared: u64, body: &[u8]) -> String {
    let addr = sc.s.base.trim_start_matches("http://").to_owned();
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /files-action/upload HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\
         Content-Type: multipart/form-data; boundary=XXB\r\nContent-Length: {declared}\r\n\r\n\
         --XXB\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --XXB\r\nContent-Disposition: form-data; name=\"dir\"\r\n\r\np.amina\r\n\
         --XXB\r\nContent-Disposition: form-data; name=\"files\"; filename=\"cut.bin\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    let _ = tcp.write_all(body).await;
    let _ = tcp.flush().await;
    tcp.shutdown().await.ok();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        tcp.read_to_end(&mut answer),
    )
    .await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_cut_off_mid_body_leaves_no_file_and_no_temporary_file() {
    let sc = school().await;
    let s = &sc.s;
    let c = s.client();
    let r = login(&c, &s.base, "p.amina", PASSWORD).await;
    let cookie = session_cookie(&r);
    let csrf = csrf_for(&c, &s.base, "/files").await;
    // Half a megabyte of a declared ten: then the client goes away.
    raw_upload(&sc, &cookie, &csrf, 10_000_000, &pattern(500_000)).await;
    let root = sc.personal(sc.pupil);
    let mut clean = false;
    for _ in 0..50 {
        let tmp_empty = sc.tmp_files() == 0;
        if tmp_empty && !root.join("cut.bin").exists() {
            clean = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(clean, "a temporary or partial file was left behind");
    // A body declared over the cap is refused before it is read.
    let answer = raw_upload(&sc, &cookie, &csrf, 50 * 1024 * 1024 * 1024, b"abc").await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(!root.join("cut.bin").exists());
}
