//! Homework drop boxes on a mounted drive (`/dav/Homework/`): what pupils and teachers see,
//! that a hand-in saved over WebDAV is the same hand-in as one through the portal (roster,
//! lateness, closed box), and that nobody reaches a box that is not theirs.

use crate::support::{PASSWORD, TestServer, csrf_for, page_text, plain_client};
use cartable::auth::Role;
use cartable::ids::{ClassId, UserId};
use reqwest::{Client, Method, RequestBuilder, Response};

fn dav(s: &TestServer, method: &str, path: &str, user: &str) -> RequestBuilder {
    plain_client()
        .request(Method::from_bytes(method.as_bytes()).unwrap(), s.url(path))
        .basic_auth(user, Some(PASSWORD))
}

async fn propfind(s: &TestServer, path: &str, user: &str) -> Response {
    dav(s, "PROPFIND", path, user)
        .header("Depth", "1")
        .send()
        .await
        .unwrap()
}

/// The hrefs of a depth-1 PROPFIND, sorted, or the status if it was not 207.
async fn listing(s: &TestServer, path: &str, user: &str) -> Result<Vec<String>, u16> {
    let r = propfind(s, path, user).await;
    if r.status() != 207 {
        return Err(r.status().as_u16());
    }
    let xml = r.text().await.unwrap();
    let mut out = Vec::new();
    let mut rest = xml.as_str();
    while let Some(i) = rest.find("href>") {
        rest = &rest[i + 5..];
        if let Some(j) = rest.find('<') {
            if !rest[..j].is_empty() {
                out.push(rest[..j].to_owned());
            }
            rest = &rest[j..];
        }
    }
    out.sort();
    Ok(out)
}

