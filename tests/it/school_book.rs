//! The homework book through its pages, as each role meets it: who reads which class's book
//! (week, day, entry, attached file), who writes and who may change or delete, a parent of two
//! children in two classes switching between them and never reaching another family's child,
//! files copied from the author's own space (never a path out of it), the drop box link, the
//! dashboard's "due soon", and bad input: dates, a class not taught, texts, CSRF. Each refusal
//! is checked to have changed nothing.

use crate::school_news::*;
use crate::support::*;
use cartable::ids::ClassId;

/// The Monday of a fixed school week, and days in it.
const MON: &str = "2026-05-04";
const THU: &str = "2026-05-07";
const NEXT_MON: &str = "2026-05-11";

/// A day `n` days from today, `YYYY-MM-DD` (tests run in UTC, the school's zone here).
fn day(n: i64) -> String {
    let d = time::OffsetDateTime::now_utc().date() + time::Duration::days(n);
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The form's fields for an entry: a lesson on `lesson`, work due on `due`.
fn entry<'a>(
    class: &'a str,
    subject: &'a str,
    lesson: &'a str,
    work: &'a str,
    due: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("class", class),
        ("subject", subject),
        ("lesson_day", lesson),
        ("done", "Correction de l'exercice 2."),
        ("work", work),
        ("due_day", due),
    ]
}

impl School {
    /// Writes an entry as `who` and returns its id.
    async fn write_entry(&self, who: &str, fields: &[(&str, &str)]) -> i64 {
        let r = self.post(who, "/book/new", fields).await;
        let status = r.status();
        let at = location(&r);
        assert_eq!(status, 303, "{who} writing: {}", r.text().await.unwrap());
        at.strip_prefix("/book/")
            .and_then(|rest| rest.split('?').next())
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("an entry's address, not {at}"))
    }

    async fn entries(&self) -> i64 {
        self.count("SELECT count(*) FROM book_entries").await
    }

    /// Puts a file in `who`'s own space, as the file manager would have.
    fn own_file(&self, who: &str, path: &str, bytes: &[u8]) -> std::path::PathBuf {
        let p = self
            .s
            .running
            .app
            .data_dir
            .join("files/users")
            .join(self.ids[who].to_string())
            .join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// Opens a drop box for each (class, title), as teacher A, due in a week; their ids.
    async fn drop_boxes(&self, boxes: &[(ClassId, &str)]) -> Vec<i64> {
        let teacher = self.ids[TEACHER_A];
        let boxes: Vec<(ClassId, String)> =
            boxes.iter().map(|(c, t)| (*c, t.to_string())).collect();
        let due = cartable::now() + 7 * 86_400;
        self.s
            .running
            .app
            .db
            .write(move |tx| {
                let allowed = cartable::auth::Allowed::demo_as(teacher, TEACHER_A);
                let mut out = Vec::new();
                for (class, title) in &boxes {
                    let id = cartable::homework::create(tx, &allowed, *class, title, "", Some(due))
                        .map_err(|e| cartable::db::Error::Task(e.to_string()))?;
                    out.push(id.0);
                }
                Ok(out)
            })
            .await
            .unwrap()
    }
}

fn class_str(c: ClassId) -> String {
    c.0.to_string()
}

