//! The agenda through its pages and its calendar feed, as each role meets it: who sees which
//! event (in the list, the month's table, its page, its `.ics`, their feed and their
//! dashboard), who may plan where, dates typed wrong refused with nothing saved, a parent of
//! two children seeing the union and never another family's, and the feed: no session, exactly
//! what its owner may see, a new link ending the old one, an unknown one a plain 404. A real
//! calendar parser (Python's `icalendar`, tests/school/ical_check.py) reads a feed. Every
//! `/agenda` route is walked as every role.

use crate::school_news::*;
use crate::support::*;
use cartable::ids::ClassId;
use reqwest::Method;

/// A day `n` days from today, `YYYY-MM-DD` (tests run in UTC, the school's zone here).
fn day(n: i64) -> String {
    let d = time::OffsetDateTime::now_utc().date() + time::Duration::days(n);
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The form's fields for an event on `date` from 08:30 to 12:00.
fn fields<'a>(title: &'a str, audience: &'a str, date: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("kind", "trip"),
        ("audience", audience),
        ("start_date", date),
        ("start_time", "08:30"),
        ("end_time", "12:00"),
        ("place", "Musée"),
    ]
}

impl School {
    /// Plans an event as `who` from `fields` and the classes, and returns its id.
    async fn plan(&self, who: &str, fields: &[(&str, &str)], classes: &[ClassId]) -> i64 {
        let r = self.plan_raw(who, fields, classes).await;
        let status = r.status();
        let at = location(&r);
        assert_eq!(status, 303, "{who} planning: {}", r.text().await.unwrap());
        at.strip_prefix("/agenda/")
            .and_then(|rest| rest.split('?').next())
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("an event's address, not {at}"))
    }

    async fn plan_raw(
        &self,
        who: &str,
        fields: &[(&str, &str)],
        classes: &[ClassId],
    ) -> reqwest::Response {
        let ids: Vec<String> = classes.iter().map(|c| c.0.to_string()).collect();
        let mut f = fields.to_vec();
        f.extend(ids.iter().map(|c| ("class", c.as_str())));
        self.post(who, "/agenda/new", &f).await
    }

    /// Makes `who` a new feed link and returns its path.
    async fn new_feed(&self, who: &str) -> String {
        let r = self.post(who, "/agenda/feed", &[]).await;
        assert_eq!(r.status(), 200);
        let page = r.text().await.unwrap();
        let at = page
            .find("id=\"feed-url\" readonly value=\"")
            .expect("the new link")
            + 30;
        let url = page[at..].split('"').next().unwrap().replace("&#x2f;", "/");
        url.strip_prefix(&self.s.base).unwrap().to_owned()
    }
}

/// Who sees each event, by account, in the order of [`EVERYONE`] (as for news).
fn seers(item: &str) -> [bool; 9] {
    match item {
        "school" => [true; 9],
        "staff" => [true, true, true, true, false, false, false, false, false],
        "parents of 4e C" => [true, true, false, false, false, false, false, false, true],
        "6e A" => [true, true, true, false, true, false, false, true, false],
        "5e B" => [true, true, false, true, false, true, false, true, false],
        _ => unreachable!(),
    }
}