async fn status(s: &TestServer, method: &str, path: &str, user: &str, body: &str) -> u16 {
    dav(s, method, path, user)
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn get(s: &TestServer, path: &str, user: &str) -> (u16, String) {
    let r = dav(s, "GET", path, user).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn page_of(s: &TestServer, c: &Client, page: &str) -> String {
    page_text(c, format!("{}{page}", s.base)).await
}

struct School {
    s: TestServer,
    class: ClassId,
    other: ClassId,
    amina: UserId,
}

/// "6e A": teacher `t.marc`, pupils `p.amina`, `p.bilal`. "5e B": teacher `t.other`,
/// pupil `p.dan`.
async fn school() -> School {
    let s = TestServer::start().await;
    s.set_default_language("en").await;
    let class = s.class("6e A").await;
    let other = s.class("5e B").await;
    let marc = s.user("t.marc", Role::Teacher).await;
    s.add_member(class, marc).await;
    let amina = s.user("p.amina", Role::Pupil).await;
    s.add_member(class, amina).await;
    let bilal = s.user("p.bilal", Role::Pupil).await;
    s.add_member(class, bilal).await;
    let t = s.user("t.other", Role::Teacher).await;
    s.add_member(other, t).await;
    let d = s.user("p.dan", Role::Pupil).await;
    s.add_member(other, d).await;
    School {
        s,
        class,
        other,
        amina,
    }
}

/// Opens an assignment through the portal as `teacher`; returns its page's path.
async fn open(s: &TestServer, teacher: &str, class: ClassId, title: &str) -> String {
    let t = s.logged_in(teacher).await;
    let csrf = csrf_for(&t, &s.base, "/homework").await;
    let due = cartable::homework::format_due(cartable::now() + 3600);
    let r = t
        .post(format!("{}/homework", s.base))
        .form(&[
            ("csrf", csrf.as_str()),
            ("class", &class.to_string()),
            ("title", title),
            ("instructions", ""),
            ("due", &due),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    crate::support::location(&r)
        .split('?')
        .next()
        .unwrap()
        .to_owned()
}

const BOX: &str = "/dav/Homework/6e%20A%20-%20R%C3%A9daction/";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pupils_and_teachers_see_the_right_folders() {
    let sc = school().await;
    let s = &sc.s;
    open(s, "t.marc", sc.class, "Rédaction").await;
    // A second assignment with the same name gets its id; a title with a slash is cleaned.
    let second = open(s, "t.marc", sc.class, "rédaction").await;
    let second_id = second.trim_start_matches("/homework/");
    open(s, "t.marc", sc.class, "Maths 3/4").await;
    open(s, "t.other", sc.other, "Secret").await;

    let root = listing(s, "/dav/", "p.amina").await.unwrap();
    assert!(root.contains(&"/dav/Homework/".to_owned()), "{root:?}");
    let want = vec![
        "/dav/Homework/".to_owned(),
        "/dav/Homework/6e%20A%20-%20Maths%203_4/".to_owned(),
        "/dav/Homework/6e%20A%20-%20R%C3%A9daction/".to_owned(),
        format!("/dav/Homework/6e%20A%20-%20r%C3%A9daction%20%28%23{second_id}%29/"),
    ];
    assert_eq!(listing(s, "/dav/Homework/", "p.amina").await.unwrap(), want);
    assert_eq!(listing(s, "/dav/Homework/", "t.marc").await.unwrap(), want);
    // Another class's pupil and teacher see only theirs, and cannot reach these.
    for who in ["p.dan", "t.other"] {
        assert_eq!(
            listing(s, "/dav/Homework/", who).await.unwrap(),
            ["/dav/Homework/", "/dav/Homework/5e%20B%20-%20Secret/"]
        );
        assert_eq!(listing(s, BOX, who).await, Err(404), "{who}");
    }
    // An account in no class has no Homework folder at all.
    s.user("lonely", Role::Pupil).await;
    let root = listing(s, "/dav/", "lonely").await.unwrap();
    assert_eq!(root, ["/dav/", "/dav/lonely/"]);
    assert_eq!(listing(s, "/dav/Homework/", "lonely").await, Err(404));

    // The teacher's folder has one folder per pupil of the class, handed in or not.
    assert_eq!(
        listing(s, BOX, "t.marc").await.unwrap(),
        [
            BOX.to_owned(),
            format!("{BOX}p.amina/"),
            format!("{BOX}p.bilal/")
        ]
    );
    // The pupil's folder is their own box: empty so far, with no one else's in it.
    assert_eq!(listing(s, BOX, "p.amina").await.unwrap(), [BOX]);
    assert_eq!(
        listing(s, &format!("{BOX}p.bilal/"), "p.amina").await,
        Err(404)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_in_over_webdav_is_a_hand_in() {
    let sc = school().await;
    let s = &sc.s;
    let page = open(s, "t.marc", sc.class, "Rédaction").await;
    let id: i64 = page.trim_start_matches("/homework/").parse().unwrap();

    let file = format!("{BOX}copie.txt");
    assert_eq!(status(s, "PUT", &file, "p.amina", "amina 1").await, 201);
    assert_eq!(get(s, &file, "p.amina").await, (200, "amina 1".to_owned()));
    // Saving again replaces it.
    assert_eq!(status(s, "PUT", &file, "p.amina", "amina 2").await, 204);
    assert_eq!(get(s, &file, "p.amina").await.1, "amina 2");
    // A name that differs only in case is a clash, as in the portal.
    assert_eq!(
        status(s, "PUT", &format!("{BOX}COPIE.txt"), "p.amina", "x").await / 100,
        4
    );
    // The portal's roster shows it, once, on time.
    let t = s.logged_in("t.marc").await;
    let roster = page_of(s, &t, &page).await;
    assert!(
        roster.contains("On time: 1 · late: 0 · not yet: 1"),
        "{roster}"
    );
    let on_disk = s
        .dir
        .path()
        .join(format!("files/homework/{id}/{}/copie.txt", sc.amina));
    assert_eq!(std::fs::read(on_disk).unwrap(), b"amina 2");

    // The teacher reads it in the pupil's folder, and cannot change it.
    let theirs = format!("{BOX}p.amina/copie.txt");
    assert_eq!(get(s, &theirs, "t.marc").await, (200, "amina 2".to_owned()));
    assert_eq!(
        listing(s, &format!("{BOX}p.amina/"), "t.marc")
            .await
            .unwrap(),
        [format!("{BOX}p.amina/"), theirs.clone()]
    );
    assert_eq!(status(s, "PUT", &theirs, "t.marc", "edited").await, 403);
    assert_eq!(status(s, "DELETE", &theirs, "t.marc", "").await, 403);
    assert_eq!(
        status(s, "PUT", &format!("{BOX}x.txt"), "t.marc", "x").await,
        403
    );

    // A classmate gets a 404 for Amina's file: their own box has no such file, and there is
    // no path to Amina's.
    assert_eq!(get(s, &file, "p.bilal").await.0, 404);
    assert_eq!(
        get(s, &format!("{BOX}p.amina/copie.txt"), "p.bilal")
            .await
            .0,
        404
    );
    assert_eq!(
        listing(s, &format!("{BOX}p.amina/"), "p.bilal").await,
        Err(404)
    );
    assert_eq!(get(s, &theirs, "t.other").await.0, 404);

    // Only hand-ins and withdrawals change a box: no folders, moves or copies.
    assert_eq!(
        status(s, "MKCOL", &format!("{BOX}sub/"), "p.amina", "").await,
        403
    );
    assert_eq!(
        status(s, "MKCOL", "/dav/Homework/new/", "p.amina", "").await,
        403
    );
    assert_eq!(
        status(s, "PUT", "/dav/Homework/x.txt", "p.amina", "x").await,
        403
    );
    let r = dav(s, "MOVE", &file, "p.amina")
        .header("Destination", s.url(&format!("{BOX}renamed.txt")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        status(s, "PUT", "/dav/p.amina/mine.txt", "p.amina", "m").await,
        201
    );
    let r = dav(s, "COPY", "/dav/p.amina/mine.txt", "p.amina")
        .header("Destination", s.url(&format!("{BOX}mine.txt")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // DELETE withdraws it, and the roster says so.
    assert_eq!(status(s, "DELETE", &file, "p.amina", "").await, 204);
    assert_eq!(get(s, &file, "p.amina").await.0, 404);
    let roster = page_of(s, &t, &page).await;
    assert!(
        roster.contains("On time: 0 · late: 0 · not yet: 2"),
        "{roster}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn late_is_marked_and_a_closed_box_refuses() {
    let sc = school().await;
    let s = &sc.s;
    let page = open(s, "t.marc", sc.class, "Rédaction").await;
    let id: i64 = page.trim_start_matches("/homework/").parse().unwrap();
    assert_eq!(
        status(s, "PUT", &format!("{BOX}kept.txt"), "p.amina", "kept").await,
        201
    );
    s.running
        .app
        .db
        .write(move |tx| {
            tx.execute(
                "UPDATE assignments SET due_at = ?1 WHERE id = ?2",
                rusqlite::params![cartable::now() - 60, id],
            )?;
            tx.execute(
                "UPDATE hand_ins SET handed_in_at = ?1 WHERE assignment_id = ?2",
                rusqlite::params![cartable::now() - 180, id],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(
        status(s, "PUT", &format!("{BOX}late.txt"), "p.bilal", "late").await,
        201
    );
    let t = s.logged_in("t.marc").await;
    let roster = page_of(s, &t, &page).await;
    assert!(
        roster.contains("On time: 1 · late: 1 · not yet: 0"),
        "{roster}"
    );

    // The teacher closes the box: nothing comes in or goes out, over WebDAV either.
    let csrf = csrf_for(&t, &s.base, &page).await;
    let r = t
        .post(format!("{}{page}/close", s.base))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let tmp_before = std::fs::read_dir(s.dir.path().join("files/.tmp"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(
        status(s, "PUT", &format!("{BOX}more.txt"), "p.amina", "more").await,
        403
    );
    assert_eq!(
        status(s, "PUT", &format!("{BOX}kept.txt"), "p.amina", "changed").await,
        403
    );
    assert_eq!(
        status(s, "DELETE", &format!("{BOX}kept.txt"), "p.amina", "").await,
        403
    );
    assert_eq!(get(s, &format!("{BOX}kept.txt"), "p.amina").await.1, "kept");
    assert_eq!(get(s, &format!("{BOX}more.txt"), "p.amina").await.0, 404);
    let tmp_after = std::fs::read_dir(s.dir.path().join("files/.tmp"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(tmp_before, tmp_after);
    assert!(
        page_of(s, &t, &page)
            .await
            .contains("On time: 1 · late: 1 · not yet: 0")
    );
}
