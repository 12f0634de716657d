//! The school's news through its pages, as each role meets it: who reads what (the whole
//! school, the staff, every parent, some classes or only their parents), who may write where
//! (a teacher only to the classes they teach, nothing saved otherwise, forged forms refused),
//! a parent of two children in different classes seeing the union (or one child's share,
//! never another family's), "must read" acknowledgements and their tracking, editing and
//! deleting (audited). Every `/news` route is walked as every role.
//!
//! The school built here is shared with `school_agenda`.

use crate::support::*;
use cartable::auth::Role;
use cartable::ids::{ClassId, UserId};
use reqwest::Method;
use std::collections::HashMap;

pub const ADMIN: &str = "s.admin";
pub const OFFICE: &str = "s.office";
/// Teaches 6e A.
pub const TEACHER_A: &str = "t.anne";
/// Teaches 5e B.
pub const TEACHER_B: &str = "t.bruno";
pub const PUPIL_A: &str = "p.awa";
pub const PUPIL_B: &str = "p.ben";
pub const PUPIL_C: &str = "p.chloe";
/// The parent of Awa (6e A) and Ben (5e B).
pub const PARENT_TWO: &str = "m.two";
/// The parent of Chloé (4e C).
pub const PARENT_OTHER: &str = "m.other";

pub const EVERYONE: [&str; 9] = [
    ADMIN,
    OFFICE,
    TEACHER_A,
    TEACHER_B,
    PUPIL_A,
    PUPIL_B,
    PUPIL_C,
    PARENT_TWO,
    PARENT_OTHER,
];

pub struct School {
    pub s: TestServer,
    pub a: ClassId,
    pub b: ClassId,
    pub c: ClassId,
    pub ids: HashMap<&'static str, UserId>,
    clients: HashMap<&'static str, reqwest::Client>,
}

/// Three classes, 6e A, 5e B and 4e C, with the accounts above; pages in English.
pub async fn school() -> School {
    let s = TestServer::start().await;
    s.set_default_language("en").await;
    let a = s.class("6e A").await;
    let b = s.class("5e B").await;
    let c = s.class("4e C").await;
    let roles = [
        (ADMIN, Role::Admin),
        (OFFICE, Role::Staff),
        (TEACHER_A, Role::Teacher),
        (TEACHER_B, Role::Teacher),
        (PUPIL_A, Role::Pupil),
        (PUPIL_B, Role::Pupil),
        (PUPIL_C, Role::Pupil),
        (PARENT_TWO, Role::Parent),
        (PARENT_OTHER, Role::Parent),
    ];
    let mut ids = HashMap::new();
    for (name, role) in roles {
        ids.insert(name, s.user(name, role).await);
    }
    s.add_member(a, ids[TEACHER_A]).await;
    s.add_member(b, ids[TEACHER_B]).await;
    s.add_member(a, ids[PUPIL_A]).await;
    s.add_member(b, ids[PUPIL_B]).await;
    s.add_member(c, ids[PUPIL_C]).await;
    s.link_parent(ids[PARENT_TWO], ids[PUPIL_A]).await;
    s.link_parent(ids[PARENT_TWO], ids[PUPIL_B]).await;
    s.link_parent(ids[PARENT_OTHER], ids[PUPIL_C]).await;
    let mut clients = HashMap::new();
    for name in EVERYONE {
        clients.insert(name, s.logged_in(name).await);
    }
    School {
        s,
        a,
        b,
        c,
        ids,
        clients,
    }
}

impl School {
    pub fn url(&self, path: &str) -> String {
        self.s.url(path)
    }

    pub fn as_(&self, who: &str) -> &reqwest::Client {
        &self.clients[who]
    }

    pub async fn count(&self, sql: &'static str) -> i64 {
        self.s
            .running
            .app
            .db
            .read(move |c| Ok(c.query_row(sql, [], |r| r.get::<_, i64>(0))?))
            .await
            .unwrap()
    }

    pub async fn get(&self, who: &str, path: &str) -> (u16, String) {
        let r = self.as_(who).get(self.url(path)).send().await.unwrap();
        (r.status().as_u16(), plain(&r.text().await.unwrap()))
    }