/// Plans one event for each audience of [`seers`], on successive days; returns
/// (audience, title, id).
async fn plan_each(sc: &School) -> Vec<(&'static str, String, i64)> {
    let plans = [
        (OFFICE, "school", "school", vec![]),
        (OFFICE, "staff", "staff", vec![]),
        (OFFICE, "parents of 4e C", "class_parents", vec![sc.c]),
        (TEACHER_A, "6e A", "classes", vec![sc.a]),
        (TEACHER_B, "5e B", "classes", vec![sc.b]),
    ];
    let mut out = Vec::new();
    for (n, (who, name, audience, classes)) in plans.into_iter().enumerate() {
        let title = format!("Event for {name}");
        let date = day(10 + n as i64);
        let id = sc
            .plan(who, &fields(&title, audience, &date), &classes)
            .await;
        out.push((name, title, id));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_sees_the_events_meant_for_them_in_every_view() {
    let sc = school().await;
    let planned = plan_each(&sc).await;
    for (n, who) in EVERYONE.iter().enumerate() {
        let (status, agenda) = sc.get(who, "/agenda").await;
        assert_eq!(status, 200);
        let upcoming = agenda.split("id=\"upcoming\"").nth(1).unwrap();
        let upcoming = upcoming.split("</section>").next().unwrap();
        let feed = sc.new_feed(who).await;
        let calendar = plain_client()
            .get(sc.url(&feed))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        for (name, title, id) in &planned {
            let may = seers(name)[n];
            assert_eq!(
                upcoming.contains(&format!(">{title}<")),
                may,
                "{who} listing {title}"
            );
            assert_eq!(
                calendar.contains(&format!("SUMMARY:{title}\r\n")),
                may,
                "{who}'s feed and {title}"
            );
            for path in [format!("/agenda/{id}"), format!("/agenda/{id}.ics")] {
                let (status, page) = sc.get(who, &path).await;
                assert_eq!(status, if may { 200 } else { 404 }, "{who} {path}");
                assert_eq!(page.contains(title.as_str()), may, "{who} {path}");
            }
        }
        let count = planned.iter().filter(|(name, _, _)| seers(name)[n]).count();
        assert_eq!(calendar.matches("BEGIN:VEVENT").count(), count, "{who}");
    }
    // The parent's dashboard: the next three of theirs, soonest first.
    let (_, dash) = sc.get(PARENT_TWO, "/").await;
    let next = dash.split("id=\"next-events\"").nth(1).unwrap();
    let next = next.split("</section>").next().unwrap();
    let shown: Vec<usize> = ["school", "6e A", "5e B"]
        .iter()
        .map(|n| next.find(&format!(">Event for {n}<")).expect(n))
        .collect();
    assert!(shown.windows(2).all(|w| w[0] < w[1]), "soonest first");
    assert!(!next.contains("Event for staff"));
    // One event's file: a download, a calendar.
    let (_, _, id) = &planned[0];
    let r = sc
        .as_(PUPIL_C)
        .get(sc.url(&format!("/agenda/{id}.ics")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "text/calendar; charset=utf-8");
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        disposition,
        format!("attachment; filename=\"event-{id}.ics\"")
    );
    let text = r.text().await.unwrap();
    assert!(
        text.starts_with("BEGIN:VCALENDAR\r\n") && text.contains("SUMMARY:Event for school\r\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parent_of_two_sees_both_classes_or_one_child_never_another_family() {
    let sc = school().await;
    let planned = plan_each(&sc).await;
    let id_of = |name: &str| planned.iter().find(|p| p.0 == name).unwrap().2;
    let (_, all) = sc.get(PARENT_TWO, "/agenda").await;
    assert!(all.contains(">Event for 6e A<") && all.contains(">Event for 5e B<"));
    let ben = sc.ids[PUPIL_B];
    let (status, one) = sc.get(PARENT_TWO, &format!("/agenda?child={ben}")).await;
    assert_eq!(status, 200);
    assert!(one.contains(">Event for 5e B<") && !one.contains(">Event for 6e A<"));
    assert!(one.contains(">Event for school<"));
    // Another family's child's class event, by id, by child or by feed: nothing.
    let chloe = sc.ids[PUPIL_C];
    for path in [
        format!("/agenda/{}", id_of("parents of 4e C")),
        format!("/agenda/{}.ics", id_of("parents of 4e C")),
        format!("/agenda?child={chloe}"),
        "/agenda?child=999999".to_owned(),
    ] {
        let (status, page) = sc.get(PARENT_TWO, &path).await;
        assert_eq!(status, 404, "{path}");
        assert!(!page.contains("Event for parents of 4e C"), "{path}");
    }
    let awa = sc.ids[PUPIL_A];
    assert_eq!(
        sc.get(PARENT_OTHER, &format!("/agenda?child={awa}"))
            .await
            .0,
        404
    );
    assert_eq!(
        sc.get(PUPIL_A, &format!("/agenda?child={awa}")).await.0,
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_may_plan_where_and_bad_dates_change_nothing() {
    let sc = school().await;
    let count = || sc.count("SELECT count(*) FROM events");
    let date = day(5);
    sc.plan(TEACHER_A, &fields("Contrôle", "classes", &date), &[sc.a])
        .await;
    let before = count().await;
    // A teacher plans for the classes they teach, nowhere else; nothing is saved.
    for (audience, classes) in [
        ("classes", vec![sc.b]),
        ("classes", vec![sc.a, sc.b]),
        ("class_parents", vec![sc.b]),
        ("school", vec![]),
    ] {
        let r = sc
            .plan_raw(TEACHER_A, &fields("Intrus", audience, &date), &classes)
            .await;
        assert_eq!(r.status(), 403, "{audience} {classes:?}");
    }
    for who in [PUPIL_A, PARENT_TWO] {
        assert_eq!(sc.get(who, "/agenda/new").await.0, 403);
        let r = sc
            .plan_raw(who, &fields("Intrus", "school", &date), &[])
            .await;
        assert_eq!(r.status(), 403);
    }
    for token in [Some("forged-token-forged-token-forged-token-forged!"), None] {
        let mut form = fields("Rejoué", "school", &date);
        form.extend(token.map(|t| ("csrf", t)));
        let r = sc
            .as_(OFFICE)
            .post(sc.url("/agenda/new"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "token {token:?}");
    }
    // Dates and times typed wrong: the form again, as typed, with why.
    let cases: [(&[(&str, &str)], &str); 10] = [
        (
            &[("start_date", "04/12/2026")],
            "like 2026-05-04, and must exist",
        ),
        (
            &[("start_date", "2026-02-30")],
            "like 2026-05-04, and must exist",
        ),
        (
            &[("start_date", "demain")],
            "like 2026-05-04, and must exist",
        ),
        (&[("start_date", "1999-12-31")], "between 2000 and 2099"),
        (&[("start_date", "2100-01-01")], "between 2000 and 2099"),
        (&[("start_date", "20266-05-04")], "between 2000 and 2099"),
        (&[("start_time", "25:00")], "like 08:30"),
        (&[("start_time", "")], "like 08:30"),
        (&[("end_time", "07:00")], "The end comes before the start."),
        (
            &[("all_day", "1"), ("end_date", "2000-01-01")],
            "The end comes before the start.",
        ),
    ];
    for (changes, message) in cases {
        let mut f = fields("Sortie au musée", "school", &date);
        for &(k, v) in changes {
            f.retain(|(key, _)| *key != k);
            f.push((k, v));
        }
        let r = sc.plan_raw(OFFICE, &f, &[]).await;
        assert_eq!(r.status(), 400, "{changes:?}");
        let page = r.text().await.unwrap();
        assert!(page.contains(message), "{changes:?}: {message}");
        assert!(page.contains("value=\"Sortie au musée\""), "kept as typed");
    }
    let r = sc
        .plan_raw(
            OFFICE,
            &[
                ("title", "X"),
                ("kind", "party"),
                ("audience", "school"),
                ("start_date", date.as_str()),
                ("start_time", "08:00"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status(), 400);
    assert_eq!(count().await, before);
    // A month that is not one.
    for month in ["2026-13", "May", "1999-01", "2026-5-1"] {
        let (status, page) = sc.get(PUPIL_A, &format!("/agenda?month={month}")).await;
        assert_eq!(status, 400, "{month}");
        assert!(page.contains("like 2026-05") || page.contains("between 2000 and 2099"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_month_table_places_events_on_their_days() {
    let sc = school().await;
    let (first, last) = (day(40), day(42));
    let trip = sc
        .plan(
            OFFICE,
            &[
                ("title", "Voyage à Saint-Louis"),
                ("kind", "trip"),
                ("audience", "school"),
                ("all_day", "1"),
                ("start_date", first.as_str()),
                ("end_date", last.as_str()),
            ],
            &[],
        )
        .await;
    let month = &first[..7];
    let (status, page) = sc.get(PUPIL_B, &format!("/agenda?month={month}")).await;
    assert_eq!(status, 200);
    let table = page.split("id=\"month\"").nth(1).unwrap();
    for n in 39..=43 {
        let d = day(n);
        let Some(cell) = table.split(&format!("data-date=\"{d}\"")).nth(1) else {
            continue; // the day is in the next month's table
        };
        let cell = cell.split("</td>").next().unwrap();
        assert_eq!(
            cell.contains(&format!("href=\"/agenda/{trip}\"")),
            (40..=42).contains(&n),
            "{d}"
        );
    }
    let (_, page) = sc.get(PUPIL_B, &format!("/agenda/{trip}")).await;
    assert!(page.contains("Trip") && page.contains(" – "), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_needs_no_session_and_a_new_link_ends_the_old() {
    let sc = school().await;
    sc.plan(OFFICE, &fields("Kermesse", "school", &day(3)), &[])
        .await;
    let (_, page) = sc.get(PARENT_TWO, "/agenda").await;
    assert!(page.contains("Make my calendar link") && !page.contains("id=\"feed-url\""));
    let old = sc.new_feed(PARENT_TWO).await;
    assert!(old.starts_with("/agenda/feed/") && old.ends_with(".ics"));
    let base = sc.s.base.clone();
    let feed = |path: String| {
        let url = format!("{base}{path}");
        async move {
            let r = plain_client().get(url).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, text) = feed(old.clone()).await;
    assert_eq!(status, 200);
    assert!(text.contains("SUMMARY:Kermesse\r\n"));
    // The secret is shown once: the agenda page only says a link exists.
    let (_, page) = sc.get(PARENT_TWO, "/agenda").await;
    assert!(page.contains("id=\"feed-made\"") && !page.contains(&old[13..77]));
    // A new link: the old one is gone at once, the new one works.
    let new = sc.new_feed(PARENT_TWO).await;
    assert_ne!(new, old);
    assert_eq!(feed(old).await.0, 404);
    assert_eq!(feed(new.clone()).await.0, 200);
    // Unknown, malformed, or a session cookie instead of a secret: nothing.
    for path in [
        format!("/agenda/feed/{}.ics", "0".repeat(64)),
        "/agenda/feed/abc.ics".to_owned(),
        "/agenda/feed/.ics".to_owned(),
    ] {
        let (status, text) = feed(path.clone()).await;
        assert_eq!(status, 404, "{path}");
        assert!(!text.contains("Kermesse"));
    }
    // A forged form cannot replace someone's link.
    let r = sc
        .as_(PARENT_TWO)
        .post(sc.url("/agenda/feed"))
        .form(&[("csrf", "forged-token-forged-token-forged-token-forged!")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(feed(new.clone()).await.0, 200);
    // A disabled account's feed stops.
    let id = sc.ids[PARENT_TWO];
    sc.s.running
        .app
        .db
        .write(move |tx| {
            Ok(cartable::accounts::set_disabled(
                tx,
                &cartable::auth::Allowed::system("test"),
                id,
                true,
            )?)
        })
        .await
        .unwrap();
    assert_eq!(feed(new).await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_calendar_client_reads_the_feed() {
    let sc = school().await;
    let (d1, d2, d3) = (day(7), day(8), day(21));
    let long = "Rendez-vous à 7 h 45 devant le collège; retour vers 18 h, à Gorée.\n\
                Prévoir un pique-nique, une casquette et de l'eau (1,5 L). \\o/ "
        .repeat(3);
    let long = long.trim().to_owned();
    sc.plan(
        OFFICE,
        &[
            ("title", "Sortie à Gorée, île"),
            ("kind", "trip"),
            ("audience", "school"),
            ("start_date", d1.as_str()),
            ("start_time", "07:45"),
            ("end_date", d1.as_str()),
            ("end_time", "18:00"),
            ("place", "Embarcadère; Dakar"),
            ("description", long.as_str()),
        ],
        &[],
    )
    .await;
    sc.plan(
        TEACHER_A,
        &[
            ("title", "Brevet blanc"),
            ("kind", "exam"),
            ("audience", "classes"),
            ("all_day", "1"),
            ("start_date", d2.as_str()),
            ("end_date", d3.as_str()),
        ],
        &[sc.a],
    )
    .await;
    sc.plan(
        TEACHER_B,
        &[
            ("title", "Réunion parents-professeurs"),
            ("kind", "meeting"),
            ("audience", "class_parents"),
            ("start_date", d3.as_str()),
            ("start_time", "17:00"),
        ],
        &[sc.b],
    )
    .await;
    // Not the parent's: another class's, and the staff's.
    sc.plan(OFFICE, &fields("Conseil", "staff", &d1), &[]).await;
    sc.plan(OFFICE, &fields("Cantine 4e C", "classes", &d1), &[sc.c])
        .await;
    let feed = sc.new_feed(PARENT_TWO).await;
    let next_day = |d: &str| {
        let date = time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]"))
            .unwrap();
        let n = date.next_day().unwrap();
        format!("{:04}-{:02}-{:02}", n.year(), u8::from(n.month()), n.day())
    };
    let expected = serde_json::json!({
        "domain": sc.s.running.app.settings().mail_domain,
        "events": [
            {"summary": "Sortie à Gorée, île", "start": format!("{d1}T07:45:00Z"),
             "end": format!("{d1}T18:00:00Z"), "location": "Embarcadère; Dakar",
             "description": long, "category": "Trip"},
            {"summary": "Brevet blanc", "start": d2, "end": next_day(&d3), "location": "",
             "description": "", "category": "Exam"},
            {"summary": "Réunion parents-professeurs", "start": format!("{d3}T17:00:00Z"),
             "end": null, "location": "", "description": "", "category": "Meeting"},
        ]
    });
    let said = python_check(
        "tests/school/ical_check.py",
        sc.url(&feed),
        &expected,
        "the calendar client",
    )
    .await;
    assert!(said.contains("ok: 3 events"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_author_or_an_admin_edits_and_deletes_events_with_an_audit_trail() {
    let sc = school().await;
    let date = day(6);
    let id = sc
        .plan(TEACHER_A, &fields("Contrôle", "classes", &date), &[sc.a])
        .await;
    let a = sc.a.0.to_string();
    let mut changed = fields("Contrôle (décalé)", "classes", &date);
    changed.push(("class", a.as_str()));
    changed.retain(|(k, _)| *k != "start_time");
    changed.push(("start_time", "10:00"));
    let edit = format!("/agenda/{id}/edit");
    assert_eq!(sc.post(TEACHER_B, &edit, &changed).await.status(), 404);
    for who in [OFFICE, PUPIL_A, PARENT_TWO] {
        assert_eq!(sc.get(who, &edit).await.0, 403, "{who}");
        assert_eq!(sc.post(who, &edit, &changed).await.status(), 403, "{who}");
        let r = sc.post(who, &format!("/agenda/{id}/delete"), &[]).await;
        assert_eq!(r.status(), 403, "{who}");
    }
    let (status, form) = sc.get(TEACHER_A, &edit).await;
    assert_eq!(status, 200);
    assert!(form.contains(&format!("value=\"{date}\"")) && form.contains("value=\"08:30\""));
    assert_eq!(sc.post(TEACHER_A, &edit, &changed).await.status(), 303);
    let (_, page) = sc.get(PARENT_TWO, &format!("/agenda/{id}")).await;
    assert!(page.contains("Contrôle (décalé)") && page.contains("10:00 – 12:00"));
    let (_, ics) = sc.get(PUPIL_A, &format!("/agenda/{id}.ics")).await;
    assert!(ics.contains("SEQUENCE:1\r\n"), "calendars see the change");
    let r = sc.post(ADMIN, &format!("/agenda/{id}/delete"), &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(sc.get(PUPIL_A, &format!("/agenda/{id}")).await.0, 404);
    let audited = sc
        .count("SELECT count(*) FROM audit_log WHERE action = 'delete_event' AND detail LIKE 'Contrôle (décalé)%'")
        .await;
    assert_eq!(audited, 1);
}

/// Every `/agenda` route as every account, against one event for 6e A by its teacher: a
/// route missing from the table fails, so a new page says who may reach it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_agenda_route_as_every_role() {
    let sc = school().await;
    let sees = seers("6e A");
    let manages = |who: &str| who == TEACHER_A || who == ADMIN;
    let plans = |who: &str| [ADMIN, OFFICE, TEACHER_A].contains(&who);
    let router = cartable::web::routes();
    let routes: Vec<(Method, String)> = router
        .patterns()
        .iter()
        .filter(|(_, p)| p == "/agenda" || p.starts_with("/agenda/"))
        .cloned()
        .collect();
    assert_eq!(routes.len(), 10, "{routes:?}");
    let date = day(9);
    let a = sc.a.0.to_string();
    let mut form = fields("Pour la 6e A", "classes", &date);
    form.push(("class", a.as_str()));
    for (method, pattern) in &routes {
        for (n, who) in EVERYONE.iter().enumerate() {
            let id = sc
                .plan(
                    TEACHER_A,
                    &fields("Pour la 6e A", "classes", &date),
                    &[sc.a],
                )
                .await;
            let mut path = pattern.replace("{id}", &id.to_string());
            if pattern == "/agenda/feed/{token}.ics" {
                path = sc.new_feed(who).await;
            }
            let want = match (method.as_str(), pattern.as_str()) {
                ("GET", "/agenda") | ("POST", "/agenda/feed") => 200,
                ("GET", "/agenda/feed/{token}.ics") => 200,
                ("GET", "/agenda/new") => {
                    if plans(who) || *who == TEACHER_B {
                        200
                    } else {
                        403
                    }
                }
                ("POST", "/agenda/new") => {
                    if plans(who) {
                        303
                    } else {
                        403
                    }
                }
                ("GET", "/agenda/{id}" | "/agenda/{id}.ics") => {
                    if sees[n] {
                        200
                    } else {
                        404
                    }
                }
                ("GET", "/agenda/{id}/edit")
                | ("POST", "/agenda/{id}/edit" | "/agenda/{id}/delete") => {
                    if !sees[n] {
                        404
                    } else if manages(who) {
                        if method == Method::GET { 200 } else { 303 }
                    } else {
                        403
                    }
                }
                _ => panic!("{method} {pattern} is not in this test's table"),
            };
            let status = if pattern == "/agenda/feed/{token}.ics" {
                // The feed is fetched as a calendar does: no cookie at all.
                let r = plain_client().get(sc.url(&path)).send().await.unwrap();
                let status = r.status().as_u16();
                let text = r.text().await.unwrap();
                assert_eq!(
                    text.contains("SUMMARY:Pour la 6e A"),
                    sees[n],
                    "{who}'s feed"
                );
                status
            } else if *method == Method::GET {
                sc.get(who, &path).await.0
            } else {
                sc.post(who, &path, &form).await.status().as_u16()
            };
            assert_eq!(status, want, "{who} {method} {path}");
        }
        if pattern == "/agenda/feed/{token}.ics" {
            continue;
        }
        let path = pattern.replace("{id}", "1");
        let r = plain_client()
            .request(method.clone(), sc.url(&path))
            .send()
            .await
            .unwrap();
        if *method == Method::GET {
            assert!(location(&r).starts_with("/login?next="), "anonymous {path}");
        } else {
            assert!(
                r.status() == 403 || r.status() == 303,
                "anonymous {method} {path}: {}",
                r.status()
            );
        }
    }
}