/// Who reads each class's book, in the order of [`EVERYONE`].
fn readers(class: &str) -> [bool; 9] {
    match class {
        "6e A" => [true, true, true, false, true, false, false, true, false],
        "5e B" => [true, true, false, true, false, true, false, true, false],
        _ => unreachable!(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_and_file_as_every_role() {
    let sc = school().await;
    let (a, b) = (class_str(sc.a), class_str(sc.b));
    sc.own_file(TEACHER_A, "Cours/fiche 1.txt", b"la fiche");
    let mut fa = entry(&a, "Mathématiques", MON, "Exercices 3 et 4 p. 52", THU);
    fa.push(("file", "Cours/fiche 1.txt"));
    let ea = sc.write_entry(TEACHER_A, &fa).await;
    let eb = sc
        .write_entry(
            TEACHER_B,
            &entry(&b, "Histoire", MON, "Lire le chapitre 3", THU),
        )
        .await;
    let file: i64 = sc.count("SELECT max(id) FROM book_attachments").await;
    for (id, class, subject, author) in [
        (ea, "6e A", "Mathématiques", TEACHER_A),
        (eb, "5e B", "Histoire", TEACHER_B),
    ] {
        for (n, who) in EVERYONE.iter().enumerate() {
            let may = readers(class)[n];
            let (status, page) = sc.get(who, &format!("/book/{id}")).await;
            assert_eq!(status, if may { 200 } else { 404 }, "{who} /book/{id}");
            assert_eq!(page.contains(subject), may, "{who} /book/{id}");
            // The week, as each sees it by default or by asking for the class.
            let (status, week) = sc
                .get(
                    who,
                    &format!(
                        "/book?week={MON}&class={}",
                        if class == "6e A" { &a } else { &b }
                    ),
                )
                .await;
            assert_eq!(status, if may { 200 } else { 404 }, "{who} week of {class}");
            assert_eq!(week.contains(subject), may, "{who} week of {class}");
            // Changing: the author and the admins; other readers are refused, others see nothing.
            let may_edit = *who == author || *who == ADMIN;
            let (status, _) = sc.get(who, &format!("/book/{id}/edit")).await;
            let refused = if may { 403 } else { 404 };
            assert_eq!(
                status,
                if may_edit { 200 } else { refused },
                "{who} edit form {id}"
            );
            if !may_edit {
                let before = sc.entries().await;
                let r = sc.post(who, &format!("/book/{id}/delete"), &[]).await;
                assert_eq!(r.status(), refused, "{who} deleting {id}");
                let r = sc
                    .post(
                        who,
                        &format!("/book/{id}/edit"),
                        &entry("", "Piraté", MON, "", ""),
                    )
                    .await;
                assert_eq!(r.status(), refused, "{who} editing {id}");
                assert_eq!(sc.entries().await, before);
                let (_, page) = sc.get(ADMIN, &format!("/book/{id}")).await;
                assert!(!page.contains("Piraté"));
            }
        }
    }
    // The default week: everyone's page opens; pupils and teachers see their own classes'
    // (a parent starts on their first child, the office on one class at a time).
    for who in EVERYONE {
        let (status, page) = sc.get(who, &format!("/book?week={MON}")).await;
        assert_eq!(status, 200, "{who} /book");
        let (sees_a, sees_b) = match who {
            TEACHER_A | PUPIL_A | PARENT_TWO => (true, false),
            TEACHER_B | PUPIL_B => (false, true),
            _ => (false, false),
        };
        assert_eq!(page.contains("Mathématiques"), sees_a, "{who} /book");
        assert_eq!(page.contains("Histoire"), sees_b, "{who} /book");
    }
    // The attached file: a copy, for the class's readers only.
    for (n, who) in EVERYONE.iter().enumerate() {
        let may = readers("6e A")[n];
        let r = sc
            .as_(who)
            .get(sc.url(&format!("/book/{ea}/files/{file}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), if may { 200 } else { 404 }, "{who} file");
        if may {
            assert_eq!(r.text().await.unwrap(), "la fiche");
        }
        // The same file through the other class's entry: it is not one of its files.
        let (status, _) = sc.get(who, &format!("/book/{eb}/files/{file}")).await;
        assert_eq!(status, 404, "{who} file through another entry");
    }
    // Who may write, and where.
    for who in EVERYONE {
        let (status, _) = sc.get(who, "/book/new").await;
        let teacher = who == TEACHER_A || who == TEACHER_B;
        assert_eq!(status, if teacher { 200 } else { 403 }, "{who} new form");
        let (status, _) = sc.get(who, &format!("/book/new?class={a}")).await;
        assert_eq!(
            status,
            if who == TEACHER_A { 200 } else { 403 },
            "{who} new in 6e A"
        );
    }
    // The author deletes; the audit log keeps it; the copied file goes too.
    let copy =
        sc.s.running
            .app
            .data_dir
            .join(format!("files/book/{ea}/{file}"));
    assert!(copy.exists());
    let r = sc.post(TEACHER_A, &format!("/book/{ea}/delete"), &[]).await;
    assert_eq!(r.status(), 303);
    assert!(!copy.exists());
    let (status, _) = sc.get(PUPIL_A, &format!("/book/{ea}")).await;
    assert_eq!(status, 404);
    assert_eq!(
        sc.count("SELECT count(*) FROM audit_log WHERE action = 'delete_book_entry'")
            .await,
        1
    );
    // An admin deletes someone else's.
    let r = sc.post(ADMIN, &format!("/book/{eb}/delete"), &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(sc.entries().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_week_lists_lessons_and_work_under_its_due_day() {
    let sc = school().await;
    let a = class_str(sc.a);
    let id = sc
        .write_entry(
            TEACHER_A,
            &entry(&a, "Français", MON, "Apprendre la poésie", THU),
        )
        .await;
    let (status, week) = sc.get(PUPIL_A, &format!("/book?week={THU}")).await;
    assert_eq!(status, 200);
    let section = |page: &str, date: &str| {
        page.split(&format!("id=\"day-{date}\""))
            .nth(1)
            .and_then(|s| s.split("</section>").next())
            .unwrap_or("")
            .to_owned()
    };
    let monday = section(&week, MON);
    assert!(monday.contains(&format!("id=\"entry-{id}\"")), "{monday}");
    assert!(monday.contains("Correction de l&#x27;exercice 2."));
    let thursday = section(&week, THU);
    assert!(thursday.contains(&format!("id=\"due-{id}\"")), "{thursday}");
    assert!(thursday.contains("Apprendre la poésie"));
    // Previous and next weeks are links; the next week holds nothing of it.
    assert!(week.contains("/book?week=2026-04-27"));
    assert!(week.contains(&format!("/book?week={NEXT_MON}")));
    let (_, next) = sc.get(PUPIL_A, &format!("/book?week={NEXT_MON}")).await;
    assert!(!next.contains("Apprendre la poésie"));
    // One day, and its neighbours.
    let (status, thu) = sc.get(PUPIL_A, &format!("/book?day={THU}")).await;
    assert_eq!(status, 200);
    assert!(thu.contains(&format!("id=\"due-{id}\"")));
    assert!(!thu.contains(&format!("id=\"entry-{id}\"")));
    assert!(thu.contains("/book?day=2026-05-06") && thu.contains("/book?day=2026-05-08"));
    // The default week is this one.
    let (status, now) = sc.get(PUPIL_A, "/book").await;
    assert_eq!(status, 200);
    assert!(now.contains("id=\"book\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parent_of_two_switches_and_never_reaches_another_family() {
    let sc = school().await;
    let (a, b) = (class_str(sc.a), class_str(sc.b));
    sc.write_entry(
        TEACHER_A,
        &entry(&a, "Sciences de la vie", MON, "Schéma", THU),
    )
    .await;
    sc.write_entry(TEACHER_B, &entry(&b, "Géographie", MON, "Carte", THU))
        .await;
    let (awa, ben, chloe) = (sc.ids[PUPIL_A], sc.ids[PUPIL_B], sc.ids[PUPIL_C]);
    // The first child by name by default, with a switch to the other.
    let (status, page) = sc.get(PARENT_TWO, &format!("/book?week={MON}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Sciences de la vie") && !page.contains("Géographie"));
    assert!(page.contains("id=\"child-switch\""));
    assert!(page.contains(&format!("?child={ben}&amp;week={MON}\"")));
    let (status, page) = sc
        .get(PARENT_TWO, &format!("/book?week={MON}&child={ben}"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Géographie") && !page.contains("Sciences de la vie"));
    let (status, page) = sc
        .get(PARENT_TWO, &format!("/book?week={MON}&child={awa}"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Sciences de la vie") && !page.contains("Géographie"));
    // Another family's child, a made-up id, a child id from someone not a parent: 404,
    // the same page whether the child exists or not.
    for (who, child) in [
        (PARENT_TWO, chloe.to_string()),
        (PARENT_TWO, "999999".into()),
        (PARENT_TWO, "abc".into()),
        (PARENT_OTHER, awa.to_string()),
        (PUPIL_A, awa.to_string()),
        (TEACHER_A, awa.to_string()),
    ] {
        let (status, page) = sc.get(who, &format!("/book?child={child}")).await;
        assert_eq!(status, 404, "{who} asking for child {child}");
        assert!(!page.contains("Sciences de la vie") && !page.contains("Géographie"));
    }
    // One child's view never opens the other child's class by `class=`.
    let (status, _) = sc
        .get(PARENT_TWO, &format!("/book?child={awa}&class={b}"))
        .await;
    assert_eq!(status, 404);
    // The other family sees neither.
    let (status, page) = sc.get(PARENT_OTHER, &format!("/book?week={MON}")).await;
    assert_eq!(status, 200);
    assert!(!page.contains("Sciences de la vie") && !page.contains("Géographie"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_and_changes_nothing() {
    let sc = school().await;
    let (a, b) = (class_str(sc.a), class_str(sc.b));
    sc.own_file(TEACHER_A, "ok.txt", b"ok");
    sc.own_file(TEACHER_B, "secret.txt", b"secret");
    let big = "x".repeat(5_001);
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (entry(&a, "Maths", "2026-13-01", "", ""), "year-month-day"),
        (entry(&a, "Maths", "04/05/2026", "", ""), "year-month-day"),
        (
            entry(&a, "Maths", "1999-05-04", "", ""),
            "between 2000 and 2099",
        ),
        (
            entry(&a, "Maths", "20266-05-04", "", ""),
            "between 2000 and 2099",
        ),
        (
            entry(&a, "Maths", MON, "Travail", "2026-02-30"),
            "year-month-day",
        ),
        (
            entry(&a, "Maths", THU, "Travail", MON),
            "due before the lesson",
        ),
        (
            entry(&a, "Maths", MON, "Travail", "2027-06-01"),
            "more than a year",
        ),
        (
            entry(&a, "Maths", MON, "Travail", ""),
            "Give the day the work is due",
        ),
        (entry(&a, "Maths", MON, "", THU), "Say what work is due"),
        (entry(&a, "  ", MON, "", ""), "Give the subject"),
        (entry(&a, &big[..61], MON, "", ""), "subject is too long"),
        (entry(&a, "Maths", MON, &big, THU), "A text is too long"),
        (
            vec![("class", &a), ("subject", "Maths"), ("lesson_day", MON)],
            "Write what was done",
        ),
        (
            {
                let mut f = entry(&a, "Maths", MON, "", "");
                f.push(("file", "../../../cartable.db"));
                f
            },
            "not among your documents",
        ),
        (
            {
                let mut f = entry(&a, "Maths", MON, "", "");
                f.push(("file", "nothing-here.txt"));
                f
            },
            "not among your documents",
        ),
        (
            {
                let mut f = entry(&a, "Maths", MON, "", "");
                f.push(("file", "Cours"));
                f
            },
            "not among your documents",
        ),
        (
            {
                let mut f = entry(&a, "Maths", MON, "", "");
                f.push(("assignment", "999999"));
                f
            },
            "not one of this class",
        ),
    ];
    std::fs::create_dir_all(
        sc.s.running
            .app
            .data_dir
            .join("files/users")
            .join(sc.ids[TEACHER_A].to_string())
            .join("Cours"),
    )
    .unwrap();
    for (fields, why) in &cases {
        let r = sc.post(TEACHER_A, "/book/new", fields).await;
        assert_eq!(r.status(), 400, "{fields:?}");
        let page = r.text().await.unwrap();
        assert!(page.contains(why), "{fields:?}: {why}");
        // The form comes back as typed.
        assert!(page.contains("id=\"book-form\""));
    }
    assert_eq!(sc.entries().await, 0);
    assert_eq!(sc.count("SELECT count(*) FROM book_attachments").await, 0);
    // A file in another teacher's space, named by the path from the top of the files:
    // still resolved inside the writer's own space, so not found.
    let other = format!("../{}/secret.txt", sc.ids[TEACHER_B]);
    let mut f = entry(&a, "Maths", MON, "", "");
    f.push(("file", &other));
    assert_eq!(sc.post(TEACHER_A, "/book/new", &f).await.status(), 400);
    // A link planted in one's space is not followed.
    #[cfg(unix)]
    {
        let dir = sc.own_file(TEACHER_A, "ok.txt", b"ok");
        std::os::unix::fs::symlink("/etc/passwd", dir.with_file_name("link.txt")).unwrap();
        let mut f = entry(&a, "Maths", MON, "", "");
        f.push(("file", "link.txt"));
        assert_eq!(sc.post(TEACHER_A, "/book/new", &f).await.status(), 400);
    }
    // A class the teacher does not teach, one that does not exist, no class at all.
    for class in [b.as_str(), "999999"] {
        let r = sc
            .post(TEACHER_A, "/book/new", &entry(class, "Maths", MON, "", ""))
            .await;
        assert_eq!(r.status(), 403, "class {class}");
    }
    let r = sc
        .post(TEACHER_A, "/book/new", &entry("x", "Maths", MON, "", ""))
        .await;
    assert_eq!(r.status(), 400);
    // Pupils, parents and the office do not write.
    for who in [PUPIL_A, PARENT_TWO, OFFICE, ADMIN] {
        let r = sc
            .post(who, "/book/new", &entry(&a, "Maths", MON, "", ""))
            .await;
        assert_eq!(r.status(), 403, "{who}");
    }
    // A form over the size limit.
    let huge = "y".repeat(400_000);
    let r = sc
        .post(TEACHER_A, "/book/new", &entry(&a, "Maths", MON, &huge, THU))
        .await;
    assert_eq!(r.status(), 413);
    // CSRF: none, a wrong one, another account's (replayed).
    let fields = entry(&a, "Maths", MON, "", "");
    let theirs = csrf_for(sc.as_(TEACHER_B), &sc.s.base, "/").await;
    for token in [None, Some("0000"), Some(theirs.as_str())] {
        let mut form = fields.clone();
        if let Some(t) = token {
            form.push(("csrf", t));
        }
        let r = sc
            .as_(TEACHER_A)
            .post(sc.url("/book/new"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "csrf {token:?}");
    }
    assert_eq!(sc.entries().await, 0);
    // Addresses typed wrong.
    for path in [
        "/book?week=2026-02-30",
        "/book?week=next",
        "/book?day=1999-12-31",
        "/book/new?day=2026-13-01",
    ] {
        let (status, _) = sc.get(TEACHER_A, path).await;
        assert_eq!(status, 400, "{path}");
    }
    for path in [
        "/book?class=999999",
        "/book?class=abc",
        "/book/999999",
        "/book/1/files/1",
    ] {
        let (status, _) = sc.get(TEACHER_A, path).await;
        assert_eq!(status, 404, "{path}");
    }
    // Without a session: the login page, for every page and file.
    for path in [
        "/book",
        "/book/new",
        "/book/1",
        "/book/1/edit",
        "/book/1/files/1",
    ] {
        let r = plain_client().get(sc.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 303, "{path}");
        assert!(location(&r).starts_with("/login"), "{path}");
    }
    // A good one still goes in, after all that.
    let mut f = entry(&a, "Maths", MON, "", "");
    f.push(("file", "ok.txt"));
    sc.write_entry(TEACHER_A, &f).await;
    assert_eq!(sc.count("SELECT count(*) FROM book_attachments").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_are_copies_and_a_drop_box_is_the_class_own() {
    let sc = school().await;
    let (a, b) = (class_str(sc.a), class_str(sc.b));
    let original = sc.own_file(TEACHER_A, "énoncé.txt", b"version 1");
    // Drop boxes of 6e A and 5e B.
    let boxes = sc.drop_boxes(&[(sc.a, "Exposé"), (sc.b, "Exposé")]).await;
    let (box_a, box_b) = (boxes[0].to_string(), boxes[1].to_string());
    let mut f = entry(&a, "Physique", MON, "Rendre l'exposé", THU);
    f.push(("file", "énoncé.txt"));
    f.push(("assignment", &box_b));
    let r = sc.post(TEACHER_A, "/book/new", &f).await;
    assert_eq!(r.status(), 400, "another class's drop box");
    f.pop();
    f.push(("assignment", &box_a));
    let id = sc.write_entry(TEACHER_A, &f).await;
    std::fs::write(&original, b"version 2").unwrap();
    let (_, page) = sc.get(PUPIL_A, &format!("/book/{id}")).await;
    assert!(
        page.contains(&format!("href=\"/homework/{box_a}\"")),
        "the pupil's link"
    );
    assert!(page.contains("énoncé.txt"));
    let (_, page) = sc.get(PARENT_TWO, &format!("/book/{id}")).await;
    assert!(page.contains("Exposé") && !page.contains(&format!("href=\"/homework/{box_a}\"")));
    let att = sc.count("SELECT max(id) FROM book_attachments").await;
    let body = sc
        .as_(PARENT_TWO)
        .get(sc.url(&format!("/book/{id}/files/{att}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(body, "version 1");
    // Editing: take the file off, keep the rest; the copy goes.
    let mut e = entry("", "Physique", MON, "Rendre l'exposé", THU);
    let att_s = att.to_string();
    e.push(("remove_file", &att_s));
    e.push(("assignment", &box_a));
    let r = sc.post(TEACHER_A, &format!("/book/{id}/edit"), &e).await;
    assert_eq!(r.status(), 303);
    assert_eq!(sc.count("SELECT count(*) FROM book_attachments").await, 0);
    let (status, _) = sc.get(PUPIL_A, &format!("/book/{id}/files/{att}")).await;
    assert_eq!(status, 404);
    // Six files at once is too many.
    let names: Vec<String> = (0..6).map(|n| format!("f{n}.txt")).collect();
    for n in &names {
        sc.own_file(TEACHER_A, n, b"x");
    }
    let mut e = entry("", "Physique", MON, "Rendre l'exposé", THU);
    e.extend(names.iter().map(|n| ("file", n.as_str())));
    let r = sc.post(TEACHER_A, &format!("/book/{id}/edit"), &e).await;
    assert_eq!(r.status(), 400);
    assert_eq!(sc.count("SELECT count(*) FROM book_attachments").await, 0);
    // The subjects used in the class come back as suggestions.
    let (_, form) = sc.get(TEACHER_A, &format!("/book/new?class={a}")).await;
    assert!(form.contains("<option value=\"Physique\">"));
    let (_, form) = sc.get(TEACHER_B, &format!("/book/new?class={b}")).await;
    assert!(!form.contains("Physique"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_what_is_due_soon() {
    let sc = school().await;
    let a = class_str(sc.a);
    let (today, tomorrow, far) = (day(0), day(1), day(30));
    sc.write_entry(
        TEACHER_A,
        &entry(&a, "Anglais", &today, "Vocabulaire unité 5", &tomorrow),
    )
    .await;
    sc.write_entry(
        TEACHER_A,
        &entry(&a, "Musique", &today, "Chanson lointaine", &far),
    )
    .await;
    for (who, sees) in [
        (PUPIL_A, true),
        (PARENT_TWO, true),
        (PUPIL_B, false),
        (PARENT_OTHER, false),
    ] {
        let (status, page) = sc.get(who, "/").await;
        assert_eq!(status, 200);
        assert_eq!(page.contains("Vocabulaire unité 5"), sees, "{who}");
        assert!(!page.contains("Chanson lointaine"), "{who}");
    }
}

/// An admin may edit another teacher's entry, but `authorize` keeps a class's drop boxes
/// (`ViewAssignments`) from admins who do not teach it: `/homework/{id}` is a 404 for them.
/// The edit form listed every drop box of the class, titles and due dates; it now lists
/// none, and saving it keeps the entry's link as the author made it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_book_edit_lists_no_drop_box_of_a_class_the_admin_does_not_teach() {
    let sc = school().await;
    let a = class_str(sc.a);
    let boxes = sc
        .drop_boxes(&[(sc.a, "Exposé lié"), (sc.a, "Devoir caché")])
        .await;
    let (linked, hidden) = (boxes[0].to_string(), boxes[1].to_string());
    let mut f = entry(&a, "Physique", MON, "Rendre l'exposé", THU);
    f.push(("assignment", &linked));
    let id = sc.write_entry(TEACHER_A, &f).await;
    // The author's form offers both boxes.
    let (status, form) = sc.get(TEACHER_A, &format!("/book/{id}/edit")).await;
    assert_eq!(status, 200);
    assert!(form.contains("Devoir caché") && form.contains("name=\"assignment\""));
    // The admin's does not: no select, no other box's title or id.
    for who in [ADMIN, OFFICE] {
        let (status, _) = sc.get(who, &format!("/homework/{hidden}")).await;
        assert_eq!(status, 404, "{who} opens a drop box of 6e A");
    }
    let (status, form) = sc.get(ADMIN, &format!("/book/{id}/edit")).await;
    assert_eq!(status, 200);
    assert!(!form.contains("Devoir caché"), "another drop box's title");
    assert!(!form.contains("name=\"assignment\""), "a drop box select");
    assert!(!form.contains(&format!("value=\"{hidden}\"")));
    let link = "SELECT count(*) FROM book_entries WHERE assignment_id IS NOT NULL";
    // Saving it (as the form sends it, without the field) keeps the author's link.
    let e = entry("", "Physique (revu)", MON, "Rendre l'exposé", THU);
    let r = sc.post(ADMIN, &format!("/book/{id}/edit"), &e).await;
    assert_eq!(r.status(), 303);
    let (_, page) = sc.get(PUPIL_A, &format!("/book/{id}")).await;
    assert!(page.contains("Physique (revu)"));
    assert!(
        page.contains(&format!("href=\"/homework/{linked}\"")),
        "link kept"
    );
    // Choosing a box through a forged field is refused and changes nothing; a refused form
    // comes back without the boxes either.
    let mut e = entry("", "Physique (forgé)", MON, "Rendre l'exposé", THU);
    e.push(("assignment", &hidden));
    let r = sc.post(ADMIN, &format!("/book/{id}/edit"), &e).await;
    assert_eq!(r.status(), 400);
    let back = r.text().await.unwrap();
    assert!(!back.contains("Devoir caché") && !back.contains("name=\"assignment\""));
    let (_, page) = sc.get(PUPIL_A, &format!("/book/{id}")).await;
    assert!(!page.contains("Physique (forgé)"));
    assert!(page.contains(&format!("href=\"/homework/{linked}\"")));
    assert_eq!(sc.count(link).await, 1);
}