    /// POSTs `fields` as `who`, with the CSRF token of their dashboard.
    pub async fn post(&self, who: &str, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let csrf = csrf_for(self.as_(who), &self.s.base, "/").await;
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        self.as_(who)
            .post(self.url(path))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// Publishes news as `who` and returns its id.
    pub async fn publish(
        &self,
        who: &str,
        title: &str,
        audience: &str,
        classes: &[ClassId],
    ) -> i64 {
        self.publish_with(who, title, "Le texte.", audience, classes, false)
            .await
    }

    pub async fn publish_with(
        &self,
        who: &str,
        title: &str,
        body: &str,
        audience: &str,
        classes: &[ClassId],
        must_read: bool,
    ) -> i64 {
        let ids: Vec<String> = classes.iter().map(|c| c.0.to_string()).collect();
        let mut fields = vec![
            ("title", title),
            ("body", body),
            ("audience", audience),
            ("action", "post"),
        ];
        fields.extend(ids.iter().map(|c| ("class", c.as_str())));
        if must_read {
            fields.push(("must_read", "1"));
        }
        let r = self.post(who, "/news/new", &fields).await;
        assert_eq!(r.status(), 303, "{who} publishing {title}");
        let at = location(&r);
        at.strip_prefix("/news/")
            .and_then(|rest| rest.split('?').next())
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("a news item's address, not {at}"))
    }
}

