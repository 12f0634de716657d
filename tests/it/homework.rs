//! Homework drop boxes as teachers and pupils use them in the portal: opening an assignment,
//! handing in, lateness, closing, the zip, and who may see which box.

use crate::support::*;
use cartable::auth::Role;
use cartable::ids::{ClassId, UserId};
use reqwest::multipart::{Form, Part};
use std::io::Read;

struct School {
    s: TestServer,
    class: ClassId,
    amina: UserId,
}

/// "6e A": teacher `t.marc`, pupils `p.amina`, `p.bilal`, `p.chloe`. "5e B": teacher
/// `t.other`, pupil `p.dan`.
async fn school() -> School {
    let s = TestServer::start().await;
    s.set_default_language("en").await;
    let class = s.class("6e A").await;
    let other = s.class("5e B").await;
    let marc = s.user("t.marc", Role::Teacher).await;
    s.add_member(class, marc).await;
    let amina = s.user("p.amina", Role::Pupil).await;
    s.add_member(class, amina).await;
    for name in ["p.bilal", "p.chloe"] {
        let u = s.user(name, Role::Pupil).await;
        s.add_member(class, u).await;
    }
    let t = s.user("t.other", Role::Teacher).await;
    s.add_member(other, t).await;
    let d = s.user("p.dan", Role::Pupil).await;
    s.add_member(other, d).await;
    School { s, class, amina }
}

fn due_in(secs: i64) -> String {
    cartable::homework::format_due(cartable::now() + secs)
}

async fn open_assignment(
    c: &reqwest::Client,
    base: &str,
    class: ClassId,
    title: &str,
    due: &str,
) -> reqwest::Response {
    let csrf = csrf_for(c, base, "/homework").await;
    c.post(format!("{base}/homework"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("class", &class.to_string()),
            ("title", title),
            ("instructions", "Deux pages.\nSoignez l'écriture."),
            ("due", due),
        ])
        .send()
        .await
        .unwrap()
}

/// Opens an assignment as `t.marc` and returns its page's path.
async fn opened(sc: &School, due: &str) -> String {
    let t = sc.s.logged_in("t.marc").await;
    let r = open_assignment(&t, &sc.s.base, sc.class, "Rédaction", due).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    location(&r).split('?').next().unwrap().to_owned()
}

