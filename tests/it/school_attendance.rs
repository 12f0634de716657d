//! Attendance through its pages, as each role meets it: who takes which register (a teacher
//! only their classes', the office any), who sees which record (the pupil, their parents one
//! child at a time, never another family), who reviews and who justifies, the monthly CSV
//! (a French spreadsheet's `;`, BOM and CRLF, the right counts) and every kind of bad input
//! refused with nothing changed and nothing revealed.
//!
//! The school is `school_news`'s: 6e A (teacher Anne, pupil Awa, and Dédé added here), 5e B
//! (teacher Bruno, pupil Ben), 4e C (pupil Chloé); Awa and Ben share a parent, Chloé's is
//! another family, and Dédé's parent (added here too) has one child in 6e A.

use crate::school_news::*;
use crate::support::*;
use cartable::auth::Role;
use cartable::ids::UserId;
use cartable::school::when::{format_date, local_date};

/// A second pupil of 6e A, so that a register has two absences.
const PUPIL_D: &str = "p.dede";
/// Dédé's parent: one child, in 6e A.
const PARENT_D: &str = "m.dede";

struct Attendance {
    sc: School,
    dede: UserId,
    dede_client: reqwest::Client,
    dede_parent: reqwest::Client,
    today: String,
}

async fn setup() -> Attendance {
    let sc = school().await;
    let dede = sc.s.user(PUPIL_D, Role::Pupil).await;
    sc.s.add_member(sc.a, dede).await;
    let dede_client = sc.s.logged_in(PUPIL_D).await;
    let parent = sc.s.user(PARENT_D, Role::Parent).await;
    sc.s.link_parent(parent, dede).await;
    let dede_parent = sc.s.logged_in(PARENT_D).await;
    Attendance {
        sc,
        dede,
        dede_client,
        dede_parent,
        today: format_date(local_date(cartable::now())),
    }
}

impl Attendance {
    fn register_path(&self, class: cartable::ids::ClassId, slot: &str) -> String {
        format!(
            "/attendance/register?class={class}&date={}&slot={slot}",
            self.today
        )
    }

    /// Takes a register of 6e A (or `class`) as `who`, with `marks` as (pupil, presence,
    /// minutes); returns the response.
    async fn take(
        &self,
        who: &str,
        class: cartable::ids::ClassId,
        day: &str,
        slot: &str,
        marks: &[(UserId, &str, &str)],
    ) -> reqwest::Response {
        let class = class.to_string();
        let mut fields: Vec<(String, String)> = vec![
            ("class".into(), class),
            ("date".into(), day.into()),
            ("slot".into(), slot.into()),
            ("subject".into(), "Maths".into()),
        ];
        for (pupil, presence, minutes) in marks {
            fields.push((format!("p{pupil}"), (*presence).into()));
            fields.push((format!("m{pupil}"), (*minutes).into()));
        }
        let f: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.sc.post(who, "/attendance/register", &f).await
    }

    async fn marks(&self) -> i64 {
        self.sc.count("SELECT count(*) FROM attendance_marks").await
    }