/// Who may read each item, by account, in the order of [`EVERYONE`].
fn readers(item: &str) -> [bool; 9] {
    match item {
        "school" => [true; 9],
        "staff" => [true, true, true, true, false, false, false, false, false],
        "parents" => [true, true, false, false, false, false, false, true, true],
        "parents of 4e C" => [true, true, false, false, false, false, false, false, true],
        "6e A" => [true, true, true, false, true, false, false, true, false],
        "parents of 6e A" => [true, true, true, false, false, false, false, true, false],
        "5e B" => [true, true, false, true, false, true, false, true, false],
        _ => unreachable!(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_reads_the_news_meant_for_them() {
    let sc = school().await;
    let items = [
        (OFFICE, "school", "school", vec![]),
        (OFFICE, "staff", "staff", vec![]),
        (OFFICE, "parents", "parents", vec![]),
        (OFFICE, "parents of 4e C", "class_parents", vec![sc.c]),
        (TEACHER_A, "6e A", "classes", vec![sc.a]),
        (TEACHER_A, "parents of 6e A", "class_parents", vec![sc.a]),
        (TEACHER_B, "5e B", "classes", vec![sc.b]),
    ];
    let mut published = Vec::new();
    for (who, name, audience, classes) in &items {
        let title = format!("News for {name}");
        let id = sc.publish(who, &title, audience, classes).await;
        published.push((*name, title, id));
    }
    for (n, who) in EVERYONE.iter().enumerate() {
        let (status, timeline) = sc.get(who, "/news").await;
        assert_eq!(status, 200);
        let (_, dashboard) = sc.get(who, "/").await;
        for (name, title, id) in &published {
            let may = readers(name)[n];
            let shown = format!(">{title}<");
            assert_eq!(timeline.contains(&shown), may, "{who} listing {title}");
            let (status, page) = sc.get(who, &format!("/news/{id}")).await;
            assert_eq!(status, if may { 200 } else { 404 }, "{who} opening {title}");
            if !may {
                assert!(!page.contains(&shown) && !dashboard.contains(&shown));
            }
        }
    }
    // The dashboard shows the latest five that concern the reader, newest first.
    let (_, dashboard) = sc.get(PARENT_TWO, "/").await;
    let timeline = dashboard.split("id=\"news-timeline\"").nth(1).unwrap();
    let order: Vec<usize> = ["5e B", "parents of 6e A", "6e A", "parents", "school"]
        .iter()
        .map(|n| timeline.find(&format!("News for {n}<")).unwrap())
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "newest first: {order:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parent_of_two_sees_the_union_or_one_child_never_another_family() {
    let sc = school().await;
    sc.publish(TEACHER_A, "Devoirs de 6e A", "classes", &[sc.a])
        .await;
    sc.publish(TEACHER_B, "Sortie de 5e B", "classes", &[sc.b])
        .await;
    sc.publish(OFFICE, "Cantine de 4e C", "classes", &[sc.c])
        .await;
    let (_, all) = sc.get(PARENT_TWO, "/news").await;
    assert!(all.contains("Devoirs de 6e A") && all.contains("Sortie de 5e B"));
    assert!(!all.contains("Cantine de 4e C"));
    assert!(
        all.contains("id=\"children\""),
        "a parent of two may pick one"
    );
    let awa = sc.ids[PUPIL_A];
    let (status, one) = sc.get(PARENT_TWO, &format!("/news?child={awa}")).await;
    assert_eq!(status, 200);
    assert!(one.contains("Devoirs de 6e A") && !one.contains("Sortie de 5e B"));
    // Another family's child, a child id from a pupil, or nonsense: not found.
    let chloe = sc.ids[PUPIL_C];
    for (who, query) in [
        (PARENT_TWO, format!("child={chloe}")),
        (PARENT_OTHER, format!("child={awa}")),
        (PUPIL_A, format!("child={awa}")),
        (PARENT_TWO, "child=999999".to_owned()),
        (PARENT_TWO, "child=abc".to_owned()),
    ] {
        let (status, page) = sc.get(who, &format!("/news?{query}")).await;
        assert_eq!(status, 404, "{who} ?{query}");
        assert!(!page.contains("Cantine") && !page.contains("Devoirs"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_may_post_where_and_refusals_save_nothing() {
    let sc = school().await;
    let (a, b) = (sc.a.0.to_string(), sc.b.0.to_string());
    let count = || sc.count("SELECT count(*) FROM news");
    // A teacher writes to the classes they teach (or their parents), nowhere else.
    sc.publish(TEACHER_A, "Pour la 6e A", "classes", &[sc.a])
        .await;
    let before = count().await;
    for (audience, classes) in [
        ("classes", vec![b.as_str()]),
        ("classes", vec![a.as_str(), b.as_str()]),
        ("class_parents", vec![b.as_str()]),
        ("school", vec![]),
        ("parents", vec![]),
        ("staff", vec![]),
    ] {
        let mut fields = vec![
            ("title", "Intrus"),
            ("body", "Texte"),
            ("audience", audience),
            ("action", "post"),
        ];
        fields.extend(classes.iter().map(|c| ("class", *c)));
        let r = sc.post(TEACHER_A, "/news/new", &fields).await;
        assert_eq!(
            r.status(),
            403,
            "a teacher of 6e A to {audience} {classes:?}"
        );
    }
    // Pupils and parents write nothing, and are not shown the form.
    for who in [PUPIL_A, PARENT_TWO] {
        assert_eq!(sc.get(who, "/news/new").await.0, 403);
        let fields = [
            ("title", "Intrus"),
            ("body", "Texte"),
            ("audience", "school"),
            ("action", "post"),
        ];
        assert_eq!(sc.post(who, "/news/new", &fields).await.status(), 403);
    }
    // A forged or missing token.
    for token in [Some("forged-token-forged-token-forged-token-forged!"), None] {
        let mut form = vec![
            ("title", "Rejoué"),
            ("body", "Texte"),
            ("audience", "school"),
            ("action", "post"),
        ];
        form.extend(token.map(|t| ("csrf", t)));
        let r = sc
            .as_(OFFICE)
            .post(sc.url("/news/new"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "token {token:?}");
    }
    // What a person can fix comes back with its message and what was typed.
    let cases: [(&[(&str, &str)], &str); 5] = [
        (
            &[("title", " "), ("body", "Texte"), ("audience", "school")],
            "Give it a title.",
        ),
        (
            &[("title", "Titre"), ("body", "  "), ("audience", "school")],
            "Write the text first.",
        ),
        (
            &[
                ("title", "Titre"),
                ("body", "Texte"),
                ("audience", "classes"),
            ],
            "Choose at least one class.",
        ),
        (
            &[
                ("title", "Titre"),
                ("body", "Texte"),
                ("audience", "everyone"),
            ],
            "Choose who it is for.",
        ),
        (
            &[
                ("title", "Titre"),
                ("body", "Texte"),
                ("audience", "classes"),
                ("class", "999999"),
            ],
            "One of the classes chosen no longer exists.",
        ),
    ];
    for (fields, message) in cases {
        let mut f = fields.to_vec();
        f.push(("action", "post"));
        let r = sc.post(OFFICE, "/news/new", &f).await;
        assert_eq!(r.status(), 400, "{fields:?}");
        let page = r.text().await.unwrap();
        assert!(page.contains(message), "{message} in {page}");
        assert!(page.contains("value=\"Titre\"") || fields[0].1 == " ");
    }
    assert_eq!(count().await, before);
    // A preview saves nothing and shows the Markdown, sanitised.
    let r = sc
        .post(
            OFFICE,
            "/news/new",
            &[
                ("title", "Aperçu"),
                (
                    "body",
                    "**gras** <script>alert(1)</script> [x](javascript:alert(2))",
                ),
                ("audience", "school"),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    let preview = page.split("id=\"preview\"").nth(1).unwrap();
    let preview = preview.split("</section>").next().unwrap();
    assert!(preview.contains("<strong>gras</strong>"), "{preview}");
    assert!(!preview.contains("<script") && !preview.contains("javascript:"));
    assert_eq!(count().await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn must_read_news_is_acknowledged_and_tracked() {
    let sc = school().await;
    let id = sc
        .publish_with(
            OFFICE,
            "Sortie : autorisation à signer",
            "Signez **avant vendredi**.",
            "class_parents",
            &[sc.a, sc.c],
            true,
        )
        .await;
    // A newer ordinary item comes after the waiting must-read one on the dashboard.
    sc.publish(OFFICE, "Menu de la cantine", "school", &[])
        .await;
    let (_, dash) = sc.get(PARENT_TWO, "/").await;
    let timeline = dash.split("id=\"news-timeline\"").nth(1).unwrap();
    let must = timeline.find("Sortie : autorisation").unwrap();
    assert!(
        must < timeline.find("Menu de la cantine").unwrap(),
        "waiting first"
    );
    assert!(timeline.contains(&format!("action=\"/news/{id}/ack\"")));
    assert!(
        timeline.contains("<strong>avant vendredi</strong>"),
        "its text is there to read"
    );

    // Those who read along see it on their dashboard, not as waiting for them.
    for who in [ADMIN, TEACHER_A] {
        let (_, dash) = sc.get(who, "/").await;
        assert!(dash.contains("Sortie : autorisation"), "{who}");
        assert!(
            !dash.contains(&format!("/news/{id}/ack")),
            "{who} is not asked"
        );
    }
    // Who is asked: the parents of 6e A and 4e C; the class's teacher reads along.
    let ack_form = format!("action=\"/news/{id}/ack\"");
    for (who, status, asked) in [
        (PARENT_TWO, 200, true),
        (PARENT_OTHER, 200, true),
        (TEACHER_A, 200, false),
        (OFFICE, 200, false),
        (ADMIN, 200, false),
        (PUPIL_A, 404, false),
        (TEACHER_B, 404, false),
    ] {
        let (s, page) = sc.get(who, &format!("/news/{id}")).await;
        assert_eq!(s, status, "{who}");
        assert_eq!(
            page.contains(&ack_form),
            asked,
            "{who} asked to acknowledge"
        );
        assert_eq!(
            page.contains("id=\"tracking\""),
            who == OFFICE || who == ADMIN,
            "{who} tracking"
        );
    }
    // Only those asked may acknowledge; nothing is recorded otherwise.
    let path = format!("/news/{id}/ack");
    assert_eq!(sc.post(PUPIL_A, &path, &[]).await.status(), 404);
    assert_eq!(sc.post(TEACHER_A, &path, &[]).await.status(), 403);
    assert_eq!(sc.post(OFFICE, &path, &[]).await.status(), 403);
    let forged = sc
        .as_(PARENT_TWO)
        .post(sc.url(&path))
        .form(&[("csrf", "forged-token-forged-token-forged-token-forged!")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(sc.count("SELECT count(*) FROM news_reads").await, 0);

    // The parent acknowledges from the dashboard, and goes back there.
    let r = sc.post(PARENT_TWO, &path, &[("next", "/")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/?msg=news.acknowledged");
    let r = sc
        .post(PARENT_TWO, &path, &[("next", "https://evil.example/")])
        .await;
    assert_eq!(
        location(&r),
        "/?msg=news.acknowledged",
        "never an open redirect"
    );
    assert_eq!(sc.count("SELECT count(*) FROM news_reads").await, 1, "once");
    let (_, dash) = sc.get(PARENT_TWO, "/?msg=news.acknowledged").await;
    assert!(dash.contains("the school knows you have read it"));
    assert!(!dash.contains(&ack_form) && dash.contains("You confirmed you had read it"));

    // The office sees who has and who has not yet.
    let (_, page) = sc.get(OFFICE, &format!("/news/{id}")).await;
    let tracking = page.split("id=\"tracking\"").nth(1).unwrap();
    assert!(
        tracking.contains("1 of 2 have confirmed reading it."),
        "{tracking}"
    );
    let read_by = tracking.split("id=\"read-by\"").nth(1).unwrap();
    let read_by = read_by.split("</ul>").next().unwrap();
    assert!(read_by.contains(&format!("data-username=\"{PARENT_TWO}\"")));
    let waiting = tracking.split("id=\"waiting-list\"").nth(1).unwrap();
    assert!(waiting.contains(&format!("data-username=\"{PARENT_OTHER}\"")));
    assert!(!waiting.contains(PARENT_TWO) && !tracking.contains(PUPIL_A));
    // An ordinary item has nothing to acknowledge.
    let plain = sc.publish(OFFICE, "Ordinaire", "school", &[]).await;
    let r = sc
        .post(PARENT_TWO, &format!("/news/{plain}/ack"), &[])
        .await;
    assert_eq!(r.status(), 403);
}

/// The edit form's fields for an item for one class.
fn edit_fields<'a>(title: &'a str, class: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("body", "Nouveau texte"),
        ("audience", "classes"),
        ("class", class),
        ("action", "post"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_author_or_an_admin_edits_and_deletes_with_an_audit_trail() {
    let sc = school().await;
    let id = sc.publish(TEACHER_A, "Devoirs", "classes", &[sc.a]).await;
    let edit = format!("/news/{id}/edit");
    let (a, b) = (sc.a.0.to_string(), sc.b.0.to_string());
    // Someone who cannot read it: 404; who reads it but is not its author: 403.
    assert_eq!(sc.get(TEACHER_B, &edit).await.0, 404);
    for who in [OFFICE, PUPIL_A, PARENT_TWO] {
        assert_eq!(sc.get(who, &edit).await.0, 403, "{who}");
        let r = sc.post(who, &edit, &edit_fields("Piraté", &a)).await;
        assert_eq!(r.status(), 403, "{who}");
        let r = sc.post(who, &format!("/news/{id}/delete"), &[]).await;
        assert_eq!(r.status(), 403, "{who}");
    }
    // The author may not move it to a class they do not teach.
    let r = sc
        .post(TEACHER_A, &edit, &edit_fields("Vers 5e B", &b))
        .await;
    assert_eq!(r.status(), 403);
    let (_, page) = sc.get(PUPIL_A, &format!("/news/{id}")).await;
    assert!(page.contains("Devoirs") && !page.contains("Piraté") && !page.contains("Vers 5e B"));
    // The author changes it.
    assert_eq!(sc.get(TEACHER_A, &edit).await.0, 200);
    let r = sc
        .post(TEACHER_A, &edit, &edit_fields("Devoirs (corrigé)", &a))
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = sc.get(PUPIL_A, &format!("/news/{id}")).await;
    assert!(page.contains("Devoirs (corrigé)") && page.contains("Nouveau texte"));
    // The admin deletes it; the audit log says so.
    let r = sc.post(ADMIN, &format!("/news/{id}/delete"), &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(sc.get(PUPIL_A, &format!("/news/{id}")).await.0, 404);
    let audited = sc
        .count("SELECT count(*) FROM audit_log WHERE action = 'delete_news' AND detail LIKE 'Devoirs (corrigé)%'")
        .await;
    assert_eq!(audited, 1);
    let (_, audit) = sc.get(ADMIN, "/admin/audit").await;
    assert!(audit.contains("News item deleted"));
    // The author deletes their own.
    let own = sc
        .publish(TEACHER_A, "À supprimer", "classes", &[sc.a])
        .await;
    let r = sc
        .post(TEACHER_A, &format!("/news/{own}/delete"), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(sc.count("SELECT count(*) FROM news").await, 0);
}

/// Every `/news` route as every account, against one item for 6e A by its teacher: a route
/// missing from the table fails, so a new page says who may reach it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_news_route_as_every_role() {
    let sc = school().await;
    // Who reads an item for 6e A (see `readers`), and who manages it (its author, an admin).
    let reads = readers("6e A");
    let manages = |who: &str| who == TEACHER_A || who == ADMIN;
    let writes = |who: &str| [ADMIN, OFFICE, TEACHER_A].contains(&who);
    let router = cartable::web::routes();
    let routes: Vec<(Method, String)> = router
        .patterns()
        .iter()
        .filter(|(_, p)| p == "/news" || p.starts_with("/news/"))
        .cloned()
        .collect();
    assert_eq!(routes.len(), 8, "{routes:?}");
    for (method, pattern) in &routes {
        for (n, who) in EVERYONE.iter().enumerate() {
            let id = sc
                .publish_with(TEACHER_A, "Pour la 6e A", "Texte", "classes", &[sc.a], true)
                .await;
            let path = pattern.replace("{id}", &id.to_string());
            let a = sc.a.0.to_string();
            let want = match (method.as_str(), pattern.as_str()) {
                ("GET", "/news") => 200,
                ("GET", "/news/new") => {
                    if writes(who) || *who == TEACHER_B {
                        200
                    } else {
                        403
                    }
                }
                ("POST", "/news/new") => {
                    if writes(who) {
                        303
                    } else {
                        403
                    }
                }
                ("GET", "/news/{id}") => {
                    if reads[n] {
                        200
                    } else {
                        404
                    }
                }
                ("POST", "/news/{id}/ack") => {
                    if !reads[n] {
                        404
                    } else if [PUPIL_A, PARENT_TWO].contains(who) {
                        303
                    } else {
                        403
                    }
                }
                ("GET", "/news/{id}/edit") | ("POST", "/news/{id}/edit" | "/news/{id}/delete") => {
                    if !reads[n] {
                        404
                    } else if manages(who) {
                        if method == Method::GET { 200 } else { 303 }
                    } else {
                        403
                    }
                }
                _ => panic!("{method} {pattern} is not in this test's table"),
            };
            let status = if *method == Method::GET {
                sc.get(who, &path).await.0
            } else {
                let fields = [
                    ("title", "Pour la 6e A"),
                    ("body", "Texte"),
                    ("audience", "classes"),
                    ("class", a.as_str()),
                    ("action", "post"),
                ];
                sc.post(who, &path, &fields).await.status().as_u16()
            };
            assert_eq!(status, want, "{who} {method} {path}");
        }
        // Nobody logged in: the login page, or the CSRF check.
        let path = pattern.replace("{id}", "1");
        let r = plain_client()
            .request(method.clone(), sc.url(&path))
            .send()
            .await
            .unwrap();
        if *method == Method::GET {
            assert!(location(&r).starts_with("/login?next="), "anonymous {path}");
        } else {
            // The login redirect or the CSRF check stops it.
            assert!(
                r.status() == 403 || r.status() == 303,
                "anonymous {method} {path}: {}",
                r.status()
            );
        }
    }
}

/// The names a must-read item's tracking lists (SQL) are exactly the people the policy says
/// it addresses, for every kind of audience.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tracking_lists_exactly_whom_the_policy_addresses() {
    use cartable::auth::{SchoolAudience, addressed, load_principal};
    let sc = school().await;
    let (a, b, c) = (sc.a, sc.b, sc.c);
    let audiences = vec![
        SchoolAudience::School,
        SchoolAudience::Staff,
        SchoolAudience::Parents,
        SchoolAudience::Classes(vec![a]),
        SchoolAudience::Classes(vec![a, b]),
        SchoolAudience::ClassParents(vec![a]),
        SchoolAudience::ClassParents(vec![b, c]),
    ];
    let ids: Vec<UserId> = EVERYONE.iter().map(|w| sc.ids[w]).collect();
    sc.s.running
        .app
        .db
        .read(move |conn| {
            let people: Vec<_> = ids
                .iter()
                .map(|id| load_principal(conn, *id).unwrap().unwrap())
                .collect();
            for audience in &audiences {
                let mut listed: Vec<String> = cartable::school::members(conn, audience, None)
                    .unwrap()
                    .into_iter()
                    .map(|m| m.username)
                    .collect();
                listed.sort();
                let mut want: Vec<String> = people
                    .iter()
                    .filter(|p| addressed(p, audience))
                    .map(|p| p.username.clone())
                    .collect();
                want.sort();
                assert_eq!(listed, want, "{audience:?}");
            }
            Ok(())
        })
        .await
        .unwrap();
}