async fn hand_in(
    c: &reqwest::Client,
    base: &str,
    page: &str,
    files: &[(&str, &[u8])],
) -> reqwest::Response {
    let csrf = csrf_for(c, base, page).await;
    let mut form = Form::new().text("csrf", csrf);
    for (name, data) in files {
        form = form.part(
            "files",
            Part::bytes(data.to_vec()).file_name(name.to_string()),
        );
    }
    c.post(format!("{base}{page}/hand-in"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn get(c: &reqwest::Client, url: String) -> (u16, String) {
    let r = c.get(url).send().await.unwrap();
    (
        r.status().as_u16(),
        crate::support::plain(&r.text().await.unwrap()),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pupils_hand_in_and_the_teacher_gets_everything_as_a_zip() {
    let sc = school().await;
    let base = sc.s.base.clone();
    let page = opened(&sc, &due_in(3600)).await;
    assert!(page.starts_with("/homework/"), "{page}");

    let amina = sc.s.logged_in("p.amina").await;
    let (status, list) = get(&amina, format!("{base}/homework")).await;
    assert_eq!(status, 200);
    assert!(list.contains("Rédaction") && list.contains("not handed in yet"));
    let r = hand_in(
        &amina,
        &base,
        &page,
        &[("copie.txt", b"amina 1"), ("annexe é.txt", b"amina 2")],
    )
    .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let bilal = sc.s.logged_in("p.bilal").await;
    let r = hand_in(&bilal, &base, &page, &[("copie.txt", b"bilal")]).await;
    assert_eq!(r.status(), 303);
    // The same name twice in one box is refused, and nothing changes.
    let r = hand_in(&bilal, &base, &page, &[("COPIE.txt", b"again")]).await;
    assert_eq!(r.status(), 400);

    let (_, mine) = get(&amina, format!("{base}{page}")).await;
    assert!(mine.contains("copie.txt") && mine.contains("annexe é.txt"));
    assert!(mine.contains("handed in") && !mine.contains("bilal"));
    let on_disk =
        sc.s.dir
            .path()
            .join("files/homework")
            .join(page.trim_start_matches("/homework/"))
            .join(sc.amina.to_string())
            .join("copie.txt");
    assert_eq!(std::fs::read(on_disk).unwrap(), b"amina 1");

    // The teacher sees both, and who has not handed in.
    let t = sc.s.logged_in("t.marc").await;
    let (status, roster) = get(&t, format!("{base}{page}")).await;
    assert_eq!(status, 200);
    assert!(
        roster.contains("On time: 2 · late: 0 · not yet: 1"),
        "{roster}"
    );
    let r = t.get(format!("{base}{page}/zip")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/zip");
    let bytes = r.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Test p.amina (p.amina)/annexe é.txt",
            "Test p.amina (p.amina)/copie.txt",
            "Test p.bilal (p.bilal)/copie.txt",
        ]
    );
    let mut content = String::new();
    zip.by_name("Test p.bilal (p.bilal)/copie.txt")
        .unwrap()
        .read_to_string(&mut content)
        .unwrap();
    assert_eq!(content, "bilal");
    // The teacher downloads one pupil's file.
    assert!(roster.contains("copie.txt") && roster.contains("annexe é.txt"));
    let link = format!("{page}/files/{}/annexe%20%C3%A9.txt", sc.amina);
    let r = t.get(format!("{base}{link}")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"amina 2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pupil_cannot_see_other_pupils_drop_box() {
    let sc = school().await;
    let base = sc.s.base.clone();
    let page = opened(&sc, &due_in(3600)).await;
    let amina = sc.s.logged_in("p.amina").await;
    assert_eq!(
        hand_in(&amina, &base, &page, &[("secret.txt", b"mine")])
            .await
            .status(),
        303
    );
    let chloe = sc.s.logged_in("p.chloe").await;
    let (status, html) = get(&chloe, format!("{base}{page}")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("secret.txt"));
    assert!(html.contains("You have not handed anything in yet."));
    // Amina's file, the zip: a 404 for a classmate, the same as for a missing file.
    let (status, _) = get(
        &chloe,
        format!("{base}{page}/files/{}/secret.txt", sc.amina),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = get(
        &chloe,
        format!("{base}{page}/files/{}/nothing.txt", sc.amina),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = get(&chloe, format!("{base}{page}/zip")).await;
    assert_eq!(status, 403);
    // Nor can she withdraw Amina's file: she has no such file of her own.
    let csrf = csrf_for(&chloe, &base, &page).await;
    let r = chloe
        .post(format!("{base}{page}/withdraw"))
        .form(&[("csrf", csrf.as_str()), ("name", "secret.txt")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // A pupil and a teacher of another class see nothing of it.
    for who in ["p.dan", "t.other"] {
        let c = sc.s.logged_in(who).await;
        let (status, _) = get(&c, format!("{base}{page}")).await;
        assert_eq!(status, 404, "{who}");
        let (status, _) = get(&c, format!("{base}{page}/files/{}/secret.txt", sc.amina)).await;
        assert_eq!(status, 404, "{who}");
        let (_, list) = get(&c, format!("{base}/homework")).await;
        assert!(!list.contains("Rédaction"), "{who}");
    }
    // A teacher of another class may not open an assignment for this one.
    let other = sc.s.logged_in("t.other").await;
    let r = open_assignment(&other, &base, sc.class, "Intrus", &due_in(3600)).await;
    assert_eq!(r.status(), 403);
    // Nor may a pupil.
    let r = open_assignment(&amina, &base, sc.class, "Intrus", &due_in(3600)).await;
    assert_eq!(r.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn late_hand_ins_are_marked_late_and_a_closed_box_takes_nothing() {
    let sc = school().await;
    let base = sc.s.base.clone();
    let page = opened(&sc, &due_in(3600)).await;
    let id: i64 = page.trim_start_matches("/homework/").parse().unwrap();
    let amina = sc.s.logged_in("p.amina").await;
    assert_eq!(
        hand_in(&amina, &base, &page, &[("a.txt", b"on time")])
            .await
            .status(),
        303
    );
    // The due date passes (Amina handed in two minutes before it).
    sc.s.running
        .app
        .db
        .write(move |tx| {
            let now = cartable::now();
            tx.execute(
                "UPDATE assignments SET due_at = ?1 WHERE id = ?2",
                rusqlite::params![now - 60, id],
            )?;
            tx.execute(
                "UPDATE hand_ins SET handed_in_at = ?1 WHERE assignment_id = ?2",
                rusqlite::params![now - 180, id],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let bilal = sc.s.logged_in("p.bilal").await;
    let (_, html) = get(&bilal, format!("{base}{page}")).await;
    assert!(html.contains("your hand-in will be marked late"));
    assert_eq!(
        hand_in(&bilal, &base, &page, &[("b.txt", b"late")])
            .await
            .status(),
        303
    );
    let (_, html) = get(&bilal, format!("{base}{page}")).await;
    assert!(html.contains("class=\"tag bad\">late"), "{html}");
    let t = sc.s.logged_in("t.marc").await;
    let (_, roster) = get(&t, format!("{base}{page}")).await;
    assert!(
        roster.contains("On time: 1 · late: 1 · not yet: 1"),
        "{roster}"
    );

    // The teacher closes the box: nothing more comes in, nothing goes out.
    let csrf = csrf_for(&t, &base, &page).await;
    let r = t
        .post(format!("{base}{page}/close"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let chloe = sc.s.logged_in("p.chloe").await;
    let (_, html) = get(&chloe, format!("{base}{page}")).await;
    assert!(html.contains("The teacher has closed this drop box"));
    assert!(!html.contains("id=\"hand-in\""));
    // A form kept open from before is refused with the same clear message.
    let csrf = csrf_for(&chloe, &base, "/homework").await;
    let form = Form::new().text("csrf", csrf).part(
        "files",
        Part::bytes(b"too late".to_vec()).file_name("c.txt"),
    );
    let r = chloe
        .post(format!("{base}{page}/hand-in"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("closed this drop box"));
    let csrf = csrf_for(&amina, &base, &page).await;
    let r = amina
        .post(format!("{base}{page}/withdraw"))
        .form(&[("csrf", csrf.as_str()), ("name", "a.txt")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let tmp = sc.s.dir.path().join("files/.tmp");
    assert_eq!(std::fs::read_dir(tmp).map_or(0, |d| d.count()), 0);

    // Reopened, a pupil may withdraw a file again.
    let csrf = csrf_for(&t, &base, &page).await;
    let r = t
        .post(format!("{base}{page}/reopen"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let csrf = csrf_for(&amina, &base, &page).await;
    let r = amina
        .post(format!("{base}{page}/withdraw"))
        .form(&[("csrf", csrf.as_str()), ("name", "a.txt")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, html) = get(&amina, format!("{base}{page}")).await;
    assert!(!html.contains("a.txt"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_assignments_are_refused_with_a_clear_message() {
    let sc = school().await;
    let base = sc.s.base.clone();
    let t = sc.s.logged_in("t.marc").await;
    for (title, due, message) in [
        (
            "Rédaction",
            "2020-01-01T10:00",
            "The due date has already passed.",
        ),
        ("Rédaction", "demain", "Enter a valid date and time."),
        (
            "Rédaction",
            "2026-02-30T10:00",
            "Enter a valid date and time.",
        ),
        ("Rédaction", "2999-01-01T10:00", "too far ahead"),
        ("   ", &due_in(3600), "Give the homework a title."),
    ] {
        let r = open_assignment(&t, &base, sc.class, title, due).await;
        assert_eq!(r.status(), 400, "{due}");
        let html = r.text().await.unwrap();
        assert!(html.contains(message), "{due}: {html}");
    }
    let (_, list) = get(&t, format!("{base}/homework")).await;
    assert!(list.contains("No homework for now."));
}
