//! Walks every administration route as each role, with realistic requests, and checks each
//! answer against one table of who may use what. A route missing from the table fails the
//! test, so a new admin page cannot ship without saying who may reach it.

use crate::support::*;
use cartable::auth::Role;
use reqwest::Method;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Who {
    Admin,
    Staff,
    TeacherOfClass,
    OtherTeacher,
    Pupil,
    Parent,
}

const EVERYONE: [Who; 6] = [
    Who::Admin,
    Who::Staff,
    Who::TeacherOfClass,
    Who::OtherTeacher,
    Who::Pupil,
    Who::Parent,
];

/// Who may use each route; everyone else must get 403.
fn allowed(method: &Method, pattern: &str) -> Option<&'static [Who]> {
    use Who::*;
    const OFFICE: &[Who] = &[Admin, Staff];
    Some(match (method.as_str(), pattern) {
        ("GET", "/admin/") | ("GET", "/admin/classes") => {
            &[Admin, Staff, TeacherOfClass, OtherTeacher]
        }
        ("GET", "/admin/users") | ("GET", "/admin/users/new") | ("POST", "/admin/users/new") => {
            OFFICE
        }
        ("GET", "/admin/users/{id}") | ("POST", "/admin/users/{id}") => OFFICE,
        ("POST", "/admin/users/{id}/password") => &[Admin, Staff, TeacherOfClass],
        ("POST", "/admin/users/{id}/links") | ("POST", "/admin/users/{id}/links/remove") => OFFICE,
        ("POST", "/admin/classes") => OFFICE,
        ("GET", "/admin/classes/{id}") | ("POST", "/admin/classes/{id}/slips") => {
            &[Admin, Staff, TeacherOfClass]
        }
        ("POST", "/admin/classes/{id}/members")
        | ("POST", "/admin/classes/{id}/members/remove") => OFFICE,
        ("POST", "/admin/quotas") => &[Admin],
        ("GET", "/admin/mail") | ("POST", "/admin/mail/retry") | ("POST", "/admin/mail/delete") => {
            OFFICE
        }
        ("POST", "/admin/mail") => &[Admin],
        ("GET", "/admin/forum") | ("POST", "/admin/forum") => &[Admin],
        ("GET", "/admin/system") => &[Admin],
        ("GET", "/admin/audit") | ("GET", "/admin/settings") | ("POST", "/admin/settings") => {
            &[Admin]
        }
        ("GET", "/admin/import") | ("POST", "/admin/import") | ("GET", "/admin/import/done") => {
            OFFICE
        }
        ("GET", "/admin/import/{id}") | ("POST", "/admin/import/{id}") => OFFICE,
        ("GET", "/admin/apps") | ("GET", "/admin/apps/new") | ("POST", "/admin/apps/new") => {
            &[Admin]
        }
        ("GET", "/admin/apps/{id}")
        | ("POST", "/admin/apps/{id}")
        | ("POST", "/admin/apps/{id}/secret")
        | ("POST", "/admin/apps/{id}/delete") => &[Admin],
        ("GET", "/admin/library")
        | ("POST", "/admin/library/scan")
        | ("POST", "/admin/library/readmit")
        | ("POST", "/admin/blog-images")
        | ("POST", "/admin/library/{name}/audience")
        | ("GET", "/admin/library/{name}/remove")
        | ("POST", "/admin/library/{name}/remove") => &[Admin],
        _ => return None,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_admin_route_answers_exactly_the_roles_the_policy_names() {
    let s = TestServer::start().await;
    s.user("w.admin", Role::Admin).await;
    s.user("w.staff", Role::Staff).await;
    let teacher = s.user("w.teacher", Role::Teacher).await;
    s.user("w.other", Role::Teacher).await;
    let pupil = s.user("w.pupil", Role::Pupil).await;
    let extra = s.user("w.extra", Role::Pupil).await;
    // The account the /users/{id} routes act on: resets end its sessions, so it is nobody's
    // logged-in client here.
    let target = s.user("w.target", Role::Pupil).await;
    let parent = s.user("w.parent", Role::Parent).await;
    let class = s.class("6e A").await;
    s.add_member(class, teacher).await;
    // The logged-in pupil is in another class: slips for this one reset its pupils' passwords
    // and end their sessions.
    let their_class = s.class("5e B").await;
    s.add_member(their_class, pupil).await;
    s.add_member(class, extra).await;
    s.add_member(class, target).await;
    s.link_parent(parent, pupil).await;
    s.link_parent(parent, target).await;
    let app = s
        .running
        .app
        .db
        .write_as(|tx| {
            cartable::idp::apps::create(
                tx,
                &cartable::auth::Allowed::system("test"),
                cartable::idp::apps::AppInput {
                    name: "Walk app".into(),
                    protocol: Some(cartable::idp::apps::Protocol::Oidc),
                    redirect_uris: vec!["https://walk.test/cb".into()],
                    roles: vec![Role::Pupil],
                    ..Default::default()
                },
            )
        })
        .await
        .unwrap()
        .0;
    let zim = cartable::library::Library::new(s.dir.path(), 1 << 20);
    let db = s.running.app.db.clone();
    let collection = tokio::task::spawn_blocking(move || {
        cartable::library::install::install(
            &db,
            zim.dir(),
            &zim_fixtures().join("zstd.zim"),
            cartable::auth::SchoolAudience::Staff,
            "cli",
            &cartable::auth::Allowed::system("test"),
        )
        .unwrap()
    })
    .await
    .unwrap();

    let router = cartable::web::routes();
    let routes: Vec<(Method, String)> = router
        .patterns()
        .iter()
        .filter(|(_, p)| p.starts_with("/admin/"))
        .cloned()
        .collect();
    assert!(routes.len() >= 20, "only {} admin routes?", routes.len());
    for (m, p) in &routes {
        assert!(
            allowed(m, p).is_some(),
            "{m} {p} is not in the access table of this test"
        );
    }

    let name = |w: Who| match w {
        Who::Admin => "w.admin",
        Who::Staff => "w.staff",
        Who::TeacherOfClass => "w.teacher",
        Who::OtherTeacher => "w.other",
        Who::Pupil => "w.pupil",
        Who::Parent => "w.parent",
    };
    let mut clients = Vec::new();
    for w in EVERYONE {
        let c = s.logged_in(name(w)).await;
        let home = page_text(&c, s.url("/")).await;
        clients.push((w, c, csrf_in(&home)));
    }
    let anonymous = s.client();

    for (method, pattern) in &routes {
        let path = pattern
            .replace("/users/{id}", &format!("/users/{}", target.0))
            .replace("/classes/{id}", &format!("/classes/{}", class.0))
            .replace("/import/{id}", "/import/0123456789abcdef")
            .replace("/apps/{id}", &format!("/apps/{}", app.id))
            .replace("/library/{name}", &format!("/library/{}", collection.name));
        let may = allowed(method, pattern).unwrap();
        for (n, (who, c, csrf)) in clients.iter().enumerate() {
            let url = s.url(&path);
            let r = if *method == Method::GET {
                c.get(url).send().await.unwrap()
            } else if pattern == "/admin/import" {
                let form = reqwest::multipart::Form::new()
                    .text("csrf", csrf.clone())
                    .part(
                        "file",
                        reqwest::multipart::Part::bytes(
                            b"nom;pr\xc3\xa9nom;classe\nDiallo;Awa;6e A\n".to_vec(),
                        )
                        .file_name("c.csv"),
                    );
                c.post(url).multipart(form).send().await.unwrap()
            } else {
                let fields = body_for(pattern, csrf, n, parent.0, extra.0);
                c.post(url).form(&fields).send().await.unwrap()
            };
            let status = r.status().as_u16();
            if may.contains(who) {
                assert!(
                    status != 403 && status < 500,
                    "{who:?} {method} {path}: got {status}, expected access"
                );
            } else {
                assert_eq!(
                    status, 403,
                    "{who:?} {method} {path}: got {status}, expected 403"
                );
            }
        }
        let r = anonymous
            .request(method.clone(), s.url(&path))
            .send()
            .await
            .unwrap();
        if *method == Method::GET {
            assert_eq!(r.status(), 303, "anonymous {method} {path}");
            assert!(
                location(&r).starts_with("/login?next="),
                "anonymous {method} {path}"
            );
        } else {
            // No session, no pre-session token: the CSRF check or the login redirect stops it.
            assert!(
                r.status() == 403 || r.status() == 303,
                "anonymous {method} {path}: {}",
                r.status()
            );
        }
    }
}

/// A plausible form for each POST route, so that a refusal comes from the policy and not
/// from a missing field.
fn body_for(
    pattern: &str,
    csrf: &str,
    n: usize,
    parent: i64,
    extra: i64,
) -> Vec<(&'static str, String)> {
    let mut f = vec![("csrf", csrf.to_owned())];
    match pattern {
        "/admin/users/new" => f.extend([
            ("first_name", "Walk".to_owned()),
            ("last_name", format!("Person{n}")),
            ("username", String::new()),
            ("role", "pupil".into()),
            ("language", String::new()),
            ("class", String::new()),
        ]),
        "/admin/users/{id}" => f.extend([
            ("first_name", "Test".to_owned()),
            ("last_name", "w.target".into()),
            ("role", "pupil".into()),
            ("language", String::new()),
        ]),
        "/admin/users/{id}/links" => f.push(("username", "w.parent".into())),
        "/admin/users/{id}/links/remove" => f.push(("other", parent.to_string())),
        "/admin/classes" => f.extend([
            ("name", format!("Walk {n}")),
            ("school_year", String::new()),
        ]),
        "/admin/classes/{id}/members" => f.push(("username", "w.extra".into())),
        "/admin/classes/{id}/members/remove" => f.push(("user", extra.to_string())),
        "/admin/quotas" => f.push(("quota_pupil", "300".into())),
        "/admin/library/{name}/audience" => f.push(("audience", "school".into())),
        "/admin/forum" => f.extend([
            ("name", format!("Walk {n}")),
            ("description", String::new()),
            ("roles", "parent".into()),
        ]),
        "/admin/apps/new" | "/admin/apps/{id}" => f.extend([
            ("name", format!("Walk app {n}")),
            ("protocol", "proxy".into()),
            ("internal_url", "http://127.0.0.1:9/".into()),
            ("roles", "pupil".into()),
            ("claims", "standard".into()),
            ("action", "save".into()),
        ]),
        "/admin/settings" => f.extend([
            ("school_name", "Collège du Baobab".to_owned()),
            ("host_names", "ecole.local".into()),
            ("mail_domain", "ecole.local".into()),
            ("default_language", "fr".into()),
            ("school_year", "2026-2027".into()),
        ]),
        _ => {}
    }
    f
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_cannot_probe_other_classes_or_accounts_by_id() {
    let s = TestServer::start().await;
    let t = s.user("t.probe", Role::Teacher).await;
    let mine = s.class("5e B").await;
    let other = s.class("4e C").await;
    s.add_member(mine, t).await;
    let stranger = s.user("p.other", Role::Pupil).await;
    s.add_member(other, stranger).await;
    let c = s.logged_in("t.probe").await;
    assert_eq!(
        c.get(s.url(&format!("/admin/classes/{}", mine.0)))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // Another class, a class that does not exist: the same 403.
    for id in [other.0, 999_999] {
        assert_eq!(
            c.get(s.url(&format!("/admin/classes/{id}")))
                .send()
                .await
                .unwrap()
                .status(),
            403
        );
    }
    let home = page_text(&c, s.url("/")).await;
    for id in [stranger.0, 999_999] {
        let r = c
            .post(s.url(&format!("/admin/users/{id}/password")))
            .form(&[("csrf", csrf_in(&home))])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "reset of {id}");
    }
}