    async fn mark_of(&self, pupil: UserId) -> i64 {
        let db = &self.sc.s.running.app.db;
        db.read(move |c| {
            Ok(c.query_row(
                "SELECT id FROM attendance_marks WHERE pupil_id = ?1 ORDER BY id LIMIT 1",
                [pupil],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap()
    }
}

/// The status each account gets, in the order of [`EVERYONE`]: admin, office, teacher of
/// 6e A, teacher of 5e B, pupils of 6e A, 5e B, 4e C, the parent of two, another family.
const OFFICE_AND_TEACHER_A: [u16; 9] = [200, 200, 200, 403, 403, 403, 403, 403, 403];
const OFFICE_ONLY: [u16; 9] = [200, 200, 403, 403, 403, 403, 403, 403, 403];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_and_the_export_as_each_role() {
    let at = setup().await;
    let sc = &at.sc;
    let (awa, dede) = (sc.ids[PUPIL_A], at.dede);
    let r = at
        .take(
            TEACHER_A,
            sc.a,
            &at.today,
            "08:00",
            &[(awa, "absent", ""), (dede, "late", "10")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).contains("msg=attendance.saved"));
    assert_eq!(at.marks().await, 2);
    let month = &at.today[..7];
    let pages: [(String, [u16; 9]); 4] = [
        ("/attendance".into(), [200; 9]),
        (at.register_path(sc.a, "08:00"), OFFICE_AND_TEACHER_A),
        ("/attendance/absences".into(), OFFICE_ONLY),
        (
            format!("/attendance/export?class={}&month={month}", sc.a),
            OFFICE_AND_TEACHER_A,
        ),
    ];
    for (path, want) in &pages {
        for (who, want) in EVERYONE.iter().zip(want) {
            let (status, page) = sc.get(who, path).await;
            assert_eq!(status, *want, "{who} GET {path}");
            if *want != 200 {
                assert!(
                    !page.contains("Test p.dede") && !page.contains("Maths"),
                    "{who} {path}"
                );
            }
        }
    }
    // A parent of one child in the class: their child's record, nothing of the class's.
    for (path, want) in &pages {
        let (status, _) = at_page(&at.dede_parent, &sc.s, path).await;
        assert_eq!(
            status,
            if *want == [200; 9] { 200 } else { 403 },
            "{PARENT_D} {path}"
        );
    }
    let (_, own) = at_page(&at.dede_parent, &sc.s, "/attendance").await;
    assert!(
        own.contains("Late by 10 min") && !own.contains("Absent ·"),
        "{own}"
    );
    // The register shows the marks to those who may take it, and whom it was taken by.
    let (_, sheet) = sc.get(TEACHER_A, &at.register_path(sc.a, "08:00")).await;
    assert!(sheet.contains(&format!("name=\"p{awa}\" value=\"absent\" checked")));
    assert!(sheet.contains(&format!("name=\"p{dede}\" value=\"late\" checked")));
    assert!(sheet.contains("value=\"10\""));
    // Each reaches the right thing at /attendance.
    for (who, shows) in [
        (TEACHER_A, "id=\"take\""),
        (TEACHER_B, "id=\"take\""),
        (OFFICE, "id=\"office-waiting\""),
        (PUPIL_A, "id=\"mark-"),
        (PUPIL_B, "id=\"no-marks\""),
        (PARENT_OTHER, "id=\"no-marks\""),
    ] {
        let (_, page) = sc.get(who, "/attendance").await;
        assert!(page.contains(shows), "{who} sees {shows}");
    }
    let (_, teacher_b) = sc.get(TEACHER_B, "/attendance").await;
    assert!(
        !teacher_b.contains("6e A"),
        "Bruno is offered his class only"
    );
    // The parent of two: one child at a time (Awa's absence under Awa only), with a switch.
    let ben = sc.ids[PUPIL_B];
    let (s, awa_page) = sc
        .get(PARENT_TWO, &format!("/attendance?child={awa}"))
        .await;
    assert_eq!(s, 200);
    assert!(awa_page.contains("id=\"mark-") && awa_page.contains("id=\"child-switch\""));
    assert!(awa_page.contains("/justify"), "the parent may justify");
    let (s, ben_page) = sc
        .get(PARENT_TWO, &format!("/attendance?child={ben}"))
        .await;
    assert_eq!(s, 200);
    assert!(!ben_page.contains("id=\"mark-"));
    // Another family's child, or a child id from someone not a parent: not found.
    for (who, child) in [
        (PARENT_OTHER, awa),
        (PARENT_TWO, sc.ids[PUPIL_C]),
        (PARENT_TWO, UserId(999_999)),
        (PUPIL_A, awa),
    ] {
        let (s, page) = sc.get(who, &format!("/attendance?child={child}")).await;
        assert_eq!(s, 404, "{who} ?child={child}");
        assert!(!page.contains("id=\"mark-"));
    }
    let (s, _) = sc.get(PARENT_TWO, "/attendance?child=abc").await;
    assert_eq!(s, 404);
    // Posting: only the class's teachers and the office take its register.
    let before = at.marks().await;
    for who in [TEACHER_B, PUPIL_A, PARENT_TWO] {
        let r = at
            .take(who, sc.a, &at.today, "09:00", &[(awa, "absent", "")])
            .await;
        assert_eq!(r.status(), 403, "{who} taking 6e A's register");
    }
    for who in [OFFICE, ADMIN] {
        let r = at.take(who, sc.b, &at.today, "10:00", &[]).await;
        assert_eq!(r.status(), 303, "{who} takes any class's register");
    }
    assert_eq!(at.marks().await, before);
    assert_eq!(sc.count("SELECT count(*) FROM registers").await, 2);
    // Deciding: the office only; justifying: the parent of the pupil only.
    let mark = at.mark_of(awa).await;
    let decide = format!("/attendance/absences/{mark}");
    for who in [TEACHER_A, PUPIL_A, PARENT_TWO] {
        let r = sc
            .post(who, &decide, &[("reason", "x"), ("status", "justified")])
            .await;
        assert_eq!(r.status(), 403, "{who} deciding");
    }
    let justify = format!("/attendance/absences/{mark}/justify");
    for (who, status) in [
        (PARENT_OTHER, 404),
        (TEACHER_B, 404),
        (PUPIL_B, 404),
        (PUPIL_A, 403),
        (TEACHER_A, 403),
        (OFFICE, 403),
    ] {
        let r = sc.post(who, &justify, &[("note", "Malade")]).await;
        assert_eq!(r.status(), status, "{who} justifying Awa's absence");
    }
    assert_eq!(
        sc.count("SELECT count(*) FROM attendance_marks WHERE family_note IS NOT NULL OR status != 'pending'")
            .await,
        0
    );
    let csrf = csrf_for(&at.dede_parent, &sc.s.base, "/").await;
    let r = at
        .dede_parent
        .post(sc.url(&justify))
        .form(&[("csrf", csrf.as_str()), ("note", "Pas le mien")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "a parent of the class, not of Awa");
    // A mark id that does not exist is the same 404.
    let r = sc
        .post(
            PARENT_TWO,
            "/attendance/absences/999999/justify",
            &[("note", "x")],
        )
        .await;
    assert_eq!(r.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_reviews_what_a_parent_justified() {
    let at = setup().await;
    let sc = &at.sc;
    let (awa, dede) = (sc.ids[PUPIL_A], at.dede);
    at.take(
        TEACHER_A,
        sc.a,
        &at.today,
        "08:00",
        &[(awa, "absent", ""), (dede, "absent", "")],
    )
    .await;
    // The parent is told on the dashboard; the other family is not.
    let (_, dash) = sc.get(PARENT_TWO, "/").await;
    assert!(
        dash.contains("id=\"attendance-notice\""),
        "the parent is told"
    );
    assert!(
        dash.contains(&format!("href=\"/attendance?child={awa}\"")),
        "the notice leads to the absent child"
    );
    let (_, dash) = sc.get(PARENT_OTHER, "/").await;
    assert!(!dash.contains("id=\"attendance-notice\""));
    let mark = at.mark_of(awa).await;
    let r = sc
        .post(
            PARENT_TWO,
            &format!("/attendance/absences/{mark}/justify"),
            &[("note", "Awa avait de la fièvre.\nCertificat suit.")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).contains(&format!("child={awa}")));
    let (_, dash) = sc.get(PARENT_TWO, "/").await;
    assert!(
        !dash.contains("id=\"attendance-notice\""),
        "nothing left to explain"
    );
    // The office sees one justification waiting, and its text first in the list.
    let (_, dash) = sc.get(OFFICE, "/").await;
    assert!(dash.contains("1 justification to review"), "{dash}");
    let (_, list) = sc.get(OFFICE, "/attendance/absences").await;
    let first = list.split("id=\"mark-").nth(1).unwrap();
    assert!(first.contains("Awa avait de la fièvre.") && first.contains("Test m.two"));
    assert!(list.contains("Test p.dede"), "Dédé's absence waits too");
    // The office decides: audited, and the parent sees the decision and may not change it.
    let r = sc
        .post(
            OFFICE,
            &format!("/attendance/absences/{mark}"),
            &[("reason", "Maladie"), ("status", "justified")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        sc.count("SELECT count(*) FROM audit_log WHERE action = 'review_absences'")
            .await,
        1
    );
    let (_, list) = sc.get(OFFICE, "/attendance/absences").await;
    assert!(!list.contains("Awa avait"), "decided: no longer pending");
    let (_, all) = sc.get(OFFICE, "/attendance/absences?show=all").await;
    assert!(all.contains("Awa avait") && all.contains("Maladie"));
    let (_, record) = sc
        .get(PARENT_TWO, &format!("/attendance?child={awa}"))
        .await;
    assert!(record.contains("Justified") && record.contains("Maladie"));
    assert!(!record.contains("/justify"), "nothing left to justify");
    let r = sc
        .post(
            PARENT_TWO,
            &format!("/attendance/absences/{mark}/justify"),
            &[("note", "Encore")],
        )
        .await;
    assert_eq!(r.status(), 400);
    // Taking the register again keeps what was decided while Awa stays absent.
    let r = at
        .take(TEACHER_A, sc.a, &at.today, "08:00", &[(awa, "absent", "")])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(at.marks().await, 1, "Dédé is present after all");
    assert_eq!(
        sc.count("SELECT count(*) FROM attendance_marks WHERE status = 'justified' AND family_note IS NOT NULL")
            .await,
        1
    );
    // The pupil sees their own record, and a classmate's is not theirs.
    let (_, own) = at_page(&at.dede_client, &sc.s, "/attendance").await;
    assert!(own.contains("id=\"no-marks\""));
    let (_, awas) = sc.get(PUPIL_A, "/attendance").await;
    assert!(awas.contains("Maladie") && !awas.contains("/justify"));
}

async fn at_page(c: &reqwest::Client, s: &TestServer, path: &str) -> (u16, String) {
    let r = c.get(s.url(path)).send().await.unwrap();
    (r.status().as_u16(), plain(&r.text().await.unwrap()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_and_changes_nothing() {
    let at = setup().await;
    let sc = &at.sc;
    let awa = sc.ids[PUPIL_A];
    at.take(TEACHER_A, sc.a, &at.today, "08:00", &[(awa, "absent", "")])
        .await;
    let before = (
        at.marks().await,
        sc.count("SELECT count(*) FROM registers").await,
    );
    let future = format_date(local_date(cartable::now() + 3 * 86_400));
    // Dates, times and marks a person can get wrong: a 400 saying why.
    for (day, slot, marks, message) in [
        ("2026-02-30", "08:00", vec![], "must exist"),
        ("04/05/2026", "08:00", vec![], "must exist"),
        ("1999-12-31", "08:00", vec![], "between 2000 and 2099"),
        ("20266-05-04", "08:00", vec![], "between 2000 and 2099"),
        (future.as_str(), "08:00", vec![], "not before"),
        (at.today.as_str(), "25:00", vec![], "hours:minutes"),
        (
            at.today.as_str(),
            "08:00",
            vec![(awa, "late", "0")],
            "1 to 240",
        ),
        (
            at.today.as_str(),
            "08:00",
            vec![(awa, "late", "999")],
            "1 to 240",
        ),
        (
            at.today.as_str(),
            "08:00",
            vec![(awa, "late", "abc")],
            "1 to 240",
        ),
        (
            at.today.as_str(),
            "08:00",
            vec![(awa, "maybe", "")],
            "present, absent or late",
        ),
        // A pupil of another class (Ben) slipped into 6e A's register.
        (
            at.today.as_str(),
            "08:00",
            vec![(sc.ids[PUPIL_B], "absent", "")],
            "not in this class",
        ),
        (
            at.today.as_str(),
            "08:00",
            vec![(UserId(999_999), "absent", "")],
            "not in this class",
        ),
    ] {
        let r = at.take(TEACHER_A, sc.a, day, slot, &marks).await;
        assert_eq!(r.status(), 400, "{day} {slot} {marks:?}");
        let page = r.text().await.unwrap();
        assert!(page.contains(message), "{message}: {page}");
        if marks.first().is_some_and(|m| m.1 == "late") {
            let kept = format!("name=\"p{awa}\" value=\"late\" checked");
            assert!(page.contains(&kept), "the sheet comes back as filled in");
        }
        let (s, _) = sc
            .get(
                TEACHER_A,
                &format!("/attendance/register?class={}&date={day}&slot={slot}", sc.a),
            )
            .await;
        assert_eq!(
            s,
            if marks.is_empty() { 400 } else { 200 },
            "GET {day} {slot}"
        );
    }
    let r = sc
        .post(
            TEACHER_A,
            "/attendance/register",
            &[
                ("class", &sc.a.to_string()),
                ("date", &at.today),
                ("slot", "08:00"),
                ("pxyz", "absent"),
            ],
        )
        .await;
    assert_eq!(r.status(), 400, "a pupil id that is not a number");
    let long_subject = "m".repeat(200);
    let r = sc
        .post(
            TEACHER_A,
            "/attendance/register",
            &[
                ("class", &sc.a.to_string()),
                ("date", &at.today),
                ("slot", "08:00"),
                ("subject", &long_subject),
            ],
        )
        .await;
    assert_eq!(r.status(), 400, "a subject too long");
    // A class the teacher does not teach, or that does not exist.
    let r = at
        .take(
            TEACHER_A,
            sc.b,
            &at.today,
            "08:00",
            &[(sc.ids[PUPIL_B], "absent", "")],
        )
        .await;
    assert_eq!(r.status(), 403);
    let (s, page) = sc.get(TEACHER_A, &at.register_path(sc.b, "08:00")).await;
    assert_eq!(s, 403);
    assert!(!page.contains("p.ben"));
    let (s, _) = sc
        .get(
            OFFICE,
            "/attendance/register?class=999999&date=2026-01-05&slot=08:00",
        )
        .await;
    assert_eq!(s, 404);
    let (s, _) = sc
        .get(
            TEACHER_A,
            "/attendance/register?class=999999&date=2026-01-05&slot=08:00",
        )
        .await;
    assert_eq!(s, 403, "a teacher is not told whether a class exists");
    let (s, _) = sc
        .get(
            OFFICE,
            "/attendance/register?class=abc&date=2026-01-05&slot=08:00",
        )
        .await;
    assert_eq!(s, 404);
    // Ben's id in the form was refused above: nothing on his record.
    assert_eq!(
        sc.count("SELECT count(*) FROM attendance_marks m JOIN users u ON u.id = m.pupil_id WHERE u.username = 'p.ben'")
            .await,
        0
    );
    // CSRF: no token, a forged one, one replayed from a session that has ended.
    let old = sc.s.logged_in(TEACHER_A).await;
    let stale = csrf_for(&old, &sc.s.base, "/").await;
    let r = old
        .post(sc.url("/logout"))
        .form(&[("csrf", stale.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let fields = |token: Option<&str>| {
        let mut f = vec![
            ("class".to_owned(), sc.a.to_string()),
            ("date".to_owned(), at.today.clone()),
            ("slot".to_owned(), "11:00".to_owned()),
            (format!("p{awa}"), "absent".to_owned()),
        ];
        if let Some(t) = token {
            f.push(("csrf".into(), t.into()));
        }
        f
    };
    for token in [
        None,
        Some("forged-token-forged-token-forged-token!"),
        Some(stale.as_str()),
    ] {
        let r = sc
            .as_(TEACHER_A)
            .post(sc.url("/attendance/register"))
            .form(&fields(token))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "token {token:?}");
    }
    // Huge or empty texts.
    let mark = at.mark_of(awa).await;
    let justify = format!("/attendance/absences/{mark}/justify");
    let r = sc.post(PARENT_TWO, &justify, &[("note", "   ")]).await;
    assert_eq!(r.status(), 400);
    let r = sc
        .post(PARENT_TWO, &justify, &[("note", &"é".repeat(2_001))])
        .await;
    assert_eq!(r.status(), 400);
    let r = sc
        .post(PARENT_TWO, &justify, &[("note", &"x".repeat(200_000))])
        .await;
    assert_eq!(r.status(), 413);
    let r = sc
        .post(
            OFFICE,
            &format!("/attendance/absences/{mark}"),
            &[("reason", &"r".repeat(501)), ("status", "justified")],
        )
        .await;
    assert_eq!(r.status(), 400);
    let r = sc
        .post(
            OFFICE,
            &format!("/attendance/absences/{mark}"),
            &[("reason", "ok"), ("status", "maybe")],
        )
        .await;
    assert_eq!(r.status(), 400);
    let r = sc
        .post(
            OFFICE,
            "/attendance/absences/999999",
            &[("reason", "ok"), ("status", "justified")],
        )
        .await;
    assert_eq!(r.status(), 404);
    // The export's month and class.
    for (query, status) in [
        (format!("class={}&month=2026-13", sc.a), 400),
        (format!("class={}&month=May", sc.a), 400),
        (format!("class={}&month=1999-01", sc.a), 400),
        ("class=abc&month=2026-05".to_owned(), 404),
        ("class=999999&month=2026-05".to_owned(), 404),
    ] {
        let (s, _) = sc.get(OFFICE, &format!("/attendance/export?{query}")).await;
        assert_eq!(s, status, "{query}");
    }
    assert_eq!(
        (
            at.marks().await,
            sc.count("SELECT count(*) FROM registers").await
        ),
        before,
        "nothing changed"
    );
    assert_eq!(
        sc.count(
            "SELECT count(*) FROM attendance_marks WHERE family_note IS NOT NULL OR reason != ''"
        )
        .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monthly_csv_opens_in_a_french_spreadsheet() {
    let at = setup().await;
    let sc = &at.sc;
    let (awa, dede) = (sc.ids[PUPIL_A], at.dede);
    let first = format!("{}-01", &at.today[..7]);
    // Awa: absent twice on the 1st's morning (one half-day), and this afternoon (another),
    // late 10 minutes this morning (the same day as the 1st, on the 1st: the counts hold). Dédé: late twice, 5 and 15 minutes.
    let days = [
        (
            first.as_str(),
            "08:00",
            vec![(awa, "absent", ""), (dede, "late", "5")],
        ),
        (first.as_str(), "09:00", vec![(awa, "absent", "")]),
        (
            at.today.as_str(),
            "10:00",
            vec![(awa, "late", "10"), (dede, "late", "15")],
        ),
        (at.today.as_str(), "14:00", vec![(awa, "absent", "")]),
    ];
    for (day, slot, marks) in &days {
        let r = at.take(TEACHER_A, sc.a, day, slot, marks).await;
        assert_eq!(r.status(), 303, "{day} {slot}");
    }
    // The office decides: one justified, one not, one still pending.
    let db = &sc.s.running.app.db;
    let ids: Vec<i64> = db
        .read(move |c| {
            let mut s = c.prepare(
                "SELECT m.id FROM attendance_marks m JOIN registers r ON r.id = m.register_id
                 WHERE m.pupil_id = ?1 AND m.kind = 'absent' ORDER BY r.day, r.slot",
            )?;
            Ok(s.query_map([awa], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?)
        })
        .await
        .unwrap();
    assert_eq!(ids.len(), 3);
    for (id, status) in [(ids[0], "justified"), (ids[1], "unjustified")] {
        let r = sc
            .post(
                OFFICE,
                &format!("/attendance/absences/{id}"),
                &[("reason", "="), ("status", status)],
            )
            .await;
        assert_eq!(r.status(), 303);
    }
    let path = format!("/attendance/export?class={}&month={}", sc.a, &at.today[..7]);
    for who in [OFFICE, ADMIN, TEACHER_A] {
        let r = sc.as_(who).get(sc.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{who}");
        let ct = r.headers()["content-type"].to_str().unwrap().to_owned();
        assert_eq!(ct, "text/csv; charset=utf-8");
        let cd = r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            cd.starts_with("attachment; filename=\"attendance-6e-A-"),
            "{cd}"
        );
        let bytes = r.bytes().await.unwrap();
        assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF], "a byte-order mark");
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert!(
            text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'),
            "CRLF"
        );
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(&bytes[3..]);
        let headers = reader.headers().unwrap().clone();
        assert_eq!(headers.len(), 10);
        assert_eq!(&headers[1], "Pupil");
        assert_eq!(&headers[3], "Absences (half-days)");
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 2, "Awa and Dédé");
        let row = |name: &str| {
            rows.iter()
                .find(|r| &r[1] == name)
                .unwrap_or_else(|| panic!("{name} in {text}"))
                .iter()
                .map(str::to_owned)
                .collect::<Vec<String>>()
        };
        let dd_mm_yyyy = format!(
            "{}/{}/{}",
            &at.today[8..10],
            &at.today[5..7],
            &at.today[..4]
        );
        assert_eq!(
            row("Test p.awa"),
            [
                "6e A",
                "Test p.awa",
                "3",
                "2",
                "1",
                "1",
                "1",
                "1",
                "10",
                dd_mm_yyyy.as_str()
            ]
        );
        assert_eq!(
            row("Test p.dede"),
            [
                "6e A",
                "Test p.dede",
                "0",
                "0",
                "0",
                "0",
                "0",
                "2",
                "20",
                ""
            ]
        );
    }
    // Another class's teacher, pupils and parents may not export it.
    for who in [TEACHER_B, PUPIL_A, PARENT_TWO, PARENT_OTHER] {
        let (s, body) = sc.get(who, &path).await;
        assert_eq!(s, 403, "{who}");
        assert!(!body.contains("Test p.dede"));
    }
    // In French: French headers, the same numbers.
    sc.s.set_default_language("fr").await;
    let fr = at_page(sc.as_(OFFICE), &sc.s, &path).await.1;
    assert!(
        fr.contains("Élève;") && fr.contains("Dernière absence"),
        "{fr}"
    );
}
